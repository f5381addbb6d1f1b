from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import NeedsCase


@tagged("post_install", "-at_install")
class TestAccess(NeedsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.need_1 = cls.make_need(cls.p1 | cls.p2, user=cls.manager_1)
        cls.need_2 = cls.make_need(cls.p1 | cls.p2, user=cls.manager_2, partner=cls.dealer)

    def test_manager_sees_only_own_needs(self):
        Need = self.env["customer.need"].with_user(self.manager_1)
        found = Need.search([("id", "in", (self.need_1 | self.need_2).ids)])
        self.assertEqual(found, self.need_1)
        with self.assertRaises(AccessError):
            self.need_2.with_user(self.manager_1).read(["name"])
        with self.assertRaises(AccessError):
            self.need_2.with_user(self.manager_1).write({"date_end": "2031-01-01"})
        lines = self.env["customer.need.line"].with_user(self.manager_1).search([])
        self.assertEqual(lines.need_id, self.need_1)
        # the hit on the other manager's need is listed with who and what
        match = self.need_1.with_user(self.manager_1).match_ids
        self.assertEqual(match.matched_user_id, self.manager_2)
        self.assertEqual(match.matched_name, self.need_2.display_name)
        self.assertEqual(match.matched_partner_id, self.dealer)

    def test_manager_cannot_delete_needs(self):
        with self.assertRaises(AccessError):
            self.need_1.with_user(self.manager_1).unlink()

    def test_head_sees_and_closes_all(self):
        Need = self.env["customer.need"].with_user(self.head)
        self.assertEqual(
            Need.search([("id", "in", (self.need_1 | self.need_2).ids)]), self.need_1 | self.need_2
        )
        self.need_2.with_user(self.head).mark_duplicate(self.need_1.id, "Same hospital")
        self.assertEqual(self.need_2.state, "duplicate")

    def test_portal_refused(self):
        for model in ("customer.need", "customer.need.line", "customer.need.match"):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            self.env["customer.need"].with_user(self.portal_user).create(
                {
                    "partner_id": self.portal_user.partner_id.id,
                    "user_id": self.manager_1.id,
                    "line_ids": [(0, 0, {"product_id": self.p1.id})],
                }
            )

    def test_products_only_by_catalog_admin(self):
        for user in (self.manager_1, self.head):
            with self.assertRaises(AccessError):
                self.env["product.template"].with_user(user).create({"name": "Free text"})
            with self.assertRaises(AccessError):
                self.p1.product_tmpl_id.with_user(user).write({"name": "Renamed"})
            with self.assertRaises(AccessError):
                self.p1.with_user(user).write({"default_code": "X"})
        sales_admin = self.env["res.users"].create(
            {
                "name": "Sales admin",
                "login": "need_sales_admin",
                "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_manager").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.env["product.template"].with_user(sales_admin).create({"name": "Free text"})
        template = (
            self.env["product.template"]
            .with_user(self.catalog_admin)
            .create({"name": "From catalog", "external_code": "CAT-1"})
        )
        template.write({"name": "From catalog, renamed"})
        self.assertEqual(template.name, "From catalog, renamed")
        # the catalog import is the other way in, and needs the group as well
        with self.assertRaises(AccessError):
            self.env["product.template"].with_user(self.manager_1).import_catalog_rows([])

    def test_manager_opens_the_form_of_a_need_with_a_hit_on_another_managers_need(self):
        form = Form(self.need_1.with_user(self.manager_1))
        self.assertEqual(form.open_match_count, 1)
        record = form.save()
        data = record.web_read(
            {
                "match_ids": {
                    "fields": {
                        "matched_name": {},
                        "matched_user_id": {"fields": {"display_name": {}}},
                        "score": {},
                    }
                },
            }
        )
        [match] = data[0]["match_ids"]
        self.assertEqual(match["matched_name"], self.need_2.display_name)
        self.assertEqual(match["matched_user_id"]["display_name"], self.manager_2.name)
