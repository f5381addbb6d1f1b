"""Shared timing and printing helpers of the benchmarks (tests/benchmarks/bench_*.py).

Every benchmark reports the same way: a labelled line with the median and the 95th
percentile of N runs in milliseconds, and the ratio of the Odoo code to the plain SQL that
computes the same result in the same run.

`setup/bench` puts this folder on ``sys.path`` before it runs a benchmark, so a benchmark
imports these helpers as a module::

    import _common as bench

    sql = bench.measure(plain_sql, repeat=7, label="plain SQL")
    orm = bench.measure(orm_search, repeat=7, label="ORM search")
    bench.report(orm, target_ms=1000)
    bench.report_ratio(orm, sql, target_ratio=3)

This module imports nothing from Odoo, so it loads anywhere (and the benchmark loader,
which globs ``bench_*.py``, never takes it for a benchmark).
"""

import cProfile
import io
import math
import os
import pstats
import statistics
import time
from dataclasses import dataclass

REPEAT = 7
# Diagnostics: AMIGO_BENCH_PROFILE=1 setup/bench <name> also prints a cProfile and the
# slowest queries of one ORM run of the measures that offer it (see profile()).
PROFILE = bool(os.environ.get("AMIGO_BENCH_PROFILE"))
LABEL_WIDTH = 44


@dataclass(frozen=True)
class Timing:
    """Wall-clock timings of one measured callable, in milliseconds."""

    label: str
    runs: tuple

    @property
    def median(self):
        return statistics.median(self.runs)

    @property
    def p95(self):
        return percentile(self.runs, 0.95)

    @property
    def best(self):
        return min(self.runs)

    def __str__(self):
        return figure_line(self)


def percentile(values, fraction):
    """The `fraction` percentile of `values`, linearly interpolated (PostgreSQL's
    ``percentile_cont`` and numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction {fraction} is not between 0 and 1")
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(function, repeat=REPEAT, label="", setup=None, teardown=None, warmup=0):
    """Run `function` `repeat` times and return its Timing.

    `setup` and `teardown` (optional callables) run before and after each run, outside the
    timed part: e.g. to set a savepoint and roll back to it, or to empty the ORM cache.
    `warmup` extra runs first, not counted.
    """
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    runs = []
    for index in range(warmup + repeat):
        if setup:
            setup()
        started = time.perf_counter()
        try:
            function()
        finally:
            elapsed = (time.perf_counter() - started) * 1000.0
            if teardown:
                teardown()
        if index >= warmup:
            runs.append(elapsed)
    return Timing(label or getattr(function, "__name__", "?"), tuple(runs))


def measure_statements(function, repeat=REPEAT, label="", setup=None, teardown=None):
    """The time `function` spends in its SQL statements alone, per run (see QueryLog), as
    a Timing: what the database costs the Odoo code before any of its Python. Set beside
    the plain SQL's time, it shows how much of a ratio tuning the Python could ever win
    back: if the statements alone are near the target, the ORM code cannot meet it."""
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    runs = []
    for _index in range(repeat):
        if setup:
            setup()
        try:
            with QueryLog() as log:
                function()
        finally:
            if teardown:
                teardown()
        runs.append(log.total)
    return Timing(label or getattr(function, "__name__", "?"), tuple(runs))


def measure_once(function, label="", setup=None, teardown=None):
    """A single timed run (for what changes the data, such as a first cron run)."""
    return measure(function, repeat=1, label=label, setup=setup, teardown=teardown)


def ratio(timing, baseline):
    """Median of `timing` over median of `baseline` (inf when the baseline took no time)."""
    base = baseline.median if isinstance(baseline, Timing) else float(baseline)
    value = timing.median if isinstance(timing, Timing) else float(timing)
    return value / base if base > 0 else math.inf


def figure_line(timing, target_ms=None):
    """`label ....  median 12.3 ms | p95 15.0 ms (n=7)` [| target ≤ 1000 ms: met]."""
    line = (
        f"  {timing.label:<{LABEL_WIDTH}} median {timing.median:9.1f} ms "
        f"| p95 {timing.p95:9.1f} ms (n={len(timing.runs)})"
    )
    if target_ms is not None:
        verdict = "met" if timing.median <= target_ms else "MISSED"
        line += f" | target <= {target_ms:,.0f} ms: {verdict}"
    return line


def ratio_line(timing, sql_timing, target_ratio=None):
    """`label  ratio 2.1x to <SQL label> (a ms / b ms)` [| target <= 3x: met]."""
    value = ratio(timing, sql_timing)
    line = (
        f"  {timing.label:<{LABEL_WIDTH}} ratio  {value:8.1f}x to {sql_timing.label} "
        f"({timing.median:.1f} ms / {sql_timing.median:.1f} ms)"
    )
    if target_ratio is not None:
        verdict = "met" if value <= target_ratio else "MISSED"
        line += f" | target <= {target_ratio:g}x: {verdict}"
    return line


def report(timing, target_ms=None):
    """Print the figure line of `timing` and return it."""
    print(figure_line(timing, target_ms), flush=True)
    return timing


def report_ratio(timing, sql_timing, target_ratio=None):
    """Print the ratio of `timing` to the plain SQL's and return the ratio."""
    print(ratio_line(timing, sql_timing, target_ratio), flush=True)
    return ratio(timing, sql_timing)


