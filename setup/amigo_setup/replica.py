"""A streaming replica of the embedded cluster, for Odoo's read-only requests.

PostgreSQL's own mechanism, nothing of ours: `pg_basebackup -R` copies the primary into a
second data directory (.amigo/pg-replica) with a replication slot, and the copy runs as
a hot standby on its own unix socket, streaming the primary's WAL. Odoo is started with
`--db_replica_host/--db_replica_port` naming that socket: the requests of routes and
methods marked read-only (`web_search_read`, `web_read_group`, `read_group`, `read`, ...
through `/web/dataset/call_kw`) open their cursor there; everything else, and any
read-only request that tries to write, runs on the primary.
"""

import shutil
import time

from . import paths
from .postgres import EMBEDDED_USER, EmbeddedCluster, _find_bins
from .util import SetupError, say

REPLICA_PORT = 54330  # only names the socket file, as the primary's
SLOT = "amigo_replica"


class Standby(EmbeddedCluster):
    """The hot standby of `primary` (an EmbeddedCluster, started)."""

    label = "the streaming replica"

    def __init__(self, primary, link=None, port=REPLICA_PORT, slot=SLOT, settings=()):
        super().__init__(link=link or paths.STATE / "pg-replica", port=port)
        self.primary = primary
        self.slot = slot
        self.settings = tuple(settings)  # more "name = value" lines for the standby

    def _primary_sql(self, bins, query):
        result = self.primary._run(
            bins,
            ["psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", self.primary.socket_dir,
             "-p", self.primary.port, "-U", EMBEDDED_USER, "-d", "postgres", "-c", query],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode:
            raise SetupError(f"on the primary, {query!r} failed:\n{result.stderr}")
        return result.stdout.strip()

    def _base_backup(self, bins):
        say(f"creating the streaming replica in {self.data} (pg_basebackup of the primary)")
        # a slot left by a replica deleted since would hold WAL back for nothing
        self._primary_sql(
            bins,
            f"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
            f"WHERE slot_name = '{self.slot}' AND NOT active",
        )
        result = self._run(
            bins,
            ["pg_basebackup", "-h", self.primary.socket_dir, "-p", self.primary.port,
             "-U", EMBEDDED_USER, "-D", self.data, "-R", "-X", "stream", "-c", "fast",
             "-C", "-S", self.slot],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode:
            raise SetupError(f"pg_basebackup failed:\n{result.stdout}\n{result.stderr}")

    def _write_conf(self):
        """The standby's own settings, over what it copied from the primary."""
        conninfo = (
            f"host={self.primary.socket_dir} port={self.primary.port} "
            f"user={EMBEDDED_USER} application_name={self.slot}"
        )
        auto = self.data / "postgresql.auto.conf"
        auto.write_text(
            "# managed by setup/amigo_setup/replica.py\n"
            f"unix_socket_directories = '{self.socket_dir}'\n"
            f"port = {self.port}\n"
            f"primary_conninfo = '{conninfo}'\n"
            f"primary_slot_name = '{self.slot}'\n"
            "hot_standby = on\n"
            # long report reads are not cancelled by the primary's vacuum: the standby
            # tells the primary which rows it still reads
            "hot_standby_feedback = on\n" + "".join(f"{line}\n" for line in self.settings),
            encoding="utf-8",
        )
        self._chown(auto)

    def start(self):
        bins = _find_bins()
        self._prepare_dirs()
        if not (self.data / "PG_VERSION").exists():
            self._base_backup(bins)
        if not (self.data / "standby.signal").exists():
            raise SetupError(
                f"{self.data} is not a standby (no standby.signal): delete "
                f"{self.link} and run again to make a new replica"
            )
        self._write_conf()
        return super().start()

    def replaying(self):
        """True when the standby is in recovery and streams from the primary."""
        bins = _find_bins()
        result = self._run(
            bins,
            ["psql", "-X", "-A", "-t", "-h", self.socket_dir, "-p", self.port,
             "-U", EMBEDDED_USER, "-d", "postgres", "-c",
             "SELECT pg_is_in_recovery() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver "
             "WHERE status = 'streaming')"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        return result.stdout.strip() == "t"

    def stop(self):
        if (self.data / "PG_VERSION").exists():
            bins = _find_bins()
            if self.running(bins):
                self._run(
                    bins, ["pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"],
                    capture_output=True,
                )  # fmt: skip
                say("streaming replica stopped")

    def destroy(self):
        """Stop the standby, delete its data and its slot on the primary."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
        if self.link.is_symlink():
            self.link.unlink()
        bins = _find_bins()
        for _attempt in range(50):  # the slot stays active a moment after the standby stops
            left = self._primary_sql(
                bins,
                f"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{self.slot}' "
                f"AND (active OR pg_drop_replication_slot(slot_name) IS NULL)",
            )
            if left == "0":
                return
            time.sleep(0.2)


def wait_streaming(standby, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if standby.replaying():
            return True
        time.sleep(0.5)
    raise SetupError(f"the replica did not start streaming within {timeout} s; see {standby.log}")
