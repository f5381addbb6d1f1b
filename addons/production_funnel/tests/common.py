from datetime import datetime, time, timedelta

import pytz

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

MOSCOW = pytz.timezone("Europe/Moscow")


class ProductionFunnelCase(TransactionCase):
    """Two lines on a company calendar in Moscow time (UTC+3, no DST).

    * ``line_week``: two work centers on a Mon-Fri 8 h calendar, one of capacity 1 at
      100 % and one of capacity 2 at 50 % efficiency: 16 h a weekday, nothing at weekends;
    * ``line_daily``: one work center on a seven-day 8 h calendar, capacity 1 at 100 %;
    * ``line_empty``: no work center at all.
    """

    @classmethod
    def _calendar(cls, name, days):
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": "Europe/Moscow",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {start}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in days
                    for start, end, period in ((9, 13, "morning"), (14, 18, "afternoon"))
                ],
            }
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.calendar_week = cls._calendar("PF test: Mon-Fri 9-13, 14-18 Moscow", range(5))
        cls.calendar_daily = cls._calendar("PF test: every day 9-13, 14-18 Moscow", range(7))
        cls.company.resource_calendar_id = cls.calendar_week
        Line = cls.env["production.line"]
        Workcenter = cls.env["mrp.workcenter"]
        cls.category_blinds = cls.env["product.category"].create({"name": "PF Blinds"})
        cls.category_roller = cls.env["product.category"].create(
            {"name": "PF Roller", "parent_id": cls.category_blinds.id}
        )
        cls.category_vertical = cls.env["product.category"].create({"name": "PF Vertical"})
        cls.line_week = Line.create(
            {
                "name": "PF Roller line",
                "code": "PFR",
                "product_category_ids": [Command.link(cls.category_blinds.id)],
                "spec_field_ids": [
                    Command.set(
                        [
                            cls.env.ref("production_funnel.field_mrp_production__spec_width").id,
                            cls.env.ref("production_funnel.field_mrp_production__spec_height").id,
                            cls.env.ref("production_funnel.field_mrp_production__spec_fabric").id,
                        ]
                    )
                ],
            }
        )
        cls.line_daily = Line.create(
            {
                "name": "PF Vertical line",
                "code": "PFV",
                "product_category_ids": [Command.link(cls.category_vertical.id)],
            }
        )
        cls.line_empty = Line.create({"name": "PF Empty line", "code": "PFE"})
        cls.wc_cut = Workcenter.create(
            {
                "name": "PF Cutting",
                "resource_calendar_id": cls.calendar_week.id,
                "default_capacity": 1,
                "time_efficiency": 100,
                "production_line_id": cls.line_week.id,
            }
        )
        cls.wc_assembly = Workcenter.create(
            {
                "name": "PF Assembly",
                "resource_calendar_id": cls.calendar_week.id,
                "default_capacity": 2,
                "time_efficiency": 50,
                "production_line_id": cls.line_week.id,
            }
        )
        cls.wc_vertical = Workcenter.create(
            {
                "name": "PF Vertical",
                "resource_calendar_id": cls.calendar_daily.id,
                "default_capacity": 1,
                "time_efficiency": 100,
                "production_line_id": cls.line_daily.id,
            }
        )
        cls.product_roller = cls._product("PF Roller blind", cls.category_roller, cls.wc_cut, 60)
        cls.product_vertical = cls._product(
            "PF Vertical blind", cls.category_vertical, cls.wc_vertical, 60
        )
        cls.stage_spec = cls.env.ref("production_funnel.stage_waiting_spec")
        cls.stage_queued = cls.env.ref("production_funnel.stage_queued")
        cls.stage_cutting = cls.env.ref("production_funnel.stage_cutting")
        cls.stage_packed = cls.env.ref("production_funnel.stage_packed")
        cls.mrp_user = new_test_user(
            cls.env, login="pf_mrp_user", groups="mrp.group_mrp_user", name="PF Production User"
        )
        cls.mrp_manager = new_test_user(
            cls.env,
            login="pf_mrp_manager",
            groups="mrp.group_mrp_manager",
            name="PF Production Head",
        )
        cls.salesman = new_test_user(
            cls.env,
            login="pf_salesman",
            groups="sales_team.group_sale_salesman",
            name="PF Salesman",
        )
        cls.portal_user = new_test_user(
            cls.env, login="pf_portal", groups="base.group_portal", name="PF Dealer"
        )

    @classmethod
    def _product(cls, name, category, workcenter, minutes):
        product = cls.env["product.product"].create(
            {"name": name, "type": "consu", "categ_id": category.id}
        )
        cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "product_qty": 1,
                "type": "normal",
                "operation_ids": [
                    Command.create(
                        {
                            "name": "Make",
                            "workcenter_id": workcenter.id,
                            "time_mode": "manual",
                            "time_cycle_manual": minutes,
                        }
                    )
                ],
            }
        )
        return product

    # ------------------------------------------------------------ helpers
    def make_order(self, product=None, qty=1, **values):
        values.setdefault("user_id", self.mrp_user.id)
        return self.env["mrp.production"].create(
            dict(values, product_id=(product or self.product_roller).id, product_qty=qty)
        )

    def today(self):
        return datetime.now(MOSCOW).date()

    def next_weekday(self, weekday, weeks=1):
        """A date ``weeks`` weeks ahead on ``weekday`` (0 = Monday), in Moscow."""
        today = self.today()
        return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)

    @staticmethod
    def utc(day, hour, minute=0):
        """Naive UTC datetime of ``day`` at ``hour:minute`` Moscow time."""
        local = MOSCOW.localize(datetime.combine(day, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def plan(self, production, start, end, minutes):
        """Put the order's work order on [start, end] with an expected duration."""
        workorder = production.workorder_ids
        self.assertEqual(len(workorder), 1)
        workorder.write({"date_start": start, "date_finished": end, "duration_expected": minutes})
        return workorder

    def load_rows(self, line, dates):
        self.env.flush_all()
        self.env.invalidate_all()  # the report is a view: read it again
        rows = self.env["production.line.load"].search(
            [("line_id", "=", line.id), ("date", "in", list(dates))]
        )
        return {row.date: row for row in rows}
