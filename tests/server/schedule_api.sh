#!/usr/bin/env bash
# feed sync through the server, a scheduled job started by hand, and SIGHUP
# reloading the schedule (docs/server.md, "Scheduled work"). A feed mirror on
# loopback (python3) serves the fixtures; the server (a loopback port, a
# non-root user) and the local command get the same PATCHLINE_FEED_<KIND>_URL,
# so `feed sync` locally on one copy of a store and with --server on another
# must print the same lines byte for byte and leave the same rows. The mirror's
# /slow/ path answers only once the test lets it, so that a run by hand is
# still going when a second one is asked for (409). Usage: schedule_api.sh PATCHLINE
set -euo pipefail
PL=$1
here=$(cd "$(dirname "$0")" && pwd)
FIX=$(cd "$here/../fixtures" && pwd)
command -v python3 >/dev/null || { echo "python3 is absent: skipped"; exit 77; }
command -v curl >/dev/null || { echo "curl is absent: skipped"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is absent: skipped"; exit 77; }
. "$here/server_user.sh"
unset PATCHLINE_NOW PATCHLINE_DB PATCHLINE_SERVER PATCHLINE_TOKEN
NOW=2026-03-02T12:00:00Z
B=$T/run/base.db L=$T/run/local.db R=$T/run/remote.db
as() { "${AS[@]}" "$PL" "$@"; }
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ -n "${KEEP:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

# the feed mirror: the fixtures' files; /slow/NAME waits for the file $T/release
mkdir -p "$T/feeds"
cp "$FIX/kev/kev_2025.01.02.json" "$FIX/epss/epss_2025-01-02.csv" "$FIX/cve5/CVE-2024-0001.json" \
    "$T/feeds/"
python3 - "$T/feeds" "$T/port" "$T/release" >"$T/mirror.log" 2>&1 <<'PY' &
import http.server, os, sys, time
root, port_file, release = sys.argv[1:4]
class H(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=root, **k)
    def do_GET(self):
        if self.path.startswith("/slow/"):
            open(release + ".asked", "w").close()
            deadline = time.time() + 120
            while not os.path.exists(release) and time.time() < deadline:
                time.sleep(0.05)
            self.path = self.path[5:]
        super().do_GET()
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(port_file + ".tmp", "w").write(str(s.server_address[1]))
os.rename(port_file + ".tmp", port_file)
s.serve_forever()
PY
pids+=($!)
for _ in $(seq 300); do [ -s "$T/port" ] && break; sleep 0.1; done
M=http://127.0.0.1:$(cat "$T/port")
export PATCHLINE_FEED_KEV_URL=$M/kev_2025.01.02.json
export PATCHLINE_FEED_EPSS_URL=$M/epss_2025-01-02.csv
export PATCHLINE_FEED_NVD_URL=$M/absent.json
export PATCHLINE_FEED_CVE5_URL=$M/slow/CVE-2024-0001.json

as --db "$B" --now 2026-03-02T11:00:00Z init --simulated >/dev/null
as --db "$B" --now 2026-03-02T11:00:00Z user add bob --role viewer >/dev/null
as --db "$B" --now 2026-03-02T11:00:00Z user add dave --role operator --role viewer >/dev/null
for u in bob dave; do
    as --db "$B" --now 2026-03-02T11:00:00Z token create $u | tail -1 >"$T/token-$u"
done
"${AS[@]}" sqlite3 "$B" ".backup '$L'"
"${AS[@]}" sqlite3 "$B" ".backup '$R'"
"${AS[@]}" cp -p "$B.audit-key" "$L.audit-key"
"${AS[@]}" cp -p "$B.audit-key" "$R.audit-key"

# the schedule: once a year (never during the test, whose clock ticks a minute a second),
# so the jobs run only when started by hand
conf() { # conf LINES...: the server's configuration file
    printf '%s\n' "$@" >"$T/run/serve.conf.tmp"
    chmod 0644 "$T/run/serve.conf.tmp"
    [ "${#AS[@]}" -eq 0 ] || chown nobody:nogroup "$T/run/serve.conf.tmp"
    mv "$T/run/serve.conf.tmp" "$T/run/serve.conf"
}
conf '# the server schedule (docs/server.md)' 'schedule.scan = "0 0 1 1 *"' \
    'schedule.feed-sync = "0 0 1 1 *"' 'schedule.feed-kinds = "cve5"'
"${AS[@]}" "$PL" --db "$R" --now "$NOW" serve --listen 127.0.0.1:0 --config "$T/run/serve.conf" \
    --schedule-tick 1 >"$T/serve.out" 2>"$T/serve.log" &
SRV=$!
pids+=($SRV)
for _ in $(seq 300); do grep -q '^listening on ' "$T/serve.out" 2>/dev/null && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$T/serve.out")
[ -n "$URL" ] || { echo "the server did not start:"; cat "$T/serve.log"; exit 1; }

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; shift; printf '%s\n' "$@" | sed 's/^/    /'; }
check() { # check TITLE COMMAND...
    local t=$1
    shift
    if "$@"; then ok "$t"; else bad "$t"; fi
}

