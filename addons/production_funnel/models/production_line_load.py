from odoo import api, fields, models, tools
from odoo.tools import SQL

from .planned_depends import PLANNED_DEPENDS

PLANNED_FUNCTION = "production_line_load_planned"
PLANNED_TABLE = "production_line_load_day"
# the lines whose stored planned hours wait for a refresh, in the cursor's precommit data
PENDING_KEY = "production_funnel.planned_lines"
ALL_LINES = "all"


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

    The planned hours per line and day are stored in the table ``production_line_load_day``
    rather than split out of the work orders at every read: the pivot reads the report
    four times per display, and spreading tens of thousands of work orders over their days
    is the costly part of it. The rows of a line are recomputed when something they come
    from changes through the ORM (``PLANNED_DEPENDS``: the work orders, their orders, work
    centers, lines, the company calendar's time zone): the changed records mark their
    lines, and the marked lines are recomputed before the report is read in the same
    transaction and at the latest when it commits. A daily scheduled action recomputes
    every line, for changes made outside of the ORM.

    The computation itself is the SQL function ``production_line_load_planned(lines)``,
    which runs with PostgreSQL's JIT compiler off: the planner costs the per-work-order
    ``generate_series`` of the days at 1,000 rows a call, so at tens of thousands of work
    orders it JIT-compiles the query, which takes seconds for a query that runs in a
    fraction of that.
    """

    _name = "production.line.load"
    _description = "Production Line Load"
    _auto = False
    _order = "date, line_id"
    _rec_name = "line_id"
    _depends = dict(
        PLANNED_DEPENDS,
        **{
            "mrp.workcenter": [
                "production_line_id",
                "active",
                "resource_calendar_id",
                "default_capacity",
                "time_efficiency",
                "company_id",
            ],
            "sale.order": ["state", "opportunity_id", "commitment_date", "date_order"],
            "sale.order.line": [
                "order_id",
                "product_id",
                "product_uom_qty",
                "qty_delivered",
                "display_type",
            ],
            "crm.lead": ["active", "type", "probability", "stage_id", "date_deadline"],
        },
    )

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
        """Planned hours per active line and local day (body of the planned function,
        whose argument ``line_ids`` restricts it to these lines, NULL for all lines).

        One pass over the open work orders; ``OFFSET 0`` keeps each subquery a step of
        its own so that the time zone conversions run once per work order, not once per
        use. A work order within one day (most) puts all its hours on that day; one over
        several days spreads them in proportion to the time of each day it covers.
        """
        return SQL(
            """
            SELECT line_id, day::date AS date,
                   SUM(CASE WHEN last_day = first_day THEN hours
                            ELSE hours
                                 * date_part('epoch', LEAST(end_at, day + interval '1 day')
                                                      - GREATEST(start_at, day))
                                 / date_part('epoch', end_at - start_at)
                       END) AS hours
              FROM (
                SELECT spans.*,
                       generate_series(first_day, last_day, interval '1 day') AS day
                  FROM (
                    SELECT wos.*,
                           date_trunc('day', start_at) AS first_day,
                           -- a work order ending at midnight does not reach the next day
                           CASE WHEN end_at > start_at
                                THEN date_trunc('day', end_at - interval '1 microsecond')
                                ELSE date_trunc('day', start_at)
                           END AS last_day
                      FROM (
                        SELECT wc.production_line_id AS line_id,
                               wo.duration_expected::float8 / 60.0 AS hours,
                               COALESCE(wo.date_start, mp.date_start) AT TIME ZONE 'UTC'
                                   AT TIME ZONE COALESCE(cal.tz, 'UTC') AS start_at,
                               GREATEST(
                                   COALESCE(wo.date_finished,
                                            COALESCE(wo.date_start, mp.date_start)
                                            + wo.duration_expected * interval '1 minute'),
                                   COALESCE(wo.date_start, mp.date_start)
                               ) AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(cal.tz, 'UTC')
                                   AS end_at
                          FROM mrp_workorder wo
                          JOIN mrp_production mp ON mp.id = wo.production_id
                          JOIN mrp_workcenter wc ON wc.id = wo.workcenter_id
                          JOIN production_line pl
                            ON pl.id = wc.production_line_id AND pl.active
                          JOIN res_company rc ON rc.id = pl.company_id
                     LEFT JOIN resource_calendar cal ON cal.id = rc.resource_calendar_id
                         WHERE (line_ids IS NULL OR wc.production_line_id = ANY(line_ids))
                           AND wo.state NOT IN ('done', 'cancel')
                           AND mp.state NOT IN ('done', 'cancel')
                           AND wo.duration_expected > 0
                           AND COALESCE(wo.date_start, mp.date_start) IS NOT NULL
                        OFFSET 0
                      ) AS wos
                    OFFSET 0
                  ) AS spans
              ) AS split
             GROUP BY line_id, day::date
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
                SELECT line_id, date, hours FROM %(planned)s
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
            planned=SQL.identifier(PLANNED_TABLE),
        )

    # ---------------------------------------------------- stored planned hours
    @api.model
    def _planned_outdated(self, line_ids=None):
        """Mark the stored planned hours of these lines (of every line when None) for a
        recomputation before the report is next read and before the transaction commits."""
        if line_ids is not None and not line_ids:
            return
        data = self.env.cr.precommit.data
        pending = data.get(PENDING_KEY)
        if pending is None:
            pending = data[PENDING_KEY] = set()
            self.env.cr.precommit.add(self.sudo()._planned_refresh_pending)
        if line_ids is None:
            pending.add(ALL_LINES)
        else:
            pending.update(line_ids)

    @api.model
    def _planned_refresh_pending(self):
        """Recompute the marked lines' planned hours (pending changes flushed first, since
        flushing them is what marks their lines)."""
        for model_name, field_names in PLANNED_DEPENDS.items():
            self.env[model_name].flush_model(field_names)
        pending = self.env.cr.precommit.data.get(PENDING_KEY)
        if not pending:
            return
        line_ids = None if ALL_LINES in pending else sorted(pending)
        pending.clear()
        # the module is being uninstalled: its uninstall hook dropped the table before
        # Odoo removes the module's records, which changes work orders and lines
        if tools.sql.table_exists(self.env.cr, PLANNED_TABLE):
            self._planned_refresh(line_ids)

    @api.model
    def _planned_refresh(self, line_ids=None):
        """Recompute the stored planned hours of these lines (of every line when None)."""
        table = SQL.identifier(PLANNED_TABLE)
        function = SQL.identifier(PLANNED_FUNCTION)
        lines = None if line_ids is None else list(line_ids)
        if lines is None:
            self.env.cr.execute(SQL("DELETE FROM %s", table))
        else:
            self.env.cr.execute(SQL("DELETE FROM %s WHERE line_id = ANY(%s)", table, lines))
        # a concurrent refresh of the same line makes one of the two transactions fail
        # to serialize (and be retried) rather than break the primary key
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO %s (line_id, date, hours)
                SELECT line_id, date, hours FROM %s(%s::integer[])
                    ON CONFLICT (line_id, date) DO UPDATE SET hours = EXCLUDED.hours
                """,
                table,
                function,
                lines,
            )
        )

    @api.model
    def _cron_refresh_planned(self):
        """Scheduled action: recompute every line's planned hours (changes made outside
        of the ORM, by SQL imports for instance, mark no line)."""
        self._planned_refresh()

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        self._planned_refresh_pending()
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _fetch_query(self, query, fields):
        self._planned_refresh_pending()
        return super()._fetch_query(query, fields)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        function = SQL.identifier(PLANNED_FUNCTION)
        table = SQL.identifier(PLANNED_TABLE)
        self.env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", function))
        self.env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s(integer[])", function))
        self.env.cr.execute(
            SQL(
                """
                CREATE FUNCTION %s(line_ids integer[])
                RETURNS TABLE (line_id integer, date date, hours double precision)
                LANGUAGE sql STABLE ROWS 10000
                SET jit = off
                AS %s
                """,
                function,
                self._planned_query().code,
            )
        )
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS %s (
                    line_id integer NOT NULL REFERENCES production_line (id) ON DELETE CASCADE,
                    date date NOT NULL,
                    hours double precision NOT NULL,
                    PRIMARY KEY (line_id, date)
                )
                """,
                table,
            )
        )
        self._planned_refresh()
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
