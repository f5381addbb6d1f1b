"""Bad input at every door of the addon (issue 15): the catalog rows over RPC, the
catalog import wizard, the numbers a need user types, the settings. Each gets a clear
error naming what is wrong, and nothing is written."""

import base64
import codecs
import io

import openpyxl

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import NeedsCase

NON_FINITE = ("nan", "inf", "-Infinity", "1e400", float("nan"), float("inf"))


@tagged("post_install", "-at_install")
class TestSecurityInput(NeedsCase):
    def _row(self, code, **vals):
        return dict(
            {"external_code": code, "name": f"Product {code}", "uom": "Units"},
            category="Test medical",
            **vals,
        )

    def _codes(self, *codes):
        return (
            self.env["product.template"]
            .with_context(active_test=False)
            .search([("external_code", "in", codes)])
        )

    def _wizard(self, filename, content):
        return (
            self.env["product.catalog.import.wizard"]
            .with_user(self.catalog_admin)
            .create({"file": base64.b64encode(content), "filename": filename})
        )

    # ---------------------------------------------------------------- catalog rows
    def test_rows_with_a_non_finite_price_are_refused_each_named(self):
        rows = [self._row("NF-0", list_price="12.5")] + [
            self._row(f"NF-{n}", list_price=price) for n, price in enumerate(NON_FINITE, 1)
        ]
        Template = self.env["product.template"].with_user(self.catalog_admin)
        with self.assertRefused(ValidationError, "nothing was written") as caught:
            Template.import_catalog_rows(rows)
        message = str(caught.exception)
        for number in range(2, len(NON_FINITE) + 2):
            self.assertIn(f"Row {number}, column 'list_price'", message)
        self.assertNotIn("Row 1,", message)
        self.assertFalse(self._codes(*(row["external_code"] for row in rows)))

    def test_rows_with_a_nul_byte_are_refused_naming_row_and_column(self):
        rows = [
            self._row("NUL-1"),
            self._row("NUL-2", name="Bandage\x00"),
            self._row("NUL-3", med_registry_code="РЗН\x001"),
        ]
        with self.assertRefused(ValidationError, "NUL") as caught:
            self.env["product.template"].with_user(self.catalog_admin).import_catalog_rows(rows)
        message = str(caught.exception)
        self.assertIn("Row 2, column 'name'", message)
        self.assertIn("Row 3, column 'med_registry_code'", message)
        self.assertFalse(self._codes("NUL-1", "NUL-2", "NUL-3"))

    def test_rows_over_the_cap_are_refused(self):
        self.env["ir.config_parameter"].set_param("needs_registry.import_max_rows", "2")
        rows = [self._row(f"CAP-{n}") for n in range(3)]
        with self.assertRefused(ValidationError, "more than the 2 rows"):
            self.env["product.template"].with_user(self.catalog_admin).import_catalog_rows(rows)
        self.assertFalse(self._codes("CAP-0", "CAP-1", "CAP-2"))
        self.env["product.template"].with_user(self.catalog_admin).import_catalog_rows(rows[:2])
        self.assertEqual(len(self._codes("CAP-0", "CAP-1")), 2)

    # --------------------------------------------------------------- import wizard
    HEADER = "external_code;name;uom;category;med_registry_code;list_price\n"

    def test_wizard_reads_utf8_with_bom_utf16_and_cp1251(self):
        text = self.HEADER + "{code};Шприц 10 мл;Units;Test medical;ФСЗ 1;9,5\n"
        for code, data in (
            ("ENC-1", codecs.BOM_UTF8 + text.format(code="ENC-1").encode()),
            ("ENC-2", text.format(code="ENC-2").encode("utf-16")),
            ("ENC-3", text.format(code="ENC-3").encode("cp1251")),
        ):
            self._wizard("catalog.csv", data).action_import()
            product = self._codes(code)
            self.assertEqual(product.name, "Шприц 10 мл", code)
            self.assertEqual(product.med_registry_code, "ФСЗ 1", code)

    def test_wizard_reports_an_encoding_it_cannot_read(self):
        # 0x98 is no character of Windows-1251, and these bytes are no UTF-8
        data = (self.HEADER + "ENC-9;Bad \x98 name;Units;Test medical;;1\n").encode("latin-1")
        with self.assertRefused(UserError, "neither UTF-8 nor Windows-1251"):
            self._wizard("catalog.csv", data).action_import()
        self.assertFalse(self._codes("ENC-9"))
        # UTF-16 without its byte order mark: NUL bytes everywhere
        data = (self.HEADER + "ENC-8;Mask;Units;Test medical;;1\n").encode("utf-16-le")
        with self.assertRefused(UserError, "NUL bytes"):
            self._wizard("catalog.csv", data).action_import()
        self.assertFalse(self._codes("ENC-8"))

    def test_wizard_refuses_a_nul_byte_naming_row_and_column(self):
        data = (
            self.HEADER + "NUL-7;Mask;Units;Test medical;;1\nNUL-8;Ma\x00sk;Units;Test medical;;1\n"
        ).encode()
        with self.assertRefused(ValidationError, "Row 3, column 'name'.*NUL"):
            self._wizard("catalog.csv", data).action_import()
        self.assertFalse(self._codes("NUL-7", "NUL-8"))

    def test_wizard_refuses_a_non_finite_price_naming_row_and_column(self):
        data = (self.HEADER + "NF-7;Mask;Units;Test medical;;1e400\n").encode()
        with self.assertRefused(ValidationError, "Row 2, column 'list_price'"):
            self._wizard("catalog.csv", data).action_import()
        self.assertFalse(self._codes("NF-7"))

    def test_wizard_caps_the_file_size(self):
        self.env["ir.config_parameter"].set_param("needs_registry.import_max_size_mb", "1")
        padding = "x" * (1024 * 1024)
        data = (self.HEADER + f"BIG-1;Mask;Units;Test medical;{padding};1\n").encode()
        with self.assertRefused(UserError, "up to 1 MB"):
            self._wizard("catalog.csv", data).action_import()
        self.assertFalse(self._codes("BIG-1"))

    def test_wizard_caps_the_rows_of_csv_and_xlsx(self):
        self.env["ir.config_parameter"].set_param("needs_registry.import_max_rows", "2")
        lines = [f"ROW-{n};Mask {n};Units;Test medical;;1\n" for n in range(3)]
        with self.assertRefused(UserError, "more than 2 rows"):
            self._wizard("catalog.csv", (self.HEADER + "".join(lines)).encode()).action_import()
        book = openpyxl.Workbook()
        book.active.append(self.HEADER.strip().split(";"))
        for n in range(3):
            book.active.append([f"ROW-{n}", f"Mask {n}", "Units", "Test medical", None, 1])
        buffer = io.BytesIO()
        book.save(buffer)
        with self.assertRefused(UserError, "more than 2 rows"):
            self._wizard("catalog.xlsx", buffer.getvalue()).action_import()
        self.assertFalse(self._codes("ROW-0", "ROW-1", "ROW-2"))
        # within the cap (blank rows at the end of a sheet are no rows)
        book.active.delete_rows(4)
        for _n in range(5):
            book.active.append([None] * 6)
        buffer = io.BytesIO()
        book.save(buffer)
        self._wizard("catalog.xlsx", buffer.getvalue()).action_import()
        self.assertEqual(len(self._codes("ROW-0", "ROW-1")), 2)

    # ------------------------------------------------------- numbers users type
    def test_a_non_finite_quantity_or_price_on_a_need_is_refused(self):
        Need = self.env["customer.need"].with_user(self.manager_1)
        count = self.env["customer.need"].search_count([])
        for field, label in (("product_uom_qty", "Quantity"), ("price_unit", "Price")):
            for value in (float("nan"), float("inf"), float("-inf"), 1e400):
                with self.assertRefused(ValidationError, f"{label}.*finite number"):
                    Need.create(
                        {
                            "partner_id": self.customer.id,
                            "line_ids": [Command.create({"product_id": self.p1.id, field: value})],
                        }
                    )
        self.assertEqual(self.env["customer.need"].search_count([]), count)
        need = self.make_need(self.p1 | self.p2, user=self.manager_1, qty=3)
        line = need.line_ids[0].with_user(self.manager_1)
        with self.assertRefused(ValidationError, "Quantity.*finite number"):
            line.write({"product_uom_qty": float("nan")})
        with self.assertRefused(ValidationError, "Quantity.*finite number"):
            need.with_user(self.manager_1).write(
                {"line_ids": [Command.update(line.id, {"product_uom_qty": float("inf")})]}
            )
        self.assertEqual(line.product_uom_qty, 3)
        self.assertAlmostEqual(need.amount_total, 3 * (10.0 + 20.0))

    def test_a_non_finite_catalog_price_is_refused(self):
        Template = self.env["product.template"].with_user(self.catalog_admin)
        for price in (float("nan"), float("inf"), 1e400):
            with self.assertRefused(ValidationError, "Sales Price.*finite number"):
                Template.create({"name": "Priceless", "list_price": price})
            with self.assertRefused(ValidationError, "Sales Price.*finite number"):
                self.p1.product_tmpl_id.with_user(self.catalog_admin).write({"list_price": price})
            with self.assertRefused(ValidationError, "Sales Price.*finite number"):
                self.p1.with_user(self.catalog_admin).write({"lst_price": price})
        self.assertFalse(self.env["product.template"].search([("name", "=", "Priceless")]))
        self.assertEqual(self.p1.list_price, 10.0)

    def test_settings_refuse_what_is_no_threshold_or_cap(self):
        Settings = self.env["res.config.settings"]
        for value in (float("nan"), float("inf"), 0, 1.5):
            with self.assertRefused(ValidationError, "Similar Needs Threshold"):
                Settings.create({"need_similarity_threshold": value})
        with self.assertRefused(ValidationError, "Maximum File Size"):
            Settings.create({"need_import_max_size_mb": 0})
        with self.assertRefused(ValidationError, "Maximum Rows"):
            Settings.create({"need_import_max_rows": -5})
        Settings.create({"need_import_max_size_mb": 20, "need_import_max_rows": 1000}).execute()
        ICP = self.env["ir.config_parameter"]
        self.assertEqual(ICP.get_param("needs_registry.import_max_size_mb"), "20")
        self.assertEqual(ICP.get_param("needs_registry.import_max_rows"), "1000")
