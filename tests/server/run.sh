#!/usr/bin/env bash
# The server's tests: start `patchline serve` on a loopback port as a
# non-root user and check it from outside (tests/server/security.py).
# Usage: run.sh PATCHLINE. As root (CI), the server runs as 'nobody' through
# setpriv(1); as another user, as that user.
set -euo pipefail
PL=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "python3 is absent: skipped"; exit 77; }
. "$here/server_user.sh"
# the store belongs to the server's user, as PostgreSQL's data folder does
"${AS[@]}" "$PL" --db "$T/run/store.db" init >/dev/null
# a small estate (tests/fixtures/exception: three assets, five findings), its users and tokens
"${AS[@]}" sqlite3 "$T/run/store.db" <"$here/../fixtures/exception/estate.sql"
# and two without a due date (one untiered): pages must cross them in the CLI's order
"${AS[@]}" sqlite3 "$T/run/store.db" "INSERT INTO findings (id, asset_id, vuln_id, package,
    status, first_seen, tier, due_at) VALUES (6, 3, 'CVE-2026-4000', 'zlib', 'open', 1795132800,
    NULL, NULL), (7, 3, 'CVE-2026-5000', 'curl', 'open', 1795132800, 2, NULL)"
as() { "${AS[@]}" "$PL" --db "$T/run/store.db" "$@"; }
if "$PL" token --help >/dev/null 2>&1; then
as user add alice --role admin >/dev/null
as user add bob --role viewer >/dev/null
as user add carol --role approver --role operator >/dev/null
as user add dave --role operator >/dev/null
for u in bob carol dave; do
    as token create $u | tail -1 >"$T/token-$u"
done
# dave asks for exception 1, carol for exception 2
PATCHLINE_TOKEN=$(cat "$T/token-dave") as exception add --type waf-rule --finding 1 \
    --justification "rule 942100" --expires 30d >/dev/null
PATCHLINE_TOKEN=$(cat "$T/token-carol") as exception add --type waf-rule --finding 3 \
    --justification "rule 942100" --expires 30d >/dev/null
fi
export PL T
exec python3 "$here/security.py" "$here/../../docs/openapi.json" "${AS[@]}"
