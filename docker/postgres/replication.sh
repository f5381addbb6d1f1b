#!/usr/bin/env bash
# Run once by the official postgres image when it creates the primary's cluster
# (/docker-entrypoint-initdb.d): the streaming standby of the `replica` profile connects
# over the network with the same role and password, which pg_hba.conf must allow for
# replication connections (its "all" databases do not cover them).
set -euo pipefail
echo "host replication ${POSTGRES_USER:-postgres} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
