from odoo import fields, models, tools
from odoo.tools import SQL

from .mrp_workorder import LOAD_FIELDS


class ProductionLineLoad(models.Model):
    """Per production line and day: planned hours, capacity, load and sales forecast.

    A SQL view, so that the whole report is one set-based query (the pivot asks it up to
    four times per display, one per grouping, so each evaluation must stay cheap):

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

    The planned hours per day are stored on each line (``planned_days``), computed by
    the ORM from what each open work order stores of its load (its line, hours, start and
    end, first and last local day: ``mrp.workorder._compute_load``), themselves computed
    whenever what they come from changes (the work order, its order, its work center's
    line, the time zone of the line's company calendar): the pivot reads the report up
    to four times per display, and converting and spreading tens of thousands of work
    orders at every read is the costly part of it.
    """

    _name = "production.line.load"
    _description = "Production Line Load"
    _auto = False
    _order = "date, line_id"
    _rec_name = "line_id"
    _depends = {
        "mrp.workorder": list(LOAD_FIELDS),
        "mrp.workcenter": [
            "production_line_id",
            "active",
            "resource_calendar_id",
            "default_capacity",
            "time_efficiency",
            "company_id",
        ],
        "mrp.production": ["state", "sale_line_id"],
        "production.line": ["active", "company_id", "planned_days"],
        "res.company": ["resource_calendar_id"],
        "resource.calendar": ["tz"],
        "sale.order": ["state", "opportunity_id", "commitment_date", "date_order"],
        "sale.order.line": [
            "order_id",
            "product_id",
            "product_uom_qty",
            "qty_delivered",
            "display_type",
        ],
        "crm.lead": ["active", "type", "probability", "stage_id", "date_deadline"],
    }

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

    def _planned_query(self):
        """Planned hours per line and local day, as the lines store them."""
        return SQL(
            """
            SELECT pl.id AS line_id, day.key::date AS date, day.value::float8 AS hours
              FROM production_line pl, jsonb_each_text(pl.planned_days) AS day
             WHERE pl.active AND pl.planned_days IS NOT NULL
            """
        )

    def _query(self):
        return SQL(
            """
            WITH pline AS (
                SELECT pl.id AS line_id,
                       pl.company_id,
                       (now() AT TIME ZONE COALESCE(cal.tz, 'UTC'))::date AS today
                  FROM production_line pl
                  JOIN res_company rc ON rc.id = pl.company_id
             LEFT JOIN resource_calendar cal ON cal.id = rc.resource_calendar_id
                 WHERE pl.active
            ),
            days AS (
                SELECT pline.line_id, pline.today + n AS date
                  FROM pline, generate_series(-%(past)s, %(future)s) AS n
            ),
            shifts AS (
                -- hours x capacity x efficiency of the lines' work centers per weekday
                SELECT wc.production_line_id AS line_id,
                       att.dayofweek,
                       COALESCE(cal.two_weeks_calendar, FALSE) AS two_weeks,
                       att.week_type,
                       att.date_from,
                       att.date_to,
                       SUM((att.hour_to - att.hour_from) * wc.default_capacity
                           * COALESCE(wc.time_efficiency, 100.0) / 100.0) AS hours
                  FROM mrp_workcenter wc
             LEFT JOIN res_company rc ON rc.id = wc.company_id
                  JOIN resource_calendar cal
                    ON cal.id = COALESCE(wc.resource_calendar_id, rc.resource_calendar_id)
                  JOIN resource_calendar_attendance att
                    ON att.calendar_id = cal.id
                   AND att.display_type IS NULL
                   AND att.day_period != 'lunch'
                   AND att.resource_id IS NULL
                 WHERE wc.active AND wc.production_line_id IS NOT NULL
                 GROUP BY 1, 2, 3, 4, 5, 6
            ),
            capacity AS (
                SELECT days.line_id, days.date, SUM(shifts.hours) AS hours
                  FROM days
                  JOIN shifts
                    ON shifts.line_id = days.line_id
                   AND shifts.dayofweek = (EXTRACT(ISODOW FROM days.date)::int - 1)::varchar
                 WHERE (NOT shifts.two_weeks
                        OR shifts.week_type = MOD((days.date - DATE '0001-01-01') / 7, 2)::varchar)
                   AND (shifts.date_from IS NULL OR shifts.date_from <= days.date)
                   AND (shifts.date_to IS NULL OR shifts.date_to >= days.date)
                 GROUP BY days.line_id, days.date
            ),
            planned AS (
                %(planned)s
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
            planned=self._planned_query(),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
