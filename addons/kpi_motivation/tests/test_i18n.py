from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KpiCase


@tagged("post_install", "-at_install")
class TestKpiRussian(KpiCase):
    def test_russian_terms_and_messages(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["kpi_motivation"], ["ru_RU"], overwrite=True
        )
        field = self.env["ir.model.fields"]._get("sales.plan", "average_deal")
        self.assertEqual(field.with_context(lang="ru_RU").field_description, "Средний чек")
        Action = self.env["motivation.action"].with_context(lang="ru_RU")
        self.assertEqual(
            dict(Action._fields["action_type"]._description_selection(Action.env))["won"],
            "Выигранная сделка",
        )
        plan = self.make_plan(average_deal=0).with_context(lang="ru_RU")
        with self.assertRefused(UserError, "введите средний чек"):
            plan.action_decompose()
        plan = self.make_plan(
            [(self.stage_lead, 0.5), (self.stage_qualified, 0.0), (self.stage_proposal, 0.4)]
        ).with_context(lang="ru_RU")
        plan.action_decompose()
        self.assertIn("Недостижим", plan.unreachable_reason)
        form = self.env.ref("kpi_motivation.sales_plan_view_form").with_context(lang="ru_RU")
        self.assertIn("Декомпозировать", form.arch)
