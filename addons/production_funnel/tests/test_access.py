from odoo.exceptions import AccessError, ValidationError

from .common import ProductionFunnelCase


class TestAccess(ProductionFunnelCase):
    def test_production_user_reads_lines_and_moves_orders(self):
        production = self.make_order(self.product_vertical)
        line = self.line_daily.with_user(self.mrp_user)
        self.assertEqual(line.name, "PF Vertical line")
        self.assertIn(line.load_state, ("no_capacity", "under", "normal", "over"))
        self.assertEqual(line.queued_count, 1)
        loads = (
            self.env["production.line.load"]
            .with_user(self.mrp_user)
            .search([("line_id", "=", line.id)], limit=1)
        )
        self.assertTrue(loads)
        production.with_user(self.mrp_user).funnel_stage_id = self.stage_cutting
        self.assertEqual(production.funnel_stage_id, self.stage_cutting)

    def test_production_user_cannot_configure(self):
        with self.assertRaises(AccessError):
            self.env["production.line"].with_user(self.mrp_user).create(
                {"name": "PF Rogue line", "code": "PFX"}
            )
        with self.assertRaises(AccessError):
            self.line_daily.with_user(self.mrp_user).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.stage_queued.with_user(self.mrp_user).write({"sla_hours": 100})
        with self.assertRaises(AccessError):
            self.line_empty.with_user(self.mrp_user).unlink()

    def test_production_head_configures(self):
        line = (
            self.env["production.line"]
            .with_user(self.mrp_manager)
            .create({"name": "PF New line", "code": "PFN"})
        )
        self.wc_vertical.with_user(self.mrp_manager).production_line_id = line
        self.assertEqual(line.workcenter_ids, self.wc_vertical)
        stage = (
            self.env["production.funnel.stage"]
            .with_user(self.mrp_manager)
            .create({"name": "PF Painting", "sla_hours": 6, "line_ids": [(6, 0, line.ids)]})
        )
        stage.with_user(self.mrp_manager).sla_hours = 8
        self.assertEqual(stage.sla_hours, 8)
        line.with_user(self.mrp_manager).unlink()
        self.assertFalse(line.exists())

    def test_salesman_sees_load_but_cannot_change_lines(self):
        loads = (
            self.env["production.line.load"]
            .with_user(self.salesman)
            .search([("line_id", "=", self.line_daily.id)], limit=1)
        )
        self.assertTrue(loads.capacity_hours >= 0)
        self.assertEqual(self.line_daily.with_user(self.salesman).code, "PFV")
        with self.assertRaises(AccessError):
            self.line_daily.with_user(self.salesman).write({"code": "XX"})
        with self.assertRaises(AccessError):
            self.env["production.funnel.stage"].with_user(self.salesman).create({"name": "X"})

    def test_portal_is_refused(self):
        with self.assertRaises(AccessError):
            self.env["production.line"].with_user(self.portal_user).search_read([], ["name"])
        with self.assertRaises(AccessError):
            self.env["production.line.load"].with_user(self.portal_user).search_read(
                [], ["planned_hours"]
            )
        with self.assertRaises(AccessError):
            self.env["production.funnel.stage"].with_user(self.portal_user).search_read(
                [], ["name"]
            )
        with self.assertRaises(AccessError):
            self.env["mrp.production"].with_user(self.portal_user).search_read(
                [], ["funnel_stage_id"]
            )

    def test_lines_of_another_company_are_hidden(self):
        other = self.env["res.company"].create({"name": "PF Other company"})
        line = self.env["production.line"].create(
            {"name": "PF Foreign line", "code": "PFF", "company_id": other.id}
        )
        self.env.flush_all()
        self.assertTrue(self.env["production.line.load"].search([("line_id", "=", line.id)]))
        Line = self.env["production.line"].with_user(self.mrp_user)
        self.assertFalse(Line.search([("code", "=", "PFF")]))
        Load = self.env["production.line.load"].with_user(self.mrp_user)
        self.assertFalse(Load.search([("line_id", "=", line.id)]))
        with self.assertRaises(AccessError):
            line.with_user(self.mrp_user).read(["name"])

    def test_production_user_is_told_what_spec_is_missing(self):
        production = self.make_order(self.product_roller, spec_width=900)
        with self.assertRaisesRegex(ValidationError, "Height"), self.env.cr.savepoint():
            production.with_user(self.mrp_user).funnel_stage_id = self.stage_queued
        self.assertEqual(production.with_user(self.mrp_user).spec_missing, "Height (mm), Fabric")

    def test_production_head_sets_spec_fields_of_a_line(self):
        width = self.env.ref("production_funnel.field_mrp_production__spec_width")
        line = self.line_daily.with_user(self.mrp_manager)
        line.spec_field_ids = [(6, 0, width.ids)]
        self.assertEqual(line.spec_field_ids.mapped("name"), ["spec_width"])
