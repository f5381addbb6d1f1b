"""Integration fixtures: a live Odoo server with every addon, reached over XML-RPC.

`setup/test` runs this suite after the addon tests and passes, in the environment:
AMIGO_ODOO_COMMAND (odoo-bin with addons path, data dir and database options, as JSON),
AMIGO_TEMPLATE_DB (the database with all addons installed, demo data included),
AMIGO_SUITE_ADDONS / AMIGO_ALL_ADDONS (JSON lists) and AMIGO_VENV_PYTHON.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PGTOOL = ROOT / "setup" / "amigo_setup" / "pgtool.py"


def _env_json(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(
            f"{name} is not set: run these tests through `setup/test`, which starts PostgreSQL, "
            "installs the addons and passes the Odoo command line"
        )
    return json.loads(value)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def suite_addons():
    return _env_json("AMIGO_SUITE_ADDONS")


@pytest.fixture(scope="session")
def odoo_command():
    """odoo-bin with the addons path, data dir and database options (a list)."""
    return _env_json("AMIGO_ODOO_COMMAND")


@pytest.fixture(scope="session")
def odoo_server(odoo_command):
    """An Odoo server on a free port, serving a copy of the all-addons database."""
    command = odoo_command
    template = os.environ.get("AMIGO_TEMPLATE_DB")
    if not template:
        pytest.fail("AMIGO_TEMPLATE_DB is not set: the all-addons database could not be built")
    data_dir = command[command.index("--data-dir") + 1]
    database = "amigo_test_rpc"
    subprocess.run(
        [sys.executable, str(PGTOOL), "--data-dir", data_dir, "clone", template, database],
        check=True,
    )
    port = _free_port()
    log_path = Path(os.environ.get("AMIGO_STATE_DIR", ROOT / ".amigo")) / "logs" / "rpc-server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(  # noqa: S603
            [
                *command,
                "-d",
                database,
                "--db-filter",
                f"^{database}$",
                "--http-port",
                str(port),
                "--http-interface",
                "127.0.0.1",
                "--max-cron-threads",
                "0",
                "--workers",
                "0",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"Odoo exited with {proc.returncode}; see {log_path}")
            try:
                with urllib.request.urlopen(f"{url}/web/health", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                pytest.fail(f"Odoo did not answer on {url} within 180 s; see {log_path}")
            time.sleep(1)
        yield {"host": "127.0.0.1", "port": port, "db": database, "url": url}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        subprocess.run(
            [sys.executable, str(PGTOOL), "--data-dir", data_dir, "drop", database], check=False
        )


@pytest.fixture(scope="session")
def odoo_rpc(odoo_server):
    """An odoorpc session logged in as admin/admin (the demo database's credentials)."""
    import odoorpc  # noqa: PLC0415

    client = odoorpc.ODOO(
        odoo_server["host"], protocol="jsonrpc", port=odoo_server["port"], timeout=300
    )
    client.login(odoo_server["db"], "admin", "admin")
    return client
