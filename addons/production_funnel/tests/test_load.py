from datetime import timedelta

from odoo.addons.production_funnel.hooks import uninstall_hook

from .common import ProductionFunnelCase


class RollbackError(Exception):
    pass


class TestLoad(ProductionFunnelCase):
    def set_settings(self, horizon=10, under=60.0, over=100.0):
        settings = self.env["res.config.settings"].create(
            {
                "production_load_horizon_days": horizon,
                "production_load_under_threshold": under,
                "production_load_over_threshold": over,
            }
        )
        settings.execute()

    def test_capacity_from_work_centers_calendar(self):
        monday = self.next_weekday(0)
        saturday = monday + timedelta(days=5)
        rows = self.load_rows(self.line_week, [monday, saturday])
        # 8 h x 1 x 100 % + 8 h x 2 x 50 %
        self.assertAlmostEqual(rows[monday].capacity_hours, 16.0)
        self.assertTrue(rows[monday].has_capacity)
        self.assertEqual(rows[saturday].capacity_hours, 0.0)
        self.assertFalse(rows[saturday].has_capacity)
        self.wc_assembly.default_capacity = 3
        rows = self.load_rows(self.line_week, [monday])
        self.assertAlmostEqual(rows[monday].capacity_hours, 20.0)

    def test_line_without_capacity(self):
        self.set_settings()
        day = self.today() + timedelta(days=1)
        rows = self.load_rows(self.line_empty, [day])
        self.assertEqual(rows[day].capacity_hours, 0.0)
        self.assertFalse(rows[day].has_capacity)
        self.assertFalse(rows[day].load_percent)
        line = self.line_empty
        self.assertEqual(line.load_state, "no_capacity")
        self.assertEqual((line.load_today, line.load_peak, line.load_average), (0.0, 0.0, 0.0))

    def test_work_order_over_two_days_spreads_its_hours(self):
        monday = self.next_weekday(0)
        tuesday = monday + timedelta(days=1)
        production = self.make_order(self.product_roller, qty=10)
        # Monday 14:00 to Tuesday 14:00 Moscow, 10 h of work: 10/24 on Monday, 14/24 Tuesday
        self.plan(production, self.utc(monday, 14), self.utc(tuesday, 14), 600)
        rows = self.load_rows(self.line_week, [monday, tuesday])
        self.assertAlmostEqual(rows[monday].planned_hours, 10 * 10 / 24, places=4)
        self.assertAlmostEqual(rows[tuesday].planned_hours, 10 * 14 / 24, places=4)
        self.assertAlmostEqual(rows[monday].load_percent, 100 * (10 * 10 / 24) / 16, places=3)

    def test_work_order_over_three_days_and_to_midnight(self):
        monday = self.next_weekday(0)
        tuesday, wednesday = monday + timedelta(days=1), monday + timedelta(days=2)
        long, to_midnight, instant = (self.make_order(self.product_roller) for _ in range(3))
        # Monday 12:00 to Wednesday 12:00 Moscow, 8 h of work: 1/4, 1/2, 1/4
        self.plan(long, self.utc(monday, 12), self.utc(wednesday, 12), 480)
        # Monday 22:00 to Tuesday 00:00: all of it on Monday
        self.plan(to_midnight, self.utc(monday, 22), self.utc(tuesday, 0), 90)
        # no time between start and end: all on the day it starts
        self.plan(instant, self.utc(wednesday, 9), self.utc(wednesday, 9), 30)
        rows = self.load_rows(self.line_week, [monday, tuesday, wednesday])
        self.assertAlmostEqual(rows[monday].planned_hours, 2.0 + 1.5, places=6)
        self.assertAlmostEqual(rows[tuesday].planned_hours, 4.0, places=6)
        self.assertAlmostEqual(rows[wednesday].planned_hours, 2.0 + 0.5, places=6)

    def test_days_follow_the_company_calendar_time_zone(self):
        tuesday = self.next_weekday(1)
        wednesday = tuesday + timedelta(days=1)
        production = self.make_order(self.product_roller)
        # 01:30-02:30 Moscow on Wednesday is still Tuesday in UTC
        start = self.utc(wednesday, 1, 30)
        self.assertEqual(start.date(), tuesday)
        self.plan(production, start, start + timedelta(hours=1), 60)
        rows = self.load_rows(self.line_week, [tuesday, wednesday])
        self.assertEqual(rows[tuesday].planned_hours, 0.0)
        self.assertAlmostEqual(rows[wednesday].planned_hours, 1.0)

    def test_cancelled_and_done_orders_leave_the_plan(self):
        monday = self.next_weekday(0)
        kept = self.make_order(self.product_roller, qty=2)
        cancelled = self.make_order(self.product_roller, qty=3)
        done = self.make_order(self.product_roller, qty=4)
        for production, minutes in ((kept, 120), (cancelled, 180), (done, 240)):
            self.plan(production, self.utc(monday, 9), self.utc(monday, 13), minutes)
        rows = self.load_rows(self.line_week, [monday])
        self.assertAlmostEqual(rows[monday].planned_hours, 9.0)
        cancelled.action_cancel()
        done.action_confirm()
        done.qty_producing = done.product_qty
        done.workorder_ids.qty_producing = done.product_qty
        done.button_mark_done()
        self.assertEqual(done.state, "done")
        rows = self.load_rows(self.line_week, [monday])
        self.assertAlmostEqual(rows[monday].planned_hours, 2.0)

    def test_today_peak_average_and_states(self):
        self.set_settings(horizon=10, under=60, over=100)
        today = self.today()
        tomorrow = today + timedelta(days=1)
        first = self.make_order(self.product_vertical, qty=10)
        second = self.make_order(self.product_vertical, qty=4)
        self.plan(first, self.utc(tomorrow, 10), self.utc(tomorrow, 18), 600)
        self.plan(second, self.utc(today, 9), self.utc(today, 13), 240)
        self.env.flush_all()
        line = self.line_daily
        # every day 8 h: 80 h over 10 days; 10 h tomorrow, 4 h today
        self.assertAlmostEqual(line.capacity_hours, 80.0)
        self.assertAlmostEqual(line.planned_hours, 14.0)
        self.assertAlmostEqual(line.load_today, 50.0)
        self.assertAlmostEqual(line.load_peak, 125.0)
        self.assertEqual(line.load_peak_date, tomorrow)
        self.assertAlmostEqual(line.load_average, 17.5)
        self.assertEqual(line.load_state, "under")
        self.set_settings(horizon=10, under=10, over=100)
        line.invalidate_recordset()
        self.assertEqual(line.load_state, "normal")
        self.set_settings(horizon=10, under=5, over=15)
        line.invalidate_recordset()
        self.assertEqual(line.load_state, "over")
        # work beyond the horizon does not count in the averages
        later = self.make_order(self.product_vertical, qty=5)
        far = today + timedelta(days=20)
        self.plan(later, self.utc(far, 9), self.utc(far, 13), 300)
        self.env.flush_all()
        line.invalidate_recordset()
        self.assertAlmostEqual(line.planned_hours, 14.0)

    def test_load_report_groups_for_pivot(self):
        monday = self.next_weekday(0)
        production = self.make_order(self.product_roller, qty=2)
        self.plan(production, self.utc(monday, 9), self.utc(monday, 11), 120)
        self.env.flush_all()
        groups = self.env["production.line.load"]._read_group(
            [("line_id", "in", (self.line_week | self.line_daily).ids), ("date", "=", monday)],
            ["line_id"],
            ["planned_hours:sum", "capacity_hours:sum"],
        )
        figures = {line: (planned, capacity) for line, planned, capacity in groups}
        self.assertEqual(figures[self.line_week], (2.0, 16.0))
        self.assertEqual(figures[self.line_daily], (0.0, 8.0))

    def test_lines_searchable_by_load_state(self):
        self.set_settings(horizon=10, under=60, over=100)
        Line = self.env["production.line"]
        ours = self.line_week | self.line_daily | self.line_empty
        self.assertEqual(Line.search([("load_state", "=", "no_capacity")]) & ours, self.line_empty)
        self.assertEqual(
            Line.search([("load_state", "in", ["under", "normal"])]) & ours,
            self.line_week | self.line_daily,
        )
        self.assertEqual(
            Line.search([("load_state", "!=", "no_capacity")]) & ours,
            self.line_week | self.line_daily,
        )

    def test_stored_hours_follow_a_work_center_moved_to_another_line(self):
        monday = self.next_weekday(0)
        production = self.make_order(self.product_roller, qty=2)
        self.plan(production, self.utc(monday, 9), self.utc(monday, 13), 150)
        rows = self.load_rows(self.line_week, [monday])
        self.assertAlmostEqual(rows[monday].planned_hours, 2.5)
        self.assertFalse(self.load_rows(self.line_daily, [monday])[monday].planned_hours)
        self.wc_cut.production_line_id = self.line_daily
        self.assertFalse(self.load_rows(self.line_week, [monday])[monday].planned_hours)
        self.assertAlmostEqual(self.load_rows(self.line_daily, [monday])[monday].planned_hours, 2.5)

    def test_work_order_load_follows_what_it_comes_from(self):
        """The load a work order stores follows its own changes and those the ORM
        computes (the order's state when it is cancelled), before anything is flushed."""
        monday = self.next_weekday(0)
        production = self.make_order(self.product_roller)
        workorder = self.plan(production, self.utc(monday, 9), self.utc(monday, 10), 60)
        self.assertEqual(workorder.load_line_id, self.line_week)
        self.assertAlmostEqual(workorder.load_hours, 1.0)
        self.assertEqual((workorder.load_date_first, workorder.load_date_last), (monday, monday))
        workorder.duration_expected = 90
        self.assertAlmostEqual(workorder.load_hours, 1.5)
        # the order moved (which unplans its work orders): an unplanned work order starts
        # with its order and lasts its expected duration, here past midnight
        production.date_start = self.utc(monday, 23, 30)
        self.assertFalse(workorder.date_start)
        self.assertEqual(workorder.load_start, self.utc(monday, 23, 30))
        self.assertEqual(workorder.load_end, self.utc(monday, 23, 30) + timedelta(minutes=90))
        self.assertEqual(
            (workorder.load_date_first, workorder.load_date_last),
            (monday, monday + timedelta(days=1)),
        )
        self.assertAlmostEqual(
            self.load_rows(self.line_week, [monday])[monday].planned_hours, 0.5, places=6
        )
        production.action_cancel()
        self.assertEqual(production.state, "cancel")
        self.assertFalse(workorder.load_line_id)
        self.assertEqual(workorder.load_hours, 0.0)
        self.assertEqual(self.load_rows(self.line_week, [monday])[monday].planned_hours, 0.0)

    def test_stored_hours_follow_the_company_time_zone(self):
        tuesday = self.next_weekday(1)
        wednesday = tuesday + timedelta(days=1)
        production = self.make_order(self.product_roller)
        self.plan(production, self.utc(wednesday, 1, 30), self.utc(wednesday, 2, 30), 60)
        rows = self.load_rows(self.line_week, [wednesday])
        self.assertAlmostEqual(rows[wednesday].planned_hours, 1.0)
        # the company calendar goes to UTC: 01:30 Moscow is the day before
        self.env.company.resource_calendar_id.tz = "UTC"
        rows = self.load_rows(self.line_week, [tuesday, wednesday])
        self.assertAlmostEqual(rows[tuesday].planned_hours, 1.0)
        self.assertEqual(rows[wednesday].planned_hours, 0.0)

    def test_uninstall_hook_empties_the_funnel_stages(self):
        production = self.make_order(self.product_roller)
        self.env.flush_all()
        with self.assertRaises(RollbackError), self.env.cr.savepoint():
            uninstall_hook(self.env)
            # the orders may not keep the funnel stages from being removed
            self.env.cr.execute(
                "SELECT funnel_stage_id FROM mrp_production WHERE id = %s", [production.id]
            )
            self.assertEqual(self.env.cr.fetchone(), (None,))
            raise RollbackError
        self.env.invalidate_all()
        self.assertTrue(production.funnel_stage_id)
