from odoo import models

from .planned_depends import writes_planned_fields


class ResCompany(models.Model):
    _inherit = "res.company"

    def _write_multi(self, vals_list):
        # the days of the load report are those of the company calendar's time zone
        result = super()._write_multi(vals_list)
        if writes_planned_fields(self._name, vals_list):
            lines = (
                self.env["production.line"]
                .with_context(active_test=False)
                .search([("company_id", "in", self.ids)])
            )
            self.env["production.line.load"]._planned_outdated(lines.ids)
        return result
