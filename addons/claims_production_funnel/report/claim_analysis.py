from odoo import fields, models
from odoo.tools import SQL


class ClaimAnalysis(models.Model):
    _inherit = "claim.analysis"

    production_line_id = fields.Many2one("production.line", string="Production Line", readonly=True)

    def _select_additional_fields(self):
        return dict(
            super()._select_additional_fields(), production_line_id=SQL("t.production_line_id")
        )
