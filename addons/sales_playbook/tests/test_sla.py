from .common import LONG_AGO, PlaybookCase


class TestDealsNeverHang(PlaybookCase):
    """The funnel_sla stage SLA on deals: a follow-up for the salesperson, then the team
    leader or the head of sales."""

    def setUp(self):
        super().setUp()
        self.lead = self.make_lead(name="Proposal waiting", stage_id=self.s_proposal.id)
        self.lead.sla_stage_date = LONG_AGO

    def activities(self, kind):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", self.lead.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref(f"funnel_sla.mail_activity_type_sla_{kind}").id,
                ),
            ]
        )

    def test_crm_proposal_stage_has_three_working_days(self):
        stage = self.env.ref("crm.stage_lead3")
        self.assertEqual((stage.sla_hours, stage.sla_escalation_hours), (24, 16))
        self.assertTrue(stage.playbook_proposal)

    def test_a_stalled_proposal_gets_one_follow_up_then_escalates_to_the_leader(self):
        self.assertTrue(self.lead.sla_deadline)
        self.env["crm.lead"]._sla_check()
        self.env["crm.lead"]._sla_check()
        self.assertTrue(self.lead.is_stalled)
        self.assertEqual(self.activities("stalled").user_id, self.lead.user_id, "one, not two")
        self.assertEqual(self.activities("escalation").user_id, self.head)
        self.assertIn("PB Proposal sent", self.activities("stalled").summary)

    def test_without_team_leader_the_head_of_sales_is_told(self):
        self.team.user_id = False
        self.company.playbook_sales_head_id = self.intake
        self.env["crm.lead"]._sla_check()
        self.assertEqual(self.activities("escalation").user_id, self.intake)

    def test_moving_on_ends_the_follow_up(self):
        self.env["crm.lead"]._sla_check()
        owner = self.lead.user_id
        self.lead.checklist_line_ids.filtered("required").with_user(owner).write({"done": True})
        self.lead.with_user(owner).stage_id = self.s_won
        self.assertFalse(self.lead.is_stalled)
        self.assertFalse(self.activities("stalled"))

    def test_won_and_lost_deals_do_not_hang(self):
        self.s_won.sla_hours = 1  # even a won stage with an SLA
        won = self.make_lead(name="Won", stage_id=self.s_won.id)
        won.sla_stage_date = LONG_AGO
        self.lead.action_set_lost(lost_reason_id=self.reason.id)
        self.env["crm.lead"]._sla_check()
        self.assertFalse(won.is_stalled)
        self.assertFalse(self.lead.is_stalled)
