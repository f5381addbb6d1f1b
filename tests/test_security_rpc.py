"""Trust boundaries over RPC: every attack of issue 15, tried on the live demo database
as the role that would try it (JSON-RPC through odoorpc, exactly what a script sends).

Each attack must be refused and leave the data as the admin read it before. The addons'
own tests (tests/test_security*.py of each addon) cover the same rules inside Odoo; these
prove them at the door an external dealer or a script actually uses.
"""

import datetime

import odoorpc
import pytest

RPCError = odoorpc.error.RPCError


def _ref(env, xmlid):
    return env.ref(xmlid).id


def _read(env, model, record_id, fields):
    return env[model].read([record_id], fields)[0]


@pytest.fixture(scope="module")
def admin(odoo_rpc):
    return odoo_rpc.env


@pytest.fixture(scope="module")
def as_role(roles, login_rpc):
    sessions = {}

    def get(role):
        if role not in sessions:
            sessions[role] = login_rpc(*roles[role]).env
        return sessions[role]

    return get


# ------------------------------------------------------------------ portal dealer
LEAD_FIELDS = ["expected_revenue", "probability", "user_id", "partner_id", "company_id",
               "dealer_partner_id", "stage_id", "active", "name"]  # fmt: skip


@pytest.mark.parametrize(
    "field, value",
    [("expected_revenue", 1e9), ("probability", 100.0), ("user_id", "admin"),
     ("partner_id", "other"), ("company_id", "company_b"), ("dealer_partner_id", "other"),
     ("name", "Renamed by the dealer")],
)  # fmt: skip
def test_portal_dealer_cannot_write_a_forwarded_lead(admin, as_role, roles, field, value):
    lead_id = _ref(admin, "amigo_partner_tiers.demo_lead_siberia_1")
    before = _read(admin, "crm.lead", lead_id, LEAD_FIELDS)
    value = {
        "admin": _ref(admin, "base.user_admin"),
        "other": _ref(admin, "amigo_partner_tiers.demo_dealer_okna"),
        "company_b": roles["company_b"],
    }.get(value, value)
    dealer = as_role("portal_dealer")
    with pytest.raises(RPCError):
        dealer["crm.lead"].browse(lead_id).write({field: value})
    assert _read(admin, "crm.lead", lead_id, LEAD_FIELDS) == before


def test_portal_dealer_still_reads_its_forwarded_leads(admin, as_role):
    """The refusals above are not a locked door: the dealer keeps reading its leads."""
    lead_id = _ref(admin, "amigo_partner_tiers.demo_lead_siberia_1")
    dealer = as_role("portal_dealer")
    assert lead_id in dealer["crm.lead"].search([])
    assert dealer["crm.lead"].read([lead_id], ["name"])[0]["name"]


def test_portal_dealer_cannot_add_followers(admin, as_role):
    lead_id = _ref(admin, "amigo_partner_tiers.demo_lead_siberia_1")
    stranger = _ref(admin, "amigo_partner_tiers.demo_dealer_okna")

    def followers():
        return set(
            admin["mail.followers"].search(
                [("res_model", "=", "crm.lead"), ("res_id", "=", lead_id)]
            )
        )

    before = followers()
    dealer = as_role("portal_dealer")
    with pytest.raises(RPCError):
        dealer["crm.lead"].browse(lead_id).message_subscribe(partner_ids=[stranger])
    assert followers() == before


@pytest.mark.parametrize(
    "field",
    ["tier_score", "tier_potential", "tier_wallet_share", "estimated_purchase_volume",
     "tier_sales_volume", "tier_high_margin_share", "tier_matrix_coverage"],
)  # fmt: skip
def test_portal_dealer_cannot_read_its_tier_scoring(admin, as_role, field):
    partner_id = _ref(admin, "amigo_partner_tiers.demo_office_siberia")
    dealer = as_role("portal_dealer")
    with pytest.raises(RPCError):
        dealer["res.partner"].read([partner_id], [field])
    with pytest.raises(RPCError):
        dealer["res.partner"].search_read([("id", "=", partner_id)], [field])


