from datetime import timedelta

from .common import LONG_AGO, PlaybookCase


class TestReports(PlaybookCase):
    """Where leads come from, and where deals stall and are lost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        make = cls._report_lead
        # web form: 3 leads, 2 opportunities, 1 won (1000, 10 days to win), 1 lost
        cls.web_won = make("Web won", cls.source_web, type="opportunity", revenue=1000)
        cls.web_lost = make("Web lost", cls.source_web, type="opportunity")
        cls.web_lead = make("Web lead", cls.source_web, type="lead")
        # exhibition: 1 opportunity, stalled in the proposal stage
        cls.expo_stalled = make("Expo stalled", cls.source_expo, type="opportunity")
        cls.web_won.write({"stage_id": cls.s_won.id})
        # won 10 days after it came in, long ago (data set-up: no ORM path writes these)
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s, date_closed = %s WHERE id = %s",
            [LONG_AGO, LONG_AGO + timedelta(days=10), cls.web_won.id],
        )
        cls.web_lost.action_set_lost(lost_reason_id=cls.reason.id)
        cls.expo_stalled.write({"stage_id": cls.s_proposal.id})
        cls.expo_stalled.sla_stage_date = LONG_AGO
        cls.env["crm.lead"]._sla_check()
        cls.env.invalidate_all()

    @classmethod
    def _report_lead(cls, name, source, type, revenue=0):
        lead = cls.env["crm.lead"].create(
            {
                "name": name,
                "type": type,
                "team_id": cls.team.id,
                "source_id": source.id,
                "expected_revenue": revenue,
                "email_from": False,
            }
        )
        # the checklist of its stage done, so that the test lead moves freely
        lead.checklist_line_ids.write({"done": True})
        return lead

    def rows(self, groupby, user=None, domain=None):
        Report = self.env["crm.playbook.report"].with_user(user or self.head)
        domain = [("team_id", "=", self.team.id), *(domain or [])]
        fields = ["lead_count", "opportunity_count", "won_count", "lost_count", "stalled_count",
                  "revenue", "conversion", "days_to_win"]  # fmt: skip
        return {
            row[groupby][1] if isinstance(row[groupby], tuple) else row[groupby]: row
            for row in Report.read_group(domain, fields, [groupby], lazy=False)
        }

    def test_per_source(self):
        rows = self.rows("source_id")
        web, expo = rows["PB web form"], rows["PB exhibition"]
        self.assertEqual(
            (web["lead_count"], web["opportunity_count"], web["won_count"], web["lost_count"]),
            (3, 2, 1, 1),
        )
        self.assertEqual(web["revenue"], 1000)
        self.assertAlmostEqual(web["conversion"], 100 / 3, places=2)
        self.assertAlmostEqual(web["days_to_win"], 10, places=2)
        self.assertEqual((expo["lead_count"], expo["won_count"], expo["stalled_count"]), (1, 0, 1))

    def test_per_stage_and_lost_reason(self):
        stages = self.rows("stage_id")
        self.assertEqual(stages["PB Proposal sent"]["stalled_count"], 1)
        self.assertEqual(stages["PB Interest"]["lost_count"], 1)
        reasons = self.rows("lost_reason_id", domain=[("lost_count", "=", 1)])
        self.assertEqual(reasons["PB too expensive"]["lost_count"], 1)

    def test_per_first_handler_and_month(self):
        handlers = self.rows("first_user_id")
        self.assertEqual(sum(row["lead_count"] for row in handlers.values()), 4)
        months = self.rows("date:month")
        self.assertEqual(len(months), 2, "the won deal was created long ago")

    def test_a_salesperson_sees_own_leads_only(self):
        owner = self.web_won.user_id
        mine = (
            self.env["crm.playbook.report"]
            .with_user(owner)
            .search([("team_id", "=", self.team.id)])
        )
        self.assertTrue(mine)
        self.assertEqual(set(mine.user_id), {owner})

    def test_survey_results_per_source_manager_stage_and_reason(self):
        lead = self.make_lead(email_from="r@clinic.example")
        lead.with_user(lead.user_id).action_set_lost(lost_reason_id=self.reason.id)
        self.close_transaction()
        answer = self.answers(lead)
        question = self.farewell.question_ids
        self.env["survey.user_input.line"].create(
            {"user_input_id": answer.id, "question_id": question.id, "answer_type": "scale",
             "value_scale": 4}
        )  # fmt: skip
        answer.state = "done"
        self.env.flush_all()
        Report = self.env["crm.playbook.survey.report"].with_user(self.head)
        [row] = Report.read_group(
            [("lead_id", "=", lead.id)],
            ["sent_count", "answered_count", "rating"],
            ["source_id", "user_id", "stage_id", "lost_reason_id"],
            lazy=False,
        )
        self.assertEqual(row["source_id"][0], self.source_web.id)
        self.assertEqual(row["user_id"][0], lead.user_id.id)
        self.assertEqual(row["stage_id"][0], self.s_interest.id)
        self.assertEqual(row["lost_reason_id"][0], self.reason.id)
        self.assertEqual((row["sent_count"], row["answered_count"], row["rating"]), (1, 1, 4.0))
