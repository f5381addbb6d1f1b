"""`setup/load`: a day's traffic on the suite with Locust, and what must hold after it.

1. The load database (default `amigo_load`): a copy of the demo database brought to the
   seeds' scale by the benchmarks' generators, plus the people of the load
   (load_data.py); built once, kept while the code it came from is unchanged.
2. Locust (locustfile.py) against --host with --users, --spawn-rate, --duration; its
   HTML report and CSVs go to .amigo/load/, and a table per action is printed:
   requests, failures, median, 95th percentile.
3. The database after the run (load_check.py): no duplicate notification, no lost need
   match, no failed scheduled action.

The server is yours to start: `setup/run --workers 4 --replica --database amigo_load`
(or any other, the compose one included, once its database was prepared with
`setup/load --prepare-only` and the --db-* options naming its PostgreSQL).
"""

import csv
import hashlib
import os
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from . import odoo, paths
from .runner import ensure_database, prepare
from .util import SetupError, say

HERE = Path(__file__).resolve().parent
BENCH_DIR = paths.TESTS / "benchmarks"
LOAD_DIR = paths.STATE / "load"
STAMP_PARAM = "amigo_load.generated"
PARTIAL_PARAM = "amigo_load.generating"


def _shell(instance, database, script, extra_env=None, log=None):
    """Run `script` (Python source) in odoo-bin shell on `database`; its output."""
    result = subprocess.run(  # noqa: S603
        instance.command("-d", database, "--no-http", "--log-level", "warn",
                         subcommand="shell"),
        input=script, text=True, capture_output=True, check=False,
        env={**instance.env(), **(extra_env or {})},
    )  # fmt: skip
    if log:
        Path(log).write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode:
        raise SetupError(
            f"odoo shell on {database} failed:\n{(result.stdout + result.stderr)[-4000:]}"
        )
    return result.stdout


def _run_module(path, call):
    return "\n".join(
        [
            "import runpy, sys, traceback",
            "try:",
            f"    runpy.run_path({str(path)!r})[{call!r}](env)",
            "except Exception:",
            "    traceback.print_exc()",
            "    sys.exit(1)",
            "",
        ]
    )


