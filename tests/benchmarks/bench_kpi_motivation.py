"""Benchmark of the motivation scores and the KPI report at the issue's scale.

50 managers, one month: 200,000 done activities (calls and meetings), 100,000 stage changes of
20,000 opportunities (with 5,000 hand-overs between managers tracked on the salesperson),
5,000 confirmed orders. The managers work in Moscow: their month runs from local midnight to
local midnight (21:00 UTC the day before). Measured, each next to an independently written
plain SQL computing the same figures, in the same run:

- all the scores of the month (counts per action, points, level, payout): target <= 10 s;
- the KPI report of the month per manager (read_group of `kpi.report`): target <= 2 s.

Run with `setup/bench kpi_motivation`; it prints its figures and asserts nothing on time (the
results of the ORM and of the plain SQL are compared, so a wrong figure fails the run).
"""

from datetime import date, datetime

import _common as bench  # setup/bench puts tests/benchmarks/ on sys.path
import pytz

from odoo import Command

ADDONS = ["kpi_motivation"]
MANAGERS = 50
LEADS = 20_000
ACTIVITIES = 200_000
STAGE_CHANGES = 100_000
HANDOVERS = 5_000
ORDERS = 5_000
MONTH = date(2031, 3, 1)
MONTH_END = date(2031, 3, 31)
START, END = datetime(2031, 3, 1), datetime(2031, 4, 1)
TZ = "Europe/Moscow"
# the managers' month in UTC (what the plain SQL filters on)
LOCAL_START, LOCAL_END = (
    pytz.timezone(TZ).localize(moment).astimezone(pytz.utc).replace(tzinfo=None)
    for moment in (START, END)
)
REPEAT = 5
SCORES_TARGET_MS = 10_000
KPI_TARGET_MS = 2_000
TARGET_RATIO = 3


