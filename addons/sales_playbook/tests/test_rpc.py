import odoorpc

from odoo.tests import HttpCase, tagged

from .common import PlaybookCase


@tagged("post_install", "-at_install")
class TestPlaybookRpc(PlaybookCase, HttpCase):
    """A script over JSON-RPC (odoorpc) uses the interface the issue names."""

    def test_script_registers_a_lead_works_its_checklist_and_reads_the_reports(self):
        # the server works on the same cursor: write out what this test holds in memory
        self.env.flush_all()
        client = odoorpc.ODOO("127.0.0.1", port=self.http_port(), timeout=60)
        client.login(self.env.cr.dbname, "pb_intake", "pb_intake")
        Lead = client.env["crm.lead"]
        lead_id = Lead.create(
            {"name": "RPC: 3 ultrasound scanners", "type": "opportunity",
             "team_id": self.team.id, "email_from": "rpc@clinic.example.com"}
        )  # fmt: skip
        interface = [
            "source_id", "user_id", "first_user_id", "handler_ids", "checklist_line_ids",
            "checklist_progress", "is_stalled", "stage_id",
        ]  # fmt: skip
        [row] = Lead.read([lead_id], interface)
        self.assertEqual(row["source_id"][0], self.source_alias.id, "the team's default")
        self.assertIn(row["user_id"][0], (self.anna | self.boris).ids, "dealt in turn")
        self.assertEqual(row["first_user_id"], row["user_id"])
        self.assertEqual(row["checklist_progress"], 0.0)
        self.assertFalse(row["is_stalled"])
        [handler] = client.env["crm.lead.handler"].read(
            row["handler_ids"], ["user_id", "assigned_by_id", "date", "assignment"]
        )
        self.assertEqual(handler["assigned_by_id"][0], self.intake.id)
        self.assertEqual(handler["assignment"], "turn")
        Line = client.env["crm.lead.checklist.line"]
        lines = Line.read(row["checklist_line_ids"], ["item_id", "done", "required"])
        self.assertEqual(
            {line["item_id"][0] for line in lines}, {self.item_call.id, self.item_need.id}
        )
        with self.assertRaisesRegex(odoorpc.error.RPCError, "Call the customer"):
            Lead.write([lead_id], {"stage_id": self.s_qualified.id})
        required = [line["id"] for line in lines if line["required"]]
        Line.write(required, {"done": True})
        done = Line.read(required, ["done", "done_by_id", "done_date"])
        self.assertEqual(done[0]["done_by_id"][0], self.intake.id)
        Lead.write([lead_id], {"stage_id": self.s_qualified.id})
        [row] = Lead.read([lead_id], ["stage_id", "checklist_progress"])
        self.assertEqual(row["stage_id"][0], self.s_qualified.id)
        # configuration names
        [stage] = client.env["crm.stage"].read(
            [self.s_proposal.id],
            ["checklist_item_ids", "playbook_hint", "sla_hours", "sla_escalation_hours"],
        )
        self.assertEqual(stage["sla_hours"], 24)
        [item] = client.env["crm.stage.checklist.item"].read(
            [self.item_call.id], ["name", "hint", "required", "sequence"]
        )
        self.assertTrue(item["required"])
        [team] = client.env["crm.team"].read([self.team.id], ["lead_distribution"])
        self.assertEqual(team["lead_distribution"], "round_robin")
        [company] = client.env["res.company"].read(
            [self.company.id],
            [
                "playbook_farewell_survey_id",
                "playbook_quality_survey_id",
                "playbook_source_required",
            ],
        )
        self.assertEqual(company["playbook_farewell_survey_id"][0], self.farewell.id)
        # the source report, as a pivot reads it
        groups = client.env["crm.playbook.report"].read_group(
            [("team_id", "=", self.team.id)], ["lead_count", "won_count"], ["source_id"]
        )
        self.assertTrue(groups)
        # a salesperson of their own leads cannot tick a colleague's checklist
        other = self.colleague_of(self.env["res.users"].browse(handler["user_id"][0]))
        colleague = odoorpc.ODOO("127.0.0.1", port=self.http_port(), timeout=60)
        # new_test_user's password: the login, padded to 8 characters
        colleague.login(self.env.cr.dbname, other.login, other.login.ljust(8, "x"))
        with self.assertRaises(odoorpc.error.RPCError):
            colleague.env["crm.lead.checklist.line"].write(
                [line["id"] for line in lines if not line["required"]], {"done": True}
            )