def data_stamp(scale, managers, dealers):
    """What the load database was made from: the generators' code and the options."""
    digest = hashlib.sha256(f"{scale}:{managers}:{dealers}".encode())
    for path in [HERE / "load_data.py", *sorted(BENCH_DIR.glob("*.py"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{scale}:{digest.hexdigest()}"


def _read_param(instance, database, name=STAMP_PARAM):
    script = f"print('STAMP=' + (env['ir.config_parameter'].sudo().get_param({name!r}) or ''))\n"
    for line in _shell(instance, database, script).splitlines():
        if line.startswith("STAMP="):
            return line[len("STAMP=") :]
    return ""


def _set_param(instance, database, name, value):
    script = f"env['ir.config_parameter'].sudo().set_param({name!r}, {value!r})\n"
    _shell(instance, database, script + "env.cr.commit()\n")


def ensure_load_database(instance, options):
    """The load database, made from the demo database when missing or out of date."""
    addons = odoo.suite_addons()
    ensure_database(instance, options.source_database, addons)
    stamp = data_stamp(options.scale, options.managers, options.dealers)
    name = options.database
    exists = instance.db_exists(name)
    if exists and _read_param(instance, name) == stamp:
        say(f"load database {name} is up to date")
        return name
    if exists and _read_param(instance, name, PARTIAL_PARAM) == stamp:
        say(f"resuming the load database {name} ({options.scale} scale)")
    else:
        say(f"making the load database {name} ({options.scale} scale) from "
            f"{options.source_database}")  # fmt: skip
        instance.db_clone(options.source_database, name)
        # the same stamp as the demo database it is a copy of: `setup/run --database`
        # serves it as it is
        instance.db_comment(name, instance.db_comment(options.source_database))
        _set_param(instance, name, PARTIAL_PARAM, stamp)
    log = paths.LOGS / f"load-data-{name}.log"
    started = time.time()
    out = _shell(
        instance, name, _run_module(HERE / "load_data.py", "main"),
        extra_env={
            "AMIGO_BENCH_DIR": str(BENCH_DIR),
            "AMIGO_LOAD_SCALE": options.scale,
            "AMIGO_LOAD_MANAGERS": str(options.managers),
            "AMIGO_LOAD_DEALERS": str(options.dealers),
        },
        log=log,
    )  # fmt: skip
    _set_param(instance, name, STAMP_PARAM, stamp)
    print("\n".join(line for line in out.splitlines() if line.startswith("[load data]")))
    say(f"load database {name} made in {time.time() - started:.0f} s; log: {log}")
    return name


def wait_for(host, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{host}/web/health", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SetupError(
        f"no Odoo answers on {host}: start one first, e.g. "
        "`setup/run --workers 4 --replica --database amigo_load`"
    )


def warm_up(host):
    """The pages the users load first, once, one at a time: a threaded Odoo builds its
    asset links on the first page it renders, and CPython 3.10-3.12's AST constructor is
    not thread-safe (python/cpython#106905, see odoo_launcher.py): a dozen users
    arriving at once on a cold threaded server would get 500s from that, not from load."""
    for path in ("/web/login", "/web/login"):
        try:
            with urllib.request.urlopen(f"{host}{path}", timeout=120) as response:  # noqa: S310
                response.read()
        except OSError as error:
            raise SetupError(f"{host}{path} does not answer: {error}") from error


def run_locust(instance, options, out_dir):
    """Locust headless against the host; returns its exit code."""
    prefix = out_dir / "locust"
    cmd = [
        str(instance.python), "-m", "locust", "-f", str(HERE / "locustfile.py"),
        "--headless", "--host", options.host, "--users", str(options.users),
        "--spawn-rate", str(options.spawn_rate), "--run-time", options.duration,
        "--stop-timeout", "30", "--csv", str(prefix), "--html", str(out_dir / "report.html"),
        "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = dict(
        os.environ,
        AMIGO_LOAD_DB=options.database,
        AMIGO_LOAD_MANAGERS=str(options.managers),
        AMIGO_LOAD_DEALERS=str(options.dealers),
        AMIGO_LOAD_THINK=str(options.think),
    )
    say(
        f"Locust: {options.users} users (spawn rate {options.spawn_rate}/s) for "
        f"{options.duration} on {options.host}, database {options.database}"
    )
    with open(out_dir / "locust.log", "w", encoding="utf-8") as log:
        proc = subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)  # noqa: S603
    return proc.returncode


def summary(out_dir):
    """The per-action table from Locust's CSV; returns (rows, total failures)."""
    stats = out_dir / "locust_stats.csv"
    if not stats.exists():
        raise SetupError(f"Locust wrote no statistics; see {out_dir / 'locust.log'}")
    with open(stats, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    width = max([len(row["Name"]) for row in rows] + [10])
    print(f"\n  {'action':<{width}} {'requests':>9} {'failures':>9} {'median':>8} {'p95':>8}")
    failures = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
        if row["Name"] == "Aggregated":
            failures = int(row["Failure Count"])
            print()
        print(
            f"  {name:<{width}} {row['Request Count']:>9} {row['Failure Count']:>9} "
            f"{row['Median Response Time']:>6}ms {row['95%']:>6}ms"
        )
    errors = out_dir / "locust_failures.csv"
    if failures and errors.exists():
        with open(errors, encoding="utf-8") as handle:
            for row in list(csv.DictReader(handle))[:20]:
                print(f"  FAILED {row['Name']} x{row['Occurrences']}: {row['Error'][:200]}")
    return rows, failures


def check_database(instance, database, since):
    out = _shell(
        instance, database, _run_module(HERE / "load_check.py", "main"),
        extra_env={"AMIGO_LOAD_SINCE": since},
    )  # fmt: skip
    lines = [line for line in out.splitlines() if line.startswith("[check]")]
    print("\n".join(lines))
    return not any("FAILED" in line for line in lines)


def load(options):
    instance = prepare(options)
    if not options.no_prepare:
        ensure_load_database(instance, options)
    if options.prepare_only:
        return 0
    if sys.version_info < (3, 11):
        raise SetupError("the load generator (Locust) needs Python 3.11 or 3.12")
    wait_for(options.host)
    warm_up(options.host)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    out_dir = Path(options.output or LOAD_DIR / stamp)
    out_dir.mkdir(parents=True, exist_ok=True)
    since = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    rc = run_locust(instance, options, out_dir)
    _rows, failures = summary(out_dir)
    say(f"Locust's HTML report and CSVs: {out_dir}")
    ok = rc == 0 and failures == 0
    if not options.no_check:
        ok = check_database(instance, options.database, since) and ok
    say("load: 0 failed requests" if ok else f"load: FAILED ({failures} failed requests)")
    return 0 if ok else 1
