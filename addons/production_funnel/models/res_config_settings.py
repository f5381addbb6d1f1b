from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    production_load_horizon_days = fields.Integer(
        string="Load Horizon (days)",
        default=30,
        config_parameter="production_funnel.load_horizon_days",
        help="Days ahead over which the peak and average load of a line are computed.",
    )
    production_load_under_threshold = fields.Float(
        string="Underloaded Below (%)",
        default=60.0,
        config_parameter="production_funnel.load_under_threshold",
    )
    production_load_over_threshold = fields.Float(
        string="Overloaded Above (%)",
        default=100.0,
        config_parameter="production_funnel.load_over_threshold",
    )

    @api.constrains(
        "production_load_horizon_days",
        "production_load_under_threshold",
        "production_load_over_threshold",
    )
    def _check_production_load_settings(self):
        for settings in self:
            if settings.production_load_horizon_days < 1:
                raise ValidationError(self.env._("The load horizon must be at least one day."))
            if settings.production_load_under_threshold > settings.production_load_over_threshold:
                raise ValidationError(
                    self.env._(
                        "The underload threshold (%(under)s%%) cannot be above the overload "
                        "threshold (%(over)s%%).",
                        under=settings.production_load_under_threshold,
                        over=settings.production_load_over_threshold,
                    )
                )
