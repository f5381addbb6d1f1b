from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.claim_cause import CAUSE_CATEGORIES


class ClaimAnalysis(models.Model):
    """One row per claim, shaped for the pivot and graph of the claims analysis."""

    _name = "claim.analysis"
    _description = "Claims Analysis"
    _auto = False
    _rec_name = "ticket_id"
    _order = "date desc"

    ticket_id = fields.Many2one("helpdesk.ticket", string="Claim", readonly=True)
    date = fields.Datetime(string="Registered On", readonly=True)
    closed_date = fields.Datetime(string="Closed On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", string="Team", readonly=True)
    stage_id = fields.Many2one("helpdesk.ticket.stage", string="Stage", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned User", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    sale_order_id = fields.Many2one("sale.order", string="Sale Order", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    claim_cause_id = fields.Many2one("claim.cause", string="Cause", readonly=True)
    cause_category = fields.Selection(CAUSE_CATEGORIES, readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    is_rejected = fields.Boolean(string="Rejected", readonly=True)
    is_stalled = fields.Boolean(string="Overdue", readonly=True)
    claim_count = fields.Integer(string="Claims", readonly=True, aggregator="sum")
    close_hours = fields.Float(
        string="Hours to Close (avg)",
        readonly=True,
        aggregator="avg",
        help="Average calendar hours from registration to closing of the closed claims.",
    )
    overdue_rate = fields.Float(
        string="Overdue Share (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the open claims that are past their stage SLA.",
    )
    human_rate = fields.Float(
        string="Human-Factor Share (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the closed claims with a cause whose category is human factor.",
    )
    claim_cost = fields.Float(readonly=True, aggregator="sum")
    claim_quantity = fields.Float(string="Quantity Affected", readonly=True, aggregator="sum")

    def _select_additional_fields(self):
        """Extra columns of the report for other addons: {column name: SQL expression}.

        The expressions may use ``t`` (the claim, helpdesk_ticket) and ``s`` (its stage).
        """
        return {}

    def _query(self):
        additional = SQL("").join(
            SQL(",\n                   %s AS %s", expression, SQL.identifier(name))
            for name, expression in self._select_additional_fields().items()
        )
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.create_date AS date,
                   t.closed_date AS closed_date,
                   t.company_id AS company_id,
                   t.team_id AS team_id,
                   t.stage_id AS stage_id,
                   t.user_id AS user_id,
                   t.commercial_partner_id AS partner_id,
                   t.sale_order_id AS sale_order_id,
                   t.product_id AS product_id,
                   t.claim_cause_id AS claim_cause_id,
                   t.cause_category AS cause_category,
                   COALESCE(s.closed, FALSE) AS is_closed,
                   COALESCE(s.claim_rejection, FALSE) AS is_rejected,
                   COALESCE(t.is_stalled, FALSE) AS is_stalled,
                   1 AS claim_count,
                   CASE WHEN s.closed AND NOT COALESCE(s.claim_rejection, FALSE)
                        THEN t.claim_close_hours END AS close_hours,
                   CASE WHEN COALESCE(s.closed, FALSE) THEN NULL
                        WHEN t.is_stalled THEN 100.0 ELSE 0.0 END AS overdue_rate,
                   CASE WHEN s.closed AND NOT COALESCE(s.claim_rejection, FALSE)
                             AND t.cause_category IS NOT NULL
                        THEN CASE WHEN t.cause_category = 'human' THEN 100.0 ELSE 0.0 END
                   END AS human_rate,
                   COALESCE(t.claim_cost, 0.0) AS claim_cost,
                   COALESCE(t.claim_quantity, 0.0) AS claim_quantity%s
              FROM helpdesk_ticket t
              LEFT JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
             WHERE t.is_claim AND t.active
            """,
            additional,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
