import math

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk

from .main import MAX_ID
from .photos import ClaimPhotos


class ClaimsPortal(ClaimPhotos, CustomerPortalHelpdesk):
    def _claim_order_or_none(self, order_id, access_token):
        if not 0 < order_id <= MAX_ID:
            return None
        try:
            return self._document_check_access("sale.order", order_id, access_token=access_token)
        except (AccessError, MissingError):
            return None

    def _claim_form_values(self, order_sudo, access_token, **kw):
        return {
            "page_name": "claim",
            "sale_order": order_sudo,
            "products": order_sudo._claim_portal_products(),
            "access_token": access_token,
            "error": kw.get("error"),
            "form": kw,
            "max_upload_size": self._claim_max_photo_size(),
        }

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        # the close buttons offer exactly what /ticket/close accepts, and only to the
        # user whose ticket it is (not to a visitor holding a link)
        own = ticket.sudo(False).has_access("read") and not request.env.user._is_public()
        values["closed_stages"] = ticket._portal_close_stages() if own else ticket.stage_id.browse()
        return values

    @http.route(
        "/my/orders/<int:order_id>/claim", type="http", auth="user", methods=["GET"], website=True
    )
    def portal_order_claim(self, order_id, access_token=None, **kw):
        order_sudo = self._claim_order_or_none(order_id, access_token)
        if order_sudo is None:
            return request.redirect("/my")
        if order_sudo.state != "sale":
            return request.redirect(order_sudo.get_portal_url())
        values = self._claim_form_values(order_sudo, access_token)
        return request.render("claims.portal_order_claim_form", values)

    @http.route(
        "/my/orders/<int:order_id>/claim",
        type="http",
        auth="user",
        methods=["POST"],
        csrf=True,
        website=True,
    )
    def portal_order_claim_submit(self, order_id, access_token=None, **kw):
        order_sudo = self._claim_order_or_none(order_id, access_token)
        if order_sudo is None or order_sudo.state != "sale":
            return request.redirect("/my")
        try:
            vals = self._prepare_claim_values(order_sudo, **kw)
            photos = self._claim_photos()
        except ValueError as error:
            return self._claim_form_error(order_sudo, access_token, str(error), **kw)
        try:
            # all or nothing: a claim the model refuses leaves no ticket and no photo
            with request.env.cr.savepoint():
                # the order was checked above to be the user's own, the values come only
                # from it and from the user's partner (_claim_create writes them as sudo)
                ticket = self._claim_create(vals, photos)
        except UserError as error:
            return self._claim_form_error(order_sudo, access_token, error.args[0], **kw)
        return request.redirect(f"/my/ticket/{ticket.id}")

    def _claim_form_error(self, order_sudo, access_token, message, **kw):
        """The form again, with what the customer typed and what is wrong (400)."""
        values = self._claim_form_values(order_sudo, access_token, **dict(kw, error=message))
        return request.render("claims.portal_order_claim_form", values, status=400)

    def _prepare_claim_values(self, order_sudo, **kw):
        env = request.env
        try:
            product_id = int(kw.get("product_id") or 0)
        except ValueError:
            product_id = 0
        product = order_sudo._claim_portal_products().filtered(lambda p: p.id == product_id)
        if not product:
            raise ValueError(
                env._("Choose a product of the order %(order)s.", order=order_sudo.name)
            )
        quantity = self._claim_quantity(order_sudo, product, kw.get("quantity"))
        description = (kw.get("description") or "").strip()
        if not description:
            raise ValueError(env._("Describe the problem."))
        company = order_sudo.company_id
        team = env["helpdesk.ticket.team"].sudo()._claim_team_for_company(company.id)
        partner = env.user.partner_id
        return {
            "name": (kw.get("subject") or "").strip()
            or env._(
                "Claim on %(order)s: %(product)s",
                order=order_sudo.name,
                product=product.display_name,
            ),
            "description": plaintext2html(description),
            "is_claim": True,
            "team_id": team.id,
            "company_id": company.id,
            "sale_order_id": order_sudo.id,
            "product_id": product.id,
            "claim_quantity": quantity,
            "lot_name": (kw.get("lot_name") or "").strip() or False,
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
            "channel_id": env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web", False).id,
            "user_id": False,
        }

    def _claim_quantity(self, order_sudo, product, value):
        """The quantity affected typed in the form: a number from 0 to the quantity of
        the product in the order."""
        env = request.env
        try:
            quantity = float((value or "").strip() or 0.0)
        except ValueError:
            quantity = math.nan
        if not math.isfinite(quantity):
            # float() reads "nan", "inf" and "1e400" (infinite) too
            raise ValueError(env._("The quantity affected must be a number."))
        if quantity < 0:
            raise ValueError(env._("The quantity affected cannot be negative."))
        ordered = sum(
            order_sudo.order_line.filtered(lambda line: line.product_id == product).mapped(
                "product_uom_qty"
            )
        )
        if quantity > ordered:
            # formatted before the call: Odoo's term export (Babel) evaluates the arguments
            # of _() and loses the file's terms on an f-string
            qty, ordered = f"{quantity:g}", f"{ordered:g}"
            raise ValueError(
                env._(
                    "The quantity affected (%(qty)s) exceeds the quantity of %(product)s "
                    "in the order (%(ordered)s).",
                    qty=qty,
                    product=product.display_name,
                    ordered=ordered,
                )
            )
        return quantity
