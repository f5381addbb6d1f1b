from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields

from .common import KpiCase


class TestKpiReport(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.env["res.partner"].create(
            [{"name": f"KPI customer {n}", "is_company": True} for n in range(3)]
        )

    def backdate(self, order, months=1):
        when = (
            fields.Datetime.to_datetime(self.month_start)
            - relativedelta(months=months)
            + relativedelta(days=2)
        )
        order.date_order = when
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order SET create_date = %s WHERE id = %s", [when, order.id]
        )

    def rows(self, user, month=None):
        self.env.flush_all()
        return self.env["kpi.report"].search(
            [("user_id", "=", user.id), ("month", "=", month or self.month_start)]
        )

    def test_revenue_plan_customers_churn_and_repeat_deals(self):
        a, b, c = self.partners
        self.backdate(self.make_order(self.manager_3, a, 1_000))
        self.backdate(self.make_order(self.manager_3, b, 1_000))
        self.make_order(self.manager_3, a, 3_000)  # a stays (repeat deal), b is lost
        self.make_order(self.manager_3, c, 5_000)  # c is new
        self.make_order(self.manager_3, c, 2_000, confirm=False)  # a proposal only
        self.env["sales.plan"].create(
            {
                "name": "Vera's month",
                "user_id": self.manager_3.id,
                "date_from": self.month_start,
                "date_to": self.month_end,
                "revenue_target": 16_000,
            }
        )
        lead = self.make_lead(self.manager_3)
        self.done_activity(self.manager_3, lead, self.type_call)
        self.done_activity(self.manager_3, lead, self.type_call)
        self.done_activity(self.manager_3, lead, self.type_meeting)
        row = self.rows(self.manager_3)
        self.assertEqual(len(row), 1)
        self.assertEqual(row.revenue, 8_000)
        self.assertEqual(row.margin, 8_000)  # without sale_margin: the untaxed amount
        self.assertEqual(row.plan_amount, 16_000)
        self.assertEqual(row.plan_percent, 50)
        self.assertEqual(row.order_count, 2)
        self.assertEqual(row.proposal_count, 3)  # every quotation made this month
        self.assertEqual(row.call_count, 2)
        self.assertEqual(row.meeting_count, 1)
        self.assertEqual(row.new_customers, 1)
        self.assertEqual(row.customers, 2)
        self.assertEqual(row.prev_customers, 2)
        self.assertEqual(row.churned_customers, 1)
        self.assertEqual(row.churn_rate, 50)
        self.assertEqual(row.inflow_rate, 50)
        self.assertEqual(row.repeat_orders, 1)
        self.assertEqual(row.repeat_share, 50)
        previous = self.rows(self.manager_3, self.month_start - relativedelta(months=1))
        self.assertEqual(previous.new_customers, 2)
        self.assertEqual(previous.revenue, 2_000)

    def test_team_ratios_are_recomputed_from_the_sums(self):
        a, b, c = self.partners
        # manager 1: plan 10,000, sold 10,000 (100%); manager 2: plan 30,000, sold 0 (0%)
        for user, target in ((self.manager_1, 10_000), (self.manager_2, 30_000)):
            self.env["sales.plan"].create(
                {
                    "name": user.name,
                    "user_id": user.id,
                    "date_from": self.month_start,
                    "date_to": self.month_end,
                    "revenue_target": target,
                }
            )
        self.make_order(self.manager_1, a, 10_000)
        self.env.flush_all()
        [group] = self.env["kpi.report"].read_group(
            [
                ("user_id", "in", (self.manager_1 | self.manager_2).ids),
                ("month", "=", self.month_start),
            ],
            ["revenue:sum", "plan_amount:sum", "plan_percent:avg"],
            ["team_id"],
        )
        self.assertEqual(group["plan_amount"], 40_000)
        self.assertEqual(group["plan_percent"], 25)  # 10,000 / 40,000, not (100% + 0%) / 2

    def test_the_margin_is_sale_margins_only_with_the_bridge(self):
        """kpi_motivation alone counts the untaxed amount as margin; sale_margin's margin
        is the auto-installed bridge's (kpi_motivation_sale_margin), not a hook's."""
        bridge = self.env["ir.module.module"].search(
            [("name", "=", "kpi_motivation_sale_margin"), ("state", "=", "installed")]
        )
        self.env.cr.execute("SELECT pg_get_viewdef('kpi_report'::regclass)")
        self.assertEqual("so.margin" in self.env.cr.fetchone()[0], bool(bridge))

    def test_plan_of_a_partial_month_is_pro_rated(self):
        self.env["sales.plan"].create(
            {
                "name": "Across two months",
                "user_id": self.manager_4.id,
                "date_from": "2030-01-01",
                "date_to": "2030-02-15",
                "revenue_target": 460_000,
            }
        )
        self.env.flush_all()
        Report = self.env["kpi.report"]
        january = Report.search([("user_id", "=", self.manager_4.id), ("month", "=", "2030-01-01")])
        february = Report.search(
            [("user_id", "=", self.manager_4.id), ("month", "=", "2030-02-01")]
        )
        self.assertAlmostEqual(january.plan_amount, 310_000, places=2)
        self.assertAlmostEqual(february.plan_amount, 150_000, places=2)

    def test_daily_report_won_and_lost_per_manager(self):
        won = self.make_lead(self.manager_1, revenue=7_000) | self.make_lead(
            self.manager_1, revenue=3_000
        )
        lost = self.make_lead(self.manager_1, revenue=5_000)
        won.action_set_won()
        lost.action_set_lost()
        self.env.flush_all()
        rows = self.env["kpi.daily.report"].search([("user_id", "=", self.manager_1.id)])
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.day, self.today)
        self.assertEqual((rows.won_count, rows.lost_count), (2, 1))
        self.assertEqual((rows.won_amount, rows.lost_amount), (10_000, 5_000))

    def test_money_per_stage_on_the_kanban(self):
        view = self.env.ref("crm.crm_case_kanban_view_leads")
        arch = etree.fromstring(
            self.env["crm.lead"].get_views([(view.id, "kanban")])["views"]["kanban"]["arch"]
        )
        [progressbar] = arch.xpath("//progressbar")
        self.assertEqual(progressbar.get("sum_field"), "expected_revenue")
        self.make_lead(self.manager_1, self.stage_qualified, revenue=1_000)
        self.make_lead(self.manager_2, self.stage_qualified, revenue=2_500)
        self.make_lead(self.manager_2, self.stage_proposal, revenue=4_000)
        groups = self.env["crm.lead"].read_group(
            [("team_id", "=", self.team.id)], ["expected_revenue:sum"], ["stage_id"]
        )
        money = {g["stage_id"][0]: g["expected_revenue"] for g in groups}
        self.assertEqual(money[self.stage_qualified.id], 3_500)
        self.assertEqual(money[self.stage_proposal.id], 4_000)
        action = self.env.ref("kpi_motivation.crm_lead_action_money_per_stage")
        self.assertEqual(action.view_ids[0].view_id, view)

    def test_funnel_conversion_per_stage(self):
        """The funnel report reads the stage tracking as the plan's history does: leads that
        reached each stage (or a later one) and the share that went on to the next."""
        leads = self.env["crm.lead"]
        for index in range(10):
            leads |= self.make_lead(self.managers[index % 2])
        self.flush_tracking()
        self.move(leads[:6], self.stage_qualified)
        self.move(leads[:3], self.stage_proposal)
        self.move(leads[2], self.stage_qualified)  # came back: still reached the proposal
        self.move(leads[:2], self.stage_won)
        leads[5].action_set_lost()  # lost after the qualification: still reached it
        self.flush_tracking()
        groups = self.env["kpi.stage.report"].read_group(
            [("team_id", "=", self.team.id)],
            ["reached:sum", "next_reached:sum", "conversion:avg"],
            ["stage_id"],
        )
        by_stage = {g["stage_id"][0]: g for g in groups}
        stages = [self.stage_lead, self.stage_qualified, self.stage_proposal, self.stage_won]
        self.assertEqual([by_stage[s.id]["reached"] for s in stages], [10, 6, 3, 2])
        self.assertEqual(
            [round(by_stage[s.id]["conversion"], 2) for s in stages], [60.0, 50.0, 66.67, 0.0]
        )
        # per manager: manager 1 had leads 0, 2, 4, 6, 8
        rows = self.env["kpi.stage.report"].search(
            [("user_id", "=", self.manager_1.id), ("team_id", "=", self.team.id)]
        )
        reached = {row.stage_id: row.reached for row in rows}
        self.assertEqual(reached[self.stage_qualified], 3)
        self.assertEqual(reached[self.stage_won], 1)

    def test_months_and_days_follow_the_managers_time_zone(self):
        # 22:30 UTC on 31 January is 01:30 on 1 February in Moscow
        moment = fields.Datetime.to_datetime("2030-01-31 22:30:00")
        self.manager_1.tz = "Europe/Moscow"
        self.manager_2.tz = False  # nor has the company: UTC
        for manager in (self.manager_1, self.manager_2):
            order = self.make_order(manager, self.partners[0], 1_000)
            order.date_order = moment
            lead = self.make_lead(manager, revenue=500)
            lead.action_set_won()
            lead.date_closed = moment
        self.assertEqual(self.rows(self.manager_1, "2030-02-01").revenue, 1_000)
        self.assertEqual(self.rows(self.manager_1, "2030-02-01").won_count, 1)
        self.assertFalse(self.rows(self.manager_1, "2030-01-01"))
        self.assertEqual(self.rows(self.manager_2, "2030-01-01").revenue, 1_000)
        # (its February row only counts January's customer as last month's)
        self.assertFalse(self.rows(self.manager_2, "2030-02-01").revenue)
        Daily = self.env["kpi.daily.report"]
        moscow = Daily.search([("user_id", "=", self.manager_1.id), ("day", "<", "2030-03-01")])
        utc = Daily.search([("user_id", "=", self.manager_2.id), ("day", "<", "2030-03-01")])
        self.assertEqual(moscow.mapped("day"), [fields.Date.to_date("2030-02-01")])
        self.assertEqual(utc.mapped("day"), [fields.Date.to_date("2030-01-31")])
