"""Trust boundaries (issue 15): what each role may do to needs, lines, matches and the
catalog, tried the way an attacker of that role would (RPC-like calls ``with_user``),
each refusal checked to leave the data as it was."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import NeedsCase

MATCH_FIELDS = ["need_id", "matched_need_id", "matched_order_id", "score", "match_type", "state"]


@tagged("post_install", "-at_install")
class TestSecurityMatches(NeedsCase):
    """Matches are bookkeeping of the detection: users read them and dismiss them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.need_1 = cls.make_need(cls.p1 | cls.p2, user=cls.manager_1)
        cls.need_2 = cls.make_need(cls.p1 | cls.p2, user=cls.manager_2, partner=cls.dealer)
        # another manager's need with other products, and a deal: targets of a rewrite
        cls.secret = cls.make_need(cls.p6 | cls.p7, user=cls.manager_2, partner=cls.dealer)
        cls.lead, cls.order = cls.make_deal(cls.p5, user=cls.manager_2)
        cls.match = cls.need_1.match_ids
        cls.reverse = cls.need_2.match_ids

    def _snapshot(self):
        return (self.match | self.reverse).read(MATCH_FIELDS)

    def test_need_user_cannot_repoint_create_or_delete_a_match(self):
        self.assertEqual(self.match.matched_need_id, self.need_2)
        before = self._snapshot()
        count = self.env["customer.need.match"].search_count([])
        Match = self.env["customer.need.match"].with_user(self.manager_1)
        match = self.match.with_user(self.manager_1)
        for vals in (
            {"matched_need_id": self.secret.id},
            {"matched_need_id": False, "matched_order_id": self.order.id},
            {"need_id": self.need_1.id, "score": 0.01},
            {"match_type": "similar"},
            {"state": "open"},
        ):
            with self.assertRaises(AccessError, msg=vals):
                match.write(vals)
        with self.assertRaises(AccessError):
            Match.create(
                {
                    "need_id": self.need_1.id,
                    "matched_need_id": self.secret.id,
                    "score": 1.0,
                    "match_type": "exact",
                }
            )
        with self.assertRaises(AccessError):
            Match.create(
                {
                    "need_id": self.need_1.id,
                    "matched_order_id": self.order.id,
                    "score": 1.0,
                    "match_type": "exact",
                }
            )
        with self.assertRaises(AccessError):
            match.unlink()
        # nor through the need's one2many
        need = self.need_1.with_user(self.manager_1)
        for command in (
            Command.create(
                {"matched_need_id": self.secret.id, "score": 1.0, "match_type": "exact"}
            ),
            Command.update(self.match.id, {"matched_need_id": self.secret.id}),
            Command.delete(self.match.id),
            Command.unlink(self.match.id),
        ):
            with self.assertRaises(AccessError, msg=command):
                need.write({"match_ids": [command]})
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(self.env["customer.need.match"].search_count([]), count)
        # so the sudo-computed fields only ever show what the detection matched
        self.assertEqual(match.matched_name, self.need_2.display_name)

    def test_head_of_sales_cannot_write_matches_either(self):
        before = self._snapshot()
        with self.assertRaises(AccessError):
            self.match.with_user(self.head).write({"matched_need_id": self.secret.id})
        with self.assertRaises(AccessError):
            self.env["customer.need.match"].with_user(self.head).create(
                {
                    "need_id": self.need_1.id,
                    "matched_need_id": self.secret.id,
                    "score": 1.0,
                    "match_type": "exact",
                }
            )
        self.assertEqual(self._snapshot(), before)

    def test_access_rights_and_views_agree_matches_are_read_only(self):
        for user in (self.manager_1, self.head):
            Match = self.env["customer.need.match"].with_user(user)
            self.assertTrue(Match.has_access("read"), user.name)
            for operation in ("write", "create", "unlink"):
                self.assertFalse(Match.has_access(operation), (user.name, operation))
        fields = self.env["customer.need.match"].fields_get(MATCH_FIELDS, ["readonly"])
        self.assertEqual(
            [name for name in MATCH_FIELDS if not fields[name]["readonly"]], [], "readonly"
        )

    def test_need_user_dismisses_the_matches_of_own_needs_only(self):
        before = self._snapshot()
        # manager 1 cannot read manager 2's half of the pair, let alone dismiss it
        with self.assertRaises(AccessError):
            self.reverse.with_user(self.manager_1).action_dismiss()
        self.assertEqual(self._snapshot(), before)
        self.match.with_user(self.manager_1).action_dismiss()
        self.assertEqual((self.match | self.reverse).mapped("state"), ["dismissed"] * 2)


