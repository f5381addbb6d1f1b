from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    tier_high_margin = fields.Boolean(
        "High-Margin Category", help="Sales of its products count as high-margin in partner tiers."
    )
