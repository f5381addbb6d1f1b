from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import NeedsCase


@tagged("post_install", "-at_install")
class TestNeedsRussian(NeedsCase):
    def test_russian_terms_and_messages(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["needs_registry"], ["ru_RU"], overwrite=True
        )
        field = self.env["ir.model.fields"]._get("customer.need", "close_comment")
        self.assertEqual(
            field.with_context(lang="ru_RU").field_description, "Комментарий при закрытии"
        )
        Need = self.env["customer.need"].with_context(lang="ru_RU")
        self.assertEqual(
            dict(Need._fields["state"]._description_selection(Need.env))["duplicate"], "Дубль"
        )
        need = self.make_need(self.p1).with_context(lang="ru_RU")
        with self.assertRefused(ValidationError, "Комментарий при закрытии"):
            need.mark_lost("")
        form = self.env.ref("needs_registry.customer_need_view_form").with_context(lang="ru_RU")
        self.assertIn("Закрыть как дубль", form.arch)
