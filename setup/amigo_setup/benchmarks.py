"""`setup/bench`: run the benchmarks of tests/benchmarks/ on real Odoo and PostgreSQL.

A benchmark is a file `tests/benchmarks/bench_<name>.py` that defines `ADDONS` (what it
needs installed) and `main(env)`; it generates its data itself in a throwaway copy of a
template database, measures, and prints its figures next to the plain SQL computing the
same result. Nothing is asserted on time: the figures are for people to read.
"""

import ast
import subprocess

from . import paths
from .runner import prepare
from .testing import TEST_PREFIX, ensure_template
from .util import SetupError, say

BENCH_DIR = paths.TESTS / "benchmarks"


def available():
    return sorted(p.stem[len("bench_") :] for p in BENCH_DIR.glob("bench_*.py"))


def _addons_of(path):
    """The literal `ADDONS = [...]` of a benchmark file (read without importing Odoo)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "ADDONS" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise SetupError(f"{path} does not define ADDONS = [...]")


def bench(options):
    names = options.names or available()
    unknown = [n for n in names if n not in available()]
    if unknown:
        raise SetupError(f"unknown benchmark(s): {', '.join(unknown)}; have: {available()}")
    instance = prepare(options)
    failed = 0
    for name in names:
        path = BENCH_DIR / f"bench_{name}.py"
        addons = sorted(_addons_of(path))
        tpl, problems = ensure_template(instance, f"bench_{name}", addons)
        if problems:
            print("\n".join(problems))
            failed += 1
            continue
        database = f"{TEST_PREFIX}bench_{name}"
        instance.db_clone(tpl, database)
        say(f"benchmark {name} ({', '.join(addons)}) on a copy of {tpl}")
        script = "\n".join(
            [
                "import runpy, sys, traceback",
                # the benchmarks' shared helpers (_common.py) sit next to them
                f"sys.path.insert(0, {str(BENCH_DIR)!r})",
                "try:",
                f"    runpy.run_path({str(path)!r})['main'](env)",
                "except Exception:",
                "    traceback.print_exc()",
                "    sys.exit(1)",
                "",
            ]
        )
        shell = ["-d", database, "--no-http", "--log-level", "warn"]
        result = subprocess.run(  # noqa: S603
            instance.command(*shell, subcommand="shell"),
            input=script,
            text=True,
            env=instance.env(),
            check=False,
        )
        failed += result.returncode != 0
        instance.db_drop(database)
    return 1 if failed else 0
