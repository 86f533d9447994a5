#!/usr/bin/env bash
# The whole suite twice: on the embedded SQLite and on PostgreSQL.
# LINDUNG_REQUIRE_PG=1 (CI) turns a missing PostgreSQL into a failure instead of a skip.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/lindung}
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export LINDUNG_VAR_DIR=${LINDUNG_TEST_VAR_DIR:-$(mktemp -d)}
# The run's migrated test databases (tests/dbtemplate.py): the first process of each engine
# builds one, the others copy it. In memory (/dev/shm) when there is one, as the in-memory
# SQLite test database was.
shm=/dev/shm
[ -d "$shm" ] && [ -w "$shm" ] || shm=$LINDUNG_VAR_DIR
export LINDUNG_TEST_TEMPLATES=$(mktemp -d "$shm/lindung-test-templates.XXXXXX")
passes=$(mktemp -d)
cleanup() {
  [ -n "${PG_TEMPLATE_URL:-}" ] && DATABASE_URL="$PG_TEMPLATE_URL" "$PY" -m tests.dbtemplate drop
  rm -rf "$LINDUNG_TEST_TEMPLATES" "$passes"
}
trap cleanup EXIT

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

# Two passes per database: the bulk in two processes (-n 2), then the live tests (browser,
# concurrency) that commit and flush, in one. The main passes run one after the other, then
# the two live passes side by side: a main pass fills both cores, and a live pass beside it
# (waiting on real processes and timeouts) was not shown free of flakiness. Each pass writes
# its output to a file, shown whole when the pass ends, with its time. pytest's exit 5
# ("no tests") is not a failure.
main_pass() { "$PY" -m pytest -n 2 -q -m "not live" "$@"; }
live_pass() { "$PY" -m pytest -q -m live "$@"; }

# run_pass KEY LABEL FUNCTION ARGS...: runs the pass, its output kept in $passes/KEY.out
# and its exit status in $passes/KEY.rc; `show KEY` prints them and returns the status.
run_pass() {
  local key=$1 label=$2 started rc=0
  shift 2
  started=$(date +%s)
  echo "-- $label: started $(date -u +%H:%M:%S) UTC"
  echo "== $label ==" >"$passes/$key.out"
  "$@" >>"$passes/$key.out" 2>&1 || rc=$?
  [ $rc -eq 5 ] && rc=0
  echo "$rc" >"$passes/$key.rc"
  echo "-- $label: $(($(date +%s) - started)) s, exit $rc" >>"$passes/$key.out"
}

show() {
  cat "$passes/$1.out"
  return "$(cat "$passes/$1.rc")"
}

pg_ok=0
if pg_reachable; then
  pg_ok=1
  export PG_TEMPLATE_URL=$PG_URL
elif [ "${LINDUNG_REQUIRE_PG:-0}" = "1" ]; then
  echo "LINDUNG_REQUIRE_PG=1 but PostgreSQL is not reachable at $PG_URL" >&2
else
  echo "PostgreSQL not reachable: the PostgreSQL pass is skipped (set LINDUNG_REQUIRE_PG=1 to fail)."
fi

status=0
( unset DATABASE_URL; run_pass sqlite-main "SQLite main" main_pass "$@" )
show sqlite-main || status=1

if [ $pg_ok = 1 ]; then
  # The read replica's drills want a real streaming standby of this server (port 5433):
  # LINDUNG_TEST_STANDBY=1 makes one for the pass (scripts/standby.sh); without one those
  # drills say why they skip.
  standby=0
  if [ "${LINDUNG_TEST_STANDBY:-0}" = "1" ] && command -v pg_basebackup >/dev/null \
      && scripts/standby.sh start >"$LINDUNG_VAR_DIR/standby.out" 2>&1; then
    standby=1
  fi
  ( export DATABASE_URL="$PG_URL"; run_pass pg-main "PostgreSQL main ($PG_URL)" main_pass "$@" )
  show pg-main || status=1
  # The two live passes side by side: each keeps about two thirds of a core busy (its time
  # goes to chromium, the live server and the processes it starts), so together they fit the
  # two cores a main pass fills alone. Each has a folder of its own for files.
  ( unset DATABASE_URL; export LINDUNG_VAR_DIR=$(mktemp -d "$LINDUNG_VAR_DIR/live.XXXX")
    run_pass sqlite-live "SQLite live" live_pass "$@" ) &
  ( export DATABASE_URL="$PG_URL" LINDUNG_VAR_DIR=$(mktemp -d "$LINDUNG_VAR_DIR/live.XXXX")
    run_pass pg-live "PostgreSQL live ($PG_URL)" live_pass "$@" ) &
  wait
  show sqlite-live || status=1
  show pg-live || status=1
  [ $standby = 1 ] && scripts/standby.sh stop >/dev/null 2>&1
else
  ( unset DATABASE_URL; run_pass sqlite-live "SQLite live" live_pass "$@" )
  show sqlite-live || status=1
  [ "${LINDUNG_REQUIRE_PG:-0}" = "1" ] && status=1
fi
exit $status
