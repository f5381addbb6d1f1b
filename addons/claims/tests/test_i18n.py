from odoo.tests import TransactionCase


class TestClaimsRussian(TransactionCase):
    def test_russian_terms_load(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(["claims"], ["ru_RU"], overwrite=True)
        field = self.env["ir.model.fields"]._get("helpdesk.ticket", "conclusion")
        self.assertEqual(field.with_context(lang="ru_RU").field_description, "Заключение")
        stage = self.env.ref("claims.stage_claim_investigation")
        self.assertEqual(stage.with_context(lang="ru_RU").name, "Расследование")
        cause = self.env["claim.cause"].with_context(lang="ru_RU")
        self.assertEqual(
            dict(cause._fields["category"]._description_selection(cause.env))["human"],
            "Человеческий фактор",
        )
