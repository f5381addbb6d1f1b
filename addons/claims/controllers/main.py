from werkzeug.exceptions import BadRequest, NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController

from .photos import ClaimPhotos

# ids are PostgreSQL integers: a larger number is no record (and no SQL error)
MAX_ID = 2**31 - 1


def parse_id(value):
    """The record id a request parameter names; ValueError unless a positive integer."""
    record_id = int(value)
    if not 0 < record_id <= MAX_ID:
        raise ValueError(value)
    return record_id


class HelpdeskTicketControllerClaims(ClaimPhotos, HelpdeskTicketController):
    """The helpdesk portal form can also file a claim on a product of one's own order, and
    closing a ticket from the portal is checked here (claims own the closing of a claim)."""

    _claim_order_limit = 50

    @http.route("/ticket/close", type="http", auth="user", methods=["POST"], csrf=True)
    def support_ticket_close(self, ticket_id=None, stage_id=None, **kw):
        """Close one's own ticket in a stage its portal page offers (POST with CSRF only).

        helpdesk_mgmt's route took a GET without CSRF, found the ticket with sudo by id and
        moved anyone's ticket into any stage flagged for the portal."""
        env = request.env
        try:
            ticket_id, stage_id = parse_id(ticket_id), parse_id(stage_id)
        except (TypeError, ValueError) as error:
            raise BadRequest(env._("Choose the ticket and the stage to close it in.")) from error
        Ticket = env["helpdesk.ticket"]
        # as the user: the record rules leave only the user's own tickets
        ticket = Ticket.search([("id", "=", ticket_id)]) if Ticket.has_access("read") else Ticket
        if not ticket:
            raise NotFound(env._("This ticket does not exist or is not yours."))
        # sudo: portal users only read tickets; this one was just read as the user's own,
        # and only its stage is written, to a stage its page offers
        ticket_sudo = ticket.sudo()
        if ticket_sudo.closed:
            raise BadRequest(
                env._("Ticket %(ticket)s is already closed.", ticket=ticket_sudo.display_name)
            )
        stage = ticket_sudo._portal_close_stages().filtered(lambda s: s.id == stage_id)
        if not stage:
            raise BadRequest(
                env._(
                    "Ticket %(ticket)s cannot be closed in this stage from the portal.",
                    ticket=ticket_sudo.display_name,
                )
            )
        try:
            ticket_sudo.write({"stage_id": stage.id})
        except UserError as error:
            # e.g. a claim without its conclusion: the error names what is missing; raising
            # rolls the request back, nothing is written
            raise BadRequest(error.args[0]) from error
        return request.redirect(f"/my/ticket/{ticket_sudo.id}")

    @http.route()
    def submit_ticket(self, **kw):
        """A ticket is filed only on POST: helpdesk_mgmt's route also took a GET, which
        Odoo does not check for CSRF, so any page could file tickets in a customer's name.
        A submission with a claim line files a claim, and its attachments follow the photo
        policy of the claim form (``ClaimPhotos``), checked before anything is created. A
        refusal answers 400 with a page saying what is wrong, and the request is rolled
        back: no ticket, no attachment. Plain tickets keep helpdesk_mgmt's behaviour."""
        if request.httprequest.method != "POST":
            # a UserError: the portal's 400 page shows its message (no 405 page there)
            raise UserError(request.env._("A ticket is filed by sending the form."))
        if not kw.get("claim_line"):
            return super().submit_ticket(**kw)
        # checks the order line (400 when it is not a product of the user's own order)
        vals = self._prepare_submit_ticket_vals(**kw)
        try:
            photos = self._claim_photos()
        except ValueError as error:
            # a UserError: the portal's 400 page shows its message
            raise UserError(str(error)) from error
        ticket = self._claim_create(vals, photos)
        return request.redirect(f"/my/ticket/{ticket.id}")

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
        # helpdesk_mgmt reads the category and the team with int() and browses them: a bad
        # one answers 400, not 500
        for name in ("category", "team"):
            if kw.get(name):
                try:
                    parse_id(kw[name])
                except ValueError as error:
                    raise BadRequest(
                        request.env._("Choose the category and the team from the lists.")
                    ) from error
        vals = super()._prepare_submit_ticket_vals(**kw)
        claim_line = kw.get("claim_line")
        if not claim_line:
            return vals
        try:
            order_id, product_id = (parse_id(part) for part in claim_line.split("-"))
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
