from odoo import fields, models


class MrpWorkcenter(models.Model):
    _inherit = "mrp.workcenter"

    production_line_id = fields.Many2one(
        "production.line",
        string="Production Line",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="The line whose capacity this work center adds to.",
    )
