from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """What the demo data promise: seed 004's pipeline with checklists and hints (in
    Russian too), leads from several sources and handlers, a stalled proposal with its
    follow-up, answered closing surveys."""

    def ref(self, xmlid):
        record = self.env.ref(f"sales_playbook.{xmlid}", raise_if_not_found=False)
        self.assertTrue(record, "the demo data of sales_playbook are not loaded")
        return record

    def test_the_seed_pipeline(self):
        team = self.ref("demo_team")
        stages = self.env["crm.stage"].search([("team_id", "=", team.id)])
        self.assertEqual(
            stages.mapped("name"),
            ["Interest", "Qualified", "Needs identified", "Proposal sent", "Agreement",
             "Documents sent", "Paid", "Shipped", "Closed"],
        )  # fmt: skip
        self.assertTrue(all(stage.checklist_item_ids for stage in stages[:-1]))
        self.assertTrue(all(stage.playbook_hint for stage in stages[:-1]))
        self.assertEqual(self.ref("demo_stage_proposal").sla_hours, 24)
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_playbook"], ["ru_RU"], overwrite=True
        )
        proposal = self.ref("demo_stage_proposal").with_context(lang="ru_RU")
        self.assertEqual(proposal.name, "КП отправлено")
        self.assertIn("3 рабочих дней", proposal.playbook_hint)
        self.assertEqual(
            self.ref("demo_item_qualified_details").with_context(lang="ru_RU").name,
            "Получить реквизиты компании",
        )

    def test_leads_there_before_the_install_have_their_first_handler(self):
        """CRM's demo leads, there before the addon: their salesperson is their first
        handler and starts their handler history."""
        lead = self.env.ref("crm.crm_case_1")
        self.assertEqual(lead.first_user_id, self.env.ref("base.user_admin"))
        self.assertEqual(lead.handler_ids.mapped("user_id"), lead.first_user_id)
        Lead = self.env["crm.lead"].with_context(active_test=False)
        self.assertFalse(
            Lead.search_count(
                [
                    ("user_id", "!=", False),
                    ("user_id.share", "=", False),
                    ("first_user_id", "=", False),
                ]
            ),
            "every lead with a salesperson has its first handler",
        )

    def test_leads_sources_handlers_and_the_stalled_proposal(self):
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("team_id", "=", self.ref("demo_team").id)])
        )
        self.assertGreaterEqual(len(leads.source_id), 5)
        self.assertGreaterEqual(len(leads.first_user_id), 3)
        beds = self.ref("demo_lead_beds")
        self.assertEqual(beds.first_user_id, self.ref("demo_user_head"))
        self.assertEqual(
            beds.handler_ids.mapped("user_id"),
            self.ref("demo_user_head") | self.ref("demo_user_pavel"),
        )
        stalled = self.ref("demo_lead_sterilizers")
        self.assertTrue(stalled.is_stalled)
        activity = stalled.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("funnel_sla.mail_activity_type_sla_stalled")
        )
        self.assertEqual(activity.user_id, self.ref("demo_user_svetlana"))
        self.assertTrue(self.ref("demo_lead_autoclave").user_id, "dealt in turn")

    def test_answered_surveys_in_the_results(self):
        rows = self.env["crm.playbook.survey.report"].read_group(
            [("team_id", "=", self.ref("demo_team").id)],
            ["answered_count", "rating"],
            ["kind"],
        )
        by_kind = {row["kind"]: row for row in rows}
        self.assertEqual(by_kind["farewell"]["answered_count"], 2)
        self.assertEqual(by_kind["quality"]["rating"], 5)
