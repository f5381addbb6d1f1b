from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form
from odoo.tools import mute_logger

from .common import PlaybookCase


class TestSource(PlaybookCase):
    """Every interest is a lead with its source."""

    def save_in_web_client(self, user, vals, lead=None):
        """What the web client's save sends (web_save), as ``user``."""
        Lead = self.Lead.with_user(user)
        return (lead.with_user(user) if lead else Lead).web_save(vals, {"source_id": {}})

    def test_a_person_creating_a_lead_gives_its_source(self):
        vals = {"name": "Walk-in", "type": "opportunity", "team_id": self.other_team.id}
        with self.assertRaisesRegex(ValidationError, "source"):
            self.save_in_web_client(self.outsider, vals)
        self.assertFalse(self.Lead.search([("name", "=", "Walk-in")]))
        [saved] = self.save_in_web_client(self.outsider, dict(vals, source_id=self.source_expo.id))
        self.assertEqual(saved["source_id"], self.source_expo.id)

    def test_the_team_default_source_applies_to_email_forms_and_scripts(self):
        # a script (or the mail gateway, a web form) creates without source
        lead = self.Lead.create({"name": "From the alias", "team_id": self.team.id})
        self.assertEqual(lead.source_id, self.source_alias)
        # in the web client, the team's default source fills the field too
        [saved] = self.save_in_web_client(self.intake, {"name": "Typed", "team_id": self.team.id})
        self.assertEqual(saved["source_id"], self.source_alias.id)
        with Form(self.Lead.with_user(self.intake)) as form:
            form.name = "Form"
            form.team_id = self.team
            self.assertEqual(form.source_id, self.source_alias)

    def test_the_mail_gateway_creates_leads_with_the_team_source(self):
        domain = self.env["mail.alias.domain"].create({"name": "pb-clinic.example.com"})
        self.team.write({"alias_name": "pb-sales", "alias_domain_id": domain.id})
        self.env["mail.thread"].message_process(
            "crm.lead",
            "From: Clinic <clinic@example.com>\r\nTo: pb-sales@pb-clinic.example.com\r\n"
            "Subject: Need 40 beds\r\nMessage-ID: <pb-1@example.com>\r\n\r\nHello",
        )
        lead = self.Lead.search([("name", "=", "Need 40 beds")])
        self.assertEqual(lead.team_id, self.team)
        self.assertEqual(lead.source_id, self.source_alias)
        # dealt in turn like any other, never to the gateway's own user
        self.assertIn(lead.user_id, self.anna | self.boris)
        self.assertEqual(lead.first_user_id, lead.user_id)
        self.assertEqual(lead.handler_ids.assignment, "turn")

    def test_the_setting_relaxes_the_requirement(self):
        self.company.playbook_source_required = False
        vals = {"name": "No source", "type": "opportunity", "team_id": self.other_team.id}
        [saved] = self.save_in_web_client(self.outsider, vals)
        self.assertFalse(saved["source_id"])

    def test_leads_created_by_code_are_not_asked_for_a_source(self):
        """The requirement is the web client's save of a new lead by a person. Other
        addons' code (a need converted to a deal, as its user), crons, the mail gateway,
        web forms and portal pages (sudo) call create(): nothing is asked, and CRM's own
        defaults stay (the creator is the salesperson in a team that does not deal in
        turn, CRM's stages)."""
        lead = self.Lead.with_user(self.outsider).create(
            {"name": "Deal of a need", "type": "opportunity"}
        )
        self.assertFalse(lead.source_id)
        self.assertEqual(lead.team_id, self.other_team)
        self.assertEqual(lead.user_id, self.outsider)
        self.assertEqual(lead.first_user_id, self.outsider)
        self.assertFalse(lead.stage_id.team_id, "a stage shared by all teams")
        # a portal page saving as the superuser of its sudo()
        [saved] = (
            self.Lead.with_user(self.portal)
            .sudo()
            .web_save({"name": "From a portal page", "user_id": False}, {"source_id": {}})
        )
        self.assertFalse(saved["source_id"])

    def test_the_source_of_a_lead_cannot_be_removed_by_a_person(self):
        lead = self.make_lead()
        with self.assertRaisesRegex(ValidationError, "source cannot be removed"):
            self.save_in_web_client(self.intake, {"source_id": False}, lead=lead)
        self.assertEqual(lead.source_id, self.source_web)


