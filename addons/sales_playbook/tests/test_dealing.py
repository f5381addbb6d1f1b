from .common import PlaybookCase


class TestDealtInTurn(PlaybookCase):
    """New leads of a team that deals them in turn (crm_lead_turn's one mechanism)."""

    def test_new_leads_are_dealt_in_turn(self):
        leads = [self.make_lead(name=f"Interest {n}") for n in range(5)]
        # the team's turns went on in the tests before: whoever's turn it was comes first
        first_user = leads[0].user_id
        other = self.colleague_of(first_user)
        self.assertEqual(
            [lead.user_id for lead in leads], [first_user, other, first_user, other, first_user]
        )
        first = leads[0]
        self.assertEqual(first.first_user_id, first_user)
        self.assertEqual(first.handler_ids.assignment, "turn")
        self.assertEqual(first.handler_ids.assigned_by_id, self.intake)
        self.assertEqual(first.stage_id, self.s_interest, "the team's own pipeline")

    def test_a_salesperson_of_own_leads_registers_a_lead_for_a_colleague(self):
        """Anna registers an interest that comes to her: the turn gives it to whoever's
        turn it is, though Anna herself may not assign leads to others."""
        if self.make_lead(name="First").user_id == self.boris:
            self.make_lead(name="Second")  # Boris's turn is next
        lead = self.make_lead(user=self.anna, name="Registered by Anna")
        self.assertEqual(lead.user_id, self.boris)
        self.assertFalse(lead.with_user(self.anna).has_access("read"), "now Boris's")
        self.assertEqual(lead.handler_ids.assigned_by_id, self.anna)
        self.assertEqual(lead.create_uid, self.anna)

    def test_opted_out_members_are_skipped(self):
        self.team.crm_team_member_ids.filtered(
            lambda m: m.user_id == self.anna
        ).assignment_optout = True
        self.assertEqual({self.make_lead().user_id for _n in range(3)}, {self.boris})

    def test_a_salesperson_chosen_by_the_creator_is_kept(self):
        lead = self.make_lead(user=self.head, user_id=self.head.id)
        self.assertEqual(lead.user_id, self.head)
        self.assertEqual(lead.handler_ids.assignment, "created")

    def test_other_distributions(self):
        self.team.lead_distribution = "crm"
        self.assertFalse(self.make_lead().user_id, "left to CRM's assignment rules")
        self.team.lead_distribution = "manual"
        self.assertEqual(self.make_lead().user_id, self.intake, "CRM's default: the creator")

    def test_nobody_to_deal_to_leaves_the_lead_with_the_team(self):
        self.team.turn_daily_cap = True
        self.team.crm_team_member_ids.write({"assignment_max": 0})
        lead = self.make_lead()
        self.assertFalse(lead.user_id)
        self.assertEqual(lead.team_id, self.team)
        self.assertFalse(lead.handler_ids)

    def test_the_web_client_leaves_the_salesperson_to_the_turn(self):
        """A new lead of the team in the form starts without salesperson (CRM would give
        it to whoever registers it) and is dealt when saved."""
        Lead = self.Lead.with_user(self.intake).with_context(default_team_id=self.team.id)
        defaults = Lead.default_get(["user_id", "team_id", "source_id"])
        self.assertFalse(defaults.get("user_id"))
        self.assertEqual(defaults["team_id"], self.team.id)
        self.assertEqual(defaults["source_id"], self.source_alias.id)
        [saved] = Lead.web_save(
            {"name": "From the form", "team_id": self.team.id, "user_id": False},
            {"user_id": {}},
        )
        self.assertIn(saved["user_id"], (self.anna | self.boris).ids)
        # a manual team keeps CRM's default: whoever registers it
        Manual = self.Lead.with_user(self.outsider).with_context(default_team_id=self.other_team.id)
        self.assertEqual(Manual.default_get(["user_id"])["user_id"], self.outsider.id)

    def test_the_pipeline_of_sales_leaves_the_salesperson_to_the_turn(self):
        """With Sales installed, the pipeline action passes ``default_user_id: uid``
        (sale_crm): CRM's default, whoever registers the lead, not a choice. The lead is
        still dealt in turn; a salesperson really chosen in the context is kept."""
        Lead = self.Lead.with_user(self.intake).with_context(
            default_team_id=self.team.id, default_user_id=self.intake.id
        )
        self.assertFalse(Lead.default_get(["user_id"]).get("user_id"))
        [saved] = Lead.web_save({"name": "From Sales' pipeline", "user_id": False}, {"user_id": {}})
        self.assertIn(saved["user_id"], (self.anna | self.boris).ids)
        self.assertIn(Lead.create({"name": "Scripted"}).user_id, self.anna | self.boris)
        chosen = self.Lead.with_user(self.intake).with_context(
            default_team_id=self.team.id, default_user_id=self.head.id
        )
        self.assertEqual(chosen.default_get(["user_id"])["user_id"], self.head.id)
        self.assertEqual(chosen.create({"name": "For the head"}).user_id, self.head)
