"""A popular product set never floods managers (issue 19): one notice per person per save
listing every match, updated by later saves while open; matches ranked by how likely
they are the same end customer's demand; the unlikely ones listed, notified to nobody."""

from odoo import Command
from odoo.tests import tagged

from .common import NeedsCase


@tagged("post_install", "-at_install")
class TestNotices(NeedsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kit = cls.p1 | cls.p2 | cls.p3

    def _notices(self, user=None):
        """The activities on needs and deals (nothing but the detection gives any here),
        whatever their type: what a person finds in their to-do list."""
        domain = [("res_model", "in", ["customer.need", "sale.order"])]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain)

    def _duplicate_messages(self, record):
        return record.message_ids.filtered(lambda m: "Possible duplicates of" in (m.body or ""))

    def _people(self):
        """The people a save concerns: the two managers and the heads of the company."""
        return (
            self.manager_1
            | self.manager_2
            | self.head
            | self.other_heads.filtered(lambda u: not u.share and self.env.company in u.company_ids)
        )

    # ------------------------------------------------------------ one per person
    def test_one_notice_per_person_per_save_listing_every_match(self):
        """Manager 2 holds two needs and a deal of the end customer with the kit; manager
        1 saves a third: each person gets one notice for the save, listing all three
        matches, and each record one chatter message."""
        theirs = self.make_need(self.kit, user=self.manager_2) | self.make_need(
            self.kit, user=self.manager_2, partner=self.dealer
        )
        _lead, order = self.make_deal(self.kit, user=self.manager_2)
        self._notices().unlink()
        before = {record: len(self._duplicate_messages(record)) for record in [*theirs, order]}
        saved = self.make_need(self.kit, user=self.manager_1)
        self.assertEqual(len(saved.match_ids), 3)
        notices = self._notices()
        self.assertEqual(notices.user_id, self._people())
        for user in self._people():
            mine = notices.filtered(lambda a, u=user: a.user_id == u)
            self.assertEqual(len(mine), 1, f"one notice for {user.name}")
            for record in [*theirs, order]:
                self.assertIn(record.display_name, mine.note)
        # the saver and the heads are told on the need saved, manager 2 on one of theirs
        self.assertEqual(
            notices.filtered(lambda a: a.user_id != self.manager_2).mapped("res_id"),
            [saved.id] * (len(self._people()) - 1),
        )
        other = notices.filtered(lambda a: a.user_id == self.manager_2)
        self.assertIn((other.res_model, other.res_id), {(r._name, r.id) for r in [*theirs, order]})
        self.assertIn("(3 matches)", other.summary)
        # the chatter of each record says it once
        self.assertEqual(len(self._duplicate_messages(saved)), 1)
        for record in [*theirs, order]:
            self.assertEqual(
                len(self._duplicate_messages(record)), before[record] + 1, record.display_name
            )
        self.assertTrue(all(saved.match_ids.mapped("notified")))

    def test_a_later_save_updates_the_open_notice(self):
        """While manager 2's notice is open, a later save matching their need adds to it
        instead of giving them another; once done, the next save gives a new one."""
        theirs = self.make_need(self.kit, user=self.manager_2)
        first = self.make_need(self.kit, user=self.manager_1)
        notice = self._notices(self.manager_2)
        self.assertEqual(len(notice), 1)
        self.assertEqual((notice.res_model, notice.res_id), (theirs._name, theirs.id))
        self.assertIn(first.name, notice.note)
        second = self.make_need(self.kit, user=self.head, partner=self.dealer)
        self.assertEqual(self._notices(self.manager_2), notice, "updated, not stacked")
        self.assertIn(first.name, notice.note)
        self.assertIn(second.name, notice.note)
        self.assertIn("(2 matches)", notice.summary)
        # the saver of the first need has an open notice on it: updated too
        self.assertEqual(len(self._notices(self.manager_1)), 1)
        self.assertIn(second.name, self._notices(self.manager_1).note)
        # done: the next save gives a new notice
        notice.action_done()
        third = self.make_need(self.kit, user=self.manager_1)
        renewed = self._notices(self.manager_2)
        self.assertEqual(len(renewed), 1)
        self.assertNotEqual(renewed, notice)
        self.assertIn(third.name, renewed.note)
        self.assertNotIn(first.name, renewed.note)

    # ---------------------------------------------------------------- ranking
    def test_the_dealers_need_for_the_end_customer_outranks_an_unrelated_clinic(self):
        dealer_need = self.make_need(
            self.kit, user=self.manager_2, partner=self.dealer, partner_shipping_id=self.customer.id
        )
        clinic_need = self.make_need(self.kit, user=self.manager_2, partner=self.clinic)
        saved = self.make_need(self.kit, user=self.manager_1)
        ranked = saved.match_ids.sorted()
        self.assertEqual(ranked.matched_need_id, dealer_need | clinic_need)
        self.assertEqual(ranked[0].matched_need_id, dealer_need)
        likely = ranked[0]
        self.assertEqual(likely.customer_link, "delivery")
        self.assertEqual(likely.place_link, "address")
        self.assertGreaterEqual(likely.likelihood, 0.9)
        self.assertIn("Same end customer", likely.likelihood_reason)
        self.assertEqual(likely.relevance, "likely")
        unlikely = ranked[1]
        self.assertEqual(unlikely.customer_link, "none")
        self.assertLess(unlikely.likelihood, 0.5)
        self.assertEqual(unlikely.relevance, "elsewhere")
        # the composition is the same for both: the likelihood makes the difference
        self.assertEqual(ranked.mapped("score"), [1.0, 1.0])
        self.assertEqual(saved.likely_match_ids, likely)
        self.assertEqual(saved.elsewhere_match_ids, unlikely)
        self.assertEqual((saved.open_match_count, saved.elsewhere_match_count), (1, 1))

    def test_the_parts_of_the_likelihood(self):
        """Each link the records hold counts for its weight: the customers (half), the
        delivery place (a fifth), the periods and the quantities in common."""
        Match = self.env["customer.need.match"]
        # a contact of the clinic (its branch, in its city) is the same customer
        branch = self.env["res.partner"].create({"name": "Branch", "parent_id": self.clinic.id})
        twin = self.env["res.partner"].create(
            {"name": "Test Unrelated Clinic LLC", "is_company": True, "city": "Omsk"}
        )
        saved = self.make_need(self.kit, partner=self.clinic, qty=10, date_end="2030-01-31")
        others = {
            "same": self.make_need(self.kit, partner=branch, qty=10, date_end="2030-01-31"),
            "twin": self.make_need(self.kit, partner=twin, qty=5, date_start="2030-01-16"),
            "none": self.make_need(self.kit, partner=self.customer, date_start="2031-01-01"),
        }
        values = Match._likelihood_values(saved, [n.id for n in others.values()])
        same = values[("customer.need", others["same"].id)]
        self.assertEqual(
            (same["customer_link"], same["place_link"], same["period_overlap"]),
            ("same", "city", 1.0),
        )
        self.assertEqual((same["quantity_overlap"], same["likelihood"]), (1.0, 1.0))
        # a likely duplicate partner (the same name but for the legal form), elsewhere
        twin_values = values[("customer.need", others["twin"].id)]
        self.assertEqual(
            (twin_values["customer_link"], twin_values["place_link"]), ("twin", "none")
        )
        self.assertAlmostEqual(twin_values["period_overlap"], 16 / 31, places=3)  # days 16-31
        self.assertAlmostEqual(twin_values["quantity_overlap"], 0.5)  # 5 of 10 each
        self.assertAlmostEqual(
            twin_values["likelihood"], 0.5 * 0.8 + 0.15 * 16 / 31 + 0.15 * 0.5, places=3
        )
        none = values[("customer.need", others["none"].id)]
        self.assertEqual((none["customer_link"], none["period_overlap"]), ("none", 0.0))
        self.assertAlmostEqual(none["likelihood"], 0.15 * 0.1)  # 1 of 10 each

    # -------------------------------------------------------------- threshold
    def test_an_unlikely_match_notifies_nobody(self):
        clinic_need = self.make_need(self.kit, user=self.manager_2, partner=self.clinic)
        self._notices().unlink()
        messages = len(clinic_need.message_ids)
        saved = self.make_need(self.kit, user=self.manager_1)
        self.assertEqual(saved.match_ids.matched_need_id, clinic_need, "found all the same")
        self.assertFalse(self._notices(), "nobody is notified")
        self.assertEqual(saved.elsewhere_match_ids.matched_need_id, clinic_need)
        self.assertFalse(saved.likely_match_ids)
        self.assertFalse(self._duplicate_messages(saved))
        self.assertEqual(len(clinic_need.message_ids), messages)
        self.assertFalse(saved.match_ids.notified)
        # the clinic's need lists it the same way
        self.assertEqual(clinic_need.elsewhere_match_ids.matched_need_id, saved)

    def test_the_head_tunes_the_threshold_seeing_what_it_would_notify(self):
        Wizard = self.env["customer.need.threshold.wizard"].with_user(self.head)

        def counts(threshold):
            wizard = Wizard.create({"likelihood_threshold": threshold})
            return wizard.match_count, wizard.notify_count, wizard.current_notify_count

        clinic_need = self.make_need(self.kit, user=self.manager_2, partner=self.clinic)
        self.assertFalse(clinic_need.match_ids, "nothing yet")
        before = {threshold: counts(threshold) for threshold in (0.5, 0.3)}
        saved = self.make_need(self.kit, user=self.manager_1)
        self.make_need(self.p4 | self.p5, user=self.manager_1)
        self.make_need(self.p4 | self.p5, user=self.manager_2)
        likelihood = saved.match_ids.likelihood
        self.assertAlmostEqual(likelihood, 0.3)  # only the periods and the quantities
        wizard = Wizard.create({"likelihood_threshold": 0.5})
        self.assertEqual(wizard.current_threshold, 0.5)
        # two pairs found: the end customer's (notified) and the clinic's (not)
        found, notify, current = before[0.5]
        self.assertEqual(
            (wizard.match_count, wizard.notify_count, wizard.current_notify_count),
            (found + 2, notify + 1, current + 1),
        )
        # at 30% the clinic's would have been notified too
        wizard.likelihood_threshold = 0.3
        found, notify, current = before[0.3]
        self.assertEqual(
            (wizard.notify_count, wizard.current_notify_count), (notify + 2, current + 1)
        )
        shown = (
            self.env["customer.need.match"]
            .with_user(self.head)
            .search(wizard.action_show_matches()["domain"])
        )
        self.assertIn(saved.match_ids, shown)
        wizard.action_apply()
        self.assertEqual(self.env["customer.need"]._get_likelihood_threshold(), 0.3)
        # the next save of the need evaluates its match again: now a possible duplicate,
        # notified then (once)
        self._notices().unlink()
        saved.with_user(self.manager_1).write({"date_end": "2030-06-30"})
        self.assertEqual(saved.match_ids.relevance, "likely")
        self.assertEqual(self._notices().user_id, self._people())
        self.assertIn(saved.name, self._notices(self.manager_2).note)
        self.assertEqual((self._notices(self.manager_2).res_id), clinic_need.id)

    def test_a_changed_customer_is_evaluated_again(self):
        """A need saved for an unrelated clinic, then corrected to the end customer,
        becomes a possible duplicate and is notified then."""
        theirs = self.make_need(self.kit, user=self.manager_2)
        saved = self.make_need(self.kit, user=self.manager_1, partner=self.clinic)
        self.assertEqual(saved.match_ids.relevance, "elsewhere")
        self.assertFalse(self._notices(self.manager_2))
        saved.with_user(self.manager_1).write({"partner_id": self.customer.id})
        self.assertEqual(saved.match_ids.relevance, "likely")
        self.assertEqual(saved.match_ids.customer_link, "same")
        self.assertEqual(saved.partner_shipping_id, self.customer)
        notice = self._notices(self.manager_2)
        self.assertEqual((notice.res_model, notice.res_id), (theirs._name, theirs.id))

    def test_a_quotation_save_notifies_once_per_person(self):
        """The other way round: a deal of the dealer matching two needs of the end
        customer gives each person one notice."""
        needs = self.make_need(self.kit, user=self.manager_1) | self.make_need(
            self.kit, user=self.manager_1, qty=3
        )
        self._notices().unlink()
        _lead, order = self.make_deal(self.kit, user=self.manager_2)
        matches = self.env["customer.need.match"].search([("matched_order_id", "=", order.id)])
        self.assertEqual(matches.need_id, needs)
        for user in self._people():
            self.assertEqual(len(self._notices(user)), 1, user.name)
        deal_notice = self._notices(self.manager_2)
        self.assertEqual((deal_notice.res_model, deal_notice.res_id), ("sale.order", order.id))
        # the heads are told on a need of the registry
        self.assertEqual(self._notices(self.head).res_model, "customer.need")
        self.assertIn("(2 matches)", self._notices(self.manager_1).summary)
        # lines added to the deal later find nothing new: nobody is told again
        order.write({"order_line": [Command.create({"product_id": self.p3.id})]})
        for user in self._people():
            self.assertEqual(len(self._notices(user)), 1, user.name)