# ---------------------------------------------------------------- portal customer
def test_portal_customer_cannot_write_its_claim(admin, as_role):
    claim_id = _ref(admin, "claims.claim_decision")
    fields = ["stage_id", "is_claim", "team_id", "user_id", "claim_quantity"]
    before = _read(admin, "helpdesk.ticket", claim_id, fields)
    closed = admin["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)[0]
    customer = as_role("portal_customer")
    for vals in ({"stage_id": closed}, {"is_claim": False}, {"claim_quantity": 999}):
        with pytest.raises(RPCError):
            customer["helpdesk.ticket"].browse(claim_id).write(vals)
    assert _read(admin, "helpdesk.ticket", claim_id, fields) == before


# ---------------------------------------------------------------- needs: own only
def _need_pair(admin):
    """The demo duplicate pair: Marc Demo's need and the admin's need (open, matched)."""
    mine = _ref(admin, "needs_registry.need_dealer")
    theirs = _ref(admin, "needs_registry.need_hospital")
    match_ids = admin["customer.need.match"].search(
        [("need_id", "=", mine), ("matched_need_id", "=", theirs)]
    )
    assert match_ids, "the demo needs of Marc Demo and the admin are a duplicate pair"
    return mine, theirs, match_ids[0]


MATCH_FIELDS = ["need_id", "matched_need_id", "matched_order_id", "score", "match_type", "state"]


def test_need_user_cannot_repoint_a_match(admin, as_role):
    mine, theirs, match_id = _need_pair(admin)
    # another manager's need the user must never reach through a match
    other = admin["customer.need"].create(
        {
            "partner_id": _ref(admin, "base.res_partner_3"),
            "user_id": _ref(admin, "base.user_admin"),
            "line_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": admin["product.product"].search(
                            [("sale_ok", "=", True)], limit=1, order="id desc"
                        )[0],
                        "product_uom_qty": 1,
                    },
                )
            ],
        }
    )
    order = admin["sale.order"].search([("user_id", "!=", _ref(admin, "base.user_demo"))], limit=1)
    before = _read(admin, "customer.need.match", match_id, MATCH_FIELDS)
    user = as_role("need_user")
    for vals in (
        {"matched_need_id": other},
        {"matched_need_id": False, "matched_order_id": order[0]},
        {"need_id": theirs},
        {"score": 0.01},
    ):
        with pytest.raises(RPCError):
            user["customer.need.match"].browse(match_id).write(vals)
    with pytest.raises(RPCError):
        user["customer.need.match"].create(
            {"need_id": mine, "matched_need_id": other, "score": 1.0, "match_type": "exact"}
        )
    assert _read(admin, "customer.need.match", match_id, MATCH_FIELDS) == before
    assert not admin["customer.need.match"].search(
        [("need_id", "=", mine), ("matched_need_id", "=", other)]
    )
    admin["customer.need"].browse(other).mark_lost("security test")


def test_need_user_cannot_move_a_line_into_another_managers_need(admin, as_role):
    mine, theirs, _match = _need_pair(admin)
    line_id = admin["customer.need.line"].search([("need_id", "=", mine)], limit=1)[0]
    user = as_role("need_user")
    with pytest.raises(RPCError):
        user["customer.need.line"].browse(line_id).write({"need_id": theirs})
    assert _read(admin, "customer.need.line", line_id, ["need_id"])["need_id"][0] == mine
    product = admin["customer.need.line"].read([line_id], ["product_id"])[0]["product_id"][0]
    with pytest.raises(RPCError):
        user["customer.need.line"].create(
            {"need_id": theirs, "product_id": product, "product_uom_qty": 1}
        )


def test_a_context_key_skips_no_duplicate_check(admin, as_role):
    """`needs_skip_detection` in the RPC context neither hides a duplicate nor lets the
    last line of a need go."""
    user = as_role("need_user")
    pair_products = admin["customer.need.line"].read(
        admin["customer.need.line"].search(
            [("need_id", "=", _ref(admin, "needs_registry.need_hospital"))]
        ),
        ["product_id", "product_uom_qty"],
    )
    partner = _ref(admin, "base.res_partner_2")
    Need = user["customer.need"].with_context(needs_skip_detection=True)
    need_id = Need.create(
        {
            "partner_id": partner,
            "line_ids": [
                (0, 0, {"product_id": p["product_id"][0], "product_uom_qty": 5})
                for p in pair_products
            ],
        }
    )
    assert admin["customer.need.match"].search_count([("need_id", "=", need_id)]), (
        "a need with the composition of another open need is matched, whatever the context"
    )
    lines = admin["customer.need.line"].search([("need_id", "=", need_id)])
    Line = user["customer.need.line"].with_context(needs_skip_detection=True)
    with pytest.raises(RPCError):
        Line.browse(lines).unlink()
    assert admin["customer.need.line"].search_count([("need_id", "=", need_id)]) == len(lines)
    user["customer.need"].browse(need_id).mark_lost("security test: not a real need")


