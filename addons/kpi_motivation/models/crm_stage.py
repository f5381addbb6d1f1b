from odoo import api, models
from odoo.exceptions import UserError


class CrmStage(models.Model):
    _inherit = "crm.stage"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sales_plan_step(self):
        """A sales plan keeps its funnel (the database restricts it too): say which plans
        use the stage instead of failing on the foreign key."""
        # sudo: whoever may delete CRM stages must learn the stage is used, even without
        # the KPI rights or the company of the plans; only the plans' names are shown
        steps = self.env["sales.plan.step"].sudo().search([("stage_id", "in", self.ids)])
        if steps:
            raise UserError(
                self.env._(
                    "Stage “%(stage)s” is a step of sales plans (%(plans)s): the plans keep "
                    "their funnel, so the stage cannot be deleted.",
                    stage=", ".join(steps.stage_id.mapped("name")),
                    plans=", ".join(steps.plan_id[:5].mapped("name")),
                )
            )
