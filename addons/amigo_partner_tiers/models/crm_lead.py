from odoo import api, fields, models
from odoo.exceptions import AccessError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    dealer_partner_id = fields.Many2one(
        "res.partner",
        "Forwarded to Dealer",
        index="btree_not_null",
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="Dealer or representative office working this lead in the portal.",
    )
    region_routed = fields.Boolean("Routed by Region", readonly=True, copy=False)
    # CRM's predictive scoring of the lead is internal judgement: a dealer reading the
    # leads forwarded to it (portal, RPC) does not read it
    automated_probability = fields.Float(groups="base.group_user")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._route_by_region(vals)
        return super().create(vals_list)

    def write(self, vals):
        # Which dealer works a lead is the company's decision. Portal users have no write
        # access on leads from this addon, but core's Resellers (website_crm_partner_assign)
        # gives them one on the leads assigned to them: it must not let them forward a lead
        # into another dealer's list.
        if "dealer_partner_id" in vals and not self.env.su and self.env.user.share:
            raise AccessError(self.env._("Only the company's staff forward a lead to a dealer."))
        return super().write(vals)

    @api.model
    def _route_by_region(self, vals):
        """Team and salesperson of a new lead from its region (state, else the region a
        city/ZIP/phone maps to), when the creator did not choose them."""
        if vals.get("team_id") or vals.get("user_id") or self.env.context.get("default_team_id"):
            return
        company_id = vals.get("company_id") or self.env.company.id
        state = self.env["res.country.state"].browse(vals.get("state_id"))
        if not state:
            state = self.env["crm.region.mapping"]._state_for(
                city=vals.get("city"), zip_code=vals.get("zip"), phone=vals.get("phone"),
                company=self.env["res.company"].browse(company_id),
            )  # fmt: skip
            if not state:
                return
            vals["state_id"] = state.id
            if not vals.get("country_id"):
                vals["country_id"] = state.country_id.id
        Team = self.env["crm.team"]
        # sudo: routing reads every team's regions, whatever teams the creator may see
        team = Team.sudo().search(
            [("region_state_ids", "in", state.id), ("company_id", "in", [company_id, False])],
            order="sequence, id",
            limit=1,
        )
        if team:
            vals["team_id"] = team.id
            vals["user_id"] = team._region_next_user().id or False
            vals["region_routed"] = True
            return
        central = Team.sudo().search(
            [("is_central_team", "=", True), ("company_id", "in", [company_id, False])],
            order="sequence, id",
            limit=1,
        )
        if central:
            vals["team_id"] = central.id
            vals["user_id"] = central.user_id.id or False