class TestFirstHandler(PlaybookCase):
    """The first handler of a lead and its handler history."""

    def test_created_with_a_salesperson_then_passed_on(self):
        lead = self.make_lead(user=self.head, user_id=self.head.id)
        self.assertEqual(lead.first_user_id, self.head)
        lead.with_user(self.head).user_id = self.anna
        lead.with_user(self.head).user_id = self.boris
        self.assertEqual(lead.first_user_id, self.head, "never overwritten")
        history = lead.handler_ids
        self.assertEqual(history.mapped("user_id"), self.head | self.anna | self.boris)
        self.assertEqual(history.mapped("assignment"), ["created", "assigned", "assigned"])
        self.assertEqual(set(history.mapped("assigned_by_id")), {self.head})
        self.assertTrue(all(history.mapped("date")))

    def test_a_lead_from_a_script_gets_the_first_handler_who_takes_it(self):
        lead = self.Lead.create(
            {"name": "Script lead", "team_id": self.other_team.id, "user_id": False}
        )
        self.assertFalse(lead.user_id)
        self.assertFalse(lead.first_user_id)
        self.assertFalse(lead.handler_ids)
        lead.with_user(self.outsider).user_id = self.outsider
        self.assertEqual(lead.first_user_id, self.outsider)
        lead.user_id = self.head
        self.assertEqual(lead.first_user_id, self.outsider)

    def test_the_first_handler_cannot_be_changed(self):
        lead = self.make_lead(user=self.head, user_id=self.head.id)
        for user in (self.head, self.anna, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "first handler .* cannot be changed"):
                lead.with_user(user).sudo(False).write({"first_user_id": self.anna.id})
        self.assertEqual(lead.first_user_id, self.head)

    def test_an_import_of_history_names_the_first_handler(self):
        """A sales manager importing old leads gives their first handler; nobody else."""
        Lead = self.Lead.with_user(self.head)
        lead = Lead.create(
            {
                "name": "Imported",
                "team_id": self.other_team.id,
                "source_id": self.source_web.id,
                "first_user_id": self.head.id,
                "user_id": self.outsider.id,
            }
        )
        self.assertEqual(lead.first_user_id, self.head)
        self.assertEqual(lead.handler_ids.assignment, "import")
        with self.assertRaisesRegex(UserError, "only a sales manager"):
            self.Lead.with_user(self.intake).create(
                {"name": "Claimed", "team_id": self.other_team.id, "first_user_id": self.anna.id}
            )
        # an import updating a lead without first handler gives it; updating one with the
        # same value changes nothing
        old = self.Lead.create(
            {"name": "Old lead", "team_id": self.other_team.id, "user_id": False}
        )
        old.with_user(self.head).write({"first_user_id": self.outsider.id})
        self.assertEqual(old.first_user_id, self.outsider)
        lead.with_user(self.head).write({"first_user_id": self.head.id, "name": "Imported again"})
        with self.assertRaisesRegex(UserError, "only a sales manager"):
            self.Lead.create(
                {"name": "Other", "team_id": self.other_team.id, "user_id": False}
            ).with_user(self.intake).write({"first_user_id": self.intake.id})

    def test_the_merge_keeps_the_oldest_leads_first_handler_and_all_history(self):
        oldest = self.make_lead(user=self.head, name="Oldest", user_id=self.outsider.id)
        newer = self.make_lead(user=self.head, name="Newer", user_id=self.anna.id)
        newer.with_user(self.head).user_id = self.boris
        # the newer one is the more advanced deal: the merge keeps it as the head
        newer.write({"probability": 80, "expected_revenue": 1000})
        merged = (oldest | newer).with_user(self.head).merge_opportunity()
        self.assertEqual(merged, newer)
        self.assertFalse(oldest.exists())
        self.assertEqual(merged.first_user_id, self.outsider)
        self.assertEqual(
            set(merged.handler_ids.mapped("user_id")), {self.outsider, self.anna, self.boris}
        )
        self.assertIn("merged", merged.handler_ids.mapped("assignment"))

    def test_a_portal_page_creating_a_lead_for_its_dealer(self):
        """Odoo's Resellers portal (website_crm_partner_assign) creates a dealer's lead
        with sudo() under the portal user, whom CRM makes its salesperson by default: the
        lead is created, the portal user is no handler of it, and its first handler is
        the first employee who takes it."""
        lead = (
            self.Lead.with_user(self.portal)
            .sudo()
            .create({"name": "Dealer's own opportunity", "team_id": self.other_team.id})
        )
        self.assertEqual(lead.user_id, self.portal, "CRM's default salesperson")
        self.assertFalse(lead.first_user_id)
        self.assertFalse(lead.handler_ids)
        lead.with_user(self.head).write({"user_id": self.outsider.id})
        self.assertEqual(lead.first_user_id, self.outsider)
        self.assertEqual(lead.handler_ids.user_id, self.outsider)
        self.assertEqual(lead.handler_ids.assignment, "assigned")

    def test_a_portal_user_cannot_be_a_first_handler(self):
        with self.assertRaisesRegex(ValidationError, "internal user"):
            self.Lead.with_user(self.head).create(
                {"name": "Portal", "team_id": self.other_team.id, "first_user_id": self.portal.id}
            )

    def test_the_handler_history_is_not_editable(self):
        lead = self.make_lead(user=self.head, user_id=self.head.id)
        handler = lead.handler_ids
        for user in (self.head, self.anna):
            with self.assertRaises(AccessError):
                handler.with_user(user).write({"user_id": self.boris.id})
            with self.assertRaises(AccessError):
                handler.with_user(user).unlink()
        self.assertEqual(handler.user_id, self.head)
        with self.assertRaises(AccessError):
            self.env["crm.lead.handler"].with_user(self.head).create(
                {"lead_id": lead.id, "user_id": self.anna.id, "date": "2020-01-01",
                 "assignment": "assigned"}
            )  # fmt: skip
        self.assertEqual(len(lead.handler_ids), 1)

    def test_a_user_who_handled_a_lead_cannot_be_deleted(self):
        self.make_lead(user=self.head, user_id=self.outsider.id)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.outsider.unlink()
        self.assertTrue(self.outsider.exists())
