from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmStage(models.Model):
    _name = "crm.stage"
    _inherit = ["crm.stage", "funnel.sla.stage.mixin"]

    checklist_item_ids = fields.One2many(
        "crm.stage.checklist.item",
        "stage_id",
        string="Checklist",
        help="What the salesperson does in this stage. Required items must be ticked before "
        "a lead leaves the stage forward.",
    )
    playbook_hint = fields.Html(
        string="How to Go On",
        translate=True,
        sanitize=True,
        help="Shown on the lead while it is in this stage: the next step and what each way "
        "out leads to.",
    )
    playbook_proposal = fields.Boolean(
        string="Proposal Sent",
        help="The stage where the proposal has been sent: losing an opportunity in this stage "
        "or a later one also notifies the head of sales.",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_ticked_checklist(self):
        """The ticks of a stage's checklist are the leads' history: say so instead of
        failing on the foreign key."""
        # sudo: whoever may delete stages must learn why, whatever leads they may read
        lines = (
            self.env["crm.lead.checklist.line"]
            .sudo()
            .search([("item_id.stage_id", "in", self.ids)], limit=1)
        )
        if lines:
            raise UserError(
                self.env._(
                    "Stage %(stage)s cannot be deleted: its checklist was worked on leads "
                    "(who ticked what is kept). Archive the stage or move it instead.",
                    stage=lines.item_id.stage_id.name,
                )
            )

    def _playbook_order_key(self):
        """The stage's place in the pipeline (crm.stage's order: sequence, then id)."""
        self.ensure_one()
        return (self.sequence, self.id)
