from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestKpiTour(HttpCase):
    def test_plan_decompose_then_score(self):
        env = self.env
        manager = new_test_user(
            env,
            login="tour_kpi_manager",
            name="Tour Manager",
            groups="kpi_motivation.group_kpi_user",
        )
        team = env["crm.team"].create(
            {"name": "Tour team", "member_ids": [Command.set(manager.ids)]}
        )
        env["crm.stage"].create(
            [
                {"name": "Tour New", "sequence": 1, "team_id": team.id},
                {"name": "Tour Offer", "sequence": 2, "team_id": team.id},
                {"name": "Tour Won", "sequence": 3, "team_id": team.id, "is_won": True},
            ]
        )
        call = env.ref("mail.mail_activity_data_call")
        env["motivation.scheme"].create(
            {
                "name": "Tour scheme",
                "base_salary": 20_000,
                "team_ids": [Command.link(team.id)],
                "action_ids": [
                    Command.create(
                        {
                            "name": "Tour call",
                            "action_type": "activity",
                            "activity_type_id": call.id,
                            "points": 2,
                        }
                    )
                ],
                "level_ids": [
                    Command.create(
                        {
                            "name": "Tour level",
                            "min_points": 0,
                            "salary_share": 1,
                            "commission_rate": 15,
                        }
                    )
                ],
            }
        )
        lead = env["crm.lead"].create(
            {"name": "Tour lead", "type": "opportunity", "user_id": manager.id, "team_id": team.id}
        )
        activity = env["mail.activity"].create(
            {
                "res_model_id": env["ir.model"]._get_id("crm.lead"),
                "res_id": lead.id,
                "activity_type_id": call.id,
                "user_id": manager.id,
            }
        )
        activity.with_user(manager).action_feedback()
        self.start_tour("/odoo", "kpi_motivation_tour", login="admin")
        plan = env["sales.plan"].search([("name", "=", "Tour team plan")])
        self.assertEqual(plan.state, "decomposed")
        self.assertEqual(plan.sales_count, 20)
        self.assertEqual(
            plan.step_ids.sorted("sequence").stage_id.mapped("name"),
            ["Tour New", "Tour Offer", "Tour Won"],
        )
        score = env["motivation.score"].search([("user_id", "=", manager.id)])
        self.assertEqual(score.points, 2)
        self.assertEqual(score.payout, 20_000)
