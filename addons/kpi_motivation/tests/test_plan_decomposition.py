from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.exceptions import UserError, ValidationError

from .common import KpiCase


class TestPlanDecomposition(KpiCase):
    def test_seed_003_plan_of_800000_at_40000_a_deal(self):
        """Seed 003: plan 800,000, average sale 40,000 → 20 sales for 4 managers; each
        earlier indicator = indicator / conversion of the previous one, rounded up."""
        plan = self.make_plan(
            [
                (self.stage_lead, 0.6),
                (self.stage_qualified, 0.45),
                (self.stage_proposal, 0.35),
            ]
        )
        plan.action_decompose()
        self.assertEqual(plan.sales_count, 20)
        self.assertEqual(plan.manager_count, 4)
        self.assertEqual(plan.revenue_per_manager, 200_000)
        self.assertEqual(plan.sales_per_manager, 5)
        stages, required, per_manager = self.counts(plan)
        self.assertEqual(
            stages,
            [self.stage_lead, self.stage_qualified, self.stage_proposal, self.stage_won],
        )
        # 20 / 0.35 = 57.1 → 58; 58 / 0.45 = 128.9 → 129; 129 / 0.6 = 215 (not 216:
        # the binary float 215.00000000000003 is not rounded up to 216)
        self.assertEqual(required, [215, 129, 58, 20])
        self.assertEqual(per_manager, [54, 33, 15, 5])
        self.assertTrue(plan.is_reachable)
        self.assertEqual(plan.state, "decomposed")
        self.assertEqual(
            plan.step_ids.filtered(lambda s: not s.is_won).mapped("conversion_source"),
            ["manual"] * 3,
        )

    def test_sales_count_rounds_up(self):
        plan = self.make_plan(
            [(self.stage_lead, 1.0), (self.stage_qualified, 1.0), (self.stage_proposal, 0.5)],
            revenue_target=810_000,
        )
        plan.action_decompose()
        self.assertEqual(plan.sales_count, 21)  # 20.25 sales → 21
        self.assertEqual(self.counts(plan)[1], [42, 42, 42, 21])

    def test_zero_conversion_marks_the_plan_unreachable(self):
        plan = self.make_plan(
            [(self.stage_lead, 0.5), (self.stage_qualified, 0.0), (self.stage_proposal, 0.4)]
        )
        plan.action_decompose()  # no ZeroDivisionError
        self.assertFalse(plan.is_reachable)
        self.assertIn("KPI Qualified", plan.unreachable_reason)
        self.assertIn("KPI Proposal", plan.unreachable_reason)
        self.assertIn("0%", plan.unreachable_reason)
        self.assertEqual(self.counts(plan)[1], [0, 0, 50, 20])
        self.assertIn("Unreachable", plan.message_ids[0].body)
        # entering a conversion makes it reachable again
        plan.step_ids.filtered(lambda s: s.stage_id == self.stage_qualified).conversion = 0.5
        plan.action_decompose()
        self.assertTrue(plan.is_reachable)
        self.assertFalse(plan.unreachable_reason)
        self.assertEqual(self.counts(plan)[1], [200, 100, 50, 20])

    def test_conversions_and_average_deal_from_history(self):
        """Leads of the team in the last months: how many reached each stage (from the stage
        tracking), the average won deal; entered conversions are kept over the history."""
        leads = self.env["crm.lead"]
        for index in range(10):
            leads |= self.make_lead(self.managers[index % 4], revenue=0)
        self.flush_tracking()
        qualified = leads[:6]
        self.move(qualified, self.stage_qualified)
        proposal = qualified[:3]
        self.move(proposal, self.stage_proposal)
        # a lead that went to the proposal and came back still reached the proposal
        self.move(proposal[2], self.stage_qualified)
        proposal[0].expected_revenue = 30_000
        proposal[1].expected_revenue = 50_000
        self.move(proposal[:2], self.stage_won)
        # the plan starts next month: this month's leads are its history
        next_month = self.month_start + relativedelta(months=1)
        plan = self.make_plan(
            date_from=next_month,
            date_to=next_month + relativedelta(months=1, days=-1),
            revenue_target=400_000,
            average_deal=0,
            average_deal_source="history",
            history_months=1,
        )
        plan.action_decompose()
        self.assertEqual(plan.history_lead_count, 10)
        self.assertEqual(plan.history_won_count, 2)
        self.assertEqual(plan.history_average_deal, 40_000)
        self.assertEqual(plan.average_deal, 40_000)
        self.assertEqual(plan.sales_count, 10)
        steps = plan.step_ids.sorted("sequence")
        self.assertEqual(steps.mapped("reached_count"), [10, 6, 3, 2])
        self.assertEqual(
            [round(c, 4) for c in steps.mapped("history_conversion")], [0.6, 0.5, 0.6667, 1.0]
        )
        self.assertEqual(steps.mapped("conversion_source"), ["history"] * 4)
        # 10 / (2/3) = 15; 15 / 0.5 = 30; 30 / 0.6 = 50
        self.assertEqual(steps.mapped("required_count"), [50, 30, 15, 10])
        # an entered conversion wins over the history, and is shown next to it
        steps[1].conversion = 0.25
        plan.action_decompose()
        self.assertEqual(steps[1].conversion_source, "manual")
        self.assertEqual(steps[1].history_conversion, 0.5)
        self.assertEqual(steps.mapped("required_count"), [100, 60, 15, 10])
        plan.action_reset_conversions()
        self.assertEqual(steps.mapped("required_count"), [50, 30, 15, 10])

    def test_history_average_needs_won_deals(self):
        plan = self.make_plan(average_deal=0, average_deal_source="history")
        with self.assertRefused(UserError, "no won deals"):
            plan.action_decompose()

    def test_plan_of_one_manager(self):
        plan = self.make_plan(
            [(self.stage_lead, 0.5), (self.stage_qualified, 0.5), (self.stage_proposal, 0.5)],
            team_id=False,
            user_id=self.manager_1.id,
            revenue_target=200_000,
        )
        plan.action_decompose()
        self.assertEqual(plan.manager_ids, self.manager_1)
        self.assertEqual(self.counts(plan)[1], [40, 20, 10, 5])
        self.assertEqual(self.counts(plan)[2], [40, 20, 10, 5])

    def test_partial_months_pro_rate(self):
        plan = self.make_plan(
            date_from=date(2030, 1, 1), date_to=date(2030, 2, 15), revenue_target=460_000
        )
        self.assertEqual(plan.day_count, 46)
        self.assertAlmostEqual(
            plan._prorated_target(date(2030, 1, 1), date(2030, 1, 31)), 310_000, places=2
        )
        self.assertAlmostEqual(
            plan._prorated_target(date(2030, 2, 1), date(2030, 2, 28)), 150_000, places=2
        )
        self.assertEqual(plan._prorated_target(date(2030, 3, 1), date(2030, 3, 31)), 0.0)

    def test_bad_input_is_refused_with_the_field_named(self):
        with self.assertRefused(ValidationError, "Salesperson or a Sales Team"):
            self.make_plan(team_id=False)
        with self.assertRefused(ValidationError, "Salesperson or a Sales Team"):
            # neither field given at all, as a script may do
            self.env["sales.plan"].create(
                {"name": "No scope", "date_from": "2031-01-01", "date_to": "2031-01-31"}
            )
        with self.assertRefused(ValidationError, "end date"):
            self.make_plan(date_to=self.month_start - relativedelta(days=1))
        plan = self.make_plan(average_deal=0)
        with self.assertRefused(UserError, "Average Deal"):
            plan.action_decompose()
        plan = self.make_plan(revenue_target=0)
        with self.assertRefused(UserError, "Revenue Target"):
            plan.action_decompose()
        with self.assertRefused(ValidationError, "between 0% and 100%"):
            self.make_plan([(self.stage_lead, 1.5)])

    def test_history_counts_the_days_of_the_plans_manager(self):
        """A Moscow manager's December plan learns from the deals won in their November:
        one closed at 23:00 in Moscow on 30 November counts, one closed at 01:30 in Moscow
        on 1 December (22:30 UTC on 30 November) does not."""
        self.manager_1.tz = "Europe/Moscow"
        november = self.make_lead(self.manager_1, revenue=30_000)
        december = self.make_lead(self.manager_1, revenue=90_000)
        self.move(november | december, self.stage_won)
        self.env.cr.execute(
            "UPDATE crm_lead SET date_closed = %s, create_date = %s WHERE id = %s",
            ["2026-11-30 20:00:00", "2026-11-10 08:00:00", november.id],
        )
        self.env.cr.execute(
            "UPDATE crm_lead SET date_closed = %s, create_date = %s WHERE id = %s",
            ["2026-11-30 22:30:00", "2026-11-10 08:00:00", december.id],
        )
        self.env.invalidate_all()
        plan = self.make_plan(
            user_id=self.manager_1.id,
            date_from=date(2026, 12, 1),
            date_to=date(2026, 12, 31),
            average_deal=0,
            average_deal_source="history",
            history_months=1,
        )
        plan.action_decompose()
        self.assertEqual(plan.history_won_count, 1)
        self.assertEqual(plan.history_average_deal, 30_000)
