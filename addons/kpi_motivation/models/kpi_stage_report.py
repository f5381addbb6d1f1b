from odoo import api, fields, models, tools
from odoo.tools import SQL

from .kpi_report import USER_TZ_CTE, local_time


class KpiStageReport(models.Model):
    _name = "kpi.stage.report"
    _description = "Funnel Conversion per Stage"
    _auto = False
    _order = "month desc, user_id, sequence"
    _rec_name = "stage_id"

    month = fields.Date(readonly=True, help="Month the opportunities were created in.")
    user_id = fields.Many2one("res.users", string="Manager", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    stage_id = fields.Many2one("crm.stage", string="Stage", readonly=True)
    sequence = fields.Integer(readonly=True)
    reached = fields.Integer(
        readonly=True,
        help="Opportunities that reached this stage or a later one.",
    )
    next_reached = fields.Integer(
        string="Went On", readonly=True, help="Of those, the ones that reached the next stage."
    )
    conversion = fields.Float(
        string="Conversion %", readonly=True, aggregator="avg", help="Went on ÷ reached."
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                WITH %s,
                leads AS (
                    SELECT l.id, l.user_id, l.team_id, l.company_id,
                           date_trunc('month', %s)::date AS month,
                           EXISTS (SELECT 1 FROM crm_stage ts WHERE ts.team_id = l.team_id)
                               AS own_funnel
                      FROM crm_lead l
                 LEFT JOIN user_tz ut ON ut.user_id = l.user_id
                 LEFT JOIN company_tz ct ON ct.company_id = l.company_id
                     WHERE l.type = 'opportunity'
                ),
                held AS (
                    SELECT l.id AS lead_id, l.stage_id FROM crm_lead l
                     WHERE l.type = 'opportunity' AND l.stage_id IS NOT NULL
                     UNION
                    SELECT m.res_id, v.stage_id
                      FROM mail_message m
                      JOIN mail_tracking_value t ON t.mail_message_id = m.id
                      JOIN ir_model_fields f
                        ON f.id = t.field_id AND f.model = 'crm.lead' AND f.name = 'stage_id'
                     CROSS JOIN LATERAL (VALUES (t.old_value_integer), (t.new_value_integer))
                           AS v(stage_id)
                     WHERE m.model = 'crm.lead' AND v.stage_id > 0
                ),
                funnel AS (
                    -- each opportunity's funnel: its team's own stages, else the shared ones;
                    -- the first won stage is the last step
                    SELECT ld.id AS lead_id, s.id AS stage_id, s.is_won IS TRUE AS is_won,
                           row_number() OVER (PARTITION BY ld.id, s.is_won IS TRUE
                                              ORDER BY s.sequence, s.id) AS rank_in_kind,
                           s.sequence AS stage_sequence
                      FROM leads ld
                      JOIN crm_stage s ON CASE WHEN ld.own_funnel THEN s.team_id = ld.team_id
                                               ELSE s.team_id IS NULL END
                ),
                steps AS (
                    SELECT lead_id, stage_id, is_won,
                           row_number() OVER (PARTITION BY lead_id
                                              ORDER BY is_won, stage_sequence, stage_id) AS pos
                      FROM funnel
                     WHERE NOT is_won OR rank_in_kind = 1
                ),
                furthest AS (
                    SELECT st.lead_id, max(st.pos) AS pos
                      FROM held h
                      JOIN crm_stage hs ON hs.id = h.stage_id
                      JOIN steps st ON st.lead_id = h.lead_id
                       AND (st.stage_id = h.stage_id OR (hs.is_won IS TRUE AND st.is_won))
                     GROUP BY st.lead_id
                )
                SELECT row_number() OVER (ORDER BY ld.month, ld.user_id, st.pos, st.stage_id)
                           AS id,
                       ld.month, ld.user_id, ld.team_id, ld.company_id, st.stage_id,
                       st.pos AS sequence,
                       count(*) FILTER (WHERE f.pos >= st.pos) AS reached,
                       count(*) FILTER (WHERE f.pos > st.pos AND NOT st.is_won) AS next_reached,
                       CASE WHEN count(*) FILTER (WHERE f.pos >= st.pos) > 0 AND NOT st.is_won
                            THEN 100.0 * count(*) FILTER (WHERE f.pos > st.pos)
                                 / count(*) FILTER (WHERE f.pos >= st.pos)
                            ELSE 0 END AS conversion
                  FROM steps st
                  JOIN leads ld ON ld.id = st.lead_id
                  LEFT JOIN furthest f ON f.lead_id = st.lead_id
                 GROUP BY ld.month, ld.user_id, ld.team_id, ld.company_id, st.stage_id,
                          st.pos, st.is_won
                )
                """,
                SQL.identifier(self._table),
                USER_TZ_CTE,
                local_time(SQL("l.create_date")),
            )
        )

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """The conversion of a group is recomputed from its sums."""
        names = {spec.split(":")[0] for spec in fields}
        extra = [n for n in ("reached", "next_reached") if "conversion" in names and n not in names]
        groups = super().read_group(
            domain,
            list(fields) + extra,
            groupby,
            offset=offset,
            limit=limit,
            orderby=orderby,
            lazy=lazy,
        )
        if "conversion" in names:
            for group in groups:
                reached = group.get("reached") or 0
                group["conversion"] = (
                    100.0 * (group.get("next_reached") or 0) / reached if reached else 0.0
                )
        return groups
