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


# ----------------------------------------------------------------------------- roles
# The people an attacker would be, on the live demo database: the demo dealer's portal
# user (Amigo Siberia), the demo portal customer (Joel Willis, who has claims), the demo
# salesman (Marc Demo: own needs, claims), plus users created here for the roles the demo
# has no one in: a sales manager without catalog rights, a claims-only user, a second
# needs manager and a user of another company.
PORTAL_DEALER = ("siberia@amigo.example.com", "siberia")
PORTAL_CUSTOMER = ("portal", "portal")
NEED_USER = ("demo", "demo")


def _login_rpc(server, login, password):
    import odoorpc  # noqa: PLC0415

    client = odoorpc.ODOO(server["host"], protocol="jsonrpc", port=server["port"], timeout=300)
    client.login(server["db"], login, password)
    return client


@pytest.fixture(scope="session")
def login_rpc(odoo_server):
    """login_rpc(login, password) -> an odoorpc session of that user."""
    return lambda login, password: _login_rpc(odoo_server, login, password)


@pytest.fixture(scope="session")
def roles(odoo_rpc):
    """{role: (login, password)} of every role the security tests act as."""
    env = odoo_rpc.env

    def group_ids(*xmlids):
        return [env.ref(xmlid).id for xmlid in xmlids]

    company_a = env.ref("base.main_company").id
    Company = env["res.company"]
    company_b = Company.search([("name", "=", "Security Test Company B")], limit=1)
    company_b = company_b[0] if company_b else Company.create({"name": "Security Test Company B"})
    admin = env.ref("base.user_admin")
    admin.write({"company_ids": [(4, company_b)]})
    specs = {
        "sales_manager": (
            ["base.group_user", "sales_team.group_sale_manager", "needs_registry.group_need_user"],
            company_a,
        ),
        "claims_user": (["base.group_user", "claims.group_claims_user"], company_a),
        "need_user_2": (["base.group_user", "needs_registry.group_need_user"], company_a),
        "company_b_user": (
            [
                "base.group_user",
                "needs_registry.group_need_manager",
                "kpi_motivation.group_kpi_manager",
                "amigo_partner_tiers.group_tier_manager",
                "claims.group_claims_manager",
                "mrp.group_mrp_manager",
            ],
            company_b,
        ),
    }
    found = {
        "portal_dealer": PORTAL_DEALER,
        "portal_customer": PORTAL_CUSTOMER,
        "need_user": NEED_USER,
    }
    Users = env["res.users"]
    for role, (groups, company) in specs.items():
        login = f"security_{role}"
        if not Users.search([("login", "=", login)]):
            Users.create(
                {
                    "name": f"Security {role.replace('_', ' ').title()}",
                    "login": login,
                    "password": login,
                    "company_id": company,
                    "company_ids": [(6, 0, [company])],
                    "groups_id": [(6, 0, group_ids(*groups))],
                }
            )
        found[role] = (login, login)
    found["company_a"] = company_a
    found["company_b"] = company_b
    return found


@pytest.fixture(scope="session")
def db_connect(odoo_command, odoo_server):
    """db_connect() -> a psycopg2 connection to the live server's database, as a second
    client of PostgreSQL (a user's transaction in another Odoo worker, say)."""
    import psycopg2  # noqa: PLC0415

    options = {"--db_host": "host", "--db_port": "port", "--db_user": "user",
               "--db_password": "password"}  # fmt: skip
    params = {
        name: odoo_command[index + 1]
        for index, arg in enumerate(odoo_command)
        if (name := options.get(arg))
    }
    return lambda: psycopg2.connect(dbname=odoo_server["db"], **params)
