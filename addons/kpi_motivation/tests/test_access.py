from odoo.exceptions import AccessError

from .test_scores import ScoreCase


class TestAccess(ScoreCase):
    def test_managers_see_their_own_scores_and_the_head_sees_all(self):
        scores = self.env["motivation.score"]._ensure_scores(
            self.month_start, self.month_end, self.scheme
        )
        scores._compute_scores()
        Score = self.env["motivation.score"]
        own = Score.with_user(self.manager_1).search([("id", "in", scores.ids)])
        self.assertEqual(own.user_id, self.manager_1)
        self.assertEqual(Score.with_user(self.head).search([("id", "in", scores.ids)]), scores)
        other = scores.filtered(lambda s: s.user_id == self.manager_2)
        with self.assertRaises(AccessError):
            other.with_user(self.manager_1).read(["payout"])
        lines = (
            self.env["motivation.score.line"]
            .with_user(self.manager_1)
            .search([("score_id", "in", scores.ids)])
        )
        self.assertEqual(lines.score_id, own)
        # a manager neither edits nor recomputes nor closes
        with self.assertRaises(AccessError):
            own.with_user(self.manager_1).write({"state": "closed"})
        with self.assertRaises(AccessError):
            own.with_user(self.manager_1).action_compute()
        with self.assertRaises(AccessError):
            own.with_user(self.manager_1).unlink()
        # the portal sees nothing
        with self.assertRaises(AccessError):
            Score.with_user(self.portal_user).search([])

    def test_plans_own_and_team_for_managers_all_for_the_head(self):
        Plan = self.env["sales.plan"]
        values = {"date_from": self.month_start, "date_to": self.month_end}
        team_plan = Plan.create({"name": "Team", "team_id": self.team.id, **values})
        own_plan = Plan.create({"name": "Own", "user_id": self.manager_1.id, **values})
        other_plan = Plan.create({"name": "Other", "user_id": self.manager_2.id, **values})
        plans = team_plan | own_plan | other_plan
        self.assertEqual(
            Plan.with_user(self.manager_1).search([("id", "in", plans.ids)]), team_plan | own_plan
        )
        self.assertEqual(Plan.with_user(self.head).search([("id", "in", plans.ids)]), plans)
        with self.assertRaises(AccessError):
            Plan.with_user(self.manager_1).create(
                {"name": "Mine", "user_id": self.manager_1.id, **values}
            )
        with self.assertRaises(AccessError):
            own_plan.with_user(self.manager_1).write({"revenue_target": 1})
        head_plan = Plan.with_user(self.head).create(
            {"name": "By the head", "team_id": self.team.id, "revenue_target": 100, **values}
        )
        head_plan.write({"average_deal": 10})
        with self.assertRaises(AccessError):
            Plan.with_user(self.portal_user).search([])

    def test_schemes_are_read_by_managers_and_set_by_the_head(self):
        self.assertEqual(self.scheme.with_user(self.manager_1).name, "KPI test scheme")
        with self.assertRaises(AccessError):
            self.scheme.with_user(self.manager_1).write({"base_salary": 1_000_000})
        self.scheme.with_user(self.head).write({"base_salary": 25_000})
        with self.assertRaises(AccessError):
            self.env["motivation.level"].with_user(self.manager_1).create(
                {"scheme_id": self.scheme.id, "name": "Mine", "min_points": 1}
            )

    def test_kpi_reports_own_for_managers_all_for_the_head(self):
        self.make_order(self.manager_1, self.customer, 1_000)
        self.make_order(self.manager_2, self.customer, 2_000)
        self.env.flush_all()
        Report = self.env["kpi.report"]
        domain = [("user_id", "in", self.managers.ids)]
        self.assertEqual(Report.with_user(self.manager_1).search(domain).user_id, self.manager_1)
        self.assertEqual(
            Report.with_user(self.head).search(domain).user_id, self.manager_1 | self.manager_2
        )
        lead = self.make_lead(self.manager_2)
        lead.action_set_won()
        self.make_lead(self.manager_1)
        self.env.flush_all()
        Funnel = self.env["kpi.stage.report"]
        self.assertEqual(Funnel.with_user(self.manager_1).search(domain).user_id, self.manager_1)
        self.assertEqual(
            Funnel.with_user(self.head).search(domain).user_id, self.manager_1 | self.manager_2
        )
        Daily = self.env["kpi.daily.report"]
        self.assertFalse(Daily.with_user(self.manager_1).search(domain))
        self.assertEqual(Daily.with_user(self.head).search(domain).user_id, self.manager_2)
        with self.assertRaises(AccessError):
            Report.with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            Funnel.with_user(self.portal_user).search([])
