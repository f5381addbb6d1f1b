from odoo.exceptions import ValidationError
from odoo.tests import Form

from .common import ClaimsLineCase


class TestClaimProductionLine(ClaimsLineCase):
    def test_line_from_the_product_category(self):
        claim = self.make_claim(product=self.product_roller)
        self.assertEqual(claim.production_line_id, self.line_roller)

    def test_line_named_on_the_product(self):
        claim = self.make_claim(product=self.product_vertical)
        self.assertEqual(claim.production_line_id, self.line_vertical)

    def test_product_of_no_line(self):
        order = self._make_order(self.customer_a, [(self.product_other, 2)])
        claim = self.make_claim(order=order, product=self.product_other)
        self.assertFalse(claim.production_line_id)

    def test_line_from_the_production_order(self):
        # the order was made on another line than the product's usual one: it wins
        production = self.make_production(self.product_roller, line=self.line_spare)
        self.assertEqual(production.production_line_id, self.line_spare)
        claim = self.make_claim(product=self.product_roller)
        self.assertEqual(claim.production_line_id, self.line_roller)
        claim.production_id = production
        self.assertEqual(claim.production_line_id, self.line_spare)
        # the order is corrected: the claim follows
        production.production_line_id = self.line_vertical
        self.assertEqual(claim.production_line_id, self.line_vertical)
        # without the order, back to the product's line
        claim.production_id = False
        self.assertEqual(claim.production_line_id, self.line_roller)

    def test_production_order_without_line_falls_back_to_the_product(self):
        production = self.make_production(self.product_roller)
        production.production_line_id = False
        claim = self.make_claim(product=self.product_roller, production_id=production.id)
        self.assertEqual(claim.production_line_id, self.line_roller)

    def test_manual_override(self):
        claim = self.make_claim(product=self.product_roller)
        claim.with_user(self.claims_user).production_line_id = self.line_spare
        self.assertEqual(claim.production_line_id, self.line_spare)
        # working the claim keeps the line chosen by hand
        claim.write({"stage_id": self.stage_investigation.id, "claim_quantity": 2})
        claim.write(dict(self.close_values(), stage_id=self.stage_closed.id))
        self.assertEqual(claim.production_line_id, self.line_spare)
        # another product: its line again
        other = self.make_claim(product=self.product_roller)
        other.production_line_id = self.line_spare
        other.product_id = self.product_vertical
        self.assertEqual(other.production_line_id, self.line_vertical)

    def test_manual_line_kept_for_a_product_of_no_line(self):
        order = self._make_order(self.customer_a, [(self.product_other, 2)])
        claim = self.make_claim(
            order=order, product=self.product_other, production_line_id=self.line_spare.id
        )
        self.assertEqual(claim.production_line_id, self.line_spare)

    def test_production_order_of_another_product_is_refused(self):
        production = self.make_production(self.product_vertical)
        claim = self.make_claim(product=self.product_roller)
        with self.assertRaisesRegex(ValidationError, "not the claimed product"):
            claim.production_id = production
        claim.invalidate_recordset()
        self.assertFalse(claim.production_id)

    def test_line_of_another_company_is_refused(self):
        other_company = self.env["res.company"].create({"name": "Other blinds factory"})
        foreign_line = self.env["production.line"].create(
            {"name": "Foreign line", "code": "FL", "company_id": other_company.id}
        )
        claim = self.make_claim(product=self.product_roller)
        with self.assertRaisesRegex(ValidationError, "Other blinds factory"):
            claim.production_line_id = foreign_line
        claim.invalidate_recordset()
        self.assertEqual(claim.production_line_id, self.line_roller)

    def test_form_shows_the_line_as_the_claim_is_filled(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.claims_user)
        form = Form(Ticket.with_context(default_is_claim=True, default_team_id=self.team.id))
        form.name = "Frayed edges"
        form.description = "<p>Frayed</p>"
        form.sale_order_id = self.order_a
        form.product_id = self.product_vertical
        self.assertEqual(form.production_line_id, self.line_vertical)
        form.product_id = self.product_roller
        self.assertEqual(form.production_line_id, self.line_roller)
        production = self.make_production(self.product_roller, line=self.line_spare)
        form.production_id = production
        self.assertEqual(form.production_line_id, self.line_spare)
        claim = form.save()
        self.assertEqual(claim.production_line_id, self.line_spare)
        self.assertEqual(claim.production_id, production)
