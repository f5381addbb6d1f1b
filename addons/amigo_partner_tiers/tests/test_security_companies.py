"""Company boundaries of the partner tiers (issue 15): a user of one company reads and
links nothing of another, whatever the company given to a wizard."""

from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import DealerCase


@tagged("post_install", "-at_install")
class TestOtherCompanies(DealerCase):
    def test_the_migration_report_stays_in_the_users_companies(self):
        policy_b = self.env["partner.tier.policy"].create(
            {"name": "Policy B", "company_id": self.company_b.id}
        )
        self.make_order(self.dealer, [(self.blind, 7, 100.0)], "2026-03-01", company=self.company_b)
        policy_b._assess(self.company_b, self.dealer.ids, self.date)
        self.assertTrue(
            self.env["partner.tier.assessment"].search([("company_id", "=", self.company_b.id)])
        )
        Wizard = self.env["partner.tier.migration.wizard"].with_user(self.tier_user)
        dates = {"date_from": self.date - timedelta(days=90), "date_to": self.date}
        lines = self.env["partner.tier.migration.line"]
        with self.assertRaises(AccessError):
            Wizard.create(dict(dates, company_id=self.company_b.id)).action_compute()
        self.assertFalse(lines.search([("wizard_id.create_uid", "=", self.tier_user.id)]))
        # a user of both companies working in A only may not read B either
        self.tier_user.company_ids |= self.company_b
        Wizard = Wizard.with_context(allowed_company_ids=[self.company.id])
        with self.assertRaises(AccessError):
            Wizard.create(dict(dates, company_id=self.company_b.id)).action_compute()
        # with B allowed, B's migration is computed
        Wizard = Wizard.with_context(allowed_company_ids=[self.company.id, self.company_b.id])
        action = Wizard.create(dict(dates, company_id=self.company_b.id)).action_compute()
        self.assertEqual(sum(lines.search(action["domain"]).mapped("new")), 1)

    def _records_of_company_b(self):
        product_b = self.env["product.product"].create(
            {"name": "Company B motor", "company_id": self.company_b.id}
        )
        matrix = self.env["assortment.matrix"].create(
            {"name": "Matrix B", "company_id": self.company_b.id,
             "line_ids": [Command.create({"product_id": product_b.id})]}
        )  # fmt: skip
        stage = self.env["partner.development.stage"].create(
            {"name": "Stage B", "company_id": self.company_b.id}
        )
        policy = self.env["partner.tier.policy"].create(
            {"name": "Policy B", "company_id": self.company_b.id}
        )
        return {
            "partner.tier.assessment": policy._assess(self.company_b, self.dealer.ids, self.date),
            "partner.tier.policy": policy,
            "assortment.matrix": matrix,
            "assortment.matrix.line": matrix.line_ids,
            "partner.development.stage": stage,
            "partner.development.program": self.env["partner.development.program"].create(
                {
                    "name": "Programme B",
                    "company_id": self.company_b.id,
                    "stage_ids": [Command.set(stage.ids)],
                }
            ),  # fmt: skip
            "crm.region.mapping": self.env["crm.region.mapping"].create(
                {
                    "kind": "city",
                    "value": "Tier test B city",
                    "state_id": self.env.ref("base.state_ru_nvs").id,
                    "company_id": self.company_b.id,
                }
            ),  # fmt: skip
        }

    def test_company_owned_records_are_invisible_to_other_companies(self):
        records = self._records_of_company_b()
        sales_manager = new_test_user(
            self.env, login="tier_sales_manager",
            groups="sales_team.group_sale_manager,amigo_partner_tiers.group_tier_manager",
        )  # fmt: skip
        for model, record in records.items():
            self.assertEqual(record.company_id, self.company_b, model)
            Model = self.env[model].with_user(sales_manager)
            self.assertFalse(Model.search([("id", "in", record.ids)]), model)
            with self.assertRaises(AccessError, msg=model):
                record.with_user(sales_manager).read(["display_name"])

    def test_records_of_one_company_link_nothing_of_another(self):
        product_b = self.env["product.product"].create(
            {"name": "Company B cord", "company_id": self.company_b.id}
        )
        matrix = self.env["assortment.matrix"].create(
            {"name": "Matrix A", "company_id": self.company.id}
        )
        with self.assertRaises(UserError), self.env.cr.savepoint():
            matrix.write({"line_ids": [Command.create({"product_id": product_b.id})]})
        self.env.invalidate_all()
        self.assertFalse(matrix.line_ids)
        stage_b = self.env["partner.development.stage"].create(
            {"name": "Stage B", "company_id": self.company_b.id}
        )
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.env["partner.development.program"].create(
                {"name": "Programme A", "company_id": self.company.id,
                 "stage_ids": [Command.set(stage_b.ids)]}
            )  # fmt: skip
        policy_b = self.env["partner.tier.policy"].create(
            {"name": "Policy B", "company_id": self.company_b.id}
        )
        with self.assertRaises(UserError), self.env.cr.savepoint():
            policy_b._assess(self.company, self.dealer.ids, self.date)
        self.env.invalidate_all()
        self.assertFalse(self.dealer.tier_assessment_ids)
