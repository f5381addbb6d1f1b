"""amigo_partner_tiers over RPC, as the nightly tier scripts use it (odoorpc, demo data)."""

import odoorpc
import pytest


def _tier_codes(env):
    return {
        env.ref(f"amigo_partner_tiers.tier_{code}").id: code
        for code in ("green", "yellow", "red", "black")
    }


def test_demo_dealers_span_every_tier(odoo_rpc):
    env = odoo_rpc.env
    codes = _tier_codes(env)
    ids = [
        env.ref(f"amigo_partner_tiers.{xmlid}").id
        for xmlid in ("demo_dealer_okna", "demo_office_siberia", "demo_dealer_uyut",
                      "demo_dealer_bigdom", "demo_dealer_solnce", "demo_dealer_zhalyuzi",
                      "demo_dealer_tkan")
    ]  # fmt: skip
    dealers = env["res.partner"].search_read(
        [("id", "in", ids), ("tier_id", "!=", False)],
        ["name", "tier_id", "tier_score", "tier_sales_volume", "tier_potential"],
    )
    assert len(dealers) == 7
    assert {codes[d["tier_id"][0]] for d in dealers} == {"green", "yellow", "red", "black"}
    big = next(d for d in dealers if d["name"] == "Bolshoy Dom Interiors")
    assert big["tier_potential"] == "high"


def test_recompute_one_partner_writes_an_assessment(odoo_rpc):
    env = odoo_rpc.env
    partner_id = env.ref("amigo_partner_tiers.demo_dealer_uyut").id
    Assessment = env["partner.tier.assessment"]
    before = Assessment.search_count([("partner_id", "=", partner_id)])
    env["res.partner"].browse(partner_id).action_recompute_tier()
    rows = Assessment.search_read(
        [("partner_id", "=", partner_id)],
        ["score", "tier_id", "previous_tier_id", "sales_volume"],
        order="id desc",
    )
    assert len(rows) == before + 1
    partner = env["res.partner"].read(
        [partner_id], ["tier_id", "tier_score", "tier_sales_volume", "estimated_purchase_volume"]
    )[0]
    assert partner["tier_id"][0] == rows[0]["tier_id"][0]
    assert partner["tier_score"] == pytest.approx(rows[0]["score"])
    assert rows[0]["previous_tier_id"], "the demo dealer was assessed before"


def test_nightly_cron_runs(odoo_rpc):
    env = odoo_rpc.env
    before = env["partner.tier.assessment"].search_count([])
    env.ref("amigo_partner_tiers.ir_cron_assess_tiers").method_direct_trigger()
    assert env["partner.tier.assessment"].search_count([]) > before


def test_policy_with_bad_weights_is_refused_with_a_clear_message(odoo_rpc):
    with pytest.raises(odoorpc.error.RPCError) as error:
        odoo_rpc.env["partner.tier.policy"].create(
            {"name": "RPC broken policy", "weight_volume": 90}
        )
    assert "RPC broken policy" in str(error.value)
    assert "sum to 100" in str(error.value)
    assert not odoo_rpc.env["partner.tier.policy"].search([("name", "=", "RPC broken policy")])


def test_region_routing_over_rpc(odoo_rpc):
    env = odoo_rpc.env
    lead_id = env["crm.lead"].create({"name": "RPC web lead", "city": "Novosibirsk"})
    lead = env["crm.lead"].read([lead_id], ["team_id", "state_id", "region_routed"])[0]
    assert lead["team_id"][0] == env.ref("amigo_partner_tiers.demo_team_siberia").id
    assert lead["state_id"][0] == env.ref("base.state_ru_nvs").id
    assert lead["region_routed"] is True
