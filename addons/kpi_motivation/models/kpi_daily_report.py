from odoo import fields, models, tools
from odoo.tools import SQL

from .kpi_report import USER_TZ_CTE, local_time


class KpiDailyReport(models.Model):
    _name = "kpi.daily.report"
    _description = "Daily Won and Lost Deals per Manager"
    _auto = False
    _order = "day desc, user_id"
    _rec_name = "day"

    day = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Manager", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    won_amount = fields.Float(string="Won Revenue", readonly=True)
    lost_amount = fields.Float(string="Lost Revenue", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    WITH %s
                    SELECT row_number() OVER (ORDER BY day, user_id, team_id, company_id) AS id,
                           day, user_id, team_id, company_id,
                           count(*) FILTER (WHERE won) AS won_count,
                           count(*) FILTER (WHERE NOT won) AS lost_count,
                           COALESCE(sum(expected_revenue) FILTER (WHERE won), 0) AS won_amount,
                           COALESCE(sum(expected_revenue) FILTER (WHERE NOT won), 0)
                               AS lost_amount
                      FROM (
                        SELECT %s::date AS day,
                               l.user_id, l.team_id, l.company_id, l.expected_revenue,
                               (l.active AND s.is_won IS TRUE) AS won
                          FROM crm_lead l
                          LEFT JOIN crm_stage s ON s.id = l.stage_id
                          LEFT JOIN user_tz ut ON ut.user_id = l.user_id
                          LEFT JOIN company_tz ct ON ct.company_id = l.company_id
                         WHERE l.type = 'opportunity'
                           AND ((l.active AND s.is_won IS TRUE)
                                OR (NOT l.active AND l.probability = 0))
                      ) closed
                     GROUP BY day, user_id, team_id, company_id
                )
                """,
                SQL.identifier(self._table),
                USER_TZ_CTE,
                local_time(SQL("COALESCE(l.date_closed, l.write_date)")),
            )
        )