# same RC USER ARGS...: locally and through the server, both exiting RC, the same output
same() {
    local want=$1 user=$2 name
    shift 2
    name="$*"
    set +e
    PATCHLINE_TOKEN=$(cat "$T/token-$user") "${AS[@]}" env PATCHLINE_FEED_KEV_URL="$PATCHLINE_FEED_KEV_URL" \
        PATCHLINE_FEED_EPSS_URL="$PATCHLINE_FEED_EPSS_URL" PATCHLINE_FEED_NVD_URL="$PATCHLINE_FEED_NVD_URL" \
        "$PL" --db "$L" --now "$NOW" "$@" >"$T/l.out" 2>"$T/l.err"
    local lrc=$?
    PATCHLINE_TOKEN=$(cat "$T/token-$user") "$PL" --server "$URL" --now "$NOW" "$@" \
        >"$T/r.out" 2>"$T/r.err"
    local rrc=$?
    set -e
    if [ $lrc -eq "$want" ] && [ $rrc -eq "$want" ] && cmp -s "$T/l.out" "$T/r.out" &&
        [ -s "$T/l.out" -o "$want" -ne 0 ]; then
        ok "$name as $user: same output (exit $lrc, $(wc -l <"$T/l.out") lines)"
    else
        bad "$name as $user: local exit $lrc, server exit $rrc" "$(diff "$T/l.out" "$T/r.out" | head -20)" \
            "$(cat "$T/l.err" "$T/r.err" | head -6)"
    fi
}
rows() {
    if [ "$(sqlite3 "$L" "$1")" = "$(sqlite3 "$R" "$1")" ]; then
        ok "the stores agree: $1"
    else
        bad "the stores differ: $1" "local: $(sqlite3 "$L" "$1")" "server: $(sqlite3 "$R" "$1")"
    fi
}
# api USER METHOD PATH [BODY]: the status into $T/code, the answer into $T/body
api() {
    curl -s -o "$T/body" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $(cat "$T/token-$1")" \
        ${4:+-H 'Content-Type: application/json' --data-binary "$4"} "$URL$3" >"$T/code"
}

# ---- feed sync --------------------------------------------------------------
before=$(sqlite3 "$R" "SELECT count(*) FROM feeds")
set +e
PATCHLINE_TOKEN=$(cat "$T/token-bob") "$PL" --server "$URL" feed sync kev >"$T/r.out" 2>"$T/r.err"
rc=$?
set -e
check "feed sync as a viewer: 403, exit 1, nothing imported" \
    bash -c "[ $rc -eq 1 ] && grep -q '(HTTP 403)' '$T/r.err' && [ \"\$(sqlite3 '$R' 'SELECT count(*) FROM feeds')\" = $before ]"
same 0 dave feed sync kev
same 0 dave feed sync kev
if grep -q ': not modified$' "$T/r.out"; then
    ok "the second sync through the server is conditional: not modified"
else
    bad "the second sync through the server" "$(cat "$T/r.out")"
fi
same 1 dave feed sync --max-bytes 100 kev epss
if grep -qF "epss_2025-01-02.csv: larger than 100 bytes (HTTP 413)" "$T/r.err" &&
    [ "$(wc -l <"$T/r.out")" -eq 1 ]; then
    ok "a failing kind: the kinds before it printed, then the error"
else
    bad "a failing kind after another" "$(cat "$T/r.out" "$T/r.err")"
