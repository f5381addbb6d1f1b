from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestNeedsTour(HttpCase):
    def test_create_see_duplicate_then_convert(self):
        env = self.env
        other_manager = new_test_user(
            env,
            login="tour_need_manager",
            name="Tour Manager",
            groups="needs_registry.group_need_user",
        )
        syringe, bandage = env["product.product"].create(
            [
                {"name": "Tour syringe", "external_code": "TOUR-1", "type": "consu"},
                {"name": "Tour bandage", "external_code": "TOUR-2", "type": "consu"},
            ]
        )
        dealer = env["res.partner"].create({"name": "Tour dealer", "is_company": True})
        hospital = env["res.partner"].create({"name": "Tour hospital", "is_company": True})
        # the dealer asks for the hospital it delivers to: the hospital's own need is
        # likely the same demand (a possible duplicate, not the same kit elsewhere)
        dealer_need = env["customer.need"].create(
            {
                "partner_id": dealer.id,
                "partner_shipping_id": hospital.id,
                "user_id": other_manager.id,
                "line_ids": [
                    Command.create({"product_id": p.id, "product_uom_qty": 10})
                    for p in (bandage, syringe)
                ],
            }
        )
        self.start_tour(
            "/odoo/action-needs_registry.customer_need_action", "needs_registry_tour", login="admin"
        )
        need = (
            env["customer.need"]
            .with_context(active_test=False)
            .search([("partner_id.name", "=", "Tour hospital")])
        )
        self.assertEqual(len(need), 1)
        self.assertEqual(need.state, "converted")
        self.assertEqual(need.match_ids.matched_need_id, dealer_need)
        self.assertEqual(need.opportunity_id.need_id, need)
        self.assertEqual(need.order_ids.order_line.product_id, syringe | bandage)