# --------------------------------------------------------- context keys: catalog
def test_a_context_key_grants_no_catalog_rights(admin, as_role):
    manager = as_role("sales_manager")
    Template = manager["product.template"].with_context(needs_catalog_import=True)
    with pytest.raises(RPCError):
        Template.create({"name": "Smuggled product", "list_price": 1.0})
    assert not admin["product.template"].search([("name", "=", "Smuggled product")])
    product_id = admin["product.template"].search([("sale_ok", "=", True)], limit=1)[0]
    before = _read(admin, "product.template", product_id, ["name", "list_price"])
    with pytest.raises(RPCError):
        Template.browse(product_id).write({"list_price": 0.01})
    assert _read(admin, "product.template", product_id, ["name", "list_price"]) == before


# ----------------------------------------------------------------- other company
COMPANY_OWNED = [
    "motivation.level", "motivation.action", "motivation.score.line", "motivation.scheme",
    "motivation.score", "sales.plan", "sales.plan.step", "partner.tier.assessment", "customer.need",
    "customer.need.line", "customer.need.match", "production.line", "claim.analysis",
]  # fmt: skip


@pytest.mark.parametrize("model", COMPANY_OWNED)
def test_a_user_of_another_company_sees_nothing_of_company_a(admin, as_role, roles, model):
    if not admin[model].search_count([("company_id", "=", roles["company_a"])]):
        pytest.fail(f"the demo has no {model} of the main company to protect")
    other = as_role("company_b_user")
    assert not other[model].search_count([("company_id", "=", roles["company_a"])])
    assert not other[model].search_count([])


def test_a_user_of_another_company_sees_no_assortment_matrix_of_company_a(admin, as_role, roles):
    product = admin["product.product"].search([("sale_ok", "=", True)], limit=1)[0]
    matrix = admin["assortment.matrix"].create(
        {
            "name": "Security test matrix of company A",
            "company_id": roles["company_a"],
            "line_ids": [(0, 0, {"product_id": product})],
        }
    )
    lines = admin["assortment.matrix.line"].search([("matrix_id", "=", matrix)])
    assert lines
    other = as_role("company_b_user")
    assert not other["assortment.matrix"].search_count([("id", "=", matrix)])
    assert not other["assortment.matrix.line"].search_count([("id", "in", lines)])
    with pytest.raises(RPCError):
        other["assortment.matrix.line"].read(lines, ["product_id"])


def test_the_tier_migration_runs_only_on_the_users_companies(admin, as_role, roles):
    """The wizard of a user of company B never reads company A's assessments, whatever
    company it is given: refused, or computed on the user's own companies only."""
    assert admin["partner.tier.assessment"].search_count([("company_id", "=", roles["company_a"])])
    other = as_role("company_b_user")
    today = datetime.date.today()
    try:
        wizard = other["partner.tier.migration.wizard"].create(
            {
                "company_id": roles["company_a"],
                "date_from": str(today - datetime.timedelta(days=365)),
                "date_to": str(today),
            }
        )
        other["partner.tier.migration.wizard"].browse(wizard).action_compute()
    except RPCError:
        return
    lines = other["partner.tier.migration.line"].search_read(
        [("wizard_id", "=", wizard)], ["green", "yellow", "red", "black"]
    )
    assert not lines, f"company A's tier migration leaked to a user of company B: {lines}"


# ------------------------------------------------------------------- claims staff
def test_claims_staff_read_a_claims_order_but_write_no_order_nor_lead(admin, as_role):
    staff = as_role("claims_user")
    claim_id = _ref(admin, "claims.claim_decision")
    order_id = _read(admin, "helpdesk.ticket", claim_id, ["sale_order_id"])["sale_order_id"][0]
    claim = staff["helpdesk.ticket"].read([claim_id], ["sale_order_id", "product_id"])[0]
    assert claim["sale_order_id"][0] == order_id
    before = _read(admin, "sale.order", order_id, ["note", "client_order_ref"])
    with pytest.raises(RPCError):
        staff["sale.order"].browse(order_id).write({"client_order_ref": "changed by claims"})
    assert _read(admin, "sale.order", order_id, ["note", "client_order_ref"]) == before
    lead_id = _ref(admin, "amigo_partner_tiers.demo_lead_siberia_1")
    with pytest.raises(RPCError):
        staff["crm.lead"].browse(lead_id).write({"probability": 1})
    with pytest.raises(RPCError):
        staff["crm.lead"].read([lead_id], ["name"])


# ------------------------------------------------------- history that must not change
@pytest.fixture(scope="module")
def closed_period(admin, roles):
    """A pay period closed by the head of sales: a scheme with one action and one level, a
    manager's score of January 2020 computed and frozen."""
    manager = admin["res.users"].create(
        {
            "name": "Security closed-period manager",
            "login": "security_closed_period",
            "groups_id": [(6, 0, [_ref(admin, "kpi_motivation.group_kpi_user")])],
        }
    )
    scheme = admin["motivation.scheme"].create(
        {
            "name": "Security test scheme",
            "company_id": roles["company_a"],
            "user_ids": [(6, 0, [manager])],
            "action_ids": [(0, 0, {"name": "Won deal", "action_type": "won", "points": 10})],
            "level_ids": [(0, 0, {"name": "Base", "min_points": 0, "salary_share": 1.0})],
        }
    )
    score = admin["motivation.score"].create(
        {"user_id": manager, "scheme_id": scheme, "date_from": "2020-01-01",
         "date_to": "2020-01-31"}
    )  # fmt: skip
    admin["motivation.score"].browse(score).action_close()
    return scheme, score


