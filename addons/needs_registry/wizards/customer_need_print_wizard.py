from odoo import fields, models
from odoo.exceptions import UserError


class CustomerNeedPrintWizard(models.TransientModel):
    _name = "customer.need.print.wizard"
    _description = "Print a List of Customer Needs"

    scope = fields.Selection(
        [("all", "All"), ("open", "Open"), ("closed", "Closed")],
        required=True,
        default="open",
    )
    date_from = fields.Date(string="Needed From")
    date_to = fields.Date(string="Needed Until")
    user_id = fields.Many2one("res.users", string="Manager")

    def _get_domain(self):
        self.ensure_one()
        domain = []
        if self.scope == "open":
            domain.append(("state", "=", "open"))
        elif self.scope == "closed":
            domain.append(("state", "!=", "open"))
        if self.date_from:
            domain.append(("date_start", ">=", self.date_from))
        if self.date_to:
            domain.append(("date_start", "<=", self.date_to))
        if self.user_id:
            domain.append(("user_id", "=", self.user_id.id))
        return domain

    def action_print(self):
        # record rules apply: a manager prints only their own needs
        needs = (
            self.env["customer.need"]
            .with_context(active_test=False)
            .search(self._get_domain(), order="date_start, name")
        )
        if not needs:
            raise UserError(self.env._("No need matches the chosen scope and period."))
        return self.env.ref("needs_registry.action_report_customer_need_list").report_action(needs)
