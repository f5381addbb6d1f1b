import re

from odoo.tests import HttpCase, tagged

from .common import ClaimsCase

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81"
    b"\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@tagged("post_install", "-at_install")
class TestClaimsPortal(ClaimsCase, HttpCase):
    def claim_url(self, order):
        return f"/my/orders/{order.id}/claim"

    def csrf(self, html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def claims_of(self, order):
        return self.Ticket.search([("sale_order_id", "=", order.id), ("is_claim", "=", True)])

    def test_file_a_claim_from_the_order_page_with_photos(self):
        self.authenticate("claims_portal_a", "claims_portal_a")
        page = self.url_open(f"/my/orders/{self.order_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.claim_url(self.order_a), page.text, "the order offers a claim")
        form = self.url_open(self.claim_url(self.order_a))
        self.assertEqual(form.status_code, 200)
        self.assertIn("Test roller blind", form.text)
        self.assertIn("Test vertical blind", form.text)
        self.assertNotIn("Test cornice", form.text, "only products of the order")
        response = self.url_open(
            self.claim_url(self.order_a),
            data={
                "csrf_token": self.csrf(form.text),
                "product_id": self.product_vertical.id,
                "quantity": "2",
                "lot_name": "L-42",
                "description": "Two slats are broken",
            },
            files=[
                ("attachment", ("photo.png", PNG, "image/png")),
                ("attachment", ("photo2.png", PNG, "image/png")),
            ],
        )
        self.assertEqual(response.status_code, 200)
        claim = self.claims_of(self.order_a)
        self.assertEqual(len(claim), 1)
        self.assertTrue(response.url.endswith(f"/my/ticket/{claim.id}"))
        self.assertEqual(claim.product_id, self.product_vertical)
        self.assertEqual(claim.claim_quantity, 2)
        self.assertEqual(claim.lot_name, "L-42")
        self.assertEqual(claim.partner_id, self.portal_a.partner_id)
        self.assertEqual(claim.team_id, self.team)
        self.assertEqual(claim.stage_id, self.stage_registered)
        self.assertEqual(sorted(claim.attachment_ids.mapped("name")), ["photo.png", "photo2.png"])
        self.assertIn("Test vertical blind", response.text, "the claim page shows the product")
        listing = self.url_open("/my/tickets")
        self.assertIn(claim.number, listing.text)
        self.assertIn("Registered", listing.text)

    def test_product_outside_the_order_is_refused_and_nothing_is_created(self):
        self.authenticate("claims_portal_a", "claims_portal_a")
        form = self.url_open(self.claim_url(self.order_a))
        response = self.url_open(
            self.claim_url(self.order_a),
            data={
                "csrf_token": self.csrf(form.text),
                "product_id": self.product_other.id,
                "description": "Broken",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Choose a product of the order", response.text)
        self.assertFalse(self.claims_of(self.order_a))
        response = self.url_open(
            self.claim_url(self.order_a),
            data={
                "csrf_token": self.csrf(form.text),
                "product_id": self.product_roller.id,
                "description": "Broken",
            },
            files=[("attachment", ("notes.txt", b"not a photo", "text/plain"))],
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("notes.txt is not an image", response.text)
        self.assertFalse(self.claims_of(self.order_a))

    def test_another_customers_order_and_claims_stay_hidden(self):
        claim_a = self.make_claim(partner_id=self.portal_a.partner_id.id, name="Claim of dealer A")
        self.authenticate("claims_portal_b", "claims_portal_b")
        response = self.url_open(self.claim_url(self.order_a))
        self.assertTrue(response.url.endswith("/my"), "no form on someone else's order")
        own_form = self.url_open(self.claim_url(self.order_b))
        response = self.url_open(
            self.claim_url(self.order_a),
            data={
                "csrf_token": self.csrf(own_form.text),
                "product_id": self.product_roller.id,
                "description": "Not my order",
            },
        )
        self.assertTrue(response.url.endswith("/my"))
        self.assertEqual(self.claims_of(self.order_a), claim_a, "nothing filed on A's order")
        page = self.url_open(f"/my/ticket/{claim_a.id}")
        self.assertTrue(page.url.endswith("/my"))
        self.assertNotIn("Claim of dealer A", page.text)
        listing = self.url_open("/my/tickets")
        self.assertNotIn("Claim of dealer A", listing.text)

    def test_the_conclusion_is_shown_once_the_claim_is_closed(self):
        claim = self.make_claim(partner_id=self.portal_a.partner_id.id)
        self.authenticate("claims_portal_a", "claims_portal_a")
        conclusion = "A roll of faulty fabric; replaced free of charge."
        page = self.url_open(f"/my/ticket/{claim.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("o_claims_conclusion", page.text)
        claim.write(dict(self.close_values(), conclusion=conclusion, stage_id=self.stage_closed.id))
        page = self.url_open(f"/my/ticket/{claim.id}")
        self.assertIn("o_claims_conclusion", page.text)
        self.assertIn(conclusion, page.text)

    def test_file_a_claim_from_the_helpdesk_portal_form(self):
        self.authenticate("claims_portal_a", "claims_portal_a")
        form = self.url_open("/new/ticket")
        self.assertEqual(form.status_code, 200)
        value = f"{self.order_a.id}-{self.product_vertical.id}"
        self.assertIn(f'value="{value}"', form.text)
        self.assertNotIn(f'value="{self.order_b.id}-', form.text, "only the user's orders")
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": self.csrf(form.text),
                "claim_line": value,
                "subject": "Torn fabric",
                "description": "The fabric is torn",
            },
        )
        self.assertEqual(response.status_code, 200)
        claim = self.claims_of(self.order_a)
        self.assertEqual(len(claim), 1)
        self.assertEqual(claim.product_id, self.product_vertical)
        self.assertEqual(claim.team_id, self.team)
        self.assertEqual(claim.stage_id, self.stage_registered)
        # someone else's order is refused, nothing is created
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": self.csrf(form.text),
                "claim_line": f"{self.order_b.id}-{self.product_roller.id}",
                "subject": "Not mine",
                "description": "x",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.claims_of(self.order_b))
