#!/usr/bin/env bash
# Scheduled work in `patchline serve` (docs/server.md, "Scheduled work"): a
# server on a loopback port, as a non-root user, with a configuration file
# that schedules a scan, webhook delivery, a snapshot and a feed sync that
# fails. --schedule-tick 1 moves the schedule's clock one minute a second, so
# "* * * * *" runs every second and "0 3 * * *" on the second tick from
# --now 02:58. Checked from outside: the webhook reaches a receiver on
# loopback (tests/cli/notify_receiver.py checks its HMAC), the API answers
# while a delivery hangs on a slow receiver, a run still going makes the next
# tick skip, the failed run is audited and the server goes on, SIGTERM waits
# for the run in flight and exits 0, and the audit log shows every run as its
# system principal. A second server on the real clock runs "* * * * *" at the
# next minute's start. Start-up refusals: a bad cron names the key and line, an
# unknown key, a real store with --now.
# Usage: schedule.sh PATCHLINE
set -euo pipefail
PL=$1
here=$(cd "$(dirname "$0")" && pwd)
FIX=$(cd "$here/../fixtures" && pwd)
command -v python3 >/dev/null || { echo "python3 is absent: skipped"; exit 77; }
command -v curl >/dev/null || { echo "curl is absent: skipped"; exit 77; }
. "$here/server_user.sh"
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }
check() { # check TITLE COMMAND...
    local t=$1
    shift
    if "$@"; then ok "$t"; else bad "$t"; fi
}
DB=$T/run/store.db
NOW=2026-01-10T02:58:00Z
as() { "${AS[@]}" env PATCHLINE_FEED_KEV_URL="file://$T/run/absent-kev.json" "$PL" --db "$DB" "$@"; }
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

# the estate of tests/cli/notify.t: one Debian host, a tracker file and a
# one-entry KEV catalogue: the first scan opens one Tier 0 finding
cp -r "$FIX/inventory/root" "$T/run/root"
[ "${#AS[@]}" -eq 0 ] || chown -R nobody:nogroup "$T/run/root"
as --now 2026-01-10T00:00:00Z init --simulated >/dev/null
as --now 2026-01-10T00:00:00Z inventory collect --root "$T/run/root" >/dev/null
as --now 2026-01-10T00:00:00Z feed import "$FIX/match/tracker.json" "$FIX/match/kev.json" >/dev/null
as --now 2026-01-10T00:00:00Z user add alice --role viewer >/dev/null
as --now 2026-01-10T00:00:00Z token create alice | tail -1 >"$T/token"

# two receivers: one checks signatures; the other answers after 15 s
printf 'a-shared-webhook-secret-0123456789\n' >"$T/run/secret"
chmod 600 "$T/run/secret"
[ "${#AS[@]}" -eq 0 ] || chown nobody:nogroup "$T/run/secret"
python3 "$here/../cli/notify_receiver.py" "$T/port1" "$T/run/secret" "$T/log1" >/dev/null 2>&1 &
pids+=($!)
python3 - "$T/port2" "$T/log2" >/dev/null 2>&1 <<'PY' &
import http.server, os, sys, time
port_file, log_file = sys.argv[1:3]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(log_file, "a") as f:
            f.write("start %f\n" % time.time())
        time.sleep(15)
        with open(log_file, "a") as f:
            f.write("end %f\n" % time.time())
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
s.timeout = 0.2
open(port_file + ".tmp", "w").write(str(s.server_address[1]))
os.rename(port_file + ".tmp", port_file)
deadline = time.time() + 300
while time.time() < deadline and os.path.exists(port_file):
    s.handle_request()
PY
pids+=($!)
for _ in $(seq 100); do [ -s "$T/port1" ] && [ -s "$T/port2" ] && break; sleep 0.1; done
as --now 2026-01-10T00:00:00Z notify add "http://127.0.0.1:$(cat "$T/port1")/hook" \
    --secret-file "$T/run/secret" --event tier0-opened >/dev/null
as --now 2026-01-10T00:00:00Z notify add "http://127.0.0.1:$(cat "$T/port2")/hook" \
    --secret-file "$T/run/secret" --event tier0-opened >/dev/null

