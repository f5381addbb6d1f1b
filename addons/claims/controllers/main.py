from werkzeug.exceptions import BadRequest

from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class HelpdeskTicketControllerClaims(HelpdeskTicketController):
    """The helpdesk portal form can also file a claim on a product of one's own order."""

    _claim_order_limit = 50

    def _claim_lines_for_portal(self):
        """[(value, label)] of the products of the user's confirmed orders (portal only)."""
        if not request.env.user.share:
            return []
        # as the user: the portal rules keep only the orders of the user's company
        orders = request.env["sale.order"].search(
            [("state", "=", "sale")], order="date_order desc", limit=self._claim_order_limit
        )
        # sudo: portal users may not read products; only these orders' own lines are shown
        return [
            (f"{order.id}-{product.id}", f"{order.name} — {product.display_name}")
            for order in orders.sudo()
            for product in order._claim_portal_products()
        ]

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        values["claim_lines"] = self._claim_lines_for_portal()
        return values

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        claim_line = kw.get("claim_line")
        if not claim_line:
            return vals
        try:
            order_id, product_id = (int(part) for part in claim_line.split("-"))
        except ValueError as error:
            raise BadRequest(request.env._("Unknown order line.")) from error
        order = request.env["sale.order"].browse(order_id).exists()
        if (
            not order
            or not request.env.user.share
            or not order.has_access("read")
            or order.state != "sale"
        ):
            raise BadRequest(request.env._("This order cannot be claimed from here."))
        order_sudo = order.sudo()
        product = order_sudo._claim_portal_products().filtered(lambda p: p.id == product_id)
        if not product:
            raise BadRequest(
                request.env._("Choose a product of the order %(order)s.", order=order.name)
            )
        team = (
            request.env["helpdesk.ticket.team"]
            .sudo()
            ._claim_team_for_company(order_sudo.company_id.id)
        )
        vals.update(
            {
                "is_claim": True,
                "company_id": order_sudo.company_id.id,
                "team_id": team.id,
                "stage_id": team._get_applicable_stages()[:1].id,
                "sale_order_id": order_sudo.id,
                "product_id": product.id,
            }
        )
        return vals
