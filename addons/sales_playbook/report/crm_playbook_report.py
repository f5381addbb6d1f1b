from odoo import fields, models, tools
from odoo.tools import SQL


class CrmPlaybookReport(models.Model):
    """One row per lead, for the pivots of where leads come from and where deals stall
    and are lost: per source, first handler, salesperson, team, stage, lost reason and
    month of creation; leads, opportunities, won, lost, stalled, revenue, conversion and
    days to win."""

    _name = "crm.playbook.report"
    _description = "Sales Playbook Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one("crm.lead", string="Lead", readonly=True)
    date = fields.Datetime(string="Created On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    first_user_id = fields.Many2one("res.users", string="First Handler", readonly=True)
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    medium_id = fields.Many2one("utm.medium", string="Medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    stage_id = fields.Many2one("crm.stage", string="Stage", readonly=True)
    lost_reason_id = fields.Many2one("crm.lost.reason", string="Lost Reason", readonly=True)
    type = fields.Selection([("lead", "Lead"), ("opportunity", "Opportunity")], readonly=True)
    lead_count = fields.Integer(string="Leads", readonly=True)
    opportunity_count = fields.Integer(
        string="Opportunities", readonly=True, help="Leads that became opportunities."
    )
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    open_count = fields.Integer(string="Open", readonly=True)
    stalled_count = fields.Integer(
        string="Stalled", readonly=True, help="Open leads past their stage's SLA."
    )
    revenue = fields.Float(
        string="Won Revenue", readonly=True, help="Expected revenue of the won deals."
    )
    conversion = fields.Float(
        string="Conversion %", readonly=True, aggregator="avg", help="Won ÷ leads."
    )
    days_to_win = fields.Float(
        string="Days to Win",
        readonly=True,
        aggregator="avg",
        help="Days from the creation of a won deal to its closing (average).",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                SELECT l.id,
                       l.id AS lead_id,
                       l.create_date AS date,
                       l.company_id,
                       l.team_id,
                       l.user_id,
                       l.first_user_id,
                       l.source_id,
                       l.medium_id,
                       l.campaign_id,
                       l.stage_id,
                       l.lost_reason_id,
                       l.type,
                       1 AS lead_count,
                       CASE WHEN l.type = 'opportunity' OR l.date_conversion IS NOT NULL
                            THEN 1 ELSE 0 END AS opportunity_count,
                       CASE WHEN l.active AND s.is_won THEN 1 ELSE 0 END AS won_count,
                       CASE WHEN NOT l.active AND l.probability = 0 THEN 1 ELSE 0 END
                           AS lost_count,
                       CASE WHEN l.active AND s.is_won IS NOT TRUE THEN 1 ELSE 0 END
                           AS open_count,
                       CASE WHEN l.active AND s.is_won IS NOT TRUE AND l.is_stalled
                            THEN 1 ELSE 0 END AS stalled_count,
                       CASE WHEN l.active AND s.is_won THEN l.expected_revenue ELSE 0 END
                           AS revenue,
                       CASE WHEN l.active AND s.is_won THEN 100.0 ELSE 0.0 END AS conversion,
                       CASE WHEN l.active AND s.is_won AND l.date_closed IS NOT NULL
                            THEN EXTRACT(EPOCH FROM l.date_closed - l.create_date) / 86400.0
                       END AS days_to_win
                  FROM crm_lead l
             LEFT JOIN crm_stage s ON s.id = l.stage_id
                )
                """,
                SQL.identifier(self._table),
            )
        )
