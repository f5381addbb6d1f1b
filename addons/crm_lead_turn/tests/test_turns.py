from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

from .common import TurnCase


class TestTurns(TurnCase):
    def test_members_in_turn_in_the_order_they_joined(self):
        self.assertEqual(
            self.turns(7),
            [self.anna, self.boris, self.vera, self.anna, self.boris, self.vera, self.anna],
        )

    def test_opted_out_archived_users_and_memberships_are_skipped(self):
        self.member_boris.assignment_optout = True
        self.assertEqual(self.turns(4), [self.anna, self.vera, self.anna, self.vera])
        self.member_boris.assignment_optout = False
        self.anna.active = False
        self.assertNotIn(self.anna, self.turns(4))
        self.anna.active = True
        self.member_vera.active = False
        self.assertEqual(set(self.turns(4)), {self.anna, self.boris})

    def test_no_member_to_take_the_turn(self):
        self.members.write({"assignment_optout": True})
        sequence = self.team._turn_sequences()
        before = sequence.number_next_actual
        self.assertFalse(self.team._turn_next_user())
        sequence.invalidate_recordset()
        self.assertEqual(sequence.number_next_actual, before, "no turn taken for nobody")
        empty = self.env["crm.team"].create({"name": "Nobody here"})
        self.assertEqual(empty._turn_next(), (None, self.env["res.users"]))

    def test_weighted_by_capacity(self):
        self.team.turn_weighted = True
        self.member_anna.assignment_max = 60
        self.member_boris.assignment_max = 30
        self.member_vera.assignment_max = 30
        turns = self.turns(8)
        self.assertEqual(
            [turns.count(user) for user in (self.anna, self.boris, self.vera)], [4, 2, 2]
        )
        self.assertFalse(
            [i for i in range(len(turns) - 1) if turns[i] == turns[i + 1]],
            "never the same salesperson twice in a row",
        )
        self.member_vera.assignment_max = 0
        self.assertNotIn(self.vera, self.turns(6), "no capacity, no turn")
        self.team.turn_weighted = False
        self.assertIn(self.vera, self.turns(3), "capacity ignored when turns are not weighted")

    def test_capped_per_day_as_crm_counts_the_day(self):
        self.team.turn_daily_cap = True
        self.members.write({"assignment_max": 30})  # 30 a month: 1 a day
        self.assertEqual(self.members.mapped("turn_daily_quota"), [1, 1, 1])
        self.assign_lead(self.anna)
        self.members.invalidate_recordset(["lead_day_count"])
        self.assertEqual(self.turns(2), [self.boris, self.vera])
        for user in (self.boris, self.vera):
            self.assign_lead(user)
        self.members.invalidate_recordset(["lead_day_count"])
        self.assertFalse(self.team._turn_next_user(), "everyone had their lead today")
        # 60 a month: 2 a day
        self.member_anna.assignment_max = 60
        self.members.invalidate_recordset(["lead_day_count"])
        self.assertEqual(self.turns(1), [self.anna])

    def test_the_cap_counts_the_leads_given_earlier_in_the_same_transaction(self):
        """A script or an import creating leads one after another in one transaction:
        each turn counts the leads given before it, nobody gets more than their share."""
        self.team.turn_daily_cap = True
        self.members.write({"assignment_max": 30})  # 1 a day
        given = []
        for _index in range(4):
            user = self.team._turn_next_user()
            given.append(user)
            if user:
                self.assign_lead(user)
        self.assertEqual(given, [self.anna, self.boris, self.vera, self.env["res.users"]])

    def test_the_cap_counts_this_team_and_the_last_24_hours_only(self):
        self.team.turn_daily_cap = True
        self.members.write({"assignment_max": 30})
        other_team = self.env["crm.team"].create({"name": "Other team"})
        self.assign_lead(self.anna, team=other_team)
        old = self.assign_lead(self.boris)
        old.date_open = fields.Datetime.now() - timedelta(hours=25)
        self.members.invalidate_recordset(["lead_day_count"])
        self.assertEqual(set(self.turns(3)), {self.anna, self.boris, self.vera})

    def test_taking_a_turn_writes_no_row(self):
        """The turn is a nextval: neither the team's row nor the sequence's row changes (an
        update, even in the same transaction, writes a new row version at a new ctid), so
        two creations at once have nothing to wait for or collide on."""
        sequence = self.team._turn_sequences()
        self.assertEqual(sequence.implementation, "standard")

        def row_versions():
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "SELECT (SELECT ctid::text FROM crm_team WHERE id = %s), "
                    "(SELECT ctid::text FROM ir_sequence WHERE id = %s)",
                    self.team.id,
                    sequence.id,
                )
            )
            return self.env.cr.fetchone()

        before = row_versions()
        self.turns(5)
        self.assertEqual(row_versions(), before)
        # (the check itself sees a write: the same rows written change their ctid)
        self.team.turn_weighted = True
        sequence.name = "Renamed"
        after = row_versions()
        self.assertNotEqual(after[0], before[0])
        self.assertNotEqual(after[1], before[1])

    def test_every_team_has_its_counter_and_takes_it_along(self):
        existing = self.env.ref("sales_team.team_sales_department")
        self.assertTrue(existing._turn_sequences(), "teams there at install got one")
        team = self.env["crm.team"].create({"name": "New team"})
        sequence = team._turn_sequences()
        self.assertEqual(len(sequence), 1)
        name = f"ir_sequence_{sequence.id:03d}"
        self.env.cr.execute(SQL("SELECT count(*) FROM pg_class WHERE relname = %s", name))
        self.assertEqual(self.env.cr.fetchone()[0], 1)
        team.unlink()
        self.assertFalse(sequence.exists())
        self.env.cr.execute(SQL("SELECT count(*) FROM pg_class WHERE relname = %s", name))
        self.assertEqual(self.env.cr.fetchone()[0], 0, "its PostgreSQL sequence is dropped")

    def test_a_team_without_counter_gets_one_on_its_first_turn(self):
        self.team._turn_sequences().unlink()
        self.assertEqual(self.turns(2), [self.anna, self.boris])
        self.assertEqual(len(self.team._turn_sequences()), 1)

    def test_members_in_turn_action(self):
        action = self.team.action_turn_members()
        self.assertEqual(action["domain"], [("crm_team_id", "=", self.team.id)])
        members = self.env["crm.team.member"].search(action["domain"])
        self.assertEqual(members, self.members)