def _generate(env):
    """Bulk data in SQL (set-up only, not what is measured)."""
    users = env["res.users"].create(
        [
            {"name": f"Bench manager {n}", "login": f"bench_kpi_{n}", "tz": TZ,
             "groups_id": [Command.link(env.ref("kpi_motivation.group_kpi_user").id)]}
            for n in range(MANAGERS)
        ]
    )  # fmt: skip
    team = env["crm.team"].create({"name": "Bench team", "member_ids": [Command.set(users.ids)]})
    stages = env["crm.stage"].create(
        [
            {"name": "B Lead", "sequence": 1, "team_id": team.id},
            {"name": "B Qualified", "sequence": 2, "team_id": team.id},
            {"name": "B Proposal", "sequence": 3, "team_id": team.id},
            {"name": "B Won", "sequence": 4, "team_id": team.id, "is_won": True},
        ]
    )
    call = env.ref("mail.mail_activity_data_call")
    meeting = env.ref("mail.mail_activity_data_meeting")
    scheme = env["motivation.scheme"].create(
        {
            "name": "Bench scheme",
            "base_salary": 20_000,
            "team_ids": [Command.link(team.id)],
            "action_ids": [
                Command.create({"name": "Call", "action_type": "activity",
                                "activity_type_id": call.id, "points": 2}),
                Command.create({"name": "Meeting", "action_type": "activity",
                                "activity_type_id": meeting.id, "points": 10}),
                Command.create({"name": "Qualified", "action_type": "stage",
                                "stage_id": stages[1].id, "points": 5}),
                Command.create({"name": "Proposal", "action_type": "stage",
                                "stage_id": stages[2].id, "points": 15}),
                Command.create({"name": "Won", "action_type": "won", "points": 20}),
                Command.create({"name": "New customer", "action_type": "new_customer",
                                "points": 20}),
                Command.create({"name": "Order", "action_type": "order", "points": 5}),
            ],
            "level_ids": [
                Command.create({"name": "Below", "min_points": 0, "salary_share": 0.5,
                                "commission_rate": 10}),
                Command.create({"name": "Plan", "min_points": 2_000, "salary_share": 1.0,
                                "commission_rate": 15}),
                Command.create({"name": "Above", "min_points": 4_000, "salary_share": 1.3,
                                "commission_rate": 20}),
            ],
        }
    )  # fmt: skip
    env["sales.plan"].create(
        [
            {"name": f"Plan {u.name}", "user_id": u.id, "date_from": MONTH,
             "date_to": MONTH_END, "revenue_target": 200_000}
            for u in users
        ]
    )  # fmt: skip
    env.flush_all()
    cr = env.cr
    params = {
        "users": users.ids,
        "partners": users.partner_id.ids,
        "team": team.id,
        "company": env.company.id,
        "currency": env.company.currency_id.id,
        "stages": stages.ids,
        "leads": LEADS,
        "n_users": MANAGERS,
        "start": START,
        "call": call.id,
        "meeting": meeting.id,
        "activities": ACTIVITIES,
        "changes": STAGE_CHANGES,
        "handovers": HANDOVERS,
        "orders": ORDERS,
        "subtype": env.ref("mail.mt_activities").id,
        "note": env.ref("mail.mt_note").id,
        "stage_field": env["ir.model.fields"]._get("crm.lead", "stage_id").id,
        "user_field": env["ir.model.fields"]._get("crm.lead", "user_id").id,
    }
    cr.execute(
        """
        INSERT INTO crm_lead (name, type, user_id, team_id, stage_id, company_id, active,
                              probability, expected_revenue, create_date, write_date,
                              date_closed)
        SELECT 'Bench lead ' || n, 'opportunity',
               (%(users)s::int[])[1 + n %% %(n_users)s], %(team)s,
               (%(stages)s::int[])[1 + n %% 4], %(company)s, n %% 17 != 0,
               CASE WHEN n %% 4 = 3 THEN 100 WHEN n %% 17 = 0 THEN 0 ELSE 20 END,
               10000 + n %% 50 * 1000,
               %(start)s::timestamp - interval '20 days', %(start)s::timestamp,
               CASE WHEN n %% 4 = 3 OR n %% 17 = 0
                    THEN %(start)s::timestamp + (n %% 30) * interval '1 day' END
          FROM generate_series(1, %(leads)s) AS n
        RETURNING id
        """,
        params,
    )
    lead_ids = [row[0] for row in cr.fetchall()]
    params["lead_ids"] = lead_ids
    # done activities: the message posted when an activity is marked done
    cr.execute(
        """
        INSERT INTO mail_message (model, res_id, message_type, subtype_id, author_id,
                                  mail_activity_type_id, date, body, create_date, write_date)
        SELECT 'crm.lead', (%(lead_ids)s::int[])[1 + n %% %(leads)s], 'notification',
               %(subtype)s, (%(partners)s::int[])[1 + (n / 7) %% %(n_users)s],
               CASE WHEN n %% 5 = 0 THEN %(meeting)s ELSE %(call)s END,
               %(start)s::timestamp + (n %% 2592000) * interval '1 second',
               '<p>done</p>', now(), now()
          FROM generate_series(1, %(activities)s) AS n
        """,
        params,
    )
    # stage changes: each lead moves 5 times (some moves go back and re-enter a stage)
    cr.execute(
        """
        WITH msg AS (
            INSERT INTO mail_message (model, res_id, message_type, subtype_id, author_id, date,
                                      create_date, write_date)
            SELECT 'crm.lead', (%(lead_ids)s::int[])[1 + n %% %(leads)s], 'notification',
                   %(note)s, (%(partners)s::int[])[1 + n %% %(n_users)s],
                   %(start)s::timestamp + (n / %(leads)s) * interval '5 days'
                       + (n %% 86400) * interval '1 second',
                   now(), now()
              FROM generate_series(0, %(changes)s - 1) AS n
            RETURNING id, res_id, date
        ), numbered AS (
            SELECT id, res_id, row_number() OVER (PARTITION BY res_id ORDER BY date, id) AS k
              FROM msg
        )
        INSERT INTO mail_tracking_value (mail_message_id, field_id, old_value_integer,
                                         new_value_integer, create_date, write_date)
        SELECT id, %(stage_field)s,
               (%(stages)s::int[])[CASE k WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 3
                                          WHEN 4 THEN 2 ELSE 3 END],
               (%(stages)s::int[])[CASE k WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 2
                                          WHEN 4 THEN 3 ELSE 4 END],
               now(), now()
          FROM numbered
        """,
        params,
    )
    # hand-overs: the salesperson of some leads changed mid-month
    cr.execute(
        """
        WITH msg AS (
            INSERT INTO mail_message (model, res_id, message_type, subtype_id, date,
                                      create_date, write_date)
            SELECT 'crm.lead', (%(lead_ids)s::int[])[n * 3], 'notification', %(note)s,
                   %(start)s::timestamp + interval '12 days', now(), now()
              FROM generate_series(1, %(handovers)s) AS n
            RETURNING id, res_id
        )
        INSERT INTO mail_tracking_value (mail_message_id, field_id, old_value_integer,
                                         new_value_integer, create_date, write_date)
        SELECT msg.id, %(user_field)s, l.user_id,
               (%(users)s::int[])[1 + (l.id + 1) %% %(n_users)s], now(), now()
          FROM msg JOIN crm_lead l ON l.id = msg.res_id
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO res_partner (name, is_company, active, type, company_id, create_date,
                                 write_date, autopost_bills)
        SELECT 'Bench customer ' || n, true, true, 'contact', %(company)s, now(), now(),
               'ask'
          FROM generate_series(1, 2000) AS n
        RETURNING id
        """,
        params,
    )
    params["customers"] = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%(customers)s)",
        params,
    )
    cr.execute(
        """
        INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id,
                                user_id, team_id, company_id, currency_id, date_order, state,
                                amount_untaxed, amount_tax, amount_total, currency_rate,
                                create_date, write_date)
        SELECT 'BENCH' || n, c, c, c, (%(users)s::int[])[1 + n %% %(n_users)s], %(team)s,
               %(company)s, %(currency)s,
               %(start)s::timestamp - interval '40 days' + (n %% 70) * interval '1 day',
               CASE WHEN n %% 10 = 0 THEN 'draft' ELSE 'sale' END,
               1000 + n %% 100 * 100, 0, 1000 + n %% 100 * 100, 1,
               %(start)s::timestamp - interval '40 days' + (n %% 70) * interval '1 day',
               now()
          FROM generate_series(1, %(orders)s) AS n,
               LATERAL (SELECT (%(customers)s::int[])[1 + (n * 7) %% 2000] AS c) p
        """,
        params,
    )
    for table in ("crm_lead", "mail_message", "mail_tracking_value", "sale_order", "res_partner"):
        cr.execute(f"ANALYZE {table}")  # noqa: S608 - fixed table names
    env.invalidate_all()
    return users, scheme, params


