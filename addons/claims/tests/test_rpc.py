import odoorpc

from odoo.tests import HttpCase, tagged

from .common import ClaimsCase


@tagged("post_install", "-at_install")
class TestClaimsRpc(ClaimsCase, HttpCase):
    def test_script_reads_and_closes_a_claim_over_json_rpc(self):
        claim = self.make_claim(name="RPC claim", claim_quantity=2)
        # the server works on the same cursor: write out what this test holds in memory
        self.env.flush_all()
        client = odoorpc.ODOO("127.0.0.1", port=self.http_port(), timeout=60)
        client.login(self.env.cr.dbname, "claims_user", "claims_user")
        Ticket = client.env["helpdesk.ticket"]
        interface = [
            "is_claim",
            "sale_order_id",
            "product_id",
            "claim_cause_id",
            "cause_category",
            "conclusion",
            "corrective_action",
            "is_stalled",
        ]
        [row] = Ticket.search_read([("is_claim", "=", True), ("name", "=", "RPC claim")], interface)
        self.assertEqual(row["sale_order_id"][0], self.order_a.id)
        self.assertEqual(row["product_id"][0], self.product_roller.id)
        self.assertFalse(row["is_stalled"])
        causes = client.env["claim.cause"].search_read(
            [("category", "=", "process")], ["name", "category"]
        )
        self.assertIn(self.cause_process.id, [cause["id"] for cause in causes])
        with self.assertRaisesRegex(odoorpc.error.RPCError, "Conclusion"):
            Ticket.write([claim.id], {"stage_id": self.stage_closed.id})
        Ticket.write(
            [claim.id],
            {
                "claim_cause_id": self.cause_process.id,
                "conclusion": "No check step before cutting.",
                "corrective_action": "Add the check step.",
                "corrective_user_id": self.claims_user2.id,
                "corrective_date": "2030-03-01",
                "stage_id": self.stage_closed.id,
            },
        )
        self.env.invalidate_all()
        self.assertTrue(claim.closed)
        self.assertEqual(claim.cause_category, "process")
