#!/usr/bin/env bash
# The web server of docker-compose.yml (service odoo): the image's own entrypoint with
# the options of the command, plus, when AMIGO_DB_REPLICA_HOST names a streaming standby
# (the `replica` profile: db-replica), Odoo's --db_replica_host/--db_replica_port, so that
# its read-only requests go there.
set -euo pipefail
args=("$@")
if [ -n "${AMIGO_DB_REPLICA_HOST:-}" ]; then
    args+=("--db_replica_host=${AMIGO_DB_REPLICA_HOST}"
           "--db_replica_port=${AMIGO_DB_REPLICA_PORT:-5432}")
fi
exec "${AMIGO_ODOO_ENTRYPOINT:-/entrypoint.sh}" "${args[@]}"
