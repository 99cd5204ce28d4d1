#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (docs/store.md, "Testing on
# PostgreSQL"): initdb and pg_ctl in DIR, owned by an unprivileged user
# (nobody when run as root: the server refuses to run as root), listening
# on a unix socket in DIR only (listen_addresses=''), trust authentication
# for that socket; nothing outside DIR is touched.
#
#   cluster.sh start DIR        make and start the cluster (exit 77: no PostgreSQL)
#   cluster.sh stop DIR         stop it and remove DIR
#   cluster.sh url DIR [DB]     the URL of database DB (default postgres)
#   cluster.sh createdb DIR DB  a new, empty database DB (dropped first); prints its URL
#   cluster.sh check DIR        exit 0 when the cluster runs, else 77 with the reason
#
# Without PostgreSQL's server programs (/usr/lib/postgresql/*/bin) start exits
# 77, which CTest reports as skipped; with PL_REQUIRE_PG=1 (scripts/test sets
# it, after scripts/install-deps installed PostgreSQL) it fails instead.
set -euo pipefail
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: cluster.sh start|stop|url|createdb|check DIR [DB]" >&2; exit 2; }
case $dir in /*) ;; *) echo "cluster.sh: DIR must be absolute: $dir" >&2; exit 2 ;; esac

absent() {
    if [ "${PL_REQUIRE_PG:-0}" = 1 ]; then
        echo "cluster.sh: $1 (PL_REQUIRE_PG=1: PostgreSQL is required here)" >&2
        exit 1
    fi
    echo "cluster.sh: $1: PostgreSQL tests skipped (scripts/install-deps installs it)"
    exit 77
}

# The newest installed server's programs.
bindir() {
    local d best=""
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && best=$d
    done
    if [ -z "$best" ] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        best=$(dirname "$(command -v initdb)")
    fi
    printf '%s' "$best"
}

# Run as the cluster's owner: nobody when we are root, else ourselves.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=65534 --regid=65534 --clear-groups -- env HOME="$dir" "$@"
    else
        "$@"
    fi
}

url() {
    printf 'postgresql:///%s?host=%s&user=postgres\n' "${1:-postgres}" "$dir"
}

psql_in() {
    PGHOST=$dir PGUSER=postgres PGDATABASE=postgres PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$@"
}

case $cmd in
start)
    bin=$(bindir)
    [ -n "$bin" ] || absent "no initdb/pg_ctl under /usr/lib/postgresql/*/bin"
    command -v psql >/dev/null || absent "no psql (postgresql-client)"
    # a cluster left by a run that was killed
    if [ -d "$dir" ]; then
        [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$dir"
    fi
    mkdir -m 0755 "$dir"
    [ "$(id -u)" = 0 ] && chown 65534:65534 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # unix socket in DIR only; durability is not needed for a throwaway cluster
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    psql_in -c 'SELECT 1' >/dev/null
    echo "cluster.sh: PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') at $(url)"
    ;;
stop)
    bin=$(bindir)
    if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ||
            as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
url)
    url "${3:-postgres}"
    ;;
check)
    [ -S "$dir/.s.PGSQL.5432" ] || absent "no PostgreSQL cluster at $dir"
    ;;
createdb)
    db=${3:?database name}
    [ -S "$dir/.s.PGSQL.5432" ] || absent "no PostgreSQL cluster at $dir"
    psql_in -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\"" >/dev/null
    url "$db"
    ;;
*)
    echo "cluster.sh: unknown command $cmd" >&2
    exit 2
    ;;
esac
