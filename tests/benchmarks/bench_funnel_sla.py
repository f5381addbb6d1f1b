"""Benchmark of the funnel SLA check at the seeds' scale.

20,000 open records in a stage with an SLA (the production funnel's 20,000 open
manufacturing orders), of which 2,000 have just passed their deadline. Measured:

- finding the newly stalled records: the ORM search the check runs vs the plain SQL;
- the check that flags them and schedules one activity each (first run);
- the check when nothing new stalled (the cron's steady state), vs the plain SQL;
- the floor under the first check: Odoo's own ``mail.activity.create`` of the same 2,000
  activities (the values the check builds, created in its batches as the check does), vs
  the plain SQL inserting those activity rows and their followers. No implementation
  that schedules its activities through Odoo can run faster than this floor.

Run with `setup/bench funnel_sla`; it prints its figures and asserts nothing on time.
"""

import json
import time

import _common as bench  # setup/bench puts tests/benchmarks/ on sys.path

from odoo import fields

ADDONS = ["test_funnel_sla"]
RECORDS = 20_000
NEWLY_STALLED = 2_000
REPEAT = 7


def _median_ms(function):
    return bench.measure(function, REPEAT).median


def _generate(env):
    stage = env["test.funnel.sla.stage"].create({"name": "Benchmark stage", "sla_hours": 8})
    admin = env.ref("base.user_admin")
    # bulk generation in SQL (data set-up only, not what is measured)
    env.cr.execute(
        """
        INSERT INTO test_funnel_sla_record
               (name, stage_id, user_id, company_id, create_uid, write_uid, create_date,
                write_date, sla_stage_date, sla_deadline, is_stalled, is_sla_escalated)
        SELECT 'Bench ' || n, %(stage)s, %(user)s, %(company)s, %(user)s, %(user)s,
               now() at time zone 'UTC', now() at time zone 'UTC',
               now() at time zone 'UTC' - interval '2 days',
               CASE WHEN n <= %(stalled)s
                    THEN now() at time zone 'UTC' - interval '1 hour'
                    ELSE now() at time zone 'UTC' + interval '1 day' END,
               false, false
          FROM generate_series(1, %(count)s) AS n
        """,
        {
            "stage": stage.id,
            "user": admin.id,
            "company": env.company.id,
            "stalled": NEWLY_STALLED,
            "count": RECORDS,
        },
    )
    env.cr.execute("ANALYZE test_funnel_sla_record")
    env.invalidate_all()


