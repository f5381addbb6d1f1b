from odoo.tests import TransactionCase


class TestRussian(TransactionCase):
    def test_russian_terms_load(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_lead_turn"], ["ru_RU"], overwrite=True
        )
        field = self.env["ir.model.fields"]._get("crm.team", "turn_daily_cap")
        self.assertEqual(
            field.with_context(lang="ru_RU").field_description, "Очередь с дневным лимитом"
        )
