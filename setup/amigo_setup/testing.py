"""`setup/test`: every addon's tests on real Odoo, PostgreSQL and Chromium, then tests/."""

import concurrent.futures
import contextlib
import datetime
import fcntl
import hashlib
import json
import os
import re
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from . import bootstrap, odoo, paths
from .runner import prepare
from .util import SetupError, free_port, say

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>[^:\s]+): (?P<msg>.*)$"
)
REPORT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
TEMPLATE_PREFIX = "amigo_tpl_"
TEST_PREFIX = "amigo_test_"
PYTEST_UNIT = "tests/ (integration)"


def default_jobs():
    """Databases tested at a time: AMIGO_TEST_JOBS, else one per CPU core (at most 4)."""
    try:
        wanted = int(os.environ.get("AMIGO_TEST_JOBS", "0"))
    except ValueError:
        wanted = 0
    return wanted if wanted > 0 else max(1, min(4, os.cpu_count() or 1))


@dataclass
class Result:
    name: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    problems: list = field(default_factory=list)
    seconds: float = 0.0

    def line(self):
        extra = f", {self.skipped} skipped" if self.skipped else ""
        return (
            f"{self.name}: {self.passed} passed, {self.failed} failed{extra} ({self.seconds:.0f}s)"
        )


def parse_odoo_log(text):
    """Counts from an Odoo test run's log.

    Returns (report, skipped, failures, stray): report is (failed, errors, total) from
    Odoo's closing line or None, failures the FAIL/ERROR lines of tests, stray the other
    ERROR/CRITICAL lines.
    """
    report = None
    skipped = 0
    failures, stray = [], []
    for line in text.splitlines():
        match = LOG_LINE.match(line)
        if not match:
            continue
        level, logger, msg = match["level"], match["logger"], match["msg"]
        found = REPORT.search(msg)
        if found and logger == "odoo.tests.result":
            report = tuple(int(x) for x in found.groups())
            continue
        if msg.startswith("skipped ") and level == "INFO":
            skipped += 1
        elif level in ("ERROR", "CRITICAL"):
            if msg.startswith(("FAIL: ", "ERROR: ")):
                failures.append(msg)
            else:
                stray.append(f"{level} {logger}: {msg}")
    return report, skipped, failures, stray


def tags_for(modules, extra):
    """--test-tags selecting `modules`, narrowed by the user's extra tags."""
    positives, negatives = [], []
    for tag in [t.strip() for t in (extra or "").split(",") if t.strip()]:
        (negatives if tag.startswith("-") else positives).append(tag)
    specs = []
    for module in modules:
        if not positives:
            specs.append(f"/{module}")
        for tag in positives:
            cut = min([i for i in (tag.find(":"), tag.find(".")) if i >= 0], default=len(tag))
            head, rest = tag[:cut], tag[cut:]
            if "/" in head:
                if head.split("/", 1)[1] == module:
                    specs.append(tag)
            else:
                specs.append(f"{head}/{module}{rest}")
    return ",".join(specs + negatives)


# every addon of the suite depends on mail: each database starts from a copy of one with
# only mail installed (base alone takes half a minute), then installs its addons on top
LAYER = ("layer_mail", ("mail",))
_layer_lock = threading.Lock()


