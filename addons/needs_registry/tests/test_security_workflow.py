"""Trust boundaries (issue 15): the fields the workflow sets (state, duplicate of, lost
reason, closing comment, opportunity, number) change only through its actions, which check
the decision first. Tried as a need user and as the head of sales would over RPC (a raw
``write``/``create`` ``with_user``): refused, naming the field and the button, and the need
is left as it was; every action still works for them."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import NeedsCase

WORKFLOW_FIELDS = [
    "name",
    "state",
    "active",
    "duplicate_of_id",
    "lost_reason_id",
    "close_comment",
    "opportunity_id",
]


@tagged("post_install", "-at_install")
class TestSecurityWorkflowFields(NeedsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Workflow Co B"})
        cls.manager_b = new_test_user(
            cls.env,
            login="need_workflow_b",
            name="Gleb Workflow B",
            groups="needs_registry.group_need_user",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.mine = cls.make_need(cls.p1 | cls.p2, user=cls.manager_1)
        cls.theirs = cls.make_need(cls.p3, user=cls.manager_2, partner=cls.dealer)
        cls.other_company = cls.make_need(
            cls.p1 | cls.p2, user=cls.manager_b, company_id=cls.company_b.id, team_id=False
        )
        cls.their_lead, _order = cls.make_deal(cls.p7, user=cls.manager_2)
        cls.reason = cls.env["crm.lost.reason"].create({"name": "Bought elsewhere"})

    def _state(self, need):
        return need.with_context(active_test=False).read(WORKFLOW_FIELDS)

    def _attacks(self, target):
        """Raw writes that would skip the checks of the actions."""
        return [
            {"state": "converted"},
            {"state": "converted", "active": False, "opportunity_id": self.their_lead.id},
            {"opportunity_id": self.their_lead.id},
            {"state": "duplicate", "duplicate_of_id": target.id},
            {"duplicate_of_id": target.id},
            {"duplicate_of_id": self.other_company.id},
            {"state": "lost"},
            {"state": "lost", "close_comment": "no decision was taken"},
            {"lost_reason_id": self.reason.id},
            {"close_comment": "written by hand"},
            {"name": "NEED-FAKE"},
        ]

    def assertWritesRefused(self, need, user, target):
        before = self._state(need)
        for vals in self._attacks(target):
            with self.assertRaises(AccessError, msg=vals) as caught:
                need.with_user(user).write(vals)
            # the message names the field and the action to use
            message = str(caught.exception)
            self.assertIn(need.name, message, vals)
            self.assertRegex(
                message,
                r"'(Number|Status|State|Duplicate Of|Lost Reason|Closing Comment|Opportunity)'",
                vals,
            )
            self.assertRegex(message, r"(button|numbering)", vals)
            self.assertEqual(self._state(need), before, vals)

    def test_need_user_cannot_write_the_workflow_of_their_need(self):
        self.assertWritesRefused(self.mine, self.manager_1, self.theirs)
        self.assertEqual(self.mine.state, "open")
        self.assertFalse(self.mine.opportunity_id)

    def test_head_of_sales_cannot_write_the_workflow_of_any_need(self):
        self.assertWritesRefused(self.theirs, self.head, self.mine)
        self.assertWritesRefused(self.mine, self.head, self.theirs)

    def test_a_closed_need_cannot_be_reopened_or_rewritten_by_hand(self):
        self.mine.with_user(self.manager_1).mark_lost("No budget", self.reason.id)
        before = self._state(self.mine)
        for vals in (
            {"state": "open"},
            {"state": "open", "close_comment": False, "lost_reason_id": False},
            {"close_comment": "A nicer story"},
            {"lost_reason_id": False},
            {"state": "converted", "opportunity_id": self.their_lead.id},
        ):
            for user in (self.manager_1, self.head):
                with self.assertRaises(AccessError, msg=(user.login, vals)):
                    self.mine.with_user(user).write(vals)
                self.assertEqual(self._state(self.mine), before, vals)

    def test_a_need_is_not_created_decided(self):
        Need = self.env["customer.need"]
        count = Need.with_context(active_test=False).search_count([])
        for user in (self.manager_1, self.head):
            for vals in (
                {"state": "converted", "opportunity_id": self.their_lead.id, "active": False},
                {"opportunity_id": self.their_lead.id},
                {"state": "lost", "close_comment": "never open"},
                {"state": "duplicate", "duplicate_of_id": self.theirs.id, "close_comment": "x"},
                {"name": "NEED-FAKE"},
            ):
                with self.assertRaises(AccessError, msg=(user.login, vals)) as caught:
                    Need.with_user(user).create(
                        {
                            "partner_id": self.customer.id,
                            "user_id": user.id,
                            "line_ids": [Command.create({"product_id": self.p5.id})],
                            **vals,
                        }
                    )
                self.assertIn("cannot be written directly", str(caught.exception))
        self.assertEqual(Need.with_context(active_test=False).search_count([]), count)
        # the initial values may be given, as the web client and scripts do
        need = Need.with_user(self.manager_1).create(
            {
                "name": "/",
                "state": "open",
                "close_comment": False,
                "partner_id": self.customer.id,
                "line_ids": [Command.create({"product_id": self.p5.id})],
            }
        )
        self.assertEqual(need.state, "open")
        self.assertNotEqual(need.name, "/")
        # so may unchanged values, and the fields users edit
        need.with_user(self.manager_1).write(
            {"state": "open", "date_end": "2030-12-31", "name": need.name}
        )
        self.assertEqual(str(need.date_end), "2030-12-31")

    def test_need_user_decides_through_the_actions(self):
        mine = self.mine.with_user(self.manager_1)
        # the checks of the actions hold
        with self.assertRaises(ValidationError):
            mine.mark_lost("  ")
        with self.assertRaises(ValidationError):
            mine.mark_lost("No budget", lost_reason_id=999999999)
        with self.assertRaises(ValidationError):
            mine.mark_duplicate(self.theirs.id, "")
        with self.assertRaises(UserError):
            mine.mark_duplicate(self.other_company.id, "Same customer")
        with self.assertRaises(UserError):
            mine.action_reopen()
        self.assertEqual(self.mine.state, "open")
        # and another manager's need is not theirs to decide
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.manager_1).mark_lost("Not mine")
        self.assertEqual(self.theirs.state, "open")
        # close as lost (RPC entry point), reopen
        mine.mark_lost("No budget", lost_reason_id=self.reason.id)
        self.assertEqual(
            (self.mine.state, self.mine.lost_reason_id, self.mine.close_comment),
            ("lost", self.reason, "No budget"),
        )
        mine.action_reopen()
        self.assertEqual(self.mine.state, "open")
        self.assertFalse(self.mine.lost_reason_id or self.mine.close_comment)
        # close as a duplicate of another manager's need (RPC entry point), reopen
        mine.mark_duplicate(self.theirs.id, "The dealer buys for the hospital")
        self.assertEqual((self.mine.state, self.mine.duplicate_of_id), ("duplicate", self.theirs))
        self.assertTrue(
            any(
                "The dealer buys for the hospital" in body
                for body in self.mine.message_ids.mapped("body")
            )
        )
        mine.action_reopen()
        self.assertEqual(self.mine.state, "open")
        self.assertFalse(self.mine.duplicate_of_id)
        # the close wizard
        wizard = (
            self.env["customer.need.close.wizard"]
            .with_user(self.manager_1)
            .create(
                {
                    "need_ids": [Command.set(self.mine.ids)],
                    "close_type": "lost",
                    "lost_reason_id": self.reason.id,
                    "comment": "Tender lost",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(self.mine.state, "lost")
        mine.action_reopen()
        # convert
        mine.action_convert_to_opportunity()
        self.assertEqual(self.mine.state, "converted")
        self.assertFalse(self.mine.active)
        self.assertEqual(self.mine.opportunity_id.need_id, self.mine)
        self.assertEqual(self.mine.opportunity_id.user_id, self.manager_1)
        with self.assertRaises(UserError):
            mine.action_convert_to_opportunity()

    def test_head_of_sales_decides_any_need_through_the_actions(self):
        theirs = self.theirs.with_user(self.head)
        theirs.mark_duplicate(self.mine.id, "The hospital's need is kept")
        self.assertEqual(self.theirs.state, "duplicate")
        theirs.action_reopen()
        theirs.mark_lost("Gone", lost_reason_id=self.reason.id)
        self.assertEqual(self.theirs.state, "lost")
        theirs.action_reopen()
        theirs.action_convert_to_opportunity()
        self.assertEqual(self.theirs.state, "converted")
        # the opportunity is the need manager's, as before
        self.assertEqual(self.theirs.opportunity_id.user_id, self.manager_2)

    def test_archiving_stays_a_user_action(self):
        """Archiving is Odoo's own Archive/Unarchive: it hides a need and decides nothing
        (the state stays, a converted need cannot be converted again)."""
        mine = self.mine.with_user(self.manager_1)
        mine.action_archive()
        self.assertFalse(self.mine.active)
        self.assertEqual(self.mine.state, "open")
        mine.action_unarchive()
        self.assertTrue(self.mine.active)
        mine.action_convert_to_opportunity()
        mine.action_unarchive()
        self.assertEqual(self.mine.state, "converted")
        with self.assertRaises(UserError):
            mine.action_convert_to_opportunity()
