from odoo import Command
from odoo.tests import tagged

from .common import NeedsCase


@tagged("post_install", "-at_install")
class TestNotifications(NeedsCase):
    def _activities(self, records):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("summary", "ilike", "Possible duplicate need"),
            ]
        )

    def test_one_activity_each_and_message_on_both(self):
        first = self.make_need(self.p1 | self.p2, user=self.manager_1, partner=self.dealer)
        self.assertFalse(self._activities(first))
        second = self.make_need(self.p1 | self.p2, user=self.manager_2)
        activities = self._activities(first) | self._activities(second)
        users = activities.mapped("user_id")
        expected = (
            self.manager_1
            | self.manager_2
            | self.head
            | self.other_heads.filtered(lambda u: not u.share and self.env.company in u.company_ids)
        )
        self.assertEqual(users, expected)
        self.assertEqual(len(activities), len(expected), "one activity per person")
        # the other need's manager is told on the other need, the heads on the saved one
        self.assertEqual(self._activities(first).user_id, self.manager_1)
        self.assertIn(self.head, self._activities(second).user_id)
        for need in first | second:
            self.assertTrue(
                any(
                    "Possible duplicate" in (m.body or "") or "match" in (m.body or "")
                    for m in need.message_ids
                ),
                need.name,
            )

    def test_no_repeat_for_the_same_pair(self):
        first = self.make_need(self.p1 | self.p2 | self.p3)
        second = self.make_need(self.p1 | self.p2 | self.p3, user=self.manager_2)
        before = len(self._activities(first | second))
        messages = len((first | second).message_ids)
        second.write({"line_ids": [Command.update(second.line_ids[0].id, {"product_uom_qty": 9})]})
        first.write(
            {
                "line_ids": [Command.clear()]
                + [Command.create({"product_id": p.id}) for p in self.p3 | self.p2 | self.p1]
            }
        )
        first.action_detect_duplicates()
        self.assertEqual(len(self._activities(first | second)), before)
        self.assertEqual(len((first | second).message_ids), messages)
        self.assertEqual(len(first.match_ids), 1)
        self.assertEqual(len(second.match_ids), 1)

    def test_deal_manager_is_notified_on_the_quotation(self):
        _lead, order = self.make_deal(self.p4 | self.p5, user=self.manager_2)
        need = self.make_need(self.p4 | self.p5, user=self.manager_1)
        order_activities = self._activities(order)
        self.assertEqual(order_activities.user_id, self.manager_2)
        self.assertIn(need.name, order.message_ids[0].body)
        self.assertIn(self.manager_1, self._activities(need).user_id)

    def test_same_manager_gets_a_single_activity(self):
        self.make_need(self.p6 | self.p7, user=self.manager_1)
        second = self.make_need(self.p6 | self.p7, user=self.manager_1)
        first = second.match_ids.matched_need_id
        mine = (self._activities(first) | self._activities(second)).filtered(
            lambda a: a.user_id == self.manager_1
        )
        self.assertEqual(len(mine), 1)

    def test_each_person_reads_the_activity_in_their_language(self):
        """The saver works in English; the other need's manager reads Russian, as the
        seeds' teams do: each activity is written in the language of the one it is for."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["needs_registry"], ["ru_RU"], overwrite=True
        )
        self.manager_1.lang = "ru_RU"
        self.manager_2.lang = "en_US"
        first = self.make_need(self.p1 | self.p2, user=self.manager_1)
        second = self.make_need(self.p1 | self.p2, user=self.manager_2)
        russian = self.env["mail.activity"].search(
            [("res_model", "=", first._name), ("res_id", "=", first.id)]
        )
        self.assertEqual(russian.user_id, self.manager_1)
        self.assertTrue(russian.summary.startswith("Возможный дубль потребности"), russian.summary)
        self.assertIn("совпадение", russian.note)
        english = self._activities(second).filtered(lambda a: a.user_id == self.manager_2)
        self.assertTrue(english.summary.startswith("Possible duplicate need"), english.summary)
