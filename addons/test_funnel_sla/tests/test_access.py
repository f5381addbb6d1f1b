from odoo.exceptions import AccessError

from .common import FunnelSlaCase


class TestAccess(FunnelSlaCase):
    def test_portal_user_cannot_read_funnel_records(self):
        record = self.make("Internal")
        with self.assertRaises(AccessError):
            record.with_user(self.portal_user).read(["name", "is_stalled"])

    def test_internal_user_cannot_edit_stage_slas(self):
        with self.assertRaises(AccessError):
            self.stage_new.with_user(self.user).write({"sla_hours": 1})
        self.assertEqual(self.stage_new.sla_hours, 4)

    def test_colleague_moving_a_record_closes_the_reminder_of_the_responsible(self):
        late = self.make("Late", sla_stage_date=self.long_ago)
        self.Record._sla_check()
        activity = self.sla_activities(late)
        self.assertEqual(activity.user_id, self.user)
        late.with_user(self.other_user).write({"stage_id": self.stage_work.id})
        self.assertFalse(self.sla_activities(late))

    def test_internal_user_reads_the_sla_fields(self):
        late = self.make("Late", sla_stage_date=self.long_ago)
        self.Record._sla_check()
        values = late.with_user(self.other_user).read(["sla_deadline", "is_stalled"])[0]
        self.assertTrue(values["is_stalled"])
        self.assertTrue(values["sla_deadline"])
