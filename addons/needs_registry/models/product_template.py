import math
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from .tools import create_unique_index, unique_violation_as

CATALOG_COLUMNS = ("external_code", "name", "uom", "category", "med_registry_code", "list_price")
REQUIRED_COLUMNS = ("external_code", "name", "uom", "category")
# the fields that make a product what the accounting system says it is
CATALOG_FIELDS = {
    "name",
    "default_code",
    "barcode",
    "external_code",
    "med_registry_code",
    "uom_id",
    "uom_po_id",
    "categ_id",
    "list_price",
    "sale_ok",
    "type",
    "active",
    "company_id",
}


# the unique indexes of the rule "an external code once per company; a product shared
# by all companies clashes with any" that an index can express (see init())
EXTERNAL_CODE_INDEXES = {
    "product_template_external_code_shared_uniq": (
        SQL("external_code"),
        SQL("company_id IS NULL AND external_code <> ''"),
    ),
    "product_template_external_code_company_uniq": (
        SQL("external_code, company_id"),
        SQL("company_id IS NOT NULL AND external_code <> ''"),
    ),
}
DEFAULT_MAX_ROWS = 50000
MAX_ROWS_PARAM = "needs_registry.import_max_rows"


def check_catalog_rights(env):
    """Products come from the accounting system: only a catalog administrator (or the
    superuser during installs) may create or change them. The catalog import runs as
    the catalog administrator who starts it: nothing in the context grants this."""
    if env.su:
        return
    if not env.user.has_group("needs_registry.group_catalog_admin"):
        raise AccessError(
            env._(
                "Products come from the accounting system: only a Catalog Administrator can "
                "create or edit them (user %(user)s). Use the catalog import.",
                user=env.user.name,
            )
        )


