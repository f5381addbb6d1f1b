"""What the database itself guarantees (issue 15): uniqueness that holds between two
saves at the same moment, duplicate detection that never fails a concurrent save and
still finds every pair, and an uninstall that leaves nothing behind."""

import importlib.util
import json
import logging

from psycopg2 import errors

from odoo.exceptions import ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger
from odoo.tools.sql import index_exists, table_exists

from ..hooks import CORE_TABLE_INDEXES, uninstall_hook
from ..models.customer_need import RECHECK_DETECTION
from .common import NeedsCase


@tagged("post_install", "-at_install")
class TestSecurityUniqueness(NeedsCase):
    """A duplicate the Python check cannot see (a concurrent transaction, simulated by
    a row written straight in SQL) is refused by the database."""

    def _copy_row(self, table, record_id, **changes):
        """Insert a copy of a row under a new id, as another transaction would."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO %(table)s
            SELECT (jsonb_populate_record(
                        NULL::%(table)s,
                        to_jsonb(t) || jsonb_build_object('id', nextval(%(sequence)s))
                                    || %(changes)s::jsonb)).*
              FROM %(table)s t WHERE t.id = %(id)s
            """,
                table=SQL.identifier(table),
                sequence=f"{table}_id_seq",
                changes=json.dumps(changes),
                id=record_id,
            )
        )

    def assertRowRefused(self, table, record_id, **changes):
        with self.assertRaises(errors.UniqueViolation), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self._copy_row(table, record_id, **changes)

    def assertRowAccepted(self, table, record_id, **changes):
        with self.env.cr.savepoint() as savepoint:
            self._copy_row(table, record_id, **changes)
            savepoint.rollback()

    def test_one_company_per_vat_in_the_database(self):
        company = self.env["res.partner"].create(
            {"name": "ООО «Ромашка»", "is_company": True, "vat": "7701234567"}
        )
        self.assertEqual(company.normalized_vat, "7701234567")
        self.assertRowRefused("res_partner", company.id, name="Romashka twin")
        self.assertRowRefused("res_partner", company.id, vat="77 01234567", active=False)
        # a contact of the company carries its VAT: no duplicate, nor a private person
        self.assertRowAccepted("res_partner", company.id, parent_id=company.id)
        self.assertRowAccepted("res_partner", company.id, is_company=False)
        self.assertRowAccepted(
            "res_partner", company.id, vat="7709999999", normalized_vat="7709999999"
        )

    def test_the_orm_names_the_vat_clash_the_python_check_missed(self):
        """A company saved with '77-012-34567' holds '7701234567' once normalized, which
        a search on the VAT as typed did not find: the check compares what the index
        compares, before the database refuses it, and names the company."""
        self.env["res.partner"].create(
            {"name": "ООО «Ромашка»", "is_company": True, "vat": "77-012-34567"}
        )
        with self.assertRefused(ValidationError, "7701234567 of Romashka LLC.*ООО «Ромашка»"):
            self.env["res.partner"].create(
                {"name": "Romashka LLC", "is_company": True, "vat": "7701234567"}
            )
        other = self.env["res.partner"].create(
            {"name": "Other", "is_company": True, "vat": "7709999999"}
        )
        with self.assertRefused(ValidationError, "ООО «Ромашка»"):
            other.vat = "77.0123.4567"
        with self.assertRefused(ValidationError, "ООО «Ромашка»"):
            self.env["res.partner"].create(
                {"name": "Romashka form", "company_type": "company", "vat": "7701234567"}
            )
        self.assertEqual(other.vat, "7709999999")
        self.assertFalse(
            self.env["res.partner"].search([("name", "in", ["Romashka LLC", "Romashka form"])])
        )

    def test_one_external_code_per_company_in_the_database(self):
        shared = self.p1.product_tmpl_id
        self.assertFalse(shared.company_id)
        self.assertRowRefused("product_template", shared.id, name="Twin")
        self.assertRowRefused("product_template", shared.id, active=False)
        own = self.p2.product_tmpl_id
        own.company_id = self.env.company
        self.assertRowRefused("product_template", own.id, name="Twin")
        other_company = self.env["res.company"].create({"name": "Catalog Co B"})
        self.assertRowAccepted("product_template", own.id, company_id=other_company.id)
        self.assertRowAccepted("product_template", own.id, external_code="T-999")

    def test_the_orm_names_the_external_code_clash(self):
        with self.assertRefused(ValidationError, "T-001 is already used by the product"):
            self.env["product.product"].create({"name": "Clash", "external_code": "T-001"})
        with self.assertRefused(ValidationError, "T-001 is already used by the product"):
            self.p2.product_tmpl_id.external_code = "T-001"
        self.assertEqual(self.p2.product_tmpl_id.external_code, "T-002")


