from odoo import fields, models


class AssortmentMatrixLine(models.Model):
    _name = "assortment.matrix.line"
    _description = "Assortment Matrix Line"
    _order = "matrix_id, sequence, id"

    matrix_id = fields.Many2one("assortment.matrix", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", required=True, index=True)

    _sql_constraints = [
        (
            "product_uniq",
            "unique(matrix_id, product_id)",
            "A product appears only once in an assortment matrix.",
        ),
    ]
