from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import NeedsCase


@tagged("post_install", "-at_install")
class TestConversion(NeedsCase):
    def test_convert_creates_opportunity_and_quotation(self):
        need = self.make_need(self.p1 | self.p2, qty=4)
        action = need.with_user(self.manager_1).action_convert_to_opportunity()
        lead = need.opportunity_id
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(action["res_id"], lead.id)
        self.assertEqual(lead.need_id, need)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, self.customer)
        self.assertEqual(lead.user_id, self.manager_1)
        order = need.order_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.need_id, need)
        self.assertEqual(order.opportunity_id, lead)
        self.assertEqual(order.order_line.product_id, self.p1 | self.p2)
        self.assertEqual(order.order_line.mapped("product_uom_qty"), [4.0, 4.0])
        self.assertEqual(need.state, "converted")
        self.assertFalse(need.active)
        with self.assertRaises(UserError):
            need.action_convert_to_opportunity()

    def test_need_number_reaches_order_and_invoice(self):
        need = self.make_need(self.p3)
        need.action_convert_to_opportunity()
        order = need.order_ids
        order.action_confirm()
        self.assertEqual(order.need_id, need)
        order.order_line.qty_delivered = 1
        invoice = order._create_invoices()
        self.assertEqual(invoice.need_id, need)
        # a further quotation made from the opportunity carries the need too
        order2 = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "opportunity_id": need.opportunity_id.id,
                "order_line": [Command.create({"product_id": self.p4.id})],
            }
        )
        self.assertEqual(order2.need_id, need)

    def test_only_open_needs_convert(self):
        need = self.make_need(self.p5)
        need.mark_lost("No budget")
        with self.assertRefused(UserError, need.name):
            need.action_convert_to_opportunity()

    def test_form_actions_open_the_right_records(self):
        kept = self.make_need(self.p6)
        need = self.make_need(self.p6, user=self.manager_2)
        action = need.with_context(need_close_type="duplicate").action_open_close_wizard()
        self.assertEqual(action["res_model"], "customer.need.close.wizard")
        self.assertEqual(action["context"]["default_duplicate_of_id"], kept.id)
        wizard = (
            self.env["customer.need.close.wizard"]
            .with_user(self.manager_2)
            .with_context(**action["context"])
            .create({"comment": "The dealer's need is kept"})
        )
        wizard.action_confirm()
        self.assertEqual(need.state, "duplicate")
        self.assertEqual(need.duplicate_of_id, kept)
        kept.action_convert_to_opportunity()
        self.assertEqual(kept.action_view_opportunity()["res_id"], kept.opportunity_id.id)
        orders_action = kept.action_view_orders()
        self.assertEqual(orders_action["res_id"], kept.order_ids.id)
