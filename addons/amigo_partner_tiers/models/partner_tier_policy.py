import logging
import threading

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_round, split_every

_logger = logging.getLogger(__name__)

# partners per transaction of the nightly run: a user saving one of them waits at most
# for one batch
CRON_BATCH_SIZE = 500

WEIGHT_FIELDS = (
    "weight_volume",
    "weight_trend",
    "weight_high_margin",
    "weight_wallet",
    "weight_matrix",
)


class PartnerTierPolicy(models.Model):
    _name = "partner.tier.policy"
    _description = "Partner Tier Policy"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to apply the policy to every company without a policy of its own.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="Amounts are in the currency of the assessed company.",
    )
    period_months = fields.Integer(
        "Period (months)", default=12, required=True, help="Rolling period of the assessment."
    )
    # weights, in points out of 100
    weight_volume = fields.Float("Weight: Sales Volume", default=35)
    weight_trend = fields.Float("Weight: Sales Trend", default=20)
    weight_high_margin = fields.Float("Weight: High-Margin Share", default=15)
    weight_wallet = fields.Float("Weight: Wallet Share", default=15)
    weight_matrix = fields.Float("Weight: Matrix Coverage", default=15)
    # targets: the value that earns the full weight
    target_volume = fields.Monetary(
        "Target Sales Volume", currency_field="currency_id", default=3_000_000
    )
    target_trend = fields.Float(
        "Target Trend (%)",
        default=20,
        help="Year-on-year growth that earns the full weight; the same decline earns nothing "
        "and a flat year earns half.",
    )
    target_high_margin = fields.Float("Target High-Margin Share (%)", default=40)
    target_wallet = fields.Float("Target Wallet Share (%)", default=60)
    target_matrix = fields.Float("Target Matrix Coverage (%)", default=80)
    high_margin_threshold = fields.Float(
        "High-Margin Threshold (%)",
        default=35,
        help="A sale line whose margin is at least this share of its amount counts as "
        "high-margin, as do products and categories flagged as high-margin.",
    )
    # score thresholds
    threshold_green = fields.Float("Green from score", default=70)
    threshold_yellow = fields.Float("Yellow from score", default=45)
    threshold_red = fields.Float("Red from score", default=20)
    # potential from the headroom: estimated purchases not bought from us
    potential_high_headroom = fields.Monetary(
        "High potential from headroom",
        currency_field="currency_id",
        default=2_000_000,
        help="Estimated purchases of the partner not bought from us (estimate minus our "
        "sales) from which the potential is high.",
    )
    potential_medium_headroom = fields.Monetary(
        "Medium potential from headroom", currency_field="currency_id", default=500_000
    )

    def _compute_currency_id(self):
        for policy in self:
            policy.currency_id = (policy.company_id or self.env.company).currency_id

    @api.constrains(*WEIGHT_FIELDS)
    def _check_weights(self):
        for policy in self:
            weights = [policy[f] for f in WEIGHT_FIELDS]
            if any(w < 0 for w in weights):
                raise ValidationError(
                    _("Tier policy %(policy)s: weights cannot be negative.", policy=policy.name)
                )
            total = sum(weights)
            if float_round(total, 2) != 100:
                raise ValidationError(
                    _(
                        "Tier policy %(policy)s: the weights must sum to 100, they sum to "
                        "%(total)s.",
                        policy=policy.name,
                        total=float_round(total, 2),
                    )
                )

    @api.constrains("threshold_green", "threshold_yellow", "threshold_red")
    def _check_thresholds(self):
        for policy in self:
            if not (
                0 <= policy.threshold_red < policy.threshold_yellow < policy.threshold_green <= 100
            ):
                raise ValidationError(
                    _(
                        "Tier policy %(policy)s: the thresholds must be ordered "
                        "0 ≤ red < yellow < green ≤ 100 (got red %(red)s, yellow %(yellow)s, "
                        "green %(green)s).",
                        policy=policy.name,
                        red=policy.threshold_red,
                        yellow=policy.threshold_yellow,
                        green=policy.threshold_green,
                    )
                )

    @api.constrains(
        "period_months",
        "target_volume",
        "target_trend",
        "target_high_margin",
        "target_wallet",
        "target_matrix",
        "potential_high_headroom",
        "potential_medium_headroom",
    )
    def _check_targets(self):
        for policy in self:
            if policy.period_months <= 0:
                raise ValidationError(
                    _("Tier policy %(policy)s: the period must be positive.", policy=policy.name)
                )
            for fname in (
                "target_volume",
                "target_trend",
                "target_high_margin",
                "target_wallet",
                "target_matrix",
            ):
                if policy[fname] <= 0:
                    raise ValidationError(
                        _(
                            "Tier policy %(policy)s: %(field)s must be positive.",
                            policy=policy.name,
                            field=policy._fields[fname].get_description(self.env)["string"],
                        )
                    )
            if policy.potential_medium_headroom > policy.potential_high_headroom:
                raise ValidationError(
                    _(
                        "Tier policy %(policy)s: the headroom for high potential must not be "
                        "below the headroom for medium potential.",
                        policy=policy.name,
                    )
                )

    # ------------------------------------------------------------------
    # business helpers
    # ------------------------------------------------------------------
    @api.model
    def _for_company(self, company):
        """The policy of a company: its own, else the shared one (no company)."""
        return self.search(
            [("company_id", "in", [company.id, False])], order="company_id, sequence, id", limit=1
        )

    def _periods(self, date):
        """(previous start, current start, end) as datetimes; the end is exclusive."""
        self.ensure_one()
        end = fields.Datetime.to_datetime(date) + relativedelta(days=1)
        start = end - relativedelta(months=self.period_months)
        return start - relativedelta(months=self.period_months), start, end

    def _indicator_query(self, company, date, partner_ids=None):
        """One aggregate over confirmed sale order lines, per commercial partner, of the
        current and previous periods, amounts in the company currency."""
        self.ensure_one()
        previous_start, start, end = self._periods(date)
        partner_filter = SQL()
        if partner_ids is not None:
            partner_filter = SQL("AND op.commercial_partner_id = ANY(%s)", list(partner_ids))
        return SQL(
            """
            SELECT l.partner_id,
                   COALESCE(SUM(l.amount) FILTER (WHERE l.is_current), 0) AS volume,
                   COALESCE(SUM(l.amount) FILTER (WHERE NOT l.is_current), 0) AS previous_volume,
                   COALESCE(SUM(l.margin) FILTER (WHERE l.is_current), 0) AS margin,
                   COALESCE(SUM(l.amount) FILTER (WHERE l.is_current AND l.is_high), 0)
                       AS high_margin_volume,
                   COUNT(DISTINCT l.matrix_product_id) FILTER (WHERE l.is_current)
                       AS matrix_bought
              FROM (
                SELECT op.commercial_partner_id AS partner_id,
                       so.date_order >= %(start)s AS is_current,
                       sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount,
                       COALESCE(sol.margin, 0) / COALESCE(NULLIF(so.currency_rate, 0), 1)
                           AS margin,
                       (COALESCE(pt.tier_high_margin, FALSE)
                        OR COALESCE(pc.tier_high_margin, FALSE)
                        OR (sol.price_subtotal > 0
                            AND COALESCE(sol.margin, 0) * 100
                                >= %(threshold)s * sol.price_subtotal)) AS is_high,
                       ml.product_id AS matrix_product_id
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN res_partner op ON op.id = so.partner_id
                  JOIN res_partner cp ON cp.id = op.commercial_partner_id
                  LEFT JOIN product_product pp ON pp.id = sol.product_id
                  LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  LEFT JOIN product_category pc ON pc.id = pt.categ_id
                  LEFT JOIN assortment_matrix_line ml
                         ON ml.matrix_id = cp.assortment_matrix_id
                        AND ml.product_id = sol.product_id
                 WHERE so.state = 'sale'
                   AND so.company_id = %(company)s
                   AND so.date_order >= %(previous_start)s
                   AND so.date_order < %(end)s
                   AND sol.display_type IS NULL
                   AND NOT COALESCE(sol.is_downpayment, FALSE)
                   %(partner_filter)s
              ) l
             GROUP BY l.partner_id
            """,
            start=start,
            previous_start=previous_start,
            end=end,
            company=company.id,
            threshold=self.high_margin_threshold,
            partner_filter=partner_filter,
        )

    def _read_indicators(self, company, date, partner_ids=None):
        """{commercial partner id: raw indicator row} from one aggregate query."""
        self.env.flush_all()
        self.env.cr.execute(self._indicator_query(company, date, partner_ids))
        return {row["partner_id"]: row for row in self.env.cr.dictfetchall()}

    def _candidate_partner_ids(self, company):
        """Commercial partners assessed by a full run of a company besides those with sales
        in it: customer companies and partners with a customer rank of that company (not
        companies' own). Shared partners (no company) without sales anywhere are candidates
        of the first company (lowest id) only: another company's run would otherwise rate them black
        for buying nothing there, over the tier they earned where they buy."""
        main = self.env["res.company"].sudo().search([], order="id", limit=1)
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id FROM res_partner p
                 WHERE p.active AND p.parent_id IS NULL
                   AND (p.company_id = %(company)s OR (p.company_id IS NULL AND %(main)s))
                   AND (p.is_company OR p.customer_rank > 0 OR p.tier_id IS NOT NULL)
                   AND NOT EXISTS (SELECT 1 FROM res_company c WHERE c.partner_id = p.id)
                """,
                company=company.id,
                main=company == main,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _score(self, volume, trend, high_share, wallet_share, coverage):
        """Score 0-100 of the indicators (shares and trend in %)."""
        self.ensure_one()

        def ratio(value, target):
            return max(0.0, min(value / target, 1.0))

        if trend is None:  # no sales a year before: neutral
            trend_ratio = 0.5
        else:
            trend_ratio = ratio(trend + self.target_trend, 2 * self.target_trend)
        if wallet_share is None:  # no estimate: the wallet weight earns nothing
            wallet_ratio = 0.0
        else:
            wallet_ratio = ratio(wallet_share, self.target_wallet)
        score = (
            self.weight_volume * ratio(volume, self.target_volume)
            + self.weight_trend * trend_ratio
            + self.weight_high_margin * ratio(high_share, self.target_high_margin)
            + self.weight_wallet * wallet_ratio
            + self.weight_matrix * ratio(coverage, self.target_matrix)
        )
        return float_round(score, 2)

    def _tier_code(self, volume, score):
        self.ensure_one()
        if volume <= 0:
            return "black"
        if score >= self.threshold_green:
            return "green"
        if score >= self.threshold_yellow:
            return "yellow"
        if score >= self.threshold_red:
            return "red"
        return "black"

    def _potential(self, volume, estimate):
        self.ensure_one()
        if not estimate or estimate <= 0:
            return False
        headroom = estimate - volume
        if headroom >= self.potential_high_headroom:
            return "high"
        if headroom >= self.potential_medium_headroom:
            return "medium"
        return "low"

    def _assess(self, company, partner_ids=None, date=None):
        """Assess the commercial partners of a company on a date (all its candidates when
        partner_ids is None): one aggregate read, then the partners in one go, their rows
        locked first (a nightly batch holding one of them is waited for). Returns the
        assessments of the day."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        rows = self._read_indicators(company, date, partner_ids)
        if partner_ids is None:
            ids = set(self._candidate_partner_ids(company)) | set(rows)
        else:
            ids = set(partner_ids)
        return self._assess_partners(company, date, sorted(ids), rows)[0]

    def _lock_partners(self, partner_ids, skip_locked=False):
        """Lock the rows of the partners an assessment writes, in id order (two runs never
        deadlock). skip_locked: leave out the partners another transaction holds (a user
        saving one) instead of waiting for it. Returns the ids locked."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE%s",
                list(partner_ids),
                SQL(" SKIP LOCKED") if skip_locked else SQL(),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _assess_partners(self, company, date, partner_ids, rows, skip_locked=False):
        """Assess these commercial partners of a company on a date from their indicator
        rows (``_read_indicators``): lock them, write one assessment per partner, company
        and day (a partner assessed that day already gets that assessment updated, its
        previous tier and movement staying the day's), copy the indicators onto the
        partners. Returns (the day's assessments, the ids left out because another
        transaction held them: only with skip_locked)."""
        self.ensure_one()
        Assessment = self.env["partner.tier.assessment"]
        if not partner_ids:
            return Assessment, []
        self.env.flush_all()
        ids = self._lock_partners(partner_ids, skip_locked)
        held = sorted(set(partner_ids) - set(ids))
        if not ids:
            return Assessment, held
        # partner attributes the indicators need, in one read (after the lock: current)
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.estimated_purchase_volume, p.tier_id, p.user_id,
                       p.assortment_matrix_id,
                       (SELECT COUNT(*) FROM assortment_matrix_line ml
                         WHERE ml.matrix_id = p.assortment_matrix_id) AS matrix_lines
                  FROM res_partner p WHERE p.id = ANY(%s)
                """,
                ids,
            )
        )
        partners = {row["id"]: row for row in self.env.cr.dictfetchall()}
        # the day's assessments there already (another run, the recompute button)
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id, id, previous_tier_id FROM partner_tier_assessment
                 WHERE company_id = %s AND date = %s AND partner_id = ANY(%s)
                """,
                company.id,
                date,
                ids,
            )
        )
        existing = {
            partner_id: (aid, previous) for partner_id, aid, previous in self.env.cr.fetchall()
        }
        tiers = {t.code: t.id for t in self.env["partner.tier"].search([])}
        tier_rank = {t.id: t.sequence for t in self.env["partner.tier"].search([])}
        previous_start, start, end = self._periods(date)
        empty = {
            "volume": 0.0,
            "previous_volume": 0.0,
            "margin": 0.0,
            "high_margin_volume": 0.0,
            "matrix_bought": 0,
        }
        vals_list = []
        for partner_id in ids:
            partner = partners[partner_id]
            row = rows.get(partner_id, empty)
            volume = float(row["volume"])
            previous = float(row["previous_volume"])
            trend = (volume - previous) / previous * 100 if previous > 0 else None
            high_share = float(row["high_margin_volume"]) / volume * 100 if volume > 0 else 0.0
            estimate = partner["estimated_purchase_volume"] or 0.0
            wallet = volume / estimate * 100 if estimate > 0 else None
            coverage = (
                row["matrix_bought"] / partner["matrix_lines"] * 100
                if partner["matrix_lines"]
                else 0.0
            )
            score = self._score(volume, trend, high_share, wallet, coverage)
            tier_id = tiers[self._tier_code(volume, score)]
            # the tier before the day: the partner's, or the one the day's first run saw
            previous_tier = (
                existing[partner_id][1] if partner_id in existing else partner["tier_id"]
            )
            if not previous_tier:
                movement = "new"
            elif previous_tier == tier_id:
                movement = "same"
            elif tier_rank[tier_id] < tier_rank[previous_tier]:
                movement = "up"
            else:
                movement = "down"
            vals = {
                "partner_id": partner_id,
                "company_id": company.id,
                "currency_id": company.currency_id.id,
                "policy_id": self.id,
                "date": date,
                "period_start": start.date(),
                "user_id": partner["user_id"],
                "sales_volume": volume,
                "sales_volume_previous": previous,
                "sales_trend": trend or 0.0,
                "margin": float(row["margin"]),
                "high_margin_volume": float(row["high_margin_volume"]),
                "high_margin_share": high_share,
                "estimated_purchase_volume": estimate,
                "wallet_share": wallet or 0.0,
                "has_wallet_share": wallet is not None,
                "matrix_coverage": coverage,
                "score": score,
                "tier_id": tier_id,
                "previous_tier_id": previous_tier,
                "movement": movement,
                "potential": self._potential(volume, estimate),
            }
            vals_list.append(vals)
        # a partner's first tier is in its history, not in its chatter: the partners without
        # a tier get their assessments, and point at them, first and without tracking; then
        # the others, whose tier changes are tracked
        first = [v for v in vals_list if not partners[v["partner_id"]]["tier_id"]]
        others = [v for v in vals_list if partners[v["partner_id"]]["tier_id"]]
        created = Assessment
        if first:
            created |= self.with_context(tracking_disable=True)._write_assessments(first, existing)
        if others:
            created |= self._write_assessments(others, existing)
        by_partner = {assessment.partner_id.id: assessment.id for assessment in created}
        by_partner.update({partner_id: aid for partner_id, (aid, _prev) in existing.items()})
        return Assessment.browse([by_partner[partner_id] for partner_id in ids]), held

    def _write_assessments(self, vals_list, existing):
        """Create the day's assessments of these values (update those in ``existing``:
        {partner id: (assessment id, previous tier id)}), then bring their partners up to
        date: the ORM recomputes each partner's last assessment and the tier it gives, and
        writes them in batches, the tier tracked when it changes (unless the context
        disables tracking). Returns the assessments created."""
        created = self.env["partner.tier.assessment"].create(
            [vals for vals in vals_list if vals["partner_id"] not in existing]
        )
        self._update_assessments(
            [(existing[v["partner_id"]][0], v) for v in vals_list if v["partner_id"] in existing]
        )
        partners = self.env["res.partner"].browse([vals["partner_id"] for vals in vals_list])
        partners.flush_recordset(["last_assessment_id", "tier_id"])
        return created

    @api.model
    def _update_assessments(self, updates):
        """Re-assessing the same day: write on each of the day's assessments only the
        figures that changed, the assessments with the same changes in one write. A run
        repeated on unchanged sales writes nothing (``updates``: [(assessment id, vals)])."""
        Assessment = self.env["partner.tier.assessment"]
        records = Assessment.browse([aid for aid, _vals in updates])
        records.fetch(list(updates[0][1]) if updates else [])
        changes = {}

        def stored(field, value, record):
            # the value as the field keeps it (a monetary rounded to its currency...)
            cached = field.convert_to_cache(value, record)
            return field.convert_to_write(field.convert_to_record(cached, record), record)

        for aid, vals in updates:
            assessment = Assessment.browse(aid)
            fields_ = Assessment._fields
            diff = {
                name: value
                for name, value in vals.items()
                if stored(fields_[name], value, assessment)
                != fields_[name].convert_to_write(assessment[name], assessment)
            }
            if diff:
                changes.setdefault(tuple(sorted(diff.items())), []).append(aid)
        for diff, ids in changes.items():
            Assessment.browse(ids).write(dict(diff))

    def _cron_partner_ids(self, company, date, rows, since=None):
        """The partners a nightly run of a company assesses: its candidates and the
        partners with sales in it, but those assessed on that day since ``since`` (the
        cron's last completed run: a run coming back for the partners a user held does
        not redo the others)."""
        ids = set(self._candidate_partner_ids(company)) | set(rows)
        if since:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT partner_id FROM partner_tier_assessment
                     WHERE company_id = %s AND date = %s AND write_date >= %s
                    """,
                    company.id,
                    date,
                    since,
                )
            )
            ids -= {row[0] for row in self.env.cr.fetchall()}
        return sorted(ids)

    @api.model
    def _cron_assess_tiers(self, batch_size=CRON_BATCH_SIZE):
        """Nightly: re-assess every company's partners, a batch of partners at a time.

        Run by the scheduler, each batch is a transaction of its own, committed, and the
        progress is reported to the cron (``ir.cron._notify_progress``): no user waits for
        more than a batch. Partners a user holds (being saved) are skipped, not waited for,
        and reported as remaining: Odoo's cron runner comes back for them, else the next
        night assesses them. A batch that fails is logged and the others go on.
        """
        # batch commits as core's crons do them: never inside a test's transaction
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        since = self.env.context.get("lastcall")
        date = fields.Date.context_today(self)
        plan = []
        for company in self.env["res.company"].search([]):
            policy = self.with_company(company)._for_company(company)
            if not policy:
                _logger.info("Partner tiers: no policy for company %s, skipped", company.name)
                continue
            policy = policy.with_company(company)
            rows = policy._read_indicators(company, date)
            plan.append(
                (policy, company, rows, policy._cron_partner_ids(company, date, rows, since))
            )
        total = sum(len(ids) for *_rest, ids in plan)
        done = held = failed = 0
        for policy, company, rows, ids in plan:
            company_done = company_held = 0
            for batch in split_every(batch_size, ids, list):
                # the batch's locks are then the first statement of its transaction: a
                # user's save committed meanwhile is seen, never a serialization failure
                self._cron_commit_batch(done, total - done - held - failed, auto_commit)
                try:
                    with self.env.cr.savepoint():
                        assessments, left = policy._assess_partners(
                            company, date, batch, rows, skip_locked=True
                        )
                except Exception:
                    _logger.exception(
                        "Partner tiers: a batch of %s partners of company %s failed",
                        len(batch),
                        company.name,
                    )
                    failed += len(batch)
                    continue
                company_done += len(assessments)
                company_held += len(left)
                done += len(assessments)
                held += len(left)
            _logger.info(
                "Partner tiers: %s partners assessed for %s, %s held by users left for later",
                company_done,
                company.name,
                company_held,
            )
        # what is left: the partners users held, for Odoo's cron runner to come back
        self._cron_commit_batch(done, held, auto_commit)

    @api.model
    def _cron_commit_batch(self, done, remaining, auto_commit):
        """Between two batches of the nightly run: report its progress to the cron and,
        with ``auto_commit``, commit what is done, which releases the rows of the batch
        (Odoo 18's pattern for crons that work in batches)."""
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if auto_commit:
            # the one commit of the module: the scheduled action's, between two batches
            # (as core's batch crons do); never in a test, nor in _assess
            self.env.cr.commit()  # pylint: disable=invalid-commit
