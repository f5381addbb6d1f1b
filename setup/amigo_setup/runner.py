"""`setup/run`: create or update the demo database, then serve it."""

import os
import sys

from . import bootstrap, odoo, paths, postgres
from .util import SetupError, say


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


def run(options):
    if options.action == "stop":
        postgres.EmbeddedCluster().stop()
        return 0
    instance = prepare(options)
    addons = selected_addons(options)
    ensure_database(instance, options.database, addons, options.without_demo)
    if options.stop_after_init:
        return 0
    url = f"http://localhost:{options.port}"
    say(f"Odoo 18 with the Amigo suite: {url}  (login admin / password admin); Ctrl-C stops it")
    cmd = instance.command(
        "-d",
        options.database,
        "--db-filter",
        f"^{options.database}$",
        "--http-port",
        str(options.port),
    )
    sys.stdout.flush()
    # exec: Odoo gets Ctrl-C directly and shuts down cleanly
    os.execve(cmd[0], cmd, instance.env())
    return 0  # not reached
