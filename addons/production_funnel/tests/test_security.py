"""Trust boundaries of the production funnel (issue 15), tried as each role would.

Companies: an order, a product, a work center or a stage of one company never points to
a production line or a stage of another, and a company's stages, lines and load stay
hidden from users of the other. Portal users reach nothing of the funnel, by model or
over JSON-RPC. The uninstall hook leaves no table, view or function behind.
"""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import ProductionFunnelCase

PRODUCTION_MODELS = [
    "production.line",
    "production.funnel.stage",
    "production.line.load",
    "mrp.production",
    "mrp.workcenter",
    "mrp.workorder",
]


class TestCompanyBoundaries(ProductionFunnelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create({"name": "PF Company B"})
        cls.line_b = cls.env["production.line"].create(
            {"name": "PF Line of B", "code": "PFB", "company_id": cls.company_b.id}
        )
        cls.mrp_manager_b = new_test_user(
            cls.env,
            login="pf_mrp_manager_b",
            groups="mrp.group_mrp_manager",
            name="PF Production Head B",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.mrp_manager_ab = new_test_user(
            cls.env,
            login="pf_mrp_manager_ab",
            groups="mrp.group_mrp_manager",
            name="PF Production Head A and B",
            company_id=cls.company_a.id,
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )

    def stage_of_b(self):
        return (
            self.env["production.funnel.stage"]
            .with_user(self.mrp_manager_b)
            .create({"name": "PF Stage of B", "sla_hours": 4, "company_id": self.company_b.id})
            .sudo()
        )

    # ------------------------------------------------------------ orders
    def test_an_order_cannot_go_on_a_line_of_another_company(self):
        production = self.make_order(self.product_roller)
        self.assertEqual(production.production_line_id, self.line_week)
        for user in (self.mrp_user, self.mrp_manager_ab):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                production.with_user(user).write({"production_line_id": self.line_b.id})
        # not even the superuser: the orders of a line are the line's company's
        with self.assertRaises(UserError), self.env.cr.savepoint():
            production.write({"production_line_id": self.line_b.id})
        self.assertEqual(production.production_line_id, self.line_week)
        self.assertFalse(self.line_b.production_ids)

    def test_an_order_cannot_take_a_stage_of_another_company(self):
        stage_b = self.stage_of_b()
        production = self.make_order(self.product_vertical)
        before = production.funnel_stage_id
        with self.assertRaises(UserError), self.env.cr.savepoint():
            production.with_user(self.mrp_user).write({"funnel_stage_id": stage_b.id})
        with self.assertRaises(UserError), self.env.cr.savepoint():
            production.with_user(self.mrp_manager_ab).write({"funnel_stage_id": stage_b.id})
        self.assertEqual(production.funnel_stage_id, before)
        # a shared stage (no company) serves every company
        production.with_user(self.mrp_user).write({"funnel_stage_id": self.stage_cutting.id})
        self.assertEqual(production.funnel_stage_id, self.stage_cutting)

    # ------------------------------------------------------------ stages
    def test_the_stages_of_a_company_are_hidden_from_the_other(self):
        stage_b = self.stage_of_b()
        Stage = self.env["production.funnel.stage"]
        self.assertNotIn(stage_b, Stage.with_user(self.mrp_user).search([]))
        self.assertIn(self.stage_cutting, Stage.with_user(self.mrp_user).search([]))
        self.assertIn(stage_b, Stage.with_user(self.mrp_manager_b).search([]))
        with self.assertRaises(AccessError):
            stage_b.with_user(self.mrp_user).read(["name", "sla_hours"])
        with self.assertRaises(AccessError):
            stage_b.with_user(self.mrp_manager).write({"sla_hours": 1000})
        with self.assertRaises(AccessError):
            stage_b.with_user(self.mrp_manager).unlink()
        self.assertEqual(stage_b.sla_hours, 4)
        # the kanban's columns, asked for a line of company B, still show none of B's stages
        columns = (
            self.env["mrp.production"]
            .with_user(self.mrp_user)
            .with_context(default_production_line_id=self.line_b.id)
            ._read_group_funnel_stage_ids(Stage.with_user(self.mrp_user), [])
        )
        self.assertNotIn(stage_b, columns)

    def test_a_stage_of_a_company_lists_only_the_lines_of_that_company(self):
        Stage = self.env["production.funnel.stage"].with_user(self.mrp_manager_ab)
        with self.assertRaisesRegex(ValidationError, "PF Line of B"), self.env.cr.savepoint():
            Stage.create(
                {
                    "name": "PF Stage of A",
                    "company_id": self.company_a.id,
                    "line_ids": [Command.set(self.line_b.ids)],
                }
            )
        self.assertFalse(Stage.search([("name", "=", "PF Stage of A")]))
        stage_a = Stage.create(
            {
                "name": "PF Stage of A",
                "company_id": self.company_a.id,
                "line_ids": [Command.set(self.line_week.ids)],
            }
        )
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            stage_a.write({"company_id": self.company_b.id})
        self.assertEqual(stage_a.company_id, self.company_a)
        # a shared stage may serve the lines of several companies
        shared = Stage.create(
            {"name": "PF Shared", "line_ids": [Command.set((self.line_week | self.line_b).ids)]}
        )
        self.assertEqual(len(shared.line_ids), 2)

    # --------------------------------------------- products, work centers, load
    def test_a_product_of_a_company_cannot_name_a_line_of_another(self):
        template = self.product_roller.product_tmpl_id
        template.company_id = self.company_a
        with self.assertRaisesRegex(ValidationError, "PF Line of B"), self.env.cr.savepoint():
            template.with_user(self.mrp_manager_ab).write({"production_line_id": self.line_b.id})
        self.assertFalse(template.production_line_id)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["product.template"].create(
                {
                    "name": "PF Product of A on B",
                    "company_id": self.company_a.id,
                    "production_line_id": self.line_b.id,
                }
            )
        # a product shared by the companies may name the line of one of them
        shared = self.product_vertical.product_tmpl_id
        self.assertFalse(shared.company_id)
        shared.production_line_id = self.line_b
        self.assertEqual(shared.production_line_id, self.line_b)

    def test_a_work_center_cannot_join_a_line_of_another_company(self):
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.wc_vertical.with_user(self.mrp_manager_ab).write(
                {"production_line_id": self.line_b.id}
            )
        self.assertEqual(self.wc_vertical.production_line_id, self.line_daily)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.line_b.with_user(self.mrp_manager_ab).write(
                {"workcenter_ids": [Command.link(self.wc_vertical.id)]}
            )
        self.assertFalse(self.line_b.workcenter_ids)

    def test_a_user_sees_the_lines_and_load_of_the_active_companies_only(self):
        self.env.flush_all()
        Line = self.env["production.line"].with_user(self.mrp_manager_ab)
        Load = self.env["production.line.load"].with_user(self.mrp_manager_ab)
        only_a = {"allowed_company_ids": self.company_a.ids}
        both = {"allowed_company_ids": (self.company_a | self.company_b).ids}
        self.assertFalse(Line.with_context(**only_a).search([("id", "=", self.line_b.id)]))
        self.assertFalse(Load.with_context(**only_a).search([("line_id", "=", self.line_b.id)]))
        self.assertTrue(Load.with_context(**both).search([("line_id", "=", self.line_b.id)]))
        # company B's head sees nothing of A: lines, load, stages of A's lines
        Line_b = self.env["production.line"].with_user(self.mrp_manager_b)
        self.assertEqual(Line_b.search([]), self.line_b)
        self.assertFalse(
            self.env["production.line.load"]
            .with_user(self.mrp_manager_b)
            .search([("line_id", "=", self.line_week.id)])
        )
        with self.assertRaises(AccessError):
            self.line_week.with_user(self.mrp_manager_b).write({"name": "Taken over"})
        self.assertEqual(self.line_week.name, "PF Roller line")


class TestPortalHasNothing(ProductionFunnelCase):
    def test_portal_user_is_refused_every_production_model(self):
        production = self.make_order(self.product_roller)
        records = {
            "production.line": self.line_week,
            "production.funnel.stage": self.stage_cutting,
            "mrp.production": production,
            "mrp.workcenter": self.wc_cut,
            "mrp.workorder": production.workorder_ids,
        }
        for model in PRODUCTION_MODELS:
            Model = self.env[model].with_user(self.portal_user)
            for operation in ("read", "write", "create", "unlink"):
                with self.assertRaises(AccessError, msg=f"{operation} {model}"):
                    Model.check_access(operation)
            if model in records:
                with self.assertRaises(AccessError, msg=model):
                    records[model].with_user(self.portal_user).read(["display_name"])
        with self.assertRaises(AccessError):
            self.line_week.with_user(self.portal_user).write({"name": "Portal line"})
        with self.assertRaises(AccessError):
            self.stage_cutting.with_user(self.portal_user).write({"sla_hours": 1000})
        with self.assertRaises(AccessError):
            production.with_user(self.portal_user).write({"funnel_stage_id": self.stage_packed.id})
        self.assertEqual(self.line_week.name, "PF Roller line")
        self.assertEqual(self.stage_cutting.sla_hours, 8)
        self.assertNotEqual(production.funnel_stage_id, self.stage_packed)

    def test_portal_user_reads_and_posts_nothing_on_a_line(self):
        self.line_week.message_post(body="Line stopped for maintenance", message_type="comment")
        Message = self.env["mail.message"].with_user(self.portal_user)
        self.assertFalse(
            Message.search([("model", "=", "production.line"), ("res_id", "=", self.line_week.id)])
        )
        with self.assertRaises(AccessError):
            self.line_week.with_user(self.portal_user).message_post(body="From a dealer")
        self.assertFalse(
            self.line_week.message_ids.filtered(lambda m: "From a dealer" in (m.body or ""))
        )


@tagged("post_install", "-at_install")
class TestPortalOverJsonRpc(ProductionFunnelCase, HttpCase):
    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_portal_session_reaches_nothing_of_the_funnel(self):
        production = self.make_order(self.product_roller)
        self.env.cr.flush()
        self.authenticate("pf_portal", "pf_portal")
        for model in PRODUCTION_MODELS:
            with self.assertRaises(JsonRpcException, msg=model) as error:
                self.call_kw(model, "search_read", [[]], {"fields": ["display_name"]})
            self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError", model)
        with self.assertRaises(JsonRpcException) as error:
            self.call_kw(
                "mrp.production",
                "write",
                [production.ids, {"funnel_stage_id": self.stage_packed.id}],
            )
        self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError")
        with self.assertRaises(JsonRpcException) as error:
            self.call_kw("production.line", "create", [{"name": "Dealer line", "code": "DL"}])
        self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError")
        self.env.invalidate_all()
        self.assertNotEqual(production.funnel_stage_id, self.stage_packed)
        self.assertFalse(self.env["production.line"].search([("code", "=", "DL")]))


class TestUninstall(ProductionFunnelCase):
    def test_the_module_creates_no_table_index_or_function_of_its_own_in_sql(self):
        """What the module creates in SQL itself is the load report's view, which Odoo
        drops with the report's model; no table, index or function (the planned hours it
        once stored in a table of its own, filled by an SQL function, are fields of the
        work orders now, whose columns Odoo drops with the module's fields)."""
        self.env.cr.execute(
            r"""
            SELECT relkind::text || ':' || relname FROM pg_class
             WHERE relname LIKE 'production\_line\_load%%'
             UNION ALL
            SELECT 'function:' || proname FROM pg_proc
             WHERE proname LIKE 'production\_line\_load%%'
             ORDER BY 1
            """
        )
        self.assertEqual([row[0] for row in self.env.cr.fetchall()], ["v:production_line_load"])
        Load = self.env["production.line.load"]
        self.assertEqual((Load._table, Load._auto), ("production_line_load", False))
