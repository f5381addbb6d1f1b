from .common import ClaimsLineCase


class TestClaimsPerLine(ClaimsLineCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claim_roller_open = cls.make_claim(cls, product=cls.product_roller)
        cls.claim_roller_closed = cls.make_claim(cls, product=cls.product_roller)
        cls.claim_roller_closed.write(
            dict(cls.close_values(cls, cause=cls.cause_material), stage_id=cls.stage_closed.id)
        )
        cls.claim_vertical = cls.make_claim(cls, product=cls.product_vertical, claim_cost=250.0)
        # a plain helpdesk ticket of that product is not a claim and counts nowhere
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "How do I clean it?",
                "description": "<p>Question</p>",
                "product_id": cls.product_roller.id,
                "team_id": False,
                "production_line_id": cls.line_roller.id,
            }
        )

    def test_claim_counts_on_the_line(self):
        self.assertFalse(self.ticket.is_claim)
        lines = (self.line_roller | self.line_vertical | self.line_spare).with_user(
            self.claims_user
        )
        self.assertEqual(lines.mapped("claim_count"), [2, 1, 0])
        self.assertEqual(lines.mapped("open_claim_count"), [1, 1, 0])
        # a claim moved to another line by hand moves its count
        self.claim_vertical.production_line_id = self.line_spare
        lines.invalidate_recordset(["claim_count"])
        self.assertEqual(lines.mapped("claim_count"), [2, 0, 1])

    def test_smart_button_opens_the_claims_of_the_line(self):
        action = self.line_roller.with_user(self.claims_user).action_open_claims()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        claims = self.env["helpdesk.ticket"].with_user(self.claims_user).search(action["domain"])
        self.assertEqual(claims, self.claim_roller_open | self.claim_roller_closed)
        self.assertIn(self.line_roller.name, action["display_name"])

    def test_analysis_per_line_and_cause_category(self):
        Analysis = self.env["claim.analysis"].with_user(self.claims_user)
        rows = Analysis._read_group(
            [
                (
                    "ticket_id",
                    "in",
                    (
                        self.claim_roller_open
                        | self.claim_roller_closed
                        | self.claim_vertical
                        | self.ticket
                    ).ids,
                )
            ],
            ["production_line_id", "cause_category"],
            ["claim_count:sum", "claim_cost:sum"],
        )
        figures = {(line, category): (count, cost) for line, category, count, cost in rows}
        self.assertEqual(
            figures,
            {
                (self.line_roller, False): (1, 0.0),
                (self.line_roller, "material"): (1, 0.0),
                (self.line_vertical, False): (1, 250.0),
            },
        )

    def test_claims_per_line_action_and_views_load(self):
        action = self.env.ref("claims_production_funnel.claim_analysis_line_action")
        self.assertEqual(action.res_model, "claim.analysis")
        Analysis = self.env["claim.analysis"].with_user(self.claims_user)
        views = {view.view_mode: view.view_id for view in action.view_ids}
        self.assertEqual(list(views), ["graph", "pivot", "list"])
        for view_type, view in views.items():
            arch = Analysis.get_view(view.id, view_type)["arch"]
            self.assertIn('name="production_line_id"', arch, view_type)
        search = Analysis.get_view(action.search_view_id.id, "search")["arch"]
        self.assertIn("'group_by': 'production_line_id'", search)
