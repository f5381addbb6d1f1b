from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TiersCase


@tagged("post_install", "-at_install")
class TestPolicy(TiersCase):
    def test_weights_must_sum_to_100(self):
        with self.assertRaisesRegex(ValidationError, "must sum to 100, they sum to 110"):
            self.policy.weight_volume = 50
            self.policy.flush_recordset()
        with self.assertRaisesRegex(ValidationError, "Broken weights"):
            self.env["partner.tier.policy"].create({"name": "Broken weights", "weight_volume": 10})

    def test_thresholds_must_be_ordered(self):
        with self.assertRaisesRegex(ValidationError, "ordered"):
            self.policy.write({"threshold_green": 40, "threshold_yellow": 45})
        with self.assertRaisesRegex(ValidationError, "ordered"):
            self.policy.write({"threshold_red": 50})
        with self.assertRaisesRegex(ValidationError, "ordered"):
            self.policy.write({"threshold_green": 120})

    def test_targets_must_be_positive(self):
        with self.assertRaisesRegex(ValidationError, "Target Sales Volume"):
            self.policy.target_volume = 0
        self.policy.write({"threshold_green": 80, "threshold_yellow": 50, "threshold_red": 10})
        self.assertEqual(self.policy.threshold_green, 80)

    def test_company_policy_first(self):
        Policy = self.env["partner.tier.policy"]
        self.assertEqual(Policy._for_company(self.company), self.policy)
        other = self.env["res.company"].create({"name": "Other company"})
        self.assertEqual(
            Policy._for_company(other), self.env.ref("amigo_partner_tiers.policy_default")
        )
