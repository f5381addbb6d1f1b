from odoo import api, fields, models
from odoo.exceptions import ValidationError


class MotivationScheme(models.Model):
    _name = "motivation.scheme"
    _description = "Motivation Scheme"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    base_salary = fields.Monetary(help="Monthly fixed part of the pay.")
    user_ids = fields.Many2many("res.users", string="Managers", check_company=True)
    team_ids = fields.Many2many("crm.team", string="Sales Teams", check_company=True)
    member_ids = fields.Many2many("res.users", string="Participants", compute="_compute_member_ids")
    action_ids = fields.One2many("motivation.action", "scheme_id", string="Actions", copy=True)
    level_ids = fields.One2many("motivation.level", "scheme_id", string="Levels", copy=True)
    score_ids = fields.One2many("motivation.score", "scheme_id", string="Scores")

    @api.depends("user_ids", "team_ids.member_ids")
    def _compute_member_ids(self):
        for scheme in self:
            scheme.member_ids = scheme.user_ids | scheme.team_ids.member_ids

    @api.constrains("base_salary")
    def _check_base_salary(self):
        for scheme in self:
            if scheme.base_salary < 0:
                raise ValidationError(
                    self.env._(
                        "Motivation scheme “%(scheme)s”: the Base Salary cannot be negative.",
                        scheme=scheme.name,
                    )
                )

    @api.constrains("active", "user_ids", "team_ids")
    def _check_one_scheme_per_manager(self):
        schemes = self.search([("active", "=", True)])
        for scheme in self.filtered("active"):
            others = schemes - scheme
            shared = scheme.member_ids & others.member_ids
            if shared:
                raise ValidationError(
                    self.env._(
                        "Motivation scheme “%(scheme)s”: %(users)s already take part in another "
                        "active scheme; a manager is paid by one scheme.",
                        scheme=scheme.name,
                        users=", ".join(shared.mapped("name")),
                    )
                )

    def _level_for(self, points):
        """The highest level whose threshold the points reach (levels sorted by points)."""
        self.ensure_one()
        reached = self.level_ids.filtered(lambda level: level.active and level.min_points <= points)
        return reached.sorted("min_points")[-1:] if reached else self.env["motivation.level"]