# start-up refusals, before anything runs
printf 'schedule.scan = "* * * * *"\n# comment\n\nschedule.notify-deliver = "* 25 * * *"\n' \
    >"$T/run/bad.conf"
printf 'schedule.scan = "* * * * *"\nschedule.sacn = "* * * * *"\n' >"$T/run/unknown.conf"
printf 'schedule.scan = "* * * * *"\n' >"$T/run/scan.conf"
chmod 0644 "$T"/run/*.conf
[ "${#AS[@]}" -eq 0 ] || chown nobody:nogroup "$T"/run/*.conf
set +e
as --now $NOW serve --listen 127.0.0.1:0 --config "$T/run/bad.conf" >"$T/out" 2>"$T/err"
rc=$?
set -e
check "a bad cron exits non-zero ($rc)" [ "$rc" -ne 0 ]
check "...naming the file, the line and the key" \
    grep -qF "bad.conf:4: key 'schedule.notify-deliver': cron: field 'hour'" "$T/err"
check "...and never listens" bash -c "! grep -q listening '$T/out'"
set +e
as --now $NOW serve --listen 127.0.0.1:0 --config "$T/run/unknown.conf" >"$T/out" 2>"$T/err"
rc=$?
set -e
check "an unknown key exits non-zero, naming it and its line" \
    bash -c "[ $rc -ne 0 ] && grep -qF \"unknown.conf:2: unknown key 'schedule.sacn'\" '$T/err'"
"${AS[@]}" "$PL" --db "$T/run/real.db" init >/dev/null
set +e
"${AS[@]}" "$PL" --db "$T/run/real.db" --now $NOW serve --listen 127.0.0.1:0 \
    --config "$T/run/scan.conf" >"$T/out" 2>"$T/err"
rc=$?
set -e
check "a real store with --now refuses scheduled work (exit $rc)" \
    bash -c "[ $rc -eq 2 ] && grep -qF 'is real and records state changes at the real time only' '$T/err'"

# a second server on the real clock (no --schedule-tick): its delivery runs at
# the next minute's start, checked at the end
"${AS[@]}" "$PL" --db "$T/run/minute.db" --now $NOW init --simulated >/dev/null
printf 'schedule.notify-deliver = "* * * * *"\n' >"$T/run/minute.conf"
chmod 0644 "$T/run/minute.conf"
[ "${#AS[@]}" -eq 0 ] || chown nobody:nogroup "$T/run/minute.conf"
"${AS[@]}" "$PL" --db "$T/run/minute.db" --now $NOW serve --listen 127.0.0.1:0 \
    --config "$T/run/minute.conf" >"$T/minute.out" 2>"$T/minute.log" &
minute=$!
pids+=($minute)

# the server with its schedule
cat >"$T/run/serve.conf" <<'CONF'
# the server's schedule (docs/server.md)
schedule.scan = "* * * * *"
schedule.notify-deliver = "* * * * *"
schedule.snapshot = "*/2 * * * *"
schedule.feed-sync = "0 3 * * *"   # the second tick from 02:58
schedule.feed-kinds = "kev"
CONF
chmod 0644 "$T/run/serve.conf"
[ "${#AS[@]}" -eq 0 ] || chown nobody:nogroup "$T/run/serve.conf"
"${AS[@]}" env PATCHLINE_FEED_KEV_URL="file://$T/run/absent-kev.json" "$PL" --db "$DB" \
    --now $NOW serve --listen 127.0.0.1:0 --config "$T/run/serve.conf" --schedule-tick 1 \
    >"$T/serve.out" 2>"$T/serve.log" &
server=$!
pids+=($server)
for _ in $(seq 100); do grep -q '^listening on ' "$T/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$T/serve.out")
check "the server listens ($url)" test -n "$url"

# the webhook reaches the receiver that checks its signature
for _ in $(seq 600); do grep -q '^ok tier0-opened' "$T/log1" 2>/dev/null && break; sleep 0.1; done
check "a scheduled scan opened the Tier 0 finding and a scheduled delivery sent it, signed" \
    grep -q '^ok tier0-opened tier0-opened:finding:' "$T/log1"
