from datetime import timedelta

import pytz

from odoo import api, fields, models

# the fields of a work order that the load report reads (its planned hours per line and day)
LOAD_FIELDS = (
    "load_line_id",
    "load_hours",
    "load_start",
    "load_end",
    "load_date_first",
    "load_date_last",
)
CLOSED_STATES = ("done", "cancel")


class MrpWorkorder(models.Model):
    _inherit = "mrp.workorder"

    # What the work order puts on the load report, computed by the ORM whenever what it
    # comes from changes (the work order, its order, its work center's line, the time zone
    # of that line's company calendar), so that the report sums stored figures instead of
    # converting and splitting every open work order at each read.
    load_line_id = fields.Many2one(
        "production.line",
        string="Loaded Line",
        compute="_compute_load",
        store=True,
        index="btree_not_null",
        help="The production line whose planned hours this work order adds to: the line of "
        "its work center while the work order and its manufacturing order are open, it has "
        "an expected duration and a start. Empty otherwise.",
    )
    load_hours = fields.Float(
        string="Loaded Hours",
        compute="_compute_load",
        store=True,
        help="The expected duration in hours that the work order adds to its line's load.",
    )
    load_start = fields.Datetime(
        compute="_compute_load",
        store=True,
        help="When the work order's hours start on the line: its start, or its "
        "manufacturing order's start when it is not planned.",
    )
    load_end = fields.Datetime(
        compute="_compute_load",
        store=True,
        help="When the work order's hours end on the line: its end, or its start plus its "
        "expected duration when it has no end.",
    )
    load_date_first = fields.Date(
        string="First Load Day",
        compute="_compute_load",
        store=True,
        help="The first day of the line's load the work order counts in, in the time zone "
        "of the company calendar.",
    )
    load_date_last = fields.Date(
        string="Last Load Day",
        compute="_compute_load",
        store=True,
        help="The last day of the line's load the work order counts in, in the time zone "
        "of the company calendar (a work order ending at midnight does not reach the next "
        "day).",
    )

    @api.depends(
        "state",
        "duration_expected",
        "date_start",
        "date_finished",
        "production_id.state",
        "production_id.date_start",
        "workcenter_id.production_line_id.company_id.resource_calendar_id.tz",
    )
    def _compute_load(self):
        empty = dict.fromkeys(LOAD_FIELDS, False)
        empty["load_hours"] = 0.0
        for workorder in self:
            line = workorder.workcenter_id.production_line_id
            production = workorder.production_id
            start = workorder.date_start or production.date_start
            if (
                not line
                or not start
                or workorder.state in CLOSED_STATES
                or production.state in CLOSED_STATES
                or workorder.duration_expected <= 0
            ):
                workorder.update(empty)
                continue
            minutes = workorder.duration_expected
            end = max(workorder.date_finished or start + timedelta(minutes=minutes), start)
            tz = pytz.timezone(line.company_id.resource_calendar_id.tz or "UTC")
            local_start = pytz.utc.localize(start).astimezone(tz).replace(tzinfo=None)
            local_end = pytz.utc.localize(end).astimezone(tz).replace(tzinfo=None)
            last = local_end - timedelta(microseconds=1) if local_end > local_start else local_start
            workorder.update(
                {
                    "load_line_id": line.id,
                    "load_hours": minutes / 60.0,
                    "load_start": start,
                    "load_end": end,
                    "load_date_first": local_start.date(),
                    "load_date_last": last.date(),
                }
            )
