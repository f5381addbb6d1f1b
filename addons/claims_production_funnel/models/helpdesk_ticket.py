from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # internal: which order and line made the goods is for the company, not the customer
    production_id = fields.Many2one(
        "mrp.production",
        string="Production Order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        groups="base.group_user",
        domain="[('product_id', '=?', product_id)]",
        help="The manufacturing order that made the claimed goods, where known.",
    )
    production_line_id = fields.Many2one(
        "production.line",
        string="Production Line",
        compute="_compute_production_line_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        groups="base.group_user",
        help="The line that made the claimed goods: the line of the production order when "
        "one is set, else the line the product is made on (its own line, or the line of its "
        "product category). It can be changed by hand.",
    )

    # ------------------------------------------------------------ computes
    @api.depends("production_id.production_line_id", "product_id", "company_id")
    def _compute_production_line_id(self):
        Line = self.env["production.line"]
        category_lines = Line._category_lines()
        guessed = {}
        for ticket in self:
            line = ticket.production_id.production_line_id
            if not line and ticket.product_id:
                key = (ticket.product_id, ticket.company_id or self.env.company)
                if key not in guessed:
                    guessed[key] = Line._for_product(*key, category_lines=category_lines)
                line = guessed[key]
            # nothing to go by (no order, no product, or a product made on no line):
            # keep what the claim has, e.g. a line chosen by hand
            ticket.production_line_id = line or ticket.production_line_id

    # --------------------------------------------------------- constraints
    _CLAIM_PRODUCTION_FIELDS = ("production_id", "product_id", "production_line_id", "company_id")

    @api.constrains(*_CLAIM_PRODUCTION_FIELDS)
    def _check_claim_production(self):
        for ticket in self:
            ticket._claim_check_production(ticket._claim_getter())

    # ---------------------------------------------------------------- CRUD
    def write(self, vals):
        # Check before writing, as claims does, so that a refused change leaves the claim
        # as it was even within the same transaction (the constraint guards the rest).
        if set(vals) & set(self._CLAIM_PRODUCTION_FIELDS):
            for ticket in self:
                ticket._claim_check_production(ticket._claim_getter(vals))
        return super().write(vals)

    # ------------------------------------------------------------- helpers
    def _claim_check_production(self, get):
        """Refuse a production order of another product or a line of another company."""
        line, company = get("production_line_id"), get("company_id")
        if line and company and line.company_id != company:
            raise ValidationError(
                self.env._(
                    "Claim %(claim)s: the production line %(line)s belongs to "
                    "%(line_company)s, not to the claim's company %(company)s.",
                    claim=self.display_name,
                    line=line.display_name,
                    line_company=line.company_id.name,
                    company=company.name,
                )
            )
        production, product = get("production_id"), get("product_id")
        if production and product and production.product_id != product:
            raise ValidationError(
                self.env._(
                    "Claim %(claim)s: the production order %(order)s made %(made)s, "
                    "not the claimed product %(product)s.",
                    claim=self.display_name,
                    order=production.display_name,
                    made=production.product_id.display_name,
                    product=product.display_name,
                )
            )
