from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmStageChecklistItem(models.Model):
    _name = "crm.stage.checklist.item"
    _description = "Stage Checklist Item"
    _order = "stage_id, sequence, id"

    name = fields.Char(string="Item", required=True, translate=True)
    hint = fields.Text(translate=True, help="How to do it, shown next to the item on the lead.")
    required = fields.Boolean(
        help="The lead cannot leave the stage forward before the item is ticked."
    )
    sequence = fields.Integer(default=10)
    stage_id = fields.Many2one(
        "crm.stage", string="Stage", required=True, ondelete="cascade", index=True
    )
    active = fields.Boolean(default=True)

    @api.model_create_multi
    def create(self, vals_list):
        items = super().create(vals_list)
        # the leads already in the stage get the new item on their checklist
        leads = self.env["crm.lead"].sudo().search([("stage_id", "in", items.stage_id.ids)])
        leads._playbook_sync_checklist()
        return items

    def write(self, vals):
        if "stage_id" in vals and any(item.stage_id.id != vals["stage_id"] for item in self):
            used = self._playbook_used()
            if used:
                raise UserError(
                    self.env._(
                        "Checklist item %(item)s was worked on leads: it stays in its stage. "
                        "Archive it and create a new one in the other stage.",
                        item=used[0].name,
                    )
                )
        result = super().write(vals)
        if vals.get("active"):
            leads = self.env["crm.lead"].sudo().search([("stage_id", "in", self.stage_id.ids)])
            leads._playbook_sync_checklist()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_worked_on(self):
        used = self._playbook_used()
        if used:
            raise UserError(
                self.env._(
                    "Checklist item %(item)s was worked on leads (who ticked it and when is "
                    "kept): archive it instead of deleting it.",
                    item=used[0].name,
                )
            )

    def _playbook_used(self):
        """The items of self that have a line on some lead (sudo: all leads count)."""
        if not self.ids:
            return self.browse()
        lines = (
            self.env["crm.lead.checklist.line"]
            .sudo()
            ._read_group([("item_id", "in", self.ids)], ["item_id"])
        )
        return self.browse([item.id for (item,) in lines])
