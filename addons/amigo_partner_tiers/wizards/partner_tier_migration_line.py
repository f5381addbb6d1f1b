from odoo import fields, models


class PartnerTierMigrationLine(models.TransientModel):
    _name = "partner.tier.migration.line"
    _description = "Tier Migration of a Manager"
    _order = "user_id"

    wizard_id = fields.Many2one("partner.tier.migration.wizard", required=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", "Partner Manager")
    up = fields.Integer("Went Up")
    down = fields.Integer("Went Down")
    same = fields.Integer("Stayed")
    new = fields.Integer("Newly Assessed")
    green = fields.Integer("Green Now")
    yellow = fields.Integer("Yellow Now")
    red = fields.Integer("Red Now")
    black = fields.Integer("Black Now")
