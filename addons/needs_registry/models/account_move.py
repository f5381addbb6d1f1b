from odoo import api, fields, models
from odoo.exceptions import AccessError


class AccountMove(models.Model):
    _inherit = "account.move"

    need_id = fields.Many2one(
        "customer.need", string="Need", index="btree_not_null", copy=False, readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        # the invoices of an order are created as superuser by sale (_create_invoices), with
        # the need of the order (sale.order._prepare_invoice); nobody else sets it
        if any(vals.get("need_id") for vals in vals_list):
            self._check_need_link()
        return super().create(vals_list)

    def write(self, vals):
        if "need_id" in vals:
            self._check_need_link()
        return super().write(vals)

    def _check_need_link(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "The field 'Need' of an invoice is the need of its sale order; it cannot "
                    "be set by hand."
                )
            )
