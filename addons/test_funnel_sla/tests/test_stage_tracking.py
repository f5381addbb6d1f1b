from datetime import datetime

from freezegun import freeze_time

from .common import FunnelSlaCase


class TestStageTracking(FunnelSlaCase):
    def test_entry_date_set_on_create(self):
        with freeze_time("2026-11-16 10:00:00"):
            record = self.make()
        self.assertEqual(record.sla_stage_date, datetime(2026, 11, 16, 10, 0))

    def test_explicit_entry_date_is_kept(self):
        record = self.make(sla_stage_date=self.long_ago)
        self.assertEqual(record.sla_stage_date, self.long_ago)

    def test_stage_change_restarts_the_clock_and_clears_the_flags(self):
        record = self.make(sla_stage_date=self.long_ago)
        record.write({"is_stalled": True, "is_sla_escalated": True})
        with freeze_time("2026-11-17 08:30:00"):
            record.stage_id = self.stage_work
        self.assertEqual(record.sla_stage_date, datetime(2026, 11, 17, 8, 30))
        self.assertFalse(record.is_stalled)
        self.assertFalse(record.is_sla_escalated)

    def test_writing_the_same_stage_keeps_the_clock(self):
        record = self.make(sla_stage_date=self.long_ago)
        other = self.make(name="Other", stage_id=self.stage_work.id, sla_stage_date=self.long_ago)
        with freeze_time("2026-11-17 08:30:00"):
            (record | other).write({"stage_id": self.stage_new.id})
        self.assertEqual(record.sla_stage_date, self.long_ago, "same stage: clock unchanged")
        self.assertEqual(other.sla_stage_date, datetime(2026, 11, 17, 8, 30), "moved: restarted")

    def test_moving_back_is_tracked(self):
        record = self.make(stage_id=self.stage_work.id)
        self.flush_tracking()
        record.stage_id = self.stage_new
        self.flush_tracking()
        tracked = record.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "stage_id"
        )
        self.assertTrue(tracked, "the stage change is in the chatter")
        self.assertEqual(tracked[0].old_value_char, "In progress")
        self.assertEqual(tracked[0].new_value_char, "New")

    def test_hours_in_stage(self):
        with freeze_time("2026-11-16 10:00:00"):
            record = self.make()
        with freeze_time("2026-11-16 13:30:00"):
            record.invalidate_recordset(["sla_hours_in_stage"])
            self.assertAlmostEqual(record.sla_hours_in_stage, 3.5)

    def test_every_mixin_model_is_found(self):
        names = self.env["funnel.sla.mixin"]._sla_model_names()
        self.assertIn("test.funnel.sla.record", names)
        self.assertNotIn("funnel.sla.mixin", names)
