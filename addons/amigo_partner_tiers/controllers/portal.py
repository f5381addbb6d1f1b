import re

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# a stage id as a form sends it: digits only (no sign, no decimals, no exponent)
STAGE_ID = re.compile(r"[0-9]{1,9}")


class DealerLeadsPortal(CustomerPortal):
    """The dealer's leads at /my/dealer-leads.

    The suite's own route: core's Resellers (``website_crm_partner_assign``) serves its
    assigned leads at /my/leads, so that both portals work side by side. Without it,
    /my/leads (the page's former address) leads here. The pages of a lead and its actions
    still answer at their former /my/leads/<id> addresses too (bookmarks, open pages): no
    other module serves those.

    Portal users have read access to the leads forwarded to their company (record rule
    ``rule_crm_lead_portal_dealer``) and no write access at all: each action below checks
    the lead under that rule, checks the lead is in a state where the action makes sense,
    then writes its few whitelisted values with ``sudo()``. A bad parameter or a state the
    action makes no sense in is answered with a 4xx page saying why; state changes are
    POST only, with Odoo's CSRF check of ``type="http"`` routes.
    """

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

    def _dealer_lead_state(self, lead):
        """'open', 'won' or 'lost': only an open lead is moved, won or lost by the dealer."""
        # sudo: the stage and the probability are internal; the lead was checked readable
        lead_sudo = lead.sudo()
        if not lead_sudo.active:
            return "lost"
        if lead_sudo.stage_id.is_won or lead_sudo.probability >= 100:
            return "won"
        return "open"

    def _dealer_lead_stages(self, lead):
        """The stages a dealer may move the lead to: open stages of its team or shared."""
        # sudo: stages are configuration the portal user may not read
        team = lead.sudo().team_id
        return (
            request.env["crm.stage"]
            .sudo()
            .search(
                [("is_won", "=", False), "|", ("team_id", "=", False), ("team_id", "=", team.id)]
            )
        )

    def _dealer_leads_values(self, page=1):
        Lead = request.env["crm.lead"]
        domain = self._dealer_lead_domain()
        count = Lead.search_count(domain)
        pager = portal_pager(
            url="/my/dealer-leads", total=count, page=page, step=self._leads_per_page
        )
        leads = Lead.search(
            domain, order="create_date desc, id desc", limit=self._leads_per_page,
            offset=pager["offset"],
        )  # fmt: skip
        values = self._prepare_portal_layout_values()
        values.update({"leads": leads, "pager": pager, "page_name": "dealer_leads"})
        return values

    def _dealer_lead_values(self, lead, error=None):
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
                # not "lead": Resellers' breadcrumbs show a "lead" of theirs
                "dealer_lead": lead,
                # sudo: the stage name and the won/lost badges of the checked lead
                "lead_sudo": lead.sudo(),
                "lead_state": self._dealer_lead_state(lead),
                "stages": self._dealer_lead_stages(lead),
                "messages": messages,
                "page_name": "dealer_lead",
                "error": error,
            }
        )
        return values

    def _dealer_lead_refused(self, lead, error, status):
        """The lead page again, with why the action was refused, as a 4xx answer."""
        values = self._dealer_lead_values(lead, error=error)
        return request.render("amigo_partner_tiers.portal_my_lead", values, status=status)

    def _dealer_lead_not_found(self):
        try:
            values = self._dealer_leads_values()
        except AccessError:
            values = dict(self._prepare_portal_layout_values(), leads=[], pager=False)
        values["error"] = request.env._("This lead is not among the leads forwarded to you.")
        return request.render("amigo_partner_tiers.portal_my_leads", values, status=404)

    def _dealer_lead_not_open(self, lead):
        return self._dealer_lead_refused(
            lead,
            request.env._(
                "This lead is no longer open (it is won or lost): it cannot be moved, won or "
                "lost again from the portal. Log a note for your manager instead."
            ),
            409,
        )

    @http.route(["/my/leads", "/my/leads/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_leads(self, page=1, **kw):
        """The former address of the dealer's leads, which core's Resellers also serves
        (this method has the name of theirs, so that one of the two answers): with
        Resellers installed, its page; without it, the dealer's leads."""
        resellers = getattr(super(), "portal_my_leads", None)
        if resellers is not None:
            return resellers(page=page, **kw)
        url = "/my/dealer-leads" if page == 1 else f"/my/dealer-leads/page/{page}"
        return request.redirect(url)

    @http.route(
        ["/my/dealer-leads", "/my/dealer-leads/page/<int:page>"], type="http", auth="user",
        website=True,
    )  # fmt: skip
    def portal_dealer_leads(self, page=1, **kw):
        try:
            values = self._dealer_leads_values(page)
        except AccessError:
            return request.redirect("/my")
        return request.render("amigo_partner_tiers.portal_my_leads", values)

    @http.route(
        ["/my/dealer-leads/<int:lead_id>", "/my/leads/<int:lead_id>"], type="http",
        auth="user", website=True,
    )  # fmt: skip
    def portal_dealer_lead(self, lead_id, **kw):
        lead = self._dealer_lead(lead_id)
        if lead is None:
            return request.redirect("/my/dealer-leads")
        return request.render("amigo_partner_tiers.portal_my_lead", self._dealer_lead_values(lead))

    @http.route(
        ["/my/dealer-leads/<int:lead_id>/stage", "/my/leads/<int:lead_id>/stage"],
        type="http", auth="user", methods=["POST"], website=True,
    )  # fmt: skip
    def portal_dealer_lead_stage(self, lead_id, stage_id=None, **kw):
        lead = self._dealer_lead(lead_id)
        if lead is None:
            return self._dealer_lead_not_found()
        if self._dealer_lead_state(lead) != "open":
            return self._dealer_lead_not_open(lead)
        value = (stage_id or "").strip()
        stage = request.env["crm.stage"]
        if STAGE_ID.fullmatch(value):
            stage = self._dealer_lead_stages(lead).filtered(lambda s: s.id == int(value))
        if not stage:
            return self._dealer_lead_refused(
                lead, request.env._("Choose one of the stages offered for this lead."), 400
            )
        # sudo: the dealer has no write access on leads; the lead was checked to be theirs
        # and open, and only its stage (and type: a worked lead is an opportunity) change
        try:
            with request.env.cr.savepoint():
                lead.sudo().write({"stage_id": stage.id, "type": "opportunity"})
        except UserError as error:
            # a rule of another addon refuses the move (sales_playbook: the stage's required
            # checklist items are not done): the dealer reads why, the lead stays as it was
            return self._dealer_lead_refused(lead, error.args[0], 409)
        return request.redirect(f"/my/dealer-leads/{lead.id}")

    @http.route(
        ["/my/dealer-leads/<int:lead_id>/note", "/my/leads/<int:lead_id>/note"],
        type="http", auth="user", methods=["POST"], website=True,
    )  # fmt: skip
    def portal_dealer_lead_note(self, lead_id, note=None, **kw):
        lead = self._dealer_lead(lead_id)
        if lead is None:
            return self._dealer_lead_not_found()
        note = (note or "").strip()
        if not note:
            return self._dealer_lead_refused(
                lead, request.env._("Write the note before logging it."), 400
            )
        # sudo: posting on the checked lead in the portal user's name (notes are welcome on
        # a closed lead too)
        lead.sudo().message_post(
            body=plaintext2html(note),
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return request.redirect(f"/my/dealer-leads/{lead.id}")

    @http.route(
        ["/my/dealer-leads/<int:lead_id>/<any(won,lost):outcome>",
         "/my/leads/<int:lead_id>/<any(won,lost):outcome>"],
        type="http", auth="user", methods=["POST"], website=True,
    )  # fmt: skip
    def portal_dealer_lead_outcome(self, lead_id, outcome, **kw):
        lead = self._dealer_lead(lead_id)
        if lead is None:
            return self._dealer_lead_not_found()
        if self._dealer_lead_state(lead) != "open":
            return self._dealer_lead_not_open(lead)
        # sudo: as for the stage change above, on a lead checked to be theirs and open
        if outcome == "won":
            lead.sudo().action_set_won()
            body = request.env._("Marked won by the dealer.")
        else:
            lead.sudo().action_set_lost()
            body = request.env._("Marked lost by the dealer.")
        lead.sudo().message_post(
            body=body,
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return request.redirect(f"/my/dealer-leads/{lead.id}")
