from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    production_line_id = fields.Many2one(
        "production.line",
        string="Production Line",
        help="Line that makes this product. Leave empty to take it from the product "
        "category mapping of the lines.",
    )

    @api.constrains("production_line_id", "company_id")
    def _check_production_line_company(self):
        """A product of one company is made on a line of that company; a product shared
        by the companies may name the line of any of them (each company's orders take the
        product's line only when it is theirs, see ``production.line._for_product``)."""
        for template in self.filtered("company_id"):
            # sudo: the line of another company is hidden from the user, yet named here
            line = template.sudo().production_line_id
            if line and line.company_id != template.company_id:
                raise ValidationError(
                    self.env._(
                        "Product %(product)s belongs to %(company)s and cannot be made on "
                        "production line %(line)s of another company.",
                        product=template.display_name,
                        company=template.company_id.display_name,
                        line=line.display_name,
                    )
                )
