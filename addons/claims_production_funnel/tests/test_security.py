from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .common import ClaimsLineCase


class TestClaimsLineSecurity(ClaimsLineCase):
    """Claims staff read the production side of a claim and nothing of sales; the
    production order and line never cross companies nor reach the portal (issue 15)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls.make_production(cls, cls.product_roller, line=cls.line_spare)
        cls.claim = cls.make_claim(
            cls,
            product=cls.product_roller,
            partner_id=cls.portal_a.partner_id.id,
            production_id=cls.production.id,
        )
        cls.company_b = cls.env["res.company"].create({"name": "Claims lines company B"})
        cls.line_b = cls.env["production.line"].create(
            {"name": "Line of company B", "code": "TLB", "company_id": cls.company_b.id}
        )
        cls.production_b = (
            cls.env["mrp.production"]
            .with_company(cls.company_b)
            .create(
                {
                    "product_id": cls.product_roller.id,
                    "product_qty": 1,
                    "company_id": cls.company_b.id,
                }
            )
        )
        cls.lead = cls.env["crm.lead"].create(
            {"name": "A lead that has nothing to do with claims", "expected_revenue": 5000}
        )

    def test_claims_staff_read_the_production_side_but_change_no_order_nor_lead(self):
        for user in (self.claims_user, self.claims_manager):
            form = Form(self.claim.with_user(user))
            self.assertEqual(form.production_id, self.production)
            self.assertEqual(form.production_line_id, self.line_spare)
            production = self.production.with_user(user)
            self.assertEqual(production.read(["name"])[0]["name"], self.production.name)
            with self.assertRaises(AccessError):
                production.write({"product_qty": 7})
            with self.assertRaises(AccessError):
                self.env["mrp.production"].with_user(user).create(
                    {"product_id": self.product_roller.id, "product_qty": 1}
                )
            with self.assertRaises(AccessError):
                self.lead.with_user(user).read(["name", "expected_revenue"])
            with self.assertRaises(AccessError):
                self.env["crm.lead"].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.lead.with_user(user).write({"expected_revenue": 1})
            with self.assertRaises(AccessError):
                self.order_a.with_user(user).write({"client_order_ref": "claims"})
        self.production.invalidate_recordset()
        self.assertEqual(self.production.product_qty, 1)
        self.assertEqual(self.lead.expected_revenue, 5000)
        self.assertFalse(self.order_a.client_order_ref)

    def test_production_order_and_line_stay_within_the_claims_company(self):
        user = self.claims_user
        with self.assertRaises(AccessError):
            self.line_b.with_user(user).read(["name"])
        with self.assertRaises(AccessError):
            self.production_b.with_user(user).read(["name"])
        self.assertNotIn(self.line_b, self.env["production.line"].with_user(user).search([]))
        claim = self.claim.with_user(user)
        for vals in (
            {"production_line_id": self.line_b.id},
            {"production_id": self.production_b.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                claim.write(vals)
            # not even an administrator of both companies links them
            with self.assertRaises(UserError):
                self.claim.write(vals)
        self.claim.invalidate_recordset()
        self.assertEqual(self.claim.production_id, self.production)
        self.assertEqual(self.claim.production_line_id, self.line_spare)

    def test_portal_customer_reaches_no_production_order(self):
        with self.assertRaises(AccessError):
            self.production.with_user(self.portal_a).read(["name"])
        with self.assertRaises(AccessError):
            self.claim.with_user(self.portal_a).search_read(
                [("id", "=", self.claim.id)], ["production_id", "production_line_id"]
            )
        with self.assertRaises(AccessError):
            self.claim.with_user(self.portal_a).write({"production_line_id": self.line_roller.id})
