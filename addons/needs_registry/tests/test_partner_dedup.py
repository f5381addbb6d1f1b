from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import NeedsCase


@tagged("post_install", "-at_install")
class TestPartnerDedup(NeedsCase):
    def test_same_vat_company_is_refused_naming_the_existing_one(self):
        existing = self.env["res.partner"].create(
            {"name": "ООО «Ромашка»", "is_company": True, "vat": "7701234567"}
        )
        with self.assertRefused(ValidationError, "ООО «Ромашка»"):
            self.env["res.partner"].create(
                {"name": "Romashka LLC", "is_company": True, "vat": " 7701234567 "}
            )
        # a contact of the company inherits its VAT: that is no duplicate
        contact = self.env["res.partner"].create(
            {"name": "Ivan", "parent_id": existing.id, "type": "contact"}
        )
        self.assertEqual(contact.vat, "7701234567")
        other = self.env["res.partner"].create(
            {"name": "Other", "is_company": True, "vat": "7709999999"}
        )
        with self.assertRefused(ValidationError, "Tax ID"):
            other.vat = "7701234567"

    def test_likely_duplicates_by_name_email_phone(self):
        original = self.env["res.partner"].create(
            {
                "name": 'ООО "Тестмедика-Юг"',
                "is_company": True,
                "email": "sales@testmedica.example.com",
                "phone": "+7 (999) 123-45-67",
            }
        )
        by_name = self.env["res.partner"].create({"name": "ТЕСТМЕДИКА-ЮГ ЗАО", "is_company": True})
        by_email = self.env["res.partner"].create(
            {"name": "Someone", "email": "Sales@Testmedica.example.com"}
        )
        by_phone = self.env["res.partner"].create({"name": "Another", "phone": "8 999 123 45 67"})
        unrelated = self.env["res.partner"].create({"name": "Тестмедика-Север"})
        self.assertEqual(original.duplicate_partner_ids, by_name | by_email | by_phone)
        self.assertIn(original, by_name.duplicate_partner_ids)
        self.assertFalse(unrelated.duplicate_partner_ids)
        # the form shows the warning while typing, before saving
        form = Form(self.env["res.partner"])
        form.name = "Тестмедика Юг LLC"
        self.assertIn(original, form.duplicate_partner_ids)
        action = original.action_merge_duplicates()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        self.assertEqual(
            set(action["context"]["active_ids"]),
            set((original | by_name | by_email | by_phone).ids),
        )
