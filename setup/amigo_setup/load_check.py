"""After a load run: what the database must show (run by `setup/load` in odoo-bin shell).

- no duplicate notification: no need got two chatter notices about the same other need
  or deal, no person got two activities about the same pair;
- no lost need match: every open need saved during the run that shares products with
  another open need or deal over the threshold has its match, as the detection of the
  addon itself finds it now (customer.need._find_candidate_needs/_orders);
- the scheduled actions ran and none is left failing.
"""

import os
import re

from odoo.tools import SQL

SINCE = os.environ["AMIGO_LOAD_SINCE"]  # UTC, "YYYY-mm-dd HH:MM:SS"


def say(ok, message):
    print(f"[check] {'ok' if ok else 'FAILED'}: {message}", flush=True)


def duplicate_notifications(env):
    cr = env.cr
    cr.execute(
        SQL(
            """SELECT m.res_id, m.body FROM mail_message m
                WHERE m.model = 'customer.need' AND m.create_date >= %s
                  AND m.body LIKE %s""",
            SINCE,
            "%data-oe-model%",
        )
    )
    seen, duplicates = {}, 0
    link = re.compile(r'data-oe-model="([\w.]+)" data-oe-id="(\d+)"')
    for res_id, body in cr.fetchall():
        others = {(model, int(oid)) for model, oid in link.findall(body or "")}
        others.discard(("customer.need", res_id))
        for other in others:
            key = (res_id, other)
            seen[key] = seen.get(key, 0) + 1
            duplicates += seen[key] == 2
    cr.execute(
        SQL(
            """SELECT count(*) FROM (
                   SELECT res_model, res_id, user_id, summary FROM mail_activity
                    WHERE res_model IN ('customer.need', 'crm.lead', 'sale.order')
                      AND create_date >= %s
                    GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) AS twice""",
            SINCE,
        )
    )
    twice = cr.fetchone()[0]
    say(
        duplicates == 0 and twice == 0,
        f"duplicate notifications: {duplicates} chatter notices and {twice} activities "
        f"given twice, over {len(seen)} notified pairs",
    )
    return duplicates == 0 and twice == 0


def lost_matches(env):
    Need = env["customer.need"].sudo()
    needs = Need.search([("create_date", ">=", SINCE), ("state", "=", "open")])
    lost = []
    pairs = 0
    for need in needs:
        products = set(need.line_ids.product_id.ids)
        threshold = need._get_similarity_threshold()
        found_needs = set(need._find_candidate_needs(products, threshold))
        found_orders = set(need._find_candidate_orders(products, threshold))
        matches = (
            env["customer.need.match"]
            .sudo()
            .search(["|", ("need_id", "=", need.id), ("matched_need_id", "=", need.id)])
        )
        have_needs = set((matches.matched_need_id | matches.need_id).ids) - {need.id}
        have_orders = set(matches.filtered(lambda m, n=need: m.need_id == n).matched_order_id.ids)
        pairs += len(found_needs) + len(found_orders)
        for other in found_needs - have_needs:
            lost.append(f"{need.name} ~ need {other}")
        for order in found_orders - have_orders:
            lost.append(f"{need.name} ~ order {order}")
    say(
        not lost,
        f"lost need matches: {len(lost)} of {pairs} pairs the detection finds, over "
        f"{len(needs)} needs saved during the run" + (f" ({', '.join(lost[:10])})" if lost else ""),
    )
    return not lost


def crons(env):
    env.cr.execute(
        SQL(
            """SELECT count(*) FILTER (WHERE lastcall >= %s),
                      count(*) FILTER (WHERE failure_count > 0)
                 FROM ir_cron WHERE active""",
            SINCE,
        )
    )
    ran, failing = env.cr.fetchone()
    say(failing == 0, f"scheduled actions: {ran} ran during the load, {failing} failing")
    return failing == 0


def main(env):
    duplicate_notifications(env)
    lost_matches(env)
    crons(env)
