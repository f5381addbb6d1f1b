from datetime import timedelta

import odoorpc

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import ProductionFunnelCase


@tagged("post_install", "-at_install")
class TestProductionFunnelRpc(ProductionFunnelCase, HttpCase):
    def test_script_reads_line_loads_over_json_rpc(self):
        monday = self.next_weekday(0)
        production = self.make_order(self.product_roller, qty=6)
        self.plan(production, self.utc(monday, 9), self.utc(monday, 15), 360)
        # the server works on the same connection: write out what this test holds in memory
        # and run what a commit runs before committing (the stored planned hours)
        self.env.cr.flush()
        client = odoorpc.ODOO("127.0.0.1", port=self.http_port(), timeout=60)
        client.login(self.env.cr.dbname, "pf_mrp_user", "pf_mrp_user")
        lines = client.env["production.line"].search_read(
            [("code", "in", ["PFR", "PFE"])],
            ["name", "code", "load_today", "load_peak", "load_average", "load_state"],
        )
        states = {line["code"]: line["load_state"] for line in lines}
        self.assertEqual(states["PFE"], "no_capacity")
        self.assertIn(states["PFR"], ("under", "normal", "over"))
        [row] = client.env["production.line.load"].search_read(
            [("line_id", "=", self.line_week.id), ("date", "=", monday.isoformat())],
            [
                "line_id",
                "date",
                "planned_hours",
                "capacity_hours",
                "load_percent",
                "forecast_hours",
            ],
        )
        self.assertEqual(row["line_id"][0], self.line_week.id)
        self.assertAlmostEqual(row["planned_hours"], 6.0)
        self.assertAlmostEqual(row["capacity_hours"], 16.0)
        self.assertAlmostEqual(row["load_percent"], 37.5)
        with self.assertRaisesRegex(odoorpc.error.RPCError, "Height"):
            client.env["mrp.production"].write(
                [production.id], {"funnel_stage_id": self.stage_queued.id}
            )
        self.env.invalidate_all()
        self.assertEqual(production.funnel_stage_id, self.stage_spec)

    def test_planned_hours_follow_a_work_order_changed_over_json_rpc(self):
        # one request plans a work order, the next reads the report: the stored planned
        # hours were recomputed when the first request committed
        monday = self.next_weekday(0)
        production = self.make_order(self.product_roller, qty=2)
        workorder = self.plan(production, self.utc(monday, 9), self.utc(monday, 11), 120)
        self.env.cr.flush()
        client = odoorpc.ODOO("127.0.0.1", port=self.http_port(), timeout=60)
        client.login(self.env.cr.dbname, "pf_mrp_user", "pf_mrp_user")

        def planned(day):
            rows = client.env["production.line.load"].search_read(
                [("line_id", "=", self.line_week.id), ("date", "=", day.isoformat())],
                ["planned_hours"],
            )
            return rows[0]["planned_hours"]

        self.assertAlmostEqual(planned(monday), 2.0)
        tuesday = monday + timedelta(days=1)
        client.env["mrp.workorder"].write(
            [workorder.id],
            {
                "date_start": fields.Datetime.to_string(self.utc(tuesday, 9)),
                "date_finished": fields.Datetime.to_string(self.utc(tuesday, 12)),
                "duration_expected": 180,
            },
        )
        self.assertAlmostEqual(planned(monday), 0.0)
        self.assertAlmostEqual(planned(tuesday), 3.0)
        client.env["mrp.production"].action_cancel([production.id])
        self.assertAlmostEqual(planned(tuesday), 0.0)
