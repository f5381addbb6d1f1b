from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """What the demo data promise (issue 6): claims in every stage, one overdue, causes of
    each category, and claims registered and closed days ago, so that the dashboard's time
    to close shows real figures rather than the seconds of the install."""

    def ref(self, xmlid):
        record = self.env.ref(f"claims.{xmlid}", raise_if_not_found=False)
        self.assertTrue(record, "the demo data of claims are not loaded")
        return record

    def demo_claims(self):
        return self.env["helpdesk.ticket"].browse(
            self.ref(xmlid).id
            for xmlid in (
                "claim_registered",
                "claim_investigation_overdue",
                "claim_decision",
                "claim_remedy",
                "claim_closed_process",
                "claim_closed_human",
                "claim_closed_material",
                "claim_rejected",
            )
        )

    def test_demo_claims_fill_every_stage_and_one_is_overdue(self):
        claims = self.demo_claims()
        stages = (
            self.ref("helpdesk_team_claims")._get_applicable_stages().filtered("is_claim_stage")
        )
        self.assertEqual(set(claims.stage_id), set(stages), "a claim in every stage")
        self.assertEqual(claims.filtered("is_stalled"), self.ref("claim_investigation_overdue"))
        categories = self.env["claim.cause"].search([]).mapped("category")
        self.assertEqual(
            set(categories), {"process", "human", "material", "supplier", "logistics", "other"}
        )

    def test_demo_claims_were_closed_days_after_their_registration(self):
        for xmlid, hours in (
            ("claim_closed_process", 6 * 24),
            ("claim_closed_human", 2 * 24),
            ("claim_closed_material", 3 * 24),
            ("claim_rejected", 24),
        ):
            self.assertAlmostEqual(self.ref(xmlid).claim_close_hours, hours, delta=0.1)
        board = self.env["claim.dashboard"].create({})
        self.assertGreater(board.avg_close_hours, 24)
        self.assertGreater(board.p90_close_hours, board.avg_close_hours)