def main(env):
    Record = env["test.funnel.sla.record"]
    _generate(env)
    now = fields.Datetime.now()
    sql = (
        "SELECT id FROM test_funnel_sla_record "
        "WHERE NOT is_stalled AND sla_deadline IS NOT NULL AND sla_deadline <= %s ORDER BY id"
    )
    domain = [
        ("is_stalled", "=", False),
        ("sla_deadline", "!=", False),
        ("sla_deadline", "<=", now),
    ]

    def plain_sql():
        env.cr.execute(sql, [now])
        return env.cr.fetchall()

    def steady_sql():
        # the same three look-ups the check makes: recovered, newly stalled, to escalate
        env.cr.execute(
            "SELECT id FROM test_funnel_sla_record WHERE is_stalled "
            "AND (sla_deadline IS NULL OR sla_deadline > %s)",
            [now],
        )
        plain_sql()
        env.cr.execute(
            "SELECT id FROM test_funnel_sla_record WHERE is_stalled AND NOT is_sla_escalated "
            "AND sla_escalation_deadline IS NOT NULL AND sla_escalation_deadline <= %s",
            [now],
        )

    def orm_search():
        env.invalidate_all()
        return Record.search(domain, order="id").ids

    assert len(plain_sql()) == NEWLY_STALLED == len(orm_search())
    sql_ms, orm_ms = _median_ms(plain_sql), _median_ms(orm_search)

    started = time.perf_counter()
    stats = Record._sla_check()
    env.flush_all()
    first_ms = (time.perf_counter() - started) * 1000
    assert stats["stalled"] == (NEWLY_STALLED, 0), stats

    def steady():
        env.invalidate_all()
        Record._sla_check()
        env.flush_all()

    steady_ms = _median_ms(steady)
    steady_sql_ms = _median_ms(steady_sql)

    # the floor: the 2,000 stall activities through mail.activity.create, vs plain SQL
    env.cr.rollback()
    _generate(env)
    stalled = Record.browse([row[0] for row in plain_sql()])
    activity_type = Record._sla_activity_type("stalled")
    model_id = env["ir.model"]._get_id(Record._name)
    values = [r._sla_stalled_activity_values(activity_type, model_id) for r in stalled]
    point = bench.Savepoint(env, "bench_floor")
    Activity = env["mail.activity"].sudo().with_context(mail_activity_quick_update=True)

    def orm_activities():
        stalled.mapped("display_name")  # loaded, as the check has them (the activities' names)
        # the check's batches (one create per user in each: here one user, the admin)
        for start in range(0, len(values), Record._sla_batch_size):
            Activity.create(values[start : start + Record._sla_batch_size])
        env.flush_all()

    def sql_activities():
        env.cr.execute(
            """
            WITH activity AS (
                INSERT INTO mail_activity (res_model_id, res_model, res_id, activity_type_id,
                                           automated, user_id, date_deadline, summary, note,
                                           active, create_uid, create_date, write_uid,
                                           write_date)
                SELECT v.res_model_id, %(model)s, v.res_id, v.activity_type_id, TRUE,
                       v.user_id, v.date_deadline, v.summary, '<p>' || v.note || '</p>', TRUE,
                       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                  FROM json_to_recordset(%(values)s::json) AS v(
                       res_model_id int, res_id int, activity_type_id int, user_id int,
                       date_deadline date, summary text, note text)
                RETURNING res_id, user_id
            ),"""
            + bench.FOLLOW_SQL
            + """
            SELECT count(*) FROM follower
            """,
            {"model": Record._name, "res_model": Record._name, "uid": env.uid, "values": rows_json},
        )

    rows_json = json.dumps(
        [dict(v, date_deadline=fields.Date.to_string(v["date_deadline"])) for v in values]
    )
    floor_sql = bench.measure(
        sql_activities, REPEAT, "plain SQL", setup=point.setup, teardown=point.teardown
    )
    floor_orm = bench.measure(
        orm_activities, REPEAT, "mail.activity.create", setup=point.setup, teardown=point.teardown
    )
    print(f"funnel_sla benchmark: {RECORDS:,} records, {NEWLY_STALLED:,} newly stalled")
    print(f"  find the stalled: ORM search {orm_ms:8.1f} ms | plain SQL {sql_ms:8.1f} ms "
          f"| ratio {orm_ms / sql_ms:5.1f}x")  # fmt: skip
    print(f"  first check (flag + one activity each): {first_ms:8.1f} ms "
          f"({first_ms / NEWLY_STALLED:.2f} ms per stalled record)")  # fmt: skip
    print(f"  steady check (nothing new): {steady_ms:8.1f} ms | plain SQL {steady_sql_ms:8.1f} ms "
          f"| ratio {steady_ms / max(steady_sql_ms, 0.001):5.1f}x")  # fmt: skip
    floor_ratio = bench.ratio(floor_orm, floor_sql)
    print(f"  floor: Odoo's mail.activity.create of the same {NEWLY_STALLED:,} activities "
          f"{floor_orm.median:8.1f} ms | plain SQL inserting them and their followers "
          f"{floor_sql.median:8.1f} ms | ratio {floor_ratio:5.1f}x")  # fmt: skip
    print(f"  the first check spends {100 * floor_orm.median / first_ms:.0f} % of its time "
          "in that create")  # fmt: skip
    env.cr.rollback()
