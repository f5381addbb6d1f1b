import base64
import io
import os

from lxml import html
from PIL import Image

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ClaimsCase
from .test_portal import PNG


def image_bytes(fmt, size=(2, 2), noise=False):
    """A real image of that format (random pixels do not compress: a heavy file)."""
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


# the smallest WebP (1x1, lossless): this Pillow may be built without a WebP encoder
WEBP = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


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


@tagged("post_install", "-at_install")
class TestPortalClaimFormInput(PortalSecurityCase):
    """Bad input on /my/orders/<id>/claim: 400, the form and a message; nothing created."""

    def submit(self, files=None, **values):
        data = {
            "csrf_token": self.csrf(),
            "product_id": self.product_roller.id,
            "quantity": "1",
            "description": "Broken",
        }
        data.update(values)
        return self.url_open(f"/my/orders/{self.order_a.id}/claim", data=data, files=files)

    def assertRefused(self, response, message):
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_claims_form", response.text, "the form again")
        self.assertIn(message, html.fromstring(response.text).text_content())
        self.assertFalse(self.claims_of(self.order_a), "no claim")
        self.assertEqual(self.ticket_attachments(), self.attachments_before, "no attachment")

    def setUp(self):
        super().setUp()
        self.login(self.portal_a)
        self.attachments_before = self.ticket_attachments()

    def test_quantity_must_be_a_number_from_zero_to_the_ordered_quantity(self):
        for quantity, message in (
            ("nan", "must be a number"),
            ("NaN", "must be a number"),
            ("inf", "must be a number"),
            ("-inf", "must be a number"),
            ("1e400", "must be a number"),
            ("abc", "must be a number"),
            ("-1", "cannot be negative"),
            ("11", "exceeds the quantity of Test roller blind in the order (10)"),
            ("1e300", "exceeds the quantity"),
        ):
            with self.subTest(quantity=quantity):
                self.assertRefused(self.submit(quantity=quantity), message)
        response = self.submit(quantity="10")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.claims_of(self.order_a).claim_quantity, 10)

    def test_product_must_be_a_product_of_the_order(self):
        for product_id in ("abc", "1e5", "", "-1", "99999999999999", str(self.product_other.id)):
            with self.subTest(product_id=product_id):
                self.assertRefused(
                    self.submit(product_id=product_id), "Choose a product of the order"
                )

    def test_photos_are_checked_by_their_content_not_the_declared_type(self):
        for name, content, declared in (
            ("photo.png", SVG, "image/png"),
            ("photo.svg", SVG, "image/svg+xml"),
            ("photo.jpg", HTML, "image/jpeg"),
            ("photo.png", b"\x89PNG\r\n\x1a\nnot really a png", "image/png"),
            ("photo.bmp", image_bytes("BMP"), "image/bmp"),
            ("notes.txt", b"plain text", "image/png"),
        ):
            with self.subTest(name=name, declared=declared, content=content[:20]):
                self.assertRefused(
                    self.submit(files=[("attachment", (name, content, declared))]),
                    f"{name} is not an image",
                )
        # one bad photo among good ones: nothing at all
        self.assertRefused(
            self.submit(
                files=[
                    ("attachment", ("good.png", PNG, "image/png")),
                    ("attachment", ("bad.png", SVG, "image/png")),
                ]
            ),
            "bad.png is not an image",
        )

    def test_photos_of_each_displayable_type_are_kept_with_the_type_of_their_content(self):
        photos = {
            "a.png": image_bytes("PNG"),
            "b.jpg": image_bytes("JPEG"),
            "c.gif": image_bytes("GIF"),
            "d.webp": WEBP,
        }
        response = self.submit(
            files=[
                ("attachment", (name, content, "application/octet-stream"))
                for name, content in photos.items()
            ]
        )
        self.assertEqual(response.status_code, 200)
        claim = self.claims_of(self.order_a)
        self.assertEqual(
            {att.name: att.mimetype for att in claim.attachment_ids},
            {
                "a.png": "image/png",
                "b.jpg": "image/jpeg",
                "c.gif": "image/gif",
                "d.webp": "image/webp",
            },
        )

    def test_photo_size_and_count_are_capped(self):
        # Odoo's upload limit shared by the ten photos a claim may carry: 5,000 bytes each
        self.env["ir.config_parameter"].set_param("web.max_file_upload_size", 50_000)
        heavy = image_bytes("PNG", size=(60, 60), noise=True)
        self.assertGreater(len(heavy), 5_000)
        self.assertRefused(
            self.submit(files=[("attachment", ("heavy.png", heavy, "image/png"))]),
            "The photo heavy.png is too large",
        )
        self.assertRefused(
            self.submit(files=[("attachment", (f"p{i}.png", PNG, "image/png")) for i in range(11)]),
            "Attach at most 10 photos",
        )
        response = self.submit(files=[("attachment", ("light.png", PNG, "image/png"))])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.claims_of(self.order_a).attachment_ids.mapped("name"), ["light.png"])

    @mute_logger("odoo.http")
    def test_the_helpdesk_form_answers_400_to_bad_lists(self):
        for values in (
            {"category": "abc"},
            {"category": "99999999999999"},
            {"team": "abc"},
            {"claim_line": "abc"},
            {"claim_line": f"{self.order_a.id}-{self.product_roller.id}-1"},
            {"claim_line": f"99999999999999-{self.product_roller.id}"},
        ):
            with self.subTest(values=values):
                response = self.url_open(
                    "/submitted/ticket",
                    data=dict(
                        {"csrf_token": self.csrf(), "subject": "x", "description": "y"}, **values
                    ),
                )
                self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Ticket.search([("partner_id", "=", self.portal_a.partner_id.id)]))


