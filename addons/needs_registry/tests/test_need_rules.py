from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import NeedsCase


@tagged("post_install", "-at_install")
class TestNeedRules(NeedsCase):
    def test_number_from_sequence_and_defaults(self):
        need = self.make_need(self.p1 | self.p2)
        self.assertTrue(need.name.startswith("NEED/"), need.name)
        self.assertEqual(need.state, "open")
        self.assertEqual(need.user_id, self.manager_1)
        other = self.make_need(self.p3)
        self.assertNotEqual(need.name, other.name)
        self.assertEqual(need.product_count, 2)
        self.assertAlmostEqual(need.amount_total, 10.0 + 20.0)

    def test_period_ending_before_start_is_refused(self):
        with self.assertRefused(ValidationError, "Needed Until"):
            self.make_need(self.p1, date_start="2030-02-01", date_end="2030-01-15")

    def test_quantity_must_be_positive(self):
        with self.assertRefused(ValidationError, "Quantity"):
            self.make_need(self.p1, qty=0)
        need = self.make_need(self.p1)
        with self.assertRefused(ValidationError, "Quantity"):
            need.line_ids.product_uom_qty = -3

    def test_need_without_lines_is_refused(self):
        with self.assertRefused(ValidationError, "Products"):
            self.env["customer.need"].create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.manager_1.id,
                }
            )
        need = self.make_need(self.p1 | self.p2)
        with self.assertRefused(ValidationError, "Products"):
            need.write({"line_ids": [Command.clear()]})
        # the lines deleted on their own: refused before commit (flush runs the hooks)
        with self.assertRefused(ValidationError, "Products"):
            need.line_ids.unlink()
            self.env.cr.flush()
        self.assertEqual(len(need.line_ids), 2)

    def test_closing_requires_comment_and_target(self):
        kept = self.make_need(self.p1)
        need = self.make_need(self.p1, user=self.manager_2)
        with self.assertRefused(ValidationError, "Closing Comment"):
            need.mark_duplicate(kept.id, "  ")
        with self.assertRefused(ValidationError, "Duplicate Of"):
            need.mark_duplicate(False, "same customer")
        with self.assertRefused(ValidationError, "itself"):
            need.mark_duplicate(need.id, "same customer")
        with self.assertRefused(ValidationError, "Closing Comment"):
            need.mark_lost("")
        self.assertEqual(need.state, "open")

    def test_mark_duplicate_and_lost(self):
        kept = self.make_need(self.p1)
        need = self.make_need(self.p1, user=self.manager_2)
        need.mark_duplicate(kept.id, "The dealer buys for this hospital")
        self.assertEqual(need.state, "duplicate")
        self.assertEqual(need.duplicate_of_id, kept)
        self.assertEqual(need.close_comment, "The dealer buys for this hospital")
        with self.assertRaises(UserError):
            need.mark_lost("again")
        reason = self.env["crm.lost.reason"].create({"name": "Too expensive"})
        kept.mark_lost("Bought elsewhere", lost_reason_id=reason.id)
        self.assertEqual(kept.state, "lost")
        self.assertEqual(kept.lost_reason_id, reason)
        kept.action_reopen()
        self.assertEqual(kept.state, "open")
        self.assertFalse(kept.close_comment)

    def test_close_wizard_requires_reason_for_lost(self):
        need = self.make_need(self.p4)
        wizard = self.env["customer.need.close.wizard"].create(
            {
                "need_ids": [Command.set(need.ids)],
                "close_type": "lost",
                "comment": "No budget",
            }
        )
        with self.assertRefused(ValidationError, "Lost Reason"):
            wizard.action_confirm()
        wizard.lost_reason_id = self.env["crm.lost.reason"].create({"name": "No budget"})
        wizard.action_confirm()
        self.assertEqual(need.state, "lost")

    def test_form_fills_unit_and_price_from_product(self):
        uom_dozen = self.env.ref("uom.product_uom_dozen")
        self.p5.product_tmpl_id.write({"uom_id": uom_dozen.id, "uom_po_id": uom_dozen.id})
        form = Form(self.env["customer.need"].with_user(self.manager_1))
        form.partner_id = self.customer
        with form.line_ids.new() as line:
            line.product_id = self.p5
            self.assertEqual(line.price_unit, 50.0)
            line.product_uom_qty = 3
        need = form.save()
        self.assertEqual(need.user_id, self.manager_1)
        self.assertEqual(need.line_ids.product_uom, uom_dozen)
        self.assertAlmostEqual(need.amount_total, 150.0)
        self.assertEqual(
            need.team_id, self.env["crm.team"]._get_default_team_id(user_id=self.manager_1.id)
        )
