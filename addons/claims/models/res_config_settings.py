from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    claim_human_tolerance = fields.Float(
        related="company_id.claim_human_tolerance",
        readonly=False,
    )
