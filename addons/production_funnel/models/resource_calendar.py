from odoo import models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _write_multi(self, vals_list):
        # the days of the load report are those of the company calendar's time zone
        result = super()._write_multi(vals_list)
        if any("tz" in vals for vals in vals_list):
            self.env["production.line.load"]._planned_outdated()
        return result
