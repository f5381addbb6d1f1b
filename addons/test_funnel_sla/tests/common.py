from datetime import datetime

from odoo.tests import TransactionCase, new_test_user


class FunnelSlaCase(TransactionCase):
    """Stages with SLAs, users and a company calendar in Moscow time (UTC+3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Funnel SLA test: Mon-Fri 9-13, 14-18 Moscow",
                "tz": "Europe/Moscow",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"{day} {start}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        },
                    )
                    for day in range(5)
                    for start, end, period in ((9, 13, "morning"), (14, 18, "afternoon"))
                ],
            }
        )
        cls.company = cls.env.company
        cls.company.resource_calendar_id = cls.calendar
        Stage = cls.env["test.funnel.sla.stage"]
        cls.stage_new = Stage.create(
            {"name": "New", "sequence": 1, "sla_hours": 4, "sla_escalation_hours": 2}
        )
        cls.stage_work = Stage.create({"name": "In progress", "sequence": 2, "sla_hours": 8})
        cls.stage_done = Stage.create({"name": "Done", "sequence": 3, "fold": True})
        cls.user = new_test_user(
            cls.env, login="sla_user", groups="base.group_user", name="SLA Responsible"
        )
        cls.other_user = new_test_user(
            cls.env, login="sla_other", groups="base.group_user", name="SLA Colleague"
        )
        cls.manager = new_test_user(
            cls.env, login="sla_leader", groups="base.group_user", name="SLA Team Leader"
        )
        cls.portal_user = new_test_user(
            cls.env, login="sla_portal", groups="base.group_portal", name="SLA Portal"
        )
        cls.Record = cls.env["test.funnel.sla.record"]
        cls.long_ago = datetime(2020, 1, 6, 6, 0)  # a Monday, 09:00 in Moscow
        cls.stalled_type = cls.env.ref("funnel_sla.mail_activity_type_sla_stalled")
        cls.escalation_type = cls.env.ref("funnel_sla.mail_activity_type_sla_escalation")

    def flush_tracking(self):
        """Tracking values are written just before commit: force them now."""
        self.env.flush_all()
        self.env.cr.flush()

    def make(self, name="Record", **values):
        values.setdefault("stage_id", self.stage_new.id)
        values.setdefault("user_id", self.user.id)
        return self.Record.create(dict(values, name=name))

    def sla_activities(self, records, activity_type=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("activity_type_id", "=", (activity_type or self.stalled_type).id),
            ]
        )