fi
same 0 dave feed sync
cp "$T/r.out" "$T/default.out"
same 0 dave feed sync --force epss
same 1 dave feed sync nvd
same 2 dave feed sync no-such-kind
rows "SELECT kind, version, released, records, inserted, updated, unchanged, sha256, path FROM feeds ORDER BY id"
rows "SELECT kind, url, http_status FROM feed_sync ORDER BY kind"
rows "SELECT action, object, actor FROM audit_events WHERE action LIKE 'feed%' ORDER BY id"
set +e
PATCHLINE_TOKEN=$(cat "$T/token-dave") "$PL" --server "$URL" feed sync --url "file:///etc/passwd" kev \
    >"$T/r.out" 2>"$T/r.err"
rc=$?
set -e
check "feed sync --url with --server: refused before sending (exit $rc)" \
    bash -c "[ $rc -eq 2 ] && grep -qF 'the server fetches from its own sources' '$T/r.err'"
api dave POST /api/v1/feeds/sync '{"kinds": ["kev"], "url": "file:///etc/passwd"}'
check "a body naming a URL: 400 ($(cat "$T/code"))" \
    bash -c "[ \"\$(cat '$T/code')\" = 400 ] && grep -qF \"field 'url'\" '$T/body'"
api dave POST /api/v1/feeds/sync '{"kinds": "kev"}'
check "kinds not an array: 400 naming the field" \
    bash -c "[ \"\$(cat '$T/code')\" = 400 ] && grep -qF \"field 'kinds'\" '$T/body'"
api dave POST /api/v1/feeds/sync '{"force": 1}'
check "force not a boolean: 400 naming the field" \
    bash -c "[ \"\$(cat '$T/code')\" = 400 ] && grep -qF \"field 'force'\" '$T/body'"

# ---- a scheduled job by hand ------------------------------------------------
api bob POST /api/v1/schedule/scan/run
check "schedule run as a viewer: 403" [ "$(cat "$T/code")" = 403 ]
api dave POST /api/v1/schedule/nothing/run
check "an unknown job: 404" bash -c "[ \"\$(cat '$T/code')\" = 404 ] && grep -qF \"no job 'nothing'\" '$T/body'"
api dave POST /api/v1/schedule/snapshot/run
check "a job the schedule does not name: 404" \
    bash -c "[ \"\$(cat '$T/code')\" = 404 ] && grep -qF 'not in the server' '$T/body'"
api dave POST /api/v1/schedule/scan/run
check "scan by hand: 200, as the caller, ok" \
    bash -c "[ \"\$(cat '$T/code')\" = 200 ] && grep -q '\"principal\": \"dave\".*\"outcome\": \"ok\", \"summary\": \"scanned ' '$T/body'"
check "...audited as the caller" \
    bash -c "sqlite3 '$R' \"SELECT actor, detail FROM audit_events WHERE action = 'schedule.run' AND object = 'scan'\" | grep -q '^dave|.*\"outcome\":\"ok\"'"
check "...and the scan's own event too" \
    bash -c "[ \"\$(sqlite3 '$R' \"SELECT actor FROM audit_events WHERE action = 'scan' ORDER BY id DESC LIMIT 1\")\" = dave ]"
check "...logged as a run by hand" \
    grep -q '"msg":"scheduled run","job":"scan","outcome":"ok","ms":[0-9]*,"principal":"dave","by_hand":true' "$T/serve.log"
# the feed sync's download waits on the mirror until $T/release exists
rm -f "$T/release" "$T/release.asked"
curl -s -o "$T/body1" -w '%{http_code}' -X POST -H "Authorization: Bearer $(cat "$T/token-dave")" \
    "$URL/api/v1/schedule/feed-sync/run" >"$T/code1" &
first=$!
for _ in $(seq 300); do [ -e "$T/release.asked" ] && break; sleep 0.1; done
api dave POST /api/v1/schedule/feed-sync/run
check "the same job while it runs: 409" \
    bash -c "[ \"\$(cat '$T/code')\" = 409 ] && grep -qF \"job 'feed-sync' is running\" '$T/body'"
touch "$T/release"
wait $first || true
check "...and the first run ends ok ($(cat "$T/code1"))" \
    bash -c "[ \"\$(cat '$T/code1')\" = 200 ] && grep -qF 'cve5: 1 records' '$T/body1'"
