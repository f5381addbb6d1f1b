"""The load database: the demo database at the seeds' scale, and the people of the load.

Run by `setup/load` in `odoo-bin shell` on a copy of the demo database (`env` given).
The volume comes from the benchmarks' own generators (tests/benchmarks/bench_*.py,
`_generate`), run one after the other on the same database: 100,000 needs over 5,000
products and 30,000 quotations, 11,000 dealers with 200,000 orders, 20,000 manufacturing
orders, 50,000 claims, 50 managers' 20,000 leads and 200,000 activities. Then the
people Locust plays (logins `load_<role>_<n>`, password = login) and what they work on:
their deals, the hot products their needs share, the dealers' leads and orders.
"""

import os
import runpy
import sys
import time
from datetime import date

from odoo import Command
from odoo.tools import SQL

BENCH_DIR = os.environ["AMIGO_BENCH_DIR"]
MANAGERS = int(os.environ.get("AMIGO_LOAD_MANAGERS", "30"))
DEALERS = int(os.environ.get("AMIGO_LOAD_DEALERS", "20"))
HOT = 40
SCALE = os.environ.get("AMIGO_LOAD_SCALE", "seeds")  # "seeds", or "demo" for the smoke test
sys.path.insert(0, BENCH_DIR)


def say(message):
    print(f"[load data] {message}", flush=True)


def bench_generators(env):
    """The benchmarks' generators, each committed on its own and marked done, so that an
    interrupted run resumes. A generator written for a database of its addon alone may
    not fit the database of every addon (a column another addon requires): it is rolled
    back and said so, and the load runs without its volume."""
    runs = [
        ("needs_registry", lambda m: m["_generate"](env)),
        ("production_funnel", lambda m: m["_generate"](env, m["_setup"](env))),
        (
            "claims",
            lambda m: m["_generate"](env(context=dict(env.context, tracking_disable=True))),
        ),
        ("kpi_motivation", lambda m: m["_generate"](env)),
        ("amigo_partner_tiers", lambda m: m["_generate"](env, date.today())),
    ]
    Param = env["ir.config_parameter"].sudo()
    # Some generators were written for a database of their addon alone and insert sale
    # orders in SQL without the columns sale_stock adds as NOT NULL (in the database of
    # every addon, stock is there): those get a default while the generators run.
    shims = [
        ("sale_order", "picking_policy", "'direct'"),
        ("sale_order_line", "customer_lead", "0"),
    ]
    for table, column, default in shims:
        env.cr.execute(
            SQL(
                "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s",
                SQL.identifier(table), SQL.identifier(column), SQL(default),
            )
        )  # fmt: skip
    env.cr.commit()
    try:
        _run_generators(env, Param, runs)
    finally:
        for table, column, _default in shims:
            env.cr.execute(
                SQL("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT",
                    SQL.identifier(table), SQL.identifier(column))
            )  # fmt: skip
        env.cr.commit()


def _run_generators(env, Param, runs):
    for name, generate in runs:
        key = f"amigo_load.bench.{name}"
        if Param.get_param(key):
            say(f"{name}: {Param.get_param(key)} (earlier run)")
            continue
        started = time.time()
        say(f"{name}: the benchmark's generator")
        module = runpy.run_path(os.path.join(BENCH_DIR, f"bench_{name}.py"))
        try:
            generate(module)
            env.flush_all()
            outcome = f"generated in {time.time() - started:.0f} s"
        except Exception as error:  # noqa: BLE001 - reported, the load goes on without it
            env.cr.rollback()
            env.invalidate_all()
            outcome = "NOT generated: " + " ".join(str(error).split())[:300]
        Param.set_param(key, outcome)
        env.cr.commit()
        env.invalidate_all()
        say(f"{name}: {outcome}")


def _user(env, login, name, groups, share=False):
    Users = env["res.users"].with_context(no_reset_password=True)
    user = Users.search([("login", "=", login)])
    if user:
        return user
    return Users.create(
        {
            "name": name,
            "login": login,
            "password": login,
            "email": f"{login}@load.example.com",
            "groups_id": [Command.set([env.ref(xmlid).id for xmlid in groups])],
        }
    )


