#!/usr/bin/env bash
# Start a throw-away PostgreSQL for the storage contract tests, listening on 127.0.0.1 only.
#
# Idempotent: installs Debian's postgresql with apt-get when its binaries are missing,
# initialises a cluster in $TOKENFUTURES_PG_DIR (default /tmp/tokenfutures-pg) owned by the
# postgres user, starts it on $TOKENFUTURES_PG_PORT (default 54329) unless it already runs,
# and creates the role and database. The last line of stdout is
#     export TOKENFUTURES_TEST_PG_URL=postgresql+psycopg://tokenfutures:tokenfutures@127.0.0.1:PORT/tokenfutures
# so CI can run:  eval "$(.ci/postgres.sh)"   (progress goes to stderr).
set -euo pipefail

PGDIR="${TOKENFUTURES_PG_DIR:-/tmp/tokenfutures-pg}"
PORT="${TOKENFUTURES_PG_PORT:-54329}"
ROLE=tokenfutures
DB=tokenfutures
log() { echo "postgres.sh: $*" >&2; }

pg_bin() {
    local version
    version="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$version" ] && [ -x "/usr/lib/postgresql/$version/bin/pg_ctl" ] && echo "/usr/lib/postgresql/$version/bin"
}

if ! BIN="$(pg_bin)"; then
    log "installing Debian's postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    BIN="$(pg_bin)"
fi

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

if [ ! -s "$PGDIR/PG_VERSION" ]; then
    log "initialising a cluster in $PGDIR"
    mkdir -p "$PGDIR"
    chown postgres:postgres "$PGDIR"
    chmod 700 "$PGDIR"
    as_postgres "$BIN/initdb" -D "$PGDIR" -U postgres --auth-local=peer --auth-host=scram-sha-256 --no-sync >&2
fi

if ! as_postgres "$BIN/pg_ctl" -D "$PGDIR" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$PORT"
    as_postgres "$BIN/pg_ctl" -D "$PGDIR" -l "$PGDIR/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR" start >&2
fi

psql_admin() { as_postgres "$BIN/psql" -h "$PGDIR" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
    psql_admin -c "CREATE ROLE $ROLE LOGIN PASSWORD '$ROLE'" >&2
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    psql_admin -c "CREATE DATABASE $DB OWNER $ROLE" >&2
fi

URL="postgresql+psycopg://$ROLE:$ROLE@127.0.0.1:$PORT/$DB"
export TOKENFUTURES_TEST_PG_URL="$URL"
echo "export TOKENFUTURES_TEST_PG_URL=$URL"
