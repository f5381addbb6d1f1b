"""Web leads of one region arriving at the same moment (threads with real cursors, as
Odoo workers have, against committed data), routed to a team whose members take them in
turn: nobody waits for another or meets a serialization error, every lead goes to the
member whose turn it took, and no member gets two in a row.

The region, the team and its members are created and committed in a cursor of their own
(the test's transaction is invisible to any other) and deleted again in a cleanup."""

from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.crm_lead_turn.tests.common import run_at_once

CREATORS = 12
MEMBERS = 3
# a creator that would wait for another's lock fails after this instead of hanging
LOCK_TIMEOUT = "5s"


@tagged("post_install", "-at_install")
class TestRoutingConcurrent(TransactionCase):
    def setUp(self):
        super().setUp()
        # The test runner holds the registries' lock while tests run: a thread that looks
        # its registry up would wait for the end of the test (as crm_lead_turn's own
        # concurrency test, and Odoo's test mode, swap it for a dummy).
        self.startPatcher(patch.object(Registry, "_lock", DummyRLock()))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            state = env["res.country.state"].create(
                {
                    "name": "Concurrent Routing Oblast",
                    "code": "CRTO",
                    "country_id": env.ref("base.ru").id,
                }
            )
            members = [
                new_test_user(
                    env,
                    login=f"routing_concurrent_{index}",
                    name=f"Routed {index}",
                    groups="sales_team.group_sale_salesman",
                )
                for index in range(MEMBERS)
            ]
            leader = new_test_user(
                env,
                login="routing_concurrent_leader",
                groups="sales_team.group_sale_salesman_all_leads",
            )
            # who registers the leads: operators of the call centre, a web form
            operators = [
                new_test_user(
                    env,
                    login=f"routing_concurrent_operator_{index}",
                    groups="sales_team.group_sale_salesman_all_leads",
                )
                for index in range(2)
            ]
            team = env["crm.team"].create(
                {
                    "name": "Concurrent regional office",
                    "user_id": leader.id,
                    "region_state_ids": [Command.set(state.ids)],
                    "region_assignment": "round_robin",
                }
            )
            env["crm.team.member"].create(
                [{"crm_team_id": team.id, "user_id": user.id} for user in members]
            )
            self.member_ids = [user.id for user in members]
            self.operator_ids = [user.id for user in operators]
            self.user_ids = [user.id for user in (*members, leader, *operators)]
            self.team_id, self.state_id = team.id, state.id
            sequence = team._turn_sequences()
            self.sequence_name = f"ir_sequence_{sequence.id:03d}"
        self.addCleanup(self.delete_committed)

    def delete_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            env["crm.lead"].search(
                ["|", ("team_id", "=", self.team_id), ("state_id", "=", self.state_id)]
            ).unlink()
            env["crm.team"].browse(self.team_id).exists().unlink()
            env["res.country.state"].browse(self.state_id).exists().unlink()
            users = env["res.users"].browse(self.user_ids).exists()
            partners = users.partner_id
            users.unlink()
            partners.unlink()

    def route_lead(self, uid, name):
        """In a transaction of its own, as ``uid``: a lead from the team's region, routed
        by region (no team or salesperson given), committed. Returns (turn, lead id,
        salesperson id, team id), the turn being the one this transaction took."""
        with self.registry.cursor() as cr:
            cr.execute(SQL("SET LOCAL lock_timeout = %s", LOCK_TIMEOUT))
            env = api.Environment(cr, uid, {})
            lead = env["crm.lead"].create({"name": name, "type": "lead", "state_id": self.state_id})
            env.flush_all()
            # the turn this session took (currval is per session)
            cr.execute(SQL("SELECT currval(%s::regclass)", self.sequence_name))
            turn = cr.fetchone()[0]
            lead = lead.sudo()
            return turn, lead.id, lead.user_id.id, lead.team_id.id

    def test_routed_leads_created_at_once(self):
        # a routed lead being created elsewhere: it took its turn and holds its
        # transaction open (with the old pointer on the team, it held the team's row)
        held = self.registry.cursor()
        held_env = api.Environment(held, self.operator_ids[0], {})
        held_env["crm.lead"].create({"name": "Held", "state_id": self.state_id})
        held_env.flush_all()

        def create(index):
            uid = self.operator_ids[index % len(self.operator_ids)]
            return self.route_lead(uid, f"Routed lead {index}")

        results, errors, stuck = run_at_once(CREATORS, create)
        self.assertFalse(stuck, "every creator finished")
        held.rollback()
        held.close()

        self.assertFalse(errors, "no creator waited out a lock or failed:\n" + "\n".join(errors))
        self.assertEqual(len(results), CREATORS)
        results.sort()
        self.assertEqual({team_id for *_rest, team_id in results}, {self.team_id})
        turns = [turn for turn, *_rest in results]
        self.assertEqual(turns, list(range(turns[0], turns[0] + CREATORS)), "one turn each")
        users = [user_id for _turn, _lead, user_id, _team in results]
        self.assertEqual(
            [users.count(user) for user in self.member_ids],
            [CREATORS // MEMBERS] * MEMBERS,
            "the members in turn, none left out",
        )
        self.assertFalse(
            [i for i in range(len(users) - 1) if users[i] == users[i + 1]],
            "consecutive routed leads never go to the same member",
        )
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            leads = env["crm.lead"].search([("team_id", "=", self.team_id)])
            self.assertEqual(len(leads), CREATORS, "every routed lead committed")
            self.assertTrue(all(leads.mapped("region_routed")))
            self.assertEqual(
                sorted(leads.ids), sorted(lead_id for _turn, lead_id, *_rest in results)
            )
