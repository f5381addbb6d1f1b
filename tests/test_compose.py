"""The Docker deployment: docker-compose.yml, docker/Dockerfile, docker/odoo.conf,
docker/init-db.sh, the reverse proxy (docker/nginx/) and the streaming standby
(docker/postgres/), checked for structure, validated by the compose CLI and by `nginx -t`
where they exist, and the scripts run against stand-ins."""

import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "setup"))

from amigo_setup import proxy  # noqa: E402

COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKER_DIR = ROOT / "docker"
DOCKERFILE = DOCKER_DIR / "Dockerfile"
INIT_SCRIPT = DOCKER_DIR / "init-db.sh"
WEB_SCRIPT = DOCKER_DIR / "odoo-web.sh"
STANDBY_SCRIPT = DOCKER_DIR / "postgres" / "standby.sh"
REPLICATION_SCRIPT = DOCKER_DIR / "postgres" / "replication.sh"
NGINX_TEMPLATE = DOCKER_DIR / "nginx" / "amigo.conf.template"
ODOO_SERVICES = ("odoo-init", "odoo", "odoo-cron")
DEFAULT_SERVICES = {"db", "nginx", *ODOO_SERVICES}


def _compose_commands():
    """The compose CLI to validate with: AMIGO_COMPOSE (set by setup/test), else what this
    machine has. No docker client at all: no CLI test is collected (a machine with a
    docker client but no compose gets one, which fails and says so)."""
    configured = os.environ.get("AMIGO_COMPOSE")
    if configured:
        return [json.loads(configured)]
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [["docker", "compose"]]
    if shutil.which("docker-compose"):
        return [["docker-compose"]]
    if docker:
        return [["docker", "compose"]]
    return []


COMPOSE_COMMANDS = _compose_commands()


@pytest.fixture(scope="module")
def compose():
    with open(COMPOSE_FILE, encoding="utf-8") as file:
        return yaml.safe_load(file)


def _dockerfile_instructions():
    """(INSTRUCTION, arguments) of docker/Dockerfile, continuation lines joined."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    logical, current = [], ""
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):  # as Docker, also inside `\`
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    instructions = []
    for line in logical:
        keyword, _, arguments = line.strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def _mounts(service):
    mounts = {}
    for volume in service.get("volumes", []):
        source, target, *options = volume.split(":")
        mounts[target] = (source, options)
    return mounts


def _command(service):
    command = service.get("command", [])
    return shlex.split(command) if isinstance(command, str) else list(command)


def _option(command, name):
    values = [arg.split("=", 1)[1] for arg in command if arg.startswith(f"{name}=")]
    return values[0] if values else None


def test_services(compose):
    assert set(compose["services"]) == {*DEFAULT_SERVICES, "db-replica"}
    profiled = {name for name, service in compose["services"].items() if "profiles" in service}
    assert profiled == {"db-replica"}, "only the standby is optional"


def test_database_service(compose):
    db = compose["services"]["db"]
    assert db["image"] == "postgres:16"
    assert db["environment"]["POSTGRES_USER"] == "odoo"
    assert "POSTGRES_PASSWORD" in db["environment"]
    assert db["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"][1:])
    source, _options = _mounts(db)["/var/lib/postgresql/data"]
    assert source in compose["volumes"], "PostgreSQL data must live in a named volume"


@pytest.mark.parametrize("name", ODOO_SERVICES)
def test_odoo_services_share_the_built_image_and_mounts(compose, name):
    service = compose["services"][name]
    assert service["build"]["dockerfile"] == "docker/Dockerfile"
    assert (ROOT / service["build"]["context"] / service["build"]["dockerfile"]) == DOCKERFILE
    assert service["environment"]["HOST"] == "db"
    mounts = _mounts(service)
    source, options = mounts["/mnt/extra-addons"]
    assert source == "./addons" and "ro" in options, "addons are mounted read-only from ./addons"
    filestore, _options = mounts["/var/lib/odoo"]
    assert filestore in compose["volumes"], "the filestore must live in a named volume"
    # the same filestore for every Odoo process
    assert filestore == _mounts(compose["services"]["odoo"])["/var/lib/odoo"][0]


def test_dockerfile_builds_on_odoo_18_and_copies_no_odoo():
    instructions = _dockerfile_instructions()
    froms = [args for keyword, args in instructions if keyword == "FROM"]
    assert froms == ["odoo:18.0"]
    for keyword, args in instructions:
        if keyword in ("COPY", "ADD"):
            sources = [arg for arg in shlex.split(args) if not arg.startswith("--")][:-1]
            assert keyword == "COPY", "ADD fetches or unpacks; only COPY is expected"
            for source in sources:
                assert source.startswith(("docker/", "requirements/")), source
                assert (ROOT / source).is_file(), f"{source} is copied but does not exist"


def test_build_context_leaves_out_local_state():
    """The context is the repository root: .amigo/ (venv, PostgreSQL cluster) stays out."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert patterns[0] == "*", "the context is a whitelist"
    assert set(patterns[1:]) == {"!docker", "!requirements"}


