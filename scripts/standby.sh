#!/usr/bin/env bash
# A local PostgreSQL streaming standby of the local primary, for tests and benchmarks of the
# read replica (DATABASE_REPLICA_URL) on one machine.
#
#   scripts/standby.sh start [DIR] [PORT]   # base backup of the primary, then start it (5433)
#   scripts/standby.sh stop  [DIR]
#   scripts/standby.sh lag   [PORT]         # seconds behind the primary
#
# The primary is PGHOST:PGPORT (127.0.0.1:5432), user PGUSER (postgres). It must accept
# replication connections from 127.0.0.1: when its pg_hba.conf has no such line and the file
# is writable here, one is added for the loopback address only and the configuration
# reloaded. The standby runs as the postgres user (PostgreSQL refuses to run as root) in DIR
# (/var/tmp/lindung-standby), a copy of the whole primary cluster.
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
action=${1:-start}
DIR=${2:-/var/tmp/lindung-standby}
PORT=${3:-5433}

bin=$(dirname "$(command -v pg_basebackup)")
if [ -d /usr/lib/postgresql ]; then
  version=$(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -Atc "show server_version_num" | cut -c1-2)
  bin=/usr/lib/postgresql/$version/bin
fi

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

allow_replication() {
  local hba
  hba=$(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -Atc "show hba_file")
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication' "$hba"; then
    if [ -w "$hba" ]; then
      echo "host replication all 127.0.0.1/32 trust" >>"$hba"
      psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -Atc "select pg_reload_conf()" >/dev/null
      echo "pg_hba.conf: replication from 127.0.0.1 allowed"
    else
      echo "The primary refuses replication connections and $hba is not writable here." >&2
      exit 1
    fi
  fi
}

case "$action" in
  start)
    if as_postgres "$bin/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      echo "standby already running in $DIR"
      exit 0
    fi
    allow_replication
    rm -rf "$DIR"
    mkdir -p "$(dirname "$DIR")"
    install -d -o postgres -g postgres -m 700 "$DIR"
    as_postgres "$bin/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -D "$DIR" \
      --write-recovery-conf --wal-method=stream --checkpoint=fast --no-sync
    # Debian keeps the configuration outside the data directory: the standby gets its own.
    for name in postgresql.conf pg_hba.conf pg_ident.conf; do
      [ -f "$DIR/$name" ] || as_postgres touch "$DIR/$name"
    done
    if ! grep -q "^host" "$DIR/pg_hba.conf"; then
      printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_postgres tee "$DIR/pg_hba.conf" >/dev/null
    fi
    as_postgres "$bin/pg_ctl" -D "$DIR" -l "$DIR/standby.log" -w -t 600 \
      -o "-p $PORT -c hot_standby=on -c recovery_init_sync_method=syncfs -c unix_socket_directories=$DIR -c config_file=$DIR/postgresql.conf -c hba_file=$DIR/pg_hba.conf -c ident_file=$DIR/pg_ident.conf" start
    ;;
  stop)
    as_postgres "$bin/pg_ctl" -D "$DIR" -m fast stop || true
    ;;
  lag)
    psql -h "$PGHOST" -p "${2:-$PORT}" -U "$PGUSER" -Atc \
      "select coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0)"
    ;;
  *)
    echo "usage: $0 start|stop|lag" >&2
    exit 2
    ;;
esac
