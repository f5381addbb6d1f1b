from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestClaimsTour(HttpCase):
    def test_register_investigate_refuse_then_close(self):
        env = self.env
        # a claims user, not an administrator: the flow works with the group's rights
        user = new_test_user(
            env,
            login="claims_tour_user",
            name="Claims Tour User",
            groups="claims.group_claims_user",
        )
        order = env["sale.order"].create(
            {
                "partner_id": env["res.partner"].create({"name": "Tour dealer"}).id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": env["product.product"]
                            .create({"name": "Tour roller blind", "type": "consu"})
                            .id,
                            "product_uom_qty": 3,
                        },
                    )
                ],
            }
        )
        order.action_confirm()
        cause = env["claim.cause"].create({"name": "Tour: measuring", "category": "human"})
        claim = env["helpdesk.ticket"].create(
            {
                "name": "Tour: blinds too short",
                "description": "<p>Too short</p>",
                "is_claim": True,
                "sale_order_id": order.id,
                "product_id": order.order_line.product_id.id,
                "user_id": user.id,
            }
        )
        self.assertEqual(claim.stage_id, env.ref("claims.stage_claim_registered"))
        overdue = claim.copy(
            {"name": "Tour: overdue claim", "sla_stage_date": "2020-01-06 06:00:00"}
        )
        env["helpdesk.ticket"]._sla_check()
        self.assertTrue(overdue.is_stalled)
        self.assertFalse(claim.is_stalled)
        self.start_tour(
            "/odoo/action-claims.helpdesk_ticket_claim_action",
            "claims_tour",
            login="claims_tour_user",
        )
        claim.invalidate_recordset()
        self.assertEqual(claim.stage_id, env.ref("claims.stage_claim_closed"))
        self.assertEqual(claim.claim_cause_id, cause)
        self.assertIn("without the frame", claim.conclusion)
        self.assertTrue(claim.closed_date)
