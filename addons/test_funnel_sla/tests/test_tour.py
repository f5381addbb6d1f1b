from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestFunnelSlaTour(HttpCase):
    def test_move_a_stalled_record_in_the_browser(self):
        Stage = self.env["test.funnel.sla.stage"]
        Stage.search([]).write({"fold": True})
        first = Stage.create({"name": "Tour Intake", "sequence": -2, "sla_hours": 1})
        Stage.create({"name": "Tour Review", "sequence": -1, "sla_hours": 8})
        record = self.env["test.funnel.sla.record"].create(
            {
                "name": "Tour stalled record",
                "stage_id": first.id,
                "user_id": self.env.ref("base.user_admin").id,
                "sla_stage_date": "2020-01-06 06:00:00",
            }
        )
        self.env["test.funnel.sla.record"]._sla_check()
        self.assertTrue(record.is_stalled)
        self.start_tour(
            "/odoo/action-test_funnel_sla.test_funnel_sla_record_action",
            "test_funnel_sla_tour",
            login="admin",
        )
        record.invalidate_recordset()
        self.assertEqual(record.stage_id.name, "Tour Review")
        self.assertFalse(record.is_stalled)
