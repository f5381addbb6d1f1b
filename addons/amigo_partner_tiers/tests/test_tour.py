from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTiersTour(HttpCase):
    def test_partner_badge_recompute_history(self):
        env = self.env
        company = env.company
        policy = env["partner.tier.policy"].create(
            {"name": "Tour policy", "company_id": company.id, "sequence": 0,
             "target_volume": 1000, "target_wallet": 10}
        )  # fmt: skip
        dealer = env["res.partner"].create(
            {"name": "Tour dealer", "is_company": True, "estimated_purchase_volume": 5000}
        )
        # assessed a month ago: today's recompute adds the day's assessment (a second
        # recompute the same day would update it)
        policy._assess(company, dealer.ids, fields.Date.today() - relativedelta(months=1))
        self.assertEqual(dealer.tier_id, env.ref("amigo_partner_tiers.tier_black"))
        product = env["product.product"].create(
            {"name": "Tour motor", "type": "consu", "list_price": 1000, "standard_price": 100}
        )
        env["assortment.matrix"].create(
            {"name": "Tour matrix", "line_ids": [Command.create({"product_id": product.id})]}
        )
        dealer.assortment_matrix_id = env["assortment.matrix"].search(
            [("name", "=", "Tour matrix")]
        )
        order = env["sale.order"].create(
            {
                "partner_id": dealer.id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": 3, "price_unit": 1000}
                    )
                ],  # fmt: skip
            }
        )
        order.action_confirm()
        order.date_order = fields.Datetime.now() - relativedelta(days=10)
        self.start_tour(f"/odoo/res.partner/{dealer.id}", "amigo_partner_tiers_tour", login="admin")
        self.assertEqual(dealer.tier_id, env.ref("amigo_partner_tiers.tier_green"))
        self.assertEqual(dealer.tier_assessment_count, 2)
