from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

CAUSE_CATEGORIES = [
    ("process", "Process"),
    ("human", "Human Factor"),
    ("material", "Material"),
    ("supplier", "Supplier"),
    ("logistics", "Logistics"),
    ("other", "Other"),
]


class ClaimCause(models.Model):
    _name = "claim.cause"
    _description = "Claim Cause"
    _order = "category, sequence, name"

    name = fields.Char(required=True, translate=True)
    category = fields.Selection(
        CAUSE_CATEGORIES,
        required=True,
        default="other",
        index=True,
        help="Process causes call for a corrective action; human-factor causes are compared "
        "with the tolerance set in the settings.",
    )
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        help="Leave empty to share the cause between companies.",
    )

    # One cause per name and company, shared causes (no company) included: a plain
    # unique(name, company_id) lets shared causes repeat, NULL being distinct from NULL.
    # The empty definition declares the unique index of the same name created in init()
    # (PostgreSQL 13 has no NULLS NOT DISTINCT), so that a violation reads this message.
    _sql_constraints = [
        ("name_company_uniq", "", "A claim cause with this name already exists."),
    ]

    def init(self):
        tools.create_unique_index(
            self.env.cr,
            f"{self._table}_name_company_uniq",
            self._table,
            ["(name->>'en_US')", "COALESCE(company_id, 0)"],
        )

    @api.model_create_multi
    def create(self, vals_list):
        seen = set()
        for vals in vals_list:
            key = (vals.get("name"), vals.get("company_id") or False)
            if key in seen:
                self._raise_duplicate_name(key[0])
            seen.add(key)
            self._check_name_free(*key)
        return super().create(vals_list)

    def write(self, vals):
        if "name" in vals or "company_id" in vals:
            for cause in self:
                cause._check_name_free(
                    vals.get("name", cause.name),
                    vals["company_id"] if "company_id" in vals else cause.company_id.id,
                    exclude=cause,
                )
        return super().write(vals)

    def _check_name_free(self, name, company_id, exclude=None):
        """The first line of defence of the unique index, before the database is asked:
        refuse a name another cause of that company (or another shared cause) has, in the
        user's language, with a message naming it."""
        if not name:
            return
        # sudo and archived causes too: the index holds for every cause of that company
        domain = [("name", "=", name), ("company_id", "=", company_id or False)]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        if self.sudo().with_context(active_test=False).search_count(domain, limit=1):
            self._raise_duplicate_name(name)

    def _raise_duplicate_name(self, name):
        raise ValidationError(self.env._("A claim cause named %(name)s already exists.", name=name))
