from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

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

    @api.constrains("external_code", "company_id")
    def _check_external_code_unique(self):
        codes = [code for code in self.mapped("external_code") if code]
        if not codes:
            return
        groups = self.with_context(active_test=False)._read_group(
            [("external_code", "in", codes)],
            ["external_code", "company_id"],
            ["id:array_agg"],
        )
        by_code = defaultdict(list)
        for code, company, ids in groups:
            by_code[code].append((company, ids))
        for template in self.filtered("external_code"):
            clashes = [
                tid
                for company, ids in by_code[template.external_code]
                if not company or not template.company_id or company == template.company_id
                for tid in ids
                if tid != template.id
            ]
            if clashes:
                other = self.browse(clashes[0])
                raise ValidationError(
                    self.env._(
                        "The field 'External Code' must be unique per company: %(code)s is "
                        "already used by the product %(product)s.",
                        code=template.external_code,
                        product=other.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_catalog_rights(self.env)
        return super().create(vals_list)

    def write(self, vals):
        if CATALOG_FIELDS & set(vals):
            check_catalog_rights(self.env)
        return super().write(vals)

    def unlink(self):
        check_catalog_rights(self.env)
        return super().unlink()

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
                template.write(vals)
                updated += 1
            else:
                to_create.append(dict(vals, type="consu", sale_ok=True))
        if to_create:
            Template.create(to_create)
        return {"created": len(to_create), "updated": updated}

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
        price = row.get("list_price")
        if price not in (None, ""):
            try:
                vals["list_price"] = float(str(price).replace(",", ".").replace(" ", ""))
            except ValueError:
                error("list_price", self.env._("%(price)s is not a number", price=price))
            else:
                if vals["list_price"] < 0:
                    error("list_price", self.env._("the price is negative"))
        return vals
