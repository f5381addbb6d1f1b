from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class MotivationAction(models.Model):
    _name = "motivation.action"
    _description = "Motivation Action (points per unit)"
    _order = "scheme_id, sequence, id"

    scheme_id = fields.Many2one("motivation.scheme", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="scheme_id.company_id", store=True)
    active = fields.Boolean(
        default=True,
        help="An archived action counts no more; the closed periods that counted it keep it.",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    action_type = fields.Selection(
        [
            ("activity", "Activity marked done"),
            ("stage", "Opportunity reaches a stage"),
            ("won", "Won opportunity"),
            ("new_customer", "New customer's first confirmed order"),
            ("order", "Confirmed order"),
        ],
        string="Counted Action",
        required=True,
        default="activity",
    )
    activity_type_id = fields.Many2one("mail.activity.type", string="Activity Type")
    stage_id = fields.Many2one("crm.stage", string="Stage")
    points = fields.Float(string="Points per Unit", required=True, default=1.0)
    plan_count = fields.Integer(
        string="Monthly Plan", help="How many the plan expects per manager per month."
    )

    @api.constrains("action_type", "activity_type_id", "stage_id", "points")
    def _check_definition(self):
        for action in self:
            if action.action_type == "activity" and not action.activity_type_id:
                raise ValidationError(
                    self.env._(
                        "Action “%(action)s”: choose the Activity Type whose done activities "
                        "are counted.",
                        action=action.name,
                    )
                )
            if action.action_type == "stage" and not action.stage_id:
                raise ValidationError(
                    self.env._(
                        "Action “%(action)s”: choose the Stage the opportunities must reach.",
                        action=action.name,
                    )
                )
            if action.points < 0:
                raise ValidationError(
                    self.env._(
                        "Action “%(action)s”: Points per Unit cannot be negative.",
                        action=action.name,
                    )
                )

    # ------------------------------------------------------------------ CRUD

    def unlink(self):
        """A closed period keeps the actions it counted (the database restricts it too):
        archive them instead. Open periods lose the action's counts and are recomputed."""
        self.check_access("unlink")
        lines = self.env["motivation.score.line"].search([("action_id", "in", self.ids)])
        frozen = lines.filtered(lambda line: line.score_id.state == "closed")
        if frozen:
            raise UserError(
                self.env._(
                    "Action “%(action)s” is counted in closed periods (%(scores)s): archive it "
                    "instead of deleting it.",
                    action=", ".join(frozen.action_id.mapped("name")),
                    scores=", ".join(frozen.score_id[:5].mapped("name")),
                )
            )
        scores = lines.score_id
        lines.unlink()
        result = super().unlink()
        scores._compute_scores()
        return result
