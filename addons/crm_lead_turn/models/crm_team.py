from odoo import api, fields, models

from .turn_wheel import turn_wheel

# ir.sequence.code of a team's turn counter: the prefix and the team's id
TURN_SEQUENCE_CODE = "crm_lead_turn.team_"


class CrmTeam(models.Model):
    """Members of a team in turn ("последовательное распределение по списку").

    The team's turns are counted by a PostgreSQL sequence of its own (an ``ir.sequence``
    of the standard implementation): taking a turn is one ``nextval``, which locks no row
    and is never rolled back, so any number of leads created at once, in any number of
    workers, each take a different turn and nobody waits or meets a serialization
    error; the count survives restarts. The turn number, modulo the cycle of the
    eligible members (:func:`turn_wheel`), names the member.
    """

    _inherit = "crm.team"

    turn_weighted = fields.Boolean(
        string="Turns Weighted by Capacity",
        help="Members take turns in proportion to their capacity (the leads per 30 days "
        "of each member): a member of capacity 60 gets two turns for one of a member of "
        "capacity 30; a member of capacity 0 gets none.",
    )
    turn_daily_cap = fields.Boolean(
        string="Turns Capped per Day",
        help="A member is skipped once they received their daily share of this team's "
        "leads in the last 24 hours: their capacity (leads per 30 days) divided by 30, "
        "rounded, as CRM's own lead assignment counts it (capacity 30 = 1 lead a day, "
        "capacity 0 = none).",
    )

    # ---------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._turn_ensure_sequences()
        return teams

    def unlink(self):
        sequences = self._turn_sequences()
        result = super().unlink()
        # sudo: the counters are the teams' bookkeeping, deleted with them by whoever may
        # delete the teams; ir.sequence.unlink drops their PostgreSQL sequences
        sequences.sudo().unlink()
        return result

    # ------------------------------------------------------------- actions
    def action_turn_members(self):
        """The members of the team with what their turns depend on: opt-out, capacity,
        daily share and the leads of the last 24 hours."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Members in Turn: %(team)s", team=self.name),
            "res_model": "crm.team.member",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("crm_lead_turn.crm_team_member_view_list_turn").id, "list"),
                (False, "form"),
            ],
            "domain": [("crm_team_id", "=", self.id)],
            "context": {"default_crm_team_id": self.id},
        }

    # ------------------------------------------------------------- helpers
    def _turn_sequence_code(self):
        self.ensure_one()
        return f"{TURN_SEQUENCE_CODE}{self.id}"

    def _turn_sequences(self):
        """The turn counters of self (ir.sequence, sudo)."""
        if not self.ids:
            return self.env["ir.sequence"].sudo()
        # sudo: the counters are technical records nobody but this mechanism reads
        return (
            self.env["ir.sequence"]
            .sudo()
            .with_context(active_test=False)
            .search([("code", "in", [team._turn_sequence_code() for team in self])])
        )

    def _turn_ensure_sequences(self):
        """Create the turn counter of each team of self that has none. Done when a team
        is created and, for the teams already there, when the module is installed: taking
        a turn then never writes anything but the sequence."""
        existing = set(self._turn_sequences().mapped("code"))
        values = [
            {
                "name": f"Lead turns of team {team.id}",
                "code": team._turn_sequence_code(),
                "implementation": "standard",
                "number_next": 1,
                "number_increment": 1,
                "padding": 0,
                "company_id": False,
            }
            for team in self
            if team._turn_sequence_code() not in existing
        ]
        if values:
            # sudo: a technical counter, created along the team by whoever creates it
            self.env["ir.sequence"].sudo().create(values)

    def _turn_members(self):
        """The members of self who take turns, in the team's order (who joined first
        first): active memberships of active internal users who did not opt out of
        assignment (*Skip auto assignment*); with :attr:`turn_weighted`, only those of a
        capacity above 0. Read with sudo: the distribution sees every member of the team
        whoever creates the lead (a salesperson, a script, the mail gateway)."""
        self.ensure_one()
        members = (
            self.env["crm.team.member"]
            .sudo()
            .search([("crm_team_id", "=", self.id), ("assignment_optout", "=", False)])
        )
        members = members.filtered(
            lambda member: member.user_id.active and not member.user_id.share
        )
        if self.turn_weighted:
            members = members.filtered(lambda member: member.assignment_max > 0)
        return members

    def _turn_capped(self, members):
        """Of ``members``, those who already had their share of the day (see
        :attr:`turn_daily_cap`): CRM's daily quota (capacity / 30, rounded half up) against
        the leads of this team assigned to them in the last 24 hours. One count for all."""
        if not self.turn_daily_cap or not members:
            return members.browse()
        # counted afresh at each turn: the leads given earlier in the same transaction
        # (a script's or an import's leads one after another) count too
        members.invalidate_recordset(["lead_day_count"])
        return members.filtered(lambda member: member.lead_day_count >= member.turn_daily_quota)

    def _turn_weights(self, members):
        """((user id, weight), ...) of ``members`` in their order, for :func:`turn_wheel`."""
        if self.turn_weighted:
            return tuple((member.user_id.id, member.assignment_max) for member in members)
        return tuple((member.user_id.id, 1) for member in members)

    def _turn_take_ticket(self):
        """The next turn number of the team (1, 2, 3...): a ``nextval`` of its sequence,
        no row locked or written. A turn taken by a creation that is then rolled back is
        lost: the next lead goes to the member after."""
        self.ensure_one()
        sequence = self._turn_sequences()[:1]
        if not sequence:
            # a team made before the module, missed by its install hook: the counter is
            # created once here; two creations meeting here create two counters and the
            # first one (lowest id) is used by everyone from then on
            self._turn_ensure_sequences()
            sequence = self._turn_sequences().sorted("id")[:1]
        return int(sequence.next_by_id())

    def _turn_next(self):
        """Take the next turn of the team: ``(ticket, user)``, the user an empty
        recordset when no member can take it (none, all opted out, all capped today).

        Consecutive tickets go to consecutive slots of the cycle of the eligible members:
        never the same person twice in a row while the cycle allows it (see
        :func:`turn_wheel`)."""
        self.ensure_one()
        team = self.sudo()  # sudo: members and their capacities, whoever creates the lead
        members = team._turn_members()
        members -= team._turn_capped(members)
        wheel = turn_wheel(team._turn_weights(members))
        if not wheel:
            return None, self.env["res.users"]
        ticket = team._turn_take_ticket()
        return ticket, self.env["res.users"].browse(wheel[(ticket - 1) % len(wheel)])

    def _turn_next_user(self):
        """The salesperson whose turn it is for a new lead of this team (``res.users``,
        empty when no member can take it). The one entry point of the suite's turn-taking:
        call it once per lead."""
        return self._turn_next()[1]