def test_dockerfile_installs_the_pinned_python_deps():
    runs = " ".join(args for keyword, args in _dockerfile_instructions() if keyword == "RUN")
    assert "--break-system-packages" in runs
    assert re.search(r"--no-deps\s+-r\s+/tmp/requirements/addons\.txt", runs)
    addons_pins = (ROOT / "requirements" / "addons.txt").read_text(encoding="utf-8")
    assert "odoo-addon-helpdesk_mgmt==18.0." in addons_pins
    project_pins = (ROOT / "requirements" / "project.txt").read_text(encoding="utf-8")
    assert re.search(r"^odoorpc==", project_pins, re.M)
    assert "^odoorpc==" in runs


def test_odoo_conf_addons_path_holds_the_suite_and_the_pip_addons():
    config = configparser.ConfigParser()
    config.read(DOCKER_DIR / "odoo.conf", encoding="utf-8")
    addons_path = [path.strip() for path in config["options"]["addons_path"].split(",")]
    assert addons_path[0] == "/mnt/extra-addons"
    runs = " ".join(args for keyword, args in _dockerfile_instructions() if keyword == "RUN")
    # the build checks that pip put helpdesk_mgmt into a directory of the addons path
    checked = re.search(r"test -f (\S+)/helpdesk_mgmt/__manifest__\.py", runs)
    assert checked, "the Dockerfile must check where pip installed helpdesk_mgmt"
    assert checked.group(1) in addons_path
    assert config["options"]["data_dir"] == "/var/lib/odoo"


def test_odoo_init_is_a_one_shot_after_the_database(compose):
    init = compose["services"]["odoo-init"]
    assert init["restart"] == "no"  # the string: a bare `no` would be YAML's false
    assert _command(init) == ["amigo-init-db"]
    assert init["depends_on"]["db"]["condition"] == "service_healthy"
    assert init["environment"]["AMIGO_DB"] == "amigo"
    copied = [args for keyword, args in _dockerfile_instructions() if keyword == "COPY"]
    assert any(
        "docker/init-db.sh" in args and args.endswith("/usr/local/bin/amigo-init-db")
        for args in copied
    )


@pytest.mark.parametrize("name", ["odoo", "odoo-cron"])
def test_odoo_processes_start_after_a_successful_init(compose, name):
    depends_on = compose["services"][name]["depends_on"]
    assert depends_on["odoo-init"]["condition"] == "service_completed_successfully"
    assert "--database=amigo" in _command(compose["services"][name])


def test_web_service(compose):
    odoo = compose["services"]["odoo"]
    command = _command(odoo)
    assert int(_option(command, "--workers")) >= 2, "prefork workers"
    assert "--max-cron-threads=0" in command
    assert "--no-http" not in command
    assert "--proxy-mode" in command, "behind nginx: trust its X-Forwarded-* headers"
    assert _option(command, "--gevent-port") == "8072"
    assert "ports" not in odoo, "browsers come in through nginx only"
    assert {"8069", "8072"} <= {str(port) for port in odoo["expose"]}
    health = " ".join(odoo["healthcheck"]["test"])
    assert "curl" in health and "http://localhost:8069/web/health" in health