PLAIN_SCORE_SQL = """
-- independently written: the same counts with window functions instead of DISTINCT ON and
-- lateral look-ups
WITH mgr AS (
    SELECT id AS user_id, partner_id FROM res_users WHERE id = ANY(%(users)s)
),
activities AS (
    SELECT g.user_id, CASE WHEN m.mail_activity_type_id = %(call)s THEN 'Call' ELSE 'Meeting' END
           AS action, count(*) AS n
      FROM mail_message m JOIN mgr g ON g.partner_id = m.author_id
     WHERE m.mail_activity_type_id IN (%(call)s, %(meeting)s)
       AND m.date >= %(start)s AND m.date < %(end)s
     GROUP BY 1, 2
),
stage_events AS (
    SELECT m.res_id AS lead_id, m.date, m.id AS mid, t.new_value_integer AS stage_id
      FROM mail_message m JOIN mail_tracking_value t ON t.mail_message_id = m.id
     WHERE m.model = 'crm.lead' AND t.field_id = %(stage_field)s AND m.date < %(end)s
),
user_events AS (
    SELECT m.res_id AS lead_id, m.date, m.id AS mid, t.old_value_integer AS old_user,
           t.new_value_integer AS new_user
      FROM mail_message m JOIN mail_tracking_value t ON t.mail_message_id = m.id
     WHERE m.model = 'crm.lead' AND t.field_id = %(user_field)s
),
firsts AS (
    SELECT lead_id, date, mid,
           CASE WHEN stage_id = ANY(%(won)s) THEN 'Won'
                WHEN stage_id = %(qualified)s THEN 'Qualified' ELSE 'Proposal' END AS action,
           row_number() OVER (
               PARTITION BY lead_id,
                   CASE WHEN stage_id = ANY(%(won)s) THEN 0 ELSE stage_id END
               ORDER BY date, mid) AS rn
      FROM stage_events
     WHERE stage_id = ANY(%(won)s) OR stage_id IN (%(qualified)s, %(proposal)s)
),
chosen AS (
    SELECT lead_id, date, mid, action FROM firsts WHERE rn = 1 AND date >= %(start)s
),
user_before AS (
    SELECT DISTINCT ON (c.lead_id, c.action) c.lead_id, c.action, u.new_user
      FROM chosen c JOIN user_events u ON u.lead_id = c.lead_id
       AND (u.date < c.date OR (u.date = c.date AND u.mid <= c.mid))
     ORDER BY c.lead_id, c.action, u.date DESC, u.mid DESC
),
user_after AS (
    SELECT DISTINCT ON (c.lead_id, c.action) c.lead_id, c.action, u.old_user
      FROM chosen c JOIN user_events u ON u.lead_id = c.lead_id
       AND (u.date > c.date OR (u.date = c.date AND u.mid > c.mid))
     ORDER BY c.lead_id, c.action, u.date, u.mid
),
credited AS (
    SELECT c.action, COALESCE(b.new_user, a.old_user, l.user_id) AS user_id
      FROM chosen c
      JOIN crm_lead l ON l.id = c.lead_id
      LEFT JOIN user_before b ON b.lead_id = c.lead_id AND b.action = c.action
      LEFT JOIN user_after a ON a.lead_id = c.lead_id AND a.action = c.action
),
stage_counts AS (
    SELECT user_id, action, count(*) AS n FROM credited
     WHERE user_id = ANY(%(users)s) GROUP BY 1, 2
),
orders AS (
    SELECT so.id, so.user_id, so.amount_untaxed, so.date_order, p.commercial_partner_id AS cp,
           row_number() OVER (PARTITION BY p.commercial_partner_id ORDER BY so.date_order, so.id)
               AS nth
      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
     WHERE so.state = 'sale'
),
order_counts AS (
    SELECT user_id, 'Order' AS action, count(*) AS n FROM orders
     WHERE date_order >= %(start)s AND date_order < %(end)s AND user_id = ANY(%(users)s)
     GROUP BY 1
    UNION ALL
    SELECT user_id, 'New customer', count(*) FROM orders
     WHERE nth = 1 AND date_order >= %(start)s AND date_order < %(end)s
       AND user_id = ANY(%(users)s)
     GROUP BY 1
),
counts AS (
    SELECT * FROM activities UNION ALL SELECT * FROM stage_counts
    UNION ALL SELECT * FROM order_counts
),
points AS (
    SELECT c.user_id, sum(c.n * a.points) AS points
      FROM counts c
      JOIN motivation_action a ON a.scheme_id = %(scheme)s AND a.name->>'en_US' = c.action
     GROUP BY 1
),
revenue AS (
    SELECT user_id, sum(amount_untaxed) AS revenue FROM orders
     WHERE date_order >= %(start)s AND date_order < %(end)s GROUP BY 1
)
SELECT g.user_id, COALESCE(p.points, 0), COALESCE(r.revenue, 0),
       (SELECT %(base)s * lv.salary_share + COALESCE(r.revenue, 0) * lv.commission_rate / 100
          FROM motivation_level lv
         WHERE lv.scheme_id = %(scheme)s AND lv.min_points <= COALESCE(p.points, 0)
         ORDER BY lv.min_points DESC LIMIT 1) AS payout
  FROM mgr g
  LEFT JOIN points p ON p.user_id = g.user_id
  LEFT JOIN revenue r ON r.user_id = g.user_id
 ORDER BY g.user_id
"""

