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


def test_every_manifest_names_its_maintainers_and_development_status():
    import ast  # noqa: PLC0415

    for addon in _addon_dirs():
        manifest = ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))
        assert manifest.get("maintainers"), f"{addon.name}: no maintainers"
        assert manifest.get("development_status") in (
            "Alpha", "Beta", "Production/Stable", "Mature"
        ), f"{addon.name}: development_status {manifest.get('development_status')!r}"  # fmt: skip


def test_pre_commit_generates_addon_readmes():
    """OCA's way: README.rst is generated from readme/ by a hook, never written by hand."""
    hooks = {hook["id"]: hook for repo in _pre_commit_config()["repos"] for hook in repo["hooks"]}
    readme = hooks["gen-addon-readme"]
    assert readme["language"] == "system"
    assert readme["entry"].split() == ["python", "setup/gen_addon_readme.py"]


def test_every_addon_readme_is_generated_and_current():
    result = _run(["setup/gen_addon_readme.py", "--check"])
    assert result.returncode == 0, (
        f"README.rst out of date (run `python setup/gen_addon_readme.py`):\n{result.stdout}"
        f"{result.stderr}"
    )
    for addon in _addon_dirs():
        text = (addon / "README.rst").read_text(encoding="utf-8")
        assert "This file is generated by setup/gen_addon_readme.py" in text, addon.name


def test_a_stale_addon_readme_is_caught_and_regenerated(tmp_path):
    addon = tmp_path / "some_addon"
    (addon / "readme").mkdir(parents=True)
    (addon / "__manifest__.py").write_text(
        '{"name": "Some Addon", "version": "18.0.1.0.0", "license": "LGPL-3",'
        ' "author": "Amigo suite", "maintainers": ["amigo"],'
        ' "development_status": "Beta"}\n',
        encoding="utf-8",
    )
    (addon / "readme" / "DESCRIPTION.md").write_text("What it **does**.\n", encoding="utf-8")
    (addon / "readme" / "USAGE.md").write_text("## Steps\n\n- one\n- two\n", encoding="utf-8")
    (addon / "README.rst").write_text("hand-written\n", encoding="utf-8")
    script = "setup/gen_addon_readme.py"
    assert _run([script, "--check", str(addon)]).returncode == 1
    assert (addon / "README.rst").read_text(encoding="utf-8") == "hand-written\n"
    assert _run([script, str(addon)]).returncode == 1  # regenerated: pre-commit fails once
    text = (addon / "README.rst").read_text(encoding="utf-8")
    assert "What it **does**." in text and "Usage\n=====" in text and "Steps\n-----" in text
    assert "Current maintainer: amigo." in text
    assert _run([script, "--check", str(addon)]).returncode == 0


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
