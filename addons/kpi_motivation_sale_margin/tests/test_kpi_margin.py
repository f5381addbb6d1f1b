from odoo.exceptions import AccessError

from odoo.addons.kpi_motivation.tests.common import KpiCase

from ..hooks import uninstall_hook


class TestKpiMargin(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.standard_price = 600.0
        cls.customer = cls.env["res.partner"].create({"name": "Margin customer"})

    def viewdef(self):
        self.env.cr.execute("SELECT pg_get_viewdef('kpi_report'::regclass)")
        return self.env.cr.fetchone()[0]

    def row(self):
        self.env.flush_all()
        return self.env["kpi.report"].search(
            [("user_id", "=", self.manager_1.id), ("month", "=", self.month_start)]
        )

    def test_the_report_margin_is_sale_margins(self):
        order = self.make_order(self.manager_1, self.customer, 1_000)
        self.assertEqual(order.margin, 400)
        row = self.row()
        self.assertEqual(row.revenue, 1_000)
        self.assertEqual(row.margin, 400, "the untaxed amount less the cost")
        self.assertIn("so.margin", self.viewdef())

    def test_the_margin_is_for_the_kpi_readers_only(self):
        self.make_order(self.manager_1, self.customer, 1_000)
        self.env.flush_all()
        row = self.row().with_user(self.manager_1)
        self.assertEqual(row.margin, 400)
        with self.assertRaises(AccessError):
            self.env["kpi.report"].with_user(self.portal_user).search_read([], ["margin"])

    def test_uninstall_gives_kpi_motivation_its_view_back(self):
        self.make_order(self.manager_1, self.customer, 1_000)
        with self.env.cr.savepoint(flush=True) as point:
            uninstall_hook(self.env)
            self.assertNotIn("so.margin", self.viewdef())
            self.env.invalidate_all()
            self.assertEqual(self.row().margin, 1_000, "kpi_motivation's own margin")
            point.rollback()
        self.assertIn("so.margin", self.viewdef())
