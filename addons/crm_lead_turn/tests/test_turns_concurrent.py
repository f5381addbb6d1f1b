"""Leads created at the same moment by several users, each in their own transaction
(threads with real cursors, as Odoo workers have), against committed data: everyone gets
a turn of their own, nobody waits for another or meets a serialization error, the turns
stay fair, and the count goes on after a restart.

The team and its members are created and committed in a cursor of their own (the test's
transaction is invisible to any other) and deleted again in a cleanup."""

from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.turn_wheel import turn_wheel
from .common import run_at_once

CREATORS = 12
# a creator that would wait for another's lock fails after this instead of hanging
LOCK_TIMEOUT = "5s"


# committed work in other cursors: after every module is installed, never in the middle of
# an install, whose open transaction would meet it (a serialization failure there)
@tagged("post_install", "-at_install")
class TestTurnsConcurrent(TransactionCase):
    def setUp(self):
        super().setUp()
        # The test runner holds the registries' lock while tests run: a thread that looks
        # its registry up (a new environment, the e-mails sent after a commit) would wait
        # for the end of the test. Odoo's own test mode swaps it for a dummy the same way.
        self.startPatcher(patch.object(Registry, "_lock", DummyRLock()))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            users = [
                new_test_user(
                    env,
                    login=f"turn_concurrent_{index}",
                    name=f"Concurrent {index}",
                    groups="sales_team.group_sale_salesman_all_leads",
                )
                for index in range(3)
            ]
            team = env["crm.team"].create({"name": "Concurrent turns"})
            env["crm.team.member"].create(
                [{"crm_team_id": team.id, "user_id": user.id} for user in users]
            )
            self.user_ids = [user.id for user in users]
            self.team_id = team.id
        self.addCleanup(self.delete_committed)

    def delete_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            env["crm.lead"].search([("team_id", "=", self.team_id)]).unlink()
            env["crm.team"].browse(self.team_id).exists().unlink()
            users = env["res.users"].browse(self.user_ids).exists()
            partners = users.partner_id
            users.unlink()
            partners.unlink()

    def take_turn_and_create(self, uid, name):
        """In a transaction of its own, as the user ``uid`` (a salesperson who sees all
        leads, as one who registers leads for others): take the team's turn, create the
        lead for that salesperson, commit. Returns (ticket, user id)."""
        with self.registry.cursor() as cr:
            cr.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            env = api.Environment(cr, uid, {})
            team = env["crm.team"].browse(self.team_id)
            ticket, user = team._turn_next()
            env["crm.lead"].create({"name": name, "team_id": team.id, "user_id": user.id})
            return ticket, user.id

    def test_leads_created_at_once_each_take_their_own_turn(self):
        # a creation in progress elsewhere: it took its turn and holds its transaction open
        held = self.registry.cursor()
        held_env = api.Environment(held, self.user_ids[0], {})
        held_ticket, _held_user = held_env["crm.team"].browse(self.team_id)._turn_next()
        held_env["crm.lead"].create({"name": "Held", "team_id": self.team_id})
        held_env.flush_all()

        def create(index):
            uid = self.user_ids[index % len(self.user_ids)]
            return self.take_turn_and_create(uid, f"Concurrent lead {index}")

        results, errors, stuck = run_at_once(CREATORS, create)
        self.assertFalse(stuck, "every creator finished")
        # the held creation fails after all: its turn is lost, nobody else's
        held.rollback()
        held.close()

        self.assertFalse(errors, "no creator waited out a lock or failed:\n" + "\n".join(errors))
        self.assertEqual(len(results), CREATORS)
        tickets = sorted(ticket for ticket, _user in results)
        self.assertEqual(tickets, list(range(held_ticket + 1, held_ticket + 1 + CREATORS)))
        users = [user for _ticket, user in sorted(results)]
        self.assertEqual(
            [users.count(user) for user in self.user_ids], [CREATORS // 3] * 3, "fair turns"
        )
        self.assertFalse(
            [i for i in range(len(users) - 1) if users[i] == users[i + 1]],
            "consecutive leads never go to the same person",
        )
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            leads = env["crm.lead"].search([("team_id", "=", self.team_id)])
            self.assertEqual(len(leads), CREATORS, "every creation committed")

        # a restart: nothing kept in the processes, the count goes on from the database
        last_user = users[-1]
        turn_wheel.cache_clear()
        self.registry.clear_cache()
        ticket, user = self.take_turn_and_create(self.user_ids[0], "After the restart")
        self.assertEqual(ticket, held_ticket + CREATORS + 1)
        following = self.user_ids[(self.user_ids.index(last_user) + 1) % 3]
        self.assertEqual(user, following, "the member after the last one")
