"""Command line of setup/run and setup/test."""

import argparse
import sys

from .util import SetupError


def _db_options(parser):
    group = parser.add_argument_group(
        "database server",
        "Default: an embedded PostgreSQL cluster in .amigo/ (started as needed). "
        "These options, or PGHOST/PGPORT/PGUSER/PGPASSWORD, name an existing server instead.",
    )
    group.add_argument("--db-host", help="PostgreSQL host or unix socket directory")
    group.add_argument("--db-port", type=int, help="PostgreSQL port")
    group.add_argument("--db-user", help="PostgreSQL role (must be allowed to create databases)")
    group.add_argument("--db-password", help="PostgreSQL password")


def run_parser():
    parser = argparse.ArgumentParser(
        prog="setup/run",
        description="Serve Odoo 18 with the Amigo suite on its demo database at "
        "http://localhost:PORT (login admin, password admin). Creates the database with every "
        "addon and its demo data when missing, updates the addons when their code changed.",
    )
    parser.add_argument(
        "action",
        nargs="?",
        choices=["serve", "stop"],
        default="serve",
        help="serve (default), or stop the embedded PostgreSQL (and its replica)",
    )
    parser.add_argument("-p", "--port", type=int, default=8069, help="HTTP port (default 8069)")
    parser.add_argument("-d", "--database", default="amigo", help="database name (default amigo)")
    parser.add_argument(
        "--addons", help="comma-separated addons to install (default: all of addons/)"
    )
    parser.add_argument(
        "--without-demo", action="store_true", help="create the database without demo data"
    )
    parser.add_argument(
        "--stop-after-init",
        action="store_true",
        help="create/update the database, then exit instead of serving",
    )
    topology = parser.add_argument_group(
        "production topology",
        "Odoo's own mechanisms for many users: prefork workers behind a reverse proxy, "
        "and a PostgreSQL streaming replica serving the read-only requests.",
    )
    topology.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="serve with N prefork workers and the gevent port of the live bus, behind "
        "nginx on --port (Debian's nginx, installed when missing and running as root)",
    )
    topology.add_argument(
        "--cron-threads",
        type=int,
        default=2,
        metavar="N",
        help="with --workers: cron worker processes beside the HTTP workers (default 2)",
    )
    topology.add_argument(
        "--replica",
        action="store_true",
        help="add a streaming replica of the embedded PostgreSQL (hot standby, a second "
        "data directory and socket) and send Odoo's read-only requests to it",
    )
    _db_options(parser)
    return parser


def test_parser():
    parser = argparse.ArgumentParser(
        prog="setup/test",
        description="Run every test on real Odoo 18, PostgreSQL and headless Chromium: each addon "
        "in a fresh database of its own, then all addons together, then the integration tests "
        "under tests/. Ends with the line 'N passed, N failed'.",
    )
    parser.add_argument(
        "--addon",
        action="append",
        metavar="NAME",
        help="test only this addon in its own database (repeatable)",
    )
    parser.add_argument(
        "--keep-databases",
        action="store_true",
        help="keep the test databases (amigo_test_*) for inspection",
    )
    parser.add_argument(
        "--test-tags", help="extra Odoo test tags, e.g. '-post_install' or ':TestStall'"
    )
    parser.add_argument(
        "--pytest-args", help="extra arguments for pytest over tests/, e.g. '-k rpc'"
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="test N databases at a time (default: AMIGO_TEST_JOBS, else one per CPU core, "
        "at most 4)",
    )
    _db_options(parser)
    return parser


def bench_parser():
    parser = argparse.ArgumentParser(
        prog="setup/bench",
        description="Run the benchmarks under tests/benchmarks/ (bench_<name>.py) on a throwaway "
        "copy of a database with the addons they need; each prints its figures and the ratio "
        "against plain SQL computing the same result.",
    )
    parser.add_argument("names", nargs="*", help="benchmark names (default: all)")
    _db_options(parser)
    return parser


def load_parser():
    parser = argparse.ArgumentParser(
        prog="setup/load",
        description="A day's traffic on the suite with Locust: sales managers, the head of "
        "sales, the production head, dealers on the portal and RPC scripts, against a server "
        "serving the load database (the demo database at the seeds' scale, made when "
        "missing). Prints requests, failures, median and 95th percentile per action, writes "
        "Locust's HTML report and CSVs under .amigo/load/, then checks the database: no "
        "duplicate notification, no lost need match. Exits non-zero on any failed request.",
    )
    parser.add_argument(
        "--host",
        default="http://localhost:8069",
        help="the server to load (default http://localhost:8069: start it with "
        "`setup/run --workers 4 --replica --database amigo_load`)",
    )
    parser.add_argument("-u", "--users", type=int, default=100, help="simulated users (100)")
    parser.add_argument(
        "-r", "--spawn-rate", type=float, default=2, help="users started per second (2)"
    )
    parser.add_argument(
        "-t", "--duration", default="10m", help="how long, e.g. 60s, 10m (default 10m)"
    )
    parser.add_argument(
        "-d", "--database", default="amigo_load", help="the load database (amigo_load)"
    )
    parser.add_argument(
        "--source-database",
        default="amigo",
        help="the demo database the load database is copied from (amigo)",
    )
    parser.add_argument(
        "--scale",
        choices=["seeds", "demo"],
        default="seeds",
        help="seeds: the benchmarks' volumes (default); demo: the demo data only",
    )
    parser.add_argument("--managers", type=int, default=30, help="sales managers' logins (30)")
    parser.add_argument("--dealers", type=int, default=20, help="dealers' portal logins (20)")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="scale of the think times between a user's actions (1.0)",
    )
    parser.add_argument("--output", help="folder of the report (default .amigo/load/<time>)")
    parser.add_argument(
        "--prepare-only", action="store_true", help="make the load database, then exit"
    )
    parser.add_argument(
        "--no-prepare",
        action="store_true",
        help="do not make or check the load database (a server of another PostgreSQL)",
    )
    parser.add_argument(
        "--no-check",
        action="store_true",
        help="skip the database checks after the run (its database is not reachable here)",
    )
    _db_options(parser)
    return parser


def main(argv):
    if not argv or argv[0] not in ("run", "test", "bench", "load"):
        print("usage: python -m amigo_setup {run,test,bench,load} ...", file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    try:
        if command == "run":
            from .runner import run  # noqa: PLC0415

            return run(run_parser().parse_args(rest))
        if command == "load":
            from .load import load  # noqa: PLC0415

            return load(load_parser().parse_args(rest))
        if command == "bench":
            from .benchmarks import bench  # noqa: PLC0415

            return bench(bench_parser().parse_args(rest))
        from .testing import test  # noqa: PLC0415

        return test(test_parser().parse_args(rest))
    except SetupError as error:
        print(f"[amigo] ERROR: {error}", file=sys.stderr, flush=True)
        if command == "test":
            print("0 passed, 1 failed", flush=True)
        return 1
    except KeyboardInterrupt:
        return 130
