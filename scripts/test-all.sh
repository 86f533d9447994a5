#!/usr/bin/env bash
# The whole suite twice: on the embedded SQLite and on PostgreSQL.
# LINDUNG_REQUIRE_PG=1 (CI) turns a missing PostgreSQL into a failure instead of a skip.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/lindung}
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export LINDUNG_VAR_DIR=${LINDUNG_TEST_VAR_DIR:-$(mktemp -d)}

pg_reachable() {
  DATABASE_URL="$PG_URL" "$PY" - <<'PY'
import os, sys
import psycopg
from urllib.parse import urlparse
u = urlparse(os.environ["DATABASE_URL"])
try:
    psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username or "postgres",
                    password=u.password, dbname="postgres", connect_timeout=5).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
}

# Two passes per database: the bulk in two processes, then the live tests (browser,
# concurrency) that commit and flush. pytest's exit 5 ("no tests") is not a failure.
run_suite() {
  local rc=0
  "$PY" -m pytest -n 2 -q -m "not live" "$@" || rc=$?
  [ $rc -eq 5 ] && rc=0
  local rc_live=0
  "$PY" -m pytest -q -m live "$@" || rc_live=$?
  [ $rc_live -eq 5 ] && rc_live=0
  [ $rc -ne 0 ] && return $rc
  return $rc_live
}

status=0
echo "== SQLite =="
( unset DATABASE_URL; run_suite "$@" ) || status=$?

if pg_reachable; then
  echo "== PostgreSQL ($PG_URL) =="
  # The read replica's drills want a real streaming standby of this server (port 5433):
  # LINDUNG_TEST_STANDBY=1 makes one for the pass (scripts/standby.sh); without one those
  # drills say why they skip.
  standby=0
  if [ "${LINDUNG_TEST_STANDBY:-0}" = "1" ] && command -v pg_basebackup >/dev/null \
      && scripts/standby.sh start >"$LINDUNG_VAR_DIR/standby.out" 2>&1; then
    standby=1
  fi
  ( export DATABASE_URL="$PG_URL"; run_suite "$@" ) || status=$?
  [ $standby = 1 ] && scripts/standby.sh stop >/dev/null 2>&1
elif [ "${LINDUNG_REQUIRE_PG:-0}" = "1" ]; then
  echo "LINDUNG_REQUIRE_PG=1 but PostgreSQL is not reachable at $PG_URL" >&2
  status=1
else
  echo "PostgreSQL not reachable: the PostgreSQL pass is skipped (set LINDUNG_REQUIRE_PG=1 to fail)."
fi
exit $status
