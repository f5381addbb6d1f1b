from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import PlaybookCase


class TestSecurityRoles(PlaybookCase):
    """What each role may do with checklists, histories, configuration and reports, as an
    attacker of that role would try it."""

    def setUp(self):
        super().setUp()
        self.lead = self.make_lead(name="Anna's lead")
        # the salesperson whose turn it was (Anna or Boris): "anna" in these tests
        self.anna = self.lead.user_id
        self.boris = self.colleague_of(self.anna)
        self.call = self.lead.checklist_line_ids.filtered(
            lambda line: line.item_id == self.item_call
        )

    def test_a_salesperson_ticks_only_the_checklists_of_leads_they_may_edit(self):
        # Boris (own leads only) neither reads nor ticks Anna's checklist
        with self.assertRaises(AccessError):
            self.call.with_user(self.boris).read(["done"])
        with self.assertRaises(AccessError):
            self.call.with_user(self.boris).write({"done": True})
        with self.assertRaises(AccessError):
            self.lead.with_user(self.boris).write(
                {"checklist_current_line_ids": [(1, self.call.id, {"done": True})]}
            )
        self.assertFalse(self.call.done)
        self.assertFalse(
            self.env["crm.lead.checklist.line"]
            .with_user(self.boris)
            .search([("lead_id", "=", self.lead.id)])
        )
        # Anna does; the intake desk (all leads) does too
        self.call.with_user(self.anna).write({"done": True})
        self.call.with_user(self.intake).write({"done": False})
        self.assertFalse(self.call.done)

    def test_an_employee_without_sales_rights_gets_nothing(self):
        for record in (self.call, self.lead.handler_ids):
            with self.assertRaises(AccessError):
                record.with_user(self.employee).read(["lead_id"])
        with self.assertRaises(AccessError):
            self.call.with_user(self.employee).write({"done": True})
        with self.assertRaises(AccessError):
            self.env["crm.playbook.report"].with_user(self.employee).search([])
        self.assertFalse(self.call.done)

    def test_portal_users_get_nothing(self):
        portal = self.portal
        for record in (self.call, self.lead.handler_ids, self.item_call):
            with self.assertRaises(AccessError):
                record.with_user(portal).read(["display_name"])
        with self.assertRaises(AccessError):
            self.call.with_user(portal).write({"done": True})
        with self.assertRaises(AccessError):
            self.item_call.with_user(portal).write({"required": False})
        for model in ("crm.playbook.report", "crm.playbook.survey.report", "crm.lead.handler"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(portal).search([])
        with self.assertRaises(AccessError):
            self.team.with_user(portal).read(["lead_distribution"])
        self.assertFalse(self.call.done)
        self.assertTrue(self.item_call.required)

    def test_configuration_is_for_sales_managers(self):
        for user in (self.anna, self.intake, self.employee):
            with self.assertRaises(AccessError):
                self.item_call.with_user(user).write({"required": False})
            with self.assertRaises(AccessError):
                self.env["crm.stage.checklist.item"].with_user(user).create(
                    {"name": "Sneaky", "stage_id": self.s_interest.id}
                )
            with self.assertRaises(AccessError):
                self.s_proposal.with_user(user).write({"sla_hours": 0})
            with self.assertRaises(AccessError):
                self.team.with_user(user).write({"lead_distribution": "manual"})
            with self.assertRaises(AccessError):
                self.company.with_user(user).write({"playbook_source_required": False})
        self.assertTrue(self.item_call.required)
        self.assertEqual(self.s_proposal.sla_hours, 24)
        self.assertEqual(self.team.lead_distribution, "round_robin")
        self.assertTrue(self.company.playbook_source_required)
        # the head of sales sets them
        self.item_call.with_user(self.head).write({"hint": "Within 30 minutes"})
        self.team.with_user(self.head).write({"lead_distribution": "crm"})
        self.s_proposal.with_user(self.head).write({"sla_hours": 16})

    def test_lines_and_histories_are_the_servers(self):
        """Nobody creates or deletes checklist lines or handler history by hand."""
        for user in (self.anna, self.head):
            with self.assertRaises(AccessError):
                self.env["crm.lead.checklist.line"].with_user(user).create(
                    {"lead_id": self.lead.id, "item_id": self.item_details.id, "done": True}
                )
            with self.assertRaises(AccessError):
                self.call.with_user(user).unlink()
        self.assertTrue(self.call.exists())
        with self.assertRaisesRegex(UserError, "only the tick"):
            self.call.with_user(self.anna).write({"done": True, "done_by_id": self.boris.id})
        self.assertFalse(self.call.done)

    def test_survey_results_are_for_sales_managers(self):
        with self.assertRaises(AccessError):
            self.env["crm.playbook.survey.report"].with_user(self.anna).search([])
        self.env["crm.playbook.survey.report"].with_user(self.head).search([])


class TestSecurityCompanies(PlaybookCase):
    """A lead of another company: its checklist, history and analysis stay there."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "PB Company B"})
        cls.user_b = new_test_user(
            cls.env,
            login="pb_company_b",
            groups="sales_team.group_sale_manager",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.team_b = cls.env["crm.team"].create({"name": "Team B", "company_id": cls.company_b.id})
        cls.lead_b = cls.env["crm.lead"].create(
            {
                "name": "Lead of B",
                "team_id": cls.team_b.id,
                "user_id": cls.user_b.id,
                "stage_id": cls.s_interest.id,
                "company_id": cls.company_b.id,
            }
        )

    def test_another_company_reads_nothing_of_ours(self):
        ours = self.make_lead(name="Ours")
        lines = ours.checklist_line_ids
        self.assertTrue(lines)
        User = self.env["crm.lead.checklist.line"].with_user(self.user_b)
        self.assertFalse(User.search([("id", "in", lines.ids)]))
        with self.assertRaises(AccessError):
            lines.with_user(self.user_b).read(["done"])
        with self.assertRaises(AccessError):
            lines.with_user(self.user_b).write({"done": True})
        self.assertFalse(
            self.env["crm.lead.handler"].with_user(self.user_b).search([("lead_id", "=", ours.id)])
        )
        self.assertFalse(
            self.env["crm.playbook.report"]
            .with_user(self.user_b)
            .search([("lead_id", "=", ours.id)])
        )
        self.assertEqual(
            self.env["crm.playbook.report"]
            .with_user(self.user_b)
            .search([("lead_id", "in", (ours | self.lead_b).ids)])
            .lead_id,
            self.lead_b,
        )
        self.assertFalse(any(lines.mapped("done")))
