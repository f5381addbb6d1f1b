"""Trust boundaries (issue 15): the SLA bookkeeping of a record is internal operations data.
A portal user who may read a record of a funnel (a customer reading their ticket or claim)
reads none of it over RPC; employees still do."""

from odoo.exceptions import AccessError

from .common import FunnelSlaCase

SLA_FIELDS = (
    "sla_stage_date",
    "sla_deadline",
    "sla_escalation_deadline",
    "is_stalled",
    "is_sla_escalated",
    "sla_hours_in_stage",
)


class TestSecuritySlaFields(FunnelSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # as a funnel whose portal users read their own records (helpdesk tickets)
        cls.env["ir.model.access"].create(
            {
                "name": "test.funnel.sla.record portal (test)",
                "model_id": cls.env["ir.model"]._get_id("test.funnel.sla.record"),
                "group_id": cls.env.ref("base.group_portal").id,
                "perm_read": True,
            }
        )
        cls.late = cls.make(cls, "Late", sla_stage_date=cls.long_ago)
        cls.Record._sla_check()

    def test_portal_reader_of_the_record_reads_no_sla_field(self):
        record = self.late.with_user(self.portal_user)
        self.assertEqual(record.read(["name"])[0]["name"], "Late")
        for field in SLA_FIELDS:
            with self.subTest(field=field):
                with self.assertRaises(AccessError):
                    record.read([field])
                if self.Record._fields[field].store:
                    with self.assertRaises(AccessError):
                        self.Record.with_user(self.portal_user).search([(field, "!=", False)])
        self.assertFalse(set(SLA_FIELDS) & set(record.read()[0]))
        # nor are they described to them
        self.assertFalse(
            set(SLA_FIELDS) & set(self.Record.with_user(self.portal_user).fields_get())
        )

    def test_employees_read_them(self):
        values = self.late.with_user(self.other_user).read(list(SLA_FIELDS))[0]
        self.assertTrue(values["is_stalled"])
        self.assertTrue(values["sla_deadline"])
        self.assertTrue(values["sla_escalation_deadline"])
        self.assertEqual(
            self.Record.with_user(self.other_user).search([("is_stalled", "=", True)]), self.late
        )
