from odoo.tests import TransactionCase


class TestClaimsLineRussian(TransactionCase):
    def test_russian_terms_load(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["claims_production_funnel"], ["ru_RU"], overwrite=True
        )
        field = self.env["ir.model.fields"]._get("helpdesk.ticket", "production_line_id")
        self.assertEqual(
            field.with_context(lang="ru_RU").field_description, "Производственная линия"
        )
        action = self.env.ref("claims_production_funnel.claim_analysis_line_action")
        self.assertEqual(
            action.with_context(lang="ru_RU").name, "Рекламации по производственным линиям"
        )
