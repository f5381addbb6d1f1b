"""The dealer portal's lead actions over real HTTP, as a dealer would abuse them with a
browser's developer tools: every refusal is a 4xx page a person can read (never a server
error), and leaves the lead as it was."""

import json

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

LEAD_STATE = ["active", "probability", "stage_id", "type", "dealer_partner_id", "user_id"]


@tagged("post_install", "-at_install")
class TestDealerPortalActions(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.office = Partner.create({"name": "Portal test office", "is_company": True})
        contact = Partner.create({"name": "Portal test contact", "parent_id": cls.office.id})
        new_test_user(
            cls.env, login="lead_dealer", password="lead_dealer_pw", groups="base.group_portal",
            partner_id=contact.id,
        )  # fmt: skip
        cls.other_dealer = Partner.create({"name": "Portal test rival", "is_company": True})
        Stage = cls.env["crm.stage"]
        # the stages offered to a lead of no team: the shared ones (other addons' demo data
        # may add team stages)
        cls.open_stages = Stage.search(
            [("is_won", "=", False), ("team_id", "=", False)], order="sequence, id"
        )
        cls.won_stage = Stage.search([("is_won", "=", True)], limit=1)
        cls.team = cls.env["crm.team"].create({"name": "Portal test team"})
        cls.foreign_stage = Stage.create({"name": "Another team's stage", "team_id": cls.team.id})

    def setUp(self):
        super().setUp()
        self.lead = self.env["crm.lead"].create(
            {"name": "Portal test lead", "type": "opportunity",
             "dealer_partner_id": self.office.id, "stage_id": self.open_stages[0].id}
        )  # fmt: skip
        self.authenticate("lead_dealer", "lead_dealer_pw")

    def state(self, lead=None):
        lead = (lead or self.lead).with_context(active_test=False)
        lead.invalidate_recordset()
        return lead.read(LEAD_STATE)[0]

    def post(self, path, **data):
        data.setdefault("csrf_token", http.Request.csrf_token(self))
        return self.url_open(path, data=data, allow_redirects=False)

    def assertRefused(self, response, status, text):
        self.assertEqual(response.status_code, status, response.text[:2000])
        self.assertIn(text, response.text)

    def test_a_lost_lead_is_not_won_again(self):
        self.lead.action_set_lost()
        before = self.state()
        response = self.post(f"/my/leads/{self.lead.id}/won")
        self.assertRefused(response, 409, "no longer open")
        self.assertEqual(self.state(), before)
        self.assertFalse(before["active"])

    def test_a_won_lead_is_neither_lost_nor_moved_back(self):
        self.lead.action_set_won()
        before = self.state()
        self.assertEqual(before["probability"], 100)
        self.assertRefused(self.post(f"/my/leads/{self.lead.id}/lost"), 409, "no longer open")
        response = self.post(f"/my/leads/{self.lead.id}/stage", stage_id=self.open_stages[0].id)
        self.assertRefused(response, 409, "no longer open")
        self.assertRefused(self.post(f"/my/leads/{self.lead.id}/won"), 409, "no longer open")
        self.assertEqual(self.state(), before)

    def test_a_bad_stage_is_a_4xx_with_a_message(self):
        before = self.state()
        for value in ("abc", "", "-1", "1.5", "1e3", "99999999", "9" * 40,
                      self.won_stage.id, self.foreign_stage.id):  # fmt: skip
            response = self.post(f"/my/leads/{self.lead.id}/stage", stage_id=value)
            self.assertRefused(response, 400, "Choose one of the stages")
        response = self.post(f"/my/leads/{self.lead.id}/stage")
        self.assertRefused(response, 400, "Choose one of the stages")
        self.assertEqual(self.state(), before)

    def test_a_missing_or_foreign_lead_is_a_404(self):
        theirs = self.lead.copy({"dealer_partner_id": self.other_dealer.id})
        before = self.state(theirs)
        messages = len(theirs.message_ids)
        for lead_id in (theirs.id, 999999999):
            for path, data in (("won", {}), ("lost", {}), ("note", {"note": "Hi"}),
                               ("stage", {"stage_id": self.open_stages[0].id})):  # fmt: skip
                response = self.post(f"/my/leads/{lead_id}/{path}", **data)
                self.assertRefused(response, 404, "not among the leads forwarded to you")
        self.assertEqual(self.state(theirs), before)
        self.assertEqual(len(theirs.message_ids), messages)

    def test_actions_need_post_and_csrf(self):
        before = self.state()
        stage = self.open_stages[-1].id
        for path in ("won", "lost", "stage", "note"):
            response = self.url_open(
                f"/my/leads/{self.lead.id}/{path}?stage_id={stage}&note=x", allow_redirects=False
            )
            self.assertEqual(response.status_code, 405, path)
            with mute_logger("odoo.http"):
                response = self.url_open(
                    f"/my/leads/{self.lead.id}/{path}",
                    data={"stage_id": stage, "note": "no token"},
                    allow_redirects=False,
                )
            self.assertEqual(response.status_code, 400, path)
        self.assertEqual(self.state(), before)
        self.assertFalse(self.lead.message_ids.filtered(lambda m: "no token" in (m.body or "")))

    def test_an_empty_note_is_a_4xx(self):
        messages = len(self.lead.message_ids)
        self.assertRefused(self.post(f"/my/leads/{self.lead.id}/note", note="  "), 400,
                           "Write the note")  # fmt: skip
        self.assertEqual(len(self.lead.message_ids), messages)

    def test_the_dealer_works_an_open_lead(self):
        target = self.open_stages[-1]
        response = self.post(f"/my/leads/{self.lead.id}/stage", stage_id=f" {target.id} ")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.lead.stage_id, target)
        # only the stage and the type change; the salesperson and the dealer stay
        self.assertEqual(self.lead.dealer_partner_id, self.office)
        response = self.post(f"/my/leads/{self.lead.id}/won")
        self.assertEqual(response.status_code, 303)
        self.assertTrue(self.lead.stage_id.is_won)
        self.assertEqual(self.lead.probability, 100)
        page = self.url_open(f"/my/leads/{self.lead.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Won", page.text)
        self.assertNotIn("o_dealer_stage_form", page.text)
        # a note is still welcome on a closed lead
        response = self.post(f"/my/leads/{self.lead.id}/note", note="Installed on Monday")
        self.assertEqual(response.status_code, 303)
        self.assertIn("Installed on Monday", self.url_open(f"/my/leads/{self.lead.id}").text)

    def test_the_dealers_session_writes_nothing_over_json_rpc(self):
        before = self.state()
        for method, args, kwargs in (
            ("write", [[self.lead.id], {"probability": 100}], {}),
            ("write", [[self.lead.id], {"dealer_partner_id": self.other_dealer.id}], {}),
            ("action_set_won", [[self.lead.id]], {}),
            ("message_subscribe", [[self.lead.id]], {"partner_ids": [self.other_dealer.id]}),
        ):
            with mute_logger("odoo.http"):
                response = self.url_open(
                    f"/web/dataset/call_kw/crm.lead/{method}",
                    data=self._jsonrpc(method, args, kwargs),
                    headers={"Content-Type": "application/json"},
                )
            self.assertEqual(response.json()["error"]["data"]["name"],
                             "odoo.exceptions.AccessError", method)  # fmt: skip
        self.assertEqual(self.state(), before)
        self.assertNotIn(self.other_dealer, self.lead.message_partner_ids)

    @staticmethod
    def _jsonrpc(method, args, kwargs):
        return json.dumps(
            {"jsonrpc": "2.0", "method": "call", "id": 1,
             "params": {"model": "crm.lead", "method": method, "args": args, "kwargs": kwargs}}
        )  # fmt: skip