# the delivery now waits on the slow receiver: the API answers meanwhile
for _ in $(seq 100); do [ -s "$T/log2" ] && break; sleep 0.1; done
t0=$(date +%s%N)
code=$(curl -s -o "$T/ping" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/token")" \
    "$url/api/v1/ping")
ms=$((($(date +%s%N) - t0) / 1000000))
check "the API answers while a delivery hangs on a slow receiver ($code in $ms ms)" \
    bash -c "[ '$code' = 200 ] && ! grep -q '^end' '$T/log2'"
sleep 2.5
check "a tick that finds the delivery still going skips it, and says so" \
    grep -q '"msg":"scheduled run skipped: the previous run is still running","job":"notify-deliver"' \
    "$T/serve.log"
check "the failed feed sync is logged as failed" \
    grep -q '"msg":"scheduled run","job":"feed-sync","outcome":"failed"' "$T/serve.log"
failed_at=$(grep -n '"msg":"scheduled run","job":"feed-sync","outcome":"failed"' "$T/serve.log" |
    head -1 | cut -d: -f1)
for _ in $(seq 300); do
    tail -n +"${failed_at:-1}" "$T/serve.log" |
        grep -q '"msg":"scheduled run","job":"scan","outcome":"ok"' && break
    sleep 0.1
done
check "...and the server goes on: a scan runs after it" \
    bash -c "tail -n +${failed_at:-1} '$T/serve.log' | grep -q '\"msg\":\"scheduled run\",\"job\":\"scan\",\"outcome\":\"ok\"'"
check "no log line holds the token" bash -c "! grep -qF '$(cat "$T/token")' '$T/serve.log'"

# SIGTERM drains: the delivery in flight finishes, exit 0
kill -TERM "$server"
set +e
wait "$server"
rc=$?
set -e
check "SIGTERM exits 0 ($rc)" [ "$rc" -eq 0 ]
check "...saying it waits for the delivery in flight" \
    grep -q '"msg":"waiting for the scheduled run in flight","job":"notify-deliver"' "$T/serve.log"
check "...after the runs in flight ended" bash -c "grep -q '^end' '$T/log2' && tail -1 '$T/serve.log' | grep -q '\"msg\":\"stopped\"'"

# the audit log shows each run, as its system principal
as audit export >"$T/audit"
for job in scan notify-deliver snapshot; do
    check "audit: a $job run as schedule:$job, ok" \
        grep -q "\"principal\":\"schedule:$job\".*\"action\":\"schedule.run\",\"object\":\"$job\".*outcome.*ok" "$T/audit"
done
check "audit: the feed sync run, failed, with its reason" \
    grep -q '"principal":"schedule:feed-sync".*"action":"schedule.run","object":"feed-sync".*failed.*absent-kev.json' \
    "$T/audit"
check "audit: the run's start and end" grep -q 'start.*:[0-9][0-9]Z.*end.*:[0-9][0-9]Z' "$T/audit"
check "audit: the scan's own event is the scheduled principal's" \
    grep -q '"principal":"schedule:scan".*"action":"scan"' "$T/audit"
check "audit: the delivery's own event too" \
    grep -q '"principal":"schedule:notify-deliver".*"action":"notify.deliver"' "$T/audit"
check "the audit chain verifies" as audit verify
as findings --format csv >"$T/findings"
check "...listed by findings" grep -q 'CVE-2026-1004' "$T/findings"
# the real clock: the run started at a minute's start (within a few seconds under load)
for _ in $(seq 750); do
    grep -q '"msg":"scheduled run","job":"notify-deliver","outcome":"ok"' "$T/minute.log" && break
    sleep 0.1
done
check "on the real clock, '* * * * *' runs at the next minute" \
    grep -q '"ts":"[0-9T:-]*:0[0-5]Z","level":"info","module":"server","msg":"scheduled run started","job":"notify-deliver"' \
    "$T/minute.log"
check "...and ends ok" \
    grep -q '"msg":"scheduled run","job":"notify-deliver","outcome":"ok"' "$T/minute.log"
kill -TERM "$minute"
set +e
wait "$minute"
rc=$?
set -e
check "...and that server stops on SIGTERM too ($rc)" [ "$rc" -eq 0 ]
[ $fail -eq 0 ] && echo "schedule: ok"
exit $fail
