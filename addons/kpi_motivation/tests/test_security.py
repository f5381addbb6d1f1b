"""Trust boundaries (issue 15): what each role may do, tried as that role would try it."""

import psycopg2
from psycopg2 import errorcodes

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import new_test_user
from odoo.tools import SQL, mute_logger

from odoo.addons.kpi_motivation.hooks import uninstall_hook

from .test_scores import RollbackError, ScoreCase

CORE_TABLE_INDEXES = ["mail_message_kpi_activity_done_idx", "mail_tracking_value_kpi_field_idx"]
SCORE_FIELDS = ["points", "level_id", "payout", "state", "line_ids"]
LINE_FIELDS = ["action_id", "count", "points"]


class SecurityCase(ScoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "KPI company B"})
        cls.head_b = new_test_user(
            cls.env,
            login="kpi_head_b",
            name="Head of Sales B",
            groups="kpi_motivation.group_kpi_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.head_ab = new_test_user(
            cls.env,
            login="kpi_head_ab",
            name="Head of Sales A and B",
            groups="kpi_motivation.group_kpi_manager",
            company_id=cls.company_a.id,
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )

    def closed_score(self, user=None):
        """A score of the month before, computed and closed by the head of sales."""
        user = user or self.manager_1
        lead = self.make_lead(user)
        self.done_activity(user, lead, self.type_call)
        self.make_order(user, self.customer, 40_000)
        score = self.score_of(user)
        score.with_user(self.head).action_close()
        self.assertEqual(score.state, "closed")
        self.assertTrue(score.level_id)
        return score

    def snapshot(self, score):
        score.invalidate_recordset()
        score.line_ids.invalidate_recordset()
        return (
            score.read(SCORE_FIELDS)[0],
            score.line_ids.read(LINE_FIELDS),
        )


