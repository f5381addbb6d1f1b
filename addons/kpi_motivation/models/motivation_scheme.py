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
    participant_ids = fields.One2many(
        "motivation.scheme.participant",
        "scheme_id",
        string="Paid Participants",
        compute="_compute_participant_ids",
        store=True,
        help="The participants of an active scheme, one scheme per manager (a database "
        "constraint).",
    )
    action_ids = fields.One2many("motivation.action", "scheme_id", string="Actions", copy=True)
    level_ids = fields.One2many("motivation.level", "scheme_id", string="Levels", copy=True)
    score_ids = fields.One2many("motivation.score", "scheme_id", string="Scores")

    @api.depends("user_ids", "team_ids.member_ids")
    def _compute_member_ids(self):
        for scheme in self:
            scheme.member_ids = scheme.user_ids | scheme.team_ids.member_ids

    @api.depends("active", "member_ids")
    def _compute_participant_ids(self):
        """The rows that make "one active scheme per manager" a constraint of the database.
        The managers who leave a scheme are removed first, so that a manager moved from one
        scheme's team to another's in one save is never in two."""
        Participant = self.env["motivation.scheme.participant"]
        schemes = self.filtered("id")
        (self - schemes).participant_ids = Participant
        current = Participant.search([("scheme_id", "in", schemes.ids)])
        paid = {
            scheme: scheme.member_ids if scheme.active else scheme.user_ids[:0]
            for scheme in schemes
        }
        current.filtered(lambda p: p.user_id not in paid[p.scheme_id]).unlink()
        current = current.exists()
        kept = {
            scheme: current.filtered(lambda p, s=scheme: p.scheme_id == s) for scheme in schemes
        }
        added = {scheme: paid[scheme] - kept[scheme].user_id for scheme in schemes}
        self._check_paid_once(added)
        for scheme in schemes:
            scheme.participant_ids = kept[scheme] | Participant.create(
                [{"scheme_id": scheme.id, "user_id": user.id} for user in added[scheme]]
            )

    @api.model
    def _check_paid_once(self, added):
        """Refuse managers about to join a scheme ({scheme: users}) while another active
        scheme pays them: the first line of defence, before the unique constraint of the
        database, which refuses what two concurrent saves would let through."""
        Users = self.env["res.users"]
        users = Users.union(*added.values())
        # sudo: a manager is paid by one scheme whatever its company, so the schemes of
        # companies the user does not see count too; only this scheme's managers are named
        taken = (
            self.env["motivation.scheme.participant"]
            .sudo()
            .search([("user_id", "in", users.ids)])
            .user_id
        )
        seen = Users
        for scheme, joining in added.items():
            shared = joining & (taken | seen)
            if shared:
                raise ValidationError(
                    self.env._(
                        "Motivation scheme “%(scheme)s”: %(users)s already take part in another "
                        "active scheme; a manager is paid by one scheme.",
                        scheme=scheme.name,
                        users=", ".join(shared.mapped("name")),
                    )
                )
            seen |= joining

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
        """A manager is paid by one active scheme: computing the participants now runs
        the check (``_check_paid_once``) in this save."""
        self.flush_recordset(["participant_ids"])

    def _level_for(self, points):
        """The highest level whose threshold the points reach (levels sorted by points)."""
        self.ensure_one()
        reached = self.level_ids.filtered(lambda level: level.active and level.min_points <= points)
        return reached.sorted("min_points")[-1:] if reached else self.env["motivation.level"]
