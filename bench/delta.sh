#!/usr/bin/env bash
# Incremental matching at estate scale (issue 21): a daily feed delta applied to a
# scanned estate, then `scan` (incremental) and `scan --full` on a copy of the same
# store, which must agree row for row. Run through bench/run (sets PL_BUILD). Knobs:
#   PL_BENCH_HOSTS=10000   synthetic hosts (800..1,500 packages each)
#   PL_BENCH_DIR=DIR       work folder (default: a fresh one under /tmp, removed)
# Times are wall clock and CPU (user + sys); docs/benchmarks.md "Incremental scans".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${PL_SHARED_DATA:-$here/../../shared/data}
pl="${PL_BUILD:?run through bench/run}/patchline"
hosts=${PL_BENCH_HOSTS:-10000}
now=2026-11-29T00:00:00Z
later=2026-11-30T00:00:00Z
index=$shared/debian/bookworm_binary_packages_index.tsv.xz
tracker=$shared/debian/security-tracker-bookworm-from-changelogs.json.gz
kev=$shared/kev/known_exploited_vulnerabilities.json
epss=$shared/epss/epss_scores-2026-08-16.csv.gz
if [ -n "${PL_BENCH_DIR:-}" ]; then w=$PL_BENCH_DIR; mkdir -p "$w"; else
    w=$(mktemp -d /tmp/pl-bench-delta.XXXXXX); trap 'rm -rf "$w"' EXIT; fi
db=$w/estate.db
rm -f "$db" "$db"-wal "$db"-shm "$db".audit-*
policy=(--policy epss) # its rules read EPSS thresholds, so an EPSS rescoring matters

