from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TiersCase


@tagged("post_install", "-at_install")
class TestAccess(TiersCase):
    def setUp(self):
        super().setUp()
        self.make_order(self.dealer, [(self.blind, 10, 100.0)], "2026-03-01")
        self.assessment = self.assess(self.dealer)

    def test_user_reads_but_does_not_edit_policy_or_history(self):
        Policy = self.env["partner.tier.policy"].with_user(self.tier_user)
        self.assertTrue(Policy.search([("id", "=", self.policy.id)]))
        with self.assertRaises(AccessError):
            self.policy.with_user(self.tier_user).write({"period_months": 6})
        with self.assertRaises(AccessError):
            self.env["partner.tier"].with_user(self.tier_user).create(
                {"name": "Gold", "code": "green"}
            )
        assessment = self.assessment.with_user(self.tier_user)
        # volume 40 + trend neutral 10 + wallet 50% 20 + matrix 1/4 2.5 = 72.5
        self.assertEqual(assessment.tier_id, self.tiers["green"])
        self.assertAlmostEqual(assessment.score, 72.5)
        with self.assertRaises(AccessError):
            assessment.write({"score": 100})
        with self.assertRaises(AccessError):
            assessment.unlink()
        with self.assertRaises(AccessError):
            self.matrix.with_user(self.tier_user).write({"name": "Mine"})
        # but may re-assess partners
        self.dealer.with_user(self.tier_user).action_recompute_tier()
        self.assertEqual(self.dealer.tier_assessment_count, 2)

    def test_manager_edits_policy_and_matrices(self):
        self.policy.with_user(self.tier_manager).write({"period_months": 6})
        self.assertEqual(self.policy.period_months, 6)
        self.matrix.with_user(self.tier_manager).write({"name": "Renamed matrix"})
        self.env["partner.tier.policy"].with_user(self.tier_manager).create(
            {"name": "Manager policy"}
        )
        with self.assertRaises(AccessError):
            self.assessment.with_user(self.tier_manager).write({"score": 100})
        self.assessment.with_user(self.tier_manager).unlink()
        self.assertFalse(self.assessment.exists())

    def test_portal_sees_nothing(self):
        for model in ("partner.tier.policy", "partner.tier.assessment", "assortment.matrix",
                      "partner.development.program"):  # fmt: skip
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            self.dealer.with_user(self.portal_user).action_recompute_tier()

    def test_internal_user_without_group_cannot_recompute(self):
        from odoo.tests import new_test_user

        plain = new_test_user(
            self.env, login="tier_plain", groups="base.group_user,base.group_partner_manager"
        )
        self.dealer.with_user(plain).write({"comment": "may edit the partner"})
        with self.assertRaises(AccessError):
            self.env["partner.tier.assessment"].with_user(plain).search([])
        # the partner is editable by any employee; the history stays out of reach
        with self.assertRaises(AccessError):
            self.dealer.with_user(plain).action_recompute_tier()
