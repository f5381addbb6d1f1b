from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    claim_ids = fields.One2many(
        "helpdesk.ticket",
        "sale_order_id",
        string="Claims",
        domain=[("is_claim", "=", True)],
    )
    claim_count = fields.Integer(compute="_compute_claim_count")

    @api.depends("claim_ids")
    def _compute_claim_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("sale_order_id", "in", self.ids), ("is_claim", "=", True)],
                ["sale_order_id"],
                ["__count"],
            )
        )
        for order in self:
            order.claim_count = counts.get(order, 0)

    def action_view_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "claims.helpdesk_ticket_claim_action"
        )
        action["domain"] = [("sale_order_id", "=", self.id), ("is_claim", "=", True)]
        action["context"] = {
            "default_is_claim": True,
            "default_sale_order_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def _claim_portal_products(self):
        """Products a customer may claim on this order (its product lines)."""
        self.ensure_one()
        return self.order_line.filtered(lambda line: not line.display_type).product_id
