from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class DealerLeadsPortal(CustomerPortal):
    _leads_per_page = 20

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "dealer_lead_count" in counters:
            Lead = request.env["crm.lead"]
            values["dealer_lead_count"] = (
                Lead.search_count(self._dealer_lead_domain()) if Lead.has_access("read") else 0
            )
        return values

    def _dealer_lead_domain(self):
        # the record rule restricts portal users to their company's leads; the domain
        # says the same for internal users testing the page
        partner = request.env.user.commercial_partner_id
        return [("dealer_partner_id", "child_of", partner.ids)]

    def _dealer_lead(self, lead_id):
        """The lead as the portal user sees it (record rules apply), or None."""
        lead = request.env["crm.lead"].browse(lead_id)
        try:
            lead.check_access("read")
            if not lead.exists() or not lead.filtered_domain(self._dealer_lead_domain()):
                return None
        except (AccessError, MissingError):
            return None
        return lead

    def _dealer_lead_stages(self, lead):
        # sudo: stages are configuration the portal user may not read
        team = lead.sudo().team_id
        return (
            request.env["crm.stage"]
            .sudo()
            .search(
                [("is_won", "=", False), "|", ("team_id", "=", False), ("team_id", "=", team.id)]
            )
        )

    @http.route(["/my/leads", "/my/leads/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_leads(self, page=1, **kw):
        Lead = request.env["crm.lead"]
        domain = self._dealer_lead_domain()
        try:
            count = Lead.search_count(domain)
        except AccessError:
            return request.redirect("/my")
        pager = portal_pager(url="/my/leads", total=count, page=page, step=self._leads_per_page)
        leads = Lead.search(
            domain, order="create_date desc, id desc", limit=self._leads_per_page,
            offset=pager["offset"],
        )  # fmt: skip
        values = self._prepare_portal_layout_values()
        values.update({"leads": leads, "pager": pager, "page_name": "dealer_leads"})
        return request.render("amigo_partner_tiers.portal_my_leads", values)

    @http.route("/my/leads/<int:lead_id>", type="http", auth="user", website=True)
    def portal_my_lead(self, lead_id, **kw):
        lead = self._dealer_lead(lead_id)
        if lead is None:
            return request.redirect("/my/leads")
        # sudo: messages of a lead the user was just checked to see; only public ones and
        # the dealer's own notes are shown, never our internal notes
        dealer = request.env.user.commercial_partner_id
        messages = lead.sudo().message_ids.filtered(
            lambda m: m.message_type == "comment"
            and (not m.subtype_id.internal or m.author_id.commercial_partner_id == dealer)
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "lead": lead,
                "lead_sudo": lead.sudo(),
                "stages": self._dealer_lead_stages(lead),
                "messages": messages,
                "page_name": "dealer_lead",
                "error": kw.get("error"),
            }
        )
        return request.render("amigo_partner_tiers.portal_my_lead", values)

    def _dealer_lead_for_write(self, lead_id):
        lead = self._dealer_lead(lead_id)
        if lead is None:
            return None
        try:
            lead.check_access("write")
        except AccessError:
            return None
        return lead

    @http.route(
        "/my/leads/<int:lead_id>/stage", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_my_lead_stage(self, lead_id, stage_id=None, **kw):
        lead = self._dealer_lead_for_write(lead_id)
        if lead is None:
            return request.redirect("/my/leads")
        stage = self._dealer_lead_stages(lead).filtered(lambda s: s.id == int(stage_id or 0))
        if stage:
            # sudo: CRM's computes on a stage change read teams and scoring the portal user
            # cannot; the write access to this very lead was checked above
            lead.sudo().with_context(portal_dealer=True).write(
                {"stage_id": stage.id, "type": "opportunity"}
            )
        return request.redirect(f"/my/leads/{lead.id}")

    @http.route(
        "/my/leads/<int:lead_id>/note", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_my_lead_note(self, lead_id, note=None, **kw):
        lead = self._dealer_lead_for_write(lead_id)
        if lead is None:
            return request.redirect("/my/leads")
        note = (note or "").strip()
        if note:
            # sudo: posting on the checked lead in the portal user's name
            lead.sudo().message_post(
                body=plaintext2html(note),
                author_id=request.env.user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return request.redirect(f"/my/leads/{lead.id}")

    @http.route(
        "/my/leads/<int:lead_id>/<any(won,lost):outcome>", type="http", auth="user",
        methods=["POST"], website=True,
    )  # fmt: skip
    def portal_my_lead_outcome(self, lead_id, outcome, **kw):
        lead = self._dealer_lead_for_write(lead_id)
        if lead is None:
            return request.redirect("/my/leads")
        # sudo: as for the stage change above
        if outcome == "won":
            lead.sudo().action_set_won()
        else:
            lead.sudo().action_set_lost()
        if outcome == "won":
            body = request.env._("Marked won by the dealer.")
        else:
            body = request.env._("Marked lost by the dealer.")
        lead.sudo().message_post(
            body=body,
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return request.redirect(f"/my/leads/{lead.id}")
