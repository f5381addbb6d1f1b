from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class MotivationLevel(models.Model):
    _name = "motivation.level"
    _description = "Motivation Level (points threshold)"
    _order = "scheme_id, min_points, id"

    scheme_id = fields.Many2one("motivation.scheme", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="scheme_id.company_id", store=True)
    active = fields.Boolean(
        default=True,
        help="An archived level is reached no more; the closed periods that reached it keep it.",
    )
    name = fields.Char(required=True, translate=True)
    min_points = fields.Float(string="From Points", required=True)
    salary_share = fields.Float(
        string="Share of Base Salary",
        default=1.0,
        digits=(16, 4),
        help="Part of the base salary paid at this level (1.0 = 100%).",
    )
    commission_rate = fields.Float(
        string="Commission (%)", digits=(16, 2), help="Percent of the revenue paid at this level."
    )

    _sql_constraints = [
        (
            "min_points_unique",
            "unique(scheme_id, min_points)",
            "Two levels of the same scheme cannot start at the same points.",
        ),
    ]

    @api.constrains("min_points", "salary_share", "commission_rate")
    def _check_values(self):
        for level in self:
            if level.min_points < 0 or level.salary_share < 0 or level.commission_rate < 0:
                raise ValidationError(
                    self.env._(
                        "Level “%(level)s”: From Points, Share of Base Salary and Commission "
                        "cannot be negative.",
                        level=level.name,
                    )
                )

    # ------------------------------------------------------------------ CRUD

    def unlink(self):
        """A closed period keeps the level it reached (the database restricts it too):
        archive it instead. Open periods that reached it are recomputed."""
        self.check_access("unlink")
        scores = self.env["motivation.score"].search([("level_id", "in", self.ids)])
        closed = scores.filtered(lambda score: score.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "Level “%(level)s” is the level of closed periods (%(scores)s): archive it "
                    "instead of deleting it.",
                    level=", ".join(closed.level_id.mapped("name")),
                    scores=", ".join(closed[:5].mapped("name")),
                )
            )
        scores.write({"level_id": False})
        result = super().unlink()
        scores._compute_scores()
        return result
