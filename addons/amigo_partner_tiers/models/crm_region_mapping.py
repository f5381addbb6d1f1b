import re

from odoo import api, fields, models


class CrmRegionMapping(models.Model):
    _name = "crm.region.mapping"
    _description = "Lead Region Mapping"
    _order = "kind, value"

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

    _sql_constraints = [
        ("value_uniq", "unique(kind, value)", "This city, ZIP prefix or phone code is mapped."),
    ]

    @api.model
    def _state_for(self, city=None, zip_code=None, phone=None):
        """The region of a city, ZIP or phone number (longest prefix wins), or empty."""
        # sudo: the mapping is configuration; any creator of a lead (web form, portal,
        # salesman) is routed by it
        mappings = self.sudo().search([])
        if city:
            found = mappings.filtered(
                lambda m: m.kind == "city" and m.value.strip().lower() == city.strip().lower()
            )
            if found:
                return found[0].state_id
        for kind, raw in (("zip", zip_code), ("phone", phone)):
            digits = re.sub(r"\D", "", raw or "") if kind == "phone" else (raw or "").strip()
            if not digits:
                continue
            found = mappings.filtered(lambda m, k=kind, d=digits: m.kind == k and d.startswith(
                re.sub(r"\D", "", m.value) if k == "phone" else m.value.strip()))  # fmt: skip
            if found:
                return found.sorted(lambda m: len(m.value), reverse=True)[0].state_id
        return self.env["res.country.state"]
