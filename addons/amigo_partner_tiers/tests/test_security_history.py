"""History and uniqueness the business relies on (issue 15): one assessment per partner,
company and day, that survives deletes of what it refers to. Held by the database, not
only by Python."""

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TiersCase


@tagged("post_install", "-at_install")
class TestAssessmentHistory(TiersCase):
    def test_one_assessment_per_partner_company_and_day(self):
        self.make_order(self.dealer, [(self.blind, 10, 100.0)], "2026-03-01")
        first = self.assess(self.dealer)
        self.assertFalse(first.previous_tier_id)
        self.assertEqual(first.movement, "new")
        self.make_order(self.dealer, [(self.fabric, 5, 100.0)], "2026-04-01")
        second = self.assess(self.dealer)
        third = self.assess(self.dealer)
        self.assertEqual(second, first)
        self.assertEqual(third, first)
        day = self.env["partner.tier.assessment"].search(
            [("partner_id", "=", self.dealer.id), ("date", "=", self.date)]
        )
        self.assertEqual(day, first)
        # the day's assessment holds the new figures; its movement stays the day's
        self.assertAlmostEqual(first.sales_volume, 1500.0)
        self.assertEqual(first.movement, "new")
        self.assertAlmostEqual(self.dealer.tier_sales_volume, 1500.0)
        # the recompute button twice in a day: one assessment of the day
        dealer = self.dealer.with_user(self.tier_user)
        dealer.action_recompute_tier()
        dealer.action_recompute_tier()
        today = fields.Date.context_today(self.dealer)
        todays = self.dealer.tier_assessment_ids.filtered(lambda a: a.date == today)
        self.assertEqual(len(todays), 1)
        # the nightly run over the same day is idempotent
        Assessment = self.env["partner.tier.assessment"]
        run = self.policy._assess(self.company, None, self.date)
        count = Assessment.search_count([])
        self.assertEqual(self.policy._assess(self.company, None, self.date), run)
        self.assertEqual(Assessment.search_count([]), count)
        # the database refuses a second row for the day, whoever writes it
        vals = first.read(["partner_id", "company_id", "currency_id", "tier_id", "date"],
                          load=None)[0]  # fmt: skip
        vals.pop("id")
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                Assessment.sudo().create(vals)
        self.assertEqual(Assessment.search_count([]), count)

    def test_history_survives_deletes_of_what_it_references(self):
        self.make_order(self.dealer, [(self.blind, 10, 100.0)], "2026-03-01")
        partner = self.env["res.partner"].create({"name": "Short-lived", "is_company": True})
        assessment = self.assess(partner)
        history = self.assess(self.dealer)
        user = self.tier_user
        for record in (partner, self.policy, history.tier_id, user):
            with (
                self.assertRaises(psycopg2.IntegrityError, msg=record),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                record.sudo().unlink()
        self.env.invalidate_all()
        self.assertTrue(assessment.exists())
        self.assertEqual(assessment.partner_id, partner)
        self.assertEqual(history.policy_id, self.policy)
        self.assertEqual(history.user_id, user)
        # archiving is the way out
        partner.action_archive()
        self.assertTrue(assessment.exists())

    def test_a_manager_still_reads_and_a_user_never_writes_the_history(self):
        assessment = self.assess(self.dealer)
        before = assessment.read(["score", "tier_id", "date"])
        for user in (self.tier_user, self.tier_manager):
            with self.assertRaises(AccessError):
                assessment.with_user(user).write({"score": 100})
            with self.assertRaises(AccessError):
                self.env["partner.tier.assessment"].with_user(user).create(
                    {"partner_id": self.dealer.id, "company_id": self.company.id,
                     "currency_id": self.company.currency_id.id, "date": fields.Date.today(),
                     "tier_id": self.tiers["green"].id}
                )  # fmt: skip
        self.assertEqual(assessment.read(["score", "tier_id", "date"]), before)