PLAIN_KPI_SQL = """
-- independently written: per manager, revenue, plan, calls, meetings, orders, new customers
WITH mgr AS (SELECT id AS user_id, partner_id FROM res_users WHERE id = ANY(%(users)s)),
conf AS (
    SELECT so.user_id, so.amount_untaxed, so.date_order,
           so.date_order = min(so.date_order) OVER (PARTITION BY p.commercial_partner_id)
               AS first
      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
     WHERE so.state = 'sale'
)
SELECT g.user_id,
       (SELECT COALESCE(sum(amount_untaxed), 0) FROM conf c WHERE c.user_id = g.user_id
           AND c.date_order >= %(start)s AND c.date_order < %(end)s) AS revenue,
       (SELECT COALESCE(sum(revenue_target), 0) FROM sales_plan s WHERE s.user_id = g.user_id
           AND s.date_from = %(month)s) AS plan_amount,
       (SELECT count(*) FROM mail_message m WHERE m.author_id = g.partner_id
           AND m.mail_activity_type_id = %(call)s
           AND m.date >= %(start)s AND m.date < %(end)s) AS calls,
       (SELECT count(*) FROM mail_message m WHERE m.author_id = g.partner_id
           AND m.mail_activity_type_id = %(meeting)s
           AND m.date >= %(start)s AND m.date < %(end)s) AS meetings,
       (SELECT count(*) FROM conf c WHERE c.user_id = g.user_id
           AND c.date_order >= %(start)s AND c.date_order < %(end)s) AS orders,
       (SELECT count(*) FROM conf c WHERE c.user_id = g.user_id AND c.first
           AND c.date_order >= %(start)s AND c.date_order < %(end)s) AS new_customers
  FROM mgr g
 ORDER BY g.user_id
"""


