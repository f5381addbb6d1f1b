import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# the numbers a user types on a line
FINITE_FIELDS = ("product_uom_qty", "price_unit")


class CustomerNeedLine(models.Model):
    _name = "customer.need.line"
    _description = "Customer Need Line"
    _order = "need_id, sequence, id"
    _check_company_auto = True

    need_id = fields.Many2one(
        "customer.need", required=True, ondelete="cascade", index=True, string="Need"
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="need_id.company_id", store=True, precompute=True, index=True
    )
    product_id = fields.Many2one(
        "product.product",
        string="Product",
        required=True,
        ondelete="restrict",
        check_company=True,
        domain=[("sale_ok", "=", True)],
    )
    product_tmpl_id = fields.Many2one(
        related="product_id.product_tmpl_id", store=True, precompute=True
    )
    categ_id = fields.Many2one(
        related="product_id.categ_id", store=True, precompute=True, string="Product Category"
    )
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")
    product_uom_qty = fields.Float(
        string="Quantity", digits="Product Unit of Measure", required=True, default=1.0
    )
    product_uom = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_product_uom",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    price_unit = fields.Float(
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
        digits="Product Price",
    )
    price_subtotal = fields.Float(compute="_compute_price_subtotal", store=True, precompute=True)
    # denormalized from the need for detection (indexed) and for analytics
    need_state = fields.Selection(
        related="need_id.state", store=True, precompute=True, string="State"
    )
    partner_id = fields.Many2one(
        related="need_id.commercial_partner_id", store=True, precompute=True, string="Customer"
    )
    user_id = fields.Many2one(
        related="need_id.user_id", store=True, precompute=True, string="Manager"
    )
    team_id = fields.Many2one(
        related="need_id.team_id", store=True, precompute=True, string="Sales Team"
    )
    date_start = fields.Date(
        related="need_id.date_start", store=True, precompute=True, string="Needed From"
    )

    def init(self):
        # detection looks up open lines by product: one index serves it
        self.env.cr.execute(
            SQL(
                """
            CREATE INDEX IF NOT EXISTS customer_need_line_open_product_idx
                ON customer_need_line (product_id, company_id, need_id)
             WHERE need_state = 'open'
            """
            )
        )
        # and the lines of candidate deals by product
        self.env.cr.execute(
            SQL(
                """
            CREATE INDEX IF NOT EXISTS needs_registry_sale_order_line_product_idx
                ON sale_order_line (product_id, order_id)
             WHERE product_id IS NOT NULL
            """
            )
        )

    @api.depends("product_id")
    def _compute_product_uom(self):
        for line in self:
            if not line.product_uom or (
                line.product_id
                and line.product_uom.category_id != line.product_id.uom_id.category_id
            ):
                line.product_uom = line.product_id.uom_id

    @api.depends("product_id")
    def _compute_price_unit(self):
        for line in self:
            line.price_unit = line.product_id.lst_price

    @api.depends("price_unit", "product_uom_qty")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.price_unit * line.product_uom_qty

    @api.constrains("product_uom_qty")
    def _check_qty(self):
        for line in self:
            if line.product_uom_qty <= 0:
                raise ValidationError(
                    self.env._(
                        "Need %(need)s, product %(product)s: the field 'Quantity' must be greater "
                        "than zero.",
                        need=line.need_id.name,
                        product=line.product_id.display_name,
                    )
                )

    @api.constrains("product_id", "product_uom")
    def _check_uom(self):
        for line in self:
            if line.product_uom.category_id != line.product_id.uom_id.category_id:
                raise ValidationError(
                    self.env._(
                        "Need %(need)s, product %(product)s: the field 'Unit' must be of the "
                        "category %(category)s.",
                        need=line.need_id.name,
                        product=line.product_id.display_name,
                        category=line.product_id.uom_id.category_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # a line is added to a need the user may write, whatever the rules on lines say
        need_ids = {vals["need_id"] for vals in vals_list if vals.get("need_id")}
        self.env["customer.need"].browse(need_ids).check_access("write")
        self._check_finite_values(vals_list)
        lines = super().create(vals_list)
        self.env["customer.need"]._register_pending_detection(lines.need_id.ids)
        return lines

    def write(self, vals):
        self._check_finite_values([vals])
        if "need_id" in vals:
            moved = self.filtered(lambda line: line.need_id.id != vals["need_id"])
            if moved:
                raise ValidationError(
                    self.env._(
                        "Need %(need)s, product %(product)s: a line never moves to another "
                        "need. Remove it here and add the product to the other need.",
                        need=moved[0].need_id.name,
                        product=moved[0].product_id.display_name,
                    )
                )
        res = super().write(vals)
        if "product_id" in vals:
            self.env["customer.need"]._register_pending_detection(self.need_id.ids)
        return res

    def unlink(self):
        # the need is detected again, and refused if left with no line, before commit
        self.env["customer.need"]._register_pending_detection(self.need_id.ids)
        return super().unlink()

    def _check_finite_values(self, vals_list):
        """Refuse a quantity or a price that is not a finite number (JSON-RPC carries
        NaN, and 1e400 arrives as infinity): neither is a quantity or a price, and NaN
        passes every comparison the constraints make."""
        for vals in vals_list:
            for fname in FINITE_FIELDS:
                if fname not in vals or vals[fname] in (None, False):
                    continue
                try:
                    value = float(vals[fname])
                except (TypeError, ValueError):
                    continue  # not a number at all: the ORM refuses it
                if math.isfinite(value):
                    continue
                need = self.env["customer.need"].browse(vals.get("need_id")) or self.need_id[:1]
                product = (
                    self.env["product.product"].browse(vals.get("product_id"))
                    or self.product_id[:1]
                )
                raise ValidationError(
                    self.env._(
                        "Need %(need)s, product %(product)s: the field '%(field)s' must be a "
                        "finite number, not %(value)s.",
                        need=need.name or "-",
                        product=product.display_name or "-",
                        field=self._fields[fname]._description_string(self.env),
                        value=vals[fname],
                    )
                )
