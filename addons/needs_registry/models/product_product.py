from odoo import api, models

from .product_template import check_catalog_rights

VARIANT_CATALOG_FIELDS = {"default_code", "barcode", "active"}


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model_create_multi
    def create(self, vals_list):
        check_catalog_rights(self.env)
        for vals in vals_list:
            self.env["product.template"]._check_finite_price(
                vals.get("lst_price"), vals.get("name")
            )
        return super().create(vals_list)

    def write(self, vals):
        if VARIANT_CATALOG_FIELDS & set(vals):
            check_catalog_rights(self.env)
        if "lst_price" in vals:
            # the variant's price is the template's (plus extras): same check, before
            # the field rounds it
            self.env["product.template"]._check_finite_price(
                vals["lst_price"], self[:1].display_name
            )
        return super().write(vals)
