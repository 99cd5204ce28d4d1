#!/usr/bin/env bash
# One read transaction per API read (docs/server.md, "Reads in one
# transaction"): a server on a loopback port, as a non-root user, with the
# store's statement log on (PATCHLINE_SQL_LOG, docs/store.md). Each GET of the API must run its
# statements inside one BEGIN ... COMMIT: in the log, the request's lines
# are one "auto BEGIN" (the only statement that opens a transaction), then
# "tx" lines only, the last a COMMIT. The token's last use, due once a
# minute, is written after that transaction, and is recorded. The
# dashboard's pages with a session cookie likewise: one read transaction
# each, the session's last_seen (due once a minute) written after it, and a
# session idle for 30 minutes sent to /login.
# Usage: read_tx.sh PATCHLINE
set -euo pipefail
PL=$1
here=$(cd "$(dirname "$0")" && pwd)
FIX=$(cd "$here/../fixtures" && pwd)
command -v curl >/dev/null || { echo "curl is absent: skipped"; exit 77; }
. "$here/server_user.sh"
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }
DB=$T/run/store.db
LOG=$T/run/sql.log
NOW=2026-01-10T00:00:00Z
as() { "${AS[@]}" "$PL" --db "$DB" --now "$NOW" "$@"; }
srv=
cleanup() {
    [ -z "$srv" ] || kill "$srv" 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT

# the estate of tests/cli/notify.t: one Debian host and its findings
cp -r "$FIX/inventory/root" "$T/run/root"
[ "${#AS[@]}" -eq 0 ] || chown -R nobody:nogroup "$T/run/root"
as init --simulated >/dev/null
as inventory collect --root "$T/run/root" >/dev/null
as feed import "$FIX/match/tracker.json" "$FIX/match/kev.json" >/dev/null
as scan >/dev/null
as user add alice --role viewer >/dev/null
as user add root-admin --role admin >/dev/null
tok=$(as token create alice | tail -1)
adm=$(as token create root-admin | tail -1)

"${AS[@]}" env PATCHLINE_SQL_LOG="$LOG" "$PL" --db "$DB" --now "$NOW" serve \
    --listen 127.0.0.1:0 --threads 1 >"$T/url" 2>"$T/server.log" &
srv=$!
for _ in $(seq 100); do grep -q listening "$T/url" 2>/dev/null && break; sleep 0.1; done
url=$(awk '{print $NF}' "$T/url")
[ -n "$url" ] || { cat "$T/server.log"; echo "FAIL the server did not start"; exit 1; }

lines() { [ -f "$LOG" ] && wc -l <"$LOG" || echo 0; }
# the log's lines since line $1, once they stop growing
since() {
    local n prev=-1
    for _ in $(seq 50); do
        n=$(lines)
        [ "$n" = "$prev" ] && break
        prev=$n
        sleep 0.1
    done
    tail -n +"$(($1 + 1))" "$LOG" 2>/dev/null || true
}
# get TOKEN PATH: the status of GET PATH, its body in $T/body
get() {
    curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $1" "$url$2"
}
# one_tx TITLE LINES [MIN]: one "auto BEGIN", then "tx" lines (MIN lines in all, default 4),
# the last a COMMIT
one_tx() {
    local autos first last
    autos=$(grep -c '^auto ' <<<"$2" || true)
    first=$(head -1 <<<"$2")
    last=$(tail -1 <<<"$2")
    if [ "$autos" = 1 ] && [ "$first" = "auto BEGIN" ] && [ "$last" = "tx COMMIT" ] &&
        [ "$(grep -vc '^tx ' <<<"$2")" = 1 ] && [ "$(wc -l <<<"$2")" -ge "${3:-4}" ]; then
        ok "$1: one read transaction ($(($(wc -l <<<"$2") - 2)) statements in it)"
    else
        bad "$1: not one read transaction:"
        sed 's/^/     /' <<<"$2" | head -30
    fi
}

# the first request of a token records its last use after its read transaction
n=$(lines)
st=$(get "$tok" "/api/v1/findings?limit=100")
out=$(since "$n")
[ "$st" = 200 ] && ok "first GET findings: 200" || bad "first GET findings: $st"
read_part=$(awk '{print} /^tx COMMIT$/ {exit}' <<<"$out")
one_tx "first GET findings, its reads" "$read_part"
if tail -n +"$(($(wc -l <<<"$read_part") + 1))" <<<"$out" | grep -q '^tx UPDATE tokens SET last_used_at'; then
    ok "the token's last use is written after the read transaction"
else
    bad "the token's last use is not written after the read transaction"
fi
used=$(as token list --format csv | awk -F, 'NR > 1 && $2 == "alice" {print $7}')
[ -n "$used" ] && ok "the token's last use is recorded ($used)" || bad "the token's last use is not recorded"

# then every read of the API is one read transaction, and writes nothing
for path in "/api/v1/findings?limit=100" "/api/v1/findings?tier=0&limit=1" /api/v1/ping \
    /api/v1/assets /api/v1/feeds /api/v1/exceptions /api/v1/jobs /api/v1/report /metrics \
    /api/v1/software /api/v1/users /api/v1/plans/latest/waves /api/v1/findings/1/explain \
    /api/v1/audit/verify; do
    n=$(lines)
    st=$(get "$tok" "$path")
    out=$(since "$n")
    case $st in 200 | 404) ok "GET $path: $st" ;; *) bad "GET $path: $st $(head -c 300 "$T/body")" ;; esac
    one_tx "GET $path" "$out"
    # (a read may fill a temp table of ids it joins: the connection's own, not the store)
    if grep -E '^(auto|tx) (INSERT|UPDATE|DELETE|REPLACE|CREATE)' <<<"$out" |
        grep -qvE '^tx (CREATE TEMP TABLE|INSERT INTO pl_risk_ids|DELETE FROM pl_risk_ids)'; then
        bad "GET $path wrote"
    fi
