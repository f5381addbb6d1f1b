import odoorpc

from odoo.tests import HttpCase, tagged

from .common import NeedsCase


@tagged("post_install", "-at_install")
class TestNeedsRpc(NeedsCase, HttpCase):
    def _client(self, login):
        client = odoorpc.ODOO("127.0.0.1", port=self.http_port(), timeout=60)
        client.login(self.env.cr.dbname, login, login)
        return client

    def test_scripts_see_own_needs_and_close_them(self):
        own = self.make_need(self.p1 | self.p2, user=self.manager_1)
        other = self.make_need(self.p1 | self.p2, user=self.manager_2)
        client = self._client("need_manager_1")
        Need = client.env["customer.need"]
        interface = [
            "name",
            "partner_id",
            "user_id",
            "team_id",
            "date_start",
            "date_end",
            "line_ids",
            "state",
            "duplicate_of_id",
            "close_comment",
            "opportunity_id",
            "match_ids",
        ]
        rows = Need.search_read([("id", "in", [own.id, other.id])], interface)
        self.assertEqual([row["id"] for row in rows], [own.id])
        [match] = client.env["customer.need.match"].search_read(
            [("need_id", "=", own.id)],
            ["need_id", "matched_need_id", "matched_order_id", "match_type", "score", "state"],
        )
        self.assertEqual(match["matched_need_id"][0], other.id)
        self.assertEqual(match["match_type"], "exact")
        with self.assertRaisesRegex(odoorpc.error.RPCError, "Closing Comment"):
            Need.mark_lost([own.id], "")
        Need.mark_duplicate([own.id], other.id, "The dealer's need is the real one")
        own.invalidate_recordset()
        self.assertEqual(own.state, "duplicate")
        self.assertEqual(own.duplicate_of_id, other)

    def test_head_converts_over_rpc(self):
        need = self.make_need(self.p3, user=self.manager_1)
        client = self._client("need_head")
        client.env["customer.need"].action_convert_to_opportunity([need.id])
        need.invalidate_recordset()
        self.assertEqual(need.state, "converted")
        [lead] = client.env["crm.lead"].search_read([("need_id", "=", need.id)], ["need_id"])
        self.assertEqual(lead["need_id"][0], need.id)

    def test_catalog_rows_over_rpc(self):
        client = self._client("need_catalog_admin")
        result = client.env["product.template"].import_catalog_rows(
            [
                {
                    "external_code": "RPC-1",
                    "name": "RPC product",
                    "uom": "Units",
                    "category": "Test medical",
                    "med_registry_code": "РЗН 9",
                    "list_price": 5,
                },
            ]
        )
        self.assertEqual(result, {"created": 1, "updated": 0})
        with self.assertRaisesRegex(odoorpc.error.RPCError, "Row 1, column 'external_code'"):
            client.env["product.template"].import_catalog_rows(
                [
                    {"external_code": "", "name": "X", "uom": "Units", "category": "Test medical"},
                ]
            )
