from odoo import fields, models


class ProductionLine(models.Model):
    _inherit = "production.line"

    claim_count = fields.Integer(
        string="Claims",
        compute="_compute_claim_count",
        groups="claims.group_claims_user",
        help="Claims whose goods were made on this line.",
    )
    open_claim_count = fields.Integer(
        string="Open Claims",
        compute="_compute_claim_count",
        groups="claims.group_claims_user",
    )

    def _compute_claim_count(self):
        counts = {line: [0, 0] for line in self}
        groups = self.env["helpdesk.ticket"]._read_group(
            [("is_claim", "=", True), ("production_line_id", "in", self.ids)],
            ["production_line_id", "stage_id"],
            ["__count"],
        )
        for line, stage, count in groups:
            counts[line][0] += count
            if not stage.closed:
                counts[line][1] += count
        for line in self:
            line.claim_count, line.open_claim_count = counts[line]

    def action_open_claims(self):
        """The claims funnel, showing the claims made on this line."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "claims.helpdesk_ticket_claim_action"
        )
        action["domain"] = [("is_claim", "=", True), ("production_line_id", "=", self.id)]
        action["display_name"] = self.env._("Claims of %(line)s", line=self.display_name)
        return action