@tagged("post_install", "-at_install")
class TestSecurityLines(NeedsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls.make_need(cls.p1 | cls.p2, user=cls.manager_1)
        cls.mine_too = cls.make_need(cls.p5, user=cls.manager_1)
        cls.theirs = cls.make_need(cls.p3 | cls.p4, user=cls.manager_2, partner=cls.dealer)

    def test_a_line_never_moves_to_another_need(self):
        line = self.mine.line_ids[0]
        for user, target in (
            (self.manager_1, self.theirs),
            (self.manager_1, self.mine_too),
            (self.head, self.theirs),
        ):
            with self.assertRefused(ValidationError, "never moves to another need"):
                line.with_user(user).write({"need_id": target.id})
        self.assertEqual(line.need_id, self.mine)
        self.assertEqual(self.theirs.line_ids.product_id, self.p3 | self.p4)
        self.assertEqual(self.mine_too.line_ids.product_id, self.p5)
        # writing the need it already has is no move
        line.with_user(self.manager_1).write({"need_id": self.mine.id, "product_uom_qty": 4})
        self.assertEqual(line.product_uom_qty, 4)

    def test_no_line_added_to_a_need_the_user_may_not_write(self):
        Line = self.env["customer.need.line"].with_user(self.manager_1)
        with self.assertRaises(AccessError):
            Line.create({"need_id": self.theirs.id, "product_id": self.p7.id})
        self.assertEqual(self.theirs.line_ids.product_id, self.p3 | self.p4)


@tagged("post_install", "-at_install")
class TestSecurityCatalogRights(NeedsCase):
    """No context key grants the catalog administrator's rights."""

    def test_needs_catalog_import_grants_no_catalog_rights(self):
        sales_admin = new_test_user(
            self.env,
            login="need_sales_admin_ctx",
            name="Sales Administrator",
            groups="sales_team.group_sale_manager",
        )
        self.assertFalse(sales_admin.has_group("needs_registry.group_catalog_admin"))
        Template = (
            self.env["product.template"]
            .with_user(sales_admin)
            .with_context(needs_catalog_import=True)
        )
        count = self.env["product.template"].search_count([])
        with self.assertRaises(AccessError):
            Template.create({"name": "Smuggled product", "list_price": 1.0})
        with self.assertRaises(AccessError):
            self.env["product.product"].with_user(sales_admin).with_context(
                needs_catalog_import=True
            ).create({"name": "Smuggled variant"})
        template = self.p1.product_tmpl_id
        before = template.read(["name", "list_price", "external_code"])
        with self.assertRaises(AccessError):
            Template.browse(template.id).write({"list_price": 0.01, "name": "Cheap"})
        with self.assertRaises(AccessError):
            self.p1.with_user(sales_admin).with_context(needs_catalog_import=True).write(
                {"default_code": "X"}
            )
        with self.assertRaises(AccessError):
            Template.import_catalog_rows(
                [{"external_code": "T-001", "name": "Renamed", "uom": "Units", "category": "x"}]
            )
        with self.assertRaises(AccessError):
            self.env["product.catalog.import.wizard"].with_user(sales_admin).create(
                {"file": "eA==", "filename": "c.csv"}
            )
        self.assertEqual(template.read(["name", "list_price", "external_code"]), before)
        self.assertEqual(self.env["product.template"].search_count([]), count)


@tagged("post_install", "-at_install")
class TestSecurityDetectionFlag(NeedsCase):
    """No context key skips the duplicate check or the one-line rule."""

    def test_needs_skip_detection_skips_no_detection(self):
        other = self.make_need(self.p1 | self.p2 | self.p3, user=self.manager_2)
        need = self.make_need(self.p5 | self.p6, user=self.manager_1)
        Need = need.with_user(self.manager_1).with_context(needs_skip_detection=True)
        Need.write(
            {
                "line_ids": [Command.clear()]
                + [Command.create({"product_id": p.id}) for p in self.p1 | self.p2 | self.p3]
            }
        )
        self.assertEqual(need.match_ids.matched_need_id, other)
        # a line changed on its own is detected before commit
        third = self.make_need(self.p1 | self.p2 | self.p4, user=self.manager_1)
        self.assertFalse(third.match_ids)
        line = third.line_ids.filtered(lambda line: line.product_id == self.p4)
        line.with_user(self.manager_1).with_context(needs_skip_detection=True).write(
            {"product_id": self.p3.id}
        )
        self.env.cr.flush()
        self.assertEqual(third.match_ids.matched_need_id, other | need)

    def test_needs_skip_detection_keeps_the_last_line(self):
        need = self.make_need(self.p1 | self.p2, user=self.manager_1)
        Line = self.env["customer.need.line"].with_user(self.manager_1)
        with self.assertRefused(ValidationError, "has no products"):
            Line.with_context(needs_skip_detection=True).browse(need.line_ids.ids).unlink()
            self.env.cr.flush()
        self.assertEqual(need.line_ids.product_id, self.p1 | self.p2)
        with self.assertRefused(ValidationError, "has no products"):
            need.with_user(self.manager_1).with_context(needs_skip_detection=True).write(
                {"line_ids": [Command.clear()]}
            )
        self.assertEqual(need.line_ids.product_id, self.p1 | self.p2)


@tagged("post_install", "-at_install")
class TestSecurityCompanies(NeedsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Needs Co B"})
        cls.manager_b = new_test_user(
            cls.env,
            login="need_manager_b",
            name="Gleb Manager B",
            groups="needs_registry.group_need_user",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.need_a = cls.make_need(cls.p1 | cls.p2, user=cls.manager_1)
        cls.need_b = cls.make_need(
            cls.p1 | cls.p2, user=cls.manager_b, company_id=cls.company_b.id, team_id=False
        )

    def test_needs_of_two_companies_never_match(self):
        self.assertFalse(self.need_a.match_ids)
        self.assertFalse(self.need_b.match_ids)
        with self.assertRaises(UserError):
            self.env["customer.need.match"].create(
                {
                    "need_id": self.need_a.id,
                    "matched_need_id": self.need_b.id,
                    "score": 1.0,
                    "match_type": "exact",
                }
            )
        self.assertFalse(self.need_a.match_ids)

    def test_a_need_is_no_duplicate_of_a_need_of_another_company(self):
        with self.assertRaises(UserError):
            self.need_a.mark_duplicate(self.need_b.id, "Same customer")
        self.assertEqual(self.need_a.state, "open")
        self.assertFalse(self.need_a.duplicate_of_id)
        with self.assertRaises(UserError):
            self.env["customer.need.close.wizard"].create(
                {
                    "need_ids": [Command.set(self.need_a.ids)],
                    "duplicate_of_id": self.need_b.id,
                    "comment": "Same customer",
                }
            )

    def test_a_user_of_company_b_sees_nothing_of_company_a(self):
        for model in ("customer.need", "customer.need.line", "customer.need.match"):
            records = self.env[model].with_user(self.manager_b).search([])
            self.assertFalse(records.filtered(lambda r: r.company_id != self.company_b), model)
        with self.assertRaises(AccessError):
            self.need_a.with_user(self.manager_b).read(["name"])
