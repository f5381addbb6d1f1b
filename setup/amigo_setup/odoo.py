"""Running Odoo from its source with the project's addons on the chosen database."""

import ast
import os
import subprocess
from pathlib import Path

from . import bootstrap, paths
from .util import SetupError, hash_paths


# ------------------------------------------------------------------- addons
def read_manifest(addon_dir):
    return ast.literal_eval((Path(addon_dir) / "__manifest__.py").read_text())


def project_addons():
    """{name: manifest} of the installable addons in addons/."""
    result = {}
    if not paths.ADDONS.is_dir():
        return result
    for child in sorted(paths.ADDONS.iterdir()):
        if (child / "__manifest__.py").is_file():
            manifest = read_manifest(child)
            if manifest.get("installable", True):
                result[child.name] = manifest
    return result


def is_test_addon(name):
    """Test-only addons (Odoo's convention: `test_<addon>`) carry test models."""
    return name.startswith("test_")


def suite_addons():
    """The addons a user installs: every project addon but the test-only ones."""
    return [name for name in project_addons() if not is_test_addon(name)]


def local_closure(names):
    """The project addons that `names` need, themselves included."""
    addons = project_addons()
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen or name not in addons:
            continue
        seen.add(name)
        todo.extend(addons[name].get("depends", []))
    return sorted(seen)


def external_depends(names):
    """The addons outside the project that `names` (and the project addons they need)
    depend on directly: what OCA's CI installs before it installs a repository's addons."""
    addons = project_addons()
    return sorted(
        {dep for name in local_closure(names) for dep in addons[name].get("depends", [])}
        - set(addons)
    )


def test_companions(name):
    """The test-only addon that exists to test `name` beside it: `test_<name>`."""
    companion = f"test_{name}"
    return [companion] if companion in project_addons() else []


def test_scenarios():
    """Test-only addons that are no addon's companion: each installs a scenario (the suite
    next to another module, say) tested in a database of its own, never in the database of
    all addons."""
    addons = project_addons()
    companions = {f"test_{name}" for name in addons}
    return sorted(name for name in addons if is_test_addon(name) and name not in companions)


def code_hash(names, odoo_src, extra=()):
    """Hash of the code that a database with `names` installed was built from."""
    local = [paths.ADDONS / n for n in local_closure(names)]
    release = (odoo_src / "odoo" / "release.py").read_text()
    reqs = [(paths.REQUIREMENTS / f).read_text() for f in sorted(os.listdir(paths.REQUIREMENTS))]
    return hash_paths(local, extra=(release, *reqs, *sorted(names), *extra))


# --------------------------------------------------------------------- Odoo
class Odoo:
    def __init__(self, src, db, python):
        self.src = src
        self.db = db
        self.python = python
        addons_path = [paths.ADDONS, *bootstrap.odoo_addons_paths(src)]
        oca = bootstrap.venv_addons_dir()
        if oca:
            addons_path.append(oca)
        self.addons_path = ",".join(str(p) for p in addons_path)

    def env(self):
        env = dict(os.environ)
        for key in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"):
            env.pop(key, None)
        env.update(self.db.env())
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def command(self, *args, subcommand=None):
        """odoo-bin [subcommand] with the addons path, data dir and database options."""
        return [
            str(self.python),
            str(Path(__file__).with_name("odoo_launcher.py")),
            str(self.src / "odoo-bin"),
            *([subcommand] if subcommand else []),
            "--addons-path",
            self.addons_path,
            "--data-dir",
            str(paths.DATA),
            *self.db.odoo_args(),
            *args,
        ]

    def run(self, *args, log_file=None, echo=False, extra_env=None):
        """Run odoo-bin to completion; return (returncode, log text)."""
        cmd = self.command(*args)
        env = {**self.env(), **(extra_env or {})}
        if log_file is None:
            return subprocess.run(cmd, env=env, check=False).returncode, ""
        lines = []
        with open(log_file, "w", encoding="utf-8") as log:
            proc = subprocess.Popen(  # noqa: S603
                cmd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
            )
            for line in proc.stdout:
                log.write(line)
                lines.append(line)
                if echo:
                    print(line, end="", flush=True)
            proc.wait()
        return proc.returncode, "".join(lines)

    # ------------------------------------------------------------ databases
    def pgtool(self, *args, capture=False):
        cmd = [
            str(self.python),
            str(Path(__file__).with_name("pgtool.py")),
            "--data-dir",
            str(paths.DATA),
            *map(str, args),
        ]
        result = subprocess.run(cmd, env=self.env(), capture_output=capture, text=True, check=False)  # noqa: S603
        if result.returncode not in (0, 1) or (result.returncode == 1 and args[0] != "exists"):
            raise SetupError(
                f"database operation failed: {' '.join(map(str, args))}\n{result.stderr or ''}"
            )
        return result

    def db_exists(self, name):
        return self.pgtool("exists", name).returncode == 0

    def db_list(self, prefix):
        out = self.pgtool("list", prefix, capture=True).stdout
        return [line for line in out.splitlines() if line]

    def db_drop(self, *names):
        if names:
            self.pgtool("drop", *names)

    def db_clone(self, source, target):
        self.pgtool("clone", source, target)

    def db_installed(self, name, modules):
        """Those of `modules` installed in database `name`."""
        out = self.pgtool("installed", name, *modules, capture=True).stdout
        return [line for line in out.splitlines() if line]

    def db_comment(self, name, text=None):
        if text is None:
            return self.pgtool("comment", name, capture=True).stdout.strip()
        self.pgtool("comment", name, text)
        return text
