from odoo import fields, models

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

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A claim cause with this name already exists.",
        ),
    ]