check "...its import recorded as the caller" \
    bash -c "[ \"\$(sqlite3 '$R' \"SELECT actor FROM audit_events WHERE action = 'feed.import' ORDER BY id DESC LIMIT 1\")\" = dave ]"

# ---- SIGHUP reloads the schedule ---------------------------------------------
hup() { # hup MSG: SIGHUP, then wait for the log line MSG after those before it
    local n
    n=$(wc -l <"$T/serve.log")
    kill -HUP $SRV
    for _ in $(seq 300); do tail -n +$((n + 1)) "$T/serve.log" | grep -qF "$1" && break; sleep 0.1; done
    tail -n +$((n + 1)) "$T/serve.log" >"$T/hup.log"
}
conf 'schedule.scan = "0 0 1 1 *"' 'schedule.snapshot = "0 0 1 1 *"' \
    'schedule.notify-deliver = "* * * * *"'
hup '"msg":"schedule reloaded"'
check "SIGHUP with a valid file: reloaded, naming it" \
    grep -qF "\"msg\":\"schedule reloaded\",\"file\":\"$T/run/serve.conf\"" "$T/hup.log"
check "...with each job's time" grep -qF '"msg":"scheduled","job":"notify-deliver","cron":"* * * * *"' "$T/hup.log"
api dave POST /api/v1/schedule/snapshot/run
check "...a job it added runs by hand" bash -c "[ \"\$(cat '$T/code')\" = 200 ]"
api dave POST /api/v1/schedule/feed-sync/run
check "...a job it dropped is 404" bash -c "[ \"\$(cat '$T/code')\" = 404 ]"
n=$(wc -l <"$T/serve.log")
for _ in $(seq 300); do
    tail -n +$((n + 1)) "$T/serve.log" | grep -q '"msg":"scheduled run","job":"notify-deliver","outcome":"ok","ms":[0-9]*,"principal":"schedule:notify-deliver"' && break
    sleep 0.1
done
check "...and the timer runs its new job" \
    bash -c "tail -n +$((n + 1)) '$T/serve.log' | grep -q '\"msg\":\"scheduled run\",\"job\":\"notify-deliver\",\"outcome\":\"ok\"'"
conf 'schedule.scan = "0 0 1 1 *"' '# a typo' 'schedule.snapshot = "0 25 * * *"'
hup '"msg":"schedule not reloaded'
check "SIGHUP with a bad file: logged with its file, line and key" \
    grep -qF "\"msg\":\"schedule not reloaded: the schedule before stays\",\"error\":\"$T/run/serve.conf:3: key 'schedule.snapshot': cron: field 'hour'" "$T/hup.log"
api dave POST /api/v1/schedule/snapshot/run
check "...the schedule before stays (snapshot still runs by hand)" bash -c "[ \"\$(cat '$T/code')\" = 200 ]"
n=$(wc -l <"$T/serve.log")
for _ in $(seq 300); do
    tail -n +$((n + 1)) "$T/serve.log" | grep -q '"msg":"scheduled run","job":"notify-deliver","outcome":"ok"' && break
    sleep 0.1
done
check "...its timer goes on" \
    bash -c "tail -n +$((n + 1)) '$T/serve.log' | grep -q '\"msg\":\"scheduled run\",\"job\":\"notify-deliver\",\"outcome\":\"ok\"'"
api bob GET /api/v1/ping
check "...and the server goes on serving" [ "$(cat "$T/code")" = 200 ]
printf 'schedule.scan = "* * * * *"\n' >"$T/run/serve.conf"
chmod 0666 "$T/run/serve.conf"
hup '"msg":"schedule not reloaded'
check "SIGHUP with a file anyone may write: refused, logged" \
    grep -q '"msg":"schedule not reloaded: the schedule before stays","error":".*serve.conf' "$T/hup.log"
check "no log line holds a token" \
    bash -c "! grep -qF '$(cat "$T/token-dave")' '$T/serve.log' && ! grep -qF '$(cat "$T/token-bob")' '$T/serve.log'"

kill -TERM $SRV
set +e
wait $SRV
rc=$?
set -e
check "SIGTERM after all this: exit 0 ($rc)" [ $rc -eq 0 ]
check "the audit chain verifies" as --db "$R" audit verify

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
