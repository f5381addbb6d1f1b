from odoo import fields, models


class AssortmentMatrixLine(models.Model):
    _name = "assortment.matrix.line"
    _description = "Assortment Matrix Line"
    _order = "matrix_id, sequence, id"
    _check_company_auto = True

    matrix_id = fields.Many2one("assortment.matrix", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="matrix_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", required=True, index=True, check_company=True)

    _sql_constraints = [
        (
            "product_uniq",
            "unique(matrix_id, product_id)",
            "A product appears only once in an assortment matrix.",
        ),
    ]
