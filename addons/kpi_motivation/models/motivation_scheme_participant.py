from odoo import fields, models


class MotivationSchemeParticipant(models.Model):
    """A manager paid by an active scheme: one row per manager at most, a unique
    constraint of the database. The rows are computed by the scheme from its managers and
    the members of its teams (``motivation.scheme.participant_ids``), which checks them
    first (``motivation.scheme._check_paid_once``)."""

    _name = "motivation.scheme.participant"
    _description = "Motivation Scheme Participant"
    _order = "scheme_id, user_id"
    _rec_name = "user_id"

    scheme_id = fields.Many2one("motivation.scheme", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", string="Manager", required=True, ondelete="cascade")

    _sql_constraints = [
        (
            "user_unique",
            "unique(user_id)",
            "A manager takes part in one active motivation scheme: a manager is paid by one "
            "scheme.",
        ),
    ]
