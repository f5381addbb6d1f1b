from odoo.tests import Form

from .common import ClaimsCase


class TestClaimOnchange(ClaimsCase):
    def test_order_fills_customer_and_limits_products(self):
        form = Form(self.Ticket.with_context(default_is_claim=True, default_team_id=self.team.id))
        form.name = "Wrong width"
        form.description = "<p>Too narrow</p>"
        form.sale_order_id = self.order_a
        self.assertEqual(form.partner_id, self.customer_a)
        self.assertEqual(
            set(form.claim_product_ids.ids),
            {self.product_roller.id, self.product_vertical.id},
        )
        self.assertFalse(form.product_id, "two products: the user chooses")
        form.product_id = self.product_vertical
        self.assertEqual(form.claim_quantity, 4, "defaults to the ordered quantity")
        form.claim_quantity = 1
        claim = form.save()
        self.assertTrue(claim.is_claim)
        self.assertEqual(claim.stage_id, self.stage_registered)

    def test_changing_the_order_drops_a_product_it_does_not_contain(self):
        form = Form(self.Ticket.with_context(default_is_claim=True, default_team_id=self.team.id))
        form.name = "Claim"
        form.description = "<p>x</p>"
        form.sale_order_id = self.order_a
        form.product_id = self.product_vertical
        form.sale_order_id = self.order_b
        self.assertEqual(
            form.product_id, self.product_roller, "the only product of the new order is proposed"
        )
