from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    claim_human_tolerance = fields.Float(
        string="Human-Factor Tolerance (%)",
        default=20.0,
        help="Share of closed claims caused by the human factor that is considered "
        "acceptable. Above it, the claims dashboard asks for a process review.",
    )

    @api.constrains("claim_human_tolerance")
    def _check_claim_human_tolerance(self):
        for company in self:
            if not 0 <= company.claim_human_tolerance <= 100:
                raise ValidationError(
                    self.env._(
                        "Company %(company)s: the human-factor tolerance must be between "
                        "0 and 100 %%.",
                        company=company.name,
                    )
                )
