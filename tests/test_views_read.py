"""Every window action of the suite, read over JSON-RPC as the web client reads it.

For each window action an addon of the suite declares, on the demo database: its views are
loaded with ``get_views``, the first page of its list and kanban views is read with
``web_search_read`` and the fields those views show, and every record of that page is
opened with ``web_read`` and the fields of the form (one2many and many2many lines with the
fields of their inline views). A computed field that fails on some demo record, a field
that a view shows and the server cannot read, or a view that does not load fails here,
naming the action, the view and the error. The click-everywhere tests of each addon open
the same actions in the browser, without opening any record.
"""

import xml.etree.ElementTree as ET

import pytest

PAGE = 40  # records read per list or kanban view; each of them is then opened in its form
SUBVIEWS = ("list", "tree", "kanban", "form")
RELATIONAL = ("many2one", "one2many", "many2many")


def _field_nodes(node):
    """The <field> nodes of a view, not those of the inline views of its x2many fields."""
    for child in node:
        if child.tag == "field":
            yield child
        else:
            yield from _field_nodes(child)


def _specification(arch, model, models):
    """The fields specification the web client sends for a view, from its arch and the
    ``models`` part of ``get_views`` (``{model: {"fields": {name: description}}}``)."""
    return _node_specification(arch, models[model]["fields"], models)


def _node_specification(node, fields, models):
    spec = {}
    for field_node in _field_nodes(node):
        name = field_node.get("name")
        field = fields.get(name)
        if not field:
            continue
        entry = {}
        if field["type"] in RELATIONAL:
            subview = next((child for child in field_node if child.tag in SUBVIEWS), None)
            if subview is not None and field["type"] != "many2one":
                relation_fields = models.get(field["relation"], {}).get("fields", {})
                entry = {"fields": _node_specification(subview, relation_fields, models)}
                entry["fields"].setdefault("display_name", {})
            else:
                entry = {"fields": {"display_name": {}}}
        spec[name] = {**spec.get(name, {}), **entry}
    return spec


def _suite_window_actions(env, suite_addons):
    data = env["ir.model.data"].search_read(
        [("module", "in", suite_addons), ("model", "=", "ir.actions.act_window")],
        ["module", "name", "res_id"],
    )
    actions = env["ir.actions.act_window"].read(
        [row["res_id"] for row in data], ["res_model", "views", "view_mode"]
    )
    xmlids = {row["res_id"]: f"{row['module']}.{row['name']}" for row in data}
    return [dict(action, xmlid=xmlids[action["id"]]) for action in actions]


def _read_actions(client, actions):
    """Open every action as the web client does; returns (problems, records opened)."""
    problems, opened = [], 0
    for action in actions:
        model = action["res_model"]
        views = [[view_id or False, kind] for view_id, kind in action["views"]]
        if not any(kind == "form" for _view_id, kind in views):
            views.append([False, "form"])
        try:
            loaded = client.execute_kw(
                model, "get_views", [], {"views": views, "options": {"action_id": action["id"]}}
            )
        except Exception as error:  # noqa: BLE001 - reported with the action's name
            problems.append(f"{action['xmlid']}: get_views failed: {error}")
            continue
        models = loaded["models"]
        form_spec = _specification(ET.fromstring(loaded["views"]["form"]["arch"]), model, models)
        ids = set()
        for kind in ("list", "kanban"):
            if kind not in loaded["views"]:
                continue
            spec = _specification(ET.fromstring(loaded["views"][kind]["arch"]), model, models)
            try:
                page = client.execute_kw(
                    model,
                    "web_search_read",
                    [],
                    {"domain": [], "specification": spec, "limit": PAGE},
                )
            except Exception as error:  # noqa: BLE001
                problems.append(f"{action['xmlid']}: its {kind} view failed to read: {error}")
                continue
            ids.update(record["id"] for record in page["records"])
        for record_id in sorted(ids):
            try:
                client.execute_kw(model, "web_read", [[record_id]], {"specification": form_spec})
                opened += 1
            except Exception as error:  # noqa: BLE001
                problems.append(
                    f"{action['xmlid']}: the form of {model} {record_id} failed to read: {error}"
                )
    return problems, opened


def test_every_action_of_the_suite_reads_its_views_and_records(odoo_rpc, suite_addons):
    actions = _suite_window_actions(odoo_rpc.env, suite_addons)
    assert len(actions) >= 20, f"expected the suite's window actions, found {len(actions)}"
    problems, opened = _read_actions(odoo_rpc, actions)
    assert not problems, "\n".join(problems)
    assert opened >= 50, f"only {opened} records were opened: the demo data should give more"


# the group that gives a plain user each addon's menus (production uses Manufacturing's)
USER_GROUPS = [
    "needs_registry.group_need_user",
    "kpi_motivation.group_kpi_user",
    "amigo_partner_tiers.group_tier_user",
    "claims.group_claims_user",
    "mrp.group_mrp_user",
]


@pytest.mark.parametrize("group", USER_GROUPS)
def test_a_plain_user_reads_every_action_of_the_suite_in_their_menus(
    odoo_rpc, odoo_server, suite_addons, group
):
    """What a user of one group reaches from the menus opens for them too: no field of a
    list, kanban or form that they may not read, no record rule that hides a line a form
    shows."""
    import odoorpc  # noqa: PLC0415

    env = odoo_rpc.env
    login = f"views_{group.replace('.', '_')}"
    if not env["res.users"].search([("login", "=", login)]):
        env["res.users"].create(
            {
                "name": f"Views {group}",
                "login": login,
                "password": login,
                "groups_id": [(6, 0, [env.ref("base.group_user").id, env.ref(group).id])],
            }
        )
    client = odoorpc.ODOO(
        odoo_server["host"], protocol="jsonrpc", port=odoo_server["port"], timeout=300
    )
    client.login(odoo_server["db"], login, login)
    menus = client.execute_kw("ir.ui.menu", "load_menus", [False])
    reachable = {
        int(menu["action"].split(",")[1])
        for menu in menus.values()
        if isinstance(menu, dict)
        and (menu.get("action") or "").startswith("ir.actions.act_window,")
    }
    actions = [
        action for action in _suite_window_actions(env, suite_addons) if action["id"] in reachable
    ]
    assert actions, f"a user of {group} reaches no action of the suite from the menus"
    problems, _opened = _read_actions(client, actions)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("arch", "expected"),
    [
        (
            '<form><field name="name"/><notebook><page><field name="line_ids">'
            '<list><field name="product_id"/></list></field></page></notebook></form>',
            {
                "name": {},
                "line_ids": {
                    "fields": {"product_id": {"fields": {"display_name": {}}}, "display_name": {}}
                },
            },
        ),
        (
            '<kanban><templates><t t-name="card"><field name="user_id"/></t></templates></kanban>',
            {"user_id": {"fields": {"display_name": {}}}},
        ),
    ],
)
def test_the_specification_follows_the_view(arch, expected):
    models = {
        "x.need": {
            "fields": {
                "name": {"type": "char"},
                "user_id": {"type": "many2one", "relation": "res.users"},
                "line_ids": {"type": "one2many", "relation": "x.line"},
            }
        },
        "x.line": {"fields": {"product_id": {"type": "many2one", "relation": "product.product"}}},
    }
    assert _specification(ET.fromstring(arch), "x.need", models) == expected
