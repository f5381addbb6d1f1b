#!/usr/bin/env bash
# The streaming standby of docker-compose.yml (service db-replica, profile `replica`),
# on the official postgres image. With an empty data volume, it copies the primary with
# pg_basebackup -R (a replication slot keeps the WAL it still needs), then starts as a
# hot standby through the image's own entrypoint, which finds the cluster made and only
# starts it.
# Environment: PRIMARY_HOST (default db), POSTGRES_USER, POSTGRES_PASSWORD.
set -euo pipefail
primary="${PRIMARY_HOST:-db}"
export PGPASSWORD="${POSTGRES_PASSWORD}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 0700 "$PGDATA"
    until pg_isready --host="$primary" --username="$POSTGRES_USER" --dbname=postgres; do
        sleep 2
    done
    # a slot left by a standby whose volume was deleted would hold WAL back for nothing
    psql --host="$primary" --username="$POSTGRES_USER" --dbname=postgres --no-psqlrc -c \
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
          WHERE slot_name = 'amigo_replica' AND NOT active" >/dev/null
    gosu postgres pg_basebackup --host="$primary" --username="$POSTGRES_USER" \
        --pgdata="$PGDATA" --write-recovery-conf --wal-method=stream \
        --checkpoint=fast --create-slot --slot=amigo_replica
fi
exec docker-entrypoint.sh postgres -c hot_standby=on -c hot_standby_feedback=on
