from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.claims.tests.common import ClaimsCase


class ClaimsLineCase(ClaimsCase):
    """The claims test set-up plus three production lines.

    * ``line_roller`` makes the products of the ``Test blinds`` category and its
      subcategories: the claims' roller blind is in ``Test roller`` under it;
    * ``line_vertical`` is named on the vertical blind's own product;
    * ``line_spare`` makes nothing by default (for production orders and manual choices).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.category_blinds = Category.create({"name": "Test blinds"})
        cls.category_roller = Category.create(
            {"name": "Test roller", "parent_id": cls.category_blinds.id}
        )
        Line = cls.env["production.line"]
        cls.line_roller = Line.create(
            {
                "name": "Test roller line",
                "code": "TRL",
                "product_category_ids": [Command.link(cls.category_blinds.id)],
            }
        )
        cls.line_vertical = Line.create({"name": "Test vertical line", "code": "TVL"})
        cls.line_spare = Line.create({"name": "Test spare line", "code": "TSL"})
        cls.product_roller.categ_id = cls.category_roller
        cls.product_vertical.production_line_id = cls.line_vertical
        cls.mrp_user = new_test_user(
            cls.env, login="claims_mrp_user", name="Production User", groups="mrp.group_mrp_user"
        )

    def make_production(self, product=None, line=None):
        values = {"product_id": (product or self.product_roller).id, "product_qty": 1}
        if line:
            values["production_line_id"] = line.id
        return self.env["mrp.production"].create(values)
