from odoo import fields, models


class PartnerDevelopmentStage(models.Model):
    _name = "partner.development.stage"
    _description = "Partner Development Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean()
    description = fields.Text(translate=True)
    program_ids = fields.Many2many("partner.development.program", string="Programmes")
