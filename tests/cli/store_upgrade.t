# A store made by the release at commit d1696fb (schema 21, a few assets,
# feeds, findings, a snapshot and an exception: tests/fixtures/store/make-d1696fb.sh)
# opens with this build: it migrates to the current schema without losing a
# row, and then has exactly the schema of a store this build creates
# (docs/store.md, "Dialect rules for new SQL").

### upgrade-1.1: the old store migrates on init
! xz -dc "$FIX/store/d1696fb.db.xz" > "$T/old.db"
! "$FIX/../cli/store_schema.sh" counts "$T/old.db" > "$T/before"
! grep -qx 'findings 20' "$T/before" && grep -qx 'packages 1737' "$T/before"
$ --db $T/old.db init
>* mode: simulated

### upgrade-1.2: every table keeps its rows (the audit log gains the init)
! "$FIX/../cli/store_schema.sh" counts "$T/old.db" > "$T/after"
! grep -v "^audit_events " "$T/before" > "$T/rows" && diff "$T/rows" <(grep -F -x -f "$T/rows" "$T/after")
$ --db $T/old.db findings --status open --format csv
>* CVE-

### upgrade-1.3: the migrated store has the schema of a new one
! "$PL" --db "$DB" --now 2026-01-09T00:00:00Z init --simulated >/dev/null
! diff <("$FIX/../cli/store_schema.sh" schema "$T/old.db") <("$FIX/../cli/store_schema.sh" schema "$DB")
$ --db $DB --now 2026-01-09T00:00:00Z init
>* mode: simulated
