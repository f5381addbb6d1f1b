from datetime import datetime, timedelta

from odoo.tests import users, warmup

from .common import MOSCOW, ProductionFunnelCase


class TestPerformance(ProductionFunnelCase):
    """Query counts of the hot paths, as core's ``crm/tests/test_performances.py`` pins
    them: a query more on any of them fails here, not only in the benchmark
    (``tests/benchmarks/bench_production_funnel.py``). Fewer queries are only logged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = datetime.now(MOSCOW).date()
        cls.monday = today + timedelta(days=7 - today.weekday())
        cls.productions = cls.env["mrp.production"]
        for index in range(6):
            product = cls.product_roller if index % 2 else cls.product_vertical
            production = cls.env["mrp.production"].create(
                {"product_id": product.id, "product_qty": 1 + index, "user_id": cls.mrp_user.id}
            )
            production.action_confirm()
            day = cls.monday + timedelta(days=index)
            production.workorder_ids.write(
                {
                    "date_start": cls.utc(day, 9),
                    "date_finished": cls.utc(day, 11 + index),
                    "duration_expected": 60 + 10 * index,
                }
            )
            cls.productions |= production
        cls.lines = cls.line_week | cls.line_daily | cls.line_empty

    def pivot(self):
        """The four read_group of the load report's pivot: rows = line, columns = day."""
        Load = self.env["production.line.load"]
        domain = [
            ("date", ">=", self.monday),
            ("date", "<", self.monday + timedelta(days=14)),
        ]
        measures = ["planned_hours:sum", "capacity_hours:sum", "forecast_hours:sum"]
        return [
            Load.read_group(domain, measures, groupby, lazy=False)
            for groupby in ([], ["date:day"], ["line_id"], ["line_id", "date:day"])
        ]

    @users("pf_mrp_user")
    @warmup
    def test_load_pivot(self):
        with self.assertQueryCount(pf_mrp_user=7):
            groups = self.pivot()
        self.assertTrue(groups[0][0]["planned_hours"])

    @users("pf_mrp_user")
    @warmup
    def test_load_pivot_after_a_work_order_moved(self):
        # the moved work order's load is computed and written before the report is read
        workorder = self.productions[0].with_env(self.env).workorder_ids
        with self.assertQueryCount(pf_mrp_user=40):
            workorder.write(
                {
                    "date_start": self.utc(self.monday, 13),
                    "date_finished": self.utc(self.monday, 15),
                }
            )
            self.pivot()

    @users("pf_mrp_user")
    @warmup
    def test_lines_kanban_load(self):
        names = ["load_today", "load_peak", "load_average", "load_state", "planned_hours"]
        with self.assertQueryCount(pf_mrp_user=5):
            lines = self.env["production.line"].search_fetch(
                [("id", "in", self.lines.ids)], ["name", "queued_count", *names]
            )
            for line in lines:
                line.read(names)

    @users("pf_mrp_user")
    @warmup
    def test_work_order_moved(self):
        workorder = self.productions[1].with_env(self.env).workorder_ids
        with self.assertQueryCount(pf_mrp_user=30):
            workorder.write(
                {
                    "date_start": self.utc(self.monday, 14),
                    "date_finished": self.utc(self.monday, 16),
                    "duration_expected": 100,
                }
            )
        self.assertAlmostEqual(workorder.load_hours, 100 / 60)

    @users("pf_mrp_user")
    @warmup
    def test_orders_cancelled(self):
        productions = self.productions[2:4].with_env(self.env)
        with self.assertQueryCount(pf_mrp_user=93):
            productions.action_cancel()
        self.assertFalse(productions.workorder_ids.load_line_id)