SCORE_FIELDS = ["line_ids", "level_id", "scheme_id", "state", "points", "payout"]


def test_the_actions_and_levels_of_a_closed_period_cannot_be_deleted(admin, closed_period):
    scheme, score_id = closed_period
    score = _read(admin, "motivation.score", score_id, SCORE_FIELDS)
    assert score["state"] == "closed" and score["line_ids"] and score["level_id"]
    lines = admin["motivation.score.line"].read(score["line_ids"], ["action_id", "count"])
    for model, record in (
        ("motivation.action", lines[0]["action_id"][0]),
        ("motivation.level", score["level_id"][0]),
        ("motivation.scheme", scheme),
    ):
        with pytest.raises(RPCError):
            admin[model].browse(record).unlink()
    assert _read(admin, "motivation.score", score_id, SCORE_FIELDS) == score
    assert admin["motivation.score.line"].read(score["line_ids"], ["action_id", "count"]) == lines


def test_a_crm_stage_used_by_a_plan_cannot_be_deleted(admin):
    steps = admin["sales.plan.step"].search_read([], ["stage_id"], limit=1)
    assert steps, "the demo has a decomposed sales plan"
    stage_id = steps[0]["stage_id"][0]
    with pytest.raises(RPCError):
        admin["crm.stage"].browse(stage_id).unlink()
    assert admin["sales.plan.step"].search_count([("id", "=", steps[0]["id"])]) == 1


def test_reassessing_a_partner_the_same_day_keeps_one_assessment(admin):
    partner_id = _ref(admin, "amigo_partner_tiers.demo_dealer_uyut")
    Partner = admin["res.partner"].browse(partner_id)
    for _ in range(3):
        Partner.action_recompute_tier()
    today = admin["partner.tier.assessment"].search_read(
        [("partner_id", "=", partner_id)], ["date"], order="date desc", limit=1
    )[0]["date"]
    assert (
        admin["partner.tier.assessment"].search_count(
            [("partner_id", "=", partner_id), ("date", "=", today)]
        )
        == 1
    )


# ------------------------------------------------------------------- uniqueness
def test_shared_claim_causes_do_not_repeat(admin):
    Cause = admin["claim.cause"]
    category = Cause.fields_get(["category"])["category"]["selection"][0][0]
    name = "Security test shared cause"
    Cause.create({"name": name, "company_id": False, "category": category})
    with pytest.raises(RPCError):
        Cause.create({"name": name, "company_id": False, "category": category})
    assert Cause.search_count([("name", "=", name)]) == 1


def test_region_mappings_are_unique_whatever_the_case(admin):
    Mapping = admin["crm.region.mapping"]
    state = _ref(admin, "base.state_ru_nvs")
    Mapping.create({"kind": "city", "value": "Security Test City", "state_id": state})
    with pytest.raises(RPCError):
        Mapping.create({"kind": "city", "value": "SECURITY test city", "state_id": state})
    assert Mapping.search_count([("value", "=ilike", "security test city")]) == 1


# ------------------------------------------------------------------- bad input
@pytest.mark.parametrize("price", [float("inf"), float("nan"), 1e400])
def test_a_non_finite_price_is_refused_with_a_message(admin, price):
    name = f"Security test price {price}"
    with pytest.raises(RPCError) as error:
        admin["product.template"].create({"name": name, "list_price": price})
    assert "price" in str(error.value).lower()
    assert not admin["product.template"].search([("name", "=", name)])


@pytest.mark.parametrize("quantity", [float("inf"), float("nan")])
def test_a_non_finite_need_quantity_is_refused(admin, as_role, quantity):
    user = as_role("need_user")
    product = admin["product.product"].search([("sale_ok", "=", True)], limit=1)[0]
    partner = _ref(admin, "base.res_partner_2")
    before = admin["customer.need"].search_count([])
    with pytest.raises(RPCError) as error:
        user["customer.need"].create(
            {
                "partner_id": partner,
                "line_ids": [(0, 0, {"product_id": product, "product_uom_qty": quantity})],
            }
        )
    assert "Quantity" in str(error.value)
    assert admin["customer.need"].search_count([]) == before
