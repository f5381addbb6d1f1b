"""Trust boundaries of the partner tiers (issue 15), tried as each role would try them
over RPC: a portal dealer on its forwarded leads and its own partner, a salesman without
tier rights, partner managers. Every refused attempt leaves the data as it was."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DealerCase

# judgement fields: internal scoring a dealer must not read about itself
PARTNER_JUDGEMENT = [
    "tier_id",
    "tier_code",
    "tier_score",
    "tier_sales_volume",
    "tier_sales_trend",
    "tier_high_margin_share",
    "tier_wallet_share",
    "tier_has_wallet_share",
    "tier_matrix_coverage",
    "tier_potential",
    "tier_assessment_date",
    "estimated_purchase_volume",
    "assortment_matrix_id",
    "tier_assessment_ids",
    "tier_assessment_count",
]
LEAD_JUDGEMENT = ["automated_probability"]
LEAD_STATE = [
    "name", "expected_revenue", "probability", "user_id", "partner_id", "company_id",
    "dealer_partner_id", "stage_id", "active", "type",
]  # fmt: skip


@tagged("post_install", "-at_install")
class TestPortalDealerOverRpc(DealerCase):
    def test_the_dealer_reads_its_lead_but_writes_nothing(self):
        lead = self.lead.with_user(self.dealer_user)
        self.assertEqual(lead.search([]), self.lead)
        self.assertEqual(lead.read(["name"])[0]["name"], "Blinds for a flat")
        before = self.snapshot(self.lead, LEAD_STATE)
        won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        for vals in (
            {"expected_revenue": 1e9},
            {"probability": 100},
            {"user_id": self.env.ref("base.user_admin").id},
            {"partner_id": self.other_dealer.id},
            {"company_id": self.company_b.id},
            {"dealer_partner_id": self.other_dealer.id},
            {"stage_id": won.id},
            {"active": False},
            {"name": "Renamed by the dealer"},
        ):
            with self.assertRaises(AccessError, msg=vals):
                lead.write(vals)
        for action in ("action_set_won", "action_set_lost"):
            with self.assertRaises(AccessError, msg=action):
                getattr(lead, action)()
        with self.assertRaises(AccessError):
            lead.copy()
        self.assertEqual(self.snapshot(self.lead, LEAD_STATE), before)

    def test_the_dealer_adds_no_followers(self):
        before = self.lead.message_partner_ids
        with self.assertRaises(AccessError):
            self.lead.with_user(self.dealer_user).message_subscribe(
                partner_ids=[self.other_dealer.id]
            )
        self.lead.invalidate_recordset()
        self.assertEqual(self.lead.message_partner_ids, before)
        self.assertNotIn(self.other_dealer, self.lead.message_partner_ids)

    def test_the_dealer_reads_no_judgement_on_itself(self):
        self.assess(self.office)
        office = self.office.with_user(self.dealer_user)
        self.assertEqual(office.read(["name"])[0]["name"], "Siberia office")
        for fname in PARTNER_JUDGEMENT:
            with self.assertRaises(AccessError, msg=fname):
                office.read([fname])
        with self.assertRaises(AccessError):
            office.search([("tier_score", ">=", 0)])
        with self.assertRaises(AccessError):
            office.search_read([("id", "=", self.office.id)], ["tier_potential"])
        lead = self.lead.with_user(self.dealer_user)
        for fname in LEAD_JUDGEMENT:
            with self.assertRaises(AccessError, msg=fname):
                lead.read([fname])

    def test_the_dealer_reads_no_other_dealers_lead(self):
        theirs = self.lead.copy({"dealer_partner_id": self.other_dealer.id})
        with self.assertRaises(AccessError):
            theirs.with_user(self.dealer_user).read(["name"])


@tagged("post_install", "-at_install")
class TestJudgementFieldsPerRole(DealerCase):
    def test_tier_users_see_the_scoring_a_salesman_does_not(self):
        self.assess(self.office)
        Partner = self.env["res.partner"]
        kanban = self.env.ref("amigo_partner_tiers.view_partner_development_kanban").id
        for user in (self.tier_user, self.tier_manager):
            values = self.office.with_user(user).read(PARTNER_JUDGEMENT)[0]
            self.assertEqual(values["tier_id"][0], self.office.tier_id.id)
            self.assertEqual(values["estimated_purchase_volume"], 9000)
            views = Partner.with_user(user).get_views(
                [(False, "form"), (False, "list"), (False, "search"), (kanban, "kanban")]
            )
            fnames = views["models"]["res.partner"]["fields"]
            self.assertIn("tier_score", fnames)
            self.assertIn("tier_id", fnames)
            self.assertIn('name="partner_tier"', views["views"]["form"]["arch"])
            self.office.with_user(user).read(list(fnames))
        with self.assertRaises(AccessError):
            self.office.with_user(self.salesman).read(["tier_score"])
        # the salesman's partner views still open and load, without the tier parts
        views = Partner.with_user(self.salesman).get_views(
            [(False, "form"), (False, "list"), (False, "search")]
        )
        fnames = views["models"]["res.partner"]["fields"]
        self.assertFalse(set(PARTNER_JUDGEMENT) & set(fnames))
        self.assertNotIn("Green", views["views"]["search"]["arch"])
        self.office.with_user(self.salesman).read(list(fnames))
        # the salesman keeps the lead's figures
        self.assertEqual(self.lead.with_user(self.salesman).expected_revenue, 5000)
