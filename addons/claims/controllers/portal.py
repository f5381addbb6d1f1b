import base64

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk


class ClaimsPortal(CustomerPortalHelpdesk):
    _claim_max_attachments = 10

    def _claim_order_or_none(self, order_id, access_token):
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
            "max_upload_size": request.env["ir.http"].session_info()["max_file_upload_size"],
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
            values = self._claim_form_values(order_sudo, access_token, **dict(kw, error=str(error)))
            return request.render("claims.portal_order_claim_form", values, status=400)
        # sudo: portal users may only read tickets (helpdesk_mgmt does the same in
        # /submitted/ticket); the order was checked above to be the user's own, the values
        # come only from it and from the user's partner.
        ticket = request.env["helpdesk.ticket"].sudo().create(vals)
        ticket.message_subscribe(partner_ids=request.env.user.partner_id.ids)
        self._claim_attach_photos(ticket, photos)
        return request.redirect(f"/my/ticket/{ticket.id}")

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
        try:
            quantity = float(kw.get("quantity") or 0.0)
        except ValueError as error:
            raise ValueError(env._("The quantity affected must be a number.")) from error
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

    def _claim_photos(self):
        """The uploaded photos, refusing anything that is not an image."""
        uploads = [f for f in request.httprequest.files.getlist("attachment") if f.filename]
        for upload in uploads:
            if not (upload.mimetype or "").startswith("image/"):
                raise ValueError(
                    request.env._(
                        "Only photos can be attached: %(file)s is not an image.",
                        file=upload.filename,
                    )
                )
        if len(uploads) > self._claim_max_attachments:
            raise ValueError(
                request.env._("Attach at most %(count)s photos.", count=self._claim_max_attachments)
            )
        return uploads

    def _claim_attach_photos(self, ticket, uploads):
        values = [
            {
                "name": upload.filename,
                "datas": base64.b64encode(upload.read()),
                "res_model": "helpdesk.ticket",
                "res_id": ticket.id,
            }
            for upload in uploads
        ]
        if values:
            # sudo: attachments of the claim just created for this user (see above)
            request.env["ir.attachment"].sudo().create(values)
