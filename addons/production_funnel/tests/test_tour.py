from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestProductionFunnelTour(HttpCase):
    def test_move_an_order_through_the_spec_gate(self):
        env = self.env
        category = env["product.category"].create({"name": "PF Tour blinds"})
        line = env["production.line"].create(
            {
                "name": "PF Tour line",
                "code": "PFT",
                "product_category_ids": [Command.link(category.id)],
                "spec_field_ids": [
                    Command.set(
                        [
                            env.ref("production_funnel.field_mrp_production__spec_width").id,
                            env.ref("production_funnel.field_mrp_production__spec_height").id,
                        ]
                    )
                ],
            }
        )
        product = env["product.product"].create(
            {"name": "PF Tour blind", "type": "consu", "categ_id": category.id}
        )
        production = env["mrp.production"].create(
            {"product_id": product.id, "product_qty": 2, "user_id": env.ref("base.user_admin").id}
        )
        self.assertEqual(production.production_line_id, line)
        self.assertEqual(
            production.funnel_stage_id, env.ref("production_funnel.stage_waiting_spec")
        )
        self.start_tour(
            "/odoo/action-production_funnel.action_production_funnel",
            "production_funnel_tour",
            login="admin",
        )
        production.invalidate_recordset()
        self.assertEqual(production.funnel_stage_id, env.ref("production_funnel.stage_queued"))
        self.assertEqual((production.spec_width, production.spec_height), (1200.0, 1600.0))
