from odoo.exceptions import ValidationError

from .common import ClaimsCase


class TestClaimRules(ClaimsCase):
    def test_new_claim_lands_in_the_claims_team_first_stage(self):
        claim = self.make_claim()
        self.assertEqual(claim.team_id, self.team)
        self.assertEqual(claim.stage_id, self.stage_registered)
        self.assertTrue(claim.sla_deadline, "the Registered stage has an SLA")
        self.assertFalse(claim.is_stalled)
        plain = self.Ticket.create({"name": "Question", "description": "<p>?</p>"})
        self.assertFalse(plain.is_claim)

    def test_product_must_belong_to_the_order(self):
        with self.assertRaisesRegex(ValidationError, "is not in the sale order"):
            self.make_claim(product=self.product_other)
        claim = self.make_claim()
        with self.assertRaisesRegex(ValidationError, "Test cornice"):
            claim.product_id = self.product_other
        claim.invalidate_recordset()
        self.assertEqual(claim.product_id, self.product_roller)

    def test_quantity_cannot_exceed_the_ordered_quantity_nor_be_negative(self):
        claim = self.make_claim(claim_quantity=10)
        self.assertEqual(claim.claim_quantity, 10)
        with self.assertRaisesRegex(ValidationError, "exceeds the quantity"):
            claim.claim_quantity = 11
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            claim.claim_quantity = -1
        claim.invalidate_recordset()
        self.assertEqual(claim.claim_quantity, 10)

    def test_closing_without_cause_and_conclusion_is_refused_naming_both(self):
        claim = self.make_claim()
        claim.stage_id = self.stage_investigation
        with self.assertRaises(ValidationError) as caught:
            claim.stage_id = self.stage_closed
        message = str(caught.exception)
        self.assertIn("Cause", message)
        self.assertIn("Conclusion", message)
        self.assertNotIn("Corrective", message)
        claim.invalidate_recordset()
        self.assertEqual(claim.stage_id, self.stage_investigation, "data unchanged")
        self.assertFalse(claim.closed_date)

    def test_closing_with_only_a_conclusion_names_the_cause(self):
        claim = self.make_claim(conclusion="Done")
        with self.assertRaises(ValidationError) as caught:
            claim.stage_id = self.stage_closed
        self.assertIn("Cause", str(caught.exception))
        self.assertNotIn("Conclusion", str(caught.exception))

    def test_process_cause_needs_corrective_action_responsible_and_date(self):
        claim = self.make_claim()
        claim.write(self.close_values(self.cause_process))
        with self.assertRaises(ValidationError) as caught:
            claim.stage_id = self.stage_closed
        message = str(caught.exception)
        for label in (
            "Corrective Action",
            "Corrective Action Responsible",
            "Corrective Action Due",
        ):
            self.assertIn(label, message)
        with self.assertRaises(ValidationError) as caught:
            claim.write({"stage_id": self.stage_closed.id, "corrective_action": "Add a check step"})
        self.assertIn("Corrective Action Responsible", str(caught.exception))
        claim.invalidate_recordset()
        self.assertEqual(claim.stage_id, self.stage_registered)
        claim.write(
            {
                "stage_id": self.stage_closed.id,
                "corrective_action": "Add a check step",
                "corrective_user_id": self.claims_user2.id,
                "corrective_date": "2030-01-31",
            }
        )
        self.assertTrue(claim.closed)
        self.assertEqual(claim.cause_category, "process")

    def test_human_cause_closes_with_conclusion_and_records_time_to_close(self):
        claim = self.make_claim()
        claim.write(dict(self.close_values(), stage_id=self.stage_closed.id))
        self.assertTrue(claim.closed_date)
        self.assertEqual(claim.cause_category, "human")
        self.assertGreaterEqual(claim.claim_close_hours, 0.0)
        # a closed claim keeps its conclusion
        with self.assertRaisesRegex(ValidationError, "Conclusion"):
            claim.conclusion = "  "

    def test_rejection_needs_a_reason_but_no_cause(self):
        claim = self.make_claim()
        with self.assertRaisesRegex(ValidationError, "Rejection Reason"):
            claim.stage_id = self.stage_rejected
        claim.invalidate_recordset()
        self.assertEqual(claim.stage_id, self.stage_registered)
        claim.write(
            {"stage_id": self.stage_rejected.id, "rejection_reason": "Measured by the customer"}
        )
        self.assertTrue(claim.claim_rejected)
        self.assertFalse(claim.claim_cause_id)

    def test_claim_created_closed_is_dated_and_checked(self):
        with self.assertRaisesRegex(ValidationError, "Conclusion"):
            self.make_claim(stage_id=self.stage_closed.id, claim_cause_id=self.cause_human.id)
        claim = self.make_claim(stage_id=self.stage_closed.id, **self.close_values())
        self.assertTrue(claim.closed_date)

    def test_ordinary_ticket_closes_without_claim_fields(self):
        stage = self.env["helpdesk.ticket.stage"].create({"name": "Done (test)", "closed": True})
        ticket = self.Ticket.create({"name": "Question", "description": "<p>?</p>"})
        ticket.stage_id = stage
        self.assertTrue(ticket.closed)

    def test_the_order_counts_and_opens_its_claims(self):
        claims = self.make_claim() | self.make_claim(product=self.product_vertical)
        self.make_claim(order=self.order_b)
        self.assertEqual(self.order_a.claim_count, 2)
        action = self.order_a.action_view_claims()
        self.assertEqual(self.Ticket.search(action["domain"]), claims)
        self.assertEqual(action["context"]["default_sale_order_id"], self.order_a.id)

    def test_claims_kanban_shows_every_claims_stage_and_only_those(self):
        self.make_claim()
        groups = self.Ticket.with_context(default_is_claim=True).read_group(
            [("is_claim", "=", True)], ["stage_id"], ["stage_id"]
        )
        stages = self.env["helpdesk.ticket.stage"].browse(
            [group["stage_id"][0] for group in groups]
        )
        claim_stages = (
            self.stage_registered
            | self.stage_investigation
            | self.stage_decision
            | self.stage_remedy
            | self.stage_closed
            | self.stage_rejected
        )
        self.assertEqual(
            claim_stages - stages,
            self.env["helpdesk.ticket.stage"],
            "empty claims stages are shown as columns too",
        )
        self.assertFalse(
            stages.filtered(lambda stage: not stage.is_claim_stage),
            "no helpdesk stage among the claims columns",
        )
        self.assertEqual(self.team._get_applicable_stages(), claim_stages)
