from odoo.exceptions import AccessError

from .common import ClaimsLineCase


class TestClaimsLineAccess(ClaimsLineCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claim = cls.make_claim(
            cls, product=cls.product_roller, partner_id=cls.portal_a.partner_id.id
        )

    def test_claims_user_reads_and_sets_the_line(self):
        claim = self.claim.with_user(self.claims_user)
        self.assertEqual(claim.production_line_id, self.line_roller)
        claim.production_line_id = self.line_spare
        self.assertEqual(claim.production_line_id, self.line_spare)
        production = self.make_production(self.product_roller, line=self.line_vertical)
        claim.production_id = production.with_user(self.claims_user)
        self.assertEqual(claim.production_line_id, self.line_vertical)
        self.assertEqual(self.line_roller.with_user(self.claims_user).claim_count, 0)
        self.assertEqual(self.line_vertical.with_user(self.claims_user).claim_count, 1)
        # reading lines does not let claims staff change them
        with self.assertRaises(AccessError):
            self.line_roller.with_user(self.claims_user).name = "Renamed"

    def test_portal_customer_never_sees_the_production_side(self):
        claim = self.claim.with_user(self.portal_a)
        self.assertEqual(claim.name, "Claim", "the customer reads their own claim")
        with self.assertRaises(AccessError):
            claim.read(["production_line_id"])
        with self.assertRaises(AccessError):
            claim.read(["production_id"])
        with self.assertRaises(AccessError):
            self.env["production.line"].with_user(self.portal_a).search([])
        with self.assertRaises(AccessError):
            self.line_roller.with_user(self.portal_a).read(["claim_count"])

    def test_production_staff_without_claims_rights_see_no_claim_counts(self):
        line = self.line_roller.with_user(self.mrp_user)
        self.assertEqual(line.name, "Test roller line")
        with self.assertRaises(AccessError):
            line.read(["claim_count"])
        self.assertEqual(
            self.line_roller.with_user(self.claims_user).read(["claim_count"])[0]["claim_count"],
            1,
        )
        form = self.env["production.line"].with_user(self.mrp_user).get_view(view_type="form")
        self.assertNotIn("claim_count", form["arch"])
        manager_form = (
            self.env["production.line"].with_user(self.claims_manager).get_view(view_type="form")
        )
        self.assertIn("claim_count", manager_form["arch"])
