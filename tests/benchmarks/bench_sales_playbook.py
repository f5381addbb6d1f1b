"""Benchmark of sales_playbook at the issue's scale (issue 16).

1. Intake: 10,000 leads created over JSON-RPC (a live HTTP server in this process, one
   request per lead, as a script or the web client sends them) in a team that deals its
   leads in turn over five members: each lead gets its source, its salesperson in turn,
   its first handler and handler history, and the checklist of its stage. Beside them, in
   the same run and interleaved block by block, the same leads created the way core CRM
   creates them when the salesperson is given (no turn taken), in a team of the same
   shape. Targets: a median of at most 30 ms per lead, at most 2x the plain creation.
2. The source report over 500,000 leads: the pivot of leads, opportunities, won,
   revenue, conversion and days to win per source and month, read as the head of sales
   reads it (record rules applied), vs the plain SQL computing the same groups. Target:
   at most 1 s.

Run with `setup/bench sales_playbook`; it prints its figures and asserts nothing on time.
"""

import http.client
import json
import statistics
import threading
import time

import _common as bench  # setup/bench puts tests/benchmarks/ on sys.path

ADDONS = ["sales_playbook"]
LEADS = 10_000
BLOCK = 500
MEMBERS = 5
REPORT_LEADS = 500_000
REPEAT = 7
PASSWORD = "bench-sales-playbook"  # noqa: S105 - a throwaway database's user


def _setup(env):
    """Two teams of five salespeople with the same pipeline (a first stage with a
    two-item checklist): one dealing its leads in turn, one manual; a desk user who
    registers the leads (all documents) and the head of sales."""
    Users = env["res.users"].with_context(no_reset_password=True)
    groups = env.ref("sales_team.group_sale_salesman")

    def user(login, group):
        return Users.create(
            {
                "name": login,
                "login": login,
                "email": f"{login}@bench.example.com",
                "password": PASSWORD,
                "groups_id": [(6, 0, group.ids)],
            }
        )

    desk = user("bench_desk", env.ref("sales_team.group_sale_salesman_all_leads"))
    head = user("bench_head", env.ref("sales_team.group_sale_manager"))
    source = env["utm.source"].create({"name": "Bench default source"})
    teams = {}
    for kind in ("round_robin", "manual"):
        team = env["crm.team"].create(
            {
                "name": f"Bench {kind}",
                "user_id": head.id,
                "lead_distribution": kind,
                "playbook_own_stages": True,
                "playbook_source_id": source.id,
            }
        )
        members = [user(f"bench_{kind}_{n}", groups) for n in range(MEMBERS)]
        env["crm.team.member"].create(
            [{"crm_team_id": team.id, "user_id": member.id} for member in members]
        )
        first = env["crm.stage"].create({"name": f"Bench {kind} interest", "sequence": 1,
                                         "team_id": team.id})  # fmt: skip
        env["crm.stage"].create({"name": f"Bench {kind} qualified", "sequence": 2,
                                 "team_id": team.id})  # fmt: skip
        env["crm.stage.checklist.item"].create(
            [
                {"name": "Call back", "required": True, "stage_id": first.id},
                {"name": "Check the source", "stage_id": first.id},
            ]
        )
        teams[kind] = (team, members)
    env.cr.commit()
    return desk, head, teams


class _Server:
    """Odoo's WSGI application on a free port of the loopback, in threads of this
    process (the benchmark's shell has the registry loaded)."""

    def __init__(self):
        from werkzeug.serving import make_server  # noqa: PLC0415

        import odoo.http  # noqa: PLC0415

        self.server = make_server("127.0.0.1", 0, odoo.http.root, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()


class _JsonRpc:
    """execute_kw over /jsonrpc on one kept-alive connection."""

    def __init__(self, port, db, uid):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.db, self.uid = db, uid
        self.ids = 0

    def call(self, model, method, *args, **kwargs):
        self.ids += 1
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "id": self.ids,
                "params": {
                    "service": "object",
                    "method": "execute_kw",
                    "args": [self.db, self.uid, PASSWORD, model, method, list(args), kwargs],
                },
            }
        )
        self.connection.request("POST", "/jsonrpc", body, {"Content-Type": "application/json"})
        reply = json.loads(self.connection.getresponse().read())
        if "error" in reply:
            raise RuntimeError(reply["error"]["data"]["message"])
        return reply["result"]


