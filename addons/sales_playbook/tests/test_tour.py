from odoo.tests import HttpCase, new_test_user, tagged

from .common import LONG_AGO


@tagged("post_install", "-at_install")
class TestPlaybookTour(HttpCase):
    """The main flow in the browser, as the head of sales who registers the interests:
    new lead without source refused → source set → dealt in turn → the checklist blocks
    the move → ticked → (the proposal stalls) → follow-up activity → lost with the farewell
    survey."""

    def test_intake_checklist_stall_and_farewell(self):
        env = self.env
        head = new_test_user(
            env, login="pb_tour_head", name="Tour Head", groups="sales_team.group_sale_manager"
        )
        head.tour_enabled = False
        one = new_test_user(
            env,
            login="pb_tour_m1",
            name="Tour Manager One",
            groups="sales_team.group_sale_salesman",
        )
        two = new_test_user(
            env,
            login="pb_tour_m2",
            name="Tour Manager Two",
            groups="sales_team.group_sale_salesman",
        )
        survey = env["survey.survey"].create({"title": "Tour farewell", "access_mode": "token"})
        team = env["crm.team"].create(
            {
                "name": "Tour team",
                "user_id": head.id,
                "lead_distribution": "round_robin",
                "playbook_own_stages": True,
                "playbook_farewell_survey_id": survey.id,
            }
        )
        env["crm.team.member"].create(
            [{"crm_team_id": team.id, "user_id": user.id} for user in (one, two)]
        )
        Stage = env["crm.stage"]
        interest = Stage.create(
            {
                "name": "Tour Interest",
                "sequence": 1,
                "team_id": team.id,
                "playbook_hint": "<p>Call the customer today.</p>",
            }
        )
        qualified = Stage.create({"name": "Tour Qualified", "sequence": 2, "team_id": team.id})
        proposal = Stage.create(
            {
                "name": "Tour Proposal",
                "sequence": 3,
                "team_id": team.id,
                "sla_hours": 24,
                "playbook_proposal": True,
            }
        )
        env["crm.stage.checklist.item"].create(
            {"name": "Call the customer", "required": True, "stage_id": interest.id}
        )
        env["utm.source"].create({"name": "Tour web form"})
        env["crm.lost.reason"].create({"name": "Tour: no answer"})
        env.company.playbook_source_required = True

        self.start_tour(
            "/odoo/action-crm.crm_lead_opportunities/new",
            "sales_playbook_intake_tour",
            login="pb_tour_head",
        )
        lead = env["crm.lead"].search([("name", "=", "Tour: 20 infusion pumps")])
        self.assertEqual(lead.team_id, team)
        self.assertEqual(lead.source_id.name, "Tour web form")
        self.assertEqual(lead.user_id, one)
        self.assertEqual(lead.first_user_id, one)
        self.assertEqual(lead.handler_ids.assignment, "turn")
        self.assertEqual(lead.stage_id, qualified)
        self.assertEqual(lead.checklist_line_ids.filtered("done").done_by_id, head)

        # the proposal goes out and nobody calls for days: the SLA check flags it
        lead.write({"stage_id": proposal.id, "email_from": "pumps@clinic.example.com"})
        lead.sla_stage_date = LONG_AGO
        env["crm.lead"]._sla_check()
        self.assertTrue(lead.is_stalled)

        self.start_tour(
            f"/odoo/action-crm.crm_lead_opportunities/{lead.id}",
            "sales_playbook_closing_tour",
            login="pb_tour_head",
        )
        lead.invalidate_recordset()
        self.assertFalse(lead.active)
        self.assertEqual(lead.lost_reason_id.name, "Tour: no answer")
        answer = env["survey.user_input"].search([("lead_id", "=", lead.id)])
        self.assertEqual(answer.survey_id, survey)
        self.assertEqual(answer.lead_stage_id, proposal)
        self.assertTrue(
            env["mail.mail"].search([("email_to", "ilike", "pumps@clinic.example.com")])
        )
        notice = env["mail.message"].search(
            [("model", "=", "crm.lead"), ("res_id", "=", lead.id),
             ("subject", "ilike", "Lost after the proposal")]
        )  # fmt: skip
        self.assertEqual(notice.partner_ids, head.partner_id, "the team leader is told")