class TestOtherCompanies(SecurityCase):
    """A user of company B neither reads nor changes anything of company A."""

    def company_a_records(self):
        scores = self.env["motivation.score"]._ensure_scores(
            self.month_start, self.month_end, self.scheme
        )
        scores._compute_scores()
        plan = self.make_plan(
            [(self.stage_lead, 0.6), (self.stage_qualified, 0.45), (self.stage_proposal, 0.35)]
        )
        plan.action_decompose()
        self.make_order(self.manager_1, self.customer, 1_000)
        self.make_lead(self.manager_1).action_set_won()
        self.env.flush_all()
        records = {
            "sales.plan": plan,
            "sales.plan.step": plan.step_ids,
            "motivation.scheme": self.scheme,
            "motivation.action": self.scheme.action_ids,
            "motivation.level": self.scheme.level_ids,
            "motivation.score": scores,
            "motivation.score.line": scores.line_ids,
        }
        if "motivation.scheme.participant" in self.env:
            records["motivation.scheme.participant"] = self.scheme.participant_ids
        return records

    def test_a_user_of_company_b_sees_nothing_of_company_a(self):
        records = self.company_a_records()
        for model, recs in records.items():
            with self.subTest(model=model):
                self.assertTrue(recs, f"no {model} of company A to protect")
                self.assertEqual(recs.company_id, self.company_a)
                Model = self.env[model].with_user(self.head_b)
                self.assertFalse(Model.search([("id", "in", recs.ids)]))
                self.assertFalse(Model.search_count([]))
                self.assertFalse(Model.search_read([], ["id"]))
                self.assertFalse(Model.read_group([], ["company_id"], ["company_id"]))
                with self.assertRaises(AccessError):
                    recs.with_user(self.head_b).read(["company_id"])
        for model in ("kpi.report", "kpi.daily.report", "kpi.stage.report"):
            with self.subTest(model=model):
                domain = [("company_id", "=", self.company_a.id)]
                self.assertTrue(self.env[model].search_count(domain), f"no {model} row of A")
                self.assertFalse(self.env[model].with_user(self.head_b).search_count(domain))

    def test_a_user_of_company_b_changes_nothing_of_company_a(self):
        records = self.company_a_records()
        action, level = self.action["Call"], self.scheme.level_ids[0]
        step, line = records["sales.plan.step"][0], records["motivation.score.line"][0]
        before = (
            action.read(["points", "name"]),
            level.read(["salary_share", "commission_rate"]),
            step.read(["conversion", "required_count"]),
            line.read(LINE_FIELDS),
        )
        for record, values in (
            (action, {"points": 1_000}),
            (level, {"salary_share": 10.0, "commission_rate": 90}),
            (step, {"conversion": 1.0}),
        ):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(self.head_b).write(values)
        for record in (action, level, step):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(self.head_b).unlink()
        # nor puts company B's records into company A's scheme or plan
        with self.assertRaises(AccessError):
            self.env["motivation.action"].with_user(self.head_b).create(
                {"scheme_id": self.scheme.id, "name": "Sneaked in", "action_type": "won"}
            )
        with self.assertRaises(AccessError):
            self.env["motivation.level"].with_user(self.head_b).create(
                {"scheme_id": self.scheme.id, "name": "Sneaked in", "min_points": 1}
            )
        self.env.invalidate_all()
        after = (
            action.read(["points", "name"]),
            level.read(["salary_share", "commission_rate"]),
            step.read(["conversion", "required_count"]),
            line.read(LINE_FIELDS),
        )
        self.assertEqual(after, before)
        self.assertEqual(len(self.scheme.action_ids), 6)
        self.assertEqual(len(self.scheme.level_ids), 3)

    def test_a_head_of_both_companies_sees_both(self):
        records = self.company_a_records()
        scheme_b = (
            self.env["motivation.scheme"]
            .with_user(self.head_b)
            .create(
                {
                    "name": "Scheme of B",
                    "action_ids": [Command.create({"name": "Won B", "action_type": "won"})],
                    "level_ids": [Command.create({"name": "Level B", "min_points": 0})],
                }
            )
        )
        self.assertEqual(scheme_b.company_id, self.company_b)
        both = (self.company_a | self.company_b).ids
        Action = self.env["motivation.action"].with_user(self.head_ab)
        ids = (records["motivation.action"] | scheme_b.action_ids).ids
        self.assertEqual(
            Action.with_context(allowed_company_ids=both).search([("id", "in", ids)]).company_id,
            self.company_a | self.company_b,
        )
        # with only company A selected, only A's
        self.assertEqual(
            Action.with_context(allowed_company_ids=self.company_a.ids)
            .search([("id", "in", ids)])
            .company_id,
            self.company_a,
        )
        Level = self.env["motivation.level"].with_user(self.head_ab)
        self.assertEqual(
            Level.with_context(allowed_company_ids=both)
            .search([("scheme_id", "in", (self.scheme | scheme_b).ids)])
            .company_id,
            self.company_a | self.company_b,
        )

    def test_records_of_another_company_cannot_be_linked(self):
        only_a = new_test_user(self.env, login="kpi_only_a", groups="kpi_motivation.group_kpi_user")
        self.assertEqual(only_a.company_ids, self.company_a)
        Scheme = self.env["motivation.scheme"].with_user(self.head_b)
        with self.assertRaisesRegex(UserError, "(?i)compan"):
            Scheme.create({"name": "B pays A's manager", "user_ids": [Command.link(only_a.id)]})
        with self.assertRaisesRegex(UserError, "(?i)compan"):
            self.env["sales.plan"].with_user(self.head_b).create(
                {
                    "name": "B plans A's manager",
                    "user_id": only_a.id,
                    "date_from": self.month_start,
                    "date_to": self.month_end,
                }
            )
        # a count of company A's score cannot point at an action of company B
        scheme_b = Scheme.create(
            {
                "name": "Scheme of B",
                "action_ids": [Command.create({"name": "Won B", "action_type": "won"})],
            }
        )
        score = self.compute(self.manager_1)
        with self.assertRaisesRegex(UserError, "(?i)compan"):
            self.env["motivation.score.line"].create(
                {"score_id": score.id, "action_id": scheme_b.action_ids.id}
            )


