"""The SLA check against users working at the same time (issue 15, "cron vs users").

The scheduled action must not hold the rows of a whole run: it locks a batch at a time,
leaves the records a user is editing to its next run, and commits between batches.

Two transactions at once need data both can see: the records of these tests are created
and committed in a cursor of their own (the test's transaction is invisible to any
other), and deleted again in a cleanup. The check runs in real cursors as well, where
the scheduled action commits for real.
"""

from datetime import datetime
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

LONG_AGO = datetime(2020, 1, 6, 6, 0)
# a check that would wait for the user's lock fails after this instead of hanging the run
LOCK_TIMEOUT = "5s"


# committed work in other cursors: after every module is installed, never in the middle of
# an install, whose open transaction would meet it (a serialization failure there)
@tagged("post_install", "-at_install")
class TestSlaCheckAgainstUsers(TransactionCase):
    def committed_records(self, count):
        """``count`` records past their deadline, committed; deleted after the test."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            stage = env["test.funnel.sla.stage"].create(
                {"name": "Concurrency test stage", "sla_hours": 2}
            )
            records = env["test.funnel.sla.record"].create(
                [
                    {
                        "name": f"Concurrency {index}",
                        "stage_id": stage.id,
                        "user_id": env.ref("base.user_admin").id,
                        "sla_stage_date": LONG_AGO,
                    }
                    for index in range(count)
                ]
            )
            ids, stage_id = records.ids, stage.id
        self.addCleanup(self.delete_committed, ids, stage_id)
        return ids

    def delete_committed(self, ids, stage_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # their activities and followers go with them (mail.thread's unlink)
            env["test.funnel.sla.record"].browse(ids).exists().unlink()
            env["test.funnel.sla.stage"].browse(stage_id).exists().unlink()

    def cursor_env(self, uid=SUPERUSER_ID):
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        return api.Environment(cr, uid, {})

    def committed_state(self, ids):
        """{record id: (is_stalled, number of open stall activities)} as committed."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            activity_type = env.ref("funnel_sla.mail_activity_type_sla_stalled")
            records = env["test.funnel.sla.record"].browse(ids)
            return {
                record.id: (
                    record.is_stalled,
                    env["mail.activity"].search_count(
                        [
                            ("res_model", "=", record._name),
                            ("res_id", "=", record.id),
                            ("activity_type_id", "=", activity_type.id),
                        ]
                    ),
                )
                for record in records
            }

    def test_a_record_a_user_is_editing_is_skipped_then_flagged_next_run(self):
        ids = self.committed_records(3)
        busy = ids[1]
        # a user is saving the second record: their transaction holds its row
        user_env = self.cursor_env(self.env.ref("base.user_admin").id)
        user_env["test.funnel.sla.record"].browse(busy).write({"name": "Being edited"})
        user_env.flush_all()

        cron_env = self.cursor_env()
        cron_env.cr.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        stats = cron_env["test.funnel.sla.record"]._sla_check()
        cron_env.cr.commit()
        self.assertEqual(stats["stalled"], (2, 0), "no record failed: the busy one waits")
        self.assertEqual(stats["skipped"], 1)
        state = self.committed_state(ids)
        self.assertEqual(state[busy], (False, 0), "left alone while the user holds it")
        self.assertEqual(
            [state[record_id] for record_id in ids if record_id != busy], [(True, 1)] * 2
        )

        # the user saves; the next run flags it, and only it
        user_env.cr.commit()
        cron_env.cr.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        stats = cron_env["test.funnel.sla.record"]._sla_check()
        cron_env.cr.commit()
        self.assertEqual(stats["stalled"], (1, 0))
        self.assertEqual(stats["skipped"], 0)
        self.assertEqual(self.committed_state(ids), dict.fromkeys(ids, (True, 1)))

    def test_a_record_changed_after_the_search_is_read_again_before_it_is_flagged(self):
        """The scheduled action searches once, then commits batch by batch: a record a
        user moved on in between must not be flagged on what the search saw."""
        ids = self.committed_records(2)
        moved = ids[1]
        cron_env = self.cursor_env()
        Mixin = cron_env["funnel.sla.mixin"]
        original = type(Mixin)._sla_commit_batch
        moved_on = []

        def commit_then_user_moves_the_record(mixin, handled, remaining, auto_commit):
            original(mixin, handled, remaining, auto_commit)
            if handled == 1 and not moved_on:
                # after the first batch: the user saves the other record with a new start
                with self.registry.cursor() as user_cr:
                    env = api.Environment(user_cr, SUPERUSER_ID, {})
                    env["test.funnel.sla.record"].browse(moved).write(
                        {"sla_stage_date": datetime(2099, 1, 5, 6, 0)}
                    )
                moved_on.append(moved)

        with patch.object(type(Mixin), "_sla_commit_batch", commit_then_user_moves_the_record):
            stats, _handled = Mixin._sla_cron_check_model(
                "test.funnel.sla.record", 1, auto_commit=True
            )
        cron_env.cr.commit()
        self.assertEqual(moved_on, [moved])
        self.assertEqual(stats["stalled"], (1, 0))
        self.assertEqual(self.committed_state(ids), {ids[0]: (True, 1), moved: (False, 0)})

    def test_the_scheduled_action_commits_each_batch(self):
        """Run as the scheduled action runs it (outside a test transaction, committing),
        each batch of two is its own transaction: the rows of a batch are released when
        it ends, not when the run does."""
        ids = self.committed_records(5)
        cron_env = self.cursor_env()
        stats, handled = cron_env["funnel.sla.mixin"]._sla_cron_check_model(
            "test.funnel.sla.record", 2, auto_commit=True
        )
        cron_env.cr.commit()
        self.assertEqual(stats["stalled"], (5, 0))
        self.assertEqual(handled, 5)
        self.assertEqual(self.committed_state(ids), dict.fromkeys(ids, (True, 1)))
        # the transaction that last wrote each row (xmin): one per batch
        cron_env.cr.execute(
            "SELECT id, xmin::text FROM test_funnel_sla_record WHERE id IN %s ORDER BY id",
            [tuple(ids)],
        )
        writers = dict(cron_env.cr.fetchall())
        batches = [ids[0:2], ids[2:4], ids[4:]]
        self.assertEqual(
            [len({writers[record_id] for record_id in batch}) for batch in batches], [1, 1, 1]
        )
        self.assertEqual(len({writers[batch[0]] for batch in batches}), 3)


