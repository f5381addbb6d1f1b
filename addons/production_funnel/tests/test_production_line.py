from odoo.tests import Form

from .common import ProductionFunnelCase


class TestProductionLine(ProductionFunnelCase):
    def test_line_from_parent_category_in_the_form(self):
        form = Form(self.env["mrp.production"])
        form.product_id = self.product_roller
        self.assertEqual(form.production_line_id, self.line_week)
        production = form.save()
        self.assertEqual(production.production_line_id, self.line_week)
        self.assertEqual(production.funnel_stage_id, self.stage_spec)

    def test_product_line_wins_over_category(self):
        self.product_roller.product_tmpl_id.production_line_id = self.line_daily
        production = self.make_order(self.product_roller)
        self.assertEqual(production.production_line_id, self.line_daily)

    def test_line_overridden_on_the_order_stays(self):
        form = Form(self.env["mrp.production"])
        form.product_id = self.product_vertical
        self.assertEqual(form.production_line_id, self.line_daily)
        form.production_line_id = self.line_empty
        production = form.save()
        self.assertEqual(production.production_line_id, self.line_empty)
        production.product_qty = 3
        self.assertEqual(production.production_line_id, self.line_empty)

    def test_unmapped_product_has_no_line(self):
        category = self.env["product.category"].create({"name": "PF Unmapped"})
        product = self.env["product.product"].create(
            {"name": "PF Loose part", "type": "consu", "categ_id": category.id}
        )
        production = self.make_order(product)
        self.assertFalse(production.production_line_id)

    def test_counts_per_line(self):
        queued = self.make_order(spec_width=1000, spec_height=1500, spec_fabric="Linen")
        progress = self.make_order(spec_width=1000, spec_height=1500, spec_fabric="Linen")
        done = self.make_order(spec_width=1000, spec_height=1500, spec_fabric="Linen")
        self.make_order()  # waiting for its spec: queued too
        progress.funnel_stage_id = self.stage_cutting
        done.funnel_stage_id = self.stage_packed
        queued.funnel_stage_id = self.stage_queued
        cancelled = self.make_order()
        cancelled.action_cancel()
        self.line_week.invalidate_recordset()
        self.assertEqual(
            (
                self.line_week.queued_count,
                self.line_week.progress_count,
                self.line_week.done_count,
            ),
            (2, 1, 1),
        )
        self.assertEqual(self.line_daily.queued_count, 0)
