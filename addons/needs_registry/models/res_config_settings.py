from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    need_similarity_threshold = fields.Float(
        string="Similar Needs Threshold",
        config_parameter="needs_registry.similarity_threshold",
        default=0.8,
        help="Two product sets are similar when their overlap (Jaccard: shared products "
        "divided by all products of both) is at least this value, between 0 and 1.",
    )

    @api.constrains("need_similarity_threshold")
    def _check_need_similarity_threshold(self):
        for settings in self:
            if not 0 < settings.need_similarity_threshold <= 1:
                raise ValidationError(
                    self.env._(
                        "The field 'Similar Needs Threshold' must be greater than 0 and at most 1."
                    )
                )