def people(env):
    company = env.ref("base.main_company")
    category = env.ref("product.product_category_all")
    # the hot products: every manager's needs are made of them, so needs overlap
    Template = env["product.template"]
    hot = env["product.product"]
    for n in range(1, HOT + 1):
        code = f"LOAD-HOT-{n}"
        product = env["product.product"].search([("external_code", "=", code)])
        if not product:
            product = Template._import_catalog_rows(
                [{"external_code": code, "name": f"Roller blind model {n}", "uom": "Units",
                  "category": category.name, "list_price": 10 + n}],
                first_row=2,
            ) and env["product.product"].search([("external_code", "=", code)])  # fmt: skip
        hot |= product
    customers = env["res.partner"].search([("name", "like", "Load customer %")])
    if not customers:
        customers = env["res.partner"].create(
            [{"name": f"Load customer {n}", "is_company": True} for n in range(1, 51)]
        )
    source = env["utm.source"].search([], limit=1)
    stages = env["crm.stage"].search([("is_won", "=", False)], order="sequence, id")
    manager_groups = [
        "base.group_user",
        "sales_team.group_sale_salesman",
        "needs_registry.group_need_user",
        "kpi_motivation.group_kpi_user",
    ]
    for n in range(1, MANAGERS + 1):
        user = _user(env, f"load_manager_{n}", f"Load Manager {n}", manager_groups)
        if not env["crm.lead"].search_count([("user_id", "=", user.id)]):
            env["crm.lead"].create(
                [
                    {
                        "name": f"Load deal {n}-{k}",
                        "type": "opportunity",
                        "user_id": user.id,
                        "partner_id": customers[(n * 7 + k) % len(customers)].id,
                        "stage_id": stages[k % len(stages)].id,
                        "expected_revenue": 1000 * (k + 1),
                        "source_id": source.id,
                    }
                    for k in range(30)
                ]
            )
    _user(
        env, "load_head_1", "Load Head of Sales",
        ["base.group_user", "sales_team.group_sale_manager", "needs_registry.group_need_manager",
         "amigo_partner_tiers.group_tier_manager", "kpi_motivation.group_kpi_manager",
         "claims.group_claims_manager"],
    )  # fmt: skip
    _user(
        env, "load_production_1", "Load Production Head",
        ["base.group_user", "mrp.group_mrp_manager"],
    )  # fmt: skip
    _user(
        env, "load_script_1", "Load 1C Script",
        ["base.group_user", "needs_registry.group_catalog_admin", "mrp.group_mrp_user"],
    )  # fmt: skip
    # the manufacturing orders the production head drags carry their spec, as the
    # stages after the spec stage require
    env.cr.execute(
        SQL(
            "UPDATE mrp_production SET spec_width = 1200, spec_height = 1500, "
            "spec_fabric = 'Blackout', spec_color = 'White', spec_mechanism = 'Chain' "
            "WHERE state IN ('confirmed', 'progress') AND spec_fabric IS NULL"
        )
    )
    dealers(env, company, hot, source)
    env.flush_all()
    env.cr.commit()
    return hot


def dealers(env, company, hot, source):
    """Portal users of dealer companies, each with leads routed to it and confirmed
    orders to file claims on."""
    portal = env.ref("base.group_portal")
    for n in range(1, DEALERS + 1):
        login = f"load_dealer_{n}"
        if env["res.users"].search_count([("login", "=", login)]):
            continue
        dealer = env["res.partner"].create(
            {"name": f"Load Dealer {n}", "is_company": True, "company_id": company.id}
        )
        contact = env["res.partner"].create(
            {"name": f"Load Dealer {n} manager", "parent_id": dealer.id,
             "email": f"{login}@load.example.com"}
        )  # fmt: skip
        env["res.users"].with_context(no_reset_password=True).create(
            {"name": contact.name, "login": login, "password": login,
             "partner_id": contact.id, "groups_id": [Command.set(portal.ids)]}
        )  # fmt: skip
        env["crm.lead"].create(
            [
                {"name": f"Web lead {n}-{k}", "type": "lead", "dealer_partner_id": dealer.id,
                 "partner_name": f"Customer {n}-{k}", "source_id": source.id}
                for k in range(10)
            ]
        )  # fmt: skip
        for k in range(3):
            order = env["sale.order"].create(
                {
                    "partner_id": dealer.id,
                    "order_line": [
                        Command.create({"product_id": hot[(n + k + i) % len(hot)].id,
                                        "product_uom_qty": 10})
                        for i in range(3)
                    ],
                }
            )  # fmt: skip
            order.action_confirm()


def main(env):
    started = time.time()
    if SCALE == "seeds":
        bench_generators(env)
    hot = people(env)
    env.cr.execute("ANALYZE")
    env.cr.commit()
    say(f"load database ready in {time.time() - started:.0f} s; hot products {hot.ids}")
    print("AMIGO_LOAD_HOT_PRODUCTS=" + ",".join(map(str, hot.ids)), flush=True)
