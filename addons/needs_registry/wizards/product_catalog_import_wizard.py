import base64
import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.product_template import CATALOG_COLUMNS, REQUIRED_COLUMNS, check_catalog_rights


class ProductCatalogImportWizard(models.TransientModel):
    _name = "product.catalog.import.wizard"
    _description = "Import the Product Catalog from the Accounting System"

    file = fields.Binary(required=True)
    filename = fields.Char()
    result = fields.Text(readonly=True)

    def _read_rows(self):
        """Return the data rows of the file as dicts keyed by the header row."""
        data = base64.b64decode(self.file or b"")
        name = (self.filename or "").lower()
        if name.endswith(".xlsx"):
            try:
                import openpyxl
            except ImportError as exc:  # pragma: no cover - declared dependency
                raise UserError(self.env._("The Python library openpyxl is missing.")) from exc
            try:
                book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            except Exception as exc:
                raise UserError(
                    self.env._(
                        "The file %(file)s is not a readable .xlsx workbook.", file=self.filename
                    )
                ) from exc
            table = [list(row) for row in book.active.iter_rows(values_only=True)]
        elif name.endswith(".csv"):
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1251")
            try:
                dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", ",;\t")
            except csv.Error:
                dialect = csv.excel
            table = list(csv.reader(io.StringIO(text), dialect))
        else:
            raise UserError(
                self.env._(
                    "The file %(file)s must be an .xlsx or a .csv file.", file=self.filename or ""
                )
            )
        if not table:
            raise UserError(self.env._("The file %(file)s is empty.", file=self.filename))
        header = [str(cell or "").strip().lower() for cell in table[0]]
        missing = [col for col in REQUIRED_COLUMNS if col not in header]
        if missing:
            raise UserError(
                self.env._(
                    "Row 1: the columns %(columns)s are missing from the file %(file)s.",
                    columns=", ".join(missing),
                    file=self.filename,
                )
            )
        body = table[1:]
        # trailing empty rows are formatting, not data; inner ones keep the row numbers
        while body and not any(value not in (None, "") for value in body[-1]):
            body.pop()
        rows = []
        for values in body:
            rows.append(
                {
                    col: values[header.index(col)] if header.index(col) < len(values) else None
                    for col in CATALOG_COLUMNS
                    if col in header
                }
            )
        return rows

    def action_import(self):
        self.ensure_one()
        # the wizard is the catalog administrators' (access rights); checked again here,
        # the import itself then writes as them
        check_catalog_rights(self.env)
        rows = self._read_rows()
        result = self.env["product.template"]._import_catalog_rows(rows, first_row=2)
        self.result = self.env._("%(created)s products created, %(updated)s updated.", **result)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
