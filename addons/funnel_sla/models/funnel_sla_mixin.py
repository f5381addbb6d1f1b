import logging
import threading
from collections import defaultdict
from contextlib import nullcontext
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_datetime

_logger = logging.getLogger(__name__)


class FunnelSlaMixin(models.AbstractModel):
    """Time in stage, SLA deadline in working hours, stall detection and escalation.

    Inherit it on any model with a stage (``_sla_stage_field``, ``stage_id`` by default)
    whose stage model inherits ``funnel.sla.stage.mixin``. The responsible user is read
    from ``_sla_user_field`` (``user_id`` by default). One cron serves every such model:
    it flags the records past their deadline and schedules exactly one activity for the
    responsible per stall, in batches, logging and skipping a record that fails. Each
    batch is locked without waiting (a record a user holds is left to the next run) and,
    run as the scheduled action, committed before the next one.
    """

    _name = "funnel.sla.mixin"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Funnel SLA: time in stage and stalls"

    _sla_stage_field = "stage_id"
    _sla_user_field = "user_id"
    _sla_batch_size = 500

    # the SLA bookkeeping below is internal operations data: employees only (portal users
    # may read the records themselves, e.g. their tickets, never these fields)
    sla_stage_date = fields.Datetime(
        string="Entered Stage On",
        default=fields.Datetime.now,
        readonly=True,
        copy=False,
        index=True,
        help="When the record entered its current stage.",
        groups="base.group_user",
    )
    sla_deadline = fields.Datetime(
        string="SLA Deadline",
        compute="_compute_sla_deadline",
        store=True,
        copy=False,
        index="btree_not_null",
        help="Entry into the stage plus the stage's SLA, counted in working hours of the "
        "company calendar.",
        groups="base.group_user",
    )
    sla_escalation_deadline = fields.Datetime(
        string="Escalation Deadline",
        compute="_compute_sla_deadline",
        store=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
    )
    is_stalled = fields.Boolean(
        string="Stalled",
        readonly=True,
        copy=False,
        index=True,
        help="Set by the SLA check when the record stays in its stage past the SLA deadline; "
        "cleared when it moves on.",
        groups="base.group_user",
    )
    is_sla_escalated = fields.Boolean(
        string="SLA Escalated", readonly=True, copy=False, groups="base.group_user"
    )
    sla_hours_in_stage = fields.Float(
        string="Hours in Stage",
        compute="_compute_sla_hours_in_stage",
        help="Calendar hours since the record entered its current stage.",
        groups="base.group_user",
    )

    # ------------------------------------------------------------ computes
    def _sla_depends(self):
        stage = self._sla_stage_field
        depends = [stage, f"{stage}.sla_hours", f"{stage}.sla_escalation_hours", "sla_stage_date"]
        if "company_id" in self._fields:
            depends.append("company_id")
        return depends

    @api.depends(lambda self: self._sla_depends())
    def _compute_sla_deadline(self):
        for record in self:
            stage = record[record._sla_stage_field]
            start = record.sla_stage_date
            if not (stage and start and stage.sla_hours):
                record.sla_deadline = False
                record.sla_escalation_deadline = False
                continue
            calendar = record._sla_calendar()
            deadline = record._sla_add_working_hours(calendar, start, stage.sla_hours)
            record.sla_deadline = deadline
            record.sla_escalation_deadline = (
                record._sla_add_working_hours(calendar, deadline, stage.sla_escalation_hours)
                if stage.sla_escalation_hours
                else False
            )

    @api.depends("sla_stage_date")
    def _compute_sla_hours_in_stage(self):
        now = fields.Datetime.now()
        for record in self:
            start = record.sla_stage_date
            record.sla_hours_in_stage = (now - start).total_seconds() / 3600 if start else 0.0

    # --------------------------------------------------------------- CRUD
    def write(self, vals):
        stage_field = self._sla_stage_field
        if stage_field not in vals or "sla_stage_date" in vals:
            return super().write(vals)
        new_stage = vals[stage_field]
        moving = self.filtered(lambda r: r[stage_field].id != new_stage)
        if not moving:
            return super().write(vals)
        moving._sla_close_activities()
        reset = dict(
            vals, sla_stage_date=fields.Datetime.now(), is_stalled=False, is_sla_escalated=False
        )
        result = super(FunnelSlaMixin, moving).write(reset)
        staying = self - moving
        if staying:
            super(FunnelSlaMixin, staying).write(vals)
        return result

    # ------------------------------------------------------------ helpers
    def _sla_calendar(self):
        """The calendar whose working hours count for the SLA (company calendar)."""
        self.ensure_one()
        company = self.company_id if "company_id" in self._fields else False
        return (company or self.env.company).resource_calendar_id

    @api.model
    def _sla_add_working_hours(self, calendar, start, hours):
        if calendar:
            deadline = calendar.plan_hours(hours, start, compute_leaves=True)
            if deadline:
                return deadline
        # no calendar, or no working time in sight: plain hours
        return start + timedelta(hours=hours)

    def _sla_domain(self):
        """Extra domain restricting which records the SLA check looks at."""
        return []

    def _sla_responsible(self):
        """The user who gets the stall activity."""
        self.ensure_one()
        user = self[self._sla_user_field] if self._sla_user_field in self._fields else False
        if user and user.active and not user.share:
            return user
        creator = self.create_uid
        if creator and creator.active and not creator.share and not creator._is_superuser():
            return creator
        return self.env.ref("base.user_admin", raise_if_not_found=False) or self.env.user

    def _sla_escalation_users(self):
        """{record id: res.users} to notify when a stall passes the escalation limit."""
        return {}

    def _sla_activity_type(self, kind):
        return self.env.ref(f"funnel_sla.mail_activity_type_sla_{kind}", raise_if_not_found=False)

    def _sla_activity_domain(self, activity_types):
        return [
            ("res_model", "=", self._name),
            ("res_id", "in", self.ids),
            ("activity_type_id", "in", activity_types.ids),
        ]

    def _sla_open_activity_keys(self, activity_type):
        """{(res_id, user_id)} of the open activities of that type on self."""
        if not activity_type or not self:
            return set()
        # sudo: the SLA check must see every open SLA activity, whoever it is assigned to
        groups = (
            self.env["mail.activity"]
            .sudo()
            ._read_group(self._sla_activity_domain(activity_type), ["res_id", "user_id"])
        )
        return {(res_id, user.id) for res_id, user in groups}

    def _sla_close_activities(self):
        """Mark the open SLA activities done when records leave their stage."""
        activity_types = self._sla_activity_type("stalled") | self._sla_activity_type("escalation")
        if not self.ids or not activity_types:
            return
        # sudo: the activities were assigned by the SLA check to other users; whoever may
        # move the record ends the reminder with it. Only these records' activities.
        activities = (
            self.env["mail.activity"].sudo().search(self._sla_activity_domain(activity_types))
        )
        if activities:
            activities.action_feedback(feedback=self.env._("The record left the stage."))

    def _sla_for_readers(self, pairs):
        """``pairs`` [(record, user)] as [(record, user)], each record in the language
        and time zone of the user who reads its activity: the check runs as the cron's
        user (OdooBot), while a Moscow manager working in Russian must read "Зависание на
        этапе ..." with Moscow times and a Moscow due date. A user without a time zone
        reads the times of the calendar the SLA is counted in. One context per language
        and time zone."""
        groups = defaultdict(list)
        for record, user in pairs:
            tz = user.tz or record._sla_calendar().tz or "UTC"
            groups[(user.lang or self.env.lang, tz)].append((record.id, user))
        result = []
        for (lang, tz), items in groups.items():
            records = self.with_context(lang=lang, tz=tz).browse(
                [record_id for record_id, _user in items]
            )
            result.extend(
                (record, user) for record, (_id, user) in zip(records, items, strict=True)
            )
        return result

    def _sla_format_datetime(self, value):
        """``value`` as Odoo's ``format_datetime`` writes it (medium format) in the
        language and the time zone of self's context (see :meth:`_sla_for_readers`),
        else of the user."""
        return format_datetime(self.env, value, tz=self.env.context.get("tz"))

    def _sla_activity_values(self, activity_type, model_id, user, summary, note):
        """An automated SLA activity of ``activity_type`` on self for ``user``, due on
        their today (self is in their language and time zone: see
        :meth:`_sla_for_readers`)."""
        self.ensure_one()
        return {
            "res_model_id": model_id,
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "automated": True,
            "user_id": user.id,
            "date_deadline": fields.Date.context_today(self),
            "summary": summary,
            "note": note,
        }

    def _sla_stalled_activity_values(self, activity_type, model_id, user=None):
        """The stall activity of self for ``user`` (the responsible by default), its texts
        in the language and time zone of self's context (see :meth:`_sla_for_readers`)."""
        self.ensure_one()
        stage = self[self._sla_stage_field]
        # formatted outside the _() call: Odoo's term export (Babel) evaluates the strings
        # among its arguments, and an f-string there loses the rest of the file's terms
        hours = f"{stage.sla_hours:g}"
        return self._sla_activity_values(
            activity_type,
            model_id,
            user or self._sla_responsible(),
            self.env._("Stalled in stage %(stage)s", stage=stage.display_name),
            self.env._(
                "In stage %(stage)s since %(since)s; the SLA of %(hours)s working hours "
                "ended on %(deadline)s.",
                stage=stage.display_name,
                since=self._sla_format_datetime(self.sla_stage_date),
                hours=hours,
                deadline=self._sla_format_datetime(self.sla_deadline),
            ),
        )

    def _sla_create_activities(self, values):
        """Create the SLA activities of ``values`` (on records of self) through core's
        ``mail.activity`` create, which makes each user a follower of their record and
        tells them on the bus that an activity came.

        One create per user: core's create (18.0) sends its bus notification once, to
        the user of the last activity it created, so the other users of one create would
        not see their activity counter go up until they reload (see the readme). Sudo:
        the activities go to other users than the one running the check. No e-mail per
        activity (``mail_activity_quick_update``, core's own switch for it): a run may
        stall thousands of records, and the activities are in their users' lists.
        """
        Activity = self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True)
        per_user = defaultdict(list)
        for vals in values:
            per_user[vals["user_id"]].append(vals)
        return Activity.concat(*(Activity.create(vals_list) for vals_list in per_user.values()))

    def _sla_flag_stalled(self):
        """Flag self stalled with one activity each (none if one is already open)."""
        activity_type = self._sla_activity_type("stalled")
        if activity_type:
            model_id = self.env["ir.model"]._get_id(self._name)
            open_ids = {res_id for res_id, _user in self._sla_open_activity_keys(activity_type)}
            pairs = [
                (record, record._sla_responsible()) for record in self if record.id not in open_ids
            ]
            values = [
                record._sla_stalled_activity_values(activity_type, model_id, user)
                for record, user in self._sla_for_readers(pairs)
            ]
            # no e-mail per stall (a cron may stall thousands at once): the activity is in
            # the responsible's activities; escalations, which are rare, do notify.
            self._sla_create_activities(values)
        self.write({"is_stalled": True})

    def _sla_escalate(self):
        """One escalation activity per record and escalation user, then mark escalated.

        Each escalation user is notified once per batch, with the list of the records,
        rather than by one e-mail per activity."""
        activity_type = self._sla_activity_type("escalation")
        targets = self._sla_escalation_users()
        if activity_type and targets:
            model_id = self.env["ir.model"]._get_id(self._name)
            existing = self._sla_open_activity_keys(activity_type)
            pairs = [
                (record, user)
                for record in self
                for user in targets.get(record.id, self.env["res.users"])
                if (record.id, user.id) not in existing
            ]
            values = []
            for local, user in self._sla_for_readers(pairs):
                stage = local[local._sla_stage_field]
                values.append(
                    local._sla_activity_values(
                        activity_type,
                        model_id,
                        user,
                        local.env._(
                            "Escalation: stalled in stage %(stage)s", stage=stage.display_name
                        ),
                        local.env._(
                            "Still in stage %(stage)s past the escalation limit (%(deadline)s).",
                            stage=stage.display_name,
                            deadline=local._sla_format_datetime(local.sla_escalation_deadline),
                        ),
                    )
                )
            self._sla_create_activities(values)._sla_notify_escalations()
        self.write({"is_sla_escalated": True})

    def _sla_safely(self, method_name):
        """Run a batch method; on failure, bisect down to the bad records, log and skip them.

        Returns the records that failed.
        """
        try:
            with self.env.cr.savepoint():
                getattr(self, method_name)()
            return self.browse()
        except Exception:
            if len(self) == 1:
                _logger.exception(
                    "Funnel SLA: %s failed for %s(%s); skipped", method_name, self._name, self.id
                )
                return self
        middle = len(self) // 2
        return self[:middle]._sla_safely(method_name) | self[middle:]._sla_safely(method_name)

    def _sla_lock(self):
        """Lock the rows of self that no other transaction holds, and return those records
        (in self's order); the others are left alone, not waited for.

        A user editing a record holds its row until they save; the check leaves such a
        record to its next run (it is still past its deadline then) rather than make the
        user or itself wait. ``FOR NO KEY UPDATE`` is the lock the check's own UPDATE of
        the flags takes, so it neither blocks nor skips more than that write would: a
        user only inserting a row that refers to the record (a work order of the order,
        whose foreign key takes ``FOR KEY SHARE``) is not in its way. One query per batch.
        """
        if not self.ids:
            return self
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        return self.browse([record_id for record_id in self.ids if record_id in locked])

    def _sla_run_batches(self, domain, method_name, batch_size, safely=True):
        """Run ``method_name`` over the records matching ``domain``, ``batch_size`` at a
        time, each batch locked first (:meth:`_sla_lock`): the records a user holds are
        skipped, and the ones that no longer match (changed since the search) are left.

        A generator, so that its caller decides what happens between batches: it yields
        ``(handled, remaining)`` after the search and after each batch (how many records
        the last batch handled, how many the step has left), the points where the
        scheduled action commits (:meth:`_cron_check_sla`); whoever else runs it commits
        nothing. Returns ``(done, failed, skipped)``. With ``safely``, a batch that fails
        is bisected down to its bad records, logged and skipped (:meth:`_sla_safely`).
        """
        # one search (served by the deadline index), then batches of ids: paging with
        # `id > last ORDER BY id LIMIT n` walks the primary key over every record
        ids = self.search(domain, order="id").ids
        done = failed = skipped = 0
        if not ids:
            return done, failed, skipped
        # the first batch locks in a transaction of its own too: a record saved by a user
        # after the search is then read as saved, not refused as a concurrent update
        yield 0, len(ids)
        for start in range(0, len(ids), batch_size):
            chunk = self.browse(ids[start : start + batch_size])
            locked = chunk._sla_lock()
            skipped += len(chunk) - len(locked)
            # committed batches before this one: re-read what the search saw
            batch = locked.filtered_domain(domain)
            if batch and safely:
                bad = batch._sla_safely(method_name)
                failed += len(bad)
                done += len(batch) - len(bad)
            elif batch:
                getattr(batch, method_name)()
                done += len(batch)
            yield len(chunk), len(ids) - start - len(chunk)
        return done, failed, skipped

    def _sla_unflag(self):
        """Clear the stall and escalation flags of self."""
        self.write({"is_stalled": False, "is_sla_escalated": False})

    @api.model
    def _sla_check_batches(self, batch_size=None):
        """The SLA check of this model as a generator of batches (see
        :meth:`_sla_run_batches`): un-flag the records whose deadline moved into the
        future, flag the newly stalled ones, escalate. Returns the statistics of
        :meth:`_sla_check`. Override it to add a step (``yield from`` the steps)."""
        batch_size = batch_size or self._sla_batch_size
        now = fields.Datetime.now()
        extra = self._sla_domain()
        recovered = yield from self._sla_run_batches(
            [
                ("is_stalled", "=", True),
                "|",
                ("sla_deadline", "=", False),
                ("sla_deadline", ">", now),
            ],
            "_sla_unflag",
            batch_size,
            safely=False,
        )
        stalled = yield from self._sla_run_batches(
            [("is_stalled", "=", False), ("sla_deadline", "!=", False), ("sla_deadline", "<=", now)]
            + extra,
            "_sla_flag_stalled",
            batch_size,
        )
        escalated = yield from self._sla_run_batches(
            [
                ("is_stalled", "=", True),
                ("is_sla_escalated", "=", False),
                ("sla_escalation_deadline", "!=", False),
                ("sla_escalation_deadline", "<=", now),
            ]
            + extra,
            "_sla_escalate",
            batch_size,
        )
        return {
            "stalled": stalled[:2],
            "escalated": escalated[:2],
            "recovered": recovered[0],
            "skipped": recovered[2] + stalled[2] + escalated[2],
        }

    @api.model
    def _sla_check(self, batch_size=None):
        """Flag the records of this model past their SLA, escalate, un-flag recovered ones.

        Runs in the caller's transaction and commits nothing (only the scheduled action
        commits, between its batches). Returns ``{"stalled": (done, failed),
        "escalated": (done, failed), "recovered": done, "skipped": records left because
        another transaction held them}``.
        """
        batches = self._sla_check_batches(batch_size)
        while True:
            try:
                next(batches)
            except StopIteration as end:
                return end.value

    @api.model
    def _sla_model_names(self):
        names = self.env.registry.descendants([self._name], "_inherit")
        return sorted(
            name
            for name in names
            if name in self.env and not self.env[name]._abstract and not self.env[name]._transient
        )

    # --------------------------------------------------------------- crons
    @api.model
    def _cron_check_sla(self, batch_size=None):
        """Scheduled action: the SLA check over every model that uses the mixin,
        committed batch by batch (:meth:`_sla_commit_batch`), so that no record stays
        locked longer than its batch; a record a user is editing is left to the next run.

        As Odoo's own crons that commit their batches, it never commits in a test
        (the transaction of a test must stay whole)."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        total = handled = 0
        for name in self._sla_model_names():
            # a savepoint cannot span a commit: once committing, a failure rolls back to
            # the last commit, which is the batch before
            guard = nullcontext() if auto_commit else self.env.cr.savepoint()
            try:
                with guard:
                    stats, handled = self._sla_cron_check_model(
                        name, batch_size, auto_commit, handled
                    )
            except Exception:
                _logger.exception("Funnel SLA: the check of %s failed", name)
                if auto_commit:
                    self.env.cr.rollback()
                continue
            _logger.info("Funnel SLA: %s %s", name, stats)
            total += stats["stalled"][0] + stats["escalated"][0]
        self.env["ir.cron"]._notify_progress(done=handled, remaining=0)
        return total

    @api.model
    def _sla_cron_check_model(self, model_name, batch_size, auto_commit, handled=0):
        """The SLA check of ``model_name`` as the scheduled action runs it: between its
        batches, :meth:`_sla_commit_batch`. Returns the check's statistics and
        ``handled`` plus the records it handled (the cron's progress)."""
        batches = self.env[model_name]._sla_check_batches(batch_size)
        while True:
            try:
                count, remaining = next(batches)
            except StopIteration as end:
                return end.value, handled
            handled += count
            self._sla_commit_batch(handled, remaining, auto_commit)

    @api.model
    def _sla_commit_batch(self, handled, remaining, auto_commit):
        """Between two batches of the scheduled action: report its progress to the
        cron and, with ``auto_commit``, commit what is done, which releases the rows of
        the batch (Odoo 18's pattern for crons that work in batches)."""
        self.env["ir.cron"]._notify_progress(done=handled, remaining=remaining)
        if auto_commit:
            # the one commit of the module: the scheduled action's, between two batches
            # (as core's batch crons and OCA's queue_job do); never in a test, nor in _sla_check
            self.env.cr.commit()  # pylint: disable=invalid-commit
