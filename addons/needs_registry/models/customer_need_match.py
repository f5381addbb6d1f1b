import logging
from collections import defaultdict

from markupsafe import Markup
from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_round

from .tools import expected_sql_error

_logger = logging.getLogger(__name__)

# the pair constraints below, as PostgreSQL names them
PAIR_CONSTRAINTS = ("customer_need_match_pair_need_uniq", "customer_need_match_pair_order_uniq")
# how the customers of the two records are linked, strongest first, with the weight each
# gives to the customer part of the likelihood (see customer.need._likelihood_values)
CUSTOMER_LINKS = [
    ("same", "Same customer"),
    ("delivery", "Same end customer"),
    ("vat", "Same INN"),
    ("twin", "Likely the same company"),
    ("history", "Dealer of this customer"),
    ("none", "Other customer"),
]
# the columns the detection inserts (see _insert), their SQL types and defaults
INSERTED_FIELDS = (
    "need_id",
    "matched_need_id",
    "matched_order_id",
    "match_type",
    "score",
    "likelihood",
    "customer_link",
    "place_link",
    "period_overlap",
    "quantity_overlap",
    "relevance",
    "state",
    "notified",
)
COLUMN_TYPES = {
    "need_id": "int4",
    "matched_need_id": "int4",
    "matched_order_id": "int4",
    "match_type": "varchar",
    "score": "numeric",
    "likelihood": "numeric",
    "customer_link": "varchar",
    "place_link": "varchar",
    "period_overlap": "numeric",
    "quantity_overlap": "numeric",
    "relevance": "varchar",
    "state": "varchar",
    "notified": "bool",
}
ARRAY_OF = {
    "int4": "%s::int4[]",
    "varchar": "%s::varchar[]",
    "numeric": "%s::numeric[]",
    "bool": "%s::bool[]",
}
INSERT_DEFAULTS = {
    "likelihood": 0.0,
    "customer_link": "none",
    "place_link": "none",
    "period_overlap": 0.0,
    "quantity_overlap": 0.0,
    "relevance": "likely",
    "state": "open",
    "notified": False,
}
# the weight of each part of the likelihood (they add up to 1), and of each kind of link
WEIGHTS = {"customer": 0.5, "place": 0.2, "period": 0.15, "quantity": 0.15}
CUSTOMER_WEIGHTS = {
    "same": 1.0,
    "delivery": 1.0,
    "vat": 1.0,
    "twin": 0.8,
    "history": 0.6,
    "none": 0.0,
}
PLACE_WEIGHTS = {"address": 1.0, "city": 1.0, "region": 0.5, "none": 0.0}
# the most matches a notice lists (the most likely first)
NOTICE_LINES = 30
# the period of a need without an end, and of a quotation without a delivery date (days)
PERIOD_DAYS = 90
PLACE_LINKS = [
    ("address", "Same delivery address"),
    ("city", "Same city"),
    ("region", "Same region"),
    ("none", "Elsewhere or unknown"),
]


