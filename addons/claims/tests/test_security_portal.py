from lxml import html

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ClaimsCase


class PortalSecurityCase(ClaimsCase, HttpCase):
    def csrf(self):
        return http.Request.csrf_token(self)

    def login(self, user):
        self.authenticate(user.login, user.login)

    def claims_of(self, order):
        return self.Ticket.search([("sale_order_id", "=", order.id), ("is_claim", "=", True)])

    def ticket_attachments(self):
        return self.env["ir.attachment"].search_count([("res_model", "=", "helpdesk.ticket")])


@tagged("post_install", "-at_install")
class TestPortalTicketClose(PortalSecurityCase):
    """/ticket/close: only one's own ticket, only a stage its page offers, POST + CSRF."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.done = ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.cancelled = ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        # the customer may close a claim whose conclusion is written (accepting it)
        cls.stage_closed.close_from_portal = True
        cls.claim_a = cls.make_claim(
            cls,
            name="Claim of dealer A",
            partner_id=cls.portal_a.partner_id.id,
            stage_id=cls.stage_remedy.id,
            **cls.close_values(cls),
        )
        cls.ticket_a = cls.Ticket.create(
            {
                "name": "Question of dealer A",
                "description": "<p>?</p>",
                "partner_id": cls.portal_a.partner_id.id,
            }
        )

    def close(self, ticket_id, stage_id, csrf=True, method="POST"):
        data = {"ticket_id": ticket_id, "stage_id": stage_id}
        if csrf:
            data["csrf_token"] = self.csrf()
        if method == "GET":
            return self.url_open(
                f"/ticket/close?ticket_id={ticket_id}&stage_id={stage_id}", allow_redirects=False
            )
        return self.url_open("/ticket/close", data=data, allow_redirects=False)

    def assertUnchanged(self, ticket, stage):
        ticket.invalidate_recordset()
        self.assertEqual(ticket.stage_id, stage, "data unchanged")
        self.assertFalse(ticket.closed_date)

    def test_the_page_closes_with_post_forms_carrying_the_csrf_token(self):
        self.login(self.portal_a)
        page = self.url_open(f"/my/ticket/{self.claim_a.id}")
        self.assertEqual(page.status_code, 200)
        forms = html.fromstring(page.text).xpath("//form[@action='/ticket/close']")
        self.assertTrue(forms, "the claim offers its closing")
        for form in forms:
            self.assertEqual(form.get("method").upper(), "POST")
            self.assertTrue(form.xpath(".//input[@name='csrf_token']/@value"))
        offered = {int(form.xpath(".//input[@name='stage_id']/@value")[0]) for form in forms}
        self.assertEqual(offered, {self.stage_closed.id}, "only its claims stage, no helpdesk one")

    def test_customer_closes_own_claim_in_its_claims_stage(self):
        self.login(self.portal_a)
        response = self.close(self.claim_a.id, self.stage_closed.id)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/my/ticket/{self.claim_a.id}"))
        self.claim_a.invalidate_recordset()
        self.assertEqual(self.claim_a.stage_id, self.stage_closed)
        self.assertTrue(self.claim_a.closed_date)
        # and once closed, nothing more
        response = self.close(self.claim_a.id, self.stage_closed.id)
        self.assertEqual(response.status_code, 400)
        self.assertIn("is already closed", response.text)

    @mute_logger("odoo.http")
    def test_another_customer_cannot_close_someone_elses_claim_nor_ticket(self):
        self.login(self.portal_b)
        for ticket, stage in (
            (self.claim_a, self.stage_closed),
            (self.claim_a, self.cancelled),
            (self.ticket_a, self.done),
        ):
            with self.subTest(ticket=ticket.name, stage=stage.name):
                response = self.close(ticket.id, stage.id)
                self.assertEqual(response.status_code, 404)
                self.assertIn("does not exist or is not yours", response.text)
        self.assertUnchanged(self.claim_a, self.stage_remedy)
        self.assertUnchanged(self.ticket_a, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new"))

    @mute_logger("odoo.http")
    def test_a_claim_is_not_closed_in_a_helpdesk_stage(self):
        self.login(self.portal_a)
        for stage in (self.cancelled, self.done, self.stage_rejected, self.stage_investigation):
            with self.subTest(stage=stage.name):
                response = self.close(self.claim_a.id, stage.id)
                self.assertEqual(response.status_code, 400)
                self.assertIn("cannot be closed in this stage from the portal", response.text)
        self.assertUnchanged(self.claim_a, self.stage_remedy)

    @mute_logger("odoo.http")
    def test_get_and_a_post_without_csrf_change_nothing(self):
        self.login(self.portal_a)
        response = self.close(self.claim_a.id, self.stage_closed.id, method="GET")
        self.assertEqual(response.status_code, 405)
        response = self.close(self.ticket_a.id, self.done.id, method="GET")
        self.assertEqual(response.status_code, 405)
        response = self.close(self.claim_a.id, self.stage_closed.id, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertUnchanged(self.claim_a, self.stage_remedy)
        self.assertUnchanged(self.ticket_a, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new"))

    @mute_logger("odoo.http")
    def test_bad_parameters_answer_4xx_with_a_message(self):
        self.login(self.portal_a)
        for ticket_id, stage_id in (
            ("abc", self.stage_closed.id),
            (self.claim_a.id, "abc"),
            (self.claim_a.id, ""),
            ("", ""),
            ("99999999999999", self.stage_closed.id),
            (self.claim_a.id, "-1"),
            (self.claim_a.id, "1.5"),
        ):
            with self.subTest(ticket_id=ticket_id, stage_id=stage_id):
                response = self.close(ticket_id, stage_id)
                self.assertEqual(response.status_code, 400)
                self.assertIn("Choose the ticket and the stage", response.text)
        response = self.close(2**31 - 1, self.stage_closed.id)
        self.assertEqual(response.status_code, 404)
        response = self.close(self.claim_a.id, 2**31 - 1)
        self.assertEqual(response.status_code, 400)
        self.assertUnchanged(self.claim_a, self.stage_remedy)

    @mute_logger("odoo.http")
    def test_a_claim_without_its_conclusion_is_not_closed_from_the_portal(self):
        claim = self.make_claim(partner_id=self.portal_a.partner_id.id)
        self.login(self.portal_a)
        response = self.close(claim.id, self.stage_closed.id)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Conclusion", response.text)
        self.assertUnchanged(claim, self.stage_registered)

    @mute_logger("odoo.http")
    def test_a_plain_ticket_closes_in_helpdesk_stages_only_by_its_customer(self):
        self.login(self.portal_a)
        response = self.close(self.ticket_a.id, self.stage_closed.id)
        self.assertEqual(response.status_code, 400, "no claims stage for a plain ticket")
        self.assertUnchanged(self.ticket_a, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new"))
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        offered = {
            int(value)
            for value in html.fromstring(page.text).xpath(
                "//form[@action='/ticket/close']//input[@name='stage_id']/@value"
            )
        }
        self.assertEqual(offered, {self.done.id, self.cancelled.id})
        response = self.close(self.ticket_a.id, self.done.id)
        self.assertEqual(response.status_code, 303)
        self.ticket_a.invalidate_recordset()
        self.assertEqual(self.ticket_a.stage_id, self.done)
        self.assertTrue(self.ticket_a.closed_date)
