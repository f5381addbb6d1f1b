import re

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import PlaybookCase


@tagged("post_install", "-at_install")
class TestSecurityOverHttp(PlaybookCase, HttpCase):
    """As a respondent or a portal user would try it over HTTP."""

    def setUp(self):
        super().setUp()
        self.lead = self.make_lead(name="Lost for HTTP", email_from="http@clinic.example.com")
        self.other = self.make_lead(name="Another lead")
        self.lead.with_user(self.lead.user_id).action_set_lost(lost_reason_id=self.reason.id)
        self.close_transaction()
        self.answer = self.answers(self.lead)
        self.assertTrue(self.answer)
        self.env.flush_all()

    def csrf(self, response):
        return re.search(r'csrf_token.+?value="([a-f0-9]{40}o[0-9]*)"', response.text).group(1)

    def test_a_respondent_answers_but_cannot_move_the_answer_to_another_lead(self):
        survey, token = self.answer.survey_id, self.answer.access_token
        start = self.url_open(f"/survey/start/{survey.access_token}?answer_token={token}")
        self.assertEqual(start.status_code, 200)
        page = self.url_open(f"/survey/{survey.access_token}/{token}")
        csrf = self.csrf(page)
        base = self.answer.get_base_url()
        self.opener.post(f"{base}/survey/begin/{survey.access_token}/{token}", json={})
        question = survey.question_ids
        post = {
            str(question.id): "4",
            "question_id": question.id,
            "csrf_token": csrf,
            "token": token,
            "button_submit": "submit",
            # what a respondent might add to the request
            "lead_id": self.other.id,
            "playbook_kind": "quality",
            "lead_user_id": self.head.id,
        }
        response = self.opener.post(
            f"{base}/survey/submit/{survey.access_token}/{token}", json={"params": post}
        )
        self.assertEqual(response.status_code, 200)
        self.answer.invalidate_recordset()
        self.assertEqual(self.answer.state, "done", "the answer itself is saved")
        self.assertEqual(self.answer.user_input_line_ids.value_scale, 4)
        self.assertEqual(self.answer.lead_id, self.lead)
        self.assertEqual(self.answer.playbook_kind, "farewell")
        self.assertEqual(self.answer.lead_user_id, self.lead.user_id)

    def test_a_portal_user_reaches_nothing_over_json_rpc(self):
        self.authenticate("pb_portal", "pb_portal")
        line = self.other.checklist_line_ids[:1]
        calls = [
            ("survey.user_input", "write", [self.answer.ids, {"lead_id": self.other.id}]),
            ("survey.user_input", "read", [self.answer.ids, ["lead_id"]]),
            ("crm.lead.checklist.line", "write", [line.ids, {"done": True}]),
            ("crm.lead.checklist.line", "read", [line.ids, ["done"]]),
            ("crm.lead.handler", "search_read", [[], ["user_id"]]),
            ("crm.playbook.report", "read_group", [[], ["lead_count"], ["source_id"]]),
            ("crm.stage.checklist.item", "write", [self.item_call.ids, {"required": False}]),
            ("crm.team", "write", [self.team.ids, {"lead_distribution": "manual"}]),
        ]
        for model, method, args in calls:
            with self.subTest(model=model, method=method):
                with self.assertRaises(JsonRpcException) as refused:
                    self.make_jsonrpc_request(
                        f"/web/dataset/call_kw/{model}/{method}",
                        {"model": model, "method": method, "args": args, "kwargs": {}},
                    )
                self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")
        self.answer.invalidate_recordset()
        self.assertEqual(self.answer.lead_id, self.lead)
        self.assertFalse(line.done)
        self.assertTrue(self.item_call.required)
        self.assertEqual(self.team.lead_distribution, "round_robin")

    def test_a_salesperson_cannot_tick_a_colleagues_checklist_over_json_rpc(self):
        owner = self.other.user_id
        colleague = self.colleague_of(owner)
        self.authenticate(colleague.login, colleague.login.ljust(8, "x"))
        line = self.other.checklist_line_ids[:1]
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/crm.lead.checklist.line/write",
                {"model": "crm.lead.checklist.line", "method": "write",
                 "args": [line.ids, {"done": True}], "kwargs": {}},
            )  # fmt: skip
        line.invalidate_recordset()
        self.assertFalse(line.done)
