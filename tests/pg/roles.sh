#!/usr/bin/env bash
# The database roles of docs/store.md ("Database roles"), taken from the doc as
# written and run on the test cluster: the owner runs the migrations (init),
# the application role scans and cannot change the schema, the reporting role
# reads and cannot write. Usage: roles.sh PATCHLINE (PATCHLINE_TEST_PG set).
# Exit 77 without a cluster.
set -euo pipefail
PL=$1
here=$(cd "$(dirname "$0")" && pwd)
FIX=$here/../fixtures
[ -n "${PATCHLINE_TEST_PG:-}" ] || { echo "roles.sh: no PATCHLINE_TEST_PG: skipped"; exit 77; }
dir=${PATCHLINE_TEST_PG#*host=}
dir=${dir%%&*}
"$here/cluster.sh" check "$dir" >/dev/null
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
su() { psql -X -q -v ON_ERROR_STOP=1 -d "$PATCHLINE_TEST_PG" "$@"; }
as() { printf 'postgresql:///patchline?host=%s&user=%s' "$dir" "$1"; }
fail() { echo "roles.sh: FAIL: $*" >&2; exit 1; }

# the doc's SQL block, as written
awk '/^### Database roles/ {on = 1} on && /^```sql/ {copy = 1; next} copy && /^```/ {exit}
     copy {print}' "$here/../../docs/store.md" >"$T/roles.sql"
grep -q 'CREATE ROLE patchline_app' "$T/roles.sql" || fail "no roles SQL in docs/store.md"
PGOPTIONS='-c client_min_messages=warning' su -c 'DROP DATABASE IF EXISTS patchline' \
    -c 'DROP ROLE IF EXISTS patchline_owner' -c 'DROP ROLE IF EXISTS patchline_app' \
    -c 'DROP ROLE IF EXISTS patchline_report'
su -f "$T/roles.sql"
echo "ok   the roles SQL of docs/store.md runs"

now=(--now 2026-01-10T00:00:00Z)
PATCHLINE_DB=$(as patchline_owner) "$PL" --now 2026-01-09T00:00:00Z init --simulated >/dev/null ||
    fail "the owner cannot run the migrations"
echo "ok   the owner runs the migrations (init)"
cp -r "$FIX/inventory/root" "$T/root"
export PATCHLINE_DB
PATCHLINE_DB=$(as patchline_app)
"$PL" "${now[@]}" inventory collect --root "$T/root" >/dev/null || fail "app: inventory collect"
"$PL" "${now[@]}" feed import "$FIX/match/tracker.json" >/dev/null || fail "app: feed import"
"$PL" "${now[@]}" feed import "$FIX/match/kev.json" >/dev/null || fail "app: feed import kev"
"$PL" "${now[@]}" scan | grep -q '^4 open findings' || fail "app: scan"
echo "ok   the application role collects, imports and scans"
if psql -X -q -d "$PATCHLINE_DB" -c 'CREATE TABLE x (a int)' 2>"$T/err"; then
    fail "app may create a table"
fi
grep -q 'permission denied for schema public' "$T/err" || fail "app CREATE TABLE: $(cat "$T/err")"
if psql -X -q -d "$PATCHLINE_DB" -c 'DROP TABLE findings' 2>"$T/err"; then
    fail "app may drop a table"
fi
grep -q 'must be owner of table findings' "$T/err" || fail "app DROP TABLE: $(cat "$T/err")"
echo "ok   the application role has no DDL"
PATCHLINE_DB=$(as patchline_report)
"$PL" "${now[@]}" findings --format csv >"$T/findings" || fail "report: findings"
[ "$(wc -l <"$T/findings")" = 5 ] || fail "report: findings: $(cat "$T/findings")"
if "$PL" "${now[@]}" feed import "$FIX/match/kev.json" >"$T/out" 2>"$T/err"; then
    fail "the reporting role may write"
fi
grep -q 'permission denied' "$T/err" || fail "report write: $(cat "$T/err")"
echo "ok   the reporting role reads and cannot write"
