"""kpi_motivation over RPC, as scripts use it: odoorpc against the all-addons demo database."""

import odoorpc
import pytest


def _steps(env, plan_id):
    steps = env["sales.plan.step"].search_read(
        [("plan_id", "=", plan_id)],
        ["sequence", "stage_id", "conversion", "required_count", "required_per_manager"],
        order="sequence",
    )
    return steps


def test_demo_plan_is_seed_003(odoo_rpc):
    """The demo team plan: 800,000 at 40,000 a deal = 20 sales for four managers, and the
    leading indicators backwards through the conversions, rounded up."""
    env = odoo_rpc.env
    plan_id = env.ref("kpi_motivation.demo_plan").id
    [plan] = env["sales.plan"].read(
        [plan_id],
        ["team_id", "date_from", "date_to", "revenue_target", "average_deal", "sales_count",
         "is_reachable", "state"],
    )  # fmt: skip
    assert plan["revenue_target"] == 800_000
    assert plan["average_deal"] == 40_000
    assert plan["sales_count"] == 20
    assert plan["is_reachable"] is True
    assert plan["state"] == "decomposed"
    steps = _steps(env, plan_id)
    assert [s["required_count"] for s in steps] == [215, 129, 58, 20]
    assert [s["required_per_manager"] for s in steps] == [54, 33, 15, 5]


def test_script_sets_a_plan_and_decomposes_it(odoo_rpc):
    env = odoo_rpc.env
    team_id = env.ref("kpi_motivation.demo_team").id
    stage_ids = [env.ref(f"crm.stage_lead{n}").id for n in (1, 2, 3)]
    plan_id = env["sales.plan"].create(
        {
            "name": "RPC plan",
            "team_id": team_id,
            "date_from": "2031-03-01",
            "date_to": "2031-03-31",
            "revenue_target": 1_000_000,
            "average_deal": 40_000,
            "step_ids": [
                (0, 0, {"stage_id": stage_id, "conversion": conversion})
                for stage_id, conversion in zip(stage_ids, (0.5, 0.5, 0.25), strict=True)
            ],
        }
    )
    env["sales.plan"].action_decompose([plan_id])
    # 25 sales; 25 / 0.25 = 100; 100 / 0.5 = 200; 200 / 0.5 = 400
    assert [s["required_count"] for s in _steps(env, plan_id)] == [400, 200, 100, 25]
    # a conversion of 0 makes the plan unreachable instead of failing
    [second] = [s for s in _steps(env, plan_id) if s["stage_id"][0] == stage_ids[1]]
    env["sales.plan.step"].write([second["id"]], {"conversion": 0})
    env["sales.plan"].action_decompose([plan_id])
    [plan] = env["sales.plan"].read([plan_id], ["is_reachable", "unreachable_reason"])
    assert plan["is_reachable"] is False
    assert "0%" in plan["unreachable_reason"]


def test_bad_plan_is_refused_with_the_field_named(odoo_rpc):
    env = odoo_rpc.env
    with pytest.raises(odoorpc.error.RPCError) as error:
        env["sales.plan"].create(
            {"name": "RPC broken plan", "date_from": "2031-01-01", "date_to": "2031-01-31"}
        )
    assert "Salesperson or a Sales Team" in str(error.value)
    assert not env["sales.plan"].search([("name", "=", "RPC broken plan")])


def test_demo_scores_of_the_four_managers(odoo_rpc):
    env = odoo_rpc.env
    plan_id = env.ref("kpi_motivation.demo_plan").id
    [plan] = env["sales.plan"].read([plan_id], ["date_from", "manager_ids"])
    scores = env["motivation.score"].search_read(
        [("user_id", "in", plan["manager_ids"]), ("date_from", "=", plan["date_from"])],
        ["user_id", "date_from", "date_to", "points", "level_id", "payout", "state"],
    )
    assert len(scores) == 4
    assert all(score["payout"] > 0 and score["level_id"] for score in scores)
    assert max(score["points"] for score in scores) >= 890, "one demo manager is above plan"
    kpis = env["kpi.report"].read_group(
        [("user_id", "in", plan["manager_ids"]), ("month", "=", plan["date_from"])],
        ["revenue:sum", "call_count:sum", "plan_percent:avg"],
        [],
    )
    assert kpis[0]["call_count"] > 0
    assert kpis[0]["revenue"] > 0


def test_funnel_conversion_of_the_demo_team(odoo_rpc):
    env = odoo_rpc.env
    team_id = env.ref("kpi_motivation.demo_team").id
    groups = env["kpi.stage.report"].read_group(
        [("team_id", "=", team_id)],
        ["reached:sum", "next_reached:sum", "conversion:avg"],
        ["stage_id"],
    )
    reached = {g["stage_id"][0]: g["reached"] for g in groups}
    first, second = env.ref("crm.stage_lead1").id, env.ref("crm.stage_lead2").id
    assert reached[first] >= reached[second] > 0
    [first_group] = [g for g in groups if g["stage_id"][0] == first]
    assert 0 < first_group["conversion"] <= 100
