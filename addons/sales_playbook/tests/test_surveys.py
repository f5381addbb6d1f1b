import psycopg2

from odoo.exceptions import AccessError
from odoo.tools import mute_logger

from .common import PlaybookCase


class TestClosingSurveys(PlaybookCase):
    """Closing with a question: farewell and service-quality surveys, and the notice to
    the head of sales."""

    def mails_to(self, email):
        return self.env["mail.mail"].sudo().search([("email_to", "ilike", email)])

    def lose(self, lead, user=None, send=True, reason=None):
        wizard = (
            self.env["crm.lead.lost"]
            .with_user(user or lead.user_id)
            .create(
                {
                    "lead_ids": lead.ids,
                    "lost_reason_id": (reason or self.reason).id,
                    "playbook_send_survey": send,
                }
            )
        )
        wizard.action_lost_reason_apply()
        self.close_transaction()

    def test_a_lead_lost_for_no_real_interest_gets_the_farewell_survey(self):
        lead = self.make_lead(name="No interest", type="lead", email_from="nina@clinic.example")
        self.lose(lead)
        answer = self.answers(lead)
        self.assertEqual(answer.survey_id, self.farewell)
        self.assertEqual(answer.playbook_kind, "farewell")
        self.assertEqual(
            (answer.lead_source_id, answer.lead_user_id, answer.lead_team_id, answer.lead_stage_id,
             answer.lead_lost_reason_id),
            (self.source_web, lead.user_id, self.team, self.s_interest, self.reason),
        )  # fmt: skip
        mail = self.mails_to("nina@clinic.example")
        self.assertEqual(len(mail), 1)
        self.assertIn(answer.access_token, mail.body_html, "the answer's own link")
        self.assertIn("thank you for your interest", mail.subject)

    def test_once_per_lead_reopening_and_losing_again_sends_nothing_more(self):
        lead = self.make_lead(email_from="olga@clinic.example")
        self.lose(lead)
        lead.with_user(lead.user_id).action_unarchive()
        self.close_transaction()
        self.lose(lead)
        self.assertEqual(len(self.answers(lead, "farewell")), 1)
        self.assertEqual(len(self.mails_to("olga@clinic.example")), 1)

    def test_nothing_is_sent_to_a_lead_without_e_mail_or_when_declined(self):
        silent = self.make_lead(email_from=False, partner_id=False)
        wizard = (
            self.env["crm.lead.lost"].with_user(silent.user_id).create({"lead_ids": silent.ids})
        )
        self.assertIn("no e-mail", wizard.playbook_survey_note)
        self.lose(silent)
        self.assertFalse(self.answers(silent))
        declined = self.make_lead(email_from="pavel@clinic.example")
        wizard = (
            self.env["crm.lead.lost"].with_user(declined.user_id).create({"lead_ids": declined.ids})
        )
        self.assertIn("pavel@clinic.example", wizard.playbook_survey_note)
        self.lose(declined, send=False)
        self.assertFalse(self.answers(declined))
        self.assertFalse(self.mails_to("pavel@clinic.example"))
        self.assertFalse(declined.playbook_survey_declined, "the choice was for that closing")

    def test_the_survey_is_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_playbook"], ["ru_RU"], overwrite=True
        )
        partner = self.env["res.partner"].create(
            {"name": "Клиника", "email": "klinika@example.com", "lang": "ru_RU"}
        )
        lead = self.make_lead(partner_id=partner.id, email_from="klinika@example.com")
        self.lose(lead)
        mail = self.mails_to("klinika@example.com")
        self.assertIn("спасибо за интерес", mail.subject)

    def test_the_team_chooses_its_own_survey(self):
        own = self._make_survey("PB team farewell")
        self.team.playbook_farewell_survey_id = own
        lead = self.make_lead(email_from="team@clinic.example")
        self.lose(lead)
        self.assertEqual(self.answers(lead).survey_id, own)

    def test_winning_sends_the_service_quality_survey_unless_declined(self):
        lead = self.make_lead(email_from="won@clinic.example", stage_id=self.s_proposal.id)
        lead.checklist_line_ids.filtered("required").with_user(lead.user_id).write({"done": True})
        action = lead.with_user(lead.user_id).action_playbook_won()
        self.assertEqual(action["res_model"], "crm.lead.playbook.won")
        wizard = (
            self.env["crm.lead.playbook.won"].with_user(lead.user_id).create({"lead_ids": lead.ids})
        )
        wizard.action_apply()
        self.close_transaction()
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual(self.answers(lead).survey_id, self.quality)
        self.assertEqual(self.answers(lead).lead_stage_id, self.s_won)
        other = self.make_lead(email_from="won2@clinic.example", stage_id=self.s_proposal.id)
        other.checklist_line_ids.filtered("required").with_user(other.user_id).write({"done": True})
        self.env["crm.lead.playbook.won"].with_user(other.user_id).create(
            {"lead_ids": other.ids, "playbook_send_survey": False}
        ).action_apply()
        self.close_transaction()
        self.assertTrue(other.stage_id.is_won)
        self.assertFalse(self.answers(other))

    def test_without_survey_or_e_mail_won_is_won_at_once(self):
        lead = self.make_lead(email_from=False, stage_id=self.s_proposal.id)
        lead.checklist_line_ids.filtered("required").with_user(lead.user_id).write({"done": True})
        result = lead.with_user(lead.user_id).action_playbook_won()
        self.close_transaction()
        self.assertTrue(lead.stage_id.is_won)
        self.assertNotEqual(result and result.get("res_model"), "crm.lead.playbook.won")

    def test_losing_after_the_proposal_tells_the_head_of_sales(self):
        before = self.make_lead(name="Lost early")
        self.lose(before)
        after = self.make_lead(name="Lost after proposal", stage_id=self.s_proposal.id)
        # a salesperson without e-mail address loses it: the notice and notes still go
        after.user_id.email = False
        self.lose(after)
        notices = self.env["mail.message"].search(
            [("model", "=", "crm.lead"), ("partner_ids", "in", self.head.partner_id.ids),
             ("subject", "ilike", "Lost after the proposal")]
        )  # fmt: skip
        self.assertEqual(notices.mapped("res_id"), [after.id])
        self.assertIn("PB too expensive", notices.body)
        self.assertTrue(self.answers(after, "farewell"), "the customer gets the farewell too")

    def test_respondents_and_survey_users_do_not_set_the_lead_of_an_answer(self):
        lead = self.make_lead(email_from="x@clinic.example")
        self.lose(lead)
        answer = self.answers(lead)
        other = self.make_lead(name="Other")
        survey_user = self.env["res.users"].create(
            {"name": "Survey officer", "login": "pb_survey_user",
             "groups_id": [(6, 0, [self.env.ref("survey.group_survey_user").id])]}
        )  # fmt: skip
        for user in (self.portal, self.env.ref("base.public_user"), survey_user, self.head):
            with self.assertRaises(AccessError):
                answer.with_user(user).write({"lead_id": other.id})
        with self.assertRaises(AccessError):
            self.env["survey.user_input"].with_user(survey_user).create(
                {"survey_id": self.farewell.id, "lead_id": other.id}
            )
        self.assertEqual(answer.lead_id, lead)
        # the survey app's own write of an answer (its state) goes on
        answer.with_user(survey_user).write({"state": "done"})
        # the lead is CRM's: neither a respondent nor a survey officer without sales
        # rights reads it
        for user in (self.portal, survey_user):
            with self.assertRaises(AccessError):
                answer.with_user(user).read(["lead_id"])