def main(env):
    users, scheme, params = _generate(env)
    stages = env["crm.stage"].browse(params["stages"])
    Score = env["motivation.score"]
    scores = Score._ensure_scores(MONTH, MONTH_END, scheme)
    assert len(scores) == MANAGERS
    env.flush_all()

    def orm_scores():
        env.invalidate_all()
        scores._compute_scores()
        env.flush_all()
        return {
            s.user_id.id: (round(s.points, 2), round(s.revenue, 2), round(s.payout, 2))
            for s in scores
        }

    sql_params = {
        **params,
        "start": LOCAL_START,
        "end": LOCAL_END,
        "won": env["crm.stage"].search([("is_won", "=", True)]).ids,
        "qualified": stages[1].id,
        "proposal": stages[2].id,
        "scheme": scheme.id,
        "base": scheme.base_salary,
        "month": MONTH,
    }

    def plain_scores():
        env.cr.execute(PLAIN_SCORE_SQL, sql_params)
        return {
            row[0]: (round(float(row[1]), 2), round(float(row[2]), 2), round(float(row[3]), 2))
            for row in env.cr.fetchall()
        }

    orm_result, sql_result = orm_scores(), plain_scores()
    assert orm_result == sql_result, [
        (u, orm_result[u], sql_result.get(u))
        for u in orm_result
        if orm_result[u] != sql_result.get(u)
    ][:5]
    scores_orm = bench.measure(orm_scores, REPEAT, "all scores of the month, Odoo")
    scores_sql = bench.measure(plain_scores, REPEAT, "all scores of the month, plain SQL")
    total_points = sum(v[0] for v in orm_result.values())

    Report = env["kpi.report"]
    measures = [
        "revenue:sum",
        "plan_amount:sum",
        "plan_percent:avg",
        "call_count:sum",
        "meeting_count:sum",
        "order_count:sum",
        "new_customers:sum",
        "churn_rate:avg",
    ]

    def orm_kpi():
        env.invalidate_all()
        groups = Report.read_group(
            [("month", "=", MONTH), ("user_id", "in", users.ids)], measures, ["user_id"]
        )
        return {
            g["user_id"][0]: (round(g["revenue"], 2), round(g["plan_amount"], 2),
                              g["call_count"], g["meeting_count"], g["order_count"],
                              g["new_customers"])
            for g in groups
        }  # fmt: skip

    def plain_kpi():
        env.cr.execute(PLAIN_KPI_SQL, sql_params)
        return {
            row[0]: (round(float(row[1]), 2), round(float(row[2]), 2), *row[3:])
            for row in env.cr.fetchall()
        }

    kpi_result, kpi_sql_result = orm_kpi(), plain_kpi()
    assert kpi_result == kpi_sql_result, [
        (u, kpi_result[u], kpi_sql_result.get(u))
        for u in kpi_result
        if kpi_result[u] != kpi_sql_result.get(u)
    ][:5]
    kpi_orm = bench.measure(orm_kpi, REPEAT, "KPI report of the month, Odoo")
    kpi_sql = bench.measure(plain_kpi, REPEAT, "KPI report of the month, plain SQL")

    bench.title(
        f"kpi_motivation: {MANAGERS} managers, {ACTIVITIES:,} done activities, "
        f"{STAGE_CHANGES:,} stage changes ({HANDOVERS:,} hand-overs), {ORDERS:,} orders; "
        f"{total_points:,.0f} points in all (Odoo and plain SQL agree)"
    )
    bench.report(scores_orm, SCORES_TARGET_MS)
    bench.report(scores_sql)
    bench.report_ratio(scores_orm, scores_sql, TARGET_RATIO)
    bench.report(kpi_orm, KPI_TARGET_MS)
    bench.report(kpi_sql)
    bench.report_ratio(kpi_orm, kpi_sql, TARGET_RATIO)
    env.cr.rollback()