class TestOwnVsAll(SecurityCase):
    """A sales manager reads their own scores, counts, plans and KPIs, and changes nothing."""

    def test_a_manager_reads_only_their_own_over_every_read(self):
        scores = self.env["motivation.score"]._ensure_scores(
            self.month_start, self.month_end, self.scheme
        )
        scores._compute_scores()
        self.make_plan(user_id=self.manager_2.id, team_id=False, name="Boris's plan")
        self.make_order(self.manager_1, self.customer, 1_000)
        self.make_order(self.manager_2, self.customer, 2_000)
        self.make_lead(self.manager_2).action_set_won()
        self.env.flush_all()
        me = self.manager_1
        for model in (
            "motivation.score",
            "motivation.score.line",
            "kpi.report",
            "kpi.daily.report",
            "kpi.stage.report",
        ):
            with self.subTest(model=model):
                Model = self.env[model].with_user(me)
                domain = [("user_id", "in", self.managers.ids)]
                self.assertTrue(self.env[model].search_count([("user_id", "=", self.manager_2.id)]))
                rows = Model.search_read(domain, ["user_id"])
                self.assertEqual({row["user_id"][0] for row in rows}, {me.id} if rows else set())
                groups = Model.read_group(domain, ["user_id"], ["user_id"])
                self.assertLessEqual({g["user_id"][0] for g in groups}, {me.id})
                self.assertFalse(Model.search_count([("user_id", "=", self.manager_2.id)]))
        other = scores.filtered(lambda s: s.user_id == self.manager_2)
        for record in (other, other.line_ids[:1]):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(me).read(["points"])
        Plan = self.env["sales.plan"].with_user(me)
        self.assertFalse(Plan.search([("user_id", "=", self.manager_2.id)]))
        self.assertFalse(
            self.env["sales.plan.step"]
            .with_user(me)
            .search([("plan_id.user_id", "=", self.manager_2.id)])
        )

    def test_a_manager_changes_nothing(self):
        score = self.compute(self.manager_1)
        plan = self.make_plan(
            [(self.stage_lead, 0.6), (self.stage_qualified, 0.45), (self.stage_proposal, 0.35)]
        )
        plan.action_decompose()
        me = self.manager_1
        before = (
            self.snapshot(score),
            plan.read(["revenue_target", "state"]),
            plan.step_ids.read(["conversion", "required_count"]),
            self.scheme.level_ids.read(["min_points", "salary_share", "commission_rate"]),
            self.scheme.action_ids.read(["points", "name"]),
        )
        attempts = [
            (UserError, lambda: score.with_user(me).action_close()),
            (AccessError, lambda: score.with_user(me).action_compute()),
            (AccessError, lambda: score.with_user(me).write({"payout": 1_000_000})),
            (
                AccessError,
                lambda: self.env["motivation.score"].with_user(me).action_compute_month(),
            ),
            (AccessError, lambda: score.line_ids.with_user(me).write({"count": 99})),
            (AccessError, lambda: plan.with_user(me).action_decompose()),
            (AccessError, lambda: plan.with_user(me).action_reset_conversions()),
            (AccessError, lambda: plan.step_ids.with_user(me).write({"conversion": 1.0})),
            (AccessError, lambda: self.scheme.level_ids.with_user(me).write({"salary_share": 5.0})),
            (AccessError, lambda: self.scheme.level_ids.with_user(me).unlink()),
            (AccessError, lambda: self.scheme.action_ids.with_user(me).write({"points": 500})),
            (AccessError, lambda: self.scheme.with_user(me).write({"base_salary": 1_000_000})),
        ]
        if "active" in self.env["motivation.action"]._fields:
            attempts.append(
                (AccessError, lambda: self.scheme.action_ids.with_user(me).action_archive())
            )
        for index, (error, attempt) in enumerate(attempts):
            with self.subTest(attempt=index), self.assertRaises(error):
                attempt()
        self.env.invalidate_all()
        after = (
            self.snapshot(score),
            plan.read(["revenue_target", "state"]),
            plan.step_ids.read(["conversion", "required_count"]),
            self.scheme.level_ids.read(["min_points", "salary_share", "commission_rate"]),
            self.scheme.action_ids.read(["points", "name"]),
        )
        self.assertEqual(after, before)
        self.assertEqual(score.state, "open")


