from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import TurnCase


class TestTurnSecurity(TurnCase):
    """Who may set the turns up and who takes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(cls.env, login="turn_portal", groups="base.group_portal")
        cls.employee = new_test_user(cls.env, login="turn_employee", groups="base.group_user")

    def test_a_salesperson_takes_turns_without_reading_members_or_counters(self):
        """Creating a lead as a salesperson (or the mail gateway, or a script) deals it
        in turn: the distribution reads the members and the counter itself."""
        self.assertEqual(
            [self.team.with_user(self.anna)._turn_next_user() for _i in range(3)],
            [self.anna, self.boris, self.vera],
        )
        with self.assertRaises(AccessError):
            self.env["ir.sequence"].with_user(self.anna).create({"name": "x"})
        with self.assertRaises(AccessError):
            self.team._turn_sequences().with_user(self.anna).write({"number_next": 1})

    def test_only_sales_managers_set_the_turns_up(self):
        for user in (self.anna, self.employee):
            with self.assertRaises(AccessError):
                self.team.with_user(user).write({"turn_weighted": True})
            with self.assertRaises(AccessError):
                self.member_anna.with_user(user).write({"assignment_optout": True})
        self.assertFalse(self.team.turn_weighted)
        self.assertFalse(self.member_anna.assignment_optout)
        self.team.with_user(self.leader).write({"turn_weighted": True, "turn_daily_cap": True})
        self.member_anna.with_user(self.leader).write({"assignment_max": 60})
        self.assertTrue(self.team.turn_daily_cap)

    def test_portal_users_get_nothing(self):
        with self.assertRaises(AccessError):
            self.team.with_user(self.portal).read(["turn_weighted", "turn_daily_cap"])
        with self.assertRaises(AccessError):
            self.team.with_user(self.portal).write({"turn_daily_cap": True})
        with self.assertRaises(AccessError):
            self.member_anna.with_user(self.portal).read(["turn_daily_quota"])
        with self.assertRaises(AccessError):
            self.team.with_user(self.portal).action_turn_members()
        self.assertFalse(self.team.turn_daily_cap)
