import base64
import codecs
import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.product_template import CATALOG_COLUMNS, REQUIRED_COLUMNS, check_catalog_rights

DEFAULT_MAX_SIZE_MB = 10
MAX_SIZE_PARAM = "needs_registry.import_max_size_mb"


class ProductCatalogImportWizard(models.TransientModel):
    _name = "product.catalog.import.wizard"
    _description = "Import the Product Catalog from the Accounting System"

    file = fields.Binary(required=True)
    filename = fields.Char()
    result = fields.Text(readonly=True)

    def _max_size_mb(self):
        value = self.env["ir.config_parameter"].sudo().get_param(MAX_SIZE_PARAM)
        try:
            return max(int(value), 1) if value else DEFAULT_MAX_SIZE_MB
        except ValueError:
            return DEFAULT_MAX_SIZE_MB

    def _read_rows(self):
        """Return the data rows of the file as dicts keyed by the header row."""
        data = base64.b64decode(self.file or b"")
        max_size = self._max_size_mb()
        if len(data) > max_size * 1024 * 1024:
            raise UserError(
                self.env._(
                    "The file %(file)s is %(size)s MB: the catalog import takes files up to "
                    "%(max)s MB (Settings, 'Catalog Import: Maximum File Size'). Split it.",
                    file=self.filename,
                    size=round(len(data) / 1024 / 1024, 1),
                    max=max_size,
                )
            )
        max_rows = self.env["product.template"]._catalog_import_max_rows()
        # the header, the rows the cap allows and one more, that tells the file is over it
        limit = max_rows + 2
        name = (self.filename or "").lower()
        if name.endswith(".xlsx"):
            table = self._read_xlsx(data, limit)
        elif name.endswith(".csv"):
            table = self._read_csv(data, limit)
        else:
            raise UserError(
                self.env._(
                    "The file %(file)s must be an .xlsx or a .csv file.", file=self.filename or ""
                )
            )
        if not table:
            raise UserError(self.env._("The file %(file)s is empty.", file=self.filename))
        header = [str(cell or "").strip().lower() for cell in table[0]]
        if any("\x00" in cell for cell in header):
            raise UserError(
                self.env._(
                    "Row 1 of the file %(file)s holds NUL bytes: it is not a CSV in UTF-8 or "
                    "Windows-1251 (UTF-16 without its byte order mark?). Save it as CSV UTF-8.",
                    file=self.filename,
                )
            )
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
        if len(body) > max_rows:
            raise UserError(
                self.env._(
                    "The file %(file)s has more than %(max)s rows, the most a catalog import "
                    "takes (Settings, 'Catalog Import: Maximum Rows'). Split it.",
                    file=self.filename,
                    max=max_rows,
                )
            )
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

    def _read_xlsx(self, data, limit):
        """The rows of the first sheet up to the ``limit``-th that is not empty (empty
        rows do not count: a sheet may be formatted far below its data)."""
        try:
            import openpyxl
        except ImportError as exc:  # pragma: no cover - declared dependency
            raise UserError(self.env._("The Python library openpyxl is missing.")) from exc
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            table, empty, count = [], [], 0
            for row in book.active.iter_rows(values_only=True):
                if not any(value not in (None, "") for value in row):
                    empty.append(list(row))
                    continue
                table += empty + [list(row)]
                empty = []
                count += 1
                if count >= limit:
                    break
            return table
        except Exception as exc:
            raise UserError(
                self.env._(
                    "The file %(file)s is not a readable .xlsx workbook.", file=self.filename
                )
            ) from exc

    def _read_csv(self, data, limit):
        """The rows of a CSV file in UTF-8 (with or without its byte order mark), UTF-16
        with its byte order mark, or Windows-1251 (as 1C exports), separated by commas,
        semicolons or tabs; up to the ``limit``-th that is not empty."""
        text = self._decode_csv(data)
        try:
            dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", ",;\t")
        except csv.Error:
            dialect = csv.excel
        table, count = [], 0
        try:
            for row in csv.reader(io.StringIO(text), dialect):
                table.append(row)
                count += any(row)
                if count >= limit:
                    break
        except csv.Error as exc:
            raise UserError(
                self.env._(
                    "The file %(file)s is not a readable CSV file (row %(row)s): %(error)s",
                    file=self.filename,
                    row=len(table) + 1,
                    error=exc,
                )
            ) from exc
        return table

    def _decode_csv(self, data):
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encodings = ("utf-16",)
        elif data.startswith(codecs.BOM_UTF8):
            encodings = ("utf-8-sig",)
        else:
            # cp1251 decodes nearly any bytes: UTF-8 is tried first, it rarely fits by chance
            encodings = ("utf-8", "cp1251")
        for encoding in encodings:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise UserError(
            self.env._(
                "The file %(file)s is neither UTF-8 nor Windows-1251 (cp1251) text: save it "
                "from the accounting system or the spreadsheet as CSV in UTF-8.",
                file=self.filename,
            )
        )

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
