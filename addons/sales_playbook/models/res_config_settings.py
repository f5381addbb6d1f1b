from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    playbook_source_required = fields.Boolean(
        related="company_id.playbook_source_required", readonly=False
    )
    playbook_farewell_survey_id = fields.Many2one(
        related="company_id.playbook_farewell_survey_id", readonly=False
    )
    playbook_quality_survey_id = fields.Many2one(
        related="company_id.playbook_quality_survey_id", readonly=False
    )
    playbook_sales_head_id = fields.Many2one(
        related="company_id.playbook_sales_head_id", readonly=False
    )
