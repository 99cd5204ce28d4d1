#!/usr/bin/env bash
# For tests/cli/store_upgrade.t: what a SQLite store holds, one line each.
#   store_schema.sh schema DB   every table's, index's and trigger's SQL (a
#                               trigger's "IS DISTINCT FROM" read as the
#                               "IS NOT" stores before it were made with)
#   store_schema.sh counts DB   every table with its row count
set -euo pipefail
what=$1 db=$2
case $what in
schema)
    sqlite3 "$db" "SELECT type || ' ' || name || ': ' || replace(replace(sql, char(10), ' '), \
        'IS DISTINCT FROM', 'IS NOT') FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name"
    ;;
counts)
    for t in $(sqlite3 "$db" "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"); do
        echo "$t $(sqlite3 "$db" "SELECT count(*) FROM \"$t\"")"
    done
    ;;
*) echo "usage: store_schema.sh schema|counts DB" >&2; exit 2 ;;
esac
