from odoo import api, fields, models


class CrmLeadLost(models.TransientModel):
    _inherit = "crm.lead.lost"

    playbook_send_survey = fields.Boolean(
        string="Send the Farewell Survey",
        default=True,
        help="Send the customer the farewell e-mail with the company's short survey.",
    )
    playbook_survey_note = fields.Char(compute="_compute_playbook_survey_note")

    @api.depends("lead_ids")
    def _compute_playbook_survey_note(self):
        for wizard in self:
            wizard.playbook_survey_note = wizard.lead_ids._playbook_survey_note("farewell")

    def action_lost_reason_apply(self):
        self.lead_ids._playbook_set_survey_declined(not self.playbook_send_survey)
        return super().action_lost_reason_apply()
