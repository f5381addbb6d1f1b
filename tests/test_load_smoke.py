"""The load test in small: every role of `setup/load` for one minute on a test server,
with no failed request and the database checks of a real run passing after it.

The database is a copy of the all-addons one with the people of the load added
(setup/amigo_setup/load_data.py at the demo's scale: no benchmark volumes); the traffic
is setup/amigo_setup/locustfile.py with every role played by two users and shorter
think times; the checks are setup/amigo_setup/load_check.py (no duplicate notification,
no lost need match, no failing scheduled action).
"""

import csv
import os
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETUP = ROOT / "setup" / "amigo_setup"
PGTOOL = SETUP / "pgtool.py"
DATABASE = "amigo_test_load"
USERS = 10  # two per role
DURATION = "60s"
ROLES = ("manager", "head of sales", "production head", "dealer", "script")
# what each role must have done at least once in the minute
ACTIONS = (
    "manager: pipeline kanban (columns)",
    "manager: save need",
    "manager: move deal",
    "head of sales: KPI report",
    "production head: line load pivot",
    "production head: drag order",
    "dealer: my leads",
    "dealer: move lead",
    "script: catalog import",
    "script: read line loads",
)


def _shell(odoo_command, script, env):
    command = [*odoo_command[:3], "shell", *odoo_command[3:]]
    result = subprocess.run(  # noqa: S603
        [*command, "-d", DATABASE, "--no-http", "--log-level", "warn"],
        input=script, text=True, capture_output=True, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return result.stdout


def _module_script(path):
    return (
        "import runpy, sys, traceback\n"
        "try:\n"
        f"    runpy.run_path({str(path)!r})['main'](env)\n"
        "except Exception:\n"
        "    traceback.print_exc()\n"
        "    sys.exit(1)\n"
    )


def _free_port():
    import socket  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def load_server(odoo_command):
    template = os.environ.get("AMIGO_TEMPLATE_DB")
    if not template:
        pytest.fail("AMIGO_TEMPLATE_DB is not set: the all-addons database could not be built")
    data_dir = odoo_command[odoo_command.index("--data-dir") + 1]
    subprocess.run(
        [sys.executable, str(PGTOOL), "--data-dir", data_dir, "clone", template, DATABASE],
        check=True,
    )
    env = dict(
        os.environ,
        AMIGO_BENCH_DIR=str(ROOT / "tests" / "benchmarks"),
        AMIGO_LOAD_SCALE="demo",
        AMIGO_LOAD_MANAGERS="2",
        AMIGO_LOAD_DEALERS="2",
    )
    state = Path(os.environ.get("AMIGO_STATE_DIR", ROOT / ".amigo"))
    proc = None
    try:
        _shell(odoo_command, _module_script(SETUP / "load_data.py"), env)
        port = _free_port()
        log_path = state / "logs" / "load-smoke-server.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "w", encoding="utf-8") as log:
            proc = subprocess.Popen(  # noqa: S603
                [*odoo_command, "-d", DATABASE, "--db-filter", f"^{DATABASE}$",
                 "--http-port", str(port), "--http-interface", "127.0.0.1",
                 "--workers", "0", "--max-cron-threads", "1"],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 180
        while True:
            assert proc.poll() is None, f"Odoo exited with {proc.returncode}; see {log_path}"
            try:
                with urllib.request.urlopen(f"{url}/web/health", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.time() < deadline, f"Odoo did not answer on {url}; see {log_path}"
            time.sleep(1)
        # as setup/load does: the first page once, before the users come at once
        sys.path.insert(0, str(ROOT / "setup"))
        from amigo_setup.load import warm_up  # noqa: PLC0415

        warm_up(url)
        yield {"url": url, "env": env, "state": state}
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        subprocess.run(
            [sys.executable, str(PGTOOL), "--data-dir", data_dir, "drop", DATABASE], check=False
        )


def test_a_minute_of_every_role_without_a_failed_request(load_server, odoo_command):
    out = load_server["state"] / "load" / "smoke"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*"):
        old.unlink()
    since = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    env = dict(
        load_server["env"],
        AMIGO_LOAD_DB=DATABASE,
        AMIGO_LOAD_THINK="0.2",
        AMIGO_LOAD_EQUAL_WEIGHTS="1",
    )
    result = subprocess.run(  # noqa: S603
        [os.environ.get("AMIGO_VENV_PYTHON", sys.executable), "-m", "locust",
         "-f", str(SETUP / "locustfile.py"), "--headless", "--host", load_server["url"],
         "--users", str(USERS), "--spawn-rate", str(USERS), "--run-time", DURATION,
         "--stop-timeout", "30", "--csv", str(out / "locust"),
         "--html", str(out / "report.html"), "--only-summary", "--loglevel", "WARNING"],
        env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert (out / "locust_stats.csv").exists(), result.stdout[-3000:] + result.stderr[-3000:]
    with open(out / "locust_stats.csv", encoding="utf-8") as handle:
        stats = {row["Name"]: row for row in csv.DictReader(handle)}
    failures = []
    if (out / "locust_failures.csv").exists():
        with open(out / "locust_failures.csv", encoding="utf-8") as handle:
            failures = [f"{row['Name']}: {row['Error']}" for row in csv.DictReader(handle)]
    assert int(stats["Aggregated"]["Failure Count"]) == 0, "\n".join(failures)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for role in ROLES:
        assert any(name.startswith(f"{role}: ") for name in stats), f"no request of {role}"
    missing = [
        action for action in ACTIONS if int(stats.get(action, {}).get("Request Count", 0)) < 1
    ]
    assert not missing, f"actions never done in {DURATION}: {missing}"
    # the database after the load, as setup/load checks it
    checks = _shell(
        odoo_command,
        _module_script(SETUP / "load_check.py"),
        dict(load_server["env"], AMIGO_LOAD_SINCE=since),
    )
    lines = [line for line in checks.splitlines() if line.startswith("[check]")]
    assert len(lines) == 3 and not [line for line in lines if "FAILED" in line], "\n".join(lines)
