from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    need_id = fields.Many2one(
        "customer.need", string="Need", index="btree_not_null", copy=False, readonly=True
    )
