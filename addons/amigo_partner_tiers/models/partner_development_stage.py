from odoo import fields, models


class PartnerDevelopmentStage(models.Model):
    _name = "partner.development.stage"
    _description = "Partner Development Stage"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean()
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the stage between companies."
    )
    description = fields.Text(translate=True)
    program_ids = fields.Many2many(
        "partner.development.program", string="Programmes", check_company=True
    )