class TestFrozenHistory(SecurityCase):
    """A closed period survives the deletion of what it refers to."""

    def test_the_action_of_a_closed_period_is_archived_not_deleted(self):
        score = self.closed_score()
        before = self.snapshot(score)
        call = self.action["Call"]
        with self.assertRaisesRegex(UserError, "Call.*closed periods.*archive"):
            call.with_user(self.head).unlink()
        with self.assertRaisesRegex(UserError, "closed periods"):
            self.scheme.with_user(self.head).write({"action_ids": [Command.delete(call.id)]})
        self.assertEqual(self.snapshot(score), before)
        # archived, it counts no more in open periods and stays in the closed one
        call.with_user(self.head).action_archive()
        open_score = self.compute(self.manager_2)
        self.assertNotIn(call, open_score.line_ids.action_id)
        self.assertEqual(self.snapshot(score), before)
        self.assertIn(call, score.line_ids.action_id)

    def test_the_level_of_a_closed_period_is_archived_not_deleted(self):
        score = self.closed_score()
        before = self.snapshot(score)
        level = score.level_id
        with self.assertRaisesRegex(UserError, "closed periods.*archive"):
            level.with_user(self.head).unlink()
        self.assertEqual(self.snapshot(score), before)
        level.with_user(self.head).action_archive()
        self.assertEqual(self.snapshot(score), before)
        self.assertEqual(score.level_id, level)

    def test_the_database_keeps_a_closed_periods_references(self):
        score = self.closed_score()
        before = self.snapshot(score)
        for table, record in (
            ("motivation_action", self.action["Call"]),
            ("motivation_level", score.level_id),
        ):
            with self.subTest(table=table):
                with (
                    mute_logger("odoo.sql_db"),
                    self.assertRaises(psycopg2.IntegrityError) as caught,
                    self.env.cr.savepoint(),
                ):
                    self.env.cr.execute(
                        SQL("DELETE FROM %s WHERE id = %s", SQL.identifier(table), record.id)
                    )
                self.assertEqual(caught.exception.pgcode, errorcodes.FOREIGN_KEY_VIOLATION)
        self.env.invalidate_all()
        self.assertEqual(self.snapshot(score), before)

    def test_open_periods_lose_a_deleted_action_and_are_recomputed(self):
        lead = self.make_lead(self.manager_1)
        self.done_activity(self.manager_1, lead, self.type_meeting)
        score = self.compute(self.manager_1)
        self.assertEqual(score.points, 10)
        self.action["Meeting"].with_user(self.head).unlink()
        self.assertNotIn("Meeting", score.line_ids.action_id.mapped("name"))
        self.assertEqual(score.points, 0)
        # a level of open periods only goes too, and they take another (none here)
        below = self.scheme.level_ids.filtered(lambda level: level.name == "Below")
        self.assertEqual(score.level_id, below)
        below.with_user(self.head).unlink()
        self.assertFalse(score.level_id)
        self.assertEqual(score.state, "open")

    def test_a_crm_stage_of_a_plan_cannot_be_deleted(self):
        plan = self.make_plan(
            [(self.stage_lead, 0.6), (self.stage_qualified, 0.45), (self.stage_proposal, 0.35)]
        )
        plan.action_decompose()
        steps = plan.step_ids.read(["stage_id", "required_count"])
        sales_manager = new_test_user(
            self.env, login="kpi_crm_admin", groups="sales_team.group_sale_manager"
        )
        with self.assertRaisesRegex(UserError, "KPI Qualified.*Team plan"):
            self.stage_qualified.with_user(sales_manager).unlink()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute("DELETE FROM crm_stage WHERE id = %s", [self.stage_qualified.id])
        self.env.invalidate_all()
        self.assertEqual(plan.step_ids.read(["stage_id", "required_count"]), steps)


