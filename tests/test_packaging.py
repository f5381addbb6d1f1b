"""Every addon builds into a wheel with whool, as OCA addons are published on PyPI.

The wheel is built in place, as a release would build it: whool packs the files git
tracks in the addon (untracked files are left out; outside a git checkout it packs the
whole directory) and derives the version from the manifest plus git history (18.0 addons:
"<manifest version>.N" for N later commits, or a ".devN" while changes are uncommitted).
A non-editable build writes nothing into the addon; the test checks that too.
"""

import ast
import os
import re
import subprocess
import sys
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10: whool depends on tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
ADDONS_DIR = ROOT / "addons"
PYTHON = Path(os.environ.get("AMIGO_VENV_PYTHON") or sys.executable)
ADDONS = sorted(path.parent.name for path in ADDONS_DIR.glob("*/__manifest__.py"))


def _manifest(name):
    return ast.literal_eval((ADDONS_DIR / name / "__manifest__.py").read_text(encoding="utf-8"))


def _git_files(addon_dir, *options):
    """Files under addon_dir listed by `git ls-files` (relative), or None outside git."""
    result = subprocess.run(
        ["git", "ls-files", "-z", *options], cwd=addon_dir, capture_output=True, check=False
    )
    if result.returncode:
        return None
    return {name for name in result.stdout.decode().split("\0") if name}


def _tree(addon_dir):
    return {
        str(path.relative_to(addon_dir))
        for path in addon_dir.rglob("*")
        if "__pycache__" not in path.parts
    }


def test_there_are_addons():
    assert ADDONS, "no addon (directory with a __manifest__.py) under addons/"


@pytest.mark.parametrize("name", ADDONS)
def test_addon_builds_a_wheel_with_whool(name, tmp_path):
    addon_dir = ADDONS_DIR / name
    pyproject = addon_dir / "pyproject.toml"
    assert pyproject.is_file(), f"addons/{name} has no pyproject.toml (whool)"
    build_system = tomllib.loads(pyproject.read_text(encoding="utf-8"))["build-system"]
    assert build_system["build-backend"] == "whool.buildapi"
    assert any(re.match(r"whool\b", requirement) for requirement in build_system["requires"])

    tracked = _git_files(addon_dir)
    if tracked is not None:
        # whool copies exactly the tracked files: a new file must at least be `git add`ed
        untracked = _git_files(addon_dir, "--others", "--exclude-standard")
        assert tracked, f"addons/{name} is not known to git: `git add addons/{name}`"
        assert not untracked, (
            f"whool packs only the files git tracks; `git add` (or delete) these files of "
            f"addons/{name}: {sorted(untracked)}"
        )
        expected = tracked
    else:
        expected = {path for path in _tree(addon_dir) if (addon_dir / path).is_file()}

    before = _tree(addon_dir)
    dist = tmp_path / "dist"
    result = subprocess.run(
        [
            str(PYTHON),
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            str(addon_dir),
            "-w",
            str(dist),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"pip wheel failed:\n{result.stdout}\n{result.stderr}"
    assert _tree(addon_dir) == before, "the build left files behind in the addon"

    wheels = [path.name for path in dist.glob("*.whl")]
    assert len(wheels) == 1, wheels
    version = re.escape(_manifest(name)["version"])
    assert re.fullmatch(
        rf"odoo_addon_{name}-{version}(\.\d+|\.dev\d+)?-py3-none-any\.whl", wheels[0]
    ), wheels[0]
    assert wheels[0].startswith(f"odoo_addon_{name}-18.0.")

    with zipfile.ZipFile(dist / wheels[0]) as wheel:
        names = set(wheel.namelist())
        prefix = f"odoo/addons/{name}/"
        assert f"{prefix}__manifest__.py" in names
        missing = {path for path in expected - {"pyproject.toml"} if prefix + path not in names}
        assert not missing, f"files of addons/{name} missing from the wheel: {sorted(missing)}"
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = HeaderParser().parsestr(wheel.read(metadata_name).decode())
    assert metadata["Name"] == f"odoo-addon-{name}"
    requires = metadata.get_all("Requires-Dist") or []
    assert any(re.match(r"odoo(==|>=)18\.0", requirement) for requirement in requires), requires
    for dependency in _manifest(name).get("depends", []):
        if dependency in ADDONS:  # suite addons become wheel dependencies
            pattern = rf"odoo-addon-{re.escape(dependency)}(?![\w-])"
            assert any(re.match(pattern, requirement) for requirement in requires), requires
