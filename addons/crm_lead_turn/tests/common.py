import threading
import time
import traceback

from odoo.tests import TransactionCase, new_test_user


class TurnCase(TransactionCase):
    """A team of three salespeople (joined in this order), a leader, a lead factory."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        groups = "sales_team.group_sale_salesman"
        cls.leader = new_test_user(
            cls.env, login="turn_leader", name="Turn Leader", groups="sales_team.group_sale_manager"
        )
        cls.anna = new_test_user(cls.env, login="turn_anna", name="Anna", groups=groups)
        cls.boris = new_test_user(cls.env, login="turn_boris", name="Boris", groups=groups)
        cls.vera = new_test_user(cls.env, login="turn_vera", name="Vera", groups=groups)
        cls.team = cls.env["crm.team"].create({"name": "Turn team", "user_id": cls.leader.id})
        cls.members = cls.env["crm.team.member"]
        for user in (cls.anna, cls.boris, cls.vera):
            cls.members |= cls.env["crm.team.member"].create(
                {"crm_team_id": cls.team.id, "user_id": user.id}
            )
        cls.member_anna, cls.member_boris, cls.member_vera = cls.members

    def turns(self, count, team=None):
        team = team or self.team
        return [team._turn_next_user() for _index in range(count)]

    def assign_lead(self, user, team=None):
        """A lead assigned to ``user`` now (counts in their leads of the last 24 hours)."""
        return self.env["crm.lead"].create(
            {"name": "Assigned lead", "team_id": (team or self.team).id, "user_id": user.id}
        )


def run_at_once(count, work, timeout=120):
    """Run ``work(index)`` for ``index`` in ``range(count)``, each in a thread of its own
    (a real cursor per thread, as Odoo workers have), all released at the same moment.

    Returns ``(results, errors, stuck)``: what the calls returned, the tracebacks of those
    that raised, and the threads still running after ``timeout`` seconds. Used by the
    concurrency tests of the addons that take turns (crm_lead_turn, sales_playbook,
    amigo_partner_tiers)."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait(timeout=30)
            results.append(work(index))
        except Exception:  # noqa: BLE001 - returned to the test, which reports it
            errors.append(traceback.format_exc())

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 0))
    return results, errors, [thread for thread in threads if thread.is_alive()]
