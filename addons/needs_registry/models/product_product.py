from odoo import api, models

from .product_template import check_catalog_rights

VARIANT_CATALOG_FIELDS = {"default_code", "barcode", "active"}


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model_create_multi
    def create(self, vals_list):
        check_catalog_rights(self.env)
        return super().create(vals_list)

    def write(self, vals):
        if VARIANT_CATALOG_FIELDS & set(vals):
            check_catalog_rights(self.env)
        return super().write(vals)
