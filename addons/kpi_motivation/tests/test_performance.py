from odoo.tests.common import warmup

from .common import KpiCase


class TestKpiReportQueries(KpiCase):
    """The query count of reading the KPI reports, pinned (as core's
    ``crm/tests/test_performances.py`` does): reading a month of a team is one query on
    the view per read, whatever the number of managers, orders or activities, so that a
    regression fails here rather than waiting for the benchmark."""

    def setUp(self):
        super().setUp()
        partners = self.env["res.partner"].create(
            [{"name": f"KPI perf customer {n}", "is_company": True} for n in range(4)]
        )
        for user, partner in zip(self.managers, partners, strict=True):
            self.make_order(user, partner, 1_000)
            lead = self.make_lead(user)
            self.done_activity(user, lead, self.type_call)
            self.move(lead, self.stage_qualified)
        self.domain = [("user_id", "in", self.managers.ids), ("month", "=", self.month_start)]

    def _read(self, user, queries):
        """The pivot's read of the month (its totals, with the ratios) and the list's."""
        Report = self.env["kpi.report"].with_user(user)
        with self.assertQueryCount(queries):
            groups = Report.read_group(
                self.domain,
                ["revenue:sum", "plan_percent:avg", "churn_rate:avg", "call_count:sum"],
                ["team_id"],
            )
            rows = Report.search_read(self.domain, ["user_id", "revenue", "call_count"])
        return groups, rows

    @warmup
    def test_the_head_reads_the_team_month(self):
        groups, rows = self._read(self.head, 5)
        self.assertEqual(groups[0]["revenue"], 4_000)
        self.assertEqual(groups[0]["call_count"], 4)
        self.assertEqual(len(rows), 4)

    @warmup
    def test_a_manager_reads_their_own_month(self):
        groups, rows = self._read(self.manager_1, 5)
        self.assertEqual(groups[0]["revenue"], 1_000)
        self.assertEqual([row["user_id"][0] for row in rows], self.manager_1.ids)

    @warmup
    def test_the_stage_report_of_the_team_month(self):
        Report = self.env["kpi.stage.report"].with_user(self.head)
        with self.assertQueryCount(2):
            groups = Report.read_group(
                [("team_id", "=", self.team.id), ("month", "=", self.month_start)],
                ["reached:sum", "next_reached:sum", "conversion:avg"],
                ["stage_id"],
            )
        self.assertTrue(groups)
