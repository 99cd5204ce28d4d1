#!/usr/bin/env bash
# The dashboard in headless Chromium (tests/browser/dashboard.py): log in with
# a token, filter findings, approve an exception and reject a plan wave (with
# a reason) as an approver, be refused as a viewer, log out, and a replayed
# form without its CSRF token refused.
# Usage: dashboard.sh PATCHLINE. The server runs on a loopback port as a
# non-root user ('nobody' through setpriv(1) when run as root).
# Skips (exit 77) when chromium or python3 is absent.
set -euo pipefail
PL=$1
here=$(cd "$(dirname "$0")" && pwd)
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then echo "skipping dashboard test: chromium is absent"; exit 77; fi
command -v python3 >/dev/null || { echo "skipping dashboard test: python3 is absent"; exit 77; }
. "$here/../server/server_user.sh"
as() { "${AS[@]}" "$PL" --db "$T/run/store.db" "$@"; }
as init >/dev/null
# three assets of two owners, five findings (tests/fixtures/exception), one hostile name
"${AS[@]}" sqlite3 "$T/run/store.db" <"$here/../fixtures/exception/estate.sql"
"${AS[@]}" sqlite3 "$T/run/store.db" "UPDATE assets SET owner = 'team-web' WHERE id IN (1, 3);
    UPDATE assets SET owner = 'team-db', name = '<b>db-1</b>' WHERE id = 2"
as user add alice --role admin >/dev/null
as user add bob --role viewer >/dev/null
as user add carol --role approver >/dev/null
as user add dave --role operator >/dev/null
for u in bob carol dave; do as token create $u | tail -1 >"$T/token-$u"; done
# dave asks for two exceptions: carol approves one in the browser, bob may not
for f in 1 3; do
    PATCHLINE_TOKEN=$(cat "$T/token-dave") as exception add --type waf-rule --finding $f \
        --justification "rule 942100" --expires 30d >/dev/null
done
# a plan dave requested with two production waves waiting for approval (made in SQL: the
# exception estate has no fixes to schedule); carol rejects one in the browser
"${AS[@]}" sqlite3 "$T/run/store.db" "
INSERT INTO plans (id, created_at, requester, source, sha256, horizon_secs, n_findings, n_misses)
    VALUES (1, 1772409600, 'dave', 'test', '', 2592000, 2, 0);
INSERT INTO waves (plan_id, seq, lane, environment, ring, ring_name, window_name, starts_at,
    ends_at, tier, needs_approval, sign_off, watch_secs) VALUES
  (1, 1, 'standard', 'prod', 1, 'pilot', 'nightly', 1772409600, 1772416800, 2, 1, 'before', 0),
  (1, 2, 'standard', 'prod', 2, 'rest', 'nightly', 1772496000, 1772503200, 2, 1, 'before', 0);
INSERT INTO wave_items (wave_id, finding_id, asset_id, package, fixed_version)
    SELECT w.id, 1, 1, 'openssl', '3.0.15-1' FROM waves w WHERE w.seq = 1;
INSERT INTO wave_items (wave_id, finding_id, asset_id, package, fixed_version)
    SELECT w.id, 4, 3, 'openssl', '3.0.15-1' FROM waves w WHERE w.seq = 2;"
export PL T CHROME
exec python3 "$here/dashboard.py" "${AS[@]}"
