#!/usr/bin/env bash
# Matching at estate scale (issue 5), side by side with debsecan in one run.
# Run through bench/run (sets PL_BUILD). Knobs (environment):
#   PL_BENCH_HOSTS=10000          synthetic hosts (800..1,500 packages each)
#   PL_BENCH_DEBSECAN_HOSTS=200   hosts debsecan scans (spread over the estate)
#   PL_BENCH_DIR=DIR              work folder (default: a fresh one under /tmp, removed)
# Every figure comes from this run; docs/benchmarks.md "Matching" records one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${PL_SHARED_DATA:-$here/../../shared/data}
pl="${PL_BUILD:?run through bench/run}/patchline"
hosts=${PL_BENCH_HOSTS:-10000}
ds_hosts=${PL_BENCH_DEBSECAN_HOSTS:-200}
now=2026-11-29T00:00:00Z
index=$shared/debian/bookworm_binary_packages_index.tsv.xz
tracker=$shared/debian/security-tracker-bookworm-from-changelogs.json.gz
if [ -n "${PL_BENCH_DIR:-}" ]; then w=$PL_BENCH_DIR; mkdir -p "$w"; else
    w=$(mktemp -d /tmp/pl-bench-match.XXXXXX); trap 'rm -rf "$w"' EXIT; fi
db=$w/estate.db
rm -f "$db" "$db"-wal "$db"-shm
py=/usr/bin/python3 # debsecan's own interpreter (python3-apt)

# timed LABEL CMD...: run CMD, its stdout to $w/out; print wall seconds and peak RSS.
timed() {
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$w/time" "$@" >"$w/out" 2>"$w/err" || { cat "$w/err"; exit 1; }
    read -r secs kb <"$w/time"
    last_secs=$secs
    printf '%-52s %8.2f s  peak RSS %6d MB\n' "$label" "$secs" $((kb / 1024))
}
q() { sqlite3 "$db" "$1"; }
events() { q "select count(*) from finding_events"; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
timed "feeds: kev, epss, debian tracker, vulnrichment" sh -c "
    '$pl' --db '$db' --now $now feed import kev '$shared/kev/known_exploited_vulnerabilities.json' &&
    '$pl' --db '$db' --now $now feed import epss '$shared/epss/epss_scores-2026-08-16.csv.gz' &&
    '$pl' --db '$db' --now $now feed import debian '$tracker' &&
    '$pl' --db '$db' --now $now feed import vulnrichment '$shared/vulnrichment/vulnrichment_records.jsonl.xz'"
feeds_mb=$(( $(stat -c %s "$db") / 1048576 ))

timed "generate $hosts hosts (800..1,500 packages each)" \
    "$pl" --db "$db" --now $now inventory synthesize --assets "$hosts" --seed 1 --hosts-only \
    --min-packages 800 --max-packages 1500 --behind 0.10 --kernel-behind 0.30 --index "$index"
cat "$w/out"
echo "store: $(( $(stat -c %s "$db") / 1048576 - feeds_mb )) MB for the estate (+ $feeds_mb MB feeds)"

# 1. first scan: match + tier the whole estate and persist every finding
timed "scan 1: match + tier + first full persist" "$pl" --db "$db" --now $now scan
t_first=$last_secs
findings=$(q "select count(*) from findings")
ev1=$(events)
echo "findings: $findings open on $(q 'select count(distinct asset_id) from findings') hosts;" \
    "$ev1 finding events; rows written $((findings + ev1))," \
    "$(awk -v r=$((findings + ev1)) -v s="$t_first" 'BEGIN {printf "%.0f", r / s}') rows/s over the whole scan"
sed -n '2,8p' "$w/out"

# 2. full rescan with nothing changed: every host matched and tiered again in memory, 0 writes
q "update match_state set dirty = 1"
timed "scan 2: every host again, nothing changed" "$pl" --db "$db" --now $now scan
t_full=$last_secs
echo "rows written: $(( $(events) - ev1 )) finding events; findings $(q 'select count(*) from findings')"
awk -v a="$t_first" -v b="$t_full" -v r=$((findings + ev1)) 'BEGIN {
    if (a > b) printf "persist alone (scan 1 - scan 2): %.2f s, %.0f rows/s\n", a - b, r / (a - b) }'

