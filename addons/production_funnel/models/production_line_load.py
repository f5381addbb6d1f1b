from odoo import fields, models, tools
from odoo.tools import SQL


class ProductionLineLoad(models.Model):
    """Per production line and day: planned hours, capacity, load and sales forecast.

    A SQL view, so that the whole report is one set-based query:

    * capacity: for each work center of the line, the hours of its working calendar on that
      weekday (two-week calendars and attendance validity dates respected, breaks left out)
      x its capacity x its time efficiency;
    * planned: the expected duration of the open work orders of open manufacturing orders
      on the line's work centers, spread over the days between their start and end in
      proportion to the time of each day they cover (unplanned work orders start with
      their manufacturing order); days are those of the company calendar's time zone;
    * forecast: quotation lines of open opportunities weighted by the probability, placed
      on the expected closing date, plus lines of confirmed sale orders that have no
      manufacturing order yet, placed on their delivery date (today when that date has
      passed or is not set), converted to hours through the operations of the product's
      bill of materials.
    """

    _name = "production.line.load"
    _description = "Production Line Load"
    _auto = False
    _order = "date, line_id"
    _rec_name = "line_id"

    line_id = fields.Many2one("production.line", string="Production Line", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(readonly=True)
    planned_hours = fields.Float(readonly=True, aggregator="sum")
    capacity_hours = fields.Float(readonly=True, aggregator="sum")
    forecast_hours = fields.Float(readonly=True, aggregator="sum")
    free_hours = fields.Float(
        readonly=True, aggregator="sum", help="Capacity hours minus planned hours."
    )
    load_percent = fields.Float(
        string="Load (%)",
        readonly=True,
        aggregator="avg",
        help="Planned hours against capacity hours, in percent; empty when the line has no "
        "capacity that day.",
    )
    has_capacity = fields.Boolean(readonly=True)

    def _query(self):
        return SQL(
            """
            WITH pline AS (
                SELECT pl.id AS line_id,
                       pl.company_id,
                       COALESCE(cal.tz, 'UTC') AS tz,
                       (now() AT TIME ZONE COALESCE(cal.tz, 'UTC'))::date AS today
                  FROM production_line pl
                  JOIN res_company rc ON rc.id = pl.company_id
             LEFT JOIN resource_calendar cal ON cal.id = rc.resource_calendar_id
                 WHERE pl.active
            ),
            days AS (
                SELECT pline.line_id, pline.company_id, d::date AS date
                  FROM pline,
                       generate_series(pline.today - %(past)s, pline.today + %(future)s,
                                       interval '1 day') AS d
            ),
            capacity AS (
                SELECT days.line_id, days.date,
                       SUM((att.hour_to - att.hour_from) * wc.default_capacity
                           * COALESCE(wc.time_efficiency, 100.0) / 100.0) AS hours
                  FROM days
                  JOIN mrp_workcenter wc ON wc.production_line_id = days.line_id AND wc.active
             LEFT JOIN res_company rc ON rc.id = wc.company_id
                  JOIN resource_calendar cal
                    ON cal.id = COALESCE(wc.resource_calendar_id, rc.resource_calendar_id)
                  JOIN resource_calendar_attendance att
                    ON att.calendar_id = cal.id
                   AND att.dayofweek = (EXTRACT(ISODOW FROM days.date)::int - 1)::varchar
                   AND att.display_type IS NULL
                   AND att.day_period != 'lunch'
                   AND att.resource_id IS NULL
                   AND (att.date_from IS NULL OR att.date_from <= days.date)
                   AND (att.date_to IS NULL OR att.date_to >= days.date)
                   AND (NOT COALESCE(cal.two_weeks_calendar, FALSE)
                        OR att.week_type = MOD((days.date - DATE '0001-01-01') / 7, 2)::varchar)
                 GROUP BY days.line_id, days.date
            ),
            wos AS (
                SELECT pline.line_id,
                       wo.duration_expected / 60.0 AS hours,
                       COALESCE(wo.date_start, mp.date_start) AT TIME ZONE 'UTC'
                           AT TIME ZONE pline.tz AS start_at,
                       GREATEST(
                           COALESCE(wo.date_finished,
                                    COALESCE(wo.date_start, mp.date_start)
                                    + wo.duration_expected * interval '1 minute'),
                           COALESCE(wo.date_start, mp.date_start)
                       ) AT TIME ZONE 'UTC' AT TIME ZONE pline.tz AS end_at
                  FROM mrp_workorder wo
                  JOIN mrp_production mp ON mp.id = wo.production_id
                  JOIN mrp_workcenter wc ON wc.id = wo.workcenter_id
                  JOIN pline ON pline.line_id = wc.production_line_id
                 WHERE wo.state NOT IN ('done', 'cancel')
                   AND mp.state NOT IN ('done', 'cancel')
                   AND wo.duration_expected > 0
                   AND COALESCE(wo.date_start, mp.date_start) IS NOT NULL
            ),
            planned AS (
                SELECT wos.line_id, d::date AS date,
                       SUM(CASE
                           WHEN wos.end_at <= wos.start_at THEN wos.hours
                           ELSE wos.hours
                                * EXTRACT(EPOCH FROM
                                      LEAST(wos.end_at, d + interval '1 day')
                                      - GREATEST(wos.start_at, d))
                                / EXTRACT(EPOCH FROM wos.end_at - wos.start_at)
                       END) AS hours
                  FROM wos,
                       generate_series(date_trunc('day', wos.start_at),
                                       date_trunc('day', wos.end_at), interval '1 day') AS d
                 WHERE wos.end_at <= wos.start_at OR d < wos.end_at
                 GROUP BY wos.line_id, d::date
            ),
            bom AS (
                SELECT DISTINCT ON (pp.id) pp.id AS product_id, b.id AS bom_id, b.product_qty
                  FROM product_product pp
                  JOIN mrp_bom b ON b.product_tmpl_id = pp.product_tmpl_id
                   AND (b.product_id IS NULL OR b.product_id = pp.id)
                   AND b.active AND b.type = 'normal'
                 ORDER BY pp.id, b.product_id IS NULL, b.sequence, b.id
            ),
            unit_hours AS (
                SELECT bom.product_id, wc.production_line_id AS line_id,
                       SUM(op.time_cycle_manual / 60.0 * 100.0
                           / NULLIF(COALESCE(wc.time_efficiency, 100.0), 0)
                           / NULLIF(bom.product_qty, 0)) AS hours
                  FROM bom
                  JOIN mrp_routing_workcenter op ON op.bom_id = bom.bom_id AND op.active
                  JOIN mrp_workcenter wc ON wc.id = op.workcenter_id
                 WHERE wc.production_line_id IS NOT NULL
                 GROUP BY bom.product_id, wc.production_line_id
            ),
            demand AS (
                SELECT sol.product_id,
                       sol.product_uom_qty * lead.probability / 100.0 AS qty,
                       lead.date_deadline AS date
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN crm_lead lead ON lead.id = so.opportunity_id
                  JOIN crm_stage stage ON stage.id = lead.stage_id
                 WHERE so.state IN ('draft', 'sent')
                   AND lead.active AND lead.type = 'opportunity'
                   AND NOT COALESCE(stage.is_won, FALSE)
                   AND lead.probability > 0
                   AND sol.display_type IS NULL
                UNION ALL
                SELECT sol.product_id,
                       GREATEST(sol.product_uom_qty - sol.qty_delivered, 0) AS qty,
                       COALESCE(so.commitment_date, so.date_order)::date AS date
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                 WHERE so.state = 'sale'
                   AND sol.display_type IS NULL
                   AND NOT EXISTS (
                       SELECT 1 FROM mrp_production mp
                        WHERE mp.sale_line_id = sol.id AND mp.state != 'cancel'
                   )
            ),
            forecast AS (
                SELECT uh.line_id,
                       GREATEST(COALESCE(demand.date, pline.today), pline.today) AS date,
                       SUM(demand.qty * uh.hours) AS hours
                  FROM demand
                  JOIN unit_hours uh ON uh.product_id = demand.product_id
                  JOIN pline ON pline.line_id = uh.line_id
                 GROUP BY 1, 2
            ),
            merged AS (
                SELECT line_id, date, 0.0 AS planned, 0.0 AS capacity, 0.0 AS forecast
                  FROM days
                UNION ALL
                SELECT line_id, date, 0.0, hours, 0.0 FROM capacity
                UNION ALL
                SELECT line_id, date, hours, 0.0, 0.0 FROM planned
                UNION ALL
                SELECT line_id, date, 0.0, 0.0, hours FROM forecast
            ),
            total AS (
                SELECT line_id, date,
                       SUM(planned) AS planned_hours,
                       SUM(capacity) AS capacity_hours,
                       SUM(forecast) AS forecast_hours
                  FROM merged
                 GROUP BY line_id, date
            )
            SELECT total.line_id * 100000 + (total.date - DATE '2000-01-01') AS id,
                   total.line_id,
                   pline.company_id,
                   total.date,
                   total.planned_hours,
                   total.capacity_hours,
                   total.forecast_hours,
                   total.capacity_hours - total.planned_hours AS free_hours,
                   CASE WHEN total.capacity_hours > 0
                        THEN 100.0 * total.planned_hours / total.capacity_hours
                   END AS load_percent,
                   total.capacity_hours > 0 AS has_capacity
              FROM total
              JOIN pline ON pline.line_id = total.line_id
            """,
            past=31,
            future=370,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