def title(text):
    """A benchmark's heading line."""
    print(f"\n{text}\n{'-' * len(text)}", flush=True)


def commit_and_vacuum(env, tables):
    """Commit the generated data (a benchmark's database is a throwaway copy) and vacuum
    `tables`, as autovacuum would have: reading rows still uncommitted by the reading
    transaction itself costs a visibility check per row that a real database does not
    pay, and index-only scans need the visibility map."""
    from odoo import sql_db  # noqa: PLC0415 -- this module loads without Odoo
    from odoo.tools import SQL  # noqa: PLC0415

    env.flush_all()
    env.cr.commit()
    with sql_db.db_connect(env.cr.dbname).cursor() as cr:
        cr._cnx.autocommit = True  # VACUUM cannot run inside a transaction
        for table in tables:
            cr.execute(SQL("VACUUM ANALYZE %s", SQL.identifier(table)))
    env.invalidate_all()


class QueryLog:
    """Diagnostics: time each SQL query run inside ``with QueryLog() as log:`` and print
    the slowest with ``log.print()`` (the cProfile of a run tells the time spent in
    queries, not which ones)."""

    def __init__(self):
        self.queries = []
        self._execute = None

    def __enter__(self):
        from odoo import sql_db  # noqa: PLC0415 -- this module loads without Odoo

        self._execute = original = sql_db.Cursor.execute
        queries = self.queries

        def execute(cursor, query, params=None, log_exceptions=True):
            started = time.perf_counter()
            try:
                return original(cursor, query, params, log_exceptions)
            finally:
                queries.append(((time.perf_counter() - started) * 1000, str(query)))

        sql_db.Cursor.execute = execute
        return self

    def __exit__(self, *exc):
        from odoo import sql_db  # noqa: PLC0415

        sql_db.Cursor.execute = self._execute

    @property
    def total(self):
        """Milliseconds spent in the queries."""
        return sum(ms for ms, _query in self.queries)

    def print(self, top=15, width=160):
        print(f"  {len(self.queries)} queries, {self.total:.1f} ms; the slowest:", flush=True)
        for ms, query in sorted(self.queries, reverse=True)[:top]:
            print(f"  {ms:7.2f} ms  {' '.join(query.split())[:width]}", flush=True)


def profile(label, function):
    """Run `function` once under cProfile and print where the time goes: the calls by
    cumulative and by own time, and the slowest SQL queries (QueryLog)."""
    profiler = cProfile.Profile()
    with QueryLog() as queries:
        profiler.enable()
        function()
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(40)
    out.write("\n--- by own time\n")
    stats.sort_stats("tottime").print_stats(25)
    print(f"\n[profile] {label}\n{out.getvalue()}", flush=True)
    queries.print()


class Savepoint:
    """Run a measured call that writes on a savepoint and roll it back after, so that each
    repetition starts from the same data: ``measure(f, setup=sp.setup, teardown=sp.teardown)``.
    """

    def __init__(self, env, name="bench"):
        self.env = env
        self.name = name

    def setup(self):
        self.env.flush_all()
        self.env.cr.execute(f"SAVEPOINT {self.name}")

    def teardown(self):
        self.env.flush_all()  # what the call left pending belongs to the savepoint
        self.env.cr.execute(f"ROLLBACK TO SAVEPOINT {self.name}")
        self.env.invalidate_all(flush=False)


# The plain-SQL twin of message_subscribe for the activities of a plain-SQL SLA check: two
# CTEs to follow an ``activity`` CTE (RETURNING res_id, user_id) in the same statement,
# which make each activity's user a follower of its record on %(res_model)s, with the
# model's default subtypes (as message_subscribe gives an employee); ``follower`` returns
# the new followers' ids.
FOLLOW_SQL = """
    follower AS (
        INSERT INTO mail_followers (res_model, res_id, partner_id)
        SELECT DISTINCT %(res_model)s, a.res_id, u.partner_id
          FROM activity a JOIN res_users u ON u.id = a.user_id
            ON CONFLICT DO NOTHING
        RETURNING id
    ),
    subtype AS (
        INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id,
                                                             mail_message_subtype_id)
        SELECT f.id, st.id FROM follower f CROSS JOIN mail_message_subtype st
         WHERE st."default" AND (st.res_model IS NULL OR st.res_model = %(res_model)s)
    )"""


def sla_params(env, model_name):
    """The SQL parameters of a plain-SQL SLA check on ``model_name``: now, today, the
    running and the fallback user, the model and its id, the two SLA activity types."""
    from odoo import fields  # noqa: PLC0415 - imported where Odoo runs

    return {
        "now": fields.Datetime.now(),
        "today": fields.Date.context_today(env["funnel.sla.mixin"]),
        "uid": env.uid,
        "admin": env.ref("base.user_admin").id,
        "res_model": model_name,
        "model_id": env["ir.model"]._get_id(model_name),
        "stalled_type": env.ref("funnel_sla.mail_activity_type_sla_stalled").id,
        "escalation_type": env.ref("funnel_sla.mail_activity_type_sla_escalation").id,
    }


def sla_cron(env):
    """The SLA scheduled action's own path over every model of the mixin (its batches, its
    locks, its progress reports), without the commits it makes between batches when run
    by the cron: a benchmark measures it inside savepoints it rolls back."""
    mixin = env["funnel.sla.mixin"]
    for name in mixin._sla_model_names():
        mixin._sla_cron_check_model(name, None, False)