@contextlib.contextmanager
def layer_lock():
    """Held while the layer database is built or copied: by one thread of this run and
    by one process at a time (two `setup/test` or `setup/bench` runs side by side)."""
    with _layer_lock, open(paths.STATE / "layer.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_layer(instance):
    """The database with only `mail` (and what it depends on), demo data included."""
    name, modules = LAYER
    with layer_lock():  # built once, by whichever unit asks first
        return ensure_template(instance, name, list(modules), layered=False)


_template_locks = {}
_template_locks_guard = threading.Lock()


def _template_lock(name):
    """One thread of this run builds a given template; the others wait for it."""
    with _template_locks_guard:
        return _template_locks.setdefault(name, threading.Lock())


def ensure_template(instance, name, modules, layered=True, base=None):
    """A database with `modules` installed (demo data), cached by code hash and day.

    It starts from a copy of `base` (a template name) when given, else of the layer
    database (`layered`), else from an empty database.

    The day (UTC) is part of the key because the demo data are dated from the day of the
    install (orders placed in the coming days, deals of the last months): a template kept
    for a week would give the tests a week-old demo.

    Returns (database name, None) or (None, [problems]).
    """
    with _template_lock(name):
        return _ensure_template(instance, name, modules, layered, base)


def _ensure_template(instance, name, modules, layered, base):
    tpl = f"{TEMPLATE_PREFIX}{name}"
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    extra = (f"installed={today}", f"base={base or ''}")
    stamp = "amigo:" + odoo.code_hash(modules, instance.src, extra=extra)
    if instance.db_exists(tpl) and instance.db_comment(tpl) == stamp:
        say(f"[{name}] template {tpl} is up to date (cached)")
        return tpl, None
    source = base
    if base is None and layered:
        source, problems = ensure_layer(instance)
        if problems:
            return None, problems
    log = paths.LOGS / f"install-{name}.log"
    start = f"a copy of {source}" if source else "a fresh database"
    # `-i` of a module the copy already has would load its data again, demo included, in
    # "init" mode (mail's demo then fails and Odoo turns demo data off for what follows)
    present = set(instance.db_installed(source, modules)) if source else set()
    missing = [module for module in modules if module not in present]
    say(f"[{name}] installing {', '.join(missing) or 'nothing more'} into {start}; log: {log}")
    instance.db_drop(tpl)
    if source:
        with layer_lock():  # one copy of a template at a time, never while one is rebuilt
            instance.db_clone(source, tpl)
    if not missing:
        instance.db_comment(tpl, stamp)
        return tpl, None
    modules = missing
    rc, text = instance.run(
        "-d", tpl, "-i", ",".join(modules), "--stop-after-init",
        "--http-port", str(free_port()), "--http-interface", "127.0.0.1",
        log_file=log,
    )  # fmt: skip
    _, _, _, stray = parse_odoo_log(text)
    if rc or stray:
        instance.db_drop(tpl)
        return None, (stray or [f"odoo-bin exited with {rc}"]) + [f"see {log}"]
    instance.db_comment(tpl, stamp)
    return tpl, None


def ensure_dependencies(instance, modules):
    """The database where the addons `modules` need from outside the project are installed
    (demo data), and none of the project's: the database OCA's CI installs a repository's
    addons into with the tests enabled. Units with the same dependencies share it."""
    depends = odoo.external_depends(modules)
    digest = hashlib.sha1(",".join(depends).encode()).hexdigest()[:10]
    return ensure_template(instance, f"deps_{digest}", depends)


class TestRun:
    def __init__(self, options):
        self.options = options
        self.instance = prepare(options)
        self.results = []
        self.order = []
        self.lock = threading.Lock()

    def integration_template(self, everything):
        base, problems = ensure_dependencies(self.instance, everything)
        if problems:
            return None, problems
        return ensure_template(self.instance, "all", everything, base=base)

    # ------------------------------------------------------------------ units
    def odoo_unit(self, name, modules):
        """The tests of `modules` as OCA's CI runs them: into a database where their
        dependencies are installed, `odoo-bin -i <modules> --test-enable`, so that the
        `at_install` tests run while the modules install and the `post_install` ones after."""
        started = time.time()
        result = Result(name)
        tpl, problems = ensure_dependencies(self.instance, modules)
        if problems:
            result.failed = 1
            result.problems = ["installation of the dependencies failed:", *problems]
            return self._done(result, started)
        db = f"{TEST_PREFIX}{name}"
        self.instance.db_drop(db)
        self.instance.db_clone(tpl, db)
        log = paths.LOGS / f"test-{name}.log"
        tags = tags_for(modules, self.options.test_tags)
        say(f"[{name}] installing {', '.join(modules)} with the tests ({tags}); log: {log}")
        rc, text = self.instance.run(
            "-d", db, "-i", ",".join(modules),
            "--test-enable", "--test-tags", tags, "--stop-after-init",
            "--http-port", str(free_port()), "--http-interface", "127.0.0.1",
            "--max-cron-threads", "0",
            log_file=log,
        )  # fmt: skip
        report, skipped, failures, stray = parse_odoo_log(text)
        if report is None:
            result.failed = 1
            result.problems = [
                f"the Odoo run ended without a test report (exit {rc}); see {log}",
                *stray[-10:],
            ]
        else:
            failed, errors, total = report
            result.failed = failed + errors
            result.skipped = skipped
            result.passed = max(total - result.failed - skipped, 0)
            result.problems = failures[:20]
            if total == 0:
                result.failed += 1
                result.problems.append(f"no test ran for {', '.join(modules)}")
            elif not result.failed and (stray or rc):
                result.failed += 1
                result.problems += [
                    f"errors logged outside tests (exit {rc}); see {log}",
                    *stray[:10],
                ]
        if not self.options.keep_databases:
            self.instance.db_drop(db)
        return self._done(result, started)

    def pytest_unit(self, all_template):
        started = time.time()
        result = Result(PYTEST_UNIT)
        junit = paths.LOGS / "pytest.xml"
        env = self.instance.env()
        env.update(
            AMIGO_ODOO_COMMAND=json.dumps(self.instance.command()),
            AMIGO_TEMPLATE_DB=all_template or "",
            AMIGO_SUITE_ADDONS=json.dumps(odoo.suite_addons()),
            AMIGO_ALL_ADDONS=json.dumps(sorted(odoo.project_addons())),
            AMIGO_VENV_PYTHON=str(self.instance.python),
            AMIGO_STATE_DIR=str(paths.STATE),
        )
        compose = bootstrap.ensure_compose()
        if compose:
            env["AMIGO_COMPOSE"] = json.dumps(compose)
        cmd = [
            str(self.instance.python),
            "-m",
            "pytest",
            str(paths.TESTS),
            "-p",
            "no:cacheprovider",
            "-p",
            "no:odoo",
            "-q",
            "-rfEs",
            f"--junitxml={junit}",
        ]
        if self.options.pytest_args:
            cmd += self.options.pytest_args.split()
        say("running the integration tests under tests/ (pytest)")
        proc = subprocess.run(cmd, env=env, cwd=str(paths.ROOT), check=False)  # noqa: S603
        if not junit.exists():
            result.failed = 1
            result.problems = [f"pytest did not produce a report (exit {proc.returncode})"]
            return self._done(result, started)
        suite = ET.parse(junit).getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        total = int(suite.get("tests", 0))
        failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        result.passed, result.failed, result.skipped = total - failed - skipped, failed, skipped
        if total == 0:
            result.failed = 1
            result.problems = ["pytest collected no test"]
        elif proc.returncode and not failed:
            result.failed = 1
            result.problems = [f"pytest exited with {proc.returncode}"]
        return self._done(result, started)

    def _done(self, result, started):
        result.seconds = time.time() - started
        with self.lock:
            self.results.append(result)
            say(result.line())
            for problem in result.problems:
                print(f"    {problem}", flush=True)
        return result

    # -------------------------------------------------------------------- all
    def run(self):
        chrome = bootstrap.ensure_chrome()
        say(f"browser for the tours: {chrome}")
        addons = odoo.suite_addons()
        if not addons:
            raise SetupError("no addon found under addons/")
        only = self.options.addon or []
        scenarios = odoo.test_scenarios()
        unknown = [a for a in only if a not in addons and a not in scenarios]
        if unknown:
            raise SetupError(
                f"unknown addon(s): {', '.join(unknown)}; available: "
                f"{', '.join(addons + scenarios)}"
            )
        units = {
            name: sorted([name, *odoo.test_companions(name)])
            for name in only or addons
            if name not in scenarios
        }
        everything = sorted({module for modules in units.values() for module in modules})
        # each scenario in its own database: all of them, or those of the addons asked for
        wanted = set(only)
        units.update(
            {
                name: [name]
                for name in scenarios
                if not only or name in wanted or wanted & set(odoo.local_closure([name]))
            }
        )
        if any(not t.strip().startswith("-") for t in (self.options.test_tags or "").split(",")
               if t.strip()):  # fmt: skip
            # test tags that name addons: the units of the other addons have nothing to run
            units = {
                name: modules
                for name, modules in units.items()
                if any(not spec.startswith("-") for spec in
                       tags_for(modules, self.options.test_tags).split(",") if spec)
            }  # fmt: skip
        work = list(units.items())
        same = [name for name, modules in units.items() if modules == everything]
        if not only and not same:
            work.insert(0, ("all", everything))  # the longest unit starts first
        jobs = max(1, min(self.options.jobs or default_jobs(), len(work)))
        if jobs > 1:
            say(f"{len(work)} databases to test, {jobs} at a time")
        self.order = [name for name, _ in work] + [PYTEST_UNIT]
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(self.odoo_unit, *work[0])]
            if not only:
                # the integration tests' database: every addon installed (demo data), no
                # test run in it; built beside the units, from their dependencies' database
                integration = pool.submit(self.integration_template, everything)
            futures += [pool.submit(self.odoo_unit, name, modules) for name, modules in work[1:]]
            for future in futures:
                future.result()
            if not only:
                tpl, problems = integration.result()
        if not only:
            if same:
                say(f"[all] the same addons as [{same[0]}], tested above")
            if problems:
                result = Result(PYTEST_UNIT, failed=1)
                result.problems = ["installation of every addon failed:", *problems]
                self._done(result, time.time())
            else:
                self.pytest_unit(tpl)
        return self.summary()

    def summary(self):
        passed = sum(r.passed for r in self.results)
        failed = sum(r.failed for r in self.results)
        skipped = sum(r.skipped for r in self.results)
        print("", flush=True)
        rank = {name: index for index, name in enumerate(self.order)}
        for result in sorted(self.results, key=lambda r: rank.get(r.name, len(rank))):
            print(f"  {result.line()}")
        if skipped:
            print("  skipped tests count as failures: a skipped test is a promise not kept")
        extra = f", {skipped} skipped" if skipped else ""
        print(f"{passed} passed, {failed} failed{extra}", flush=True)
        return 1 if failed or skipped else 0


def test(options):
    os.environ.setdefault("AMIGO_TESTING", "1")
    return TestRun(options).run()
