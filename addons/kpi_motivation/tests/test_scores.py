from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError

from odoo.addons.kpi_motivation.hooks import uninstall_hook

from .common import KpiCase


class RollbackError(Exception):
    pass


class ScoreCase(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls.env["motivation.scheme"].create(
            {
                "name": "KPI test scheme",
                "base_salary": 20_000,
                "team_ids": [Command.link(cls.team.id)],
                "action_ids": [
                    Command.create(
                        {
                            "name": "Call",
                            "action_type": "activity",
                            "activity_type_id": cls.type_call.id,
                            "points": 2,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Meeting",
                            "action_type": "activity",
                            "activity_type_id": cls.type_meeting.id,
                            "points": 10,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Proposal",
                            "action_type": "stage",
                            "stage_id": cls.stage_proposal.id,
                            "points": 15,
                        }
                    ),
                    Command.create({"name": "Won", "action_type": "won", "points": 30}),
                    Command.create(
                        {"name": "New customer", "action_type": "new_customer", "points": 20}
                    ),
                    Command.create({"name": "Order", "action_type": "order", "points": 5}),
                ],
                "level_ids": [
                    Command.create(
                        {
                            "name": "Below",
                            "min_points": 0,
                            "salary_share": 0.5,
                            "commission_rate": 10,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Plan",
                            "min_points": 50,
                            "salary_share": 1.0,
                            "commission_rate": 15,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Above",
                            "min_points": 100,
                            "salary_share": 1.3,
                            "commission_rate": 20,
                        }
                    ),
                ],
            }
        )
        cls.action = {action.name: action for action in cls.scheme.action_ids}
        cls.customer = cls.env["res.partner"].create(
            {"name": "KPI new customer", "is_company": True}
        )
        cls.old_customer = cls.env["res.partner"].create(
            {"name": "KPI old customer", "is_company": True}
        )

    def score_of(self, user):
        scores = self.env["motivation.score"]._ensure_scores(
            self.month_start, self.month_end, self.scheme
        )
        return scores.filtered(lambda s: s.user_id == user)

    def compute(self, user):
        score = self.score_of(user)
        score.action_compute()
        return score

    def count(self, score, name):
        return score.line_ids.filtered(lambda line: line.action_id == self.action[name]).count


class TestScores(ScoreCase):
    def test_done_activities_are_credited_to_who_did_them(self):
        lead_1 = self.make_lead(self.manager_1)
        lead_2 = self.make_lead(self.manager_2)
        self.done_activity(self.manager_1, lead_1, self.type_call)
        self.done_activity(self.manager_1, lead_1, self.type_call)
        self.done_activity(self.manager_1, lead_1, self.type_todo)  # not in the scheme
        self.done_activity(self.manager_2, lead_2, self.type_meeting)
        # an activity planned but not done counts nothing
        self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": lead_1.id,
                "activity_type_id": self.type_call.id,
                "user_id": self.manager_1.id,
            }
        )
        score_1, score_2 = self.compute(self.manager_1), self.compute(self.manager_2)
        self.assertEqual(self.count(score_1, "Call"), 2)
        self.assertEqual(self.count(score_1, "Meeting"), 0)
        self.assertEqual(self.count(score_2, "Meeting"), 1)
        self.assertEqual(self.count(score_2, "Call"), 0)
        self.assertEqual(score_1.points, 4)
        self.assertEqual(score_2.points, 10)

    def test_reaching_a_stage_counts_once(self):
        lead = self.make_lead(self.manager_1)
        self.flush_tracking()
        self.move(lead, self.stage_proposal)
        self.move(lead, self.stage_qualified)
        self.move(lead, self.stage_proposal)  # re-opening the stage pays nothing more
        score = self.compute(self.manager_1)
        self.assertEqual(self.count(score, "Proposal"), 1)
        self.assertEqual(score.points, 15)

    def test_stage_reached_before_the_period_does_not_pay_again(self):
        lead = self.make_lead(self.manager_1)
        self.flush_tracking()
        self.move(lead, self.stage_proposal)
        self.set_message_dates(
            lead, fields.Datetime.to_datetime(self.month_start) - relativedelta(days=3)
        )
        self.move(lead, self.stage_qualified)
        self.move(lead, self.stage_proposal)
        score = self.compute(self.manager_1)
        self.assertEqual(self.count(score, "Proposal"), 0)

    def test_the_manager_responsible_at_the_move_is_credited(self):
        handed_over = self.make_lead(self.manager_1)
        taken_over = self.make_lead(self.manager_1)
        self.flush_tracking()
        self.move(handed_over, self.stage_proposal)
        handed_over.user_id = self.manager_2  # later: the first manager keeps the points
        taken_over.user_id = self.manager_2
        self.flush_tracking()
        self.move(taken_over, self.stage_proposal)  # after the hand-over: the second manager
        score_1, score_2 = self.compute(self.manager_1), self.compute(self.manager_2)
        self.assertEqual(self.count(score_1, "Proposal"), 1)
        self.assertEqual(self.count(score_2, "Proposal"), 1)

    def test_won_opportunities(self):
        leads = self.make_lead(self.manager_3) | self.make_lead(self.manager_3)
        self.flush_tracking()
        leads[0].action_set_won()
        self.flush_tracking()
        leads[1].action_set_lost()
        self.flush_tracking()
        score = self.compute(self.manager_3)
        self.assertEqual(self.count(score, "Won"), 1)
        self.assertEqual(score.points, 30)

    def test_orders_new_customers_revenue_level_and_payout(self):
        # the old customer bought last month: not new this month
        old = self.make_order(self.manager_4, self.old_customer, 5_000)
        old.date_order = fields.Datetime.to_datetime(self.month_start) - relativedelta(days=2)
        self.make_order(self.manager_4, self.old_customer, 10_000)
        self.make_order(self.manager_4, self.customer, 20_000)
        self.make_order(self.manager_4, self.customer, 30_000)
        self.make_order(self.manager_4, self.customer, 99_000, confirm=False)  # a quotation
        score = self.compute(self.manager_4)
        self.assertEqual(self.count(score, "Order"), 3)
        self.assertEqual(self.count(score, "New customer"), 1)
        self.assertEqual(score.points, 3 * 5 + 20)
        self.assertEqual(score.revenue, 60_000)
        self.assertEqual(score.level_id.name, "Below")
        self.assertEqual(score.payout, 20_000 * 0.5 + 60_000 * 0.10)

    def test_period_is_the_managers_local_month(self):
        self.manager_4.tz = "Europe/Moscow"  # UTC+3
        first = fields.Datetime.to_datetime(self.month_start)
        after = fields.Datetime.to_datetime(self.month_end) + relativedelta(days=1)
        # 00:30 in Moscow on the first of the month, still the month before in UTC: counted
        inside = self.make_order(self.manager_4, self.customer, 10_000)
        inside.date_order = first - relativedelta(hours=2, minutes=30)
        # 00:30 in Moscow on the first of next month, still this month in UTC: not counted
        outside = self.make_order(self.manager_4, self.old_customer, 20_000)
        outside.date_order = after - relativedelta(hours=2, minutes=30)
        score = self.compute(self.manager_4)
        self.assertEqual(self.count(score, "Order"), 1)
        self.assertEqual(score.revenue, 10_000)
        # in UTC it is the other way round
        self.manager_4.tz = "UTC"
        score.action_compute()
        self.assertEqual(self.count(score, "Order"), 1)
        self.assertEqual(score.revenue, 20_000)

    def test_levels_turn_points_into_salary_and_commission(self):
        lead = self.make_lead(self.manager_1)
        for _index in range(5):
            self.done_activity(self.manager_1, lead, self.type_meeting)
        self.make_order(self.manager_1, self.customer, 40_000)
        score = self.compute(self.manager_1)
        self.assertEqual(score.points, 5 * 10 + 5 + 20)  # 75: level "Plan" from 50
        self.assertEqual(score.level_id.name, "Plan")
        self.assertEqual(score.salary_part, 20_000)
        self.assertEqual(score.commission_part, 6_000)
        self.assertEqual(score.payout, 26_000)
        for _index in range(3):
            self.done_activity(self.manager_1, lead, self.type_meeting)
        score.action_compute()
        self.assertEqual(score.points, 105)
        self.assertEqual(score.level_id.name, "Above")
        self.assertEqual(score.payout, 20_000 * 1.3 + 40_000 * 0.2)

    def test_uninstall_hook_lets_the_schemes_and_managers_go(self):
        score = self.compute(self.manager_1)
        with self.assertRaises(RollbackError), self.env.cr.savepoint():
            uninstall_hook(self.env)
            # what Odoo removes next: the scheme (the scores restricted it) and a manager
            self.env.cr.execute("DELETE FROM motivation_scheme WHERE id = %s", [self.scheme.id])
            self.env.cr.execute("DELETE FROM res_users WHERE id = %s", [self.manager_1.id])
            raise RollbackError
        self.assertTrue(score.exists())

    def test_closed_period_is_frozen(self):
        lead = self.make_lead(self.manager_2)
        self.done_activity(self.manager_2, lead, self.type_call)
        score = self.score_of(self.manager_2)
        with self.assertRefused(UserError, "head of sales"):
            score.with_user(self.manager_2).action_close()
        score.with_user(self.head).action_close()
        self.assertEqual(score.state, "closed")
        self.assertEqual(score.points, 2)
        self.done_activity(self.manager_2, lead, self.type_call)
        with self.assertRefused(UserError, "closed"):
            score.action_compute()
        with self.assertRefused(UserError, "closed"):
            score.write({"payout": 1})
        with self.assertRefused(UserError, "closed"):
            score.line_ids.write({"count": 10})
        with self.assertRefused(UserError, "closed"):
            score.unlink()
        # the cron leaves it as it was and computes the others
        self.env["motivation.score"]._cron_compute_scores()
        self.assertEqual(score.points, 2)
        self.assertEqual(self.score_of(self.manager_1).state, "open")
        self.assertTrue(self.score_of(self.manager_1).computed_on)

    def test_cron_makes_a_score_per_participant(self):
        self.env["motivation.score"]._cron_compute_scores()
        scores = self.env["motivation.score"].search(
            [("scheme_id", "=", self.scheme.id), ("date_from", "=", self.month_start)]
        )
        self.assertEqual(scores.user_id, self.managers)
        self.assertEqual(set(scores.mapped("date_to")), {self.month_end})
        self.assertTrue(all(len(s.line_ids) == 6 for s in scores))

    def test_the_current_month_is_each_managers_own(self):
        """At 22:30 UTC on 30 November it is already 1 December in Moscow: the scores of the
        current month are December's for a Moscow manager and November's for a manager in
        UTC, whoever presses the button, and the cron also keeps each one's previous month."""
        Score = self.env["motivation.score"]
        self.manager_1.tz = "Europe/Moscow"
        (self.managers - self.manager_1).tz = "UTC"
        with freeze_time("2026-11-30 22:30:00"):
            Score.with_user(self.head).action_compute_month()
            current = Score.search([("scheme_id", "=", self.scheme.id)])
            self.assertEqual(
                {(s.user_id, str(s.date_from)) for s in current},
                {(self.manager_1, "2026-12-01")}
                | {(user, "2026-11-01") for user in self.managers - self.manager_1},
            )
            Score._cron_compute_scores()
            scores = Score.search([("scheme_id", "=", self.scheme.id)])
        self.assertEqual(
            {(s.user_id, str(s.date_from)) for s in scores},
            {(self.manager_1, month) for month in ("2026-11-01", "2026-12-01")}
            | {
                (u, m) for u in self.managers - self.manager_1 for m in ("2026-10-01", "2026-11-01")
            },
        )

    def test_statement_pdf_lists_the_counts_and_the_payout(self):
        score = self.compute(self.manager_1)
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "kpi_motivation.report_motivation_score", score.ids
        )
        html = html.decode()
        self.assertIn("Anna Manager", html)
        self.assertIn("Monthly Statement", html)
        self.assertIn("New customer", html)
