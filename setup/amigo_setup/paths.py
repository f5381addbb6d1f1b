"""Where things live. Everything generated goes under STATE (git-ignored)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ROOT / "addons"
REQUIREMENTS = ROOT / "requirements"
TESTS = ROOT / "tests"
STATE = Path(os.environ.get("AMIGO_STATE_DIR") or ROOT / ".amigo").resolve()
VENV = STATE / "venv"
PG = STATE / "pg"
LOGS = STATE / "logs"
DATA = STATE / "data"  # Odoo data_dir: filestore, sessions
CACHE = STATE / "cache"


def venv_python():
    return VENV / "bin" / "python"


def venv_bin(name):
    return VENV / "bin" / name


def ensure_dirs():
    for path in (STATE, LOGS, DATA, CACHE):
        path.mkdir(parents=True, exist_ok=True)
