from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    tier_high_margin = fields.Boolean(
        "High-Margin Product", help="Its sales count as high-margin in partner tiers."
    )
