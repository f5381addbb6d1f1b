from odoo import models
from odoo.modules.migration import load_script
from odoo.tools.misc import file_path

from .common import ProductionFunnelCase

# underscore methods of BaseModel that core documents as extension points
EXTENSION_POINTS = {"_compute_display_name", "_search_display_name"}
MIGRATION = "production_funnel/migrations/18.0.1.3.0/%s-migrate.py"
OLD_CRON = "production_funnel.ir_cron_refresh_planned_load"


class RollbackError(Exception):
    pass


class TestPublicOrmOnly(ProductionFunnelCase):
    def test_no_private_method_of_the_orm_is_overridden(self):
        """The module's models extend the ORM through create/write/unlink, computed
        fields and documented hooks: none of its classes defines an underscore method of
        BaseModel or mail.thread (the ORM's private write, search and fetch steps)."""
        thread = type(self.env["mail.thread"])
        offenders = []
        for model_name in self.env.registry:
            for cls in type(self.env[model_name]).__mro__:
                if not cls.__module__.startswith("odoo.addons.production_funnel."):
                    continue
                for name, value in vars(cls).items():
                    if (
                        name.startswith("_")
                        and not name.startswith("__")
                        and callable(value)
                        and (hasattr(models.BaseModel, name) or hasattr(thread, name))
                        and name not in EXTENSION_POINTS
                    ):
                        offenders.append(f"{cls.__module__}: {name}")
        self.assertEqual(sorted(set(offenders)), [])

    def test_no_scheduled_action_keeps_the_load_current(self):
        # the work orders' load fields are kept by the ORM: nothing to recompute daily
        self.assertFalse(self.env.ref(OLD_CRON, raise_if_not_found=False))
        self.assertFalse(
            self.env["ir.cron"]
            .with_context(active_test=False)
            .search([("model_id.model", "=", "production.line.load")])
        )


class TestMigration(ProductionFunnelCase):
    def test_update_from_1_2_drops_the_table_function_and_daily_action(self):
        """An update from 18.0.1.2.0 drops the stored planned hours' table and SQL
        function, and removes the daily action (noupdate data an update leaves alone)."""
        pre = load_script(file_path(MIGRATION % "pre"), "production_funnel_pre_1_3")
        post = load_script(file_path(MIGRATION % "post"), "production_funnel_post_1_3")

        def leftovers():
            self.env.cr.execute(
                """
                SELECT (SELECT COUNT(*) FROM pg_tables
                         WHERE tablename = 'production_line_load_day'),
                       (SELECT COUNT(*) FROM pg_proc
                         WHERE proname = 'production_line_load_planned')
                """
            )
            return self.env.cr.fetchone()

        with self.assertRaises(RollbackError), self.env.cr.savepoint():
            # what 18.0.1.2.0 left in the database
            self.env.cr.execute(
                """
                CREATE TABLE production_line_load_day (
                    line_id integer NOT NULL REFERENCES production_line (id) ON DELETE CASCADE,
                    date date NOT NULL,
                    hours double precision NOT NULL,
                    PRIMARY KEY (line_id, date)
                );
                CREATE FUNCTION production_line_load_planned(line_ids integer[])
                RETURNS TABLE (line_id integer, date date, hours double precision)
                LANGUAGE sql STABLE AS 'SELECT line_id, date, hours FROM production_line_load_day';
                """
            )
            cron = self.env["ir.cron"].create(
                {
                    "name": "Production Funnel: recompute the planned load of every line",
                    "model_id": self.env["ir.model"]._get_id("production.line.load"),
                    "state": "code",
                    "code": "model._cron_refresh_planned()",
                }
            )
            action = cron.ir_actions_server_id
            self.env["ir.model.data"].create(
                {
                    "module": "production_funnel",
                    "name": "ir_cron_refresh_planned_load",
                    "model": "ir.cron",
                    "res_id": cron.id,
                    "noupdate": True,
                }
            )
            self.assertEqual(leftovers(), (1, 1))
            pre.migrate(self.env.cr, "18.0.1.2.0")
            self.assertEqual(leftovers(), (0, 0))
            post.migrate(self.env.cr, "18.0.1.2.0")
            self.env.invalidate_all()
            self.assertFalse(cron.exists())
            self.assertFalse(action.exists())
            self.assertFalse(self.env.ref(OLD_CRON, raise_if_not_found=False))
            raise RollbackError
