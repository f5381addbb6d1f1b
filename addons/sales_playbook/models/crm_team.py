from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    lead_distribution = fields.Selection(
        [
            ("manual", "Manually"),
            ("round_robin", "In turn among members"),
            ("crm", "CRM assignment rules"),
        ],
        string="New Leads Dealt",
        default="manual",
        required=True,
        help="How the team's new leads without a salesperson get one. Manually: as CRM "
        "does, the person who registers a lead handles it unless they choose someone. In "
        "turn: each new lead goes to the next member in turn (opted-out and archived "
        "members skipped; weights and daily cap below). CRM assignment rules: the lead waits "
        "without salesperson for CRM's rule-based assignment.",
    )
    playbook_source_id = fields.Many2one(
        "utm.source",
        string="Default Source",
        help="Source of the team's leads that arrive without one (its e-mail alias, a web "
        "form, a script).",
    )
    playbook_own_stages = fields.Boolean(
        string="Own Pipeline Only",
        help="The team's leads go through the team's own stages only, not through the "
        "stages shared by all teams (a team with a sales process of its own).",
    )
    playbook_farewell_survey_id = fields.Many2one(
        "survey.survey",
        string="Farewell Survey",
        help="Sent to the customer when a lead of this team is lost; empty: the company's.",
    )
    playbook_quality_survey_id = fields.Many2one(
        "survey.survey",
        string="Service Quality Survey",
        help="Sent to the customer when a deal of this team is won; empty: the company's.",
    )
