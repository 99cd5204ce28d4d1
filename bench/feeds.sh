#!/usr/bin/env bash
# Feed import speed (issue 3): the full EPSS file, all Vulnrichment records
# and the KEV catalogue, each into a fresh store; and the JSON ingestion
# speed against raw yajl (no-op callbacks) on the same decompressed bytes.
# Run through bench/run (it builds the release preset with PL_BENCH=ON).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${PL_BUILD:-build/release}
D=${PL_SHARED_DATA:-$PWD/../shared/data}
[ -d "$D" ] || { echo "feeds: $D is absent, skipping"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

import() { # NAME KIND FILE RECORDS
    local t0 t1 s
    rm -f "$tmp/s.db"*
    "$B/patchline" --db "$tmp/s.db" init >/dev/null
    t0=$(date +%s.%N)
    "$B/patchline" --db "$tmp/s.db" feed import "$2" "$3" >/dev/null
    t1=$(date +%s.%N)
    awk -v n="$1" -v r="$4" -v a="$t0" -v b="$t1" -v sz="$(stat -c %s "$tmp/s.db")" 'BEGIN {
        printf "%-14s %8d records  %6.2f s  %9.0f records/s  store %5.0f MB\n", n, r, b - a,
            r / (b - a), sz / 1e6 }'
}

echo "-- import into a fresh store (release build, one transaction)"
import kev kev "$D/kev/known_exploited_vulnerabilities.json" 1404
import epss epss "$D/epss/epss_scores-2026-08-16.csv.gz" 360142
import vulnrichment vulnrichment "$D/vulnrichment/vulnrichment_records.jsonl.xz" 44130

echo "-- JSON ingestion: raw yajl (no-op callbacks) vs pl_json_stream, same decompressed bytes, best of 3"
xz -dc "$D/vulnrichment/vulnrichment_records.jsonl.xz" >"$tmp/vulnrichment.jsonl"
cp "$D/kev/known_exploited_vulnerabilities.json" "$tmp/kev.json"
"$B/bench/bench_json" "$tmp/vulnrichment.jsonl" lines 3
"$B/bench/bench_json" "$tmp/kev.json" vulnerabilities 5