@tagged("post_install", "-at_install")
class TestSecurityConcurrentDetection(NeedsCase):
    """Saves never wait on, nor fail over, a shared row; pairs a save could not see are
    found after commit."""

    def _forget_pair(self, *needs):
        """What two saves at the same moment leave: neither saw the other."""
        matches = self.env["customer.need.match"].search([("need_id", "in", [n.id for n in needs])])
        matches.unlink()
        self._activities(*needs).unlink()

    def _activities(self, *needs):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "customer.need"),
                ("res_id", "in", [n.id for n in needs]),
                ("summary", "ilike", "Possible duplicate need"),
            ]
        )

    def _enter_test_mode(self):
        """Let registry.cursor() open a cursor inside this test's transaction."""
        self.env.flush_all()
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)

    def test_no_lock_table_no_shared_row(self):
        self.assertFalse(table_exists(self.env.cr, "customer_need_detection_lock"))
        sequence = self.env.ref("needs_registry.seq_customer_need")
        self.assertEqual(sequence.implementation, "standard", "a PostgreSQL sequence, no row")

    def test_a_pair_created_by_a_concurrent_save_is_skipped(self):
        first = self.make_need(self.p1 | self.p2, user=self.manager_1)
        second = self.make_need(self.p1 | self.p2, user=self.manager_2)
        _lead, order = self.make_deal(self.p7, user=self.head)
        self.assertEqual(first.match_ids.matched_need_id, second)
        Match = self.env["customer.need.match"].sudo()
        count = Match.search_count([])
        activities = self._activities(first, second)
        # the detection of `first` did not see the pair (a concurrent save created it
        # after its snapshot) and creates it again, with a pair of its own
        vals = {"score": 1.0, "match_type": "exact"}
        # (no "bad query" error in the log either: the suite fails on any)
        with self.assertLogs("odoo.addons.needs_registry", logging.INFO) as logs:
            created = Match._create_pairs(
                [
                    [
                        dict(vals, need_id=second.id, matched_need_id=first.id),
                        dict(vals, need_id=first.id, matched_need_id=second.id),
                    ],
                    [dict(vals, need_id=first.id, matched_order_id=order.id)],
                ]
            )
        self.assertIn("created by a concurrent save, skipped", "\n".join(logs.output))
        self.assertEqual(created.matched_order_id, order)
        self.assertEqual(Match.search_count([]), count + 1)
        self.assertEqual(self._activities(first, second), activities, "no second notice")
        # and the transaction goes on: the next save detects as usual
        third = self.make_need(self.p1 | self.p2, user=self.manager_1)
        self.assertEqual(third.match_ids.matched_need_id, first | second)

    def test_a_save_schedules_its_recheck_after_commit(self):
        need = self.make_need(self.p3 | self.p4, user=self.manager_2)
        batches = self.env.cr.postcommit.data[RECHECK_DETECTION]
        self.assertIn(need.id, batches[(self.manager_2.id, self.env.lang)])
        line = need.line_ids[0]
        del batches[(self.manager_2.id, self.env.lang)]
        line.with_user(self.manager_2).write({"product_id": self.p5.id})
        self.env.cr.flush()
        self.assertIn(need.id, batches[(self.manager_2.id, self.env.lang)])

    def test_the_recheck_after_commit_finds_the_pair_both_saves_missed(self):
        first = self.make_need(self.p1 | self.p2 | self.p3, user=self.manager_1)
        second = self.make_need(self.p1 | self.p2 | self.p3, user=self.manager_2)
        self._forget_pair(first, second)
        self.assertFalse(first.match_ids | second.match_ids)
        self._enter_test_mode()
        # the post-commit callback of the second save: a new cursor, the saver's uid
        self.assertTrue(
            self.env["customer.need"]._recheck_in_new_cursor(
                self.manager_2.id, "en_US", [second.id]
            )
        )
        self.env.invalidate_all()
        self.assertEqual(second.match_ids.matched_need_id, first)
        self.assertEqual(first.match_ids.matched_need_id, second)
        self.assertEqual(
            self._activities(first, second).user_id,
            self.manager_1
            | self.manager_2
            | self.head
            | self.other_heads.filtered(
                lambda u: u.active and not u.share and self.env.company in u.company_ids
            ),
        )
        # run again (the first save's re-check): nothing new, no second notice
        activities = self._activities(first, second)
        self.assertTrue(
            self.env["customer.need"]._recheck_in_new_cursor(
                self.manager_1.id, "en_US", [first.id, second.id]
            )
        )
        self.env.invalidate_all()
        self.assertEqual(len(first.match_ids | second.match_ids), 2)
        self.assertEqual(self._activities(first, second), activities)

    def test_the_recheck_after_commit_never_fails_the_saver(self):
        """The saver's transaction is committed: a re-check that fails is logged and
        rolled back, the call returns normally."""
        first = self.make_need(self.p4 | self.p5, user=self.manager_1)
        second = self.make_need(self.p4 | self.p5, user=self.manager_2)
        self._forget_pair(first, second)
        gone = self.make_need(self.p6, user=self.manager_1)
        gone_id = gone.id
        gone.sudo().unlink()
        self._enter_test_mode()
        self.assertTrue(
            self.env["customer.need"]._recheck_in_new_cursor(self.manager_1.id, None, [gone_id])
        )
        # a saver who no longer exists cannot author the matches: the re-check fails
        ghost = self.env["res.users"].search([], order="id desc", limit=1).id + 1000
        with (
            self.assertLogs("odoo.addons.needs_registry", logging.ERROR) as logs,
            mute_logger("odoo.sql_db"),
        ):
            self.assertFalse(
                self.env["customer.need"]._recheck_in_new_cursor(ghost, None, [second.id])
            )
        self.assertIn("Duplicate re-check of needs", logs.output[0])
        self.env.invalidate_all()
        self.assertFalse(first.match_ids | second.match_ids, "rolled back")


