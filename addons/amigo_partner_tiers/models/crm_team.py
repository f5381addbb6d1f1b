from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    region_state_ids = fields.Many2many(
        "res.country.state",
        "crm_team_region_state_rel",
        "team_id",
        "state_id",
        string="Regions Covered",
        help="New leads from these regions are routed to this team.",
    )
    region_assignment = fields.Selection(
        [
            ("leader", "Team Leader"),
            ("round_robin", "Round-robin among members"),
            ("crm", "CRM lead assignment rules"),
        ],
        string="Routed Leads Go To",
        default="leader",
        required=True,
        help="Team leader: the leader reassigns inside the team. Round-robin: members in turn. "
        "CRM rules: no salesperson, CRM's own lead assignment distributes them.",
    )
    region_last_user_id = fields.Many2one("res.users", "Last Routed To", readonly=True, copy=False)
    is_central_team = fields.Boolean(
        "Central Team",
        help="Leads from regions no team covers stay with this team (per company).",
    )

    def _region_next_user(self):
        """The salesperson of the next routed lead (updates the round-robin pointer)."""
        self.ensure_one()
        if self.region_assignment == "leader":
            return self.user_id
        if self.region_assignment == "crm":
            return self.env["res.users"]
        members = self.member_ids.sorted("id")
        if not members:
            return self.user_id
        last = self.region_last_user_id
        following = members.filtered(lambda u: u.id > last.id) if last else members
        user = following[:1] or members[:1]
        self.sudo().region_last_user_id = user  # sudo: routing bookkeeping, not a user edit
        return user
