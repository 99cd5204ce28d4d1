#!/usr/bin/env bash
# The API under load on loopback (issue "The server, its API and the
# dashboard"): wrk against `patchline serve` on an estate of 10,000 assets.
# Run through bench/run (sets PL_BUILD), or with PL_BUILD=build/release.
# Knobs (environment):
#   PL_BENCH_ASSETS=10000     synthetic assets (12 open findings each, tiers 0-3)
#   PL_BENCH_SECS=10          seconds per read run
#   PL_BENCH_CONNS=4          connections of the read runs (one wrk thread)
#   PL_BUILD_BEFORE=DIR       a second build, served beside this one on the same
#                             store: each route is run on it, then on this build
#   PL_BENCH_ROUNDS=1         with PL_BUILD_BEFORE: how many times each pair runs
# Prints requests/s and latency percentiles of: GET /api/v1/ping (no-op),
# GET /api/v1/findings?tier=2&limit=100 (first page, and a page 10,000 rows
# deep by cursor), and POST /api/v1/exceptions/N/approve (a write: each
# request signs off another pending exception). docs/benchmarks.md records one run.
# The load average of the machine is printed before and after.
set -euo pipefail
pl="${PL_BUILD:?run through bench/run}/patchline"
before=${PL_BUILD_BEFORE:+$PL_BUILD_BEFORE/patchline}
rounds=${PL_BENCH_ROUNDS:-1}
here=$(cd "$(dirname "$0")" && pwd)
assets=${PL_BENCH_ASSETS:-10000}
secs=${PL_BENCH_SECS:-10}
conns=${PL_BENCH_CONNS:-4}
command -v wrk >/dev/null || { echo "wrk is absent (scripts/install-deps)"; exit 1; }
w=$(mktemp -d /tmp/pl-bench-api.XXXXXX)
chmod 0755 "$w"
AS=()
if [ "$(id -u)" -eq 0 ]; then # the server refuses root: run it as nobody
    AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
    chown nobody:nogroup "$w"
fi
srv=
srv_before=
cleanup() {
    [ -n "$srv" ] && kill "$srv" 2>/dev/null
    [ -n "$srv_before" ] && kill "$srv_before" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$w"
}
trap cleanup EXIT
db=$w/store.db
as() { "${AS[@]}" "$pl" --db "$db" "$@"; }
as --now 2026-11-29T00:00:00Z init >/dev/null
# assets a1..aN of 20 owners; 12 open findings each, tier (i mod 4), due dates spread
# over 90 days; 5,000 pending exceptions on tier-3 findings, requested by dave
"${AS[@]}" sqlite3 "$db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $assets)
INSERT INTO assets (id, name, owner, environment, first_seen, last_seen)
SELECT i, 'a' || i, 'team-' || (i % 20), 'prod', 1790000000, 1796000000 FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $assets * 12 - 1)
INSERT INTO findings (asset_id, vuln_id, package, status, first_seen, tier, due_at)
SELECT 1 + i / 12, 'CVE-2026-' || (10000 + i % 997), 'pkg' || (i % 12), 'open', 1790000000,
       i % 4, 1796000000 + (i * 7919) % (90 * 86400) FROM n;
INSERT INTO exceptions (type, status, scope, finding_id, justification, requester,
                        requested_at, expires_at)
SELECT 'waf-rule', 'pending', 'finding', id, 'bench', 'dave', 1796000000, 1798000000
FROM findings WHERE tier = 3 ORDER BY id LIMIT 5000;
SQL
as user add carol --role approver >/dev/null
as user add dave --role operator >/dev/null
tok=$(as token create carol | tail -1)
# the cursor of the page that starts 10,000 rows deep in tier 2 (the API's own order)
deep=$("${AS[@]}" sqlite3 "$db" "SELECT '2.' || due_at || '.' || id FROM findings
    WHERE status = 'open' AND tier = 2 ORDER BY due_at, id LIMIT 1 OFFSET 9999")
first_exc=$("${AS[@]}" sqlite3 "$db" "SELECT min(id) FROM exceptions")
# serve BINARY NAME: start a server on the store; its URL in $w/NAME.url, its pid in $w/NAME.pid
serve() {
    "${AS[@]}" "$1" --db "$db" serve --listen 127.0.0.1:0 >"$w/$2.url" 2>"$w/$2.log" &
    echo $! >"$w/$2.pid"
    for _ in $(seq 100); do grep -q listening "$w/$2.url" 2>/dev/null && break; sleep 0.1; done
}
serve "$pl" this
srv=$(cat "$w/this.pid")
url=$(awk '{print $NF}' "$w/this.url")
sides=("$url")
labels=("")
if [ -n "$before" ]; then
    serve "$before" before
    srv_before=$(cat "$w/before.pid")
    sides=("$(awk '{print $NF}' "$w/before.url")" "$url")
    labels=("before: " "after:  ")
fi
echo "estate: $assets assets, $((assets * 12)) open findings; server $url"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# run LABEL WRK-ARGS...: requests/s, p50/p99 and non-2xx answers
run() {
    local label=$1; shift
    wrk --latency "$@" >"$w/wrk" 2>&1 || { cat "$w/wrk"; exit 1; }
    awk -v label="$label" '
        /Requests\/sec/ { rps = $2 }
        /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
        /Non-2xx/ { bad = $NF }
        /requests in/ { n = $1 }
        END { printf "%-54s %7.0f req/s  p50 %8s  p99 %8s  (%d requests, %d not 2xx)\n",
                      label, rps, p50, p99, n, bad }' "$w/wrk"
}
H=(-H "Authorization: Bearer $tok")
# each read route on every side (before, then this build), PL_BENCH_ROUNDS times
read_runs() { # LABEL PATH
    for _ in $(seq "$rounds"); do
        for i in "${!sides[@]}"; do
            run "${labels[$i]}$1" -t1 -c"$conns" -d"${secs}s" "${H[@]}" "${sides[$i]}$2"
        done
    done
}
read_runs "GET /api/v1/ping (no-op)" "/api/v1/ping"
read_runs "GET findings?tier=2&limit=100 (first page)" "/api/v1/findings?tier=2&limit=100"
read_runs "GET findings?tier=2&limit=100 (10,000 deep)" \
    "/api/v1/findings?tier=2&limit=100&cursor=$deep"
# the write: one connection, each request the next pending exception (each side its own half)
n_exc=$("${AS[@]}" sqlite3 "$db" "SELECT count(*) FROM exceptions")
for i in "${!sides[@]}"; do
    cat >"$w/write.lua" <<LUA
local i = $((first_exc + i * n_exc / ${#sides[@]})) - 1
request = function()
  i = i + 1
  return wrk.format("POST", "/api/v1/exceptions/" .. i .. "/approve",
                    {["Authorization"] = "Bearer $tok"}, "")
end
LUA
    run "${labels[$i]}POST exceptions/N/approve (write)" -t1 -c1 \
        -d"$((secs / 2 > 0 ? secs / 2 : 1))s" -s "$w/write.lua" "${sides[$i]}"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
