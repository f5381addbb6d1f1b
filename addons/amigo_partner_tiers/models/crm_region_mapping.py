import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.sql import create_unique_index


class CrmRegionMapping(models.Model):
    _name = "crm.region.mapping"
    _description = "Lead Region Mapping"
    _order = "kind, value"
    _check_company_auto = True

    kind = fields.Selection(
        [("city", "City"), ("zip", "ZIP prefix"), ("phone", "Phone code")],
        required=True,
        default="city",
    )
    value = fields.Char(
        required=True,
        help="City name (any case), ZIP prefix, or phone prefix in digits with the country "
        "code (e.g. 7383 for Novosibirsk).",
    )
    state_id = fields.Many2one("res.country.state", "Region", required=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty for every company (a city lies in the same region for all); a "
        "company's own mapping of a value wins over the shared one for its leads.",
    )

    # a value maps once per kind and company whatever its case, as it is looked up: the
    # unique index on lower(value) is created in init(); Odoo reads a violation of it (two
    # saves at the same moment) with this message, by the index's name
    _sql_constraints = [
        (
            "value_uniq",
            "",
            "This city, ZIP prefix or phone code is mapped already (whatever its case).",
        ),
    ]

    def init(self):
        create_unique_index(
            self.env.cr,
            "crm_region_mapping_value_uniq",
            self._table,
            ["kind", "lower(value)", "COALESCE(company_id, 0)"],
        )

    @api.constrains("kind", "value")
    def _check_phone_digits(self):
        for mapping in self:
            if mapping.kind == "phone" and not re.sub(r"\D", "", mapping.value):
                raise ValidationError(
                    _("The phone code “%(value)s” has no digit.", value=mapping.value)
                )

    @api.model_create_multi
    def create(self, vals_list):
        defaults = self.default_get(["kind", "company_id"])
        for vals in vals_list:
            self._normalize_value(vals)
            self._check_twin(
                vals.get("kind", defaults.get("kind")),
                vals.get("value"),
                vals.get("company_id", defaults.get("company_id")),
            )
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_value(vals)
        if {"kind", "value", "company_id"} & set(vals):
            for mapping in self:
                self._check_twin(
                    vals.get("kind", mapping.kind),
                    vals.get("value", mapping.value),
                    vals.get("company_id", mapping.company_id.id),
                    exclude=mapping,
                )
        return super().write(vals)

    @api.model
    def _normalize_value(self, vals):
        # spaces around a value never matter to the lookup, nor to uniqueness
        if isinstance(vals.get("value"), str):
            vals["value"] = vals["value"].strip()

    @api.model
    def _check_twin(self, kind, value, company_id, exclude=None):
        """Refuse a value mapped already for the kind and company, whatever its case: the
        clear message before the database's unique index refuses it."""
        if not value:
            return
        key = value.lower()
        # sudo: a twin is found whoever may read it (the database refuses it anyway)
        domain = [("kind", "=", kind), ("company_id", "=", company_id or False)]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        twins = self.sudo().search(domain).filtered(lambda m: m.value.lower() == key)
        if twins:
            kinds = dict(self._fields["kind"]._description_selection(self.env))
            raise ValidationError(
                _(
                    "%(kind)s “%(value)s” is mapped already, to the region %(region)s: a "
                    "value maps to one region, whatever its case.",
                    kind=kinds.get(kind, kind),
                    value=twins[0].value,
                    region=twins[0].state_id.name,
                )
            )

    @api.model
    def _state_for(self, city=None, zip_code=None, phone=None, company=None):
        """The region of a city, ZIP or phone number (longest prefix wins), or empty. The
        mappings of the company (default: the current one) win over the shared ones."""
        company = company or self.env.company
        # sudo: the mapping is configuration; any creator of a lead (web form, portal,
        # salesman) is routed by it
        mappings = self.sudo().search([("company_id", "in", [company.id, False])])
        if city:
            key = city.strip().lower()
            found = mappings.filtered(lambda m: m.kind == "city" and m.value.lower() == key)
            if found:
                return found.sorted(lambda m: not m.company_id)[0].state_id
        for kind, raw in (("zip", zip_code), ("phone", phone)):
            digits = re.sub(r"\D", "", raw or "") if kind == "phone" else (raw or "").strip()
            if not digits:
                continue
            found = mappings.filtered(lambda m, k=kind, d=digits: m.kind == k and d.startswith(
                re.sub(r"\D", "", m.value) if k == "phone" else m.value.strip()))  # fmt: skip
            if found:
                return found.sorted(lambda m: (-len(m.value), not m.company_id))[0].state_id
        return self.env["res.country.state"]
