from odoo import api, fields, models


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    turn_daily_quota = fields.Integer(
        string="Leads per Day",
        compute="_compute_turn_daily_quota",
        help="The daily share of a member when the team caps turns per day: the capacity "
        "(leads per 30 days) divided by 30, rounded half up, as CRM's lead assignment "
        "counts it.",
    )

    @api.depends("assignment_max")
    def _compute_turn_daily_quota(self):
        for member in self:
            member.turn_daily_quota = int(member._get_assignment_quota(force_quota=True))
