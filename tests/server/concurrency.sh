#!/usr/bin/env bash
# Many clients at once against one server with a pool of request threads
# (tests/server/concurrency.py). Usage: concurrency.sh PATCHLINE [pg]: on a
# SQLite store, or with "pg" on a database of the PostgreSQL test cluster
# (PATCHLINE_TEST_PG; skipped without it), the same estate copied into it.
set -euo pipefail
PL=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "python3 is absent: skipped"; exit 77; }
. "$here/server_user.sh"
STORE=$T/run/store.db
"${AS[@]}" "$PL" --db "$STORE" init >/dev/null
"${AS[@]}" sqlite3 "$STORE" <"$here/../fixtures/exception/estate.sql"
# a viewer and an operator with their tokens, and 8 one-time enrolment tokens
as() { "${AS[@]}" "$PL" --db "$STORE" "$@"; }
as user add rita --role viewer >/dev/null
as user add otto --role operator >/dev/null
{ as token create rita | tail -1; as token create otto | tail -1; } >"$T/run/tokens"
for _ in 1 2 3 4 5 6 7 8; do as agent token create | tail -1; done >"$T/run/enrol"
if [ "${2:-}" = pg ]; then
    dir=${PATCHLINE_TEST_PG:-}
    dir=${dir#*host=}
    dir=${dir%%&*}
    if [ -z "${PATCHLINE_TEST_PG:-}" ] ||
        ! url=$("$here/../pg/cluster.sh" createdb "$dir" "pl_server_conc_$$" 2>"$T/pg.err"); then
        echo "no PostgreSQL test cluster: skipped $(cat "$T/pg.err" 2>/dev/null)"
        exit 77
    fi
    # a database's audit key lives under the user's configuration folder: this run's
    export XDG_CONFIG_HOME=$T/run/config XDG_DATA_HOME=$T/run/data
    "${AS[@]}" env XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$PL" store copy --from "$STORE" \
        --to "$url" >/dev/null
    STORE=$url
    AS+=(env XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_DATA_HOME="$XDG_DATA_HOME")
fi
export PL T STORE
python3 "$here/concurrency.py" "${AS[@]}"
