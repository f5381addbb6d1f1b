from odoo import api, fields, models
from odoo.exceptions import UserError


class MotivationScoreLine(models.Model):
    _name = "motivation.score.line"
    _description = "Motivation Score Count"
    _order = "score_id, id"
    _check_company_auto = True

    score_id = fields.Many2one("motivation.score", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one(related="score_id.user_id", store=True)
    date_from = fields.Date(related="score_id.date_from", store=True)
    company_id = fields.Many2one(related="score_id.company_id", store=True)
    # a closed period keeps its counts: an action counted in it is archived, never deleted
    action_id = fields.Many2one(
        "motivation.action", required=True, ondelete="restrict", index=True, check_company=True
    )
    action_type = fields.Selection(related="action_id.action_type")
    plan_count = fields.Integer(related="action_id.plan_count")
    count = fields.Integer(readonly=True)
    points = fields.Float(readonly=True)

    def _check_open(self):
        closed = self.score_id.filtered(lambda s: s.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "The period is closed: the counts of %(scores)s cannot be changed.",
                    scores=", ".join(closed.mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_open()
        return lines

    def write(self, vals):
        self._check_open()
        return super().write(vals)

    def unlink(self):
        self._check_open()
        return super().unlink()
