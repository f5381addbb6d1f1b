from odoo import api, fields, models
from odoo.exceptions import AccessError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    need_id = fields.Many2one(
        "customer.need",
        string="Need",
        index="btree_not_null",
        copy=False,
        tracking=True,
        readonly=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("need_id") for vals in vals_list):
            self._check_need_link()
        return super().create(vals_list)

    def write(self, vals):
        if "need_id" in vals:
            self._check_need_link()
        return super().write(vals)

    def _check_need_link(self):
        """The need of an opportunity is set by converting the need, never by hand: an
        opportunity pointed at another manager's need would take its number to quotations
        and invoices, and hide their products from that need's duplicate detection."""
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "The field 'Need' of an opportunity is set by converting the need (button "
                    "'Convert to Opportunity' on the need); it cannot be set by hand."
                )
            )
