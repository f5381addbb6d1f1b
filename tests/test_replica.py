"""The read replica: Odoo's read-only requests (the suite's dashboards) are served by a
streaming standby of the embedded cluster, writes never reach it.

A standby of the test cluster is made here as `setup/run --replica` makes one
(setup/amigo_setup/replica.py: pg_basebackup -R, hot standby on its own socket), with
every statement logged (`log_statement = all`), and an Odoo server started with
--db_replica_host/--db_replica_port on a copy of the all-addons database. Each request
carries a marker of its own in its domain or values: the standby's log tells which
statements it ran. Collected only when the tests run on the embedded cluster (a server
of your own has its own standby, if any).
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "setup"))

from amigo_setup import postgres, replica  # noqa: E402

PGTOOL = ROOT / "setup" / "amigo_setup" / "pgtool.py"
DATABASE = "amigo_test_replica"
PORT = 54331  # the standby's socket, beside setup/run's (54330)
COUNT = (  # one line: the standby's log is read line by line
    "SELECT (SELECT count(*) FROM crm_lead WHERE name = %(marker)s)"
    " + (SELECT count(*) FROM res_partner WHERE name = %(marker)s)"
)


def _embedded():
    """The embedded cluster when setup/test runs on it, else None."""
    command = json.loads(os.environ.get("AMIGO_ODOO_COMMAND") or "[]")
    if "--db_host" not in command:
        return None
    cluster = postgres.EmbeddedCluster()
    return cluster if command[command.index("--db_host") + 1] == str(cluster.socket_dir) else None


PRIMARY = _embedded()

# the dashboards of the suite, as the web client's pivots read them: model, measures,
# group-bys, and the path of a char field the marker goes into
DASHBOARDS = [
    ("partner.tier.assessment", ["score:avg"], ["tier_id"], "partner_id.name"),
    ("customer.need", ["amount_total:sum"], ["user_id"], "name"),
    ("production.line.load", ["planned_hours:sum", "capacity_hours:sum"], ["line_id"],
     "line_id.code"),
    ("claim.analysis", ["claim_count:sum"], ["cause_category"], "partner_id.name"),
    ("kpi.report", ["revenue:sum", "churn_rate"], ["user_id"], "user_id.login"),
]  # fmt: skip


class WebClient:
    """A web-client session: JSON-RPC through /web/dataset/call_kw, as the browser."""

    def __init__(self, url, db, login, password):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.rpc("/web/session/authenticate", {"db": db, "login": login, "password": password})

    def rpc(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
        request = urllib.request.Request(  # noqa: S310
            self.url + path, data=body.encode(), headers={"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=120) as response:
            answer = json.loads(response.read())
        assert not answer.get("error"), answer.get("error")
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


if PRIMARY:

    @pytest.fixture(scope="module")
    def standby():
        node = replica.Standby(
            PRIMARY,
            link=Path(os.environ.get("AMIGO_STATE_DIR", ROOT / ".amigo")) / "pg-replica-test",
            port=PORT,
            slot="amigo_replica_test",
            settings=["log_statement = 'all'", "log_min_error_statement = error"],
        )
        node.destroy()  # what a run interrupted earlier may have left
        try:
            node.start()
            replica.wait_streaming(node)
            yield node
        finally:
            node.destroy()

    @pytest.fixture(scope="module")
    def server(odoo_command, standby):
        template = os.environ.get("AMIGO_TEMPLATE_DB")
        data_dir = odoo_command[odoo_command.index("--data-dir") + 1]
        subprocess.run(
            [sys.executable, str(PGTOOL), "--data-dir", data_dir, "clone", template, DATABASE],
            check=True,
        )
        port = _free_port()
        log_path = Path(os.environ.get("AMIGO_STATE_DIR", ROOT / ".amigo")) / "logs"
        log_path = log_path / "replica-server.log"
        with open(log_path, "w", encoding="utf-8") as log:
            proc = subprocess.Popen(  # noqa: S603
                [*odoo_command, "-d", DATABASE, "--db-filter", f"^{DATABASE}$",
                 "--http-port", str(port), "--http-interface", "127.0.0.1",
                 "--max-cron-threads", "0", "--workers", "0",
                 "--db_replica_host", str(standby.socket_dir),
                 "--db_replica_port", str(standby.port)],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_health(proc, url, log_path)
            yield {"url": url, "log": log_path}
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
            subprocess.run(
                [sys.executable, str(PGTOOL), "--data-dir", data_dir, "drop", DATABASE],
                check=False,
            )

    def _standby_log_since(standby, offset):
        text = standby.log.read_text(errors="replace")
        return text[offset:]

    def _log_size(standby):
        return len(standby.log.read_text(errors="replace")) if standby.log.exists() else 0

    def _wait_for_log(standby, offset, marker, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if marker in _standby_log_since(standby, offset):
                return True
            time.sleep(0.2)
        return False

    @pytest.mark.parametrize(
        ("model", "measures", "groupby", "path"), DASHBOARDS, ids=[d[0] for d in DASHBOARDS]
    )
    def test_a_dashboard_read_is_served_by_the_replica(server, standby, model, measures,
                                                       groupby, path):  # fmt: skip
        client = WebClient(server["url"], DATABASE, "admin", "admin")
        marker = f"replica-probe-{uuid.uuid4().hex}"
        offset = _log_size(standby)
        # as the pivot asks it: read_group through call_kw, a read-only method
        client.call(model, "read_group", [(path, "!=", marker)], measures, groupby, lazy=False)
        assert _wait_for_log(standby, offset, marker), (
            f"the {model} report read did not reach the replica; its log:\n"
            f"{_standby_log_since(standby, offset)[-3000:]}"
        )

    def test_a_kanban_read_is_served_by_the_replica(server, standby):
        client = WebClient(server["url"], DATABASE, "admin", "admin")
        marker = f"replica-probe-{uuid.uuid4().hex}"
        offset = _log_size(standby)
        client.call(
            "crm.lead", "web_read_group", domain=[("name", "!=", marker)],
            fields=["expected_revenue:sum"], groupby=["stage_id"],
        )  # fmt: skip
        client.call(
            "crm.lead", "web_search_read", domain=[("name", "!=", marker)],
            specification={"name": {}}, limit=5,
        )  # fmt: skip
        assert _wait_for_log(standby, offset, marker)

    def test_a_write_never_reaches_the_replica(server, standby):
        client = WebClient(server["url"], DATABASE, "admin", "admin")
        marker = f"replica-write-{uuid.uuid4().hex}"
        lead_id = client.call("crm.lead", "search", [("type", "=", "opportunity")], limit=1)[0]
        offset = _log_size(standby)
        client.call("crm.lead", "write", [lead_id], {"name": marker})
        client.call("res.partner", "create", {"name": marker})
        # written on the primary...
        import psycopg2  # noqa: PLC0415

        params = {"host": str(PRIMARY.socket_dir), "port": PRIMARY.port, "user": "odoo"}
        with psycopg2.connect(dbname=DATABASE, **params) as conn, conn.cursor() as cr:
            cr.execute(COUNT, {"marker": marker})
            assert cr.fetchone()[0] == 2
        # ...streamed to the standby, which never ran the statements itself
        standby_params = {"host": str(standby.socket_dir), "port": standby.port, "user": "odoo"}
        deadline = time.time() + 10
        while True:
            with psycopg2.connect(dbname=DATABASE, **standby_params) as conn, conn.cursor() as cr:
                cr.execute(COUNT, {"marker": marker})
                replicated = cr.fetchone()[0]
            if replicated == 2 or time.time() > deadline:
                break
            time.sleep(0.2)
        assert replicated == 2, "the write did not stream to the replica"
        log = _standby_log_since(standby, offset)
        statements = [line for line in log.splitlines() if marker in line]
        # the only statements of the standby naming the marker are our own check above
        assert all("SELECT (SELECT count(*) FROM crm_lead" in line for line in statements), (
            statements
        )
        assert not re.search(r"read-only transaction", log), log[-3000:]


def _free_port():
    import socket  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_health(proc, url, log_path):
    deadline = time.time() + 180
    while True:
        if proc.poll() is not None:
            pytest.fail(f"Odoo exited with {proc.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"{url}/web/health", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.time() > deadline:
            pytest.fail(f"Odoo did not answer on {url} within 180 s; see {log_path}")
        time.sleep(1)