done
for path in /api/v1/audit /api/v1/audit/export /api/v1/tokens; do
    get "$adm" "$path" >/dev/null # the admin token's last use, written once
    n=$(lines)
    st=$(get "$adm" "$path")
    out=$(since "$n")
    [ "$st" = 200 ] && ok "GET $path (admin): 200" || bad "GET $path (admin): $st"
    one_tx "GET $path (admin)" "$out"
done
# a request refused for its token (not one at all: no statement) opens no other transaction
n=$(lines)
st=$(get "not-a-token" "/api/v1/findings")
out=$(since "$n")
[ "$st" = 401 ] && ok "GET with a bad token: 401" || bad "GET with a bad token: $st"
one_tx "GET with a bad token" "$out" 2

# ---- the dashboard's pages, with a session cookie ----------------------------
sq() { "${AS[@]}" sqlite3 "$DB" "$@"; }
now_s=$(date -u -d "$NOW" +%s)
# page SID PATH: the status of GET PATH with the session cookie, its headers in $T/head
page() {
    curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' -H "Cookie: pl_session=$1" "$url$2"
}
host=${url#http://}
host=${host%%/*}
st=$(curl -s -o /dev/null -D "$T/head" -w '%{http_code}' -H "Origin: http://$host" \
    --data-urlencode "token=$tok" "$url/login")
sid=$(sed -n 's/^[Ss]et-[Cc]ookie: pl_session=\(pls_[0-9a-f]*\);.*/\1/p' "$T/head" | tr -d '\r')
[ "$st" = 303 ] && [ -n "$sid" ] && ok "POST /login with a token: 303 and a session" ||
    bad "POST /login with a token: $st, no session"
fid=$(sq "SELECT min(id) FROM findings")
for path in / /findings "/findings?tier=0" "/findings/$fid" /decisions /report; do
    n=$(lines)
    st=$(page "$sid" "$path")
    out=$(since "$n")
    [ "$st" = 200 ] && grep -q 'id="who"' "$T/body" && ok "page $path: 200, logged in" ||
        bad "page $path: $st $(head -c 300 "$T/body")"
    one_tx "page $path" "$out"
    if grep -E '^(auto|tx) (INSERT|UPDATE|DELETE|REPLACE|CREATE)' <<<"$out" |
        grep -qvE '^tx (CREATE TEMP TABLE|INSERT INTO pl_risk_ids|DELETE FROM pl_risk_ids)'; then
        bad "page $path wrote"
    fi
done

# last_seen two minutes old: the page reads in one transaction, then moves last_seen
sq "UPDATE sessions SET last_seen = $((now_s - 120))"
n=$(lines)
st=$(page "$sid" /findings)
out=$(since "$n")
[ "$st" = 200 ] && ok "page /findings, last_seen due: 200" || bad "page /findings, last_seen due: $st"
read_part=$(awk '{print} /^tx COMMIT$/ {exit}' <<<"$out")
one_tx "page /findings, last_seen due, its reads" "$read_part"
if tail -n +"$(($(wc -l <<<"$read_part") + 1))" <<<"$out" | grep -q '^tx UPDATE sessions SET last_seen'; then
    ok "the session's last_seen is written after the read transaction"
else
    bad "the session's last_seen is not written after the read transaction"
fi
seen=$(sq "SELECT last_seen FROM sessions")
[ "$seen" = "$now_s" ] && ok "the session's last_seen moved to now" ||
    bad "the session's last_seen is $seen, not $now_s"

# idle 29 minutes: still live; idle 30 minutes: the page sends to /login, and writes nothing
sq "UPDATE sessions SET last_seen = $((now_s - 29 * 60))"
st=$(page "$sid" /)
[ "$st" = 200 ] && ok "idle 29 minutes: the page is served" || bad "idle 29 minutes: $st"
sq "UPDATE sessions SET last_seen = $((now_s - 30 * 60))"
n=$(lines)
st=$(page "$sid" /)
out=$(since "$n")
if [ "$st" = 303 ] && grep -qi '^location: /login' "$T/head"; then
    ok "idle 30 minutes: redirected to /login"
else
    bad "idle 30 minutes: $st"
fi
one_tx "an expired session's page" "$out" 2
seen=$(sq "SELECT last_seen FROM sessions")
[ "$seen" = "$((now_s - 30 * 60))" ] && ok "an expired session is not revived" ||
    bad "an expired session's last_seen moved to $seen"
# 12 hours after log-in, however recent the last request
sq "UPDATE sessions SET last_seen = $now_s, created_at = $((now_s - 12 * 3600))"
st=$(page "$sid" /findings)
[ "$st" = 303 ] && ok "12 hours after log-in: redirected to /login" || bad "12 hours after log-in: $st"
# a disabled user's session stops at once
sq "UPDATE sessions SET created_at = $now_s"
st=$(page "$sid" /)
[ "$st" = 200 ] && ok "the session again live: 200" || bad "the session again live: $st"
as user disable alice >/dev/null
st=$(page "$sid" /)
[ "$st" = 303 ] && ok "a disabled user's session: redirected to /login" ||
    bad "a disabled user's session: $st"

kill -TERM "$srv"
wait "$srv" || bad "the server did not exit 0 on SIGTERM"
srv=
exit $fail
