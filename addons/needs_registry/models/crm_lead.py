from odoo import fields, models


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
