#!/usr/bin/env bash
# Data-driven CLI tests. Usage: run.sh PATCHLINE CASEFILE
#
# A case file is a list of cases. Each case:
#   ### ID: title            starts a case (ids are hierarchical: init-1.2)
#   ! SHELL                  a set-up line, run with bash before the command
#   < LINE                   a line of standard input
#   = NAME=VALUE             an environment variable for the command
#   $ ARGS                   the command: patchline ARGS (shell words)
#   ? N                      the expected exit code (default 0)
#   > LINE                   a line of expected standard output (exact, in order)
#   >* TEXT                  standard output must contain TEXT somewhere
#   2> TEXT                  standard error must contain TEXT
#   skip-without-shared      skip the whole file when ../shared/data is absent
#                            (exit 77: CTest's SKIP_RETURN_CODE, shown as skipped)
#   skip-without-pg          skip the whole file when there is no PostgreSQL test
#                            cluster (PATCHLINE_TEST_PG unset or not running)
# Variables: $PL the binary, $DB a fresh store for the file, $T a scratch
# folder, $FIX tests/fixtures, $SHARED ../shared/data (read-only); with
# skip-without-pg, $PG the URL of a fresh PostgreSQL database for the file.
# PL_TEST_BACKEND=postgresql (the PostgreSQL pass, tests/pg/PostgreSQL.cmake)
# makes $DB such a database instead of a SQLite file.
set -uo pipefail
PL=$1
case_file=$2
here=$(cd "$(dirname "$0")" && pwd)
FIX=$(cd "$here/../fixtures" && pwd)
SHARED=${PL_SHARED_DATA:-$here/../../../shared/data}
T=$(mktemp -d)
DB=$T/store.db
trap 'rm -rf "$T"' EXIT
export PL DB T FIX SHARED
unset PATCHLINE_NOW PATCHLINE_DB

passed=0 failed=0 skipped=0
id="" title="" cmd="" rc_want=0
stdin=() setup=() out_want=() out_has=() err_has=() envs=()

if grep -q '^skip-without-shared' "$case_file" && [ ! -d "$SHARED" ]; then
    echo "skipping $(basename "$case_file"): $SHARED is absent"
    echo "0 passed, 0 failed, 1 skipped"
    exit 77
fi

# A fresh database on the test cluster (tests/pg/cluster.sh), named after this run.
pg_db() {
    local dir=${PATCHLINE_TEST_PG#*host=}
    dir=${dir%%&*}
    "$here/../pg/cluster.sh" createdb "$dir" "pl_$(basename "$case_file" .t)_$$_$1"
}
if grep -q '^skip-without-pg' "$case_file" || [ "${PL_TEST_BACKEND:-sqlite}" = postgresql ]; then
    if [ -z "${PATCHLINE_TEST_PG:-}" ] || ! PG=$(pg_db pg 2>"$T/pg.err"); then
        echo "skipping $(basename "$case_file"): no PostgreSQL test cluster" \
            "(PATCHLINE_TEST_PG='${PATCHLINE_TEST_PG:-}') $(cat "$T/pg.err" 2>/dev/null)"
        echo "0 passed, 0 failed, 1 skipped"
        exit 77
    fi
    export PG
    [ "${PL_TEST_BACKEND:-sqlite}" = postgresql ] && DB=$PG
fi
# In the PostgreSQL pass, set-up lines that look into the store with
# `sqlite3 "$DB" SQL` ask psql instead (same '|'-separated rows); other
# sqlite3 uses are left alone.
if [ "${PL_TEST_BACKEND:-sqlite}" = postgresql ]; then
    sqlite3() {
        case ${1:-} in
        postgresql://*)
            local url=$1
            shift
            if [ $# -gt 0 ]; then
                psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$url" -c "$*"
            else
                psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$url"
            fi
            ;;
        *) command sqlite3 "$@" ;;
        esac
    }
    export -f sqlite3
fi

# Expand $DB, $FIX, $SHARED and $T in expected text.
expand() {
    local s=$1
    s=${s//\$DB/$DB}; s=${s//\$FIX/$FIX}; s=${s//\$SHARED/$SHARED}; s=${s//\$T/$T}
    printf '%s' "$s"
}

finish_case() {
    [ -z "$id" ] && return
    local s out err rc ok=1 msg=""
    for s in "${setup[@]}"; do
        bash -c "$s" || { ok=0; msg="set-up failed: $s"; }
    done
    if [ $ok -eq 1 ]; then
        out=$T/out err=$T/err
        if [ ${#stdin[@]} -gt 0 ]; then
            printf '%s\n' "${stdin[@]}" | eval "env ${envs[*]} \"$PL\" $cmd" >"$out" 2>"$err"
        else
            eval "env ${envs[*]} \"$PL\" $cmd" </dev/null >"$out" 2>"$err"
        fi
        rc=$?
        if [ "$rc" != "$rc_want" ]; then ok=0; msg="exit $rc, want $rc_want"; fi
        if [ ${#out_want[@]} -gt 0 ] && ! diff -u <(printf '%s\n' "${out_want[@]}") "$out" >"$T/diff"; then
            ok=0; msg="stdout differs:\n$(cat "$T/diff")"
        fi
        for s in "${out_has[@]}"; do
            grep -qF -- "$s" "$out" || { ok=0; msg="stdout lacks: $s"; }
        done
        for s in "${err_has[@]}"; do
            grep -qF -- "$s" "$err" || { ok=0; msg="stderr lacks: $s"; }
        done
    fi
    if [ $ok -eq 1 ]; then
        passed=$((passed + 1)); echo "ok   $id: $title"
    else
        failed=$((failed + 1)); echo "FAIL $id: $title"; echo -e "     $msg" | sed 's/^/     /'
        echo "     stdout:"; sed 's/^/       /' "$T/out" 2>/dev/null | head -20
        echo "     stderr:"; sed 's/^/       /' "$T/err" 2>/dev/null | head -20
    fi
    id="" cmd="" rc_want=0 stdin=() setup=() out_want=() out_has=() err_has=() envs=()
}

while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
    "### "*) finish_case; id=${line#\#\#\# }; title=${id#*: }; id=${id%%:*} ;;
    "= "*) envs+=("${line#= }") ;;
    "! "*) setup+=("${line#! }") ;;
    "< "*) stdin+=("${line#< }") ;;
    "<") stdin+=("") ;;
    "\$ "*) cmd=${line#\$ } ;;
    "? "*) rc_want=${line#? } ;;
    ">* "*) out_has+=("$(expand "${line#>\* }")") ;;
    "> "*) out_want+=("$(expand "${line#> }")") ;;
    ">") out_want+=("") ;;
    "2> "*) err_has+=("$(expand "${line#2> }")") ;;
    *) ;;
    esac
done <"$case_file"
finish_case
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
