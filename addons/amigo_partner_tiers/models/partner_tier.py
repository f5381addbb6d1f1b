from odoo import fields, models

TIER_CODES = [
    ("green", "Green"),
    ("yellow", "Yellow"),
    ("red", "Red"),
    ("black", "Black"),
]


class PartnerTier(models.Model):
    _name = "partner.tier"
    _description = "Partner Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(TIER_CODES, required=True)
    sequence = fields.Integer(
        default=10, help="Rank of the tier: the lower, the better (green first)."
    )
    color = fields.Integer("Color Index")
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "There is already a tier with this code."),
    ]
