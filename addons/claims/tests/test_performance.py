from odoo.tests import warmup

from .common import ClaimsCase


class TestClaimQueries(ClaimsCase):
    """Query counts of the claims' hot paths, pinned as core's
    ``crm/tests/test_performances.py`` pins its own: the overdue check (the SLA scheduled
    action on claims) and the dashboard's figures. Each is set-based, so the count does not
    grow with the number of claims; a regression (a query per claim) fails here instead of
    waiting for ``setup/bench claims``."""

    def _late_claims(self, count):
        claims = self.Ticket.browse()
        for _n in range(count):
            claims |= self.make_claim(sla_stage_date=self.long_ago)
        self.env.flush_all()
        self.env.invalidate_all()
        return claims

    def _stalled(self, claims):
        activity_type = self.env.ref("funnel_sla.mail_activity_type_sla_stalled")
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "in", claims.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def _check(self, claims, queries):
        with self.assertQueryCount(queries):
            self.Ticket._sla_check(batch_size=50)
        self.assertTrue(all(claims.mapped("is_stalled")))
        self.assertEqual(len(self._stalled(claims)), len(claims), "one activity per claim")

    @warmup
    def test_the_overdue_check_costs_the_same_for_2_or_12_late_claims(self):
        """One responsible, one team leader: the queries of a batch, whatever its size."""
        self._check(self._late_claims(2), 64)
        self._check(self._late_claims(12), 64)

    @warmup
    def test_the_steady_overdue_check_costs_a_few_searches(self):
        self._late_claims(3)
        self.Ticket._sla_check()
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            self.Ticket._sla_check()

    @warmup
    def test_the_dashboard_costs_the_same_for_2_or_12_claims(self):
        board = self.env["claim.dashboard"].create({"company_id": self.company.id})
        for count in (2, 10):
            for claim in self._late_claims(count):
                claim.write({"stage_id": self.stage_closed.id, **self.close_values()})
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertQueryCount(6):
                board._compute_figures()
