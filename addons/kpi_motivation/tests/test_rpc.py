import odoorpc

from odoo.tests import HttpCase, tagged

from .test_scores import ScoreCase


@tagged("post_install", "-at_install")
class TestKpiRpc(ScoreCase, HttpCase):
    def _client(self, login):
        client = odoorpc.ODOO("127.0.0.1", port=self.http_port(), timeout=60)
        client.login(self.env.cr.dbname, login, login)
        return client

    def test_head_plans_and_closes_over_rpc_managers_read_their_own(self):
        head = self._client("kpi_head")
        Plan = head.env["sales.plan"]
        plan_id = Plan.create(
            {
                "name": "RPC team plan",
                "team_id": self.team.id,
                "date_from": str(self.month_start),
                "date_to": str(self.month_end),
                "revenue_target": 800_000,
                "average_deal": 40_000,
                "step_ids": [
                    (0, 0, {"stage_id": stage.id, "conversion": conversion})
                    for stage, conversion in (
                        (self.stage_lead, 0.6),
                        (self.stage_qualified, 0.45),
                        (self.stage_proposal, 0.35),
                    )
                ],
            }
        )
        Plan.action_decompose([plan_id])
        steps = head.env["sales.plan.step"].search_read(
            [("plan_id", "=", plan_id)],
            ["stage_id", "conversion", "required_count"],
            order="sequence",
        )
        self.assertEqual([s["required_count"] for s in steps], [215, 129, 58, 20])

        lead = self.make_lead(self.manager_1)
        self.done_activity(self.manager_1, lead, self.type_call)
        head.env["motivation.score"].action_compute_month()
        Score = head.env["motivation.score"]
        interface = ["user_id", "date_from", "date_to", "points", "level_id", "payout", "state"]
        rows = Score.search_read([("scheme_id", "=", self.scheme.id)], interface)
        self.assertEqual(len(rows), 4)
        own = next(r for r in rows if r["user_id"][0] == self.manager_1.id)
        self.assertEqual(own["points"], 2)
        self.assertEqual(own["payout"], 10_000)
        Score.action_close([own["id"]])
        with self.assertRaisesRegex(odoorpc.error.RPCError, "closed"):
            Score.action_compute([own["id"]])

        manager = self._client("kpi_manager_1")
        mine = manager.env["motivation.score"].search_read([], interface)
        self.assertEqual(
            [r["id"] for r in mine if r["date_from"] == str(self.month_start)], [own["id"]]
        )
        with self.assertRaises(odoorpc.error.RPCError):
            manager.env["motivation.score"].write([own["id"]], {"payout": 1})
