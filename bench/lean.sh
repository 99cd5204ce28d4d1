#!/usr/bin/env bash
# Lean findings (issue 21): the store's bytes per open finding on SQLite (the
# file after VACUUM, indexes included, divided by the open findings), the
# findings table and its indexes per object (dbstat), and the time of the first scan and
# of a full re-scan on SQLite and on PostgreSQL (a throwaway cluster, tests/pg/cluster.sh),
# for this build and, when PL_BUILD_BEFORE names another build's folder, that
# one too, in the same run (interleaved, so the machine's load falls on both).
# The workload: feeds (KEV, the Debian tracker), N synthetic hosts (800..1,500
# packages, as bench/match.sh makes them), scan; "estate" is the file less
# the store of the feeds alone. Run through bench/run (sets PL_BUILD). Knobs:
#   PL_BENCH_HOSTS=200     synthetic hosts
#   PL_BUILD_BEFORE=DIR    a second build to measure beside this one
# docs/benchmarks.md, "Lean findings".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${PL_SHARED_DATA:-$here/../../shared/data}
cluster=$here/../tests/pg/cluster.sh
hosts=${PL_BENCH_HOSTS:-200}
now=2026-11-29T00:00:00Z
index=$shared/debian/bookworm_binary_packages_index.tsv.xz
tracker=$shared/debian/security-tracker-bookworm-from-changelogs.json.gz
kev=$shared/kev/known_exploited_vulnerabilities.json
for f in "$index" "$tracker" "$kev"; do
    [ -e "$f" ] || { echo "bench/lean.sh: $f is absent (../shared/data)" >&2; exit 1; }
done
builds=("${PL_BUILD:?run through bench/run}")
names=(this)
if [ -n "${PL_BUILD_BEFORE:-}" ]; then builds=("$PL_BUILD_BEFORE" "${builds[@]}"); names=(before this); fi
w=$(mktemp -d /tmp/pl-bench-lean.XXXXXX)
pgdir=$(mktemp -u /tmp/pl-bench-pg.XXXXXX)
cleanup() { "$cluster" stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$w"; }
trap cleanup EXIT
"$cluster" start "$pgdir" >/dev/null
export XDG_CONFIG_HOME=$w/config XDG_DATA_HOME=$w/data
unset PATCHLINE_DB PATCHLINE_NOW

# run NAME BACKEND DB: the workload; prints the first scan's and a full re-scan's wall seconds
run() {
    local pl=$1/patchline db=$3
    "$pl" --db "$db" --now "$now" feed import "$kev" "$tracker" >/dev/null 2>&1
    [ "$2" = postgresql ] || { cp "$db" "$w/feeds.db"; sqlite3 "$w/feeds.db" "VACUUM" >/dev/null
        stat -c %s "$w/feeds.db" >"$w/feeds.size"; rm -f "$w/feeds.db"; }
    "$pl" --db "$db" --now "$now" inventory synthesize --assets "$hosts" --seed 1 --hosts-only \
        --min-packages 800 --max-packages 1500 --behind 0.10 --kernel-behind 0.30 \
        --index "$index" >/dev/null 2>&1
    /usr/bin/time -f "%e" -o "$w/time" "$pl" --db "$db" --now "$now" scan >/dev/null 2>&1
    /usr/bin/time -f "%e" -o "$w/time2" "$pl" --db "$db" --now "$now" scan --full >/dev/null 2>&1
    echo "$(cat "$w/time") $(cat "$w/time2")"
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $hosts hosts"
printf '%-8s %10s %11s %13s %15s %12s %10s %14s %10s\n' build "open" "file B/open" "estate B/open" \
    "findings B/row" "scan SQLite" "scan PG" "rescan SQLite" "rescan PG"
for i in "${!builds[@]}"; do
    b=${builds[$i]} n=${names[$i]} db=$w/$n.db
    read -r s_sqlite r_sqlite <<<"$(run "$b" sqlite "$db")"
    read -r s_pg r_pg <<<"$(run "$b" postgresql "$("$cluster" createdb "$pgdir" "bench_lean_$n")")"
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;" >/dev/null
    open=$(sqlite3 "$db" "SELECT count(*) FROM findings WHERE status = 'open'")
    rows=$(sqlite3 "$db" "SELECT count(*) FROM findings")
    size=$(stat -c %s "$db")
    fb=$(sqlite3 "$db" "SELECT sum(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name IN ('findings', 'finding_texts'))")
    printf '%-8s %10d %11d %13d %15d %11ss %9ss %13ss %9ss\n' "$n" "$open" $((size / open)) \
        $(((size - $(cat "$w/feeds.size")) / open)) $((fb / rows)) "$s_sqlite" "$s_pg" \
        "$r_sqlite" "$r_pg"
    sqlite3 "$db" "SELECT '  ' || name || ': ' || sum(pgsize) || ' bytes, ' || (sum(pgsize) / $rows) || ' per row' FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name IN ('findings', 'finding_texts')) GROUP BY name ORDER BY sum(pgsize) DESC"
done
