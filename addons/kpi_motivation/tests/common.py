from contextlib import contextmanager

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class KpiCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.managers = cls.env["res.users"]
        for index, name in enumerate(["Anna", "Boris", "Vera", "Gleb"], start=1):
            cls.managers |= new_test_user(
                cls.env,
                login=f"kpi_manager_{index}",
                name=f"{name} Manager",
                groups="kpi_motivation.group_kpi_user",
            )
        cls.manager_1, cls.manager_2, cls.manager_3, cls.manager_4 = cls.managers
        cls.head = new_test_user(
            cls.env,
            login="kpi_head",
            name="Head of Sales",
            groups="kpi_motivation.group_kpi_manager",
        )
        cls.portal_user = new_test_user(
            cls.env, login="kpi_portal", name="Dealer Portal", groups="base.group_portal"
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "KPI test team", "member_ids": [Command.set(cls.managers.ids)]}
        )
        # the team's own funnel, so that stages added by other addons do not change it
        Stage = cls.env["crm.stage"]
        cls.stage_lead, cls.stage_qualified, cls.stage_proposal, cls.stage_won = Stage.create(
            [
                {"name": "KPI Lead", "sequence": 1, "team_id": cls.team.id},
                {"name": "KPI Qualified", "sequence": 2, "team_id": cls.team.id},
                {"name": "KPI Proposal", "sequence": 3, "team_id": cls.team.id},
                {"name": "KPI Won", "sequence": 4, "team_id": cls.team.id, "is_won": True},
            ]
        )
        # the managers' date: their months are counted in their time zone
        cls.today = cls.env["motivation.score"]._kpi_user_today(cls.manager_1)
        cls.month_start = cls.today.replace(day=1)
        cls.month_end = cls.month_start + relativedelta(months=1, days=-1)
        cls.type_call = cls.env.ref("mail.mail_activity_data_call")
        cls.type_meeting = cls.env.ref("mail.mail_activity_data_meeting")
        cls.type_todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.product = cls.env["product.product"].create(
            {"name": "KPI roller blind", "type": "consu", "list_price": 1000.0}
        )

    def flush_tracking(self):
        """Tracking values are written at commit: write them now."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    @contextmanager
    def assertRefused(self, exception, regex):
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), regex)

    def make_lead(self, user, stage=None, revenue=0.0, **vals):
        values = {
            "name": f"Deal of {user.name}",
            "type": "opportunity",
            "user_id": user.id,
            "team_id": self.team.id,
            "stage_id": (stage or self.stage_lead).id,
            "expected_revenue": revenue,
        }
        values.update(vals)
        return self.env["crm.lead"].create(values)

    def move(self, leads, stage, **vals):
        leads.write({"stage_id": stage.id, **vals})
        self.flush_tracking()

    def set_message_dates(self, lead, date):
        self.env["mail.message"].search(
            [("model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        ).write({"date": date})
        self.env.flush_all()

    def make_order(self, user, partner, amount=1000.0, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": user.id,
                "team_id": self.team.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": amount}
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def done_activity(self, user, lead, activity_type):
        activity = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": lead.id,
                "activity_type_id": activity_type.id,
                "user_id": user.id,
                "summary": f"{activity_type.name} for {lead.name}",
            }
        )
        activity.with_user(user).action_feedback(feedback="done")

    def make_plan(self, conversions=None, **vals):
        values = {
            "name": "Team plan",
            "team_id": self.team.id,
            "date_from": self.month_start,
            "date_to": self.month_end,
            "revenue_target": 800_000,
            "average_deal": 40_000,
        }
        if conversions:
            values["step_ids"] = [
                Command.create({"stage_id": stage.id, "conversion": conversion})
                for stage, conversion in conversions
            ]
        values.update(vals)
        return self.env["sales.plan"].create(values)

    def counts(self, plan):
        steps = plan.step_ids.sorted("sequence")
        return (
            [step.stage_id for step in steps],
            steps.mapped("required_count"),
            steps.mapped("required_per_manager"),
        )
