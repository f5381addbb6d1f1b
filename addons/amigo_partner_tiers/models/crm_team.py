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
        help="Team leader: the leader reassigns inside the team. Round-robin: the team's "
        "members in turn (tab Members: opted-out and archived members skipped, turns "
        "weighted or capped per day as set there); when no member can take the turn, the "
        "team leader. CRM rules: no salesperson, CRM's own lead assignment distributes them.",
    )
    is_central_team = fields.Boolean(
        "Central Team",
        help="Leads from regions no team covers stay with this team (per company).",
    )

    def _region_next_user(self):
        """The salesperson of the next lead routed to this team: its leader, the member
        whose turn it is, or nobody (CRM's rules).

        The turns are the suite's one turn-taking mechanism (``crm_lead_turn``): one
        ``nextval`` of the team's counter, no row of the team written, so routed leads
        created at the same moment never collide and never go to the same member twice
        in a row. When no member can take the turn (none, all opted out, archived or
        capped for the day), the team leader gets the lead and reassigns it."""
        self.ensure_one()
        if self.region_assignment == "leader":
            return self.user_id
        if self.region_assignment == "crm":
            return self.env["res.users"]
        return self._turn_next_user() or self.user_id
