from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesPlanStep(models.Model):
    _name = "sales.plan.step"
    _description = "Sales Plan Funnel Step"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one("sales.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    # a plan keeps its funnel: a stage that is a step of a plan cannot be deleted
    stage_id = fields.Many2one(
        "crm.stage", string="Stage", required=True, ondelete="restrict", index=True
    )
    is_won = fields.Boolean(related="stage_id.is_won")
    reached_count = fields.Integer(
        string="Reached (history)",
        readonly=True,
        help="Leads of the last months that reached this stage or a later one.",
    )
    history_conversion = fields.Float(
        string="Conversion (history)",
        readonly=True,
        digits=(16, 4),
        help="Share of the leads that reached this stage and went on to the next one.",
    )
    conversion = fields.Float(
        string="Conversion Used",
        digits=(16, 4),
        help="Conversion from this stage to the next one used by the plan (0.35 = 35%). "
        "Entering it keeps it over the history.",
    )
    conversion_source = fields.Selection(
        [("history", "History"), ("manual", "Entered")],
        string="Source",
        default="history",
        required=True,
    )
    required_count = fields.Integer(string="Required", readonly=True)
    required_per_manager = fields.Integer(string="Per Manager", readonly=True)

    @api.constrains("conversion")
    def _check_conversion(self):
        for step in self:
            if not 0.0 <= step.conversion <= 1.0:
                raise ValidationError(
                    self.env._(
                        "Sales plan “%(plan)s”, stage “%(stage)s”: the conversion must be "
                        "between 0%% and 100%%.",
                        plan=step.plan_id.name,
                        stage=step.stage_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "conversion" in vals and "conversion_source" not in vals:
                vals["conversion_source"] = "manual"
        return super().create(vals_list)

    def write(self, vals):
        if "conversion" in vals and "conversion_source" not in vals:
            vals = dict(vals, conversion_source="manual")
        return super().write(vals)
