"""Leads registered at the same moment by several people (threads with real cursors,
as Odoo workers have) against committed data: each is dealt in turn, nobody waits for
another or meets a serialization error, and the team's members get the same number of
leads. The data are created and committed in a cursor of their own and deleted after."""

from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.crm_lead_turn.tests.common import run_at_once

CREATORS = 10
LOCK_TIMEOUT = "5s"


# committed work in other cursors: after every module is installed, never in the middle of
# an install, whose open transaction would meet it (a serialization failure there)
@tagged("post_install", "-at_install")
class TestConcurrentIntake(TransactionCase):
    def setUp(self):
        super().setUp()
        # the test runner holds the registries' lock while tests run; a thread looking its
        # registry up would wait for the end of the test (Odoo's test mode swaps it too)
        self.startPatcher(patch.object(Registry, "_lock", DummyRLock()))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.members = [
                new_test_user(env, login=f"pb_conc_{n}", groups="sales_team.group_sale_salesman").id
                for n in range(2)
            ]
            self.creators = [
                new_test_user(
                    env, login=f"pb_conc_desk_{n}", groups="sales_team.group_sale_salesman"
                ).id
                for n in range(CREATORS)
            ]
            source = env["utm.source"].create({"name": "PB concurrent source"})
            team = env["crm.team"].create(
                {"name": "PB concurrent team", "lead_distribution": "round_robin",
                 "playbook_source_id": source.id}
            )  # fmt: skip
            env["crm.team.member"].create(
                [{"crm_team_id": team.id, "user_id": uid} for uid in self.members]
            )
            self.team_id, self.source_id = team.id, source.id
        self.addCleanup(self.delete_committed)

    def delete_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            leads = env["crm.lead"].search([("team_id", "=", self.team_id)])
            # the handler history keeps its users: it goes with its leads
            leads.unlink()
            env["crm.team"].browse(self.team_id).unlink()
            env["utm.source"].browse(self.source_id).unlink()
            users = env["res.users"].browse(self.members + self.creators)
            partners = users.partner_id
            users.unlink()
            partners.unlink()

    def test_leads_registered_at_once_are_all_dealt_in_turn(self):
        def register(index):
            with self.registry.cursor() as cr:
                cr.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                env = api.Environment(cr, self.creators[index], {})
                # a salesperson of their own leads registers an interest for the team
                lead = env["crm.lead"].create(
                    {"name": f"Concurrent interest {index}", "team_id": self.team_id,
                     "email_from": f"c{index}@clinic.example.com"}
                )  # fmt: skip
                return lead.id

        created, errors, stuck = run_at_once(len(self.creators), register)
        self.assertFalse(stuck, "every creator finished")
        self.assertFalse(errors, "nobody waited out a lock or failed:\n" + "\n".join(errors))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            leads = env["crm.lead"].browse(created)
            self.assertEqual(len(leads.exists()), CREATORS)
            counts = [
                len(leads.filtered(lambda lead, u=uid: lead.user_id.id == u))
                for uid in self.members
            ]
            self.assertEqual(counts, [CREATORS // 2] * 2, "fair turns")
            self.assertEqual(leads.mapped("source_id").id, self.source_id)
            self.assertTrue(all(lead.first_user_id == lead.user_id for lead in leads))
            self.assertEqual(set(leads.handler_ids.mapped("assignment")), {"turn"})
