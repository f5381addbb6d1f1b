from odoo.exceptions import AccessError

from .common import ClaimsCase


class TestClaimsAccess(ClaimsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claim_a = cls.Ticket.create(
            {
                "name": "Claim A",
                "description": "<p>a</p>",
                "is_claim": True,
                "partner_id": cls.portal_a.partner_id.id,
                "sale_order_id": cls.order_a.id,
                "product_id": cls.product_roller.id,
                "user_id": cls.claims_user2.id,
            }
        )
        cls.claim_b = cls.Ticket.create(
            {
                "name": "Claim B",
                "description": "<p>b</p>",
                "is_claim": True,
                "partner_id": cls.customer_b.id,
                "sale_order_id": cls.order_b.id,
                "product_id": cls.product_roller.id,
            }
        )

    def test_claims_user_works_every_claim_but_does_not_configure_nor_delete(self):
        claim = self.claim_a.with_user(self.claims_user)
        claim.write({"claim_cause_id": self.cause_human.id, "conclusion": "Checked"})
        claim.stage_id = self.stage_closed
        self.assertTrue(self.claim_a.closed)
        self.assertEqual(
            self.Ticket.with_user(self.claims_user).search(
                [("id", "in", (self.claim_a | self.claim_b).ids)]
            ),
            self.claim_a | self.claim_b,
        )
        new = self.Ticket.with_user(self.claims_user).create(
            {
                "name": "Registered by the user",
                "description": "<p>x</p>",
                "is_claim": True,
                "sale_order_id": self.order_b.id,
                "product_id": self.product_roller.id,
            }
        )
        self.assertEqual(new.stage_id, self.stage_registered)
        self.assertTrue(self.claim_b.with_user(self.claims_user).sale_order_id.name)
        with self.assertRaises(AccessError):
            self.env["claim.cause"].with_user(self.claims_user).create(
                {"name": "Mine", "category": "other"}
            )
        with self.assertRaises(AccessError):
            self.cause_human.with_user(self.claims_user).write({"category": "process"})
        with self.assertRaises(AccessError):
            self.claim_b.with_user(self.claims_user).unlink()
        with self.assertRaises(AccessError):
            self.stage_registered.with_user(self.claims_user).sla_hours = 1
        self.assertTrue(self.env["claim.analysis"].with_user(self.claims_user).search([]))
        board = self.env["claim.dashboard"].with_user(self.claims_user).create({})
        self.assertEqual(
            board.claim_count,
            self.env["claim.dashboard"].create({}).claim_count,
            "the dashboard counts every claim for a claims user",
        )
        self.assertEqual(
            board.open_count, board.claim_count - board.closed_count - board.rejected_count
        )

    def test_claims_manager_configures_causes_stages_and_deletes_claims(self):
        cause = (
            self.env["claim.cause"]
            .with_user(self.claims_manager)
            .create({"name": "Wrong drawing", "category": "process"})
        )
        self.assertEqual(cause.category, "process")
        self.stage_investigation.with_user(self.claims_manager).sla_hours = 12
        self.assertEqual(self.stage_investigation.sla_hours, 12)
        self.claim_b.with_user(self.claims_manager).unlink()
        self.assertFalse(self.claim_b.exists())

    def test_plain_internal_user_sees_no_claims_and_changes_nothing(self):
        Ticket = self.Ticket.with_user(self.internal_user)
        self.assertFalse(Ticket.search([("is_claim", "=", True)]))
        with self.assertRaises(AccessError):
            self.claim_a.with_user(self.internal_user).read(["conclusion"])
        with self.assertRaises(AccessError):
            Ticket.create({"name": "x", "description": "<p>x</p>", "is_claim": True})
        with self.assertRaises(AccessError):
            self.env["claim.cause"].with_user(self.internal_user).search([])
        with self.assertRaises(AccessError):
            self.env["claim.analysis"].with_user(self.internal_user).search([])
        with self.assertRaises(AccessError):
            self.env["claim.dashboard"].with_user(self.internal_user).create({})

    def test_portal_user_reads_only_own_company_claims_and_writes_none(self):
        own = self.claim_a.with_user(self.portal_a)
        self.assertEqual(own.product_id, self.product_roller)
        self.assertEqual(
            self.Ticket.with_user(self.portal_a).search([("is_claim", "=", True)]),
            self.claim_a,
        )
        with self.assertRaises(AccessError):
            self.claim_b.with_user(self.portal_a).read(["name"])
        with self.assertRaises(AccessError):
            own.write({"conclusion": "Self-closed"})
        with self.assertRaises(AccessError):
            own.read(["claim_cost"])
        with self.assertRaises(AccessError):
            own.read(["corrective_action"])
        with self.assertRaises(AccessError):
            self.env["claim.cause"].with_user(self.portal_a).search([])

    def test_claims_of_another_company_stay_hidden(self):
        company2 = self.env["res.company"].create({"name": "Claims Other Co"})
        team2 = self.env["helpdesk.ticket.team"].create(
            {"name": "Claims Other", "is_claim_team": True, "company_id": company2.id}
        )
        foreign = self.Ticket.create(
            {
                "name": "Foreign claim",
                "description": "<p>x</p>",
                "is_claim": True,
                "team_id": team2.id,
                "company_id": company2.id,
            }
        )
        self.assertEqual(foreign.team_id, team2)
        with self.assertRaises(AccessError):
            foreign.with_user(self.claims_manager).read(["name"])
        self.assertNotIn(
            foreign, self.Ticket.with_user(self.claims_manager).search([("is_claim", "=", True)])
        )
