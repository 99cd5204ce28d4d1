#!/usr/bin/env bash
# Load the HTML report in headless Chromium: no console errors, no CSP
# violation, the four charts present with data. Usage: run.sh PATCHLINE [SHOT.png]
# Skips (exit 77, CTest's SKIP_RETURN_CODE, with a message) when chromium is absent.
set -uo pipefail
PL=$1
SHOT=${2:-}
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then echo "skipping browser test: chromium is absent"; exit 77; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB=$T/s.db
NOW=2026-11-29T12:00:00Z
"$PL" --db "$DB" --now 2026-09-20T00:00:00Z init >/dev/null || exit 1
# A small estate: a hostile asset name, open, overdue, fixed and KEV findings.
sqlite3 "$DB" <<'SQL' || exit 1
INSERT INTO assets (id, name, owner, environment, os_name, os_version, first_seen, last_seen)
VALUES (1, '<script>alert(1)</script>', 'web', 'prod', 'debian', '10', 1790000000, 1796000000),
       (2, 'db-01', 'data', 'prod', 'debian', '12', 1790000000, 1796000000),
       (3, 'dev-01', NULL, 'dev', 'ubuntu', '24.04', 1790000000, 1796000000);
INSERT INTO findings (asset_id, vuln_id, package, status, first_seen, resolved_at, tier, due_at,
                      severity, kev_added)
VALUES (1, 'CVE-2026-0001', 'openssl', 'open', 1792000000, NULL, 0, 1792086400, 'critical', 1792000000),
       (2, 'CVE-2026-0002', 'libxml2', 'fixed', 1793800000, 1793850000, 0, 1793886400, 'critical', 1793800000),
       (2, 'CVE-2026-0003', 'curl', 'fixed', 1793800000, 1794500000, 2, 1796392000, 'high', NULL),
       (3, 'CVE-2026-0004', 'zlib', 'open', 1793000000, NULL, 2, 1795592000, 'high', NULL),
       (2, 'CVE-2026-0005', 'bash', 'fixed', 1792500000, 1794000000, 1, 1793104800, 'critical', NULL);
SQL
for d in 2026-09-20 2026-10-15 2026-11-01 2026-11-20 2026-11-29; do
    "$PL" --db "$DB" --now "${d}T20:00:00Z" snapshot >/dev/null || exit 1
done
"$PL" --db "$DB" --now $NOW report --period quarter --format html -o "$T/report.html" || exit 1
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run
       --user-data-dir="$T/profile" --enable-logging=stderr --v=0)
timeout 120 "$CHROME" "${flags[@]}" --dump-dom "file://$T/report.html" >"$T/dom.html" 2>"$T/log" || {
    echo "FAIL: chromium exited non-zero"; cat "$T/log"; exit 1; }
fail=0
for id in chart-sla chart-backlog chart-mttp chart-overdue; do
    grep -q "<svg id=\"$id\"" "$T/dom.html" || { echo "FAIL: no <svg id=$id> in the DOM"; fail=1; }
done
grep -Eq '<rect class="bar (ok|miss|none)" x="170" y="[0-9]+" width="[1-9]' "$T/dom.html" || { echo "FAIL: the SLA chart has no bar"; fail=1; }
grep -q '<polyline class="open" points=' "$T/dom.html" || { echo "FAIL: no backlog trend line"; fail=1; }
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/dom.html" || { echo "FAIL: hostile name not shown as text"; fail=1; }
if grep -q '<script' "$T/dom.html"; then echo "FAIL: a script element in the DOM"; fail=1; fi
if grep -E -i 'Content Security Policy|CONSOLE\(|Uncaught|net::ERR' "$T/log"; then
    echo "FAIL: console error or CSP violation (above)"; fail=1
fi
if [ -n "$SHOT" ]; then
    timeout 120 "$CHROME" "${flags[@]}" --window-size=1100,2400 --screenshot="$SHOT" \
        "file://$T/report.html" 2>/dev/null >/dev/null
fi
# Both reports laid out at the A4 text width (186 mm: 703 px) and on a wide
# screen: no element past the page's edge, no chart label clipped.
"$PL" --db "$DB" --now $NOW report --period month --format html -o "$T/month.html" || exit 1
for rep in report month; do
    for width in 703 1100; do
        "$(dirname "$0")/layout.sh" "$CHROME" "$T/$rep.html" $width "$T/layout.txt"
        if grep -v '^empty section' "$T/layout.txt" | grep -qv '^ok$'; then
            echo "FAIL: $rep at ${width}px:"; grep -v '^empty section' "$T/layout.txt"; fail=1
        fi
    done
done
# The demo's two reports (PL_BROWSER_DEMO=DIR, after `patchline demo -o DIR`): also every
# section has data, and the KEV sections list entries: KEV arrivals of the period (a
# table with a row per finding, fixed within 24 h among them) and KEV incidents.
if [ -n "${PL_BROWSER_DEMO:-}" ]; then
    for rep in report-month.html report.html; do
        "$(dirname "$0")/layout.sh" "$CHROME" "$PL_BROWSER_DEMO/$rep" 703 "$T/layout.txt"
        if ! grep -qx ok "$T/layout.txt"; then echo "FAIL: demo $rep:"; cat "$T/layout.txt"; fail=1; fi
        timeout 120 "$CHROME" "${flags[@]}" --dump-dom "file://$(cd "$PL_BROWSER_DEMO" && pwd)/$rep" \
            2>/dev/null | tr -d '\n' >"$T/demo-dom.html"
        grep -Eo '<h2 id="kev-arrivals">[^<]*\([1-9][0-9,]*\)</h2><p>[^<]*</p><table>(<tbody>)?<tr><th>Asset</th>.*' \
            "$T/demo-dom.html" | sed 's:</table>.*::' >"$T/kev.html"
        if ! grep -q '<td class="t">CVE-[0-9-]*</td>' "$T/kev.html" ||
            ! grep -q 'within 24 h)</td>' "$T/kev.html"; then
            echo "FAIL: demo $rep: no KEV arrivals listed (or none fixed within 24 h)"; fail=1
        fi
        grep -Eq '<h2>Unpatched known-exploited \(KEV\) findings older than 7 days \([1-9][0-9,]*\)</h2>' \
            "$T/demo-dom.html" || { echo "FAIL: demo $rep: no KEV incidents"; fail=1; }
        # as root the demo's canary rolled back for real (a throwaway root): the rollouts
        # section lists it; otherwise no rollout ran and the section says so
        if [ "$(id -u)" = 0 ]; then
            grep -Eq '<h2>Rollouts</h2><p>1 apply jobs in the period: 0 applied, 1 rolled back.*<td class="t">canary-01</td>.*<td class="t">rolled back: its health check failed</td>' \
                "$T/demo-dom.html" || { echo "FAIL: demo $rep: no rolled-back canary in the rollouts section"; fail=1; }
        else
            grep -q '<h2>Rollouts</h2><p>0 apply jobs in the period' "$T/demo-dom.html" ||
                { echo "FAIL: demo $rep: a rollout without root?"; fail=1; }
        fi
    done
fi
[ $fail -eq 0 ] && echo "browser: both reports load, 4 charts, no overflow at 703 and 1100 px, no clipped label, no console errors, no CSP violations"
exit $fail
