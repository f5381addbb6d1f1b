from odoo import api, fields, models


class CrmLeadPlaybookWon(models.TransientModel):
    _name = "crm.lead.playbook.won"
    _description = "Mark Won (Service-Quality Survey)"

    lead_ids = fields.Many2many("crm.lead", string="Leads")
    playbook_send_survey = fields.Boolean(
        string="Send the Service-Quality Survey",
        default=True,
        help="Send the customer the company's short survey on the quality of service.",
    )
    playbook_survey_note = fields.Char(compute="_compute_playbook_survey_note")

    @api.depends("lead_ids")
    def _compute_playbook_survey_note(self):
        for wizard in self:
            wizard.playbook_survey_note = wizard.lead_ids._playbook_survey_note("quality")

    def action_apply(self):
        self.ensure_one()
        self.lead_ids._playbook_set_survey_declined(not self.playbook_send_survey)
        return self.lead_ids.action_set_won_rainbowman()
