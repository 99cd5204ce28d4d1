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
#   skip-unless-root TOOL... skip the whole file unless run as root with every
#                            TOOL on PATH (dpkg roots: maintainer scripts chroot)
#   sqlite-only: REASON      (inside a case) the case's subject is a SQLite store
#                            file: the PostgreSQL pass skips it, printing REASON
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
only_sqlite=""

if grep -q '^skip-without-shared' "$case_file" && [ ! -d "$SHARED" ]; then
    echo "skipping $(basename "$case_file"): $SHARED is absent"
    echo "0 passed, 0 failed, 1 skipped"
    exit 77
fi

need_root=$(sed -n 's/^skip-unless-root\( \|$\)//p' "$case_file" | head -1)
if grep -q '^skip-unless-root' "$case_file"; then
    why=""
    [ "$(id -u)" = 0 ] || why="not run as root"
    for tool in $need_root; do
        command -v "$tool" >/dev/null || why="${why:+$why, }$tool is not installed (scripts/install-deps)"
    done
    if [ -n "$why" ]; then
        echo "skipping $(basename "$case_file"): $why"
        echo "0 passed, 0 failed, 1 skipped"
        exit 77
    fi
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
    # a database's audit key and checkpoint live under the user's configuration
    # folder (docs/identity.md): this run's, not the user's
    export XDG_CONFIG_HOME=$T/config
    # and its job folders (apply) under the user's data folder: this run's too
    export XDG_DATA_HOME=$T/data
fi
# In the PostgreSQL pass, set-up lines that look into the store with
# `sqlite3 "$DB" SQL` ask psql instead (same '|'-separated rows); other
# sqlite3 uses are left alone.
if [ "${PL_TEST_BACKEND:-sqlite}" = postgresql ]; then
    # Rows a set-up line inserts with their ids leave the identity columns'
    # sequences behind (SQLite's rowid has none): bring every one past its
    # table's largest id, as the store's own writers expect.
    PL_PG_RESYNC="DO \$\$ DECLARE r record; BEGIN FOR r IN SELECT c.relname AS t, a.attname AS col
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND a.attidentity <> '' LOOP
      EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), COALESCE((SELECT max(%I) FROM %I), 0) + 1, false)',
        r.t, r.col, r.col, r.t); END LOOP; END \$\$"
    export PL_PG_RESYNC
    sqlite3() {
        case ${1:-} in
        postgresql://*)
            local url=$1
            shift
            if [ "${1:-}" = .dump ]; then
                pg_dump --no-owner --no-privileges -d "$url"
            elif [ $# -gt 0 ]; then
                psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$url" -c "$*" -c "$PL_PG_RESYNC"
            else
                { cat; printf '\n;\n%s\n' "$PL_PG_RESYNC"; } | psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$url"
            fi
            ;;
        *)
            local clone
            if [ -f "${1:-}" ] && clone=$(head -c 200 "$1" | head -1) &&
                [ "${clone#-- pl-pg-clone }" != "$clone" ]; then
                shift
                sqlite3 "${clone#-- pl-pg-clone }" "$@"
            else
                command sqlite3 "$@"
            fi
            ;;
        esac
    }
    # `cp "$DB" FILE` keeps the database's dump in FILE, and a copy of the
    # database (a new one, made from it) that `sqlite3 FILE` then reads;
    # `cmp "$DB" FILE` compares the database's dump now with the kept one:
    # "nothing changed" checks.
    pg_dump_to() { # (without the \restrict lines, whose key is new each time)
        pg_dump --no-owner --no-privileges -d "$1" | grep -v '^\\\(un\)\?restrict '
    }
    cp() {
        case ${1:-} in
        postgresql://*)
            [ $# -eq 2 ] || return 2
            local name=${1#postgresql:///} clone
            name=${name%%\?*}
            clone=${name}_c$RANDOM$RANDOM
            psql -X -q -v ON_ERROR_STOP=1 -d "${1/\/\/\/$name/\/\/\/postgres}" \
                    -c "CREATE DATABASE $clone TEMPLATE $name" >/dev/null &&
                { echo "-- pl-pg-clone ${1/\/\/\/$name/\/\/\/$clone}"; pg_dump_to "$1"; } >"$2"
            ;;
        *) command cp "$@" ;;
        esac
    }
    cmp() {
        case ${1:-} in
        postgresql://*) pg_dump_to "$1" | command cmp - <(tail -n +2 "$2") ;;
        *) command cmp "$@" ;;
        esac
    }
    export -f sqlite3 pg_dump_to cp cmp
fi

# Expand $DB, $FIX, $SHARED and $T in expected text (a database URL's '&' is
# itself, not the matched text: bash 5.2's patsub_replacement off).
shopt -u patsub_replacement 2>/dev/null || true
expand() {
    local s=$1
    s=${s//\$DB/$DB}; s=${s//\$FIX/$FIX}; s=${s//\$SHARED/$SHARED}; s=${s//\$T/$T}
    printf '%s' "$s"
}

finish_case() {
    [ -z "$id" ] && return
    local s out err rc ok=1 msg=""
    if [ -n "$only_sqlite" ] && [ "${PL_TEST_BACKEND:-sqlite}" = postgresql ]; then
        skipped=$((skipped + 1)); echo "skip $id: $title (SQLite only: $only_sqlite)"
        id="" cmd="" rc_want=0 stdin=() setup=() out_want=() out_has=() err_has=() envs=()
        only_sqlite=""
        return
    fi
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
    only_sqlite=""
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
    "sqlite-only: "*) only_sqlite=${line#sqlite-only: } ;;
    *) ;;
    esac
done <"$case_file"
finish_case
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
