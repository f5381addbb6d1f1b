from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """What the demo data promise (issue 5): three lines, one overloaded and one
    underloaded, orders in every stage, one stalled. The demo orders are placed from the
    day of the install, so this holds for a database installed today, whatever the hour in
    the company's time zone."""

    def ref(self, xmlid):
        record = self.env.ref(f"production_funnel.{xmlid}", raise_if_not_found=False)
        self.assertTrue(record, "the demo data of production_funnel are not loaded")
        return record

    def test_demo_lines_are_overloaded_normal_and_underloaded(self):
        self.assertEqual(self.ref("production_line_vertical").load_state, "over")
        self.assertEqual(self.ref("production_line_roller").load_state, "normal")
        self.assertEqual(self.ref("production_line_venetian").load_state, "under")

    def test_demo_orders_fill_every_stage_and_one_is_stalled(self):
        demo = self.env["mrp.production"].browse(
            self.ref(f"production_{line}_{n}").id
            for line, count in (("roller", 5), ("vertical", 6), ("venetian", 3))
            for n in range(1, count + 1)
        )
        stages = self.env["production.funnel.stage"].search([])
        self.assertEqual(set(demo.funnel_stage_id), set(stages), "an order in every stage")
        stalled = demo.filtered("is_stalled")
        self.assertEqual(stalled, self.ref("production_vertical_1"))
        stalled_type = self.env.ref("funnel_sla.mail_activity_type_sla_stalled")
        activity = stalled.activity_ids.filtered(lambda a: a.activity_type_id == stalled_type)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.env.ref("base.user_admin"), "its responsible")
