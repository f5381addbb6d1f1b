from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from .mrp_workorder import LOAD_FIELDS

LOAD_STATES = [
    ("no_capacity", "No Capacity"),
    ("under", "Underloaded"),
    ("normal", "Normal"),
    ("over", "Overloaded"),
]


class ProductionLine(models.Model):
    """A production line: a group of work centers making one kind of product."""

    _name = "production.line"
    _inherit = ["mail.thread"]
    _description = "Production Line"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    workcenter_ids = fields.One2many(
        "mrp.workcenter",
        "production_line_id",
        string="Work Centers",
        check_company=True,
        help="Work centers of the line: their working calendars, capacity and efficiency "
        "make the line's capacity.",
    )
    product_category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Manufacturing orders for products of these categories (or their subcategories) "
        "go to this line, unless the product names a line itself.",
    )
    spec_field_ids = fields.Many2many(
        "ir.model.fields",
        string="Required Spec Fields",
        domain="[('model', '=', 'mrp.production'), ('name', '=like', 'spec_%')]",
        help="Item data an order of this line must have before it leaves the "
        "'waiting for spec' stage.",
    )
    production_ids = fields.One2many(
        "mrp.production", "production_line_id", string="Manufacturing Orders"
    )
    planned_days = fields.Json(
        string="Planned Hours per Day",
        compute="_compute_planned_days",
        store=True,
        help="The planned hours of the line's open work orders per day of the company "
        "calendar's time zone, which the load report reads.",
    )
    queued_count = fields.Integer(string="Queued", compute="_compute_funnel_counts")
    progress_count = fields.Integer(string="In Progress", compute="_compute_funnel_counts")
    done_count = fields.Integer(string="Done", compute="_compute_funnel_counts")
    stalled_count = fields.Integer(string="Stalled", compute="_compute_funnel_counts")
    load_today = fields.Float(
        string="Load Today (%)",
        compute="_compute_load",
        help="Planned hours of today against the line's capacity today, in percent.",
    )
    load_peak = fields.Float(
        string="Peak Load (%)",
        compute="_compute_load",
        help="The highest daily load over the horizon, in percent.",
    )
    load_peak_date = fields.Date(string="Peak Day", compute="_compute_load")
    load_average = fields.Float(
        string="Average Load (%)",
        compute="_compute_load",
        help="Planned hours over the horizon against the capacity over the horizon.",
    )
    load_state = fields.Selection(
        LOAD_STATES,
        compute="_compute_load",
        search="_search_load_state",
        help="From the average load over the horizon and the thresholds in the settings; "
        "'No Capacity' when the work centers give no working hours.",
    )
    planned_hours = fields.Float(string="Planned Hours (horizon)", compute="_compute_load")
    capacity_hours = fields.Float(string="Capacity Hours (horizon)", compute="_compute_load")
    forecast_hours = fields.Float(string="Forecast Hours (horizon)", compute="_compute_load")
    load_horizon_days = fields.Integer(string="Horizon (days)", compute="_compute_load")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The code of a production line must be unique per company.",
        )
    ]

    # ------------------------------------------------------------ computes
    # through the work centers' work orders rather than the work orders' loaded line:
    # following that computed field back would compute it in the middle of a create
    @api.depends(
        *(f"workcenter_ids.order_ids.{name}" for name in LOAD_FIELDS),
        "company_id.resource_calendar_id.tz",
    )
    def _compute_planned_days(self):
        """Planned hours per local day (ISO date: hours) from what the line's work orders
        store: a work order within one day (most) puts all its hours on that day; one
        over several days spreads them in proportion to the time of each day it covers.
        One read for all the lines being computed."""
        days = {line_id: {} for line_id in self._ids if line_id}
        if days:
            self.env["mrp.workorder"].flush_model(LOAD_FIELDS)
            self.flush_model(["company_id"])
            self.env["res.company"].flush_model(["resource_calendar_id"])
            self.env["resource.calendar"].flush_model(["tz"])
            self.env.cr.execute(self._planned_days_query(list(days)))
            for line_id, day, hours in self.env.cr.fetchall():
                days[line_id][day.isoformat()] = hours
        for line in self:
            line.planned_days = days.get(line.id) or False

    @api.model
    def _planned_days_query(self, line_ids):
        """(line id, day, planned hours) of these lines, from their work orders' load."""
        return SQL(
            """
            SELECT line_id, date, SUM(hours)
              FROM (
                SELECT wo.load_line_id AS line_id, wo.load_date_first AS date,
                       wo.load_hours AS hours
                  FROM mrp_workorder wo
                 WHERE wo.load_line_id = ANY(%(lines)s)
                   AND wo.load_date_last = wo.load_date_first
                UNION ALL
                SELECT line_id, day::date,
                       hours * date_part('epoch', LEAST(end_at, day + interval '1 day')
                                                  - GREATEST(start_at, day))
                             / date_part('epoch', end_at - start_at)
                  FROM (
                    SELECT wo.load_line_id AS line_id,
                           wo.load_hours AS hours,
                           wo.load_start AT TIME ZONE 'UTC'
                               AT TIME ZONE COALESCE(cal.tz, 'UTC') AS start_at,
                           wo.load_end AT TIME ZONE 'UTC'
                               AT TIME ZONE COALESCE(cal.tz, 'UTC') AS end_at,
                           generate_series(wo.load_date_first::timestamp,
                                           wo.load_date_last::timestamp,
                                           interval '1 day') AS day
                      FROM mrp_workorder wo
                      JOIN production_line pl ON pl.id = wo.load_line_id
                      JOIN res_company rc ON rc.id = pl.company_id
                 LEFT JOIN resource_calendar cal ON cal.id = rc.resource_calendar_id
                     WHERE wo.load_line_id = ANY(%(lines)s)
                       AND wo.load_date_last > wo.load_date_first
                  ) AS spans
              ) AS split
             GROUP BY line_id, date
            """,
            lines=line_ids,
        )

    def _compute_funnel_counts(self):
        groups = self.env["mrp.production"]._read_group(
            [("production_line_id", "in", self.ids), ("state", "!=", "cancel")],
            ["production_line_id", "funnel_stage_id", "is_stalled"],
            ["__count"],
        )
        counts = {
            line.id: dict.fromkeys(("queued", "progress", "done", "stalled"), 0) for line in self
        }
        for line, stage, stalled, count in groups:
            kind = stage.funnel_state or "queued"
            counts[line.id][kind] += count
            if stalled:
                counts[line.id]["stalled"] += count
        for line in self:
            line.queued_count = counts[line.id]["queued"]
            line.progress_count = counts[line.id]["progress"]
            line.done_count = counts[line.id]["done"]
            line.stalled_count = counts[line.id]["stalled"]

    def _compute_load(self):
        settings = self._load_settings()
        horizon = settings["horizon"]
        todays = {line.id: line._today() for line in self}
        rows = []
        if self.ids:
            rows = self.env["production.line.load"].search_fetch(
                [
                    ("line_id", "in", self.ids),
                    ("date", ">=", min(todays.values())),
                    ("date", "<", max(todays.values()) + timedelta(days=horizon)),
                ],
                ["line_id", "date", "planned_hours", "capacity_hours", "forecast_hours"],
            )
        by_line = {}
        for row in rows:
            by_line.setdefault(row.line_id.id, []).append(row)
        for line in self:
            today = todays.get(line.id) or fields.Date.today()
            end = today + timedelta(days=horizon)
            days = [r for r in by_line.get(line.id, []) if today <= r.date < end]
            figures = self._load_figures(days, today, settings)
            line.update(dict(figures, load_horizon_days=horizon))

    def _search_load_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise NotImplementedError(operator)
        values = {value} if operator in ("=", "!=") else set(value)
        # a few lines per company: their load comes from one read of the report
        lines = self.search([])
        matching = lines.filtered(lambda line: line.load_state in values)
        positive = operator in ("=", "in")
        return [("id", "in" if positive else "not in", matching.ids)]

    # ------------------------------------------------------------ helpers
    @api.model
    def _category_lines(self):
        """The lines mapped to product categories (read once for a batch of look-ups)."""
        return self.search([("product_category_ids", "!=", False)])

    @api.model
    def _for_product(self, product, company, category_lines=None):
        """The line that makes ``product`` in ``company``: the product's own line, else the
        line of its nearest mapped category (empty when none).

        :param category_lines: ``_category_lines()``, when the caller looks up many products
        """
        own = product.product_tmpl_id.production_line_id
        if own and own.company_id == company:
            return own
        if category_lines is None:
            category_lines = self._category_lines()
        lines = category_lines.filtered(lambda line: line.company_id == company)
        category = product.categ_id
        while category:
            for line in lines:
                if category in line.product_category_ids:
                    return line
            category = category.parent_id
        return self.browse()

    @api.model
    def _load_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        return {
            "horizon": max(int(params.get_param("production_funnel.load_horizon_days", 30)), 1),
            "under": float(params.get_param("production_funnel.load_under_threshold", 60.0)),
            "over": float(params.get_param("production_funnel.load_over_threshold", 100.0)),
        }

    @api.model
    def _load_figures(self, days, today, settings):
        """Today / peak / average load and state from the report rows of the horizon."""
        planned = sum(day.planned_hours for day in days)
        capacity = sum(day.capacity_hours for day in days)
        forecast = sum(day.forecast_hours for day in days)
        today_rows = [day for day in days if day.date == today]
        today_capacity = sum(day.capacity_hours for day in today_rows)
        today_planned = sum(day.planned_hours for day in today_rows)
        peak, peak_date = 0.0, False
        for day in days:
            if day.capacity_hours > 0:
                percent = 100.0 * day.planned_hours / day.capacity_hours
                if percent > peak:
                    peak, peak_date = percent, day.date
        if capacity <= 0:
            state, average = "no_capacity", 0.0
        else:
            average = 100.0 * planned / capacity
            if average < settings["under"]:
                state = "under"
            elif average > settings["over"]:
                state = "over"
            else:
                state = "normal"
        return {
            "load_today": 100.0 * today_planned / today_capacity if today_capacity > 0 else 0.0,
            "load_peak": peak,
            "load_peak_date": peak_date,
            "load_average": average,
            "load_state": state,
            "planned_hours": planned,
            "capacity_hours": capacity,
            "forecast_hours": forecast,
        }

    def _calendar_tz(self):
        self.ensure_one()
        return self.company_id.resource_calendar_id.tz or "UTC"

    def _today(self):
        """Today in the time zone of the company calendar (the load report's days)."""
        self.ensure_one()
        return datetime.now(pytz.timezone(self._calendar_tz())).date()

    def _missing_spec_fields(self, production):
        """The required spec fields (ir.model.fields) that the order leaves empty."""
        self.ensure_one()
        position = {name: index for index, name in enumerate(production._fields)}
        # sudo: production users may not read ir.model.fields; this only reads the names and
        # labels of the mrp.production spec fields the line requires, which the form shows.
        return (
            self.sudo()
            .spec_field_ids.filtered(lambda field: not production[field.name])
            .sorted(lambda field: position.get(field.name, len(position)))
        )

    # ------------------------------------------------------------ actions
    def _action_productions(self, domain=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "production_funnel.action_production_funnel"
        )
        action["domain"] = [("production_line_id", "in", self.ids)] + (domain or [])
        action["context"] = {"default_production_line_id": self[:1].id}
        return action

    def action_open_funnel(self):
        return self._action_productions()

    def action_open_stalled(self):
        return self._action_productions([("is_stalled", "=", True)])

    def action_open_load(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "production_funnel.action_production_line_load"
        )
        action["domain"] = [("line_id", "in", self.ids)]
        return action
