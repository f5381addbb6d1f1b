"""The suite over RPC, as scripts use it: odoorpc against a live server."""

import xmlrpc.client

import odoorpc
import pytest


def test_login_over_xmlrpc(odoo_server):
    common = xmlrpc.client.ServerProxy(f"{odoo_server['url']}/xmlrpc/2/common")
    assert common.version()["server_version_info"][0] == 18
    uid = common.authenticate(odoo_server["db"], "admin", "admin", {})
    assert uid, "admin/admin must log in on the demo database"
    assert not common.authenticate(odoo_server["db"], "admin", "wrong password", {})


def test_every_addon_is_installed(odoo_rpc, suite_addons):
    modules = odoo_rpc.env["ir.module.module"].search_read(
        [("name", "in", suite_addons)], ["name", "state"]
    )
    states = {module["name"]: module["state"] for module in modules}
    assert states == dict.fromkeys(suite_addons, "installed")


def test_funnel_sla_flags_a_stalled_record(odoo_rpc):
    env = odoo_rpc.env
    stage_id = env["test.funnel.sla.stage"].create({"name": "RPC intake", "sla_hours": 2})
    record_id = env["test.funnel.sla.record"].create(
        {"name": "RPC stalled", "stage_id": stage_id, "sla_stage_date": "2020-01-06 06:00:00"}
    )
    cron = env.ref("funnel_sla.ir_cron_funnel_sla_check")
    cron.method_direct_trigger()
    record = env["test.funnel.sla.record"].read([record_id], ["is_stalled", "sla_deadline"])[0]
    assert record["is_stalled"] is True
    assert record["sla_deadline"]
    activities = env["mail.activity"].search_count(
        [
            ("res_model", "=", "test.funnel.sla.record"),
            ("res_id", "=", record_id),
            ("activity_type_id", "=", env.ref("funnel_sla.mail_activity_type_sla_stalled").id),
        ]
    )
    assert activities == 1
    cron.method_direct_trigger()
    assert (
        env["mail.activity"].search_count(
            [("res_model", "=", "test.funnel.sla.record"), ("res_id", "=", record_id)]
        )
        == 1
    ), "a second run must not add a second activity"


def test_funnel_sla_refuses_a_negative_sla_with_a_clear_message(odoo_rpc):
    with pytest.raises(odoorpc.error.RPCError) as error:
        odoo_rpc.env["test.funnel.sla.stage"].create({"name": "Broken stage", "sla_hours": -3})
    assert "Broken stage" in str(error.value)
    assert "negative" in str(error.value)
    assert not odoo_rpc.env["test.funnel.sla.stage"].search([("name", "=", "Broken stage")])


def test_claims_funnel_over_rpc(odoo_rpc):
    """claims: the demo funnel has claims in every stage, one overdue, and closing without
    a conclusion is refused with the missing field named."""
    env = odoo_rpc.env
    Ticket = env["helpdesk.ticket"]
    claims = Ticket.search_read(
        [("is_claim", "=", True)], ["stage_id", "is_stalled", "conclusion", "cause_category"]
    )
    assert claims, "the demo database has claims"
    claim_stages = {claim["stage_id"][0] for claim in claims}
    for xmlid in ("registered", "investigation", "decision", "remedy", "closed", "rejected"):
        assert env.ref(f"claims.stage_claim_{xmlid}").id in claim_stages, xmlid
    assert any(claim["is_stalled"] for claim in claims), "one demo claim is overdue"
    open_claim = next(
        c for c in claims if c["stage_id"][0] == env.ref("claims.stage_claim_investigation").id
    )
    closed_stage = env.ref("claims.stage_claim_closed").id
    with pytest.raises(odoorpc.error.RPCError) as error:
        Ticket.write([open_claim["id"]], {"stage_id": closed_stage, "conclusion": False})
    assert "Conclusion" in str(error.value)
    after = Ticket.read([open_claim["id"]], ["stage_id"])[0]
    assert after["stage_id"][0] == open_claim["stage_id"][0], "the claim was left as it was"
    categories = {c["category"] for c in env["claim.cause"].search_read([], ["category"])}
    assert categories >= {"process", "human", "material", "supplier", "logistics", "other"}


def test_needs_registry_finds_the_same_demand_over_rpc(odoo_rpc):
    """needs_registry: a need with the demo dealer's products, saved over RPC, is matched
    exactly to the dealer's open need; closing it as a duplicate needs a comment."""
    env = odoo_rpc.env
    Need = env["customer.need"]
    dealer_need = env.ref("needs_registry.need_dealer")
    product_ids = [line.product_id.id for line in dealer_need.line_ids]
    need_id = Need.create(
        {
            "partner_id": env.ref("needs_registry.partner_hospital").id,
            "date_start": "2026-01-01",
            "date_end": "2026-03-31",
            "line_ids": [(0, 0, {"product_id": pid, "product_uom_qty": 7}) for pid in product_ids],
        }
    )
    matches = env["customer.need.match"].search_read(
        [("need_id", "=", need_id)], ["matched_need_id", "match_type"]
    )
    assert {"matched_need_id": dealer_need.id, "match_type": "exact"} in [
        {
            "matched_need_id": m["matched_need_id"] and m["matched_need_id"][0],
            "match_type": m["match_type"],
        }
        for m in matches
    ]
    with pytest.raises(odoorpc.error.RPCError):
        Need.mark_duplicate([need_id], dealer_need.id, "")
    assert Need.read([need_id], ["state"])[0]["state"] == "open"
    Need.mark_duplicate([need_id], dealer_need.id, "The dealer's need is the real one")
    closed = Need.read([need_id], ["state", "duplicate_of_id"])[0]
    assert closed["state"] == "duplicate"
    assert closed["duplicate_of_id"][0] == dealer_need.id


def test_production_funnel_lines_and_orders_over_rpc(odoo_rpc):
    """production_funnel: the demo lines report their load from the work centers, the
    per-day report has rows, and an order missing its spec cannot leave the first stage."""
    env = odoo_rpc.env
    lines = env["production.line"].search_read(
        [],
        ["name", "code", "workcenter_ids", "load_today", "load_peak", "load_average", "load_state"],
    )
    assert len(lines) >= 3
    assert all(line["workcenter_ids"] for line in lines)
    assert {line["load_state"] for line in lines} <= {"under", "normal", "over", "no_capacity"}
    roller = env.ref("production_funnel.production_line_roller").id
    rows = env["production.line.load"].search_read(
        [("line_id", "=", roller)], ["date", "planned_hours", "capacity_hours", "load_percent"]
    )
    assert rows and any(row["planned_hours"] > 0 for row in rows)
    order = env.ref("production_funnel.production_roller_1")
    assert order.production_line_id.id == roller
    first_stage = order.funnel_stage_id.id
    next_stage = env["production.funnel.stage"].search(
        [
            ("sequence", ">", order.funnel_stage_id.sequence),
            ("is_spec_stage", "=", False),
            "|",
            ("line_ids", "=", False),
            ("line_ids", "in", [roller]),
        ],
        order="sequence",
        limit=1,
    )
    assert next_stage, "the funnel has a stage after the spec stage"
    with pytest.raises(odoorpc.error.RPCError) as error:
        env["mrp.production"].write([order.id], {"funnel_stage_id": next_stage[0]})
    assert "Height" in str(error.value), "the refusal names the missing spec fields"
    assert (
        env["mrp.production"].read([order.id], ["funnel_stage_id"])[0]["funnel_stage_id"][0]
        == first_stage
    )
