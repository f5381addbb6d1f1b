from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestNextToResellers(HttpCase):
    """A partner that is both one of our dealers and a Resellers partner: each portal shows
    its own leads, and Resellers' write access on its assigned leads opens nothing of ours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.dealer = Partner.create({"name": "Dealer and reseller", "is_company": True})
        cls.rival = Partner.create({"name": "Rival dealer", "is_company": True})
        contact = Partner.create(
            {"name": "Dealer's clerk", "parent_id": cls.dealer.id, "email": "clerk@example.com"}
        )
        cls.user = new_test_user(
            cls.env, login="resellers_dealer", password="resellers_dealer_pw",
            groups="base.group_portal", partner_id=contact.id,
        )  # fmt: skip
        Lead = cls.env["crm.lead"]
        cls.forwarded = Lead.create(
            {"name": "Forwarded by the suite", "type": "opportunity",
             "dealer_partner_id": cls.dealer.id, "expected_revenue": 1000}
        )  # fmt: skip
        cls.assigned = Lead.create(
            {"name": "Assigned by Resellers", "type": "opportunity",
             "partner_assigned_id": cls.dealer.id, "expected_revenue": 2000}
        )  # fmt: skip

    def test_both_portals_answer_with_their_own_leads(self):
        self.authenticate("resellers_dealer", "resellers_dealer_pw")
        ours = self.url_open("/my/dealer-leads")
        self.assertEqual(ours.status_code, 200)
        self.assertIn("Forwarded by the suite", ours.text)
        self.assertNotIn("Assigned by Resellers", ours.text)
        theirs = self.url_open("/my/opportunities")
        self.assertEqual(theirs.status_code, 200)
        self.assertIn("Assigned by Resellers", theirs.text)
        leads = self.url_open("/my/leads")
        self.assertEqual(leads.status_code, 200, "Resellers' own page, not a redirect")
        self.assertNotIn("/my/dealer-leads", leads.url)
        page = self.url_open(f"/my/dealer-leads/{self.forwarded.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Forwarded by the suite", page.text)

    def test_the_portal_home_counts_both(self):
        self.authenticate("resellers_dealer", "resellers_dealer_pw")
        home = self.url_open("/my")
        self.assertEqual(home.status_code, 200)
        self.assertIn("/my/dealer-leads", home.text)
        self.assertIn("/my/opportunities", home.text)

    def test_resellers_write_access_opens_nothing_of_the_suite(self):
        """Resellers gives portal users write access on the leads assigned to them; the
        suite's forwarded leads stay read-only, and an assigned lead cannot be forwarded
        into another dealer's list."""
        Lead = self.env["crm.lead"].with_user(self.user)
        self.assertEqual(Lead.search([]), self.forwarded | self.assigned)
        with self.assertRaises(AccessError):
            self.forwarded.with_user(self.user).write({"expected_revenue": 1})
        with self.assertRaises(AccessError):
            self.assigned.with_user(self.user).write({"dealer_partner_id": self.rival.id})
        self.assertEqual(self.forwarded.expected_revenue, 1000)
        self.assertFalse(self.assigned.dealer_partner_id)
        # what Resellers itself allows stays allowed
        self.assigned.with_user(self.user).write({"expected_revenue": 2500})
        self.assertEqual(self.assigned.expected_revenue, 2500)
