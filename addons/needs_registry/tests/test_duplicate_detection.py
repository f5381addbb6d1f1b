from odoo import Command
from odoo.tests import tagged

from .common import NeedsCase


@tagged("post_install", "-at_install")
class TestDuplicateDetection(NeedsCase):
    def test_exact_match_ignores_order_and_quantities(self):
        dealer_need = self.make_need(
            self.p1 | self.p2 | self.p3, user=self.manager_1, partner=self.dealer, qty=5
        )
        customer_need = self.make_need(self.p3 | self.p1 | self.p2, user=self.manager_2, qty=1)
        self.assertEqual(customer_need.match_ids.matched_need_id, dealer_need)
        self.assertEqual(customer_need.match_ids.match_type, "exact")
        self.assertEqual(customer_need.match_ids.score, 1.0)
        # the other need lists the hit too
        self.assertEqual(dealer_need.match_ids.matched_need_id, customer_need)
        self.assertEqual(dealer_need.open_match_count, 1)

    def test_similar_match_from_threshold(self):
        base = self.make_need(self.p1 | self.p2 | self.p3 | self.p4 | self.p5)
        four = self.make_need(self.p1 | self.p2 | self.p3 | self.p4, user=self.manager_2)
        self.assertEqual(four.match_ids.matched_need_id, base)
        self.assertEqual(four.match_ids.match_type, "similar")
        self.assertAlmostEqual(four.match_ids.score, 0.8)
        three = self.make_need(self.p1 | self.p2 | self.p3, user=self.manager_2)
        # 3/5 = 0.6 with the 5-product need, 3/4 = 0.75 with the 4-product one
        self.assertFalse(three.match_ids)

    def test_threshold_from_settings(self):
        settings = self.env["res.config.settings"].create({"need_similarity_threshold": 0.5})
        settings.execute()
        base = self.make_need(self.p1 | self.p2 | self.p3 | self.p4)
        half = self.make_need(self.p1 | self.p2 | self.p3, user=self.manager_2)
        self.assertEqual(half.match_ids.matched_need_id, base)
        self.assertAlmostEqual(half.match_ids.score, 0.75)

    def test_closed_needs_never_match(self):
        lost = self.make_need(self.p1 | self.p2)
        lost.mark_lost("Customer closed")
        dup_kept = self.make_need(self.p6)
        dup = self.make_need(self.p1 | self.p2, user=self.manager_2)
        # the open one matched the lost? no: only open needs are candidates
        self.assertFalse(dup.match_ids)
        dup.mark_duplicate(dup_kept.id, "typo")
        again = self.make_need(self.p2 | self.p1)
        self.assertFalse(again.match_ids)

    def test_detection_runs_when_lines_change(self):
        first = self.make_need(self.p1 | self.p2 | self.p3)
        second = self.make_need(self.p4 | self.p5, user=self.manager_2)
        self.assertFalse(second.match_ids)
        second.write(
            {
                "line_ids": [Command.clear()]
                + [
                    Command.create({"product_id": p.id, "product_uom_qty": 2})
                    for p in self.p1 | self.p2 | self.p3
                ]
            }
        )
        self.assertEqual(second.match_ids.matched_need_id, first)
        self.assertEqual(second.match_ids.match_type, "exact")
        # adding a line through the line model still re-evaluates, before commit (flush
        # runs the pre-commit hooks): 3/4 < 0.8 drops it
        self.env["customer.need.line"].create({"need_id": second.id, "product_id": self.p7.id})
        self.env.cr.flush()
        self.assertFalse(second.match_ids)
        self.assertFalse(first.match_ids)
        # removing it brings back the exact match
        second.line_ids.filtered(lambda line: line.product_id == self.p7).unlink()
        self.env.cr.flush()
        self.assertEqual(second.match_ids.match_type, "exact")

    def test_matches_open_quotation_of_open_opportunity(self):
        lead, order = self.make_deal(self.p1 | self.p2 | self.p3)
        need = self.make_need(self.p1 | self.p2 | self.p3)
        self.assertEqual(need.match_ids.matched_order_id, order)
        self.assertEqual(need.match_ids.match_type, "exact")
        self.assertEqual(need.match_ids.matched_user_id, self.manager_2)

    def test_lost_or_cancelled_deals_never_match(self):
        lead, order = self.make_deal(self.p1 | self.p2)
        order._action_cancel()
        lead2, order2 = self.make_deal(self.p1 | self.p2)
        lead2.action_set_lost()
        _lead3, _order3 = self.make_deal(self.p1 | self.p2)
        _order3.opportunity_id = False
        need = self.make_need(self.p1 | self.p2)
        self.assertFalse(need.match_ids)

    def test_never_matches_itself_or_its_own_deal(self):
        need = self.make_need(self.p1 | self.p2)
        self.assertFalse(need.match_ids)
        need.action_convert_to_opportunity()
        products = set((self.p1 | self.p2).ids)
        self.assertFalse(need._find_candidate_orders(products, 0.8))
        self.assertFalse(need._find_candidate_needs(products, 0.8))
        # another need finds the converted need's quotation (the deal), not the need
        other = self.make_need(self.p1 | self.p2, user=self.manager_2)
        self.assertEqual(other.match_ids.matched_order_id, need.order_ids)
        self.assertFalse(other.match_ids.matched_need_id)

    def test_dismissed_match_stays_dismissed(self):
        first = self.make_need(self.p1 | self.p2)
        second = self.make_need(self.p1 | self.p2, user=self.manager_2)
        second.match_ids.with_user(self.manager_2).action_dismiss()
        self.assertEqual(second.match_ids.state, "dismissed")
        self.assertEqual(first.match_ids.state, "dismissed")
        second.line_ids[0].product_uom_qty = 7
        second.write(
            {
                "date_end": "2030-05-01",
                "line_ids": [Command.update(second.line_ids[0].id, {"product_uom_qty": 8})],
            }
        )
        self.assertEqual(second.match_ids.state, "dismissed")
        self.assertEqual(len(second.match_ids), 1)

    def test_closing_a_need_settles_its_pairs(self):
        kept = self.make_need(self.p1 | self.p2)
        dup = self.make_need(self.p1 | self.p2, user=self.manager_2)
        self.assertEqual(kept.open_match_count, 1)
        dup.mark_duplicate(kept.id, "Same end customer")
        self.assertEqual(kept.open_match_count, 0)
        self.assertEqual((kept | dup).match_ids.mapped("state"), ["dismissed", "dismissed"])

    def test_cancelled_deal_no_longer_warns(self):
        lead, order = self.make_deal(self.p3 | self.p4)
        need = self.make_need(self.p3 | self.p4)
        self.assertEqual(need.open_match_count, 1)
        lead.action_set_lost()
        need.invalidate_recordset(["open_match_count"])
        self.assertEqual(need.open_match_count, 0)

    def test_new_quotation_is_matched_with_open_needs(self):
        need = self.make_need(self.p5 | self.p6 | self.p7, user=self.manager_1)
        self.assertFalse(need.match_ids)
        _lead, order = self.make_deal(self.p7 | self.p6 | self.p5, user=self.manager_2)
        self.assertEqual(need.match_ids.matched_order_id, order)
        self.assertEqual(need.match_ids.match_type, "exact")
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
            ]
        )
        self.assertEqual(activities.user_id, self.manager_2)
        # the need saved again does not notify the same pair twice
        need.action_detect_duplicates()
        self.assertEqual(len(need.match_ids), 1)
        # a product change that breaks the composition drops the open match
        order.order_line[0].product_id = self.p1
        self.assertFalse(need.match_ids)

    def test_converting_a_duplicate_does_not_reopen_the_pair(self):
        kept = self.make_need(self.p1 | self.p2)
        other = self.make_need(self.p1 | self.p2, user=self.manager_2)
        kept.match_ids.action_dismiss()
        kept.action_convert_to_opportunity()
        deal_match = other.match_ids.filtered("matched_order_id")
        self.assertEqual(deal_match.matched_order_id, kept.order_ids)
        self.assertEqual(deal_match.state, "dismissed")
