"""PostgreSQL: an external server named by PG*/--db-* settings, or the embedded cluster.

The embedded cluster lives in the state folder, listens on a unix socket only (no TCP,
so it cannot collide with a system server) and, when setup runs as root, runs as an
unprivileged OS user because PostgreSQL refuses to run as root.
"""

import glob
import hashlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .util import SetupError, apt_install, is_root, say

EMBEDDED_PORT = 54329  # only names the socket file; the cluster does not listen on TCP
EMBEDDED_USER = "odoo"  # Odoo refuses to connect as `postgres`
PG_OS_USERS = ("postgres", "amigo-pg")


@dataclass
class DbParams:
    host: str | None
    port: int | None
    user: str | None
    password: str | None
    embedded: bool

    def odoo_args(self):
        args = []
        if self.host:
            args += ["--db_host", self.host]
        if self.port:
            args += ["--db_port", str(self.port)]
        if self.user:
            args += ["--db_user", self.user]
        if self.password:
            args += ["--db_password", self.password]
        return args

    def env(self):
        """libpq environment for psql/psycopg2 clients."""
        env = {}
        if self.host:
            env["PGHOST"] = self.host
        if self.port:
            env["PGPORT"] = str(self.port)
        if self.user:
            env["PGUSER"] = self.user
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def external_params(options):
    """DbParams when a server is named by --db-* options or PG* variables, else None."""
    host = options.db_host or os.environ.get("PGHOST")
    port = options.db_port or os.environ.get("PGPORT")
    user = options.db_user or os.environ.get("PGUSER")
    password = options.db_password or os.environ.get("PGPASSWORD")
    if not (host or port or user or password):
        return None
    return DbParams(host, int(port) if port else None, user, password, embedded=False)


# ------------------------------------------------------------ embedded cluster
def _bin_dir():
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    return None


def _find_bins():
    found = _bin_dir()
    if found:
        return found
    say("no PostgreSQL server binaries (initdb, pg_ctl) found")
    if apt_install("postgresql"):
        found = _bin_dir()
        if found:
            return found
    raise SetupError(
        "PostgreSQL is needed: install its server binaries (Debian: `apt-get install postgresql`) "
        "so that initdb and pg_ctl are found, or name a server with "
        "PGHOST/PGPORT/PGUSER/PGPASSWORD or the --db-host/--db-port/--db-user/--db-password options"
    )


def _os_user():
    """The OS user the cluster runs as: ourselves, or an unprivileged one when root."""
    if not is_root():
        return None
    for name in PG_OS_USERS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    name = PG_OS_USERS[-1]
    say(f"creating system user {name} to run the embedded PostgreSQL")
    subprocess.run(  # noqa: S603
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],  # noqa: S607
        check=True,
    )
    return pwd.getpwnam(name)