# 3. patch 1 % of the hosts, rescan: only those hosts are read and written
"$py" "$here/debsecan/change.py" "$db" "$index" 100 >"$w/changed" 2>"$w/change.log"
cat "$w/change.log"
ev2=$(events)
timed "scan 3: rescan after 1 % of hosts changed" "$pl" --db "$db" --now $now scan
head -1 "$w/out"
written=$(( $(events) - ev2 ))
outside=$(sqlite3 "$db" "create temp table c (id integer primary key);
    $(sed 's/.*/insert into c values (&);/' "$w/changed")
    select count(*) from finding_events e join findings f on f.id = e.finding_id
    where e.id > (select max(id) - $written from finding_events) and f.asset_id not in (select id from c);")
echo "rows written: $written finding events, on $(wc -l <"$w/changed") changed hosts; outside them: $outside"

# 4. one host
one=$(sed -n "$(( ($(wc -l <"$w/changed") + 1) / 2 ))p" "$w/changed")
q "update match_state set dirty = 1 where asset_id = $one"
timed "scan 4: one host (--asset $one, marked changed)" "$pl" --db "$db" --now $now scan --asset "$one"

# 5. debsecan on the same hosts, fed the same advisories
mkdir -p "$w/debsecan"
timed "debsecan data file from the tracker JSON" "$py" "$here/debsecan/convert.py" "$tracker" \
    "$index" bookworm "$w/debsecan/data"
cat "$w/out"
"$py" "$here/debsecan/status.py" "$db" "$w/debsecan/status" "$ds_hosts" every >"$w/ds_ids"
timed "debsecan: $ds_hosts hosts, one process each" "$py" "$here/debsecan/harness.py" \
    "$w/debsecan/data" bookworm "$w/debsecan/status" $(cat "$w/ds_ids")
head -1 "$w/out"
ds_per=$(sed -n 's/^PER_HOST_S=//p' "$w/out")
# Patchline on the same hosts, one process for them all, then one host alone
q "update match_state set dirty = 1"
args=(); while read -r id; do args+=(--asset "$id"); done <"$w/ds_ids"
timed "patchline scan: the same $ds_hosts hosts, one process" "$pl" --db "$db" --now $now scan "${args[@]}"
t_pl_same=$last_secs
ds_one=$(sed -n '1p' "$w/ds_ids")
q "update match_state set dirty = 1 where asset_id = $ds_one"
timed "patchline scan --asset $ds_one (one host)" "$pl" --db "$db" --now $now scan --asset "$ds_one"
t_pl_one=$last_secs
timed "debsecan, the same host" debsecan --source "file://$w/debsecan/data/" --suite bookworm \
    --status "$w/debsecan/status/$ds_one.status" --format bugs
t_ds_one=$last_secs
awk -v d="$ds_per" -v f="$t_full" -v n="$hosts" -v s="$t_pl_same" -v m="$ds_hosts" \
    -v o="$t_pl_one" -v e="$t_ds_one" 'BEGIN {
    printf "per host, fleet: debsecan %.1f ms; Patchline %.3f ms (scan 2 / %d hosts), ratio %.0fx\n",
        1000 * d, 1000 * f / n, n, d / (f / n)
    printf "per host, the same %d hosts in one scan: Patchline %.3f ms, ratio %.0fx\n", m,
        1000 * s / m, d / (s / m)
    printf "one host: debsecan %.0f ms, patchline scan --asset %.0f ms, ratio %.1fx\n",
        1000 * e, 1000 * o, e / o }'
"$py" "$here/debsecan/compare.py" "$db" "$w/debsecan/status" $(cat "$w/ds_ids")
