"""Lint: ruff check and ruff format (pyproject.toml) over the Python code, pylint with
pylint_odoo (.pylintrc) over every addon, and the pre-commit hooks that run them."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ADDONS_DIR = ROOT / "addons"
RUFF_TARGETS = ["addons", "setup", "tests"]
# The venv's interpreter, unresolved: its bin/ holds ruff, pylint and pre-commit.
PYTHON = Path(os.environ.get("AMIGO_VENV_PYTHON") or sys.executable)


def _addon_dirs():
    return sorted(path.parent for path in ADDONS_DIR.glob("*/__manifest__.py"))


def _run(args, **kwargs):
    return subprocess.run(
        [str(PYTHON), *args], cwd=ROOT, capture_output=True, text=True, check=False, **kwargs
    )


def _ruff(*args):
    return _run(["-m", "ruff", "check", "--no-fix", "--output-format=concise", *args])


def _ruff_format_check(*args):
    return _run(["-m", "ruff", "format", "--check", "--diff", *args])


def _pylint(*paths):
    return _run(["-m", "pylint", f"--rcfile={ROOT / '.pylintrc'}", *map(str, paths)])


def test_ruff():
    result = _ruff(*RUFF_TARGETS)
    assert result.returncode == 0, f"ruff found problems:\n{result.stdout}{result.stderr}"


def test_ruff_format():
    result = _ruff_format_check(*RUFF_TARGETS)
    assert result.returncode == 0, (
        f"files not formatted (run `ruff format`):\n{result.stdout}{result.stderr}"
    )


def test_pylint_odoo_over_every_addon():
    addons = _addon_dirs()
    assert addons, "no addon found under addons/"
    result = _pylint(*addons)
    assert result.returncode == 0, f"pylint found problems:\n{result.stdout}{result.stderr}"


def test_the_lint_configuration_catches_problems(tmp_path):
    """The configuration is live: a faulty addon is reported, and the missing `odoo`
    package is not (import-error is off)."""
    addon = tmp_path / "faulty_addon"
    (addon / "models").mkdir(parents=True)
    (addon / "__init__.py").write_text("from . import models\n", encoding="utf-8")
    (addon / "__manifest__.py").write_text(
        '{"name": "Faulty", "version": "1.0", "author": "Someone Else", "depends": ["base"]}\n',
        encoding="utf-8",
    )
    (addon / "models" / "__init__.py").write_text("from . import thing\n", encoding="utf-8")
    (addon / "models" / "thing.py").write_text(
        "import os\n"
        "from odoo import models\n"
        "import sys\n\n\n"
        "class Thing(models.Model):\n"
        '    _name = "faulty.thing"\n'
        f'    _description = "{"x" * 100}"\n\n'
        "    def action_show(self):\n"
        "        print(sys.argv)\n",
        encoding="utf-8",
    )
    pylint = _pylint(addon)
    for symbol in (
        "manifest-required-author",
        "manifest-required-key",
        "manifest-version-format",
        "missing-readme",
        "print-used",
    ):
        assert f"({symbol})" in pylint.stdout, pylint.stdout
    assert "import-error" not in pylint.stdout
    assert pylint.returncode != 0

    ruff = _ruff(f"--config={ROOT / 'pyproject.toml'}", str(addon))
    for code in ("E501", "F401", "I001"):
        assert f" {code} " in ruff.stdout, ruff.stdout
    assert ruff.returncode != 0


def _pre_commit_config():
    with open(ROOT / ".pre-commit-config.yaml", encoding="utf-8") as file:
        return yaml.safe_load(file)


def test_pre_commit_defines_local_ruff_and_pylint_hooks():
    config = _pre_commit_config()
    repos = config["repos"]
    assert repos and all(repo["repo"] == "local" for repo in repos), (
        "hooks must be local: pre-commit cannot fetch hook repositories here"
    )
    hooks = {hook["id"]: hook for repo in repos for hook in repo["hooks"]}
    assert hooks["ruff"]["language"] == "system"
    assert hooks["ruff"]["entry"].split()[:2] == ["ruff", "check"]
    assert hooks["ruff-format"]["language"] == "system"
    assert hooks["ruff-format"]["entry"].split()[:3] == ["ruff", "format", "--check"]
    pylint = hooks["pylint_odoo"]
    assert pylint["language"] == "system"
    assert pylint["entry"].split()[0] == "pylint"
    assert "--rcfile=.pylintrc" in pylint["entry"].split() + pylint.get("args", [])
    assert pylint["files"].startswith("^addons/")


def test_pre_commit_hooks_run(tmp_path):
    """pre-commit itself runs both hooks, with the venv's tools on PATH, over every file
    of addons/, setup/ and tests/ (tracked or not)."""
    files = sorted(
        str(path.relative_to(ROOT))
        for target in RUFF_TARGETS
        for path in (ROOT / target).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(PYTHON.parent), os.environ.get("PATH", os.defpath)]),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
    }
    result = _run(["-m", "pre_commit", "run", "--color=never", "--files", *files], env=env)
    output = result.stdout + result.stderr
    assert "ruff check" in output and "ruff format" in output, output
    assert "pylint with pylint_odoo" in output, output
    assert result.returncode == 0, f"pre-commit hooks failed:\n{output}"