class EmbeddedCluster:
    """The embedded cluster; `link` and `port` name another one (the replica's)."""

    label = "the embedded PostgreSQL"

    def __init__(self, link=None, port=EMBEDDED_PORT):
        self.link = link or paths.PG
        self.port = port
        self.user = _os_user()
        self.root = self._cluster_root()
        self.data = self.root / "data"
        self.log = self.root / "postgresql.log"
        socket_dir = self.root / "run"
        # unix socket paths are limited to ~107 bytes: fall back to a short private dir
        if len(str(socket_dir / f".s.PGSQL.{self.port}")) > 100:
            tag = hashlib.sha256(str(self.root).encode()).hexdigest()[:12]
            socket_dir = Path(tempfile.gettempdir()) / f"amigo-pg-{tag}"
        self.socket_dir = socket_dir

    def _reachable(self, path):
        """Can the cluster's OS user enter every folder above `path`?"""
        for parent in Path(path).parents:
            info = os.stat(parent)
            if info.st_uid != self.user.pw_uid and not info.st_mode & 0o001:
                return False
        return True

    def _cluster_root(self):
        """The cluster lives in .amigo/pg; when setup runs as root and the unprivileged
        cluster user cannot enter the checkout (a private home or temp folder), it lives
        in /var/tmp and .amigo/pg links to it."""
        link = self.link
        if self.user is None or link.is_symlink() or self._reachable(link):
            return link.resolve() if link.is_symlink() else link
        tag = hashlib.sha256(str(link).encode()).hexdigest()[:12]
        root = Path("/var/tmp") / f"amigo-{link.name}-{tag}"
        if link.exists():
            raise SetupError(
                f"the embedded PostgreSQL runs as OS user {self.user.pw_name}, who cannot "
                f"enter {link}: delete that folder to let setup move the cluster to {root}"
            )
        root.mkdir(parents=True, exist_ok=True)
        paths.STATE.mkdir(parents=True, exist_ok=True)
        link.symlink_to(root, target_is_directory=True)
        say(f"the cluster user {self.user.pw_name} cannot enter the checkout: cluster in {root}")
        return root

    @property
    def params(self):
        return DbParams(str(self.socket_dir), self.port, EMBEDDED_USER, None, embedded=True)

    def _demote(self):
        if self.user is None:
            return None
        uid, gid = self.user.pw_uid, self.user.pw_gid

        def preexec():
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)

        return preexec

    def _run(self, bins, cmd, check=False, **kwargs):
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        for key in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATA"):
            env.pop(key, None)
        if self.user is not None:
            env["HOME"] = str(self.root)
        return subprocess.run(  # noqa: S603, PLW1509
            [str(bins / cmd[0]), *map(str, cmd[1:])],
            preexec_fn=self._demote(),
            env=env,
            cwd=str(self.root),
            check=check,
            **kwargs,
        )

    def _chown(self, path):
        if self.user is not None:
            os.chown(path, self.user.pw_uid, self.user.pw_gid)

    def _prepare_dirs(self):
        paths.ensure_dirs()
        for path in (self.root, self.socket_dir):
            path.mkdir(parents=True, exist_ok=True)
            path.chmod(0o700 if path == self.root else 0o755)
            self._chown(path)
        if self.user is not None and not self._reachable(self.root):
            raise SetupError(
                f"the embedded PostgreSQL runs as OS user {self.user.pw_name}, who cannot "
                f"enter a folder above {self.root}: allow it (chmod o+x) or move the checkout"
            )

    def running(self, bins=None):
        bins = bins or _find_bins()
        if not (self.data / "PG_VERSION").exists():
            return False
        result = self._run(
            bins, ["pg_ctl", "-D", self.data, "status"], capture_output=True, check=False
        )
        return result.returncode == 0

    def start(self):
        bins = _find_bins()
        self._prepare_dirs()
        if not (self.data / "PG_VERSION").exists():
            say(f"initialising the embedded PostgreSQL cluster in {self.data}")
            result = self._run(
                bins,
                [
                    "initdb",
                    "-D",
                    self.data,
                    "-U",
                    EMBEDDED_USER,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                raise SetupError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
            with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
                conf.write(
                    "\n# --- Amigo embedded development cluster ---\n"
                    "listen_addresses = ''\n"
                    f"port = {EMBEDDED_PORT}\n"
                    "max_connections = 200\n"
                    "shared_buffers = 256MB\n"
                    # a disposable development/test cluster: durability traded for speed
                    "fsync = off\n"
                    "synchronous_commit = off\n"
                    "full_page_writes = off\n"
                )
        # the socket dir may live in /tmp and vanish between sessions
        conf_socket = f"unix_socket_directories = '{self.socket_dir}'\n"
        auto = self.data / "postgresql.auto.conf"
        if conf_socket not in auto.read_text():
            with open(auto, "w", encoding="utf-8") as handle:
                handle.write("# managed by setup/amigo_setup/postgres.py\n" + conf_socket)
            self._chown(auto)
        if self.running(bins):
            return self.params
        say(f"starting {self.label}")
        result = self._run(
            bins,
            ["pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "start"],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise SetupError(f"{self.label} did not start:\n{result.stdout}{result.stderr}\n{tail}")
        for _ in range(50):
            if (self.socket_dir / f".s.PGSQL.{self.port}").exists():
                break
            time.sleep(0.1)
        return self.params

    def stop(self):
        if not (self.data / "PG_VERSION").exists():
            say("no embedded PostgreSQL cluster here")
            return
        bins = _find_bins()
        if not self.running(bins):
            say("the embedded PostgreSQL is not running")
            return
        self._run(bins, ["pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"], check=False)
        say("embedded PostgreSQL stopped")


def database_params(options):
    """External server if one is named, else the embedded cluster, started."""
    external = external_params(options)
    if external:
        say(
            f"using the PostgreSQL server at {external.host or 'localhost'}:{external.port or 5432}"
        )
        return external
    return EmbeddedCluster().start()
