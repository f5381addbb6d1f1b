from odoo import api, fields, models, tools
from odoo.tools import SQL

# The days and months of the KPI are those of the manager's time zone, else of the company's
# (its partner's), else UTC: a deal closed at 01:00 in Moscow on the 1st belongs to that month.
# ``motivation.score._kpi_tz`` applies the same rule to the periods of the scores.
USER_TZ_CTE = SQL(
    """
    user_tz AS (
        SELECT u.id AS user_id,
               COALESCE(NULLIF(up.tz, ''), NULLIF(cp.tz, ''), 'UTC') AS tz
          FROM res_users u
          JOIN res_partner up ON up.id = u.partner_id
     LEFT JOIN res_company c ON c.id = u.company_id
     LEFT JOIN res_partner cp ON cp.id = c.partner_id
    ),
    company_tz AS (
        SELECT c.id AS company_id, COALESCE(NULLIF(cp.tz, ''), 'UTC') AS tz
          FROM res_company c
          JOIN res_partner cp ON cp.id = c.partner_id
    )"""
)


def local_time(column, user_tz="ut", company_tz="ct"):
    """SQL: the UTC timestamp ``column`` in local time, by the ``user_tz`` row joined for
    the record's manager, else the ``company_tz`` row of its company."""
    return SQL(
        "timezone(COALESCE(%s, %s, 'UTC'), timezone('UTC', %s))",
        SQL.identifier(user_tz, "tz"),
        SQL.identifier(company_tz, "tz"),
        column,
    )


# an order's margin without sale_margin (see KpiReport._margin_sql)
UNTAXED_MARGIN = SQL("so.amount_untaxed")

# ratio measures recomputed from the summed counts of each group (a sum of ratios means nothing)
RATIOS = {
    "plan_percent": ("revenue", "plan_amount"),
    "churn_rate": ("churned_customers", "prev_customers"),
    "inflow_rate": ("new_customers", "customers"),
    "repeat_share": ("repeat_orders", "order_count"),
}


