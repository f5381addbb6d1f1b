import logging

from markupsafe import Markup
from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .tools import expected_sql_error

_logger = logging.getLogger(__name__)

# the pair constraints below, as PostgreSQL names them
PAIR_CONSTRAINTS = ("customer_need_match_pair_need_uniq", "customer_need_match_pair_order_uniq")


class CustomerNeedMatch(models.Model):
    """Bookkeeping of the duplicate detection: only the detection (a trusted private
    path, as sudo) creates and updates matches; users read the matches of the needs they
    may read and dismiss them through ``action_dismiss``."""

    _name = "customer.need.match"
    _description = "Possible Duplicate of a Customer Need"
    _order = "state, score desc, id desc"
    _check_company_auto = True

    need_id = fields.Many2one(
        "customer.need", required=True, readonly=True, ondelete="cascade", index=True, string="Need"
    )
    matched_need_id = fields.Many2one(
        "customer.need",
        readonly=True,
        ondelete="cascade",
        index="btree_not_null",
        check_company=True,
        string="Matched Need",
    )
    matched_order_id = fields.Many2one(
        "sale.order",
        readonly=True,
        ondelete="cascade",
        index="btree_not_null",
        check_company=True,
        string="Matched Quotation",
    )
    match_type = fields.Selection(
        [("exact", "Exact"), ("similar", "Similar")], required=True, readonly=True, string="Match"
    )
    score = fields.Float(
        digits=(3, 2),
        required=True,
        readonly=True,
        help="Jaccard overlap of the product sets (0–1)",
    )
    state = fields.Selection(
        [("open", "Open"), ("dismissed", "Dismissed")],
        default="open",
        required=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="need_id.company_id", store=True)
    need_user_id = fields.Many2one(related="need_id.user_id", string="Manager")
    matched_name = fields.Char(compute="_compute_matched", compute_sudo=True, string="Matched")
    matched_partner_id = fields.Many2one(
        "res.partner", compute="_compute_matched", compute_sudo=True, string="Its Customer"
    )
    matched_user_id = fields.Many2one(
        "res.users", compute="_compute_matched", compute_sudo=True, string="Its Manager"
    )
    matched_state = fields.Char(compute="_compute_matched", compute_sudo=True, string="Its State")

    _sql_constraints = [
        (
            "pair_need_uniq",
            "UNIQUE(need_id, matched_need_id)",
            "A need is matched only once with another need.",
        ),
        (
            "pair_order_uniq",
            "UNIQUE(need_id, matched_order_id)",
            "A need is matched only once with a quotation.",
        ),
        (
            "one_target",
            "CHECK((matched_need_id IS NULL) != (matched_order_id IS NULL))",
            "A match points to exactly one need or one quotation.",
        ),
    ]

    @api.depends("matched_need_id", "matched_order_id")
    def _compute_matched(self):
        for match in self:
            target = match.matched_need_id or match.matched_order_id
            match.matched_name = target.display_name
            match.matched_partner_id = target.partner_id
            match.matched_user_id = target.user_id
            field = target._fields.get("state")
            match.matched_state = (
                dict(field._description_selection(self.env)).get(target.state) if target else False
            )

    @api.constrains("need_id", "matched_need_id")
    def _check_not_self(self):
        for match in self:
            if match.need_id == match.matched_need_id:
                raise ValidationError(
                    self.env._("Need %(need)s cannot match itself.", need=match.need_id.name)
                )

    def _is_live(self):
        """An open match whose other side can still be the same demand."""
        self.ensure_one()
        if self.state != "open":
            return False
        if self.matched_order_id:
            order = self.matched_order_id
            return order.state != "cancel" and bool(order.opportunity_id.active)
        return self.matched_need_id.state == "open"

    def action_dismiss(self):
        """Dismiss these possible duplicates (both halves of a pair of needs).

        The one thing a user decides on a match: allowed on the matches of the needs the
        user may write, refused on any other."""
        self.need_id.check_access("write")
        halves = {(match.need_id.id, match.matched_need_id.id) for match in self}
        # the reverse half of a pair belongs to the other manager's need, which the user
        # may not read: it is found as sudo, and only the halves of these pairs are kept
        reverse = (
            self.sudo()
            .search(
                [
                    ("need_id", "in", self.matched_need_id.ids),
                    ("matched_need_id", "in", self.need_id.ids),
                ]
            )
            .filtered(lambda m: (m.matched_need_id.id, m.need_id.id) in halves)
        )
        # matches are read-only for users (bookkeeping of the detection): the state, and
        # only the state, is written as sudo once the user's right on the need is checked
        (self.sudo() | reverse).filtered(lambda m: m.state == "open").write({"state": "dismissed"})
        return True

    def action_open_matched(self):
        self.ensure_one()
        target = self.matched_need_id or self.matched_order_id
        return {
            "type": "ir.actions.act_window",
            "res_model": target._name,
            "res_id": target.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    @api.model
    def _create_pairs(self, groups):
        """Create the matches of ``groups`` (lists of values, each list one pair: both
        halves of two needs, or one need and a deal) and return those created.

        Each pair is created in a savepoint: when a concurrent save created the same pair
        first (its transaction committed after this one's snapshot, so the detection
        could not see it), the pair constraints refuse it, and it is skipped here: that
        save notified it. Pairs are created in one global order (the lowest ids first),
        so two saves creating the same pairs wait for each other instead of deadlocking.
        """
        created = self.browse()
        for group in sorted(groups, key=self._pair_order):
            vals_list = sorted(group, key=self._pair_order_half)
            try:
                with self.env.cr.savepoint(), expected_sql_error():
                    created |= self.create(vals_list)
                    self.env.flush_all()
            except errors.UniqueViolation as error:
                if error.diag.constraint_name not in PAIR_CONSTRAINTS:
                    raise
                _logger.info(
                    "Need match %s created by a concurrent save, skipped",
                    [(v["need_id"], v.get("matched_need_id") or v.get("matched_order_id"))
                     for v in vals_list],
                )  # fmt: skip
        return created

    @staticmethod
    def _pair_order_half(vals):
        return (
            bool(vals.get("matched_order_id")),
            vals["need_id"],
            vals.get("matched_need_id") or vals.get("matched_order_id"),
        )

    @classmethod
    def _pair_order(cls, vals_list):
        return min(cls._pair_order_half(vals) for vals in vals_list)

    def _match_texts(self):
        """The activity summary and note of this match, in the language of the context."""
        self.ensure_one()
        need = self.need_id
        other = self.matched_need_id or self.matched_order_id
        kind = dict(self._fields["match_type"]._description_selection(self.env))[self.match_type]
        summary = self.env._(
            "Possible duplicate need: %(need)s / %(other)s",
            need=need.name,
            other=other.display_name,
        )
        note = self.env._(
            "%(kind)s match (%(score)s%%) between the need %(need)s of %(need_user)s "
            "for %(need_partner)s and %(other)s of %(other_user)s for %(other_partner)s. "
            "Decide which one is real.",
            kind=kind,
            score=round(self.score * 100),
            need=need.name,
            need_user=need.user_id.name,
            need_partner=need.partner_id.display_name,
            other=other.display_name,
            other_user=other.user_id.name or "-",
            other_partner=other.partner_id.display_name,
        )
        return summary, note

    def _notify_new_match(self):
        """One activity per person concerned, a chatter message on both records."""
        if not self:
            return
        heads = (
            self.env.ref("needs_registry.group_need_manager")
            .sudo()
            .users.filtered(lambda u: not u.share and u.active)
        )
        for match in self.sudo():
            need = match.need_id
            other = match.matched_need_id or match.matched_order_id
            texts = {}  # (summary, note) per language: each person reads their own
            notified = set()
            targets = [(need.user_id, need), (other.user_id, other)]
            targets += [(head, need) for head in heads if need.company_id in head.company_ids]
            for user, record in targets:
                if not user or user.id in notified:
                    continue
                notified.add(user.id)
                lang = user.lang or self.env.lang
                if lang not in texts:
                    texts[lang] = match.with_context(lang=lang)._match_texts()
                summary, note = texts[lang]
                record.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=summary,
                    note=note,
                    user_id=user.id,
                )
            # the chatter, read by all, in the language of the one who saved
            if self.env.lang not in texts:
                texts[self.env.lang] = match._match_texts()
            note = texts[self.env.lang][1]
            body = Markup("%s<br/>%s") % (
                note,
                Markup(self.env._("See %(need)s and %(other)s."))
                % {"need": need._get_html_link(), "other": other._get_html_link()},
            )
            need.message_post(body=body, subtype_xmlid="mail.mt_note")
            other.message_post(body=body, subtype_xmlid="mail.mt_note")
