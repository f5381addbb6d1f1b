import base64
import io

import openpyxl

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import NeedsCase


@tagged("post_install", "-at_install")
class TestCatalog(NeedsCase):
    def rows(self):
        return [
            {
                "external_code": "1C-9001",
                "name": "Bandage",
                "uom": "Units",
                "category": "Test medical",
                "med_registry_code": "РЗН 1",
                "list_price": "12.5",
            },
            {
                "external_code": "1C-9002",
                "name": "Gloves",
                "uom": "Dozens",
                "category": "Test medical",
                "med_registry_code": "",
                "list_price": 3,
            },
        ]

    def test_import_creates_then_updates_by_external_code(self):
        Template = self.env["product.template"].with_user(self.catalog_admin)
        self.assertEqual(Template.import_catalog_rows(self.rows()), {"created": 2, "updated": 0})
        bandage = self.env["product.template"].search([("external_code", "=", "1C-9001")])
        self.assertEqual(bandage.name, "Bandage")
        self.assertEqual(bandage.med_registry_code, "РЗН 1")
        self.assertEqual(bandage.categ_id, self.category)
        self.assertEqual(bandage.list_price, 12.5)
        rows = self.rows()
        rows[0]["name"] = "Elastic bandage"
        rows.append(
            {"external_code": "1C-9003", "name": "Mask", "uom": "Units", "category": "Test medical"}
        )
        self.assertEqual(Template.import_catalog_rows(rows), {"created": 1, "updated": 2})
        self.assertEqual(bandage.name, "Elastic bandage")

    def test_bad_rows_are_all_listed_and_nothing_written(self):
        rows = self.rows() + [
            {"external_code": "", "name": "No code", "uom": "Units", "category": "Test medical"},
            {
                "external_code": "1C-9001",
                "name": "Twice",
                "uom": "Units",
                "category": "Test medical",
            },
            {
                "external_code": "1C-9004",
                "name": "Bad unit",
                "uom": "Parsecs",
                "category": "Test medical",
            },
            {
                "external_code": "1C-9005",
                "name": "Bad category",
                "uom": "Units",
                "category": "Nowhere",
            },
            {"external_code": "1C-9006", "name": "No unit column", "category": "Test medical"},
        ]
        with self.assertRaises(ValidationError) as caught:
            self.env["product.template"].with_user(self.catalog_admin).import_catalog_rows(rows)
        message = str(caught.exception)
        self.assertIn("Row 3, column 'external_code': the code is empty", message)
        self.assertIn(
            "Row 4, column 'external_code': the code 1C-9001 is already in row 1", message
        )
        self.assertIn("Row 5, column 'uom': unknown unit Parsecs", message)
        self.assertIn("Row 6, column 'category': unknown category Nowhere", message)
        self.assertIn("Row 7, column 'uom': the column is missing", message)
        self.assertFalse(
            self.env["product.template"].search([("external_code", "in", ["1C-9001", "1C-9002"])])
        )

    def test_external_code_unique_per_company(self):
        with self.assertRefused(ValidationError, "T-001"):
            self.env["product.template"].create({"name": "Clash", "external_code": "T-001"})
        other_company = self.env["res.company"].create({"name": "Other Co"})
        self.p1.product_tmpl_id.company_id = self.env.company
        self.env["product.template"].create(
            {"name": "Other company", "external_code": "T-001", "company_id": other_company.id}
        )

    def _wizard(self, filename, content):
        return (
            self.env["product.catalog.import.wizard"]
            .with_user(self.catalog_admin)
            .create(
                {
                    "file": base64.b64encode(content),
                    "filename": filename,
                }
            )
        )

    def test_wizard_reads_csv_and_xlsx(self):
        csv_data = (
            "external_code;name;uom;category;med_registry_code;list_price\n"
            "1C-7001;Шприц 10 мл;Units;Test medical;ФСЗ 1;9,5\n\n"
        ).encode()
        wizard = self._wizard("catalog.csv", csv_data)
        wizard.action_import()
        self.assertIn("1 products created", wizard.result)
        syringe = self.env["product.template"].search([("external_code", "=", "1C-7001")])
        self.assertEqual(syringe.list_price, 9.5)

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(
            ["external_code", "name", "uom", "category", "med_registry_code", "list_price"]
        )
        sheet.append(["1C-7001", "Шприц 10 мл, renamed", "Units", "Test medical", "ФСЗ 1", 10])
        sheet.append(["1C-7002", "Bad", "Parsecs", "Test medical", None, 1])
        buffer = io.BytesIO()
        book.save(buffer)
        with self.assertRefused(ValidationError, "Row 3, column 'uom'"):
            self._wizard("catalog.xlsx", buffer.getvalue()).action_import()
        self.assertEqual(syringe.name, "Шприц 10 мл")
        sheet.delete_rows(3)
        buffer = io.BytesIO()
        book.save(buffer)
        self._wizard("catalog.xlsx", buffer.getvalue()).action_import()
        self.assertEqual(syringe.name, "Шприц 10 мл, renamed")

    def test_wizard_refuses_missing_column_and_wrong_format(self):
        with self.assertRefused(UserError, "uom, category"):
            self._wizard("c.csv", b"external_code,name\nA,B\n").action_import()
        with self.assertRefused(UserError, ".xlsx or a .csv"):
            self._wizard("c.txt", b"x").action_import()
