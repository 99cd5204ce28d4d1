#!/usr/bin/env bash
# End-of-life dates passing (issue 21): the scan after an end-of-life date every host depends
# on has passed. N synthetic Debian 12 hosts (800..1,500 packages, as bench/lean.sh makes
# them) are scanned on 2026-08-01 under the Debian tracker and KEV; Debian 11's end
# (2026-08-31 in the shipped table) is in the window of every Debian host, so the scan of
# 2026-09-01 finds each one's window left. Before: each host re-matched whole; now: its
# end-of-life software alone checked. Then `scan --full` on a copy of the store, and the
# findings and events of the two compared. For this build and, when PL_BUILD_BEFORE names
# another build's folder, that one too (the same store: feeds and estate are made once).
# Run through bench/run (sets PL_BUILD). Knobs:
#   PL_BENCH_HOSTS=200     synthetic hosts
#   PL_BUILD_BEFORE=DIR    a second build to measure beside this one
# docs/benchmarks.md, "Incremental scans after a feed delta".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${PL_SHARED_DATA:-$here/../../shared/data}
hosts=${PL_BENCH_HOSTS:-200}
index=$shared/debian/bookworm_binary_packages_index.tsv.xz
tracker=$shared/debian/security-tracker-bookworm-from-changelogs.json.gz
kev=$shared/kev/known_exploited_vulnerabilities.json
for f in "$index" "$tracker" "$kev"; do
    [ -e "$f" ] || { echo "bench/eolwin.sh: $f is absent (../shared/data)" >&2; exit 1; }
done
builds=("${PL_BUILD:?run through bench/run}")
names=(this)
if [ -n "${PL_BUILD_BEFORE:-}" ]; then builds=("$PL_BUILD_BEFORE" "${builds[@]}"); names=(before this); fi
w=$(mktemp -d /tmp/pl-bench-eolwin.XXXXXX)
trap 'rm -rf "$w"' EXIT
export XDG_CONFIG_HOME=$w/config XDG_DATA_HOME=$w/data
unset PATCHLINE_DB PATCHLINE_NOW
pl=${builds[-1]}/patchline
"$pl" --db "$w/base.db" --now 2026-08-01T00:00:00Z feed import "$kev" "$tracker" >/dev/null 2>&1
"$pl" --db "$w/base.db" --now 2026-08-01T00:00:00Z inventory synthesize --assets "$hosts" \
    --seed 1 --hosts-only --min-packages 800 --max-packages 1500 --behind 0.10 \
    --kernel-behind 0.30 --index "$index" >/dev/null 2>&1
sqlite3 "$w/base.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
q="SELECT a.name, f.package, f.vuln_id, f.status, f.tier, f.due_at, f.first_seen, f.last_seen,
   f.resolved_at, f.tiered_at, (SELECT t.text FROM finding_texts t WHERE t.id = f.evidence_ref),
   (SELECT t.text FROM finding_texts t WHERE t.id = f.fix_proof_ref), (SELECT t.text FROM finding_texts t WHERE t.id = f.rule_ref), f.severity
   FROM findings f JOIN assets a ON a.id = f.asset_id ORDER BY 1, 2, 3;
   SELECT a.name, f.package, f.vuln_id, e.at, e.event, e.to_status, e.tier, e.due_at
   FROM finding_events e JOIN findings f ON f.id = e.finding_id JOIN assets a ON a.id = f.asset_id
   ORDER BY 1, 2, 3, 4, 5"
# scan NAME DB NOW [ARGS]: wall s, user+sys s, peak RSS MB, and the scan's summary lines
scan() {
    local b=$1 db=$2 now=$3
    shift 3
    /usr/bin/time -f "%e %U %S %M" -o "$w/time" "$b/patchline" --db "$db" --now "$now" scan "$@" \
        >"$w/out" 2>"$w/err" || { cat "$w/err" >&2; exit 1; }
    read -r e u s m <"$w/time"
    printf '%8.1f s %8.1f s %6d MB  %s\n' "$e" "$(echo "$u + $s" | bc)" $((m / 1024)) \
        "$(grep -E 'unchanged|re-matched|end-of-life|open findings' "$w/out" | tr '\n' ';')"
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $hosts hosts"
for i in "${!builds[@]}"; do
    b=${builds[$i]} n=${names[$i]} db=$w/$n.db
    for x in "" .audit-key .audit-head; do [ ! -e "$w/base.db$x" ] || cp "$w/base.db$x" "$db$x"; done
    echo "== $n ($b)"
    printf '  first scan 2026-08-01:          '; scan "$b" "$db" 2026-08-01T00:00:00Z
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    for x in "" .audit-key .audit-head; do [ ! -e "$db$x" ] || cp "$db$x" "$w/full.db$x"; done
    printf '  scan 2026-09-01 (window left):  '; scan "$b" "$db" 2026-09-01T00:00:00Z
    printf '  rescan 2026-09-01:              '; scan "$b" "$db" 2026-09-01T00:00:00Z
    printf '  scan --full 2026-09-01 (copy):  '; scan "$b" "$w/full.db" 2026-09-01T00:00:00Z --full
    if cmp -s <(sqlite3 "$db" "$q") <(sqlite3 "$w/full.db" "$q"); then
        echo "  incremental and --full: identical ($(sqlite3 "$db" "$q" | wc -l) finding and event rows)"
    else
        echo "  incremental and --full: DIFFER"
    fi
    rm -f "$w/full.db"*
done
