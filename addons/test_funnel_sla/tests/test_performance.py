from odoo.tests.common import new_test_user, warmup

from .common import FunnelSlaCase


class TestSlaCheckQueries(FunnelSlaCase):
    """The SLA check's query count per batch, pinned (as core's
    ``crm/tests/test_performances.py`` does): a regression fails here rather than waiting
    for the benchmark. The check is set-based: a batch costs the same queries for one
    stalled record or many, plus the few of core's ``mail.activity`` create per
    responsible (its followers and its bus notification, one create per user)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleagues = [
            new_test_user(cls.env, login=f"sla_perf_{n}", groups="base.group_user")
            for n in range(3)
        ]

    def _stalled(self, count, users):
        records = self.Record.browse()
        for n in range(count):
            user = users[n % len(users)]
            records |= self.make(f"Perf {n}", sla_stage_date=self.long_ago, user_id=user.id)
        self.env.flush_all()
        self.env.invalidate_all()
        return records

    def _check(self, records, queries):
        with self.assertQueryCount(queries):
            stats = self.Record._sla_check(batch_size=50)
        self.assertEqual(stats["stalled"], (len(records), 0))
        self.assertEqual(len(self.sla_activities(records)), len(records))
        self.assertTrue(all(records.mapped("is_stalled")))

    @warmup
    def test_a_batch_of_one_responsible_costs_the_same_for_2_or_12_records(self):
        self.stage_new.sla_escalation_hours = 0  # the stall step only
        self._check(self._stalled(2, [self.user]), 22)
        self._check(self._stalled(12, [self.user]), 22)

    @warmup
    def test_each_more_responsible_costs_core_create_queries(self):
        self.stage_new.sla_escalation_hours = 0
        self._check(self._stalled(4, [self.user]), 22)
        self._check(self._stalled(4, [self.user, *self.colleagues]), 34)

    @warmup
    def test_the_steady_check_costs_three_searches(self):
        self._stalled(3, [self.user])
        self.Record._sla_check()
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            stats = self.Record._sla_check()
        self.assertEqual(stats["stalled"], (0, 0))
