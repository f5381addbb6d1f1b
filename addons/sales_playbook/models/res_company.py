from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    playbook_source_required = fields.Boolean(
        string="Lead Source Required",
        default=True,
        help="A person creating a lead must give its source (leads from e-mail, web forms "
        "and scripts take their team's default source).",
    )
    playbook_farewell_survey_id = fields.Many2one(
        "survey.survey",
        string="Farewell Survey",
        help="Sent to the customer of a lost lead, with a farewell e-mail.",
    )
    playbook_quality_survey_id = fields.Many2one(
        "survey.survey",
        string="Service Quality Survey",
        help="Sent to the customer of a won deal.",
    )
    playbook_sales_head_id = fields.Many2one(
        "res.users",
        string="Head of Sales",
        domain="[('share', '=', False)]",
        help="Notified when an opportunity is lost after the proposal, and told of deals "
        "stalled past the escalation limit in teams without a leader.",
    )
