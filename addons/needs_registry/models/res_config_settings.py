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
    need_likelihood_threshold = fields.Float(
        string="Notify Possible Duplicates From",
        config_parameter="needs_registry.likelihood_threshold",
        default=0.5,
        help="A match whose likelihood of being the same end customer's demand reaches this "
        "value (0–1) is notified to the managers concerned and the heads of sales; below it, "
        "it is listed on the need as the same composition elsewhere.",
    )
    need_import_max_size_mb = fields.Integer(
        string="Catalog Import: Maximum File Size",
        config_parameter="needs_registry.import_max_size_mb",
        default=10,
        help="The largest catalog file (in MB) the import takes.",
    )
    need_import_max_rows = fields.Integer(
        string="Catalog Import: Maximum Rows",
        config_parameter="needs_registry.import_max_rows",
        default=50000,
        help="The most product rows one catalog import takes.",
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

    @api.constrains("need_likelihood_threshold")
    def _check_need_likelihood_threshold(self):
        for settings in self:
            if not 0 <= settings.need_likelihood_threshold <= 1:
                raise ValidationError(
                    self.env._(
                        "The field 'Notify Possible Duplicates From' must be between 0 and 1."
                    )
                )

    @api.constrains("need_import_max_size_mb", "need_import_max_rows")
    def _check_need_import_caps(self):
        for settings in self:
            if settings.need_import_max_size_mb < 1:
                raise ValidationError(
                    self.env._(
                        "The field 'Catalog Import: Maximum File Size' must be at least 1 MB."
                    )
                )
            if settings.need_import_max_rows < 1:
                raise ValidationError(
                    self.env._("The field 'Catalog Import: Maximum Rows' must be at least 1.")
                )
