from datetime import datetime

from odoo.tests import TransactionCase, new_test_user

# a Monday morning long ago: any SLA counted from it is long past
LONG_AGO = datetime(2020, 1, 6, 6, 0)


class PlaybookCase(TransactionCase):
    """A team dealing its leads in turn over two salespeople, its own pipeline (interest →
    qualified → proposal sent → won) with checklists, sources, closing surveys, and one
    user of each role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        cls.company = env.company
        cls.head = new_test_user(
            env, login="pb_head", name="Head of Sales", groups="sales_team.group_sale_manager"
        )
        cls.intake = new_test_user(
            env,
            login="pb_intake",
            name="Intake Desk",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.anna = new_test_user(
            env, login="pb_anna", name="Anna", groups="sales_team.group_sale_salesman"
        )
        cls.boris = new_test_user(
            env, login="pb_boris", name="Boris", groups="sales_team.group_sale_salesman"
        )
        cls.outsider = new_test_user(
            env, login="pb_outsider", name="Outsider", groups="sales_team.group_sale_salesman"
        )
        cls.employee = new_test_user(env, login="pb_employee", groups="base.group_user")
        cls.portal = new_test_user(env, login="pb_portal", groups="base.group_portal")
        cls.company.write({"playbook_sales_head_id": cls.head.id, "playbook_source_required": True})

        Source = env["utm.source"]
        cls.source_web = Source.create({"name": "PB web form"})
        cls.source_expo = Source.create({"name": "PB exhibition"})
        cls.source_alias = Source.create({"name": "PB e-mail"})

        cls.team = env["crm.team"].create(
            {
                "name": "Playbook team",
                "company_id": cls.company.id,
                "user_id": cls.head.id,
                "lead_distribution": "round_robin",
                "playbook_own_stages": True,
                "playbook_source_id": cls.source_alias.id,
            }
        )
        env["crm.team.member"].create(
            [{"crm_team_id": cls.team.id, "user_id": user.id} for user in (cls.anna, cls.boris)]
        )
        cls.other_team = env["crm.team"].create({"name": "Manual team"})
        env["crm.team.member"].create(
            {"crm_team_id": cls.other_team.id, "user_id": cls.outsider.id}
        )

        Stage = env["crm.stage"]
        cls.s_interest = Stage.create(
            {"name": "PB Interest", "sequence": 1, "team_id": cls.team.id}
        )
        cls.s_qualified = Stage.create(
            {"name": "PB Qualified", "sequence": 2, "team_id": cls.team.id}
        )
        cls.s_proposal = Stage.create(
            {
                "name": "PB Proposal sent",
                "sequence": 3,
                "team_id": cls.team.id,
                "sla_hours": 24,
                "sla_escalation_hours": 16,
                "playbook_proposal": True,
                "playbook_hint": "<p>Call within 3 days.</p>",
            }
        )
        cls.s_won = Stage.create(
            {"name": "PB Won", "sequence": 70, "team_id": cls.team.id, "is_won": True}
        )
        Item = env["crm.stage.checklist.item"]
        cls.item_call = Item.create(
            {
                "name": "Call the customer",
                "hint": "Within an hour",
                "required": True,
                "sequence": 1,
                "stage_id": cls.s_interest.id,
            }
        )
        cls.item_need = Item.create(
            {"name": "Note the need", "sequence": 2, "stage_id": cls.s_interest.id}
        )
        cls.item_details = Item.create(
            {
                "name": "Get the company details",
                "required": True,
                "stage_id": cls.s_qualified.id,
            }
        )
        cls.item_proposal = Item.create(
            {"name": "Send the proposal", "required": True, "stage_id": cls.s_proposal.id}
        )

        cls.farewell = cls._make_survey("PB farewell survey")
        cls.quality = cls._make_survey("PB quality survey")
        cls.company.write(
            {
                "playbook_farewell_survey_id": cls.farewell.id,
                "playbook_quality_survey_id": cls.quality.id,
            }
        )
        cls.reason = env["crm.lost.reason"].create({"name": "PB too expensive"})
        cls.Lead = env["crm.lead"]

    @classmethod
    def _make_survey(cls, title):
        survey = cls.env["survey.survey"].create(
            {"title": title, "access_mode": "token", "users_login_required": False}
        )
        cls.env["survey.question"].create(
            {
                "survey_id": survey.id,
                "title": "How satisfied are you?",
                "question_type": "scale",
                "scale_min": 1,
                "scale_max": 5,
            }
        )
        return survey

    def make_lead(self, user=None, **values):
        """A lead registered by ``user`` (the intake desk by default) for the team."""
        vals = {
            "name": "Lead",
            "type": "opportunity",
            "team_id": self.team.id,
            "source_id": self.source_web.id,
            "email_from": "customer@example.com",
        }
        vals.update(values)
        return self.Lead.with_user(user or self.intake).create(vals).with_user(self.env.user)

    def colleague_of(self, user):
        """The other salesperson of the team."""
        return (type(self).anna | type(self).boris) - user

    def close_transaction(self):
        """What happens before the commit: the ORM's pending writes, then the precommit
        hooks (the closing surveys and notices of the leads lost or won)."""
        self.env.cr.flush()

    def answers(self, lead, kind=None):
        domain = [("lead_id", "=", lead.id)]
        if kind:
            domain.append(("playbook_kind", "=", kind))
        return self.env["survey.user_input"].sudo().search(domain)
