"""The bootstrap shared by `setup/run` and `setup/test`: venv, Odoo source, browser."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from . import paths
from .util import SetupError, apt_install, run, say

ODOO_BRANCH = "18.0"
ODOO_GIT_URL = "https://github.com/odoo/odoo.git"
REQUIREMENT_FILES = ("odoo.txt", "project.txt")
NO_DEPS_FILES = ("addons.txt",)
STAMP = ".amigo-requirements"


# ----------------------------------------------------------------- virtualenv
def _requirements_hash():
    digest = hashlib.sha256(sys.version.encode())
    for name in REQUIREMENT_FILES + NO_DEPS_FILES:
        digest.update(name.encode())
        digest.update((paths.REQUIREMENTS / name).read_bytes())
    return digest.hexdigest()


def ensure_venv():
    """Create the venv and install the pinned requirements; a no-op when nothing changed."""
    if not (3, 10) <= sys.version_info[:2] <= (3, 12):
        raise SetupError(
            f"Python {sys.version.split()[0]} is not supported: use 3.10, 3.11 or 3.12"
        )
    python = paths.venv_python()
    stamp = paths.VENV / STAMP
    wanted = _requirements_hash()
    if python.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        return python
    if python.exists() and _venv_version(python) != sys.version_info[:2]:
        say(f"the virtualenv was made with another Python: recreating it with {sys.executable}")
        shutil.rmtree(paths.VENV)
    if not python.exists():
        say(f"creating virtualenv {paths.VENV} (Python {sys.version.split()[0]})")
        run([sys.executable, "-m", "venv", paths.VENV])
    pip = [python, "-m", "pip", "--disable-pip-version-check", "install", "--prefer-binary"]
    say("installing Python dependencies (pinned, binary wheels)")
    reqs = []
    for name in REQUIREMENT_FILES:
        reqs += ["-r", paths.REQUIREMENTS / name]
    run([*pip, "-q", *reqs])
    for name in NO_DEPS_FILES:
        # OCA wheels require the `odoo` distribution, which is not on PyPI: the
        # Odoo source provides it, so their own dependencies are not resolved.
        run([*pip, "-q", "--no-deps", "-r", paths.REQUIREMENTS / name])
    stamp.write_text(wanted + "\n")
    return python


def _venv_version(python):
    result = subprocess.run(  # noqa: S603
        [str(python), "-c", "import sys; print(*sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return tuple(int(x) for x in result.stdout.split())
    except ValueError:
        return None


def venv_addons_dir():
    """`site-packages/odoo/addons` of the venv, where OCA wheels land."""
    found = sorted(paths.VENV.glob("lib/python3*/site-packages/odoo/addons"))
    return found[0] if found else None


# ---------------------------------------------------------------- Odoo source
def _is_odoo_src(path):
    return (
        path
        and (Path(path) / "odoo-bin").is_file()
        and (Path(path) / "odoo" / "release.py").is_file()
    )


def _odoo_version(path):
    text = (Path(path) / "odoo" / "release.py").read_text()
    match = re.search(r"version_info\s*=\s*\((\d+),\s*(\d+)", text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def default_cache():
    return Path(os.environ.get("HOME", "~")).expanduser() / ".cache" / "odoo" / ODOO_BRANCH


def find_odoo_source():
    """$ODOO_SRC, else $HOME/.cache/odoo/18.0, else a shallow clone into the latter."""
    tried = []
    env_src = os.environ.get("ODOO_SRC")
    if env_src:
        tried.append(f"$ODOO_SRC={env_src}")
        if _is_odoo_src(env_src):
            return _checked(Path(env_src))
    cache = default_cache()
    tried.append(str(cache))
    if _is_odoo_src(cache):
        return _checked(cache)
    if shutil.which("git") and not (cache.exists() and any(cache.iterdir())):
        say(f"cloning Odoo {ODOO_BRANCH} (shallow) into {cache}")
        cache.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(  # noqa: S603
            ["git", "clone", "--depth", "1", "--branch", ODOO_BRANCH, ODOO_GIT_URL, str(cache)],  # noqa: S607
            check=False,
        )
        if result.returncode == 0 and _is_odoo_src(cache):
            return _checked(cache)
        shutil.rmtree(cache, ignore_errors=True)
    tried.append(f"git clone --depth 1 --branch {ODOO_BRANCH} {ODOO_GIT_URL}")
    raise SetupError(
        "Odoo 18.0 source not found. Provide it one of three ways:\n"
        "  1. set ODOO_SRC to an Odoo 18.0 checkout (the folder holding odoo-bin);\n"
        f"  2. put one at {cache} (same layout);\n"
        f"  3. let setup clone {ODOO_GIT_URL} (branch {ODOO_BRANCH}) there,"
        " which needs network access.\n"
        "Tried: " + "; ".join(tried)
    )


def _checked(src):
    version = _odoo_version(src)
    if not version or version[0] != 18:
        raise SetupError(f"{src} holds Odoo {version}, not 18.0")
    return src.resolve()


def odoo_addons_paths(src):
    """Both layouts: source (`addons/` + `odoo/addons`) and nightly (all in `odoo/addons`)."""
    result = []
    if (src / "addons" / "web" / "__manifest__.py").is_file():
        result.append(src / "addons")
    result.append(src / "odoo" / "addons")
    return result


# ------------------------------------------------------------------- browser
CHROME_NAMES = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")


def find_chrome():
    for name in CHROME_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def ensure_chrome():
    """Headless Chromium for the tours: Debian's package when missing and possible."""
    found = find_chrome()
    if found:
        return found
    say("Chromium not found: installing Debian's chromium for the browser tests")
    if apt_install("chromium") and find_chrome():
        return find_chrome()
    raise SetupError(
        "headless Chromium is required for the browser tests and could not be had: "
        "install Debian's `chromium` (or google-chrome) so that it is on PATH"
    )


def ensure_compose():
    """`docker compose` or `docker-compose`, to validate docker-compose.yml (if docker exists)."""
    if not shutil.which("docker"):
        return None
    if (
        subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False
        ).returncode
        == 0
    ):  # noqa: S607
        return ["docker", "compose"]
    if not shutil.which("docker-compose"):
        apt_install("docker-compose")
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None
