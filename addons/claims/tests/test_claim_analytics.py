from odoo import fields
from odoo.exceptions import ValidationError

from .common import ClaimsCase


class TestClaimAnalytics(ClaimsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only this test's claims count: other companies' claims stay out of the dashboard
        cls.company2 = cls.env["res.company"].create({"name": "Claims Analytics Co"})
        cls.env.user.company_ids |= cls.company2

    def board(self, company):
        return self.env["claim.dashboard"].create({"company_id": company.id})

    def _setup_company2_claims(self):
        team2 = self.env["helpdesk.ticket.team"].create(
            {"name": "Claims 2", "is_claim_team": True, "company_id": self.company2.id}
        )
        # a claim is only ever in a claims stage of its team: the shared stages serve the
        # second company's team too
        (self.stage_investigation | self.stage_closed | self.stage_rejected).team_ids |= team2
        claims = self.Ticket.browse()
        for cause, hours in (
            (self.cause_human, 10),
            (self.cause_human, 20),
            (self.cause_material, 30),
            (self.cause_process, 40),
            (self.cause_material, 100),
        ):
            claim = self.Ticket.create(
                {
                    "name": "C2",
                    "description": "<p>x</p>",
                    "is_claim": True,
                    "team_id": team2.id,
                    "company_id": self.company2.id,
                    "claim_cause_id": cause.id,
                    "conclusion": "c",
                    "corrective_action": "x",
                    "corrective_user_id": self.claims_user.id,
                    "corrective_date": "2030-01-01",
                    "stage_id": self.stage_closed.id,
                }
            )
            claim.claim_close_hours = hours
            claims |= claim
        open_claims = self.Ticket.create(
            [
                {
                    "name": f"Open {i}",
                    "description": "<p>x</p>",
                    "is_claim": True,
                    "team_id": team2.id,
                    "company_id": self.company2.id,
                    "stage_id": self.stage_investigation.id,
                }
                for i in range(4)
            ]
        )
        open_claims[0].sla_stage_date = self.long_ago
        rejected = self.Ticket.create(
            {
                "name": "Rej",
                "description": "<p>x</p>",
                "is_claim": True,
                "team_id": team2.id,
                "company_id": self.company2.id,
                "stage_id": self.stage_rejected.id,
                "rejection_reason": "no",
            }
        )
        self.Ticket._sla_check()
        return claims, open_claims, rejected

    def test_dashboard_figures_and_human_factor_indicator(self):
        self._setup_company2_claims()
        self.company2.claim_human_tolerance = 50
        board = self.board(self.company2)
        self.assertEqual(board.claim_count, 10)
        self.assertEqual(board.closed_count, 5)
        self.assertEqual(board.rejected_count, 1)
        self.assertEqual(board.open_count, 4)
        self.assertEqual(board.overdue_count, 1)
        self.assertAlmostEqual(board.overdue_share, 25.0)
        self.assertAlmostEqual(board.avg_close_hours, 40.0)
        # percentile_cont over 10, 20, 30, 40, 100: 40 + 0.6 * 60
        self.assertAlmostEqual(board.p90_close_hours, 76.0)
        self.assertEqual(board.human_count, 2)
        self.assertAlmostEqual(board.human_share, 40.0)
        self.assertEqual(board.tolerance_status, "within")
        self.company2.claim_human_tolerance = 30
        board = self.board(self.company2)
        self.assertEqual(board.tolerance_status, "review")

    def test_dashboard_period_and_tolerance_bounds(self):
        self._setup_company2_claims()
        later = self.env["claim.dashboard"].create(
            {"company_id": self.company2.id, "date_from": "2099-01-01"}
        )
        self.assertEqual(later.claim_count, 0)
        today = self.env["claim.dashboard"].create(
            {"company_id": self.company2.id, "date_to": fields.Date.today()}
        )
        self.assertEqual(today.claim_count, 10)
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.company2.claim_human_tolerance = 120

    def test_dashboard_without_closed_claims_says_so(self):
        board = self.board(self.company2)
        self.assertEqual(board.claim_count, 0)
        self.assertEqual(board.tolerance_status, "no_data")

    def test_analysis_view_groups_by_cause_category_and_month(self):
        self._setup_company2_claims()
        Analysis = self.env["claim.analysis"]
        self.env.flush_all()
        rows = Analysis._read_group(
            [("company_id", "=", self.company2.id)],
            ["cause_category", "date:month"],
            ["claim_count:sum", "close_hours:avg", "human_rate:avg"],
        )
        by_category = {row[0]: row for row in rows}
        self.assertEqual(by_category["human"][2], 2)
        self.assertAlmostEqual(by_category["human"][3], 15.0)
        self.assertAlmostEqual(by_category["material"][3], 65.0)
        self.assertAlmostEqual(by_category["human"][4], 100.0)
        self.assertEqual(by_category[False][2], 5, "4 open and 1 rejected claims, no cause")
        total = Analysis._read_group(
            [("company_id", "=", self.company2.id)], [], ["human_rate:avg", "overdue_rate:avg"]
        )[0]
        self.assertAlmostEqual(total[0], 40.0)
        self.assertAlmostEqual(total[1], 25.0)
