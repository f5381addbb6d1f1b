from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerNeedCloseWizard(models.TransientModel):
    _name = "customer.need.close.wizard"
    _description = "Close Customer Needs as Duplicate or Lost"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    need_ids = fields.Many2many("customer.need", string="Needs", required=True, check_company=True)
    close_type = fields.Selection(
        [("duplicate", "Duplicate"), ("lost", "Lost")], required=True, default="duplicate"
    )
    duplicate_of_id = fields.Many2one(
        "customer.need",
        string="Duplicate Of",
        domain="[('id', 'not in', need_ids), ('state', 'in', ('open', 'converted'))]",
        context={"active_test": False},
        check_company=True,
    )
    lost_reason_id = fields.Many2one("crm.lost.reason")
    comment = fields.Text()

    @api.depends("need_ids")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.need_ids[:1].company_id

    def action_confirm(self):
        self.ensure_one()
        if self.close_type == "duplicate":
            if not self.duplicate_of_id:
                raise ValidationError(
                    self.env._(
                        "The field 'Duplicate Of' is required: choose the need that is kept."
                    )
                )
            self.need_ids.mark_duplicate(self.duplicate_of_id.id, self.comment)
        else:
            if not self.lost_reason_id:
                raise ValidationError(
                    self.env._("The field 'Lost Reason' is required to close a need as lost.")
                )
            self.need_ids.mark_lost(self.comment, lost_reason_id=self.lost_reason_id.id)
        return {"type": "ir.actions.act_window_close"}
