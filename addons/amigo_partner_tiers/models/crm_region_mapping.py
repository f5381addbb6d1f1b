import re

from odoo import api, fields, models


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

    _sql_constraints = [
        ("value_uniq", "unique(kind, value)", "This city, ZIP prefix or phone code is mapped."),
    ]

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
            found = mappings.filtered(lambda m: m.kind == "city" and m.value.strip().lower() == key)
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