# timed LABEL CMD...: run CMD, its stdout to $w/out; print wall and CPU seconds, peak RSS.
timed() {
    local label=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$w/time" "$@" >"$w/out" 2>"$w/err" || { cat "$w/err"; exit 1; }
    read -r secs user sys kb <"$w/time"
    last_secs=$secs
    printf '%-48s %8.2f s wall %8.2f s CPU  peak RSS %6d MB\n' "$label" "$secs" \
        "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" $((kb / 1024))
}
q() { sqlite3 "$1" "$2"; }
# bytes per open finding: the store after VACUUM (indexes included) / open findings
per_finding() {
    rm -f "$w/vac.db"
    q "$1" "VACUUM INTO '$w/vac.db'"
    local size findings
    size=$(stat -c %s "$w/vac.db")
    findings=$(q "$w/vac.db" "select count(*) from findings where status = 'open'")
    echo "store after VACUUM: $((size / 1048576)) MB, $findings open findings," \
        "$(awk -v s="$size" -v n="$findings" 'BEGIN {if (n) printf "%.0f", s / n}') bytes per open finding (feeds and packages included)"
    rm -f "$w/vac.db"
}
copy_store() { # SRC DST: the store with its audit key and checkpoint
    q "$1" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    cp "$1" "$2"
    for x in audit-key audit-head; do [ -e "$1.$x" ] && cp "$1.$x" "$2.$x"; done
    return 0
}
dump() { # the findings and their events, as a scan leaves them, without row ids
    q "$1" "select a.name, f.package, f.vuln_id, f.status, f.tier, f.unscored, f.provisional,
        f.due_at, f.first_seen, f.last_seen, f.resolved_at, f.tiered_at, f.installed_version,
        f.fixed_version, (select t.text from finding_texts t where t.id = f.evidence_ref),
        (select t.text from finding_texts t where t.id = f.fix_proof_ref), (select t.text from finding_texts t where t.id = f.rule_ref), f.severity,
        f.kev_added, f.reopened_count,
        (select t.text from finding_texts t where t.id = f.policy_ref)
        from findings f join assets a on a.id = f.asset_id
        order by a.name, f.package, f.vuln_id"
    q "$1" "select a.name, f.package, f.vuln_id, e.at, e.event, e.from_status, e.to_status, e.tier,
        e.due_at, (select t.text from finding_texts t where t.id = e.detail_ref)
        from finding_events e join findings f on f.id = e.finding_id
        join assets a on a.id = f.asset_id order by 1, 2, 3, 4, 5, 6, 7"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
timed "feeds: kev, epss, debian tracker, vulnrichment" sh -c "
    '$pl' --db '$db' --now $now feed import kev '$kev' &&
    '$pl' --db '$db' --now $now feed import epss '$epss' &&
    '$pl' --db '$db' --now $now feed import debian '$tracker' &&
    '$pl' --db '$db' --now $now feed import vulnrichment '$shared/vulnrichment/vulnrichment_records.jsonl.xz'"
timed "generate $hosts hosts" "$pl" --db "$db" --now $now inventory synthesize --assets "$hosts" \
    --seed 1 --hosts-only --min-packages 800 --max-packages 1500 --behind 0.10 \
    --kernel-behind 0.30 --index "$index"

timed "scan 1: first scan (match, tier, persist)" "$pl" --db "$db" --now $now scan "${policy[@]}"
open1=$(q "$db" "select count(*) from findings where status = 'open'")
echo "open findings: $open1 ($(awk -v n="$open1" -v s="$last_secs" 'BEGIN {printf "%.0f", n / s}') rows/s)"
per_finding "$db"

mkdir -p "$w/delta"
timed "make the delta (bench/delta/make.py)" /usr/bin/python3 "$here/delta/make.py" "$db" "$tracker" \
    "$kev" "$epss" "$w/delta" "${later%%T*}"
cat "$w/out"
timed "import the delta (tracker, KEV, NVD, EPSS)" sh -c "
    '$pl' --db '$db' --now $later feed import debian '$w/delta/tracker.json.gz' &&
    '$pl' --db '$db' --now $later feed import kev '$w/delta/kev.json' &&
    '$pl' --db '$db' --now $later feed import nvd '$w/delta/nvd.json' &&
    '$pl' --db '$db' --now $later feed import epss '$w/delta/epss.csv.gz'"
echo "delta rows recorded: $(q "$db" "select kind || ' ' || count(*) from match_delta group by kind" | tr '\n' ' ')"
# 1 % of the hosts change too (apt upgrade), so the two scans see changed feeds and hosts
/usr/bin/python3 "$here/debsecan/change.py" "$db" "$index" 100 >"$w/changed" 2>"$w/change.log"
cat "$w/change.log"
copy_store "$db" "$w/full.db"

timed "scan 2: after the delta (incremental)" "$pl" --db "$db" --now $later scan "${policy[@]}"
t_inc=$last_secs
sed -n '1,3p' "$w/out"
timed "scan 2': the same, scan --full (a copy)" "$pl" --db "$w/full.db" --now $later scan "${policy[@]}" --full
t_full=$last_secs
sed -n '1,2p' "$w/out"
dump "$db" >"$w/inc.txt"
dump "$w/full.db" >"$w/full.txt"
if cmp -s "$w/inc.txt" "$w/full.txt"; then
    echo "incremental and --full agree: $(wc -l <"$w/inc.txt") finding and event rows identical"
else
    echo "DISAGREE: $(diff "$w/inc.txt" "$w/full.txt" | grep -c '^[<>]') rows differ ($w/inc.txt, $w/full.txt)"
fi
awk -v a="$t_inc" -v b="$t_full" 'BEGIN {printf "incremental %.2f s, full %.2f s: %.1fx\n", a, b, b / a}'

one=$(q "$db" "select min(id) from assets")
q "$db" "update match_state set dirty = 1 where asset_id = $one"
timed "scan 3: one host (--asset $one, marked changed)" "$pl" --db "$db" --now $later scan "${policy[@]}" --asset "$one"
timed "scan 4: one host, unchanged" "$pl" --db "$db" --now $later scan "${policy[@]}" --asset "$one"
per_finding "$db"
