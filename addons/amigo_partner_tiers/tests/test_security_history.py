"""History and uniqueness the business relies on (issue 15): one assessment per partner,
company and day, that survives deletes of what it refers to; region mappings unique
whatever their case. Held by the database, not only by Python."""

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
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


@tagged("post_install", "-at_install")
class TestRegionMappingUniqueness(TiersCase):
    def test_a_city_maps_once_whatever_its_case(self):
        Mapping = self.env["crm.region.mapping"].with_user(self.env.ref("base.user_admin"))
        state = self.env.ref("base.state_ru_nvs")
        Mapping.create({"kind": "city", "value": "Tier Test Town", "state_id": state.id})
        for value in ("TIER TEST TOWN", "tier test town", "  Tier Test Town "):
            with self.assertRaisesRegex(ValidationError, "Tier Test Town"):
                Mapping.create({"kind": "city", "value": value, "state_id": state.id})
        self.assertEqual(Mapping.search_count([("value", "=ilike", "tier test town")]), 1)
        Mapping.create({"kind": "city", "value": "Тестовск", "state_id": state.id})
        with self.assertRaisesRegex(ValidationError, "Тестовск"):
            Mapping.create({"kind": "city", "value": "ТЕСТОВСК", "state_id": state.id})
        with self.assertRaisesRegex(ValidationError, "no digit"):
            Mapping.create({"kind": "phone", "value": "+ () -", "state_id": state.id})
        # the same value of another kind, or of another company, is another mapping
        Mapping.create({"kind": "zip", "value": "tier test town", "state_id": state.id})
        company_b = self.env["res.company"].create({"name": "Mapping company B"})
        Mapping.sudo().create(
            {"kind": "city", "value": "TIER TEST TOWN", "state_id": state.id,
             "company_id": company_b.id}
        )  # fmt: skip
        # the database holds the rule too, for writers that run at the same time
        self.env.flush_all()
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation) as caught,
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "INSERT INTO crm_region_mapping (kind, value, state_id) "
                "VALUES ('city', 'TIER test TOWN', %s)",
                [state.id],
            )
        name = caught.exception.diag.constraint_name
        self.assertIn(name, self.registry._sql_constraints)
        message = self.env["ir.model.constraint"].search([("name", "=", name)]).message
        self.assertIn("mapped", message)

    def test_lookup_prefers_the_companys_own_mapping(self):
        Mapping = self.env["crm.region.mapping"]
        nvs, oms = self.env.ref("base.state_ru_nvs"), self.env.ref("base.state_ru_oms")
        company_b = self.env["res.company"].create({"name": "Mapping company C"})
        Mapping.create({"kind": "city", "value": "Tier Twin", "state_id": nvs.id})
        Mapping.create(
            {"kind": "city", "value": "tier twin", "state_id": oms.id, "company_id": company_b.id}
        )
        self.assertEqual(Mapping._state_for(city="TIER TWIN", company=self.company), nvs)
        self.assertEqual(Mapping._state_for(city="TIER TWIN", company=company_b), oms)
