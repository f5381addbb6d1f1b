from odoo import models

from .planned_depends import writes_planned_fields


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _write_multi(self, vals_list):
        # the days of the load report are those of the company calendar's time zone
        result = super()._write_multi(vals_list)
        if writes_planned_fields(self._name, vals_list):
            self.env["production.line.load"]._planned_outdated()
        return result