class KpiReport(models.Model):
    _name = "kpi.report"
    _description = "Sales KPI per Manager and Month"
    _auto = False
    _order = "month desc, user_id"
    _rec_name = "month"

    month = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Manager", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    revenue = fields.Float(readonly=True, help="Confirmed orders, untaxed, company currency.")
    margin = fields.Float(
        readonly=True, help="Margin of the confirmed orders (untaxed amount without sale_margin)."
    )
    plan_amount = fields.Float(string="Plan", readonly=True, help="Sales plans pro-rated by day.")
    plan_percent = fields.Float(string="Plan %", readonly=True, aggregator="avg")
    order_count = fields.Integer(string="Contracts (Orders)", readonly=True)
    proposal_count = fields.Integer(string="Proposals (Quotations)", readonly=True)
    call_count = fields.Integer(string="Calls", readonly=True)
    meeting_count = fields.Integer(string="Meetings", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    new_customers = fields.Integer(readonly=True)
    customers = fields.Integer(readonly=True)
    prev_customers = fields.Integer(string="Customers of the Previous Month", readonly=True)
    churned_customers = fields.Integer(readonly=True)
    repeat_orders = fields.Integer(readonly=True)
    churn_rate = fields.Float(string="Churn %", readonly=True, aggregator="avg")
    inflow_rate = fields.Float(string="Inflow %", readonly=True, aggregator="avg")
    repeat_share = fields.Float(string="Repeat Deals %", readonly=True, aggregator="avg")

    @api.model
    def _margin_sql(self):
        """The margin of a confirmed order ``so``: its untaxed amount here, as sale_margin
        is no dependency; the bridge ``kpi_motivation_sale_margin`` (installed by itself
        with sale_margin) reads sale_margin's margin instead."""
        return UNTAXED_MARGIN

    @api.model
    def _query(self, margin=None):
        """The view's query; ``margin`` the SQL of an order's margin (:meth:`_margin_sql`
        by default)."""
        return SQL(
            """
            WITH %(user_tz_cte)s,
            users AS (
                SELECT u.id AS user_id, u.partner_id, u.sale_team_id, u.company_id
                  FROM res_users u
            ),
            author AS (
                SELECT DISTINCT ON (partner_id) partner_id, user_id, sale_team_id, company_id
                  FROM users ORDER BY partner_id, user_id
            ),
            activity_kind AS (
                SELECT d.res_id AS type_id, d.name AS kind
                  FROM ir_model_data d
                 WHERE d.model = 'mail.activity.type' AND d.module = 'mail'
                   AND d.name IN ('mail_activity_data_call', 'mail_activity_data_meeting')
            ),
            first_orders AS (
                SELECT DISTINCT ON (p.commercial_partner_id) so.id
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale'
                 ORDER BY p.commercial_partner_id, so.date_order, so.id
            ),
            confirmed AS (
                SELECT so.id, so.user_id, so.team_id, so.company_id,
                       %(order_local)s AS date_order,
                       p.commercial_partner_id AS customer,
                       so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS revenue,
                       %(margin)s / COALESCE(NULLIF(so.currency_rate, 0), 1) AS margin,
                       so.id IN (SELECT id FROM first_orders) AS is_first
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
             LEFT JOIN user_tz ut ON ut.user_id = so.user_id
             LEFT JOIN company_tz ct ON ct.company_id = so.company_id
                 WHERE so.state = 'sale'
            ),
            customer_month AS (
                SELECT DISTINCT COALESCE(user_id, 0) AS user_id, company_id, customer,
                       date_trunc('month', date_order)::date AS month
                  FROM confirmed
            ),
            facts AS (
                SELECT date_trunc('month', c.date_order)::date AS month, c.user_id, c.team_id,
                       c.company_id, c.revenue, c.margin, 0.0 AS plan_amount, 1 AS order_count,
                       0 AS proposal_count, 0 AS call_count, 0 AS meeting_count, 0 AS won_count,
                       0 AS lost_count, c.is_first::int AS new_customers, 0 AS customers,
                       0 AS prev_customers, 0 AS churned_customers,
                       (NOT c.is_first)::int AS repeat_orders
                  FROM confirmed c
                UNION ALL
                SELECT date_trunc('month', %(quotation_local)s)::date, so.user_id, so.team_id,
                       so.company_id, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0
                  FROM sale_order so
             LEFT JOIN user_tz ut ON ut.user_id = so.user_id
             LEFT JOIN company_tz ct ON ct.company_id = so.company_id
                 WHERE so.state != 'cancel'
                UNION ALL
                SELECT date_trunc('month', %(message_local)s)::date, a.user_id, a.sale_team_id,
                       a.company_id, 0, 0, 0, 0, 0,
                       (k.kind = 'mail_activity_data_call')::int,
                       (k.kind = 'mail_activity_data_meeting')::int, 0, 0, 0, 0, 0, 0, 0
                  FROM mail_message m
                  JOIN activity_kind k ON k.type_id = m.mail_activity_type_id
                  JOIN author a ON a.partner_id = m.author_id
             LEFT JOIN user_tz ut ON ut.user_id = a.user_id
             LEFT JOIN company_tz ct ON ct.company_id = a.company_id
                UNION ALL
                SELECT date_trunc('month', %(closed_local)s)::date,
                       l.user_id, l.team_id, l.company_id, 0, 0, 0, 0, 0, 0, 0,
                       (l.active AND s.is_won IS TRUE)::int, (NOT l.active)::int, 0, 0, 0, 0, 0
                  FROM crm_lead l
                  LEFT JOIN crm_stage s ON s.id = l.stage_id
                  LEFT JOIN user_tz ut ON ut.user_id = l.user_id
                  LEFT JOIN company_tz ct ON ct.company_id = l.company_id
                 WHERE l.type = 'opportunity'
                   AND ((l.active AND s.is_won IS TRUE) OR (NOT l.active AND l.probability = 0))
                UNION ALL
                SELECT cm.month, NULLIF(cm.user_id, 0), u.sale_team_id, cm.company_id,
                       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0
                  FROM customer_month cm
                  LEFT JOIN users u ON u.user_id = cm.user_id
                UNION ALL
                SELECT (cm.month + interval '1 month')::date, NULLIF(cm.user_id, 0),
                       u.sale_team_id, cm.company_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                       (nx.customer IS NULL)::int, 0
                  FROM customer_month cm
                  LEFT JOIN users u ON u.user_id = cm.user_id
                  LEFT JOIN customer_month nx
                    ON nx.user_id = cm.user_id AND nx.company_id = cm.company_id
                   AND nx.customer = cm.customer
                   AND nx.month = (cm.month + interval '1 month')::date
                UNION ALL
                SELECT mo.month::date, pl.user_id,
                       COALESCE(pl.team_id, u.sale_team_id), pl.company_id, 0, 0,
                       pl.revenue_target
                         * (LEAST(pl.date_to, (mo.month + interval '1 month - 1 day')::date)
                            - GREATEST(pl.date_from, mo.month::date) + 1)
                         / (pl.date_to - pl.date_from + 1),
                       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
                  FROM sales_plan pl
                  LEFT JOIN users u ON u.user_id = pl.user_id
                 CROSS JOIN LATERAL generate_series(
                       date_trunc('month', pl.date_from::timestamp), pl.date_to::timestamp,
                       interval '1 month'
                 ) AS mo(month)
                 WHERE pl.revenue_target > 0
            )
            SELECT row_number() OVER (ORDER BY month, user_id, team_id, company_id) AS id,
                   month, user_id, team_id, company_id,
                   sum(revenue) AS revenue, sum(margin) AS margin,
                   sum(plan_amount) AS plan_amount,
                   CASE WHEN sum(plan_amount) > 0
                        THEN 100.0 * sum(revenue) / sum(plan_amount) ELSE 0 END AS plan_percent,
                   sum(order_count) AS order_count, sum(proposal_count) AS proposal_count,
                   sum(call_count) AS call_count, sum(meeting_count) AS meeting_count,
                   sum(won_count) AS won_count, sum(lost_count) AS lost_count,
                   sum(new_customers) AS new_customers, sum(customers) AS customers,
                   sum(prev_customers) AS prev_customers,
                   sum(churned_customers) AS churned_customers,
                   sum(repeat_orders) AS repeat_orders,
                   CASE WHEN sum(prev_customers) > 0
                        THEN 100.0 * sum(churned_customers) / sum(prev_customers)
                        ELSE 0 END AS churn_rate,
                   CASE WHEN sum(customers) > 0
                        THEN 100.0 * sum(new_customers) / sum(customers) ELSE 0 END
                        AS inflow_rate,
                   CASE WHEN sum(order_count) > 0
                        THEN 100.0 * sum(repeat_orders) / sum(order_count) ELSE 0 END
                        AS repeat_share
              FROM facts
             GROUP BY month, user_id, team_id, company_id
            """,
            margin=margin or self._margin_sql(),
            user_tz_cte=USER_TZ_CTE,
            order_local=local_time(SQL("so.date_order")),
            quotation_local=local_time(SQL("so.create_date")),
            message_local=local_time(SQL("m.date")),
            closed_local=local_time(SQL("COALESCE(l.date_closed, l.write_date)")),
        )

    def init(self):
        self._create_view(self._query())

    @api.model
    def _create_view(self, query):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), query)
        )

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """Ratios of a group are recomputed from its summed counts."""
        names = {spec.split(":")[0] for spec in fields}
        wanted = {ratio: parts for ratio, parts in RATIOS.items() if ratio in names}
        extra = [part for parts in wanted.values() for part in parts if part not in names]
        groups = super().read_group(
            domain, list(fields) + extra, groupby, offset=offset, limit=limit,
            orderby=orderby, lazy=lazy,
        )  # fmt: skip
        for group in groups:
            for ratio, (numerator, denominator) in wanted.items():
                den = group.get(denominator) or 0
                group[ratio] = 100.0 * (group.get(numerator) or 0) / den if den else 0.0
        return groups
