from .common import ClaimsCase


class TestClaimSla(ClaimsCase):
    def activities(self, records, kind):
        activity_type = self.env.ref(f"funnel_sla.mail_activity_type_sla_{kind}")
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "in", records.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def test_stage_sla_comes_from_the_claims_stages(self):
        claim = self.make_claim()
        self.assertEqual(self.stage_registered.sla_hours, 8)
        self.assertGreater(claim.sla_deadline, claim.sla_stage_date)
        deadline = claim.sla_deadline
        claim.stage_id = self.stage_remedy  # 40 h
        self.assertGreater(claim.sla_deadline, deadline)

    def test_overdue_claim_is_flagged_once_and_its_responsible_gets_one_activity(self):
        late = self.make_claim(sla_stage_date=self.long_ago)
        fresh = self.make_claim(product=self.product_vertical)
        self.Ticket._sla_check()
        self.Ticket._sla_check()
        self.assertTrue(late.is_stalled)
        self.assertFalse(fresh.is_stalled)
        activity = self.activities(late, "stalled")
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.claims_user)
        self.assertFalse(self.activities(fresh, "stalled"))
        overdue = self.Ticket.search(
            [("is_claim", "=", True), ("is_stalled", "=", True), ("id", "in", (late | fresh).ids)]
        )
        self.assertEqual(overdue, late, "the Overdue filter finds it")

    def test_team_leader_is_told_past_the_second_limit(self):
        late = self.make_claim(sla_stage_date=self.long_ago)
        self.Ticket._sla_check()
        self.assertTrue(late.is_sla_escalated)
        escalation = self.activities(late, "escalation")
        self.assertEqual(escalation.user_id, self.claims_leader)
        self.Ticket._sla_check()
        self.assertEqual(len(self.activities(late, "escalation")), 1, "told once")

    def test_moving_on_clears_the_flag_and_the_reminders(self):
        late = self.make_claim(sla_stage_date=self.long_ago)
        self.Ticket._sla_check()
        self.assertTrue(late.is_stalled)
        late.with_user(self.claims_user2).stage_id = self.stage_investigation
        self.assertFalse(late.is_stalled)
        self.assertFalse(late.is_sla_escalated)
        self.assertFalse(self.activities(late, "stalled") | self.activities(late, "escalation"))

    def test_ordinary_tickets_are_not_checked(self):
        stage = self.env["helpdesk.ticket.stage"].create({"name": "Support (test)", "sla_hours": 1})
        ticket = self.Ticket.create(
            {
                "name": "Question",
                "description": "<p>?</p>",
                "stage_id": stage.id,
                "sla_stage_date": self.long_ago,
            }
        )
        self.assertTrue(ticket.sla_deadline)
        self.Ticket._sla_check()
        self.assertFalse(ticket.is_stalled, "the claims SLA check only looks at claims")

    def test_the_shared_cron_serves_claims(self):
        self.assertIn("helpdesk.ticket", self.env["funnel.sla.mixin"]._sla_model_names())
        late = self.make_claim(sla_stage_date=self.long_ago)
        self.env["funnel.sla.mixin"]._cron_check_sla()
        self.assertTrue(late.is_stalled)