def _intake(env, desk, teams):
    server = _Server()
    try:
        rpc = _JsonRpc(server.port, env.cr.dbname, desk.id)
        turn_team, turn_members = teams["round_robin"]
        plain_team, plain_members = teams["manual"]
        rpc.call("crm.lead", "search_count", [])  # warm the connection and the caches
        turn_ms, plain_ms = [], []
        created = 0
        while created < LEADS:
            for n in range(created, min(created + BLOCK, LEADS)):
                vals = {"name": f"Bench lead {n}", "type": "opportunity",
                        "email_from": f"lead{n}@clinic.example.com"}  # fmt: skip
                started = time.perf_counter()
                rpc.call("crm.lead", "create", dict(vals, team_id=turn_team.id))
                turn_ms.append((time.perf_counter() - started) * 1000)
                member = plain_members[n % MEMBERS]
                started = time.perf_counter()
                rpc.call("crm.lead", "create", dict(vals, team_id=plain_team.id,
                                                    user_id=member.id))  # fmt: skip
                plain_ms.append((time.perf_counter() - started) * 1000)
            created = min(created + BLOCK, LEADS)
            print(f"  ... {created:,} of {LEADS:,} leads each way", flush=True)
    finally:
        server.stop()
    env.invalidate_all()
    counts = env["crm.lead"]._read_group([("team_id", "=", turn_team.id)], ["user_id"], ["__count"])
    return (
        bench.Timing("create, dealt in turn (RPC)", tuple(turn_ms)),
        bench.Timing("create, salesperson given (RPC)", tuple(plain_ms)),
        {user.name: count for user, count in counts},
    )


def _generate_leads(env, head, teams):
    """REPORT_LEADS leads over two years, eight sources, the team's members and stages
    (data set-up in SQL, not what is measured)."""
    team, members = teams["round_robin"]
    sources = env["utm.source"].create([{"name": f"Bench channel {n}"} for n in range(8)])
    stages = env["crm.stage"].search([("team_id", "=", team.id)], order="sequence")
    won = env["crm.stage"].create({"name": "Bench won", "sequence": 9, "team_id": team.id,
                                   "is_won": True})  # fmt: skip
    reasons = env["crm.lost.reason"].search([], limit=3)
    env.cr.execute(
        """
        INSERT INTO crm_lead
               (name, type, active, probability, company_id, team_id, user_id, first_user_id,
                source_id, stage_id, lost_reason_id, expected_revenue, create_date,
                date_closed, date_conversion, is_stalled, priority, create_uid, write_uid,
                write_date)
        SELECT 'Bench report lead ' || n,
               CASE WHEN n %% 3 = 0 THEN 'lead' ELSE 'opportunity' END,
               n %% 7 != 0,
               CASE WHEN n %% 7 = 0 THEN 0 WHEN n %% 5 = 0 THEN 100 ELSE 30 END,
               %(company)s, %(team)s,
               (%(members)s)[1 + n %% %(member_count)s],
               (%(members)s)[1 + (n / 7) %% %(member_count)s],
               (%(sources)s)[1 + n %% 8],
               CASE WHEN n %% 5 = 0 AND n %% 7 != 0 THEN %(won)s
                    ELSE (%(stages)s)[1 + n %% %(stage_count)s] END,
               CASE WHEN n %% 7 = 0 THEN (%(reasons)s)[1 + n %% 3] END,
               (n %% 97) * 1000,
               now() at time zone 'UTC' - (n %% 730) * interval '1 day',
               CASE WHEN n %% 5 = 0 OR n %% 7 = 0
                    THEN now() at time zone 'UTC' - (n %% 730) * interval '1 day'
                         + (n %% 60) * interval '1 day' END,
               CASE WHEN n %% 3 != 0 THEN now() at time zone 'UTC' END,
               n %% 11 = 0, '0', %(uid)s, %(uid)s, now() at time zone 'UTC'
          FROM generate_series(1, %(count)s) AS n
        """,
        {
            "company": env.company.id,
            "team": team.id,
            "members": [member.id for member in members],
            "member_count": len(members),
            "sources": sources.ids,
            "stages": stages.ids,
            "stage_count": len(stages),
            "won": won.id,
            "reasons": reasons.ids or [None],
            "uid": head.id,
            "count": REPORT_LEADS,
        },
    )
    bench.commit_and_vacuum(env, ["crm_lead"])


