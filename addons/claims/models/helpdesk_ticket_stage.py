from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _name = "helpdesk.ticket.stage"
    _inherit = ["helpdesk.ticket.stage", "funnel.sla.stage.mixin"]

    is_claim_stage = fields.Boolean(
        string="Claims Stage",
        help="Shown in the claims funnel.",
    )
    claim_rejection = fields.Boolean(
        string="Rejects the Claim",
        help="A claim moved to this stage is rejected: a rejection reason is required "
        "instead of a cause and conclusion.",
    )