class TestOneSchemePerManager(SecurityCase):
    def test_a_manager_joining_a_second_scheme_is_refused(self):
        message = "already take part in another active scheme"
        Scheme = self.env["motivation.scheme"].with_user(self.head)
        with (
            self.assertRaisesRegex(ValidationError, f"Anna Manager {message}"),
            self.env.cr.savepoint(),
        ):
            Scheme.create({"name": "Second", "user_ids": [Command.link(self.manager_1.id)]})
        # through a team of the other scheme too, which the Python check missed
        extra = new_test_user(self.env, login="kpi_extra", groups="kpi_motivation.group_kpi_user")
        self.scheme.write({"user_ids": [Command.link(extra.id)]})
        other_team = self.env["crm.team"].create({"name": "Other team"})
        second = Scheme.create({"name": "Second", "team_ids": [Command.link(other_team.id)]})
        with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
            other_team.write({"member_ids": [Command.link(extra.id)]})
        self.assertFalse(other_team.member_ids)
        self.assertFalse(second.participant_ids)
        self.assertIn(extra, self.scheme.participant_ids.user_id)
        # an archived scheme pays nobody: its managers may join another one
        self.scheme.with_user(self.head).action_archive()
        self.assertFalse(self.scheme.participant_ids)
        second.write({"user_ids": [Command.link(self.manager_1.id)]})
        self.assertEqual(second.participant_ids.user_id, self.manager_1)
        with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
            self.scheme.with_user(self.head).action_unarchive()
        self.assertFalse(self.scheme.active)
        self.assertEqual(second.participant_ids.user_id, self.manager_1)

    def test_the_database_refuses_two_schemes_for_a_manager(self):
        """Two concurrent saves each pass the Python check; the database refuses the second,
        and the error reads as the check does."""
        second = self.env["motivation.scheme"].create({"name": "Second"})
        self.assertIn(self.manager_1, self.scheme.participant_ids.user_id)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError) as caught,
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                """INSERT INTO motivation_scheme_participant (scheme_id, user_id, company_id)
                   VALUES (%s, %s, %s)""",
                [second.id, self.manager_1.id, second.company_id.id],
            )
        self.assertEqual(caught.exception.pgcode, errorcodes.UNIQUE_VIOLATION)
        error = _as_validation_error(self.env, caught.exception)
        self.assertIn("a manager is paid by one scheme", str(error))


class TestUninstallAndCron(SecurityCase):
    def test_uninstall_drops_the_indexes_on_core_tables(self):
        def indexes():
            self.env.cr.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)",
                [CORE_TABLE_INDEXES],
            )
            return {row[0] for row in self.env.cr.fetchall()}

        self.assertEqual(indexes(), set(CORE_TABLE_INDEXES))
        with self.assertRaises(RollbackError), self.env.cr.savepoint():
            uninstall_hook(self.env)
            self.assertEqual(indexes(), set())
            raise RollbackError
        self.assertEqual(len(indexes()), 2)

    def test_the_cron_computes_a_batch_per_call_and_reports_the_rest(self):
        """As the scheduler runs it: each call computes one batch and reports the rest
        through ir.cron._notify_progress; the scheduler commits and calls again."""
        cron = self.env.ref("kpi_motivation.ir_cron_compute_scores")
        cron.nextcall = fields.Datetime.now()
        Score = self.env["motivation.score"]
        Progress = self.env["ir.cron.progress"]
        done, calls = 0, 0
        while True:
            progress = Progress.create({"cron_id": cron.id})
            Score.with_context(
                cron_id=cron.id, ir_cron_progress_id=progress.id
            )._cron_compute_scores(batch_size=3)
            calls += 1
            self.assertLessEqual(progress.done, 3)
            done += progress.done
            if not progress.remaining:
                break
            self.assertLess(calls, 10)
        # this month and the previous one of the four managers (and of the demo's), each
        # computed once
        scores = Score.search([("scheme_id", "=", self.scheme.id)])
        self.assertEqual(len(scores), 8)
        computed = Score.search([("computed_on", ">=", cron.nextcall)])
        self.assertEqual(done, len(computed))
        self.assertEqual(calls, -(-done // 3))
        self.assertLessEqual(scores, computed)
        self.assertFalse(
            Score.search([("state", "=", "open"), ("computed_on", "<", cron.nextcall)])
        )
        # a run later finds them computed since it was due
        progress = Progress.create({"cron_id": cron.id})
        Score.with_context(cron_id=cron.id, ir_cron_progress_id=progress.id)._cron_compute_scores()
        self.assertEqual((progress.done, progress.remaining), (0, 0))
