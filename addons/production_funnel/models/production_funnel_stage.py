from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
    company_id = fields.Many2one(
        "res.company",
        index="btree_not_null",
        help="The company whose orders use this stage. Leave empty to share it between companies.",
    )
    line_ids = fields.Many2many(
        "production.line",
        string="Production Lines",
        domain="[('company_id', '=?', company_id)]",
        help="Lines that use this stage. Leave empty to use it on every line.",
    )
    description = fields.Text(translate=True)

    @api.constrains("company_id", "line_ids")
    def _check_line_company(self):
        """A stage of one company serves only that company's lines (a shared stage may
        serve the lines of several)."""
        for stage in self.filtered("company_id"):
            # sudo: the lines of another company are hidden from the user by the rules,
            # yet must be named in the refusal
            foreign = stage.sudo().line_ids.filtered(
                lambda line, s=stage: line.company_id != s.company_id
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "Stage %(stage)s belongs to %(company)s and cannot serve the "
                        "production lines of another company: %(lines)s.",
                        stage=stage.display_name,
                        company=stage.company_id.display_name,
                        lines=", ".join(foreign.mapped("display_name")),
                    )
                )
