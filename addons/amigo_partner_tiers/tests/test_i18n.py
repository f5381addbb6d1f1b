from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TiersCase


@tagged("post_install", "-at_install")
class TestTiersRussian(TiersCase):
    def test_russian_terms_and_messages(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["amigo_partner_tiers"], ["ru_RU"], overwrite=True
        )
        field = self.env["ir.model.fields"]._get("res.partner", "estimated_purchase_volume")
        self.assertEqual(field.with_context(lang="ru_RU").field_description,
                         "Оценочный объём закупок")  # fmt: skip
        self.assertEqual(self.tiers["green"].with_context(lang="ru_RU").name, "Зелёный")
        Assessment = self.env["partner.tier.assessment"].with_context(lang="ru_RU")
        potential = dict(Assessment._fields["potential"]._description_selection(Assessment.env))
        self.assertEqual(potential["high"], "Высокий")
        with self.assertRaisesRegex(ValidationError, "сумма весов должна быть 100"):
            self.policy.with_context(lang="ru_RU").weight_volume = 55
        form = self.env.ref("amigo_partner_tiers.view_partner_form_inherit_tiers")
        self.assertIn("Пересчитать уровень", form.with_context(lang="ru_RU").arch)
