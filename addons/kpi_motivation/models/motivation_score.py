import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)

# Indexes the scores and the KPI reports need on two tables of core: the done activities
# of a period are found by (date, activity type) among the messages that have a type, the
# stage and salesperson moves of the leads by (tracked field, new value). No field can
# declare them (``index=True`` on an inherited field indexes one column, and core already
# indexes mail_activity_type_id and field_id alone, which leaves every message of a type
# or every tracking of a field to filter by date or value). So the addon that needs them
# owns them: created by ``MotivationScore.init``, dropped by the uninstall hook.
# (name, table, columns, WHERE)
CORE_TABLE_INDEXES = (
    (
        "mail_message_kpi_activity_done_idx",
        "mail_message",
        ["date", "mail_activity_type_id"],
        "mail_activity_type_id IS NOT NULL",
    ),
    (
        "mail_tracking_value_kpi_field_idx",
        "mail_tracking_value",
        ["field_id", "new_value_integer"],
        "",
    ),
)

# how the won opportunities are keyed in the stage-reach query (stage ids are positive)
WON_KEY = -1
# scores the scheduled action computes and commits together
SCORE_BATCH = 50


class MotivationScore(models.Model):
    _name = "motivation.score"
    _description = "Monthly Motivation Score"
    _order = "date_from desc, user_id"
    _rec_name = "name"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one("res.users", string="Manager", required=True, index=True)
    scheme_id = fields.Many2one("motivation.scheme", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", required=True, index=True)
    date_to = fields.Date(string="To", required=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], default="open", required=True, index=True
    )
    line_ids = fields.One2many("motivation.score.line", "score_id", string="Counts")
    points = fields.Float(readonly=True)
    # a closed period keeps its level: a level reached in it is archived, never deleted
    level_id = fields.Many2one(
        "motivation.level",
        string="Level",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    base_salary = fields.Monetary(readonly=True)
    salary_share = fields.Float(string="Share of Base Salary", readonly=True, digits=(16, 4))
    revenue = fields.Monetary(readonly=True, help="Confirmed orders, untaxed.")
    commission_rate = fields.Float(string="Commission (%)", readonly=True)
    salary_part = fields.Monetary(readonly=True)
    commission_part = fields.Monetary(readonly=True)
    payout = fields.Monetary(readonly=True, help="Base × level share + revenue × commission %.")
    computed_on = fields.Datetime(readonly=True)
    closed_by_id = fields.Many2one("res.users", readonly=True)

    _sql_constraints = [
        (
            "user_period_unique",
            "unique(user_id, date_from)",
            "A manager has one score per period.",
        ),
    ]

    def init(self):
        for name, table, columns, where in CORE_TABLE_INDEXES:
            sql.create_index(self.env.cr, name, table, columns, where=where)

    @api.depends("user_id", "date_from")
    def _compute_name(self):
        for score in self:
            score.name = f"{score.user_id.name or ''} {score.date_from or ''}".strip()

    # ------------------------------------------------------------------ CRUD

    def write(self, vals):
        closed = self.filtered(lambda s: s.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "The period is closed: score %(scores)s cannot be changed.",
                    scores=", ".join(closed.mapped("name")),
                )
            )
        return super().write(vals)

    def unlink(self):
        closed = self.filtered(lambda s: s.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "The period is closed: score %(scores)s cannot be deleted.",
                    scores=", ".join(closed.mapped("name")),
                )
            )
        return super().unlink()

    # ------------------------------------------------------------------ actions

    def action_compute(self):
        self._compute_scores()
        return True

    def action_close(self):
        """Freeze the period: the counts and the payout stay as computed."""
        if not self.env.user.has_group("kpi_motivation.group_kpi_manager"):
            raise UserError(self.env._("Only the head of sales closes a period."))
        open_scores = self.filtered(lambda s: s.state == "open")
        open_scores._compute_scores()
        open_scores.write({"state": "closed", "closed_by_id": self.env.user.id})
        return True

    # ------------------------------------------------------------------ computation

    def _kpi_tz(self):
        """The time zone of the score's days: its manager's (``_kpi_user_tz``)."""
        self.ensure_one()
        return self._kpi_user_tz(self.user_id)

    @api.model
    def _kpi_user_tz(self, user):
        """The time zone of a manager's days: theirs, else their company's (its partner's),
        else UTC, as the KPI reports count them (``kpi_report.USER_TZ_CTE``)."""
        return user.tz or user.company_id.partner_id.tz or "UTC"

    @api.model
    def _kpi_user_today(self, user):
        """The manager's date now, in their time zone: it decides which month is theirs."""
        return datetime.now(pytz.timezone(self._kpi_user_tz(user))).date()

    @api.model
    def _period_bounds(self, date_from, date_to, tz="UTC"):
        """[start, end) of the days ``date_from`` to ``date_to`` in time zone ``tz``, as
        naive UTC datetimes (the database's)."""
        zone = pytz.timezone(tz)

        def utc(day):
            local = zone.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return utc(date_from), utc(date_to + timedelta(days=1))

    def _compute_scores(self):
        """Counts, points, level and payout of the scores, set-based: per (scheme, period)
        one query per kind of action for all the managers at once."""
        closed = self.filtered(lambda s: s.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "The period is closed: score %(scores)s is frozen and is not recomputed.",
                    scores=", ".join(closed.mapped("name")),
                )
            )
        self.env.flush_all()
        groups = defaultdict(lambda: self.browse())
        for score in self:
            groups[(score.scheme_id, score.date_from, score.date_to, score._kpi_tz())] |= score
        line_values = []
        now = fields.Datetime.now()
        for (scheme, date_from, date_to, tz), scores in groups.items():
            counts, revenue = scores._count_actions(scheme, date_from, date_to, tz)
            for score in scores:
                points = 0.0
                for action in scheme.action_ids.filtered("active"):
                    count = counts.get((score.user_id.id, action.id), 0)
                    points += count * action.points
                    line_values.append(
                        {
                            "score_id": score.id,
                            "action_id": action.id,
                            "count": count,
                            "points": count * action.points,
                        }
                    )
                level = scheme._level_for(points)
                base = scheme.base_salary
                amount = revenue.get(score.user_id.id, 0.0)
                salary_part = base * level.salary_share
                commission_part = amount * level.commission_rate / 100.0
                super(MotivationScore, score).write(
                    {
                        "points": points,
                        "level_id": level.id,
                        "base_salary": base,
                        "salary_share": level.salary_share,
                        "revenue": amount,
                        "commission_rate": level.commission_rate,
                        "salary_part": salary_part,
                        "commission_part": commission_part,
                        "payout": salary_part + commission_part,
                        "computed_on": now,
                    }
                )
        self.line_ids.unlink()
        self.env["motivation.score.line"].create(line_values)
        return True

    def _count_actions(self, scheme, date_from, date_to, tz="UTC"):
        """{(user id, action id): count} and {user id: revenue} for the managers of self,
        over the days ``date_from`` to ``date_to`` of time zone ``tz``."""
        start, end = self._period_bounds(date_from, date_to, tz)
        users = self.user_id.ids
        counts = {}
        actions = scheme.action_ids.filtered("active")
        by_type = defaultdict(lambda: self.env["motivation.action"])
        for action in actions:
            by_type[action.action_type] |= action

        if by_type["activity"]:
            done = self._done_activity_counts(
                users, by_type["activity"].activity_type_id.ids, start, end
            )
            for action in by_type["activity"]:
                for user_id in users:
                    counts[(user_id, action.id)] = done.get(
                        (user_id, action.activity_type_id.id), 0
                    )

        if by_type["stage"] or by_type["won"]:
            keys = {stage.id: stage.id for stage in by_type["stage"].stage_id}
            reach_stages, reach_keys = list(keys), list(keys.values())
            if by_type["won"]:
                won_stages = self.env["crm.stage"].search([("is_won", "=", True)])
                reach_stages += won_stages.ids
                reach_keys += [WON_KEY] * len(won_stages)
            reached = self._stage_reach_counts(users, reach_stages, reach_keys, start, end)
            for action in by_type["stage"]:
                for user_id in users:
                    counts[(user_id, action.id)] = reached.get((user_id, action.stage_id.id), 0)
            for action in by_type["won"]:
                for user_id in users:
                    counts[(user_id, action.id)] = reached.get((user_id, WON_KEY), 0)

        orders, revenue = self._order_counts(users, scheme.company_id, start, end)
        for action in by_type["order"]:
            for user_id in users:
                counts[(user_id, action.id)] = orders.get(user_id, 0)
        if by_type["new_customer"]:
            new = self._new_customer_counts(users, scheme.company_id, start, end)
            for action in by_type["new_customer"]:
                for user_id in users:
                    counts[(user_id, action.id)] = new.get(user_id, 0)
        return counts, revenue

    @api.model
    def _done_activity_counts(self, users, activity_types, start, end):
        """Done activities: the message posted when an activity is marked done carries its
        type; it is credited to its author, the user who did it."""
        self.env.cr.execute(
            SQL(
                """
                WITH author AS (
                    SELECT DISTINCT ON (partner_id) partner_id, id AS user_id
                      FROM res_users
                     WHERE id = ANY(%(users)s)
                     ORDER BY partner_id, id
                )
                SELECT a.user_id, m.mail_activity_type_id, count(*)
                  FROM mail_message m
                  JOIN author a ON a.partner_id = m.author_id
                 WHERE m.mail_activity_type_id = ANY(%(types)s)
                   AND m.date >= %(start)s AND m.date < %(end)s
                 GROUP BY 1, 2
                """,
                users=users,
                types=activity_types,
                start=start,
                end=end,
            )
        )
        return {(user, kind): count for user, kind, count in self.env.cr.fetchall()}

    @api.model
    def _stage_reach_sql(self, users, stages, keys, start, end):
        """Opportunities reaching a stage for the first time in [start, end), credited to the
        lead's salesperson at that moment (from the tracking of the salesperson, else the
        current one). Re-entering a stage already reached before does not count."""
        stage_field = self.env["ir.model.fields"]._get("crm.lead", "stage_id")
        user_field = self.env["ir.model.fields"]._get("crm.lead", "user_id")
        return SQL(
            """
            WITH k AS (
                SELECT * FROM unnest(%(stages)s::int[], %(keys)s::int[]) AS k(stage_id, key)
            ),
            moves AS (
                SELECT m.res_id AS lead_id, k.key, m.date, m.id AS message_id
                  FROM mail_tracking_value t
                  JOIN k ON k.stage_id = t.new_value_integer
                  JOIN mail_message m ON m.id = t.mail_message_id
                 WHERE t.field_id = %(stage_field)s
                   AND m.model = 'crm.lead'
                   AND m.date < %(end)s
            ),
            firsts AS (
                SELECT DISTINCT ON (lead_id, key) lead_id, key, date, message_id
                  FROM moves
                 ORDER BY lead_id, key, date, message_id
            ),
            reached AS (
                SELECT * FROM firsts WHERE date >= %(start)s
            ),
            handovers AS (
                SELECT m.res_id AS lead_id, m.date, m.id AS message_id,
                       t.old_value_integer AS old_user, t.new_value_integer AS new_user
                  FROM mail_tracking_value t
                  JOIN mail_message m ON m.id = t.mail_message_id
                 WHERE t.field_id = %(user_field)s
                   AND m.model = 'crm.lead'
                   AND m.res_id IN (SELECT lead_id FROM reached)
            ),
            credited AS (
                -- the salesperson set by the last hand-over before the move, else the one
                -- replaced by the first hand-over after it, else the lead's salesperson
                SELECT COALESCE(
                           (array_agg(h.new_user ORDER BY h.date DESC, h.message_id DESC)
                                FILTER (WHERE (h.date, h.message_id) <= (r.date, r.message_id))
                           )[1],
                           (array_agg(h.old_user ORDER BY h.date, h.message_id)
                                FILTER (WHERE (h.date, h.message_id) > (r.date, r.message_id))
                           )[1],
                           l.user_id
                       ) AS user_id,
                       r.key
                  FROM reached r
                  JOIN crm_lead l ON l.id = r.lead_id
                  LEFT JOIN handovers h ON h.lead_id = r.lead_id
                 GROUP BY r.lead_id, r.key, l.user_id
            )
            SELECT user_id, key, count(*)
              FROM credited
             WHERE user_id = ANY(%(users)s)
             GROUP BY 1, 2
            """,
            stages=list(stages),
            keys=list(keys),
            stage_field=stage_field.id,
            user_field=user_field.id,
            start=start,
            end=end,
            users=list(users),
        )

    @api.model
    def _stage_reach_counts(self, users, stages, keys, start, end):
        if not stages:
            return {}
        self.env.cr.execute(self._stage_reach_sql(users, stages, keys, start, end))
        return {(user, key): count for user, key, count in self.env.cr.fetchall()}

    @api.model
    def _order_counts(self, users, company, start, end):
        """Confirmed orders and their untaxed revenue in the company currency, credited to
        the order's salesperson."""
        self.env.cr.execute(
            SQL(
                """
                SELECT so.user_id, count(*),
                       sum(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1))
                  FROM sale_order so
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
                   AND so.date_order >= %(start)s AND so.date_order < %(end)s
                   AND so.user_id = ANY(%(users)s)
                 GROUP BY 1
                """,
                company=company.id,
                start=start,
                end=end,
                users=users,
            )
        )
        orders, revenue = {}, {}
        for user_id, count, amount in self.env.cr.fetchall():
            orders[user_id] = count
            revenue[user_id] = amount or 0.0
        return orders, revenue

    @api.model
    def _new_customer_counts(self, users, company, start, end):
        """Confirmed orders that are the first confirmed order of their customer (company
        partner), credited to the order's salesperson."""
        self.env.cr.execute(
            SQL(
                """
                SELECT so.user_id, count(*)
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
                   AND so.date_order >= %(start)s AND so.date_order < %(end)s
                   AND so.user_id = ANY(%(users)s)
                   AND NOT EXISTS (
                        SELECT 1
                          FROM sale_order o2
                          JOIN res_partner p2 ON p2.id = o2.partner_id
                         WHERE o2.state = 'sale'
                           AND p2.commercial_partner_id = p.commercial_partner_id
                           AND (o2.date_order, o2.id) < (so.date_order, so.id)
                   )
                 GROUP BY 1
                """,
                company=company.id,
                start=start,
                end=end,
                users=users,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _ensure_scores(self, date_from, date_to, schemes=None, users=None):
        """One open score per participant of each active scheme for the period (only for
        ``users`` when given)."""
        schemes = schemes if schemes is not None else self.env["motivation.scheme"].search([])
        existing = self.search([("date_from", "=", date_from)])
        if users is not None:
            existing = existing.filtered(lambda s: s.user_id in users)
        have = set(existing.mapped("user_id").ids)
        values = []
        for scheme in schemes:
            for user in scheme.member_ids:
                if user.id in have or (users is not None and user not in users):
                    continue
                have.add(user.id)
                values.append(
                    {
                        "user_id": user.id,
                        "scheme_id": scheme.id,
                        "date_from": date_from,
                        "date_to": date_to,
                    }
                )
        created = self.create(values)
        return (existing | created).filtered(lambda s: s.scheme_id in schemes)

    @api.model
    def _month_bounds(self, day):
        first = day.replace(day=1)
        return first, first + relativedelta(months=1, days=-1)

    @api.model
    def _ensure_current_scores(self, months_back=0):
        """The scores of each participant's current month, the month of their own date now
        (in their time zone: at 01:00 in Moscow on the 1st, a Moscow manager's month has
        begun while the server's has not), and of the ``months_back`` months before it."""
        schemes = self.env["motivation.scheme"].search([])
        users_by_month = defaultdict(lambda: self.env["res.users"])
        for user in schemes.member_ids:
            today = self._kpi_user_today(user)
            for back in range(months_back, -1, -1):
                users_by_month[self._month_bounds(today - relativedelta(months=back))] |= user
        scores = self.browse()
        for (date_from, date_to), users in sorted(users_by_month.items()):
            scores |= self._ensure_scores(date_from, date_to, schemes, users)
        return scores.filtered(lambda s: s.state == "open")

    def _lock_for_compute(self):
        """The open scores of self that no other transaction holds, locked until this one
        ends; a score a user is closing or recomputing right now is left out."""
        if not self:
            return self
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM motivation_score
                 WHERE id = ANY(%(ids)s) AND state = 'open'
                 ORDER BY id
                   FOR UPDATE SKIP LOCKED
                """,
                ids=self.ids,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _compute_scores_by_period(self):
        """Compute the scores period by period; a period that fails is logged and the
        others are computed."""
        for date_from in sorted(set(self.mapped("date_from"))):
            try:
                with self.env.cr.savepoint():
                    self.filtered(lambda s, d=date_from: s.date_from == d)._compute_scores()
            except Exception:
                _logger.exception("motivation scores for %s could not be computed", date_from)

    def _cron_compute_scores(self, batch_size=SCORE_BATCH):
        """Scores of the current month (and of the previous one while it is open).

        Run by the scheduler, each call computes one batch of the scores not computed since
        the run was due, and reports the rest with ``ir.cron._notify_progress``: the
        scheduler commits the batch and calls again, so a score is locked for a batch, not
        for the whole run, and a score a user holds is skipped until the next run. Called
        directly (tests, scripts), it computes them all at once."""
        scores = self._ensure_current_scores(months_back=1)
        cron_id = self.env.context.get("cron_id")
        if not cron_id:
            scores._compute_scores_by_period()
            return True
        # sudo: the schedule of the job running this code, read to know what this run did
        due = self.env["ir.cron"].sudo().browse(cron_id).nextcall
        pending = scores.filtered(lambda s: not s.computed_on or s.computed_on < due)
        batch = pending.sorted("id")[:batch_size]
        locked = batch._lock_for_compute()
        locked._compute_scores_by_period()
        # the skipped scores are pending again next call; when none could be locked, the
        # run ends and the next one takes them
        remaining = len(pending) - len(batch) if locked else 0
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
        return True

    @api.model
    def action_compute_month(self, day=None):
        """Button of the scores list: create and compute the scores of the current month
        (each manager's, see ``_ensure_current_scores``), or of the month of ``day``."""
        if day:
            date_from, date_to = self._month_bounds(fields.Date.to_date(day))
            scores = self._ensure_scores(date_from, date_to).filtered(lambda s: s.state == "open")
        else:
            scores = self._ensure_current_scores()
        scores._compute_scores()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def _statement_lines(self):
        """Lines of the printed statement (no line is dropped when its count is 0)."""
        self.ensure_one()
        return self.line_ids.sorted(lambda line: (line.action_id.sequence, line.action_id.id))
