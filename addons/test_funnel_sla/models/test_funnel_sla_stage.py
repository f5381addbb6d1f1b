from odoo import fields, models


class TestFunnelSlaStage(models.Model):
    _name = "test.funnel.sla.stage"
    _inherit = ["funnel.sla.stage.mixin"]
    _description = "Funnel SLA Test Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean()
