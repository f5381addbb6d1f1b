"""18.0.1.3.0: the planned hours of the load report are no longer kept in a table of
the module's own, filled by an SQL function: the work orders carry what they put on
the report (stored fields the ORM computes at the update). Drop the table, the function
and the report's view built on them (the view is rebuilt from the new fields)."""

from odoo.tools import SQL

OLD_TABLE = "production_line_load_day"
OLD_FUNCTION = "production_line_load_planned"


def drop_planned_store(cr):
    cr.execute(SQL("DROP VIEW IF EXISTS %s", SQL.identifier("production_line_load")))
    cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(OLD_TABLE)))
    cr.execute(SQL("DROP FUNCTION IF EXISTS %s(integer[])", SQL.identifier(OLD_FUNCTION)))


def migrate(cr, version):
    if version:
        drop_planned_store(cr)
