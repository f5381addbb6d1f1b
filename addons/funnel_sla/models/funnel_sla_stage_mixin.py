from odoo import api, fields, models
from odoo.exceptions import ValidationError


class FunnelSlaStageMixin(models.AbstractModel):
    """Stage side of the funnel SLA: how long a record may stay in the stage."""

    _name = "funnel.sla.stage.mixin"
    _description = "Funnel Stage with SLA"

    sla_hours = fields.Float(
        string="SLA (working hours)",
        help="Working hours of the company calendar a record may spend in this stage "
        "before it is flagged as stalled. Leave 0 for no SLA.",
    )
    sla_escalation_hours = fields.Float(
        string="Escalate after (working hours)",
        help="Working hours after the SLA deadline at which a stalled record is escalated "
        "(for example to the team leader). Leave 0 for no escalation.",
    )

    @api.constrains("sla_hours", "sla_escalation_hours")
    def _check_sla_hours(self):
        for stage in self:
            if stage.sla_hours < 0 or stage.sla_escalation_hours < 0:
                raise ValidationError(
                    self.env._(
                        "Stage %(stage)s: SLA and escalation hours cannot be negative.",
                        stage=stage.display_name,
                    )
                )