class ProductTemplate(models.Model):
    _inherit = "product.template"

    external_code = fields.Char(
        index="btree_not_null",
        copy=False,
        tracking=True,
        help="Code of the product in the accounting system (1C); unique per company.",
    )
    med_registry_code = fields.Char(
        string="Medical Registry Code",
        copy=False,
        tracking=True,
        help="Registration number of the medical device in the state registry.",
    )

    def init(self):
        # the Python check below names the clash; two saves at the same moment both pass
        # it, so the database refuses the second (an index per case it can express)
        for name, (columns, where) in EXTERNAL_CODE_INDEXES.items():
            create_unique_index(self.env.cr, name, "product_template", columns, where)

    def _check_external_code_unique(self, saved):
        """Refuse an external code already used in the company, before the database
        sees it (its unique indexes then only meet a save made at the same moment).

        ``saved`` lists (template id or False, code, company id or False, name) of the
        templates being saved; a product shared by all companies clashes with any.
        """
        saved = [item for item in saved if item[1]]
        if not saved:
            return
        groups = self.with_context(active_test=False)._read_group(
            [
                ("external_code", "in", list({code for _id, code, _c, _n in saved})),
                ("id", "not in", [tid for tid, _code, _c, _n in saved if tid]),
            ],
            ["external_code", "company_id"],
            ["id:array_agg"],
        )
        holders = defaultdict(list)  # code: [(company id, product name)]
        for code, company, ids in groups:
            holders[code].append((company.id, self.browse(ids[0]).display_name))
        for index, (_tid, code, company, _name) in enumerate(saved):
            # the other templates of this very save count as well
            others = holders[code] + [
                (other_company, other_name)
                for position, (_t, other_code, other_company, other_name) in enumerate(saved)
                if position != index and other_code == code
            ]
            clash = next(
                (
                    other_name
                    for other_company, other_name in others
                    if not other_company or not company or other_company == company
                ),
                None,
            )
            if clash is not None:
                raise ValidationError(
                    self.env._(
                        "The field 'External Code' must be unique per company: %(code)s is "
                        "already used by the product %(product)s.",
                        code=code,
                        product=clash,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_catalog_rights(self.env)
        for vals in vals_list:
            self._check_finite_price(vals.get("list_price"), vals.get("name"))
        if not any(vals.get("external_code") for vals in vals_list):
            return super().create(vals_list)
        self._check_external_code_unique(
            [
                (
                    False,
                    vals.get("external_code"),
                    vals.get("company_id") or False,
                    vals.get("name"),
                )
                for vals in vals_list
            ]
        )
        codes = [vals["external_code"] for vals in vals_list if vals.get("external_code")]
        with unique_violation_as(
            self.env, EXTERNAL_CODE_INDEXES, lambda: self._external_code_clash(codes)
        ):
            return super().create(vals_list)

    def write(self, vals):
        if CATALOG_FIELDS & set(vals):
            check_catalog_rights(self.env)
        if "list_price" in vals:
            self._check_finite_price(vals["list_price"], self[:1].display_name)
        if not {"external_code", "company_id"} & set(vals):
            return super().write(vals)
        self._check_external_code_unique(
            [
                (
                    template.id,
                    vals.get("external_code", template.external_code),
                    vals.get("company_id", template.company_id.id) or False,
                    template.display_name,
                )
                for template in self
            ]
        )
        codes = [vals["external_code"]] if vals.get("external_code") else None
        codes = codes or [code for code in self.mapped("external_code") if code]
        with unique_violation_as(
            self.env, EXTERNAL_CODE_INDEXES, lambda: self._external_code_clash(codes)
        ):
            return super().write(vals)

    def unlink(self):
        check_catalog_rights(self.env)
        return super().unlink()

    def _check_finite_price(self, price, product):
        """Refuse a price that is not a finite number before it reaches the ORM (NaN and
        infinity travel in JSON-RPC; the rounding of the field would fail on them)."""
        try:
            finite = price in (None, False) or math.isfinite(float(price))
        except (TypeError, ValueError):
            return  # not a number at all: the ORM refuses it
        if not finite:
            raise ValidationError(
                self.env._(
                    "Product %(product)s: the field 'Sales Price' must be a finite number, "
                    "not %(price)s.",
                    product=product or "-",
                    price=price,
                )
            )

    def _external_code_clash(self, codes):
        """The error for a violation of the external code indexes: the product already
        holding the code when this transaction sees it, else a save at the same moment."""
        other = (
            self.with_context(active_test=False)
            .sudo()
            .search([("external_code", "in", codes), ("id", "not in", self.ids)], limit=1)
        )
        if other:
            return ValidationError(
                self.env._(
                    "The field 'External Code' must be unique per company: %(code)s is "
                    "already used by the product %(product)s.",
                    code=other.external_code,
                    product=other.display_name,
                )
            )
        return ValidationError(
            self.env._(
                "The field 'External Code' must be unique per company: %(code)s was saved "
                "by someone else at the same moment. Reload the product list and check.",
                code=", ".join(codes),
            )
        )

    @api.model
    def import_catalog_rows(self, rows, first_row=1):
        """Upsert products by external code from a list of dicts with the keys
        external_code, name, uom, category, med_registry_code, list_price.

        All or nothing: every bad row is listed (row number, column, reason) in one
        ValidationError and nothing is written. Returns {"created": n, "updated": m}.
        Only a catalog administrator may import.
        """
        check_catalog_rights(self.env)
        return self._import_catalog_rows(rows, first_row=first_row)

    @api.model
    def _import_catalog_rows(self, rows, first_row=1):
        """The import itself, as the current user (whose rights the callers check)."""
        if not isinstance(rows, list | tuple):
            raise ValidationError(self.env._("The catalog rows must be a list of dicts."))
        max_rows = self._catalog_import_max_rows()
        if len(rows) > max_rows:
            raise ValidationError(
                self.env._(
                    "The catalog import was refused, nothing was written: %(count)s rows, "
                    "more than the %(max)s rows an import takes (Settings, 'Catalog Import: "
                    "Maximum Rows'). Split the file.",
                    count=len(rows),
                    max=max_rows,
                )
            )
        uoms = {}
        for uom in self.env["uom.uom"].with_context(lang="en_US").search([]):
            uoms.setdefault(uom.name.strip().lower(), uom)
        for uom in self.env["uom.uom"].search([]):
            uoms.setdefault(uom.name.strip().lower(), uom)
        categories = defaultdict(set)
        for categ in self.env["product.category"].search([]):
            categories[categ.complete_name.strip().lower()].add(categ.id)
            categories[categ.name.strip().lower()].add(categ.id)
        errors = []
        seen = {}
        parsed = []
        for index, row in enumerate(rows):
            vals = self._parse_catalog_row(row, index + first_row, uoms, categories, seen, errors)
            if vals:
                parsed.append(vals)
        if errors:
            raise ValidationError(
                self.env._("The catalog import was refused, nothing was written:")
                + "\n"
                + "\n".join(errors)
            )
        Template = self.with_context(active_test=False)
        existing = {
            tmpl.external_code: tmpl
            for tmpl in Template.search(
                [
                    ("external_code", "in", list(seen)),
                    ("company_id", "in", [False, self.env.company.id]),
                ]
            )
        }
        to_create = []
        updated = 0
        for vals in parsed:
            template = existing.get(vals["external_code"])
            if template:
                if (
                    template.uom_id.category_id.id
                    != self.env["uom.uom"].browse(vals["uom_id"]).category_id.id
                ):
                    vals.pop("uom_id")
                    vals.pop("uom_po_id")
                # the code is the key the product was found by: it does not change
                vals.pop("external_code")
                template.write(vals)
                updated += 1
            else:
                to_create.append(dict(vals, type="consu", sale_ok=True))
        if to_create:
            Template.create(to_create)
        return {"created": len(to_create), "updated": updated}

    @api.model
    def _catalog_import_max_rows(self):
        value = self.env["ir.config_parameter"].sudo().get_param(MAX_ROWS_PARAM)
        try:
            return max(int(value), 1) if value else DEFAULT_MAX_ROWS
        except ValueError:
            return DEFAULT_MAX_ROWS

    @api.model
    def _parse_catalog_row(self, row, number, uoms, categories, seen, errors):
        """Check one catalog row; append its problems to ``errors``; return its values."""

        def error(column, reason):
            errors.append(
                self.env._(
                    "Row %(row)s, column '%(column)s': %(reason)s",
                    row=number,
                    column=column,
                    reason=reason,
                )
            )

        if not isinstance(row, dict):
            error("-", self.env._("the row is not a set of named columns"))
            return None
        missing = [col for col in REQUIRED_COLUMNS if col not in row]
        for col in missing:
            error(col, self.env._("the column is missing"))
        if missing:
            return None
        nul = [col for col in CATALOG_COLUMNS if "\x00" in str(row.get(col) or "")]
        for col in nul:
            error(col, self.env._("the value contains a NUL byte (\\x00)"))
        if nul:
            return None
        code = str(row.get("external_code") or "").strip()
        name = str(row.get("name") or "").strip()
        uom_name = str(row.get("uom") or "").strip()
        categ_name = str(row.get("category") or "").strip()
        if not code:
            error("external_code", self.env._("the code is empty"))
        elif code in seen:
            error(
                "external_code",
                self.env._(
                    "the code %(code)s is already in row %(row)s", code=code, row=seen[code]
                ),
            )
        else:
            seen[code] = number
        if not name:
            error("name", self.env._("the name is empty"))
        vals = {
            "external_code": code,
            "name": name,
            "med_registry_code": str(row.get("med_registry_code") or "").strip() or False,
        }
        uom = uoms.get(uom_name.lower())
        if uom:
            vals.update(uom_id=uom.id, uom_po_id=uom.id)
        else:
            error("uom", self.env._("unknown unit %(uom)s", uom=uom_name or "''"))
        categ_ids = categories.get(categ_name.lower(), set())
        if len(categ_ids) == 1:
            vals["categ_id"] = next(iter(categ_ids))
        elif not categ_ids:
            error("category", self.env._("unknown category %(categ)s", categ=categ_name or "''"))
        else:
            error(
                "category",
                self.env._(
                    "the category %(categ)s is ambiguous, use its full path", categ=categ_name
                ),
            )
        price = self._parse_catalog_price(row.get("list_price"), error)
        if price is not None:
            vals["list_price"] = price
        return vals

    @api.model
    def _parse_catalog_price(self, price, error):
        """The price of a catalog row as a float, None when empty or wrong (``error``
        is told why)."""
        if price in (None, ""):
            return None
        try:
            value = float(str(price).replace(",", ".").replace(" ", ""))
        except ValueError:
            error("list_price", self.env._("%(price)s is not a number", price=price))
            return None
        if not math.isfinite(value):
            error("list_price", self.env._("%(price)s is not a finite number", price=price))
            return None
        if value < 0:
            error("list_price", self.env._("the price is negative"))
            return None
        return value
