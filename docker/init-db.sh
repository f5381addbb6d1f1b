#!/usr/bin/env bash
# One-shot database initialisation for docker-compose.yml (service odoo-init).
#
# Waits for PostgreSQL, then:
# - database absent (or never initialised): creates it with every suite addon and the
#   demo data;
# - database initialised: installs the suite addons that are new and updates the others.
# The suite addons are the directories of $AMIGO_ADDONS_DIR with a __manifest__.py that
# is installable, except test_* addons (test models, never in a real database).
#
# Environment: HOST, PORT, USER, PASSWORD (database server, as the odoo image's
# entrypoint reads them), AMIGO_DB (database, default amigo), AMIGO_ADDONS_DIR (default
# /mnt/extra-addons), AMIGO_WITHOUT_DEMO=1 (no demo data in a new database),
# AMIGO_DB_TIMEOUT (seconds to wait for the server, default 120).
set -euo pipefail

export PGHOST="${HOST:-db}"
export PGPORT="${PORT:-5432}"
export PGUSER="${USER:-${POSTGRES_USER:-odoo}}"
export PGPASSWORD="${PASSWORD:-${POSTGRES_PASSWORD:-odoo}}"
db_name="${AMIGO_DB:-amigo}"
addons_dir="${AMIGO_ADDONS_DIR:-/mnt/extra-addons}"
timeout="${AMIGO_DB_TIMEOUT:-120}"

log() { echo "amigo-init-db: $*" >&2; }

addons="$(python3 - "$addons_dir" <<'PY'
import ast
import sys
from pathlib import Path

names = []
for manifest in sorted(Path(sys.argv[1]).glob("*/__manifest__.py")):
    name = manifest.parent.name
    if name.startswith("test_"):
        continue
    if ast.literal_eval(manifest.read_text(encoding="utf-8")).get("installable", True):
        names.append(name)
print(",".join(names))
PY
)"
if [ -z "$addons" ]; then
    log "no installable addon in $addons_dir (is ./addons mounted?)"
    exit 1
fi

# Prints "initialized" (the database holds an Odoo registry) or "new" (absent, or created
# but never initialised), once the server accepts connections.
state="$(python3 - "$db_name" "$timeout" <<'PY'
import sys
import time

import psycopg2

db_name, timeout = sys.argv[1], float(sys.argv[2])
deadline = time.monotonic() + timeout
while True:
    try:
        conn = psycopg2.connect(dbname="postgres")
        break
    except psycopg2.OperationalError as error:
        if time.monotonic() > deadline:
            sys.exit(f"amigo-init-db: PostgreSQL not reachable after {timeout:.0f}s: {error}")
        time.sleep(1)
with conn, conn.cursor() as cr:
    cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name])
    exists = cr.fetchone() is not None
conn.close()
initialized = False
if exists:
    conn = psycopg2.connect(dbname=db_name)
    with conn, conn.cursor() as cr:
        cr.execute("SELECT to_regclass('public.ir_module_module') IS NOT NULL")
        initialized = cr.fetchone()[0]
    conn.close()
print("initialized" if initialized else "new")
PY
)"

odoo_args=(
    --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" --db_password="$PGPASSWORD"
    --database="$db_name" --no-http --workers=0 --max-cron-threads=0 --stop-after-init
)
if [ "$state" = initialized ]; then
    # -i acts only on addons not installed yet, -u only on installed ones.
    log "updating $addons in database $db_name"
    exec odoo "${odoo_args[@]}" --init="$addons" --update="$addons"
fi
if [ "${AMIGO_WITHOUT_DEMO:-0}" = 1 ]; then
    odoo_args+=(--without-demo=all)
    log "creating database $db_name with $addons (no demo data)"
else
    log "creating database $db_name with $addons and demo data"
fi
# Odoo creates the database itself when it does not exist.
exec odoo "${odoo_args[@]}" --init="$addons"
