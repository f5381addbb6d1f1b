from odoo import api, models
from odoo.tools import SQL

from .planned_depends import writes_planned_fields


class MrpWorkorder(models.Model):
    _inherit = "mrp.workorder"

    @api.model
    def _load_line_ids_by(self, column, ids):
        """Ids of the production lines of the work orders whose ``column`` is in ``ids``,
        as stored: ``("id", work order ids)`` or ``("production_id", order ids)``."""
        if not ids:
            return set()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT wc.production_line_id
                  FROM mrp_workorder wo
                  JOIN mrp_workcenter wc ON wc.id = wo.workcenter_id
                 WHERE %s = ANY(%s) AND wc.production_line_id IS NOT NULL
                """,
                SQL.identifier("wo", column),
                list(ids),
            )
        )
        return {line_id for (line_id,) in self.env.cr.fetchall()}

    def _load_line_ids(self):
        """Ids of the production lines of these work orders' work centers, as stored."""
        return self._load_line_ids_by("id", self.ids)

    # The planned hours of the load report are stored per line and day: a work order
    # created, deleted or changed in what they count (state, expected duration, dates,
    # work center, order) marks its lines for a recomputation. ``_write_multi`` is where
    # both the writes and the stored computed fields (state, dates) reach the database.
    @api.model_create_multi
    def create(self, vals_list):
        workorders = super().create(vals_list)
        self.env["production.line.load"]._planned_outdated(
            workorders.workcenter_id.production_line_id.ids
        )
        return workorders

    def _write_multi(self, vals_list):
        if not writes_planned_fields(self._name, vals_list):
            return super()._write_multi(vals_list)
        line_ids = self._load_line_ids()
        result = super()._write_multi(vals_list)
        if any("workcenter_id" in vals for vals in vals_list):
            line_ids |= self._load_line_ids()
        self.env["production.line.load"]._planned_outdated(line_ids)
        return result

    def unlink(self):
        line_ids = self._load_line_ids()
        result = super().unlink()
        self.env["production.line.load"]._planned_outdated(line_ids)
        return result
