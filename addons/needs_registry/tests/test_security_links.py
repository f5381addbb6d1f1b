from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import NeedsCase


@tagged("post_install", "-at_install")
class TestNeedLinks(NeedsCase):
    """The need number an opportunity, a quotation and an invoice carry is set by the
    conversion of the need, never by hand: a salesman pointing their deal at another
    manager's need would carry its number to invoices and hide the deal from that need's
    duplicate detection (a quotation of the need's own opportunity is not its duplicate)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.theirs = cls.make_need(cls.p1 | cls.p2 | cls.p3, user=cls.manager_2)
        cls.lead, cls.order = cls.make_deal(cls.p1 | cls.p2 | cls.p3, user=cls.manager_1)
        cls.lead.user_id = cls.manager_1
        cls.order.user_id = cls.manager_1
        cls.accountant = new_test_user(
            cls.env, login="needs_accountant", groups="account.group_account_invoice"
        )

    def test_a_deal_is_never_pointed_at_a_need_by_hand(self):
        self.assertIn(self.order, self.theirs.match_ids.matched_order_id)
        lead = self.lead.with_user(self.manager_1)
        order = self.order.with_user(self.manager_1)
        with self.assertRaises(AccessError):
            lead.write({"need_id": self.theirs.id})
        with self.assertRaises(AccessError):
            order.write({"need_id": self.theirs.id})
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.manager_1).create(
                {"name": "Pointed lead", "need_id": self.theirs.id}
            )
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.manager_1).create(
                {
                    "partner_id": self.dealer.id,
                    "opportunity_id": self.lead.id,
                    "need_id": self.theirs.id,
                    "order_line": [Command.create({"product_id": self.p4.id})],
                }
            )
        self.assertFalse(self.lead.need_id)
        self.assertFalse(self.order.need_id)
        self.assertFalse(self.theirs.order_ids)
        self.assertIn(self.order, self.theirs.match_ids.matched_order_id)

    def test_an_invoice_is_never_pointed_at_a_need_by_hand(self):
        invoice = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.dealer.id}
        )
        with self.assertRaises(AccessError):
            invoice.with_user(self.accountant).write({"need_id": self.theirs.id})
        with self.assertRaises(AccessError):
            self.env["account.move"].with_user(self.accountant).create(
                {"move_type": "out_invoice", "partner_id": self.dealer.id,
                 "need_id": self.theirs.id}
            )  # fmt: skip
        self.assertFalse(invoice.need_id)

    def test_the_conversion_still_links_the_deal_and_its_invoice(self):
        need = self.make_need(self.p5 | self.p6, user=self.manager_1)
        need.with_user(self.manager_1).action_convert_to_opportunity()
        self.assertEqual(need.opportunity_id.need_id, need)
        order = need.order_ids
        self.assertEqual(order.need_id, need)
        # a further quotation of the opportunity, made by its salesman, carries it too
        order2 = (
            self.env["sale.order"]
            .with_user(self.manager_1)
            .create(
                {
                    "partner_id": self.customer.id,
                    "opportunity_id": need.opportunity_id.id,
                    "order_line": [Command.create({"product_id": self.p4.id})],
                }
            )
        )
        self.assertEqual(order2.need_id, need)
        order.with_user(self.manager_1).action_confirm()
        order.order_line.qty_delivered = 1
        invoice = order.with_user(self.manager_1)._create_invoices()
        self.assertEqual(invoice.need_id, need)