@tagged("post_install", "-at_install")
class TestHelpdeskFormClaimPhotos(PortalSecurityCase):
    """/submitted/ticket (helpdesk_mgmt's form) with a claim line files a claim: the same
    photo policy as the claim form, checked before anything is created; 400 and nothing
    created when refused. A plain ticket keeps helpdesk_mgmt's behaviour."""

    def setUp(self):
        super().setUp()
        self.login(self.portal_a)
        self.attachments_before = self.ticket_attachments()

    def submit(self, files=None, method="POST", **values):
        data = {
            "csrf_token": self.csrf(),
            "claim_line": f"{self.order_a.id}-{self.product_roller.id}",
            "subject": "Torn fabric",
            "description": "The fabric is torn",
        }
        data.update(values)
        if method == "GET":
            query = "&".join(f"{key}={value}" for key, value in data.items())
            return self.url_open(f"/submitted/ticket?{query}", allow_redirects=False)
        return self.url_open("/submitted/ticket", data=data, files=files, allow_redirects=False)

    def tickets_of_a(self):
        return self.Ticket.search([("partner_id", "=", self.portal_a.partner_id.id)])

    def assertRefused(self, response, message):
        self.assertEqual(response.status_code, 400)
        self.assertIn(message, html.fromstring(response.text).text_content())
        self.assertFalse(self.claims_of(self.order_a), "no claim")
        self.assertFalse(self.tickets_of_a(), "no ticket")
        self.assertEqual(self.ticket_attachments(), self.attachments_before, "no attachment")

    @mute_logger("odoo.http")
    def test_a_page_declared_a_photo_files_no_claim(self):
        for name, content, declared in (
            ("photo.png", HTML, "image/png"),
            ("photo.png", SVG, "image/png"),
            ("photo.svg", SVG, "image/svg+xml"),
            ("photo.png", b"\x89PNG\r\n\x1a\nnot really a png", "image/png"),
            ("photo.bmp", image_bytes("BMP"), "image/bmp"),
            ("notes.txt", b"plain text", "image/png"),
        ):
            with self.subTest(name=name, declared=declared, content=content[:20]):
                self.assertRefused(
                    self.submit(files=[("attachment", (name, content, declared))]),
                    f"{name} is not an image",
                )
        self.assertRefused(
            self.submit(
                files=[
                    ("attachment", ("good.png", PNG, "image/png")),
                    ("attachment", ("bad.png", HTML, "image/png")),
                ]
            ),
            "bad.png is not an image",
        )

    @mute_logger("odoo.http")
    def test_photo_size_and_count_are_capped_as_on_the_claim_form(self):
        self.env["ir.config_parameter"].set_param("web.max_file_upload_size", 50_000)
        heavy = image_bytes("PNG", size=(60, 60), noise=True)
        self.assertGreater(len(heavy), 5_000)
        self.assertRefused(
            self.submit(files=[("attachment", ("heavy.png", heavy, "image/png"))]),
            "The photo heavy.png is too large",
        )
        self.assertRefused(
            self.submit(files=[("attachment", (f"p{i}.png", PNG, "image/png")) for i in range(11)]),
            "Attach at most 10 photos",
        )

    @mute_logger("odoo.http")
    def test_a_claim_is_filed_only_on_post(self):
        self.assertRefused(self.submit(method="GET"), "A ticket is filed by sending the form.")

    def test_a_plain_ticket_is_filed_only_on_post(self):
        """A GET is not checked for CSRF: a link on any page would file a ticket in the
        customer's name."""
        self.assertRefused(
            self.submit(method="GET", claim_line=""), "A ticket is filed by sending the form."
        )

    def test_a_claim_with_photos_keeps_the_type_of_their_content(self):
        response = self.submit(
            files=[
                ("attachment", ("a.png", image_bytes("PNG"), "application/octet-stream")),
                ("attachment", ("b.jpg", image_bytes("JPEG"), "image/png")),
            ]
        )
        self.assertEqual(response.status_code, 303)
        claim = self.claims_of(self.order_a)
        self.assertEqual(len(claim), 1)
        self.assertTrue(response.headers["Location"].endswith(f"/my/ticket/{claim.id}"))
        self.assertEqual(claim.product_id, self.product_roller)
        self.assertIn(self.portal_a.partner_id, claim.message_partner_ids)
        self.assertEqual(
            {att.name: att.mimetype for att in claim.attachment_ids},
            {"a.png": "image/png", "b.jpg": "image/jpeg"},
        )

    def test_a_plain_ticket_keeps_helpdesk_behaviour(self):
        response = self.submit(
            claim_line="",
            files=[("attachment", ("notes.txt", b"plain text", "text/plain"))],
        )
        self.assertIn(response.status_code, (302, 303))
        ticket = self.tickets_of_a()
        self.assertEqual(len(ticket), 1)
        self.assertFalse(ticket.is_claim)
        self.assertEqual(ticket.attachment_ids.mapped("name"), ["notes.txt"])