def test_proxy_service_routes_to_the_workers_and_the_bus(compose):
    nginx = compose["services"]["nginx"]
    image, _, tag = nginx["image"].partition(":")
    assert image == "nginx" and tag, "the official image, pinned"
    source, options = _mounts(nginx)["/etc/nginx/templates/default.conf.template"]
    assert (ROOT / source).resolve() == NGINX_TEMPLATE and "ro" in options
    env = nginx["environment"]
    command = _command(compose["services"]["odoo"])
    assert env["ODOO_HTTP"] == "odoo:8069"
    assert env["ODOO_BUS"] == f"odoo:{_option(command, '--gevent-port')}"
    assert [str(port) for port in nginx["ports"]] == [f"8069:{env['NGINX_PORT']}"]
    assert "odoo" in nginx["depends_on"]


def test_proxy_template_routes_the_websocket_to_the_bus():
    conf = proxy.render({"NGINX_PORT": 8069, "ODOO_HTTP": "web:1", "ODOO_BUS": "bus:2"})
    assert not [name for name in proxy.VARIABLES if f"${{{name}}}" in conf]
    blocks = dict(re.findall(r"location (\S+) \{(.*?)\n    \}", conf, re.S))
    assert set(blocks) == {"/", "/websocket"}
    assert re.search(r"upstream amigo_odoo_bus \{\s*server bus:2;", conf)
    assert re.search(r"upstream amigo_odoo \{\s*server web:1;", conf)
    assert "proxy_pass http://amigo_odoo_bus;" in blocks["/websocket"]
    assert "proxy_set_header Upgrade $http_upgrade;" in blocks["/websocket"]
    assert "proxy_http_version 1.1;" in blocks["/websocket"]
    assert "proxy_pass http://amigo_odoo;" in blocks["/"]
    # a location that sets a header inherits none: each sets the forwarded ones
    for block in blocks.values():
        for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
            assert f"proxy_set_header {header} " in block
    assert "listen 8069;" in conf
    # nginx's own variables are left alone
    assert "$http_host" in conf and "$proxy_add_x_forwarded_for" in conf


def test_replica_profile(compose):
    replica = compose["services"]["db-replica"]
    db = compose["services"]["db"]
    assert replica["profiles"] == ["replica"]
    assert replica["image"] == db["image"], "the standby runs the primary's PostgreSQL"
    assert replica["environment"]["PRIMARY_HOST"] == "db"
    assert replica["depends_on"]["db"]["condition"] == "service_healthy"
    script, _options = _mounts(replica)[replica["entrypoint"][0]]
    assert (ROOT / script).resolve() == STANDBY_SCRIPT
    source, _options = _mounts(replica)["/var/lib/postgresql/data"]
    assert source in compose["volumes"] and source != _mounts(db)["/var/lib/postgresql/data"][0]
    init, _options = _mounts(db)["/docker-entrypoint-initdb.d/10-replication.sh"]
    assert (ROOT / init).resolve() == REPLICATION_SCRIPT
    # Odoo is pointed at the standby by AMIGO_DB_REPLICA_HOST (empty: no replica)
    odoo = compose["services"]["odoo"]
    assert odoo["entrypoint"] == ["amigo-odoo-web"]
    assert odoo["environment"]["AMIGO_DB_REPLICA_HOST"] == "${AMIGO_DB_REPLICA_HOST:-}"
    copied = [args for keyword, args in _dockerfile_instructions() if keyword == "COPY"]
    assert any(args == "docker/odoo-web.sh /usr/local/bin/amigo-odoo-web" for args in copied)


