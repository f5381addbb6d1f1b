from odoo.tests import TransactionCase


class TestRussian(TransactionCase):
    def test_russian_terms_load(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_playbook"], ["ru_RU"], overwrite=True
        )
        field = self.env["ir.model.fields"]._get("crm.lead", "first_user_id")
        self.assertEqual(field.with_context(lang="ru_RU").field_description, "Первый обработавший")
        lead = self.env["crm.lead"].with_context(lang="ru_RU")
        selection = dict(
            lead.env["crm.team"]._fields["lead_distribution"]._description_selection(lead.env)
        )
        self.assertEqual(selection["round_robin"], "По очереди среди участников")
