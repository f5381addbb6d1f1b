from odoo import api, fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    is_claim_team = fields.Boolean(
        string="Claims Team",
        help="Tickets of this team are claims: they refer to a sale order and a product "
        "and must end with a conclusion.",
    )

    @api.model
    def _claim_team_for_company(self, company_id):
        """The claims team of that company (or a shared one)."""
        return self.search(
            [("is_claim_team", "=", True), ("company_id", "in", [company_id, False])],
            order="company_id, sequence, id",
            limit=1,
        )

    def _get_applicable_stages(self):
        """A claims team works in the claims stages only."""
        stages = super()._get_applicable_stages()
        if len(self) == 1 and self.is_claim_team:
            return stages.filtered("is_claim_stage")
        return stages
