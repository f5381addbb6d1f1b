from odoo import api, fields, models
from odoo.exceptions import ValidationError


class MotivationLevel(models.Model):
    _name = "motivation.level"
    _description = "Motivation Level (points threshold)"
    _order = "scheme_id, min_points, id"

    scheme_id = fields.Many2one("motivation.scheme", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="scheme_id.company_id", store=True)
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