@pytest.mark.parametrize("script", [WEB_SCRIPT, STANDBY_SCRIPT, REPLICATION_SCRIPT])
def test_scripts_are_executable_bash(script):
    assert os.access(script, os.X_OK)
    assert script.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
    result = subprocess.run(
        ["bash", "-n", str(script)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_standby_script_copies_the_primary_then_runs_a_hot_standby():
    text = STANDBY_SCRIPT.read_text(encoding="utf-8")
    assert re.search(r"pg_basebackup .*--write-recovery-conf", text, re.S)
    assert "--slot=amigo_replica" in text
    assert "hot_standby=on" in text and "hot_standby_feedback=on" in text
    assert "exec docker-entrypoint.sh postgres" in text


@pytest.mark.parametrize("replica_host", ["", "db-replica"])
def test_web_entrypoint_adds_the_replica_when_named(tmp_path, replica_host):
    recorder = tmp_path / "entrypoint.sh"
    recorder.write_text('#!/bin/sh\nprintf \'%s\\n\' "$@" > "$ARGS_FILE"\n', encoding="utf-8")
    recorder.chmod(0o755)
    args_file = tmp_path / "args"
    env = dict(os.environ, AMIGO_ODOO_ENTRYPOINT=str(recorder), ARGS_FILE=str(args_file),
               AMIGO_DB_REPLICA_HOST=replica_host)  # fmt: skip
    result = subprocess.run(
        ["bash", str(WEB_SCRIPT), "--database=amigo", "--workers=4"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    args = args_file.read_text(encoding="utf-8").split()
    if replica_host:
        assert args == ["--database=amigo", "--workers=4", "--db_replica_host=db-replica",
                        "--db_replica_port=5432"]  # fmt: skip
    else:
        assert args == ["--database=amigo", "--workers=4"]


NGINX = proxy.find_nginx()

if NGINX:

    def test_nginx_accepts_the_shipped_configuration(tmp_path):
        """`nginx -t` on the template as setup/run fills it in (upstreams that resolve)."""
        include = tmp_path / "amigo.conf"
        include.write_text(
            proxy.render({"NGINX_PORT": 18069, "ODOO_HTTP": "127.0.0.1:18070",
                          "ODOO_BUS": "127.0.0.1:18072"}),
            encoding="utf-8",
        )  # fmt: skip
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (tmp_path / "tmp" / name).mkdir(parents=True)
        conf = tmp_path / "nginx.conf"
        conf.write_text(proxy.main_conf(tmp_path, include), encoding="utf-8")
        result = subprocess.run(
            [NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "test is successful" in result.stderr


def test_cron_service_runs_crons_only(compose):
    cron = compose["services"]["odoo-cron"]
    command = _command(cron)
    assert "--no-http" in command
    threads = [arg.split("=", 1)[1] for arg in command if arg.startswith("--max-cron-threads=")]
    assert threads and int(threads[0]) >= 1
    assert "ports" not in cron


if COMPOSE_COMMANDS:

    @pytest.mark.parametrize("compose_cli", COMPOSE_COMMANDS, ids=" ".join)
    def test_compose_cli_validates_the_file(compose_cli):
        result = subprocess.run(
            [*compose_cli, "-f", str(COMPOSE_FILE), "config"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"{' '.join(compose_cli)} config:\n{result.stderr}"
        resolved = yaml.safe_load(result.stdout)
        # compose v2 leaves out the services of profiles not asked for, v1 lists them all
        assert DEFAULT_SERVICES <= set(resolved["services"]) <= {*DEFAULT_SERVICES, "db-replica"}
        for name in ODOO_SERVICES:  # the shared x-odoo block is merged into each service
            assert resolved["services"][name]["build"]["dockerfile"] == "docker/Dockerfile"
        with_replica = subprocess.run(
            [*compose_cli, "-f", str(COMPOSE_FILE), "--profile", "replica", "config"],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert with_replica.returncode == 0, with_replica.stderr
        assert "db-replica" in yaml.safe_load(with_replica.stdout)["services"]


# ------------------------------------------------------------------ docker/init-db.sh

FAKE_PSYCOPG2 = """
import os


class OperationalError(Exception):
    pass


class _Cursor:
    def __init__(self, dbname):
        self.dbname, self.row = dbname, None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, query, params=None):
        state = os.environ["FAKE_DB_STATE"]
        if "pg_database" in query:
            self.row = (1,) if state != "absent" else None
        else:
            self.row = (state == "initialized",)

    def fetchone(self):
        return self.row


class _Connection:
    def __init__(self, dbname):
        self.dbname = dbname

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def cursor(self):
        return _Cursor(self.dbname)

    def close(self):
        pass


def connect(dbname):
    if os.environ["FAKE_DB_STATE"] == "down":
        raise OperationalError("connection refused")
    return _Connection(dbname)
"""

FAKE_ODOO = """#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_ODOO_ARGS"
"""


def _addon(root, name, installable=True):
    (root / name).mkdir(parents=True)
    manifest = {"name": name, "version": "18.0.1.0.0", "installable": installable}
    (root / name / "__manifest__.py").write_text(repr(manifest), encoding="utf-8")


@pytest.fixture
def init_db(tmp_path):
    """Runs docker/init-db.sh with a stand-in psycopg2 (database state from FAKE_DB_STATE)
    and a stand-in `odoo` that records its arguments."""
    addons = tmp_path / "addons"
    _addon(addons, "alpha")
    _addon(addons, "beta")
    _addon(addons, "retired", installable=False)
    _addon(addons, "test_alpha")
    (addons / "not_an_addon").mkdir()
    fakes = tmp_path / "fakes"
    (fakes / "psycopg2").mkdir(parents=True)
    (fakes / "psycopg2" / "__init__.py").write_text(FAKE_PSYCOPG2, encoding="utf-8")
    (fakes / "bin").mkdir()
    (fakes / "bin" / "odoo").write_text(FAKE_ODOO, encoding="utf-8")
    (fakes / "bin" / "odoo").chmod(0o755)
    args_file = tmp_path / "odoo-args"

    def run(state, **extra_env):
        env = {
            "PATH": os.pathsep.join([str(fakes / "bin"), os.environ.get("PATH", os.defpath)]),
            "PYTHONPATH": str(fakes),
            "HOST": "db",
            "USER": "odoo",
            "PASSWORD": "secret",
            "AMIGO_ADDONS_DIR": str(addons),
            "AMIGO_DB_TIMEOUT": "0",
            "FAKE_DB_STATE": state,
            "FAKE_ODOO_ARGS": str(args_file),
            **extra_env,
        }
        if args_file.exists():
            args_file.unlink()
        result = subprocess.run(
            ["bash", str(INIT_SCRIPT)], env=env, capture_output=True, text=True, check=False
        )
        args = args_file.read_text(encoding="utf-8").split() if args_file.exists() else None
        return result, args

    run.addons = addons
    return run


def test_init_script_is_executable_bash():
    assert os.access(INIT_SCRIPT, os.X_OK)
    assert INIT_SCRIPT.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
    result = subprocess.run(
        ["bash", "-n", str(INIT_SCRIPT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("state", ["absent", "empty"])
def test_init_creates_a_new_database_with_the_suite_and_demo(init_db, state):
    result, args = init_db(state)
    assert result.returncode == 0, result.stderr
    assert "--init=alpha,beta" in args
    assert not [arg for arg in args if arg.startswith(("--update", "--without-demo"))]
    for expected in (
        "--database=amigo",
        "--stop-after-init",
        "--db_host=db",
        "--db_user=odoo",
        "--db_password=secret",
        "--no-http",
    ):
        assert expected in args


def test_init_without_demo_on_request(init_db):
    result, args = init_db("absent", AMIGO_WITHOUT_DEMO="1")
    assert result.returncode == 0, result.stderr
    assert "--without-demo=all" in args


def test_init_updates_an_existing_database(init_db):
    result, args = init_db("initialized", AMIGO_DB="other")
    assert result.returncode == 0, result.stderr
    assert "--update=alpha,beta" in args and "--init=alpha,beta" in args
    assert "--database=other" in args


def test_init_fails_when_postgres_never_answers(init_db):
    result, args = init_db("down")
    assert result.returncode != 0
    assert "not reachable" in result.stderr
    assert args is None, "odoo must not run without a database server"


def test_init_fails_without_addons(init_db):
    shutil.rmtree(init_db.addons)
    init_db.addons.mkdir()
    result, args = init_db("absent")
    assert result.returncode != 0
    assert "no installable addon" in result.stderr
    assert args is None
