from odoo import api, fields, models


class AssortmentMatrix(models.Model):
    _name = "assortment.matrix"
    _description = "Assortment Matrix"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the matrix between companies."
    )
    segment_category_id = fields.Many2one(
        "res.partner.category",
        "Segment",
        help="Partners with this tag get this matrix by default.",
    )
    line_ids = fields.One2many("assortment.matrix.line", "matrix_id", "Lines", copy=True)
    line_count = fields.Integer(compute="_compute_line_count")
    partner_count = fields.Integer(compute="_compute_partner_count")

    @api.depends("line_ids")
    def _compute_line_count(self):
        for matrix in self:
            matrix.line_count = len(matrix.line_ids)

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("assortment_matrix_id", "in", self.ids)], ["assortment_matrix_id"], ["__count"]
            )
        )
        for matrix in self:
            matrix.partner_count = counts.get(matrix, 0)
