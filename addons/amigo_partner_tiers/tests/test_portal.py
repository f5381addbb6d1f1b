from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDealerPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.office = Partner.create({"name": "Amigo Siberia office", "is_company": True})
        cls.other_dealer = Partner.create({"name": "Other dealer", "is_company": True})
        office_contact = Partner.create(
            {"name": "Andrey Office", "parent_id": cls.office.id, "email": "andrey@example.com"}
        )
        cls.dealer_user = new_test_user(
            cls.env, login="dealer_portal", password="dealer_portal_pw",
            groups="base.group_portal", partner_id=office_contact.id,
        )  # fmt: skip
        other_contact = Partner.create({"name": "Other contact", "parent_id": cls.other_dealer.id})
        cls.other_user = new_test_user(
            cls.env, login="other_portal", groups="base.group_portal",
            partner_id=other_contact.id,
        )  # fmt: skip
        Lead = cls.env["crm.lead"]
        cls.my_leads = Lead.create(
            [
                {"name": "Blinds for a Novosibirsk flat", "dealer_partner_id": cls.office.id,
                 "contact_name": "Ivan Buyer", "type": "opportunity"},
                {"name": "Roller shades for an office", "dealer_partner_id": cls.office.id,
                 "contact_name": "Olga Buyer", "type": "opportunity"},
            ]
        )  # fmt: skip
        cls.their_lead = Lead.create(
            {"name": "Secret lead of another dealer", "dealer_partner_id": cls.other_dealer.id,
             "type": "opportunity"}
        )  # fmt: skip
        cls.unforwarded = Lead.create({"name": "Internal lead", "type": "opportunity"})
        cls.stage = cls.env["crm.stage"].search(
            [("is_won", "=", False), ("team_id", "=", False)], order="sequence desc", limit=1
        )

    def test_record_rules(self):
        Lead = self.env["crm.lead"].with_user(self.dealer_user)
        self.assertEqual(Lead.search([]), self.my_leads)
        with self.assertRaises(AccessError):
            self.their_lead.with_user(self.dealer_user).read(["name"])
        with self.assertRaises(AccessError):
            self.unforwarded.with_user(self.dealer_user).read(["name"])
        with self.assertRaises(AccessError):
            Lead.create({"name": "Made up lead", "dealer_partner_id": self.office.id})
        with self.assertRaises(AccessError):
            self.my_leads[0].with_user(self.dealer_user).unlink()
        self.assertEqual(self.env["crm.lead"].with_user(self.other_user).search([]),
                         self.their_lead)  # fmt: skip

    def test_dealer_sees_exactly_their_leads(self):
        self.authenticate("dealer_portal", "dealer_portal_pw")
        response = self.url_open("/my/dealer-leads")
        self.assertEqual(response.status_code, 200)
        for lead in self.my_leads:
            self.assertIn(lead.name, response.text)
        self.assertNotIn(self.their_lead.name, response.text)
        self.assertNotIn(self.unforwarded.name, response.text)
        self.assertEqual(response.text.count("o_dealer_lead_row"), 2)
        page = self.url_open(f"/my/dealer-leads/{self.my_leads[0].id}")
        self.assertIn("Ivan Buyer", page.text)
        # another dealer's lead: back to the list, nothing shown
        other = self.url_open(f"/my/dealer-leads/{self.their_lead.id}")
        self.assertNotIn(self.their_lead.name, other.text)
        self.assertTrue(other.url.endswith("/my/dealer-leads"))
        home = self.url_open("/my")
        self.assertEqual(home.status_code, 200)
        self.assertIn("/my/dealer-leads", home.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["dealer_lead_count"]})
        self.assertEqual(counters["dealer_lead_count"], 2)

    def test_dealer_moves_notes_and_closes(self):
        self.authenticate("dealer_portal", "dealer_portal_pw")
        lead = self.my_leads[0]
        data = {"csrf_token": self._csrf()}
        self.url_open(f"/my/dealer-leads/{lead.id}/stage", data=dict(data, stage_id=self.stage.id))
        self.assertEqual(lead.stage_id, self.stage)
        self.url_open(
            f"/my/dealer-leads/{lead.id}/note", data=dict(data, note="Measured the windows")
        )
        note = lead.message_ids.filtered(lambda m: "Measured the windows" in (m.body or ""))
        self.assertEqual(note.author_id, self.dealer_user.partner_id)
        page = self.url_open(f"/my/dealer-leads/{lead.id}")
        self.assertIn("Measured the windows", page.text)
        self.url_open(f"/my/dealer-leads/{lead.id}/won", data=data)
        self.assertEqual(lead.probability, 100)
        self.assertTrue(lead.stage_id.is_won)
        second = self.my_leads[1]
        self.url_open(f"/my/dealer-leads/{second.id}/lost", data=data)
        self.assertFalse(second.active)
        # another dealer's lead cannot be touched
        self.url_open(f"/my/dealer-leads/{self.their_lead.id}/won", data=data)
        self.url_open(f"/my/dealer-leads/{self.their_lead.id}/note", data=dict(data, note="Hacked"))
        self.assertNotEqual(self.their_lead.probability, 100)
        self.assertFalse(self.their_lead.message_ids.filtered(lambda m: "Hacked" in (m.body or "")))

    def test_my_leads_is_core_resellers_page_or_leads_to_the_dealer_leads(self):
        """Core's Resellers (website_crm_partner_assign) serves its own leads at /my/leads:
        the dealer's leads have a route of the suite's own, and /my/leads leads there only
        when Resellers is not installed. Installed together, both portals work."""
        resellers = self.env["ir.module.module"].search(
            [("name", "=", "website_crm_partner_assign"), ("state", "=", "installed")]
        )
        self.authenticate("dealer_portal", "dealer_portal_pw")
        if not resellers:
            response = self.url_open("/my/leads", allow_redirects=False)
            self.assertIn(response.status_code, (302, 303))
            self.assertTrue(response.headers["Location"].endswith("/my/dealer-leads"))
            response = self.url_open("/my/leads/page/2", allow_redirects=False)
            self.assertTrue(response.headers["Location"].endswith("/my/dealer-leads/page/2"))
            self.assertEqual(self.url_open("/my/leads").text.count("o_dealer_lead_row"), 2)
            return
        # Resellers' own lead of the dealer: assigned to it (partner_assigned_id)
        assigned = self.env["crm.lead"].create(
            {"name": "Lead assigned by Resellers", "type": "lead",
             "partner_assigned_id": self.office.id}
        )  # fmt: skip
        theirs = self.url_open("/my/leads")
        self.assertEqual(theirs.status_code, 200)
        self.assertIn(assigned.name, theirs.text)
        self.assertNotIn("o_dealer_lead_row", theirs.text)
        ours = self.url_open("/my/dealer-leads")
        self.assertEqual(ours.status_code, 200)
        self.assertEqual(ours.text.count("o_dealer_lead_row"), 2)
        self.assertNotIn(assigned.name, ours.text)
        page = self.url_open(f"/my/dealer-leads/{self.my_leads[0].id}")
        self.assertIn("Ivan Buyer", page.text)
        self.assertIn("o_dealer_stage_form", page.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["dealer_lead_count", "lead_count"]}
        )
        self.assertEqual(counters["dealer_lead_count"], 2)
        self.assertEqual(counters["lead_count"], 1)

    def _csrf(self):
        page = self.url_open(f"/my/dealer-leads/{self.my_leads[0].id}")
        marker = 'name="csrf_token" value="'
        start = page.text.index(marker) + len(marker)
        return page.text[start : page.text.index('"', start)]
