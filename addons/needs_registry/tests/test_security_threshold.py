"""The notification threshold and the likelihood (issue 19), as an attacker of each role
would try them: only the head of sales changes the threshold, nobody writes a
likelihood, a portal user reads none of it; each refusal leaves the data as it was."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ..models.customer_need import LIKELIHOOD_PARAM
from .common import NeedsCase

LIKELIHOOD_FIELDS = [
    "likelihood",
    "customer_link",
    "place_link",
    "period_overlap",
    "quantity_overlap",
    "relevance",
    "notified",
]


@tagged("post_install", "-at_install")
class TestSecurityThreshold(NeedsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.need_1 = cls.make_need(cls.p1 | cls.p2, user=cls.manager_1)
        cls.need_2 = cls.make_need(cls.p1 | cls.p2, user=cls.manager_2, partner=cls.clinic)
        cls.match = cls.need_1.match_ids

    def _param(self):
        return self.env["ir.config_parameter"].sudo().get_param(LIKELIHOOD_PARAM)

    def test_only_the_head_of_sales_changes_the_threshold(self):
        before = self._param()
        Wizard = self.env["customer.need.threshold.wizard"]
        for user in (self.manager_1, self.catalog_admin, self.portal_user):
            with self.assertRaises(AccessError, msg=user.name):
                Wizard.with_user(user).create({"likelihood_threshold": 0.01})
        # a wizard of the head, called by a manager (RPC on its id): refused too
        wizard = Wizard.with_user(self.head).create({"likelihood_threshold": 0.01})
        for user in (self.manager_1, self.portal_user):
            with self.assertRaises(AccessError, msg=user.name):
                wizard.with_user(user).action_apply()
        # nor may a manager write the parameter or the setting directly
        with self.assertRaises(AccessError):
            self.env["ir.config_parameter"].with_user(self.manager_1).set_param(
                LIKELIHOOD_PARAM, "0.01"
            )
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.manager_1).create(
                {"need_likelihood_threshold": 0.01}
            )
        self.assertEqual(self._param(), before)
        wizard.action_apply()
        self.assertEqual(self._param(), "0.01")

    def test_a_threshold_out_of_range_is_refused(self):
        before = self._param()
        Wizard = self.env["customer.need.threshold.wizard"].with_user(self.head)
        for value in (-0.1, 1.5):
            with self.assertRefused(ValidationError, "Notify From"):
                Wizard.create({"likelihood_threshold": value})
        with self.assertRefused(ValidationError, "Over the Last"):
            Wizard.create({"likelihood_threshold": 0.5, "days": 0})
        with self.assertRefused(ValidationError, "Notify Possible Duplicates From"):
            self.env["res.config.settings"].create({"need_likelihood_threshold": 2})
        self.assertEqual(self._param(), before)

    def test_nobody_writes_a_likelihood(self):
        before = self.match.read(LIKELIHOOD_FIELDS)
        for user in (self.manager_1, self.head):
            for vals in (
                {"likelihood": 1.0},
                {"relevance": "likely"},
                {"notified": False},
                {"customer_link": "same"},
            ):
                with self.assertRaises(AccessError, msg=f"{user.name} {vals}"):
                    self.match.with_user(user).write(vals)
        self.assertEqual(self.match.read(LIKELIHOOD_FIELDS), before)

    def test_the_portal_reads_nothing_of_it(self):
        with self.assertRaises(AccessError):
            self.match.with_user(self.portal_user).read(["likelihood"])
        with self.assertRaises(AccessError):
            self.env["customer.need.threshold.wizard"].with_user(self.portal_user).search([])
        # the managers read the likelihood of their own needs' matches only
        self.assertTrue(self.match.with_user(self.manager_1).read(["likelihood_reason"]))
        with self.assertRaises(AccessError):
            self.need_2.match_ids.with_user(self.manager_1).read(["likelihood"])
