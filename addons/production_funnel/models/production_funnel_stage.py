from odoo import fields, models


class ProductionFunnelStage(models.Model):
    """A column of the production funnel (waiting for spec, queued, cutting, ...)."""

    _name = "production.funnel.stage"
    _inherit = ["funnel.sla.stage.mixin"]
    _description = "Production Funnel Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    fold = fields.Boolean(
        string="Folded in Kanban", help="Fold this column in the production funnel kanban."
    )
    funnel_state = fields.Selection(
        [("queued", "Queued"), ("progress", "In Progress"), ("done", "Done")],
        string="Counts As",
        required=True,
        default="progress",
        help="How orders in this stage count in the per-line queued / in progress / done figures.",
    )
    is_spec_stage = fields.Boolean(
        string="Waiting for Spec",
        help="Orders may stay in this stage without their item data (spec). Leaving it for "
        "any other stage requires every spec field the order's production line lists.",
    )
    line_ids = fields.Many2many(
        "production.line",
        string="Production Lines",
        help="Lines that use this stage. Leave empty to use it on every line.",
    )
    description = fields.Text(translate=True)
