from odoo import api, fields, models
from odoo.tools import SQL


class KpiReport(models.Model):
    _inherit = "kpi.report"

    margin = fields.Float(
        help="Margin of the confirmed orders as sale_margin computes it: the untaxed "
        "amount less the cost of the products."
    )

    @api.model
    def _margin_sql(self):
        # sale_margin's stored margin of the order; the view is built again by init()
        # when this bridge is installed or updated
        return SQL("so.margin")
