from odoo import fields, models
from odoo.tools import SQL

from .planned_depends import writes_planned_fields


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

    def _line_ids_stored(self):
        if not self.ids:
            return set()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT production_line_id FROM mrp_workcenter "
                "WHERE id = ANY(%s) AND production_line_id IS NOT NULL",
                self.ids,
            )
        )
        return {line_id for (line_id,) in self.env.cr.fetchall()}

    def _write_multi(self, vals_list):
        # a work center moved to another line moves its work orders' planned hours
        if not writes_planned_fields(self._name, vals_list):
            return super()._write_multi(vals_list)
        line_ids = self._line_ids_stored()
        result = super()._write_multi(vals_list)
        line_ids |= self._line_ids_stored()
        self.env["production.line.load"]._planned_outdated(line_ids)
        return result
