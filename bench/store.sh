#!/usr/bin/env bash
# The store on SQLite and on PostgreSQL side by side (issue 14): the same
# workload, in one run, on a SQLite file and on a database of a throwaway
# PostgreSQL cluster (tests/pg/cluster.sh, as the tests make it: unix socket,
# fsync off), each step timed on both, with the ratio PostgreSQL / SQLite.
# The workload: import feeds (KEV, the Debian tracker), generate N hosts,
# scan them, list the findings (CSV), the report (JSON). Both stores must end
# with the same findings and report (checked). Run through bench/run (sets
# PL_BUILD). Knobs:
#   PL_BENCH_HOSTS=50    synthetic hosts (300..600 packages each)
#   PL_BENCH_DIR=DIR     work folder (default: a fresh one under /tmp, removed)
# docs/benchmarks.md, "The store: SQLite and PostgreSQL side by side".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${PL_SHARED_DATA:-$here/../../shared/data}
pl="${PL_BUILD:?run through bench/run}/patchline"
cluster=$here/../tests/pg/cluster.sh
hosts=${PL_BENCH_HOSTS:-50}
now=2026-11-29T00:00:00Z
index=$shared/debian/bookworm_binary_packages_index.tsv.xz
tracker=$shared/debian/security-tracker-bookworm-from-changelogs.json.gz
kev=$shared/kev/known_exploited_vulnerabilities.json
for f in "$index" "$tracker" "$kev"; do
    [ -e "$f" ] || { echo "bench/store.sh: $f is absent (../shared/data)" >&2; exit 1; }
done
if [ -n "${PL_BENCH_DIR:-}" ]; then w=$PL_BENCH_DIR; mkdir -p "$w"; else w=$(mktemp -d /tmp/pl-bench-store.XXXXXX); fi
# the cluster's folder beside, not inside, $w: its owner (nobody, when we are root) must reach it
pgdir=$(mktemp -u /tmp/pl-bench-pg.XXXXXX)
cleanup() {
    "$cluster" stop "$pgdir" >/dev/null 2>&1 || true
    [ -n "${PL_BENCH_DIR:-}" ] || rm -rf "$w"
}
trap cleanup EXIT
"$cluster" start "$pgdir" >/dev/null
sqlite_db=$w/store.db
rm -f "$sqlite_db" "$sqlite_db"-wal "$sqlite_db"-shm "$sqlite_db".audit-*
pg_db=$("$cluster" createdb "$pgdir" bench_store)
# a database's audit key and job folders live under these (docs/store.md)
export XDG_CONFIG_HOME=$w/config XDG_DATA_HOME=$w/data
unset PATCHLINE_DB PATCHLINE_NOW

# timed BACKEND STEP CMD...: run CMD (stdout to $w/BACKEND-STEP.out); record wall seconds.
declare -A secs
timed() {
    local backend=$1 step=$2
    shift 2
    /usr/bin/time -f "%e" -o "$w/time" "$@" >"$w/$backend-$step.out" 2>"$w/err" ||
        { echo "bench/store.sh: $backend: $step failed:" >&2; cat "$w/err" >&2; exit 1; }
    secs[$backend,$step]=$(cat "$w/time")
}
steps=(import generate scan findings report)
declare -A label=(
    [import]="feed import (KEV, Debian tracker)"
    [generate]="inventory synthesize: $hosts hosts"
    [scan]="scan (match, tier, persist)"
    [findings]="findings --format csv"
    [report]="report --format json"
)
workload() { # BACKEND DB
    local b=$1 db=$2
    timed "$b" import "$pl" --db "$db" --now "$now" feed import "$kev" "$tracker"
    timed "$b" generate "$pl" --db "$db" --now "$now" inventory synthesize --assets "$hosts" \
        --seed 1 --hosts-only --min-packages 300 --max-packages 600 --index "$index"
    timed "$b" scan "$pl" --db "$db" --now "$now" scan
    timed "$b" findings "$pl" --db "$db" --now "$now" findings --format csv
    timed "$b" report "$pl" --db "$db" --now "$now" report --format json
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "PostgreSQL: $(psql --version | awk '{print $3}') (throwaway cluster, unix socket); SQLite: $(sqlite3 --version | awk '{print $1}') (WAL)"
# interleaved: SQLite, PostgreSQL, so that the machine's load falls on both alike
workload sqlite "$sqlite_db"
workload postgresql "$pg_db"
for s in findings report; do
    cmp -s "$w/sqlite-$s.out" "$w/postgresql-$s.out" ||
        { echo "bench/store.sh: the two stores' $s differ" >&2; diff "$w/sqlite-$s.out" "$w/postgresql-$s.out" | head >&2; exit 1; }
done
open=$(($(wc -l <"$w/sqlite-findings.out") - 1))
echo "$hosts hosts, $open findings listed; findings and report identical on both backends"
printf '%-40s %10s %12s %7s\n' step SQLite PostgreSQL ratio
tot_s=0 tot_p=0
for s in "${steps[@]}"; do
    a=${secs[sqlite,$s]} b=${secs[postgresql,$s]}
    tot_s=$(awk -v x="$tot_s" -v y="$a" 'BEGIN {print x + y}')
    tot_p=$(awk -v x="$tot_p" -v y="$b" 'BEGIN {print x + y}')
    printf '%-40s %9.2fs %11.2fs %6.2fx\n' "${label[$s]}" "$a" "$b" "$(awk -v x="$a" -v y="$b" 'BEGIN {print (x > 0 ? y / x : 0)}')"
done
printf '%-40s %9.2fs %11.2fs %6.2fx\n' total "$tot_s" "$tot_p" "$(awk -v x="$tot_s" -v y="$tot_p" 'BEGIN {print (x > 0 ? y / x : 0)}')"