@tagged("post_install", "-at_install")
class TestSecurityUninstall(NeedsCase):
    def test_uninstall_hook_drops_what_the_addon_created_on_core_tables(self):
        cr = self.env.cr
        for index in CORE_TABLE_INDEXES:
            self.assertTrue(index_exists(cr, index), index)
        savepoint = cr.savepoint()
        try:
            cr.execute(SQL("CREATE TABLE customer_need_detection_lock (product_id int)"))
            uninstall_hook(self.env)
            for index in CORE_TABLE_INDEXES:
                self.assertFalse(index_exists(cr, index), index)
            self.assertFalse(table_exists(cr, "customer_need_detection_lock"))
        finally:
            savepoint.close(rollback=True)
        self.assertTrue(index_exists(cr, CORE_TABLE_INDEXES[0]))

    def test_the_upgrade_drops_the_lock_table(self):
        path = f"{get_module_path('needs_registry')}/migrations/18.0.1.1.0/post-migrate.py"
        spec = importlib.util.spec_from_file_location("needs_registry_post_migrate", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        cr = self.env.cr
        savepoint = cr.savepoint()
        try:
            cr.execute(
                SQL(
                    "CREATE TABLE customer_need_detection_lock "
                    "(product_id int PRIMARY KEY, bumped_at timestamp)"
                )
            )
            migration.migrate(cr, "18.0.1.0.0")
            self.assertFalse(table_exists(cr, "customer_need_detection_lock"))
        finally:
            savepoint.close(rollback=True)
