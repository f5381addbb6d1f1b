from datetime import datetime

from odoo.exceptions import ValidationError

from odoo.addons.production_funnel.hooks import post_init_hook

from .common import ProductionFunnelCase


class TestFunnel(ProductionFunnelCase):
    def flush_tracking(self):
        self.env.flush_all()
        self.env.cr.flush()

    def test_spec_required_before_leaving_first_stage(self):
        production = self.make_order(spec_width=1200)
        with self.assertRaises(ValidationError) as caught:
            with self.env.cr.savepoint():
                production.funnel_stage_id = self.stage_queued
        message = str(caught.exception)
        self.assertIn("Height (mm)", message)
        self.assertIn("Fabric", message)
        self.assertNotIn("Width (mm)", message)
        self.assertIn(production.name, message)
        production.invalidate_recordset()
        self.assertEqual(production.funnel_stage_id, self.stage_spec)
        self.assertEqual(production.spec_missing, "Height (mm), Fabric")
        production.write({"spec_height": 1800, "spec_fabric": "Blackout"})
        production.funnel_stage_id = self.stage_queued
        self.assertEqual(production.funnel_stage_id, self.stage_queued)
        self.assertFalse(production.spec_missing)

    def test_spec_cannot_be_cleared_past_first_stage(self):
        production = self.make_order(spec_width=1200, spec_height=1600, spec_fabric="Linen")
        production.funnel_stage_id = self.stage_cutting
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            production.spec_fabric = False
        production.invalidate_recordset()
        self.assertEqual(production.spec_fabric, "Linen")

    def test_line_without_spec_fields_moves_freely(self):
        production = self.make_order(self.product_vertical)
        production.funnel_stage_id = self.stage_cutting
        self.assertEqual(production.funnel_stage_id, self.stage_cutting)

    def test_move_updates_stage_date_and_back_move_is_tracked(self):
        production = self.make_order(self.product_vertical)
        production.sla_stage_date = datetime(2020, 1, 6, 6, 0)
        self.flush_tracking()  # changes of a record created in the transaction are not tracked
        production.funnel_stage_id = self.stage_cutting
        self.assertGreater(production.sla_stage_date, datetime(2020, 1, 7))
        self.flush_tracking()
        production.funnel_stage_id = self.stage_queued
        self.flush_tracking()
        production.invalidate_recordset(["message_ids"])
        self.assertEqual(production.funnel_stage_id, self.stage_queued)
        bodies = production.message_ids.mapped("body")
        self.assertTrue(
            any("Moved back in the production funnel" in str(body) for body in bodies), bodies
        )
        tracked = production.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "funnel_stage_id"
        )
        self.assertEqual(len(tracked), 2)

    def test_stalled_order_gets_one_activity(self):
        production = self.make_order(self.product_vertical, user_id=self.mrp_user.id)
        production.sla_stage_date = datetime(2020, 1, 6, 6, 0)
        self.assertTrue(production.sla_deadline)
        Production = self.env["mrp.production"]
        Production._sla_check()
        Production._sla_check()
        self.assertTrue(production.is_stalled)
        self.assertEqual(production.funnel_health, "stalled")
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "mrp.production"),
                ("res_id", "=", production.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("funnel_sla.mail_activity_type_sla_stalled").id,
                ),
            ]
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.mrp_user)
        stalled_ids = Production.search([("is_stalled", "=", True)]).ids
        self.assertIn(production.id, stalled_ids)
        production.funnel_stage_id = self.stage_cutting
        self.assertFalse(production.is_stalled)
        self.assertFalse(activities.exists().filtered("active"))

    def test_cancelled_order_is_not_flagged(self):
        production = self.make_order(self.product_vertical)
        production.sla_stage_date = datetime(2020, 1, 6, 6, 0)
        production.action_cancel()
        self.env["mrp.production"]._sla_check()
        self.assertFalse(production.is_stalled)

    def test_stalled_order_cancelled_is_cleared(self):
        production = self.make_order(self.product_vertical)
        production.sla_stage_date = datetime(2020, 1, 6, 6, 0)
        Production = self.env["mrp.production"]
        Production._sla_check()
        self.assertTrue(production.is_stalled)
        self.assertTrue(production.activity_ids)
        production.action_cancel()
        Production._sla_check()
        self.assertFalse(production.is_stalled)
        self.assertFalse(production.activity_ids)

    def test_the_scheduled_action_clears_a_stalled_order_cancelled_since(self):
        """The scheduled action runs the check batch by batch (funnel_sla's
        ``_sla_check_batches``): the orders' own first step, clearing the orders finished
        or cancelled while stalled, is one of its steps."""
        production = self.make_order(self.product_vertical)
        production.sla_stage_date = datetime(2020, 1, 6, 6, 0)
        Mixin = self.env["funnel.sla.mixin"]
        Mixin._cron_check_sla()
        self.assertTrue(production.is_stalled)
        self.assertTrue(production.activity_ids)
        production.action_cancel()
        Mixin._cron_check_sla()
        self.assertFalse(production.is_stalled)
        self.assertFalse(production.activity_ids)

    def test_existing_orders_join_the_funnel_at_install(self):
        production = self.make_order(self.product_vertical)
        production.funnel_stage_id = False
        post_init_hook(self.env)
        self.assertEqual(production.funnel_stage_id, self.stage_spec)
        self.assertTrue(production.sla_stage_date)
        self.assertTrue(production.sla_deadline)
