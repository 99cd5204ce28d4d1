#!/usr/bin/env bash
# Agents under load: one `patchline serve` on loopback (as nobody when run as
# root: the server refuses root), N simulated agents from bench_agents
# (enrolment, first full uploads, then check-ins: a delta upload and a job
# poll each), the server's CPU time per phase and its peak memory. Run
# through bench/run (PL_BUILD).
# PL_BENCH_AGENTS (default 10000), PL_BENCH_THREADS (8), PL_BENCH_PKGS (400),
# PL_BENCH_ROUNDS (2), PL_BENCH_SERVER_THREADS (the server's --threads; default
# its own: one per CPU).
set -euo pipefail
B=${PL_BUILD:?run through bench/run}
T=$(mktemp -d /tmp/pl-bench-agents-XXXXXX)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$T"' EXIT
chmod 0755 "$T"
AS=()
if [ "$(id -u)" -eq 0 ]; then
    AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
    chown nobody:nogroup "$T"
fi
"${AS[@]}" "$B/patchline" --db "$T/store.db" init >/dev/null
SERVE=(--listen 127.0.0.1:0)
[ -n "${PL_BENCH_SERVER_THREADS:-}" ] && SERVE+=(--threads "$PL_BENCH_SERVER_THREADS")
"${AS[@]}" "$B/patchline" --db "$T/store.db" serve "${SERVE[@]}" >"$T/url" 2>"$T/server.log" &
pid=$!
for _ in $(seq 50); do [ -s "$T/url" ] && break; sleep 0.2; done
url=$(awk '{print $NF}' "$T/url")
spid=$(pgrep -P "$pid" -x patchline || echo "$pid")
# each phase's line followed by the server's CPU time over that phase (/proc/PID/stat)
cpu() { awk '{print $14 + $15}' "/proc/$spid/stat"; }
hz=$(getconf CLK_TCK)
c0=$(cpu)
"${AS[@]}" "$B/bench/bench_agents" "$T/store.db" "$url" "${PL_BENCH_AGENTS:-10000}" \
    "${PL_BENCH_THREADS:-8}" "${PL_BENCH_PKGS:-400}" "${PL_BENCH_ROUNDS:-2}" |
    while IFS= read -r line; do
        echo "$line"
        case $line in setup:*) continue ;; esac
        c1=$(cpu)
        n=$(echo "$line" | awk '{for (i = 1; i < NF; i++) if ($(i + 1) == "agents") print $i}')
        awk -v d=$((c1 - c0)) -v hz="$hz" -v n="${n:-0}" \
            'BEGIN {printf "  server CPU %.2f s, %.2f ms per agent\n", d / hz, n ? d / hz * 1000 / n : 0}'
        c0=$c1
    done
# VmHWM and VmRSS count the store's pages read through mmap (RssFile: the OS's
# file cache, shared); RssAnon is the server's own memory.
grep -E 'VmHWM|VmRSS|RssAnon|RssFile' "/proc/$spid/status" | sed 's/^/server /'
awk -v hz="$(getconf CLK_TCK)" '{printf "server CPU %.1f s (user %.1f, system %.1f)\n", ($14 + $15) / hz, $14 / hz, $15 / hz}' "/proc/$spid/stat"
ls -l "$T/store.db" | awk '{printf "store %.1f MB\n", $5 / 1048576}'