class TestClosingSurveyOnce(PlaybookCase):
    """Once per lead and kind, in the database too: an answer a concurrent closing
    inserted after the check (simulated by a row written straight in SQL) is refused."""

    def test_the_database_refuses_a_second_farewell_of_a_lead(self):
        lead = self.make_lead(email_from="once@clinic.example.com")
        lead.with_user(lead.user_id).action_set_lost(lost_reason_id=self.reason.id)
        self.close_transaction()
        answer = self.answers(lead)
        self.assertEqual(len(answer), 1)
        copy = """
            INSERT INTO survey_user_input
            SELECT (jsonb_populate_record(
                        NULL::survey_user_input,
                        to_jsonb(a) || jsonb_build_object(
                            'id', nextval('survey_user_input_id_seq'),
                            'access_token', md5(random()::text))
                    )).*
              FROM survey_user_input a WHERE a.id = %s
        """
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env.cr.execute(copy, [answer.id])
        # the quality survey of the same lead, and answers without lead, are other rows
        with self.env.cr.savepoint() as savepoint:
            for changes in (
                '{"playbook_kind": "quality"}',
                '{"lead_id": null}',
                '{"lead_id": null}',
            ):
                self.env.cr.execute(
                    copy.replace("to_jsonb(a) ||", f"to_jsonb(a) || '{changes}'::jsonb ||"),
                    [answer.id],
                )
            savepoint.rollback()

    def test_a_send_meeting_the_concurrent_answer_skips_it(self):
        lead = self.make_lead(email_from="race@clinic.example.com")
        # another transaction sent the farewell after this one looked: its answer is there
        first = lead._playbook_send_survey(self.farewell, "farewell", "race@clinic.example.com")
        self.assertTrue(first)
        again = lead._playbook_send_survey(self.farewell, "farewell", "race@clinic.example.com")
        self.assertFalse(again, "skipped, no error for the closing user")
        self.assertEqual(self.answers(lead), first)
        self.assertEqual(len(self.mails_to("race@clinic.example.com")), 1)
        # and the transaction goes on
        lead.with_user(lead.user_id).action_set_lost(lost_reason_id=self.reason.id)
        self.close_transaction()
        self.assertFalse(lead.active)
        self.assertEqual(self.answers(lead), first)

    def mails_to(self, email):
        return self.env["mail.mail"].sudo().search([("email_to", "ilike", email)])
