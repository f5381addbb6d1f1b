from odoo import fields, models, tools
from odoo.tools import SQL


class CrmPlaybookSurveyReport(models.Model):
    """One row per closing survey sent for a lead: the results per source, salesperson,
    team, the stage the lead was lost or won in, and the lost reason."""

    _name = "crm.playbook.survey.report"
    _description = "Closing Survey Results"
    _auto = False
    _order = "date desc"
    _rec_name = "lead_id"

    answer_id = fields.Many2one("survey.user_input", string="Answer", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Lead", readonly=True)
    survey_id = fields.Many2one("survey.survey", string="Survey", readonly=True)
    kind = fields.Selection(
        [("farewell", "Farewell"), ("quality", "Service quality")],
        string="Closing Survey",
        readonly=True,
    )
    date = fields.Datetime(string="Sent On", readonly=True)
    state = fields.Selection(
        [("new", "Not started yet"), ("in_progress", "In Progress"), ("done", "Completed")],
        string="Status",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    stage_id = fields.Many2one("crm.stage", string="Closed in Stage", readonly=True)
    lost_reason_id = fields.Many2one("crm.lost.reason", string="Lost Reason", readonly=True)
    sent_count = fields.Integer(string="Sent", readonly=True)
    answered_count = fields.Integer(string="Answered", readonly=True)
    answer_rate = fields.Float(
        string="Answer Rate %", readonly=True, aggregator="avg", help="Answered ÷ sent."
    )
    score = fields.Float(
        string="Score %",
        readonly=True,
        aggregator="avg",
        help="The survey's score of the completed answers (scored surveys), on average.",
    )
    rating = fields.Float(
        readonly=True,
        aggregator="avg",
        help="The answers to the scale questions (for example 1 to 5), on average.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                SELECT a.id,
                       a.id AS answer_id,
                       a.lead_id,
                       a.survey_id,
                       a.playbook_kind AS kind,
                       a.create_date AS date,
                       a.state,
                       l.company_id,
                       a.lead_source_id AS source_id,
                       a.lead_user_id AS user_id,
                       a.lead_team_id AS team_id,
                       a.lead_stage_id AS stage_id,
                       a.lead_lost_reason_id AS lost_reason_id,
                       1 AS sent_count,
                       CASE WHEN a.state = 'done' THEN 1 ELSE 0 END AS answered_count,
                       CASE WHEN a.state = 'done' THEN 100.0 ELSE 0.0 END AS answer_rate,
                       CASE WHEN a.state = 'done' AND s.scoring_type != 'no_scoring'
                            THEN a.scoring_percentage END AS score,
                       r.rating
                  FROM survey_user_input a
                  JOIN survey_survey s ON s.id = a.survey_id
             LEFT JOIN crm_lead l ON l.id = a.lead_id
             LEFT JOIN LATERAL (
                       SELECT avg(li.value_scale)::float AS rating
                         FROM survey_user_input_line li
                        WHERE li.user_input_id = a.id
                          AND li.answer_type = 'scale'
                          AND li.skipped IS NOT TRUE
                       ) r ON TRUE
                 WHERE a.playbook_kind IS NOT NULL
                )
                """,
                SQL.identifier(self._table),
            )
        )
