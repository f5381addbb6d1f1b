"""claims_production_funnel over RPC: a script files claims and reads their production line.

Runs against the all-addons database with demo data (see conftest.py), as admin.
"""

import odoorpc
import pytest


@pytest.fixture(scope="module")
def roller(odoo_rpc):
    """The demo roller blind (made on the roller line by its category) on a confirmed order."""
    env = odoo_rpc.env
    product = env.ref("production_funnel.product_roller")
    partner = env.ref("claims.partner_dealer_okna")
    order_id = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 5})],
        }
    )
    env["sale.order"].browse(order_id).action_confirm()
    return {
        "env": env,
        "product_id": product.id,
        "partner_id": partner.id,
        "order_id": order_id,
        "line_roller": env.ref("production_funnel.production_line_roller").id,
        "line_vertical": env.ref("production_funnel.production_line_vertical").id,
        "line_venetian": env.ref("production_funnel.production_line_venetian").id,
    }


def _claim(roller, name, **values):
    return roller["env"]["helpdesk.ticket"].create(
        dict(
            {
                "name": name,
                "description": "<p>Filed by a script</p>",
                "is_claim": True,
                "partner_id": roller["partner_id"],
                "sale_order_id": roller["order_id"],
                "product_id": roller["product_id"],
                "claim_quantity": 1,
            },
            **values,
        )
    )


def _line_of(roller, claim_id):
    [row] = roller["env"]["helpdesk.ticket"].read([claim_id], ["production_line_id"])
    return row["production_line_id"] and row["production_line_id"][0]


def test_claim_takes_the_line_of_its_product(roller):
    claim_id = _claim(roller, "RPC: roller blind frays")
    assert _line_of(roller, claim_id) == roller["line_roller"]
    # a line chosen by hand is kept
    roller["env"]["helpdesk.ticket"].write(
        [claim_id], {"production_line_id": roller["line_venetian"]}
    )
    assert _line_of(roller, claim_id) == roller["line_venetian"]


def test_claim_takes_the_line_of_its_production_order(roller):
    env = roller["env"]
    # a roller blind made, exceptionally, on the vertical line
    production_id = env["mrp.production"].create(
        {
            "product_id": roller["product_id"],
            "product_qty": 1,
            "production_line_id": roller["line_vertical"],
        }
    )
    claim_id = _claim(roller, "RPC: roller blind from a known order", production_id=production_id)
    assert _line_of(roller, claim_id) == roller["line_vertical"]
    [row] = env["helpdesk.ticket"].read([claim_id], ["production_id", "is_claim"])
    assert row["is_claim"] is True
    assert row["production_id"][0] == production_id

    counts = env["production.line"].read([roller["line_vertical"]], ["claim_count"])[0]
    assert counts["claim_count"] >= 1
    groups = env["claim.analysis"].read_group(
        [("production_line_id", "=", roller["line_vertical"])],
        ["claim_count:sum"],
        ["production_line_id"],
        lazy=False,
    )
    assert groups[0]["claim_count"] == counts["claim_count"]


def test_production_order_of_another_product_is_refused(roller):
    env = roller["env"]
    other_id = env.ref("production_funnel.production_vertical_1").id
    claim_id = _claim(roller, "RPC: wrong production order")
    with pytest.raises(odoorpc.error.RPCError) as error:
        env["helpdesk.ticket"].write([claim_id], {"production_id": other_id})
    assert "not the claimed product" in str(error.value)
    [row] = env["helpdesk.ticket"].read([claim_id], ["production_id"])
    assert row["production_id"] is False
