from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    def test_seed_003_team_with_a_month_of_activity(self):
        plan = self.env.ref("kpi_motivation.demo_plan", raise_if_not_found=False)
        if not plan:
            self.fail("the demo data of kpi_motivation is not loaded")
        self.assertEqual(plan.manager_count, 4)
        self.assertEqual(plan.revenue_target, 800_000)
        self.assertEqual(plan.sales_count, 20)
        self.assertEqual(
            plan.step_ids.sorted("sequence").mapped("required_count"), [215, 129, 58, 20]
        )
        scheme = self.env.ref("kpi_motivation.demo_scheme")
        self.assertEqual(sum(a.points * a.plan_count for a in scheme.action_ids), 890)
        scores = scheme.score_ids.filtered(lambda s: s.date_from == plan.date_from)
        self.assertEqual(len(scores), 4)
        self.assertEqual(set(scores.level_id.mapped("name")), {"Below plan", "Plan", "Above plan"})
        # the demo's levels and actions have XML ids, so a Russian team reads them in Russian
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["kpi_motivation"], ["ru_RU"], overwrite=True
        )
        russian = scheme.with_context(lang="ru_RU")
        self.assertEqual(russian.level_ids.mapped("name"), ["Ниже плана", "План", "Выше плана"])
        self.assertIn("Выигранная сделка", russian.action_ids.mapped("name"))
        self.assertTrue(all(score.payout > 0 for score in scores))
        kpis = self.env["kpi.report"].search(
            [("user_id", "in", plan.manager_ids.ids), ("month", "=", plan.date_from)]
        )
        self.assertEqual(
            sum(kpis.mapped("call_count")), sum(round(125 * s) for s in (0.8, 1.0, 1.3, 0.6))
        )

    def test_the_demo_generator_is_demo_data_only(self):
        """The month of activity is written by a server action of the demo file, run once
        and removed: no method of the addon's models generates demo data in a production
        database, and the demo's messages are spread over the month through the ORM."""
        self.assertFalse(hasattr(self.env["sales.plan"], "_demo_month_of_activity"))
        self.assertFalse(
            self.env.ref("kpi_motivation.demo_action_month_of_activity", raise_if_not_found=False)
        )
        plan = self.env.ref("kpi_motivation.demo_plan")
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(
                [("user_id", "in", plan.manager_ids.ids), ("name", "=like", "Blinds for Demo%")]
            )
        )
        messages = self.env["mail.message"].search(
            [("model", "=", "crm.lead"), ("res_id", "in", leads.ids)]
        )
        self.assertTrue(messages)
        # spread over the plan's month so far, at 10:00 (UTC) each day
        self.assertTrue(
            all(plan.date_from <= message.date.date() <= plan.date_to for message in messages)
        )
        self.assertEqual({message.date.hour for message in messages}, {10})
