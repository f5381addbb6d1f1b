from datetime import datetime

from odoo.exceptions import ValidationError

from .common import FunnelSlaCase


class TestDeadline(FunnelSlaCase):
    def test_deadline_counts_working_hours_over_the_weekend(self):
        # Friday 2026-11-20 15:00 Moscow = 12:00 UTC; 3 working hours left on Friday,
        # the 4th is Monday 09:00-10:00 Moscow = 06:00-07:00 UTC.
        record = self.make(sla_stage_date=datetime(2026, 11, 20, 12, 0))
        self.assertEqual(record.sla_deadline, datetime(2026, 11, 23, 7, 0))
        # escalation: 2 more working hours, Monday 10:00-12:00 Moscow
        self.assertEqual(record.sla_escalation_deadline, datetime(2026, 11, 23, 9, 0))

    def test_deadline_skips_the_lunch_break(self):
        # Monday 11:00 Moscow (08:00 UTC) + 4h: 11-13 and 14-16 -> 16:00 Moscow = 13:00 UTC
        record = self.make(sla_stage_date=datetime(2026, 11, 16, 8, 0))
        self.assertEqual(record.sla_deadline, datetime(2026, 11, 16, 13, 0))

    def test_deadline_skips_public_holidays(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 11, 23, 0, 0),
                "date_to": datetime(2026, 11, 23, 23, 59),
            }
        )
        record = self.make(sla_stage_date=datetime(2026, 11, 20, 12, 0))
        self.assertEqual(record.sla_deadline, datetime(2026, 11, 24, 7, 0), "Monday is off")

    def test_without_calendar_plain_hours_count(self):
        self.company.resource_calendar_id = False
        record = self.make(sla_stage_date=datetime(2026, 11, 21, 12, 0))  # a Saturday
        self.assertEqual(record.sla_deadline, datetime(2026, 11, 21, 16, 0))

    def test_stage_without_sla_has_no_deadline(self):
        record = self.make(stage_id=self.stage_done.id, sla_stage_date=self.long_ago)
        self.assertFalse(record.sla_deadline)
        self.assertFalse(record.sla_escalation_deadline)

    def test_changing_the_stage_sla_moves_the_deadline(self):
        record = self.make(sla_stage_date=datetime(2026, 11, 16, 6, 0))  # Monday 09:00 MSK
        self.assertEqual(record.sla_deadline, datetime(2026, 11, 16, 10, 0))
        self.stage_new.sla_hours = 8
        self.assertEqual(record.sla_deadline, datetime(2026, 11, 16, 15, 0))

    def test_negative_sla_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "New"), self.env.cr.savepoint():
            self.stage_new.sla_hours = -1
        self.assertEqual(self.stage_new.sla_hours, 4)