class TestSlaCronBatches(TransactionCase):
    """Inside a test the scheduled action commits nothing (the test's transaction must
    stay whole), but it reaches the point where it would commit after every batch."""

    def test_the_scheduled_action_reaches_a_commit_point_after_each_batch(self):
        stage = self.env["test.funnel.sla.stage"].create({"name": "Batches", "sla_hours": 2})
        records = self.env["test.funnel.sla.record"].create(
            [
                {"name": f"Batch {index}", "stage_id": stage.id, "sla_stage_date": LONG_AGO}
                for index in range(5)
            ]
        )
        Mixin = self.env["funnel.sla.mixin"]
        original = type(Mixin)._sla_commit_batch
        points = []

        def observe(mixin, handled, remaining, auto_commit):
            flagged = records.filtered("is_stalled").ids
            points.append((handled, remaining, auto_commit, flagged))
            return original(mixin, handled, remaining, auto_commit)

        with patch.object(type(Mixin), "_sla_commit_batch", observe):
            Mixin._cron_check_sla(batch_size=2)
            ids = records.ids
            self.assertTrue(points)
            self.assertFalse(any(auto_commit for _h, _r, auto_commit, _f in points))
            # the other models using the mixin (orders, claims) may pass commit points
            # of their own first; ours: after the search, then after each batch
            first = next(n for n, point in enumerate(points) if point[3])
            self.assertEqual(
                [(remaining, flagged) for _h, remaining, _a, flagged in points[first - 1 :]],
                [(5, []), (3, ids[:2]), (1, ids[:4]), (0, ids)],
            )
            # a user's (or a test's) direct check never reaches a commit point
            points.clear()
            records.write({"is_stalled": False})
            self.env["mail.activity"].search(
                [("res_model", "=", records._name), ("res_id", "in", records.ids)]
            ).unlink()
            stats = self.env["test.funnel.sla.record"]._sla_check(batch_size=2)
            self.assertEqual(stats["stalled"], (5, 0))
            self.assertEqual(points, [])
