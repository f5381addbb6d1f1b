from datetime import date, timedelta

from odoo.tests import tagged

from odoo.addons.amigo_partner_tiers.hooks import uninstall_hook

from .common import TiersCase


class RollbackError(Exception):
    pass


@tagged("post_install", "-at_install")
class TestAssessment(TiersCase):
    def test_indicators_on_hand_made_orders(self):
        # current period: 10 blinds (1000, low margin) + 2 fabric (200, 50% margin)
        # ordered by a child contact: they count for the dealer
        self.make_order(self.contact, [(self.blind, 10, 100.0), (self.fabric, 2, 100.0)],
                        "2026-03-15")  # fmt: skip
        # a year before: 800
        self.make_order(self.dealer, [(self.blind, 8, 100.0)], "2025-03-15")
        # cancelled and draft orders and orders older than both periods do not count
        self.make_order(self.dealer, [(self.motor, 50, 100.0)], "2026-04-01", state="cancel")
        self.make_order(self.dealer, [(self.motor, 50, 100.0)], "2026-04-01", state="draft")
        self.make_order(self.dealer, [(self.motor, 50, 100.0)], "2024-01-01")
        assessment = self.assess(self.dealer)
        self.assertEqual(len(assessment), 1)
        self.assertEqual(assessment.partner_id, self.dealer)
        self.assertAlmostEqual(assessment.sales_volume, 1200.0)
        self.assertAlmostEqual(assessment.sales_volume_previous, 800.0)
        self.assertAlmostEqual(assessment.sales_trend, 50.0)
        self.assertAlmostEqual(assessment.high_margin_share, 200.0 / 1200.0 * 100)
        self.assertAlmostEqual(assessment.wallet_share, 60.0)
        self.assertTrue(assessment.has_wallet_share)
        self.assertAlmostEqual(assessment.matrix_coverage, 50.0)  # 2 of 4 matrix products
        self.assertAlmostEqual(assessment.margin, 10 * 20 + 2 * 50)
        # score: volume 40 (full) + trend 20 (50% > 20% target) + high margin 10 * 16.67/50
        # + wallet 20 (60% > 50%) + matrix 10 * 0.5
        self.assertAlmostEqual(assessment.score, 40 + 20 + 10 * (200 / 1200 * 100) / 50 + 20 + 5,
                               places=2)  # fmt: skip
        self.assertEqual(assessment.tier_id, self.tiers["green"])
        self.assertEqual(assessment.movement, "new")
        self.assertFalse(assessment.previous_tier_id)
        # the partner shows the same figures
        self.assertEqual(self.dealer.tier_id, self.tiers["green"])
        self.assertAlmostEqual(self.dealer.tier_sales_volume, 1200.0)
        self.assertAlmostEqual(self.dealer.tier_wallet_share, 60.0)
        self.assertAlmostEqual(self.dealer.tier_score, assessment.score)
        self.assertEqual(self.dealer.tier_assessment_date, self.date)
        # the contact is not assessed on its own
        self.assertFalse(self.contact.tier_assessment_ids)

    def test_the_partner_shows_its_latest_assessment_stored_once(self):
        """The partner points at its latest assessment; its indicators are that
        assessment's, read through it (stored once, on the assessment), and still group,
        sum and search as partner fields."""
        self.make_order(self.dealer, [(self.blind, 10, 100.0)], "2026-03-01")
        self.make_order(self.dealer, [(self.fabric, 5, 100.0)], "2026-04-01")
        june = self.assess(self.dealer)
        # a run for a past day does not replace the latest assessment
        march = self.assess(self.dealer, date(2026, 3, 31))
        self.assertEqual(self.dealer.last_assessment_id, june)
        self.assertEqual(self.dealer.tier_id, june.tier_id)
        self.assertAlmostEqual(self.dealer.tier_sales_volume, 1500.0)
        self.assertAlmostEqual(self.dealer.tier_score, june.score)
        self.assertEqual(self.dealer.tier_potential, june.potential)
        self.assertEqual(self.dealer.tier_assessment_date, self.date)
        Partner = self.env["res.partner"]
        indicators = {
            "tier_score": "score",
            "tier_sales_volume": "sales_volume",
            "tier_sales_trend": "sales_trend",
            "tier_high_margin_share": "high_margin_share",
            "tier_wallet_share": "wallet_share",
            "tier_has_wallet_share": "has_wallet_share",
            "tier_matrix_coverage": "matrix_coverage",
            "tier_potential": "potential",
            "tier_assessment_date": "date",
        }
        for fname, source in indicators.items():
            field = Partner._fields[fname]
            self.assertFalse(field.store, fname)
            self.assertEqual(field.related, f"last_assessment_id.{source}")
        # the tier is kept on the partner by the ORM (tracked, indexed), from the assessment
        self.assertTrue(Partner._fields["tier_id"].store)
        self.assertEqual(Partner._fields["tier_id"].related, "last_assessment_id.tier_id")
        self.assertEqual(
            Partner._read_group(
                [("id", "=", self.dealer.id)], ["tier_potential"], ["tier_sales_volume:sum"]
            ),
            [(june.potential, 1500.0)],
        )
        self.assertEqual(
            Partner.search([("id", "=", self.dealer.id), ("tier_sales_volume", ">", 1200)]),
            self.dealer,
        )
        # the head of partners deletes the latest assessment: the partner shows the one
        # before, at once
        june.with_user(self.tier_manager).unlink()
        self.assertEqual(self.dealer.last_assessment_id, march)
        self.assertAlmostEqual(self.dealer.tier_sales_volume, 1000.0)
        self.assertEqual(self.dealer.tier_assessment_date, date(2026, 3, 31))
        self.assertEqual(
            Partner.search([("id", "=", self.dealer.id), ("tier_sales_volume", ">", 1200)]),
            Partner,
        )

    def test_assessing_a_batch_costs_the_same_queries_whatever_its_size(self):
        """The hot path of the nightly run, set-based: a batch of 5 partners and a batch of
        25 cost the same number of queries, on their first assessment, the next night and
        the same night again (a query per partner would fail here, not in a benchmark)."""
        Partner = self.env["res.partner"]
        small, large = (
            Partner.create(
                [
                    {
                        "name": f"Batch dealer {size} {n}",
                        "is_company": True,
                        "estimated_purchase_volume": 1000 + 100 * n,
                    }
                    for n in range(size)
                ]
            )  # fmt: skip
            for size in (5, 25)
        )
        for partner in small[::2] | large[::2]:
            self.make_order(partner, [(self.blind, 3 + len(partner.name) % 5, 100.0)],
                            "2026-03-01")  # fmt: skip
        # the run's caches (tiers, policy, currency) as after its first partners
        self.assess(self.idle_dealer)
        next_night = self.date + timedelta(days=1)
        for when, queries in ((self.date, 9), (next_night, 9), (next_night, 6)):
            for partners in (small, large):
                with self.subTest(when=when, size=len(partners)):
                    with self.assertQueryCount(queries):
                        assessments = self.assess(partners, when)
                    self.assertEqual(assessments.partner_id, partners)
                    self.assertEqual(partners.last_assessment_id, assessments)

    def test_currency_conversion_to_company_currency(self):
        order = self.make_order(self.dealer, [(self.blind, 3, 100.0)], "2026-02-01",
                                pricelist=self.coin_pricelist)  # fmt: skip
        self.assertEqual(order.currency_id, self.coin)
        self.assertAlmostEqual(order.currency_rate, 0.5)
        assessment = self.assess(self.dealer)
        # 300 coins = 600 in the company currency
        self.assertAlmostEqual(assessment.sales_volume, 600.0)
        # margin: (100 - 80 converted to coins = 40) * 3 = 180 coins = 360
        self.assertAlmostEqual(assessment.margin, order.order_line.margin / 0.5)

    def test_high_margin_by_flag_and_by_threshold(self):
        self.make_order(self.dealer, [(self.blind, 1, 100.0), (self.fabric, 1, 100.0),
                                      (self.motor, 1, 100.0), (self.cord, 1, 100.0)],
                        "2026-01-10")  # fmt: skip
        self.cord.product_tmpl_id.tier_high_margin = True
        assessment = self.assess(self.dealer)
        # fabric by threshold, motor by category flag, cord by product flag
        self.assertAlmostEqual(assessment.high_margin_share, 75.0)
        self.assertAlmostEqual(assessment.matrix_coverage, 100.0)

    def test_zero_estimate_has_no_wallet_share(self):
        self.dealer.estimated_purchase_volume = 0
        self.make_order(self.dealer, [(self.blind, 10, 100.0)], "2026-05-01")
        assessment = self.assess(self.dealer)
        self.assertFalse(assessment.has_wallet_share)
        self.assertEqual(assessment.wallet_share, 0.0)
        self.assertFalse(assessment.potential)
        self.assertFalse(self.dealer.tier_has_wallet_share)
        self.assertFalse(self.dealer.tier_potential)
        # wallet weight earns nothing: volume 40 + trend 20 (new: neutral half = 10)
        # + high margin 0 + wallet 0 + matrix 10 * 1/4
        self.assertAlmostEqual(assessment.score, 40 + 10 + 2.5)

    def test_no_sales_is_black(self):
        self.make_order(self.idle_dealer, [(self.blind, 10, 100.0)], "2025-01-01")
        assessment = self.assess(self.idle_dealer)
        self.assertEqual(assessment.sales_volume, 0.0)
        self.assertEqual(assessment.tier_id, self.tiers["black"])
        self.assertAlmostEqual(assessment.sales_trend, -100.0)
        self.assertEqual(assessment.potential, "high")  # 5000 estimated, nothing bought

    def test_tier_thresholds(self):
        policy = self.policy
        self.assertEqual(policy._tier_code(100, 70), "green")
        self.assertEqual(policy._tier_code(100, 69.99), "yellow")
        self.assertEqual(policy._tier_code(100, 45), "yellow")
        self.assertEqual(policy._tier_code(100, 44.99), "red")
        self.assertEqual(policy._tier_code(100, 20), "red")
        self.assertEqual(policy._tier_code(100, 19.99), "black")
        self.assertEqual(policy._tier_code(0, 100), "black")
        self.assertEqual(policy._potential(100, 0), False)
        self.assertEqual(policy._potential(100, 5100), "high")
        self.assertEqual(policy._potential(100, 1100), "medium")
        self.assertEqual(policy._potential(100, 1099), "low")

    def test_history_previous_tier_and_tracking(self):
        self.make_order(self.dealer, [(self.blind, 10, 100.0), (self.fabric, 5, 100.0)],
                        "2026-03-01")  # fmt: skip
        first = self.assess(self.dealer)
        self.assertEqual(first.tier_id, self.tiers["green"])
        # end of the request that created the dealer (its creation discards tracking until
        # the commit)
        self.env.flush_all()
        self.env.cr.precommit.run()
        # a year later nothing was bought: black, down from green
        later = self.date.replace(year=2027)
        second = self.assess(self.dealer, later)
        self.assertEqual(second.tier_id, self.tiers["black"])
        self.assertEqual(second.previous_tier_id, self.tiers["green"])
        self.assertEqual(second.movement, "down")
        self.assertEqual(self.dealer.tier_id, self.tiers["black"])
        self.assertEqual(self.dealer.tier_assessment_ids, first | second)
        self.assertEqual(self.dealer.tier_assessment_count, 2)
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written at commit
        tracked = self.env["mail.tracking.value"].search(
            [("mail_message_id.res_id", "=", self.dealer.id),
             ("mail_message_id.model", "=", "res.partner"),
             ("field_id.name", "=", "tier_id")]
        )  # fmt: skip
        self.assertEqual(len(tracked), 1, "the change green -> black is in the chatter")
        self.assertEqual(tracked.old_value_char, "Green")
        self.assertEqual(tracked.new_value_char, "Black")
        # the same day again: the day's assessment is updated, not repeated, and its
        # movement stays the day's (down from green)
        third = self.assess(self.dealer, later)
        self.assertEqual(third, second)
        self.assertEqual(third.movement, "down")
        self.assertEqual(self.dealer.tier_assessment_count, 2)

    def test_reassessing_the_same_day_writes_only_what_changed(self):
        """A run repeated the same day on the same sales writes nothing (a nightly run
        coming back, the recompute button pressed twice); new sales are written."""
        self.make_order(self.dealer, [(self.blind, 10, 100.0)], "2026-03-01")
        first = self.assess(self.dealer)
        self.env.flush_all()
        self.assertEqual(first.write_uid, self.env.user)
        policy = self.policy.with_user(self.tier_user).sudo()
        again = policy._assess(self.company, self.dealer.ids, self.date)
        self.env.flush_all()
        first.invalidate_recordset()
        self.assertEqual(again, first)
        self.assertEqual(first.write_uid, self.env.user, "nothing changed: nothing written")
        self.make_order(self.dealer, [(self.blind, 5, 100.0)], "2026-03-02")
        policy._assess(self.company, self.dealer.ids, self.date)
        self.env.flush_all()
        first.invalidate_recordset()
        self.assertEqual(first.write_uid, self.tier_user)
        self.assertAlmostEqual(first.sales_volume, 1500.0)
        self.assertEqual(self.dealer.tier_assessment_count, 1)

    def test_full_run_and_cron(self):
        self.make_order(self.dealer, [(self.blind, 10, 100.0)], "2026-03-01")
        assessments = self.policy._assess(self.company, None, self.date)
        self.assertIn(self.dealer, assessments.partner_id)
        self.assertIn(self.idle_dealer, assessments.partner_id)
        self.assertNotIn(self.contact, assessments.partner_id)
        self.assertNotIn(self.company.partner_id, assessments.partner_id)
        self.assertEqual(self.idle_dealer.tier_id, self.tiers["black"])
        before = self.env["partner.tier.assessment"].search_count([])
        self.env["partner.tier.policy"]._cron_assess_tiers()
        self.assertGreater(self.env["partner.tier.assessment"].search_count([]), before)
        self.assertEqual(self.dealer.tier_assessment_count, 2)

    def test_recompute_button_on_a_contact_assesses_the_company(self):
        self.make_order(self.dealer, [(self.blind, 10, 100.0)], "2026-03-01")
        (self.contact | self.idle_dealer).with_user(self.tier_user).action_recompute_tier()
        self.assertEqual(self.dealer.tier_assessment_count, 1)
        self.assertEqual(self.idle_dealer.tier_assessment_count, 1)
        self.assertFalse(self.contact.tier_assessment_ids)

    def test_segment_tag_gives_the_matrix(self):
        tag = self.env["res.partner.category"].create({"name": "Tier test salon"})
        self.matrix.segment_category_id = tag
        salon = self.env["res.partner"].create(
            {"name": "Salon", "is_company": True, "category_id": [(4, tag.id)]}
        )
        self.assertEqual(salon.assortment_matrix_id, self.matrix)
        self.make_order(salon, [(self.blind, 1, 100.0), (self.motor, 1, 100.0)], "2026-04-01")
        self.assertAlmostEqual(self.assess(salon).matrix_coverage, 50.0)
        # without a matrix, coverage is 0 (the manager has to set one)
        plain = self.env["res.partner"].create({"name": "Plain", "is_company": True})
        self.make_order(plain, [(self.blind, 1, 100.0)], "2026-04-01")
        self.assertEqual(self.assess(plain).matrix_coverage, 0.0)

    def test_server_action_on_a_selection(self):
        self.make_order(self.dealer, [(self.blind, 10, 100.0)], "2026-03-01")
        action = self.env.ref("amigo_partner_tiers.action_server_recompute_tier")
        self.assertIn(self.env.ref("amigo_partner_tiers.group_tier_user"), action.groups_id)
        partners = self.dealer | self.idle_dealer
        action.with_user(self.tier_user).with_context(
            active_model="res.partner", active_ids=partners.ids
        ).run()
        self.assertEqual(self.dealer.tier_assessment_count, 1)
        self.assertEqual(self.idle_dealer.tier_id, self.tiers["black"])

    def test_multi_company_orders_are_assessed_per_company(self):
        other = self.env["res.company"].create({"name": "Amigo Siberia"})
        self.env.user.company_ids |= other
        self.make_order(self.dealer, [(self.blind, 10, 100.0)], "2026-03-01")
        self.make_order(self.dealer, [(self.blind, 7, 100.0)], "2026-03-01", company=other)
        own = self.assess(self.dealer)
        self.assertAlmostEqual(own.sales_volume, 1000.0)
        other_policy = self.env["partner.tier.policy"].create(
            {"name": "Siberia policy", "company_id": other.id}
        )
        theirs = other_policy._assess(other, self.dealer.ids, self.date)
        self.assertEqual(theirs.company_id, other)
        self.assertAlmostEqual(theirs.sales_volume, 700.0)

    def test_a_company_where_a_shared_dealer_buys_nothing_leaves_its_tier_alone(self):
        other = self.env["res.company"].create({"name": "Amigo Far East"})
        self.env["partner.tier.policy"].create({"name": "Far East policy", "company_id": other.id})
        self.make_order(self.dealer, [(self.blind, 10, 100.0)], "2026-03-01")
        self.policy._assess(self.company, None, self.date)
        tier = self.dealer.tier_id
        self.assertNotEqual(tier, self.tiers["black"])
        assessments = (
            self.env["partner.tier.policy"]._for_company(other)._assess(other, None, self.date)
        )
        self.assertNotIn(self.dealer, assessments.partner_id)
        self.assertEqual(self.dealer.tier_id, tier)

    def test_uninstall_hook_lets_the_tiers_go(self):
        assessment = self.assess(self.dealer)
        self.assess(self.idle_dealer)
        tier = assessment.tier_id
        with self.assertRaises(RollbackError), self.env.cr.savepoint():
            uninstall_hook(self.env)
            # what Odoo removes next: the tiers, the policies, the demo partners (the
            # history restricted them); the partners' tier goes with the tier
            self.env.cr.execute("DELETE FROM partner_tier WHERE id = %s", [tier.id])
            self.env.cr.execute("DELETE FROM partner_tier_policy WHERE id = %s", [self.policy.id])
            self.env.cr.execute("DELETE FROM res_partner WHERE id = %s", [self.idle_dealer.id])
            raise RollbackError
        self.assertTrue(assessment.exists())
