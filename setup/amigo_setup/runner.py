"""`setup/run`: create or update the demo database, then serve it."""

import os
import signal
import subprocess
import sys
import time

from . import bootstrap, odoo, paths, postgres
from .util import SetupError, free_port, say


def prepare(options):
    """The bootstrap shared by run and test: venv, Odoo source, database server."""
    paths.ensure_dirs()
    python = bootstrap.ensure_venv()
    src = bootstrap.find_odoo_source()
    db = postgres.database_params(options)
    return odoo.Odoo(src, db, python)


def selected_addons(options):
    available = odoo.suite_addons()
    if not options.addons:
        return available
    wanted = [a.strip() for a in options.addons.split(",") if a.strip()]
    unknown = [a for a in wanted if a not in odoo.project_addons()]
    if unknown:
        raise SetupError(
            f"unknown addon(s): {', '.join(unknown)}; available: {', '.join(available)}"
        )
    return wanted


def _odoo_init(instance, name, args, log):
    """odoo-bin on `name` with `args`, stopping after init; returns its exit code."""
    rc, _ = instance.run(
        "-d", name, *args, "--stop-after-init", "--log-level", "warn", log_file=log, echo=True
    )
    return rc


def ensure_database(instance, name, addons, without_demo=False):
    """Create `name` with `addons` when missing, update them when their code changed."""
    stamp = "amigo:" + odoo.code_hash(addons, instance.src, extra=(f"demo={not without_demo}",))
    demo = ["--without-demo", "all"] if without_demo else []
    log = paths.LOGS / f"install-{name}.log"
    if not instance.db_exists(name):
        say(
            f"creating database {name} with {', '.join(addons)}"
            f"{' (no demo data)' if without_demo else ' and demo data'}; log: {log}"
        )
        if _odoo_init(instance, name, ["-i", ",".join(addons), *demo], log):
            instance.db_drop(name)
            raise SetupError(f"installing the addons into {name} failed: see {log}")
    elif instance.db_comment(name) != stamp:
        say(f"updating {', '.join(addons)} in database {name}; log: {log}")
        # -u updates the installed addons, -i installs the new ones; never -i an installed
        # addon: Odoo would load it as on install and run its demo data's functions again
        installed = instance.db_installed(name, addons)
        new = [addon for addon in addons if addon not in installed]
        args = []
        if installed:
            args += ["-u", ",".join(installed)]
        if new:
            args += ["-i", ",".join(new)]
        if _odoo_init(instance, name, args, log):
            raise SetupError(f"updating the addons in {name} failed: see {log}")
    else:
        say(f"database {name} is up to date")
    instance.db_comment(name, stamp)


def start_replica(instance):
    """The streaming replica of the embedded cluster, started; Odoo pointed at it."""
    from . import replica  # noqa: PLC0415

    if not instance.db.embedded:
        raise SetupError(
            "--replica makes a streaming replica of the embedded PostgreSQL; with a server "
            "of your own, make its standby with PostgreSQL's tools and pass Odoo "
            "--db_replica_host/--db_replica_port (see README, Deploying)"
        )
    standby = replica.Standby(postgres.EmbeddedCluster())
    params = standby.start()
    replica.wait_streaming(standby)
    say(f"streaming replica up on {params.host} (port {params.port}): read-only requests go there")
    return ["--db_replica_host", params.host, "--db_replica_port", str(params.port)]


def stop(_options):
    from . import replica  # noqa: PLC0415

    primary = postgres.EmbeddedCluster()
    replica.Standby(primary).stop()
    primary.stop()
    return 0


def serve_command(instance, options, replica_args=()):
    """(odoo-bin command, proxy or None) for the options."""
    base = ["-d", options.database, "--db-filter", f"^{options.database}$", *replica_args]
    if not options.workers:
        return instance.command(*base, "--http-port", str(options.port)), None
    from .proxy import Proxy  # noqa: PLC0415

    http_port, bus_port = free_port(), free_port()
    command = instance.command(
        *base,
        "--workers", str(options.workers),
        "--max-cron-threads", str(options.cron_threads),
        "--http-interface", "127.0.0.1",
        "--http-port", str(http_port),
        "--gevent-port", str(bus_port),
        "--proxy-mode",
        "--limit-time-real", "600",
        "--limit-time-cpu", "300",
    )  # fmt: skip
    return command, Proxy(options.port, http_port, bus_port)


def run(options):
    if options.action == "stop":
        return stop(options)
    if options.workers is not None and options.workers < 1:
        raise SetupError("--workers needs at least 1 worker (leave it out for a threaded server)")
    instance = prepare(options)
    addons = selected_addons(options)
    ensure_database(instance, options.database, addons, options.without_demo)
    if options.stop_after_init:
        return 0
    replica_args = start_replica(instance) if options.replica else []
    cmd, proxy = serve_command(instance, options, replica_args)
    url = f"http://localhost:{options.port}"
    how = f" ({options.workers} workers behind nginx)" if proxy else ""
    say(f"Odoo 18 with the Amigo suite: {url}{how}  (login admin / password admin); "
        "Ctrl-C stops it")  # fmt: skip
    sys.stdout.flush()
    if proxy is None and not options.replica:
        # exec: Odoo gets Ctrl-C directly and shuts down cleanly
        os.execve(cmd[0], cmd, instance.env())
    return supervise(cmd, instance.env(), proxy)


def supervise(cmd, env, proxy, grace=15):
    """Odoo as a child (and nginx beside it): a signal to setup/run reaches Odoo, and
    nginx stops when Odoo has. Odoo's prefork server stops gracefully on a first signal
    (waiting for its workers, crons included); `grace` seconds later it gets a second
    one, which forces it, then it is killed."""
    odoo_proc = subprocess.Popen(cmd, env=env)  # noqa: S603
    stopping = []

    def forward(signum, _frame):
        if odoo_proc.poll() is None:
            odoo_proc.send_signal(signum)
        stopping.append(time.monotonic())

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)  # Ctrl-C reaches Odoo by itself too
    try:
        if proxy:
            proxy.start()
        forced = False
        while True:
            try:
                return odoo_proc.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
            if stopping and time.monotonic() - stopping[0] > grace:
                if forced:
                    odoo_proc.kill()
                else:
                    odoo_proc.send_signal(signal.SIGINT)
                    forced = True
                    stopping[0] = time.monotonic()
    finally:
        if odoo_proc.poll() is None:
            odoo_proc.terminate()
            try:
                odoo_proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                odoo_proc.kill()
                odoo_proc.wait()
        if proxy:
            proxy.stop()
