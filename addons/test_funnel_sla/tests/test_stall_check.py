import json
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import Form, new_test_user

from odoo.addons.bus.models.bus import channel_with_db, json_dump

from .common import FunnelSlaCase


class TestStallCheck(FunnelSlaCase):
    def check(self, **kwargs):
        return self.Record._sla_check(**kwargs)

    def test_overdue_record_is_flagged_with_one_activity_for_the_responsible(self):
        late = self.make("Late", sla_stage_date=self.long_ago)
        fresh = self.make("Fresh", sla_stage_date=datetime(2099, 1, 5, 6, 0))
        stats = self.check()
        self.assertEqual(stats["stalled"], (1, 0))
        self.assertTrue(late.is_stalled)
        self.assertFalse(fresh.is_stalled)
        activity = self.sla_activities(late)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user)
        self.assertIn("New", activity.summary)
        self.assertFalse(self.sla_activities(fresh))

    def test_no_second_activity_while_the_first_is_open(self):
        late = self.make("Late", sla_stage_date=self.long_ago)
        self.check()
        self.check()
        self.assertEqual(len(self.sla_activities(late)), 1)
        # even if the flag was cleared by hand, the open activity prevents a second one
        late.write({"is_stalled": False})
        self.check()
        self.assertEqual(len(self.sla_activities(late)), 1)
        self.assertTrue(late.is_stalled)

    def test_done_activity_is_not_repeated_for_the_same_stall(self):
        late = self.make("Late", sla_stage_date=self.long_ago)
        self.check()
        self.sla_activities(late).action_feedback(feedback="Called the customer")
        self.check()
        self.assertFalse(self.sla_activities(late), "one activity per stall, not per run")

    def test_leaving_the_stage_closes_the_activity_and_a_new_stall_gets_a_new_one(self):
        late = self.make("Late", sla_stage_date=self.long_ago)
        self.check()
        self.assertEqual(len(self.sla_activities(late)), 1)
        late.with_user(self.other_user).stage_id = self.stage_work
        self.assertFalse(late.is_stalled)
        self.assertFalse(self.sla_activities(late), "the reminder ended with the stall")
        self.assertTrue(
            late.message_ids.filtered(lambda m: "left the stage" in (m.body or "")),
            "the closed reminder is in the chatter",
        )
        late.write({"sla_stage_date": self.long_ago})
        self.check()
        self.assertTrue(late.is_stalled)
        activity = self.sla_activities(late)
        self.assertEqual(len(activity), 1)
        self.assertIn("In progress", activity.summary)

    def test_record_without_responsible_goes_to_its_creator(self):
        record = self.Record.with_user(self.other_user).create(
            {"name": "Orphan", "stage_id": self.stage_new.id, "sla_stage_date": self.long_ago}
        )
        self.check()
        self.assertEqual(self.sla_activities(record).user_id, self.other_user)

    def test_stage_without_sla_never_stalls(self):
        record = self.make("Done", stage_id=self.stage_done.id, sla_stage_date=self.long_ago)
        self.check()
        self.assertFalse(record.is_stalled)

    def test_raising_the_sla_unflags_recovered_records(self):
        late = self.make("Late", sla_stage_date=datetime(2026, 11, 16, 6, 0))
        self.check()
        self.assertTrue(late.is_stalled)
        self.stage_new.sla_hours = 100000
        stats = self.check()
        self.assertFalse(late.is_stalled)
        self.assertEqual(stats["recovered"], 1)

    def test_batches_cover_every_record(self):
        records = self.Record
        for index in range(7):
            records |= self.make(f"Late {index}", sla_stage_date=self.long_ago)
        stats = self.check(batch_size=2)
        self.assertEqual(stats["stalled"], (7, 0))
        self.assertTrue(all(records.mapped("is_stalled")))
        self.assertEqual(len(self.sla_activities(records)), 7)

    def test_one_bad_record_is_logged_and_skipped(self):
        records = self.Record
        for index in range(5):
            records |= self.make(f"Late {index}", sla_stage_date=self.long_ago)
        bad = records[2]
        original = type(self.Record)._sla_stalled_activity_values

        def failing(record, *args, **kwargs):
            if record.id == bad.id:
                raise ValueError("broken record")
            return original(record, *args, **kwargs)

        with (
            patch.object(type(self.Record), "_sla_stalled_activity_values", failing),
            self.assertLogs("odoo.addons.funnel_sla.models.funnel_sla_mixin", "ERROR") as logs,
        ):
            stats = self.check(batch_size=10)
        self.assertEqual(stats["stalled"], (4, 1))
        self.assertIn(f"({bad.id})", logs.output[0])
        self.assertFalse(bad.is_stalled, "the bad record is left as it was")
        self.assertFalse(self.sla_activities(bad))
        good = records - bad
        self.assertTrue(all(good.mapped("is_stalled")))
        self.assertEqual(len(self.sla_activities(good)), 4)
        # the next run picks it up once it is fixed
        stats = self.check()
        self.assertEqual(stats["stalled"], (1, 0))
        self.assertTrue(bad.is_stalled)

    def test_escalation_goes_once_to_the_team_leader(self):
        late = self.make("Late", sla_stage_date=self.long_ago, manager_id=self.manager.id)
        self.check()
        self.check()
        self.assertTrue(late.is_sla_escalated)
        escalation = self.sla_activities(late, self.escalation_type)
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.user_id, self.manager)
        self.assertEqual(len(self.sla_activities(late)), 1, "and the stall activity stays single")

    def test_escalations_of_one_run_reach_the_team_leader_in_one_notification(self):
        late = self.env["test.funnel.sla.record"]
        for name in ("Late A", "Late B", "Late C"):
            late |= self.make(name, sla_stage_date=self.long_ago, manager_id=self.manager.id)
        Message = self.env["mail.message"]
        before = Message.search([("partner_ids", "in", self.manager.partner_id.ids)])
        self.check()  # stalls and escalates at once: both deadlines are long past
        self.check()
        self.assertTrue(all(late.mapped("is_sla_escalated")))
        self.assertEqual(len(self.sla_activities(late, self.escalation_type)), 3)
        told = Message.search([("partner_ids", "in", self.manager.partner_id.ids)]) - before
        self.assertEqual(len(told), 1, "one notification for the three escalations")
        for record in late:
            self.assertIn(record.display_name, told.body)
        self.assertIn("3", told.subject)

    def test_no_escalation_before_its_deadline(self):
        # deadline passed, escalation deadline in the future
        record = self.make(
            "Recent", sla_stage_date=datetime(2026, 11, 16, 6, 0), manager_id=self.manager.id
        )
        record.stage_id.sla_escalation_hours = 100000
        self.check()
        self.assertTrue(record.is_stalled)
        self.assertFalse(record.is_sla_escalated)
        self.assertFalse(self.sla_activities(record, self.escalation_type))

    def test_scheduled_action_runs_the_check(self):
        late = self.make("Late", sla_stage_date=self.long_ago)
        cron = self.env.ref("funnel_sla.ir_cron_funnel_sla_check")
        self.assertEqual(cron.model_id.model, "funnel.sla.mixin")
        cron.method_direct_trigger()
        self.assertTrue(late.is_stalled)
        self.assertEqual(len(self.sla_activities(late)), 1)

    def test_form_statusbar_move_resets_the_stall(self):
        late = self.make("Late", sla_stage_date=self.long_ago)
        self.check()
        with Form(late) as form:
            form.stage_id = self.stage_work
        self.assertFalse(late.is_stalled)
        self.assertEqual(late.stage_id, self.stage_work)

    def test_responsibles_follow_their_own_records(self):
        mine = self.make("Mine", sla_stage_date=self.long_ago)
        theirs = self.make("Theirs", sla_stage_date=self.long_ago, user_id=self.other_user.id)
        led = self.make(
            "Led",
            sla_stage_date=self.long_ago,
            user_id=self.other_user.id,
            manager_id=self.manager.id,
        )
        # a follower already in place keeps the notes-only subscription they chose
        note = self.env.ref("mail.mt_note")
        mine.message_subscribe(partner_ids=self.user.partner_id.ids, subtype_ids=note.ids)
        self.check()
        self.assertTrue(all((mine | theirs | led).mapped("is_stalled")))
        self.assertIn(self.user.partner_id, mine.message_partner_ids)
        self.assertNotIn(self.user.partner_id, (theirs | led).message_partner_ids)
        self.assertIn(self.other_user.partner_id, theirs.message_partner_ids)
        self.assertNotIn(self.other_user.partner_id, mine.message_partner_ids)
        self.assertIn(self.manager.partner_id, led.message_partner_ids, "the escalation's user")
        followers = self.env["mail.followers"].search(
            [
                ("res_model", "=", self.Record._name),
                ("res_id", "=", mine.id),
                ("partner_id", "=", self.user.partner_id.id),
            ]
        )
        self.assertEqual(followers.subtype_ids, note, "an existing subscription is left as is")
        new = theirs.message_follower_ids.filtered(
            lambda f: f.partner_id == self.other_user.partner_id
        )
        self.assertEqual(
            new.subtype_ids,
            self.env["mail.message.subtype"].default_subtypes(self.Record._name)[0],
            "a new follower gets the default subtypes, as message_subscribe gives them",
        )

    def test_the_models_own_follower_policy_holds(self):
        """The activities' users are subscribed by core's create through
        ``message_subscribe``, the extension point of a model's follower policy (the test
        model subscribes nobody to a confidential record); the check goes around it no
        more."""
        secret = self.make(
            "Secret", sla_stage_date=self.long_ago, manager_id=self.manager.id, confidential=True
        )
        self.check()
        self.assertTrue(secret.is_sla_escalated)
        self.assertEqual(self.sla_activities(secret, self.escalation_type).user_id, self.manager)
        self.assertNotIn(self.manager.partner_id, secret.message_partner_ids)

    def test_activity_texts_in_the_language_and_time_zone_of_their_reader(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(["funnel_sla"], ["ru_RU"], overwrite=True)
        self.user.write({"lang": "ru_RU", "tz": "Europe/Moscow"})
        self.manager.write({"lang": "ru_RU", "tz": "Europe/Moscow"})
        self.other_user.write({"lang": "en_US", "tz": "UTC"})
        russian = self.make("Russian", sla_stage_date=self.long_ago, manager_id=self.manager.id)
        english = self.make("English", sla_stage_date=self.long_ago, user_id=self.other_user.id)
        Message = self.env["mail.message"]
        before = Message.search([("partner_ids", "in", self.manager.partner_id.ids)])
        # as the scheduled action runs it: OdooBot, in English
        self.Record.with_context(lang="en_US", tz="UTC")._sla_check()
        activity = self.sla_activities(russian)
        self.assertEqual(activity.summary, "Зависание на этапе New")
        # entered the stage at 06:00 UTC, 09:00 in Moscow
        self.assertIn(
            "На этапе New с 6 янв. 2020 г., 09:00:00; срок SLA (4 раб. ч) истёк", activity.note
        )
        activity = self.sla_activities(english)
        self.assertEqual(activity.summary, "Stalled in stage New")
        self.assertIn("In stage New since Jan 6, 2020, 6:00:00", activity.note)
        self.assertIn("the SLA of 4 working hours ended on Jan 6, 2020, 10:00:00", activity.note)
        escalation = self.sla_activities(russian, self.escalation_type)
        self.assertTrue(escalation.summary.startswith("Эскалация"), escalation.summary)
        told = Message.search([("partner_ids", "in", self.manager.partner_id.ids)]) - before
        self.assertTrue(told.subject.startswith("Эскалация"), told.subject)

    def test_a_reader_without_time_zone_reads_the_calendar_times(self):
        self.user.write({"lang": "en_US", "tz": False})
        late = self.make("Late", sla_stage_date=self.long_ago)
        self.check()
        # entered the stage at 06:00 UTC: 9:00 in the Moscow calendar the SLA counts in
        self.assertIn("In stage New since Jan 6, 2020, 9:00:00", self.sla_activities(late).note)

    def test_the_due_date_is_the_readers_today(self):
        self.user.tz = "Europe/Moscow"
        self.other_user.tz = "UTC"
        moscow = self.make("Moscow", sla_stage_date=self.long_ago)
        london = self.make("UTC", sla_stage_date=self.long_ago, user_id=self.other_user.id)
        # 22:30 UTC on 30 November is already 1 December in Moscow
        with freeze_time("2026-11-30 22:30:00"):
            self.Record.with_context(tz="UTC")._sla_check()
        self.assertEqual(self.sla_activities(moscow).date_deadline, date(2026, 12, 1))
        self.assertEqual(self.sla_activities(london).date_deadline, date(2026, 11, 30))

    def test_every_responsible_hears_of_the_new_activity_on_the_bus(self):
        """The web client of each responsible refreshes its activity counter: one
        "mail.activity/updated" notification per user, however many activities one run
        gives them (core's create of a batch tells only the user of its last activity)."""
        third = new_test_user(self.env, login="sla_third", groups="base.group_user")
        records = (
            self.make("Mine", sla_stage_date=self.long_ago)
            | self.make("Mine too", sla_stage_date=self.long_ago)
            | self.make("Theirs", sla_stage_date=self.long_ago, user_id=self.other_user.id)
            | self.make("Third's", sla_stage_date=self.long_ago, user_id=third.id)
        )
        self.env.cr.precommit.run()
        self.env["bus.bus"].sudo().search([]).unlink()
        records._sla_flag_stalled()
        self.env.cr.precommit.run()  # the bus notifications are written before commit
        for user in self.user | self.other_user | third:
            channel = json_dump(channel_with_db(self.env.cr.dbname, user.partner_id))
            notifications = self.env["bus.bus"].sudo().search([("channel", "=", channel)])
            self.assertEqual(
                [json.loads(n.message)["type"] for n in notifications],
                ["mail.activity/updated"],
                user.login,
            )

    def test_core_create_of_a_batch_tells_only_its_last_user_on_the_bus(self):
        """Why the check creates its activities one create per user (readme, "Odoo's
        activity notification"): core's ``mail.activity`` create (18.0) sends its
        "mail.activity/updated" notification once, to the user of the last activity it
        created. When this test fails, core tells every user and the check may create
        its activities in one create again."""
        records = self.make("Mine", sla_stage_date=self.long_ago) | self.make(
            "Theirs", sla_stage_date=self.long_ago, user_id=self.other_user.id
        )
        model_id = self.env["ir.model"]._get_id(self.Record._name)
        self.env.cr.precommit.run()
        self.env["bus.bus"].sudo().search([]).unlink()
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [record._sla_stalled_activity_values(self.stalled_type, model_id) for record in records]
        )
        self.env.cr.precommit.run()
        told = {}
        for user in self.user | self.other_user:
            channel = json_dump(channel_with_db(self.env.cr.dbname, user.partner_id))
            told[user.login] = self.env["bus.bus"].sudo().search_count([("channel", "=", channel)])
        self.assertEqual(told, {"sla_user": 0, "sla_other": 1})