MEASURES = ["lead_count", "opportunity_count", "won_count", "revenue", "conversion",
            "days_to_win"]  # fmt: skip

PLAIN_SQL = """
    SELECT l.source_id, date_trunc('month', l.create_date) AS month,
           count(*),
           sum(CASE WHEN l.type = 'opportunity' OR l.date_conversion IS NOT NULL
                    THEN 1 ELSE 0 END),
           sum(CASE WHEN l.active AND s.is_won THEN 1 ELSE 0 END),
           sum(CASE WHEN l.active AND s.is_won THEN l.expected_revenue ELSE 0 END),
           avg(CASE WHEN l.active AND s.is_won THEN 100.0 ELSE 0.0 END),
           avg(CASE WHEN l.active AND s.is_won AND l.date_closed IS NOT NULL
                    THEN EXTRACT(EPOCH FROM l.date_closed - l.create_date) / 86400.0 END)
      FROM crm_lead l
 LEFT JOIN crm_stage s ON s.id = l.stage_id
     WHERE l.company_id IN %s OR l.company_id IS NULL
  GROUP BY 1, 2
"""


def _report(env, head):
    Report = env["crm.playbook.report"].with_user(head)

    def orm_pivot():
        env.invalidate_all()
        return Report.read_group([], MEASURES, ["source_id", "date:month"], lazy=False)

    def plain_sql():
        env.cr.execute(PLAIN_SQL, [tuple(head.company_ids.ids)])
        return env.cr.fetchall()

    groups = orm_pivot()
    rows = plain_sql()
    assert len(groups) == len(rows), (len(groups), len(rows))
    assert sum(g["lead_count"] for g in groups) == sum(r[2] for r in rows)
    sql = bench.measure(plain_sql, REPEAT, "plain SQL")
    orm = bench.measure(orm_pivot, REPEAT, f"source pivot over {REPORT_LEADS:,} leads")

    def by_first_handler():
        env.invalidate_all()
        return Report.read_group([], MEASURES, ["first_user_id", "date:month"], lazy=False)

    handler = bench.measure(by_first_handler, REPEAT, "first handler pivot")
    return orm, sql, handler, len(groups)


def main(env):
    desk, head, teams = _setup(env)
    bench.title(f"sales_playbook: intake of {LEADS:,} leads over JSON-RPC")
    turn, plain, counts = _intake(env, desk, teams)
    bench.report(turn, target_ms=30)
    bench.report(plain)
    bench.report_ratio(turn, plain, target_ratio=2)
    spread = sorted(counts.values())
    print(f"  leads per member, dealt in turn: {spread} "
          f"(stdev {statistics.pstdev(spread):.1f})", flush=True)  # fmt: skip

    bench.title(f"sales_playbook: source report over {REPORT_LEADS:,} leads")
    started = time.perf_counter()
    _generate_leads(env, head, teams)
    print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    orm, sql, handler, group_count = _report(env, head)
    print(f"  {group_count} groups (source x month)", flush=True)
    bench.report(orm, target_ms=1000)
    bench.report(sql)
    bench.report_ratio(orm, sql)
    bench.report(handler, target_ms=1000)
    env.cr.rollback()
