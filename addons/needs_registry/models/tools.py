"""Database uniqueness the business relies on, and its readable errors."""

import logging
import threading
from contextlib import contextmanager

from psycopg2 import errors

from odoo.tools import SQL
from odoo.tools.sql import index_exists

_logger = logging.getLogger(__name__)
_expecting = threading.local()


class _ExpectedViolationFilter(logging.Filter):
    """Keeps out of the log the failed statement of a block run under
    ``expected_sql_error`` (in this thread only: the SQL errors of other threads, and of
    this one outside such a block, are logged as ever)."""

    def filter(self, record):
        return not getattr(_expecting, "active", False)


logging.getLogger("odoo.sql_db").addFilter(_ExpectedViolationFilter())


@contextmanager
def expected_sql_error():
    """A block whose statement may fail on a constraint, which the caller handles: a
    concurrent save inserted the same row first. Unlike ``mute_logger``, which swaps
    the logger's handlers for every thread, this leaves the other threads' errors alone.
    """
    _expecting.active = True
    try:
        yield
    finally:
        _expecting.active = False


def create_unique_index(cr, name, table, columns, where):
    """Create the partial unique index ``name`` on ``table`` (``columns`` and ``where``
    are SQL) unless it exists.

    Rows that already break the rule would make the creation fail the install: they are
    logged instead (the Python checks still refuse new clashes), and the index is
    created by the next update once they are merged. Return whether the index exists.
    """
    if index_exists(cr, name):
        return True
    cr.execute(
        SQL(
            "SELECT %(columns)s FROM %(table)s WHERE %(where)s "
            "GROUP BY %(columns)s HAVING COUNT(*) > 1 LIMIT 5",
            columns=columns,
            table=SQL.identifier(table),
            where=where,
        )
    )
    clashes = cr.fetchall()
    if clashes:
        _logger.warning(
            "Unique index %s not created: %s already holds duplicates %s; merge them and "
            "update the module",
            name,
            table,
            clashes,
        )
        return False
    cr.execute(
        SQL(
            "CREATE UNIQUE INDEX %s ON %s (%s) WHERE %s",
            SQL.identifier(name),
            SQL.identifier(table),
            columns,
            where,
        )
    )
    return True


@contextmanager
def unique_violation_as(env, index_names, make_error):
    """Run the block in a savepoint; a violation of one of the unique indexes
    ``index_names`` becomes the error ``make_error()`` returns (called once the
    savepoint is rolled back, so it may read the database to name the clash).

    The Python checks name a clash before the database sees it; this is for the save
    they cannot see: a concurrent one, committed after this transaction's snapshot, or
    a row flushed before the check ran.
    """
    try:
        with env.cr.savepoint(), expected_sql_error():
            yield
            env.flush_all()  # the writes fail here, not when the savepoint is released
    except errors.UniqueViolation as error:
        if error.diag.constraint_name not in index_names:
            raise
        raise make_error() from None
