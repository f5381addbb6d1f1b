from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    production_line_id = fields.Many2one(
        "production.line",
        string="Production Line",
        help="Line that makes this product. Leave empty to take it from the product "
        "category mapping of the lines.",
    )