class CustomerNeedMatch(models.Model):
    """Bookkeeping of the duplicate detection: only the detection (a trusted private
    path, as sudo) creates and updates matches; users read the matches of the needs they
    may read and dismiss them through ``action_dismiss``."""

    _name = "customer.need.match"
    _description = "Possible Duplicate of a Customer Need"
    _order = "state, likelihood desc, score desc, id desc"
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
        aggregator="avg",
        help="Jaccard overlap of the product sets (0–1)",
    )
    # how likely the two records are the same end customer's demand (see _likelihood):
    # internal judgement of the detection, read by the registry's users only
    likelihood = fields.Float(
        digits=(3, 2),
        readonly=True,
        aggregator="avg",
        groups="needs_registry.group_need_user",
        help="How likely the two records are the same end customer's demand (0–1): the "
        "customers (weight 50%), the delivery place (20%), the need periods (15%) and the "
        "quantities (15%). See the reason.",
    )
    customer_link = fields.Selection(
        CUSTOMER_LINKS,
        readonly=True,
        default="none",
        required=True,
        groups="needs_registry.group_need_user",
        string="Customers",
    )
    place_link = fields.Selection(
        PLACE_LINKS,
        readonly=True,
        default="none",
        required=True,
        groups="needs_registry.group_need_user",
        string="Delivery Place",
    )
    period_overlap = fields.Float(
        digits=(3, 2),
        readonly=True,
        aggregator="avg",
        groups="needs_registry.group_need_user",
        string="Periods in Common",
        help="Share of the shorter of the two need periods that the other covers (0–1).",
    )
    quantity_overlap = fields.Float(
        digits=(3, 2),
        readonly=True,
        aggregator="avg",
        groups="needs_registry.group_need_user",
        string="Quantities in Common",
        help="The quantities both ask for, over the quantities either asks for, product by "
        "product in the product's unit (0–1).",
    )
    likelihood_reason = fields.Char(
        compute="_compute_likelihood_reason",
        groups="needs_registry.group_need_user",
        string="Why",
    )
    relevance = fields.Selection(
        [("likely", "Possible duplicate"), ("elsewhere", "Same composition elsewhere")],
        readonly=True,
        default="likely",
        required=True,
        index=True,
        string="Listed As",
        help="Possible duplicate: the likelihood reached the notification threshold when "
        "the match was last evaluated, the managers concerned and the heads of sales were "
        "told. Same composition elsewhere: below it, listed for analysis only.",
    )
    notified = fields.Boolean(
        readonly=True,
        copy=False,
        help="The managers concerned and the heads of sales were told about this match.",
    )
    # the notices (activities) listing this match: a later save adds its matches to the
    # open notice of each person instead of giving them another one
    notice_ids = fields.Many2many(
        "mail.activity",
        "customer_need_match_notice_rel",
        "match_id",
        "activity_id",
        readonly=True,
        copy=False,
        string="Notices",
    )
    state = fields.Selection(
        [("open", "Open"), ("dismissed", "Dismissed")],
        default="open",
        required=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="need_id.company_id", store=True, precompute=True)
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

    def _reverse_halves(self):
        """The other half of each pair of needs among these matches."""
        pairs = {(match.matched_need_id.id, match.need_id.id) for match in self}
        return self.search(
            [
                ("need_id", "in", self.matched_need_id.ids),
                ("matched_need_id", "in", self.need_id.ids),
            ]
        ).filtered(lambda m: (m.need_id.id, m.matched_need_id.id) in pairs)

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

        All of them at once, in a savepoint. When a concurrent save created one of the
        same pairs first (its transaction committed after this one's snapshot, so the
        detection could not see it), the pair constraints refuse the batch: the pairs
        are then created one by one, each in a savepoint, and those refused are skipped
        here: that save notified them. Pairs are created in one global order (the lowest
        ids first), so two saves creating the same pairs wait for each other instead of
        deadlocking.
        """
        groups = sorted(
            (sorted(group, key=self._pair_order_half) for group in groups), key=self._pair_order
        )
        if not groups:
            return self.browse()
        try:
            with self.env.cr.savepoint(), expected_sql_error():
                return self._insert([vals for group in groups for vals in group])
        except errors.UniqueViolation as error:
            if error.diag.constraint_name not in PAIR_CONSTRAINTS:
                raise
        created = self.browse()
        for vals_list in groups:
            try:
                with self.env.cr.savepoint(), expected_sql_error():
                    created |= self._insert(vals_list)
            except errors.UniqueViolation as error:
                if error.diag.constraint_name not in PAIR_CONSTRAINTS:
                    raise
                _logger.info(
                    "Need match %s created by a concurrent save, skipped",
                    [(v["need_id"], v.get("matched_need_id") or v.get("matched_order_id"))
                     for v in vals_list],
                )  # fmt: skip
        return created

    @api.model
    def _insert(self, vals_list):
        """Insert the matches of ``vals_list``, in this order, in one statement; return
        them.

        The detection's own bookkeeping table, written in SQL: a popular product set
        makes a hundred matches in one save, which the ORM's create takes a third of a
        millisecond each to prepare. What the ORM would check holds by construction: the
        detection pairs only the open needs and deals of the need's company, never a
        need with itself (the table's constraints still refuse a pair twice and a match
        pointing at both a need and a deal). The company is the need's, as the related
        field computes it."""
        columns = INSERTED_FIELDS
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO customer_need_match (%(columns)s, company_id, create_uid, write_uid,
                                             create_date, write_date)
            SELECT %(selected)s, need.company_id, %(uid)s, %(uid)s,
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM unnest(%(arrays)s) WITH ORDINALITY AS v(%(columns)s, position)
              JOIN customer_need need ON need.id = v.need_id
             ORDER BY v.position
            RETURNING customer_need_match.id
            """,
                columns=SQL(", ").join(SQL.identifier(fname) for fname in columns),
                selected=SQL(", ").join(SQL.identifier("v", fname) for fname in columns),
                uid=self.env.uid,
                arrays=SQL(", ").join(
                    SQL(
                        ARRAY_OF[COLUMN_TYPES[fname]],
                        [self._column_value(fname, vals) for vals in vals_list],
                    )
                    for fname in columns
                ),
            )
        )
        created = self.browse(row[0] for row in self.env.cr.fetchall())
        # the needs list their matches: what they cached is stale
        self.env["customer.need"].browse(
            {vals["need_id"] for vals in vals_list}
            | {vals["matched_need_id"] for vals in vals_list if vals.get("matched_need_id")}
        ).invalidate_recordset(
            ["match_ids", "likely_match_ids", "elsewhere_match_ids", "open_match_count",
             "elsewhere_match_count"]
        )  # fmt: skip
        return created

    @staticmethod
    def _column_value(fname, vals):
        """The value of ``fname`` in ``vals`` as its column holds it (the ORM's rounding
        of a float to its two digits, NULL for an empty many2one)."""
        value = vals.get(fname, INSERT_DEFAULTS.get(fname))
        if COLUMN_TYPES[fname] == "bool":
            return bool(value)
        if value is None or value is False:
            return None
        if COLUMN_TYPES[fname] == "numeric":
            return float_round(value, precision_digits=2)
        return value

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

    # ------------------------------------------------------------ the likelihood
    @api.model
    def _likelihood_values(self, me, need_ids=(), order_ids=()):
        """How likely each need of ``need_ids`` and each quotation of ``order_ids`` is the
        same end customer's demand as ``me`` (a need or a quotation), from what the
        records hold, in one SQL: {(model name, id): values of the match}.

        The end customer of a record is the company of its delivery address (the
        customer itself unless a dealer delivers to someone else). The customers are
        linked when they are the same, when one record delivers to the other's end
        customer (a dealer and its end customer), when the end customers share the INN,
        or a name or phone (a likely duplicate partner), or when one customer has
        delivered to the other's end customer before (an order of the dealer to it). The
        place compares the delivery addresses (the same one, its city, its region); the
        periods, the need periods (a quotation's runs from its date to its delivery
        date, or ``PERIOD_DAYS`` days); the quantities, product by product in the
        product's reference unit (what both ask for over what either asks for).
        """
        kind = "need" if me._name == "customer.need" else "order"
        need_ids = list(set(need_ids) | ({me.id} if kind == "need" else set()))
        order_ids = list(set(order_ids) | ({me.id} if kind == "order" else set()))
        self.env.cr.execute(
            SQL(
                """
            WITH side AS (
                SELECT 'need' AS kind, n.id, n.commercial_partner_id AS customer,
                       ship.id AS ship, ship.commercial_partner_id AS end_customer,
                       NULLIF(lower(btrim(ship.city)), '') AS city, ship.state_id,
                       n.date_start AS day_from,
                       GREATEST(COALESCE(n.date_end, n.date_start + %(days)s), n.date_start)
                           AS day_to
                  FROM customer_need n
                  JOIN res_partner ship ON ship.id = COALESCE(n.partner_shipping_id, n.partner_id)
                 WHERE n.id = ANY(%(need_ids)s)
                 UNION ALL
                SELECT 'order', so.id, p.commercial_partner_id,
                       ship.id, ship.commercial_partner_id,
                       NULLIF(lower(btrim(ship.city)), ''), ship.state_id,
                       so.date_order::date,
                       GREATEST(COALESCE(so.commitment_date::date,
                                         so.date_order::date + %(days)s), so.date_order::date)
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                  JOIN res_partner ship
                    ON ship.id = COALESCE(so.partner_shipping_id, so.partner_id)
                 WHERE so.id = ANY(%(order_ids)s)
            ),
            keyed AS (
                SELECT side.*, e.normalized_vat AS vat, e.normalized_name AS name_key,
                       e.normalized_phone AS phone_key
                  FROM side JOIN res_partner e ON e.id = side.end_customer
            ),
            qty AS (
                SELECT 'need' AS kind, l.need_id AS id, l.product_id,
                       SUM(l.product_uom_qty / u.factor) AS q
                  FROM customer_need_line l JOIN uom_uom u ON u.id = l.product_uom
                 WHERE l.need_id = ANY(%(need_ids)s)
                 GROUP BY l.need_id, l.product_id
                 UNION ALL
                SELECT 'order', l.order_id, l.product_id, SUM(l.product_uom_qty / u.factor)
                  FROM sale_order_line l JOIN uom_uom u ON u.id = l.product_uom
                 WHERE l.order_id = ANY(%(order_ids)s) AND l.product_id IS NOT NULL
                 GROUP BY l.order_id, l.product_id
            ),
            totals AS (SELECT kind, id, SUM(q) AS total FROM qty GROUP BY kind, id),
            common AS (
                SELECT t.kind, t.id, SUM(LEAST(t.q, m.q)) AS shared
                  FROM qty t JOIN qty m ON m.product_id = t.product_id
                 WHERE m.kind = %(kind)s AND m.id = %(id)s
                 GROUP BY t.kind, t.id
            )
            SELECT o.kind, o.id,
                   CASE
                       WHEN o.end_customer = me.end_customer THEN
                           CASE WHEN o.customer = me.customer THEN 'same' ELSE 'delivery' END
                       WHEN o.customer = me.customer
                            AND (o.end_customer = o.customer OR me.end_customer = me.customer)
                           THEN 'same'
                       WHEN o.vat = me.vat THEN 'vat'
                       WHEN o.name_key = me.name_key OR o.phone_key = me.phone_key THEN 'twin'
                       WHEN EXISTS (
                           SELECT 1 FROM sale_order h
                             JOIN res_partner hp ON hp.id = h.partner_id
                             JOIN res_partner hs ON hs.id = h.partner_shipping_id
                            WHERE h.state != 'cancel'
                              AND hp.commercial_partner_id != hs.commercial_partner_id
                              AND ((hp.commercial_partner_id = me.customer
                                    AND hs.commercial_partner_id = o.end_customer)
                                   OR (hp.commercial_partner_id = o.customer
                                       AND hs.commercial_partner_id = me.end_customer)))
                           THEN 'history'
                       ELSE 'none'
                   END,
                   CASE
                       WHEN o.ship = me.ship THEN 'address'
                       WHEN o.city = me.city THEN 'city'
                       WHEN o.state_id = me.state_id THEN 'region'
                       ELSE 'none'
                   END,
                   GREATEST(0, LEAST(o.day_to, me.day_to) - GREATEST(o.day_from, me.day_from) + 1)
                       ::float / LEAST(o.day_to - o.day_from + 1, me.day_to - me.day_from + 1),
                   COALESCE(c.shared / NULLIF(tm.total + tot.total - c.shared, 0), 0)::float
              FROM keyed me
              JOIN keyed o ON (o.kind, o.id) != (me.kind, me.id)
              LEFT JOIN totals tm ON tm.kind = me.kind AND tm.id = me.id
              LEFT JOIN totals tot ON tot.kind = o.kind AND tot.id = o.id
              LEFT JOIN common c ON c.kind = o.kind AND c.id = o.id
             WHERE me.kind = %(kind)s AND me.id = %(id)s
            """,
                days=PERIOD_DAYS,
                need_ids=need_ids,
                order_ids=order_ids,
                kind=kind,
                id=me.id,
            )
        )
        models_of = {"need": "customer.need", "order": "sale.order"}
        return {
            (models_of[other_kind], other_id): self._likelihood_of(
                customer_link, place_link, period, quantity
            )
            for other_kind, other_id, customer_link, place_link, period, quantity in (
                self.env.cr.fetchall()
            )
        }

    @api.model
    def _likelihood_of(self, customer_link, place_link, period, quantity):
        """The values of a match for these links: the parts and their weighted sum."""
        period = min(max(period or 0.0, 0.0), 1.0)
        quantity = min(max(quantity or 0.0, 0.0), 1.0)
        likelihood = (
            WEIGHTS["customer"] * CUSTOMER_WEIGHTS[customer_link]
            + WEIGHTS["place"] * PLACE_WEIGHTS[place_link]
            + WEIGHTS["period"] * period
            + WEIGHTS["quantity"] * quantity
        )
        return {
            "likelihood": round(likelihood, 4),
            "customer_link": customer_link,
            "place_link": place_link,
            "period_overlap": round(period, 4),
            "quantity_overlap": round(quantity, 4),
        }

    @api.depends("customer_link", "place_link", "period_overlap", "quantity_overlap")
    @api.depends_context("lang")
    def _compute_likelihood_reason(self):
        customers = dict(self._fields["customer_link"]._description_selection(self.env))
        places = dict(self._fields["place_link"]._description_selection(self.env))
        for match in self:
            parts = [customers.get(match.customer_link, "")]
            if match.place_link and match.place_link != "none":
                parts.append(places[match.place_link])
            parts.append(
                self.env._(
                    "Periods %(percent)s%% in common", percent=round(match.period_overlap * 100)
                )
            )
            parts.append(
                self.env._(
                    "Quantities %(percent)s%% in common",
                    percent=round(match.quantity_overlap * 100),
                )
            )
            match.likelihood_reason = " · ".join(part for part in parts if part)

    # ----------------------------------------------------------------- notices
    def _notice_line(self):
        """One line of a notice or a chatter message: the two records, the likelihood
        and why (in the language of the context)."""
        self.ensure_one()
        need = self.need_id
        other = self.matched_need_id or self.matched_order_id
        kind = dict(self._fields["match_type"]._description_selection(self.env))[self.match_type]
        return self.env._(
            "%(need)s of %(need_user)s for %(need_partner)s and %(other)s of %(other_user)s "
            "for %(other_partner)s: likelihood %(likelihood)s%% (%(reason)s); %(kind)s "
            "match, %(score)s%% of the products.",
            need=need.name,
            need_user=need.user_id.name,
            need_partner=need.partner_id.display_name,
            other=other.display_name,
            other_user=other.user_id.name or "-",
            other_partner=other.partner_id.display_name,
            likelihood=round(self.likelihood * 100),
            reason=self.likelihood_reason,
            kind=kind,
            score=round(self.score * 100),
        )

    def _notice_texts(self, record):
        """The summary and the note of a notice on ``record`` listing these matches (the
        ``NOTICE_LINES`` most likely; the list of matches shows them all)."""
        matches = self.sorted(lambda m: (-m.likelihood, -m.score, m.id))
        if len(matches) == 1:
            # the other side of the match, seen from the record the notice is on (a need
            # or a quotation)
            target = matches.matched_need_id or matches.matched_order_id
            on_need = (record._name, record.id) == ("customer.need", matches.need_id.id)
            summary = self.env._(
                "Possible duplicate need: %(need)s / %(other)s",
                need=record.display_name,
                other=(target if on_need else matches.need_id).display_name,
            )
        else:
            summary = self.env._(
                "Possible duplicate need: %(record)s (%(count)s matches)",
                record=record.display_name,
                count=len(matches),
            )
        lines = Markup().join(
            Markup("<li>%s</li>") % match._notice_line() for match in matches[:NOTICE_LINES]
        )
        if len(matches) > NOTICE_LINES:
            lines += Markup("<li>%s</li>") % self.env._(
                "… and %(count)s more: see Needs › Possible Duplicates.",
                count=len(matches) - NOTICE_LINES,
            )
        note = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "The same products are in other open needs or deals. Decide with the other "
                "manager and the head of sales which one is real:"
            ),
            lines,
        )
        return summary, note

    @api.model
    def _notify_save(self, saved, matches):
        """Tell the people concerned about ``matches``: the likely matches a save of
        ``saved`` (a need or a quotation) found or made likely.

        Each person gets one notice (activity) for the save, listing every match that
        concerns them: the manager of ``saved`` and the heads of sales on ``saved``, the
        manager of each other record on that record (the one of theirs most likely the
        same demand, when the save matched several). A person with an open notice on
        one of the records of those matches has it updated with them instead. Each record
        gets one chatter message listing its matches. The matches are marked notified.

        The other records and their managers' notices are not the saver's: this is the
        detection's bookkeeping, done as sudo (the caller's matches are sudo).
        """
        matches = matches.filtered(lambda m: m.state == "open" and not m.notified)
        if not matches:
            return
        matches = matches.sorted(lambda m: (-m.likelihood, -m.score, m.id))

        def other_of(match):
            if match.need_id == saved:
                return match.matched_need_id or match.matched_order_id
            return match.need_id

        # {user: [the record a new notice goes on, the records of the matches, matches]}:
        # an open notice of the person on any of those records is the one updated
        people = {}

        def concern(user, record, match_set):
            if not user or user.share or not user.active:
                return
            entry = people.setdefault(user, [record, set(), self.browse()])
            entry[1].add((record._name, record.id))
            for match in match_set:
                target = match.matched_need_id or match.matched_order_id
                entry[1].update(
                    {(match.need_id._name, match.need_id.id), (target._name, target.id)}
                )
            entry[2] |= match_set

        concern(saved.user_id, saved, matches)
        # the heads of sales work in the registry: told on the need saved, or for a deal
        # saved, on the need most likely its duplicate
        need = saved if saved._name == "customer.need" else matches[0].need_id
        heads = (
            self.env.ref("needs_registry.group_need_manager")
            .sudo()
            .users.filtered(lambda u: saved.company_id in u.company_ids)
        )
        for head in heads:
            concern(head, need, matches)
        for match in matches:
            other = other_of(match)
            concern(other.user_id, other, match)
        self._write_notices(people)
        # marked on both halves of a pair of needs: the other half is never notified again
        (matches | matches._reverse_halves()).write({"notified": True})
        self._post_save_messages(saved, matches, other_of)

    @api.model
    def _write_notices(self, people):
        """Create or update the notice of each person of ``people`` (see _notify_save)."""
        activity_type = self.env.ref("needs_registry.mail_activity_type_need_duplicate")
        open_notices = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("activity_type_id", "=", activity_type.id),
                    ("user_id", "in", [user.id for user in people]),
                ],
                order="id",
            )
        )
        today = fields.Date.context_today(self)
        to_create = []
        cache = {}  # the saver and the heads read the same list: written once per language

        def texts(matches, record, lang):
            key = (lang, record._name, record.id, tuple(sorted(matches.ids)))
            if key not in cache:
                cache[key] = matches.with_context(lang=lang)._notice_texts(record)
            return cache[key]

        for user, (record, keys, matches) in people.items():
            mine = open_notices.filtered(
                lambda a, u=user, k=keys: a.user_id == u and (a.res_model, a.res_id) in k
            )
            notice = (
                mine.filtered(lambda a, r=record: (a.res_model, a.res_id) == (r._name, r.id))[:1]
                or mine[:1]
            )
            lang = user.lang or self.env.lang
            if notice and self._lock_notice(notice):
                # the person's open notice: the new matches join the ones it lists
                self._link_notice(matches, notice)
                listed = self.search([("notice_ids", "in", notice.ids)])
                target = self.env[notice.res_model].browse(notice.res_id)
                summary, note = texts(listed, target, lang)
                notice.write({"summary": summary, "note": note})
                continue
            summary, note = texts(matches, record, lang)
            to_create.append(
                (
                    matches,
                    {
                        "activity_type_id": activity_type.id,
                        "res_model_id": self.env["ir.model"]._get_id(record._name),
                        "res_id": record.id,
                        "user_id": user.id,
                        "summary": summary,
                        "note": note,
                        "date_deadline": today,
                        "automated": True,
                    },
                )
            )
        if to_create:
            # automated notices, as core's reminders are: the activity in each person's
            # to-do list is the notice, without an "assigned to you" e-mail per save
            notices = (
                self.env["mail.activity"]
                .sudo()
                .with_context(mail_activity_quick_update=True)
                .create([vals for _m, vals in to_create])
            )
            for (matches, _vals), notice in zip(to_create, notices, strict=True):
                self._link_notice(matches, notice)

    @api.model
    def _lock_notice(self, notice):
        """Lock a person's open notice to add this save's matches to it, without
        waiting: a notice another save is updating at this moment, or has updated since
        this transaction began, is left to that save, and this one gives the person a
        notice of its own (two saves at the same moment never wait for, nor fail on,
        each other). Return whether the notice is locked for this transaction."""
        try:
            with self.env.cr.savepoint(flush=False), expected_sql_error():
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM mail_activity WHERE id = %s FOR NO KEY UPDATE NOWAIT",
                        notice.id,
                    )
                )
                return bool(self.env.cr.fetchone())
        except (errors.LockNotAvailable, errors.SerializationFailure):
            _logger.info("Notice %s is being updated by a concurrent save: a new one", notice.id)
            return False

    @api.model
    def _link_notice(self, matches, notice):
        """Record that ``notice`` lists ``matches`` (the relation is the detection's own
        table: one statement, whoever may or may not write the matches)."""
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO customer_need_match_notice_rel (match_id, activity_id)
            SELECT match_id, %s FROM unnest(%s::int[]) AS match_id
                ON CONFLICT DO NOTHING
            """,
                notice.id,
                matches.ids,
            )
        )
        matches.invalidate_recordset(["notice_ids"])

    @api.model
    def _post_save_messages(self, saved, matches, other_of):
        """One chatter note per record: the saved one lists every match of the save,
        each other record the matches it is in. In the saver's language, read by all.

        Logged in one batch per model (``_message_log_batch``: a note that notifies
        nobody, the notices do that), as sudo: the other records are not the saver's."""
        by_record = defaultdict(lambda: self.browse())
        by_record[(saved._name, saved.id)] = matches
        for match in matches:
            other = other_of(match)
            by_record[(other._name, other.id)] |= match
        lines = {match: match._notice_line() for match in matches}
        bodies = defaultdict(dict)
        for (model, record_id), record_matches in by_record.items():
            record = self.env[model].browse(record_id)
            bodies[model][record_id] = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Possible duplicates of %(record)s found:", record=record.display_name),
                Markup().join(Markup("<li>%s</li>") % lines[match] for match in record_matches),
            )
        for model, model_bodies in bodies.items():
            self.env[model].sudo().browse(list(model_bodies))._message_log_batch(
                bodies=model_bodies
            )
