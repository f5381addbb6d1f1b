from contextlib import contextmanager

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class NeedsCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.manager_1 = new_test_user(
            cls.env,
            login="need_manager_1",
            name="Anna Manager",
            groups="needs_registry.group_need_user",
        )
        cls.manager_2 = new_test_user(
            cls.env,
            login="need_manager_2",
            name="Boris Manager",
            groups="needs_registry.group_need_user",
        )
        cls.head = new_test_user(
            cls.env,
            login="need_head",
            name="Vera Head",
            groups="needs_registry.group_need_manager",
        )
        cls.catalog_admin = new_test_user(
            cls.env,
            login="need_catalog_admin",
            name="Catalog Admin",
            groups="base.group_user,needs_registry.group_catalog_admin",
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="need_portal",
            name="Dealer Portal",
            groups="base.group_portal",
        )
        # other heads installed by data (admin, demo) would get activities too:
        # the tests count on the heads they create themselves
        cls.other_heads = cls.env.ref("needs_registry.group_need_manager").users - cls.head
        cls.category = cls.env["product.category"].create({"name": "Test medical"})
        cls.products = cls.env["product.product"].create(
            [
                {
                    "name": f"Test product {i}",
                    "external_code": f"T-{i:03d}",
                    "type": "consu",
                    "categ_id": cls.category.id,
                    "list_price": 10.0 * i,
                }
                for i in range(1, 8)
            ]
        )
        cls.p1, cls.p2, cls.p3, cls.p4, cls.p5, cls.p6, cls.p7 = cls.products
        cls.dealer = cls.env["res.partner"].create(
            {"name": "Test Dealer", "is_company": True, "city": "Krasnodar"}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Test End Customer", "is_company": True, "city": "Krasnodar"}
        )
        # the dealer has delivered to the end customer before (an order of the dealer
        # shipped to it, no deal of the registry): the dealer's needs and deals and the
        # end customer's are likely the same demand
        cls.env["sale.order"].create(
            {"partner_id": cls.dealer.id, "partner_shipping_id": cls.customer.id}
        )
        # a clinic in another city that nothing links to them
        cls.clinic = cls.env["res.partner"].create(
            {"name": "Test Unrelated Clinic", "is_company": True, "city": "Kazan"}
        )
        cls.env["ir.config_parameter"].set_param("needs_registry.similarity_threshold", "0.8")

    @contextmanager
    def assertRefused(self, exception, regex):
        """assertRaisesRegex that also rolls back what was half-written (Odoo's
        assertRaises opens a savepoint, assertRaisesRegex does not)."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), regex)

    @classmethod
    def make_need(cls, products, user=None, partner=None, qty=1.0, **vals):
        user = user or cls.manager_1
        values = {
            "partner_id": (partner or cls.customer).id,
            "user_id": user.id,
            "date_start": "2030-01-01",
            "line_ids": [
                Command.create({"product_id": p.id, "product_uom_qty": qty}) for p in products
            ],
        }
        values.update(vals)
        return cls.env["customer.need"].with_user(user).create(values).with_env(cls.env)

    @classmethod
    def make_deal(cls, products, user=None, partner=None):
        user = user or cls.manager_2
        lead = cls.env["crm.lead"].create(
            {
                "name": "Deal",
                "type": "opportunity",
                "user_id": user.id,
                "partner_id": (partner or cls.dealer).id,
            }
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.dealer).id,
                "user_id": user.id,
                "opportunity_id": lead.id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": 1}) for p in products
                ],
            }
        )
        return lead, order
