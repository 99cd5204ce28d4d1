skip-without-pg
# The store in a PostgreSQL database (docs/store.md, "Running on PostgreSQL"):
# PATCHLINE_DB=postgresql://… runs init, feed import, inventory collect, scan
# and findings end to end on the throwaway cluster (tests/pg/cluster.sh), the
# tables are in that database, and every step prints what the same steps
# print on a SQLite store ($DB). $PG is a fresh database for this file.

### pg-1.1: init makes the schema in the database, not a file
! "$PL" --db "$DB" --now 2026-01-09T00:00:00Z init --simulated >/dev/null
= PATCHLINE_DB=$PG
$ --now 2026-01-09T00:00:00Z init --simulated
>* mode: simulated

### pg-1.2: the tables are in PostgreSQL (and patchline_schema, its schema version)
! ! test -e postgresql: && ! test -e "$T/postgresql:"
! test "$(psql -X -A -t -d "$PG" -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'patchline_schema'")" = "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_schema WHERE type = 'table'")"
! test "$(psql -X -A -t -d "$PG" -c "SELECT mode FROM store_mode")" = simulated
= PATCHLINE_DB=$PG
$ --now 2026-01-09T00:00:00Z init
>* mode: simulated

### pg-1.3: inventory collect, feed import, scan: what SQLite prints
! cp -r "$FIX/inventory/root" "$T/root"
! for db in "$DB" "$PG"; do "$PL" --db "$db" --now 2026-01-10T00:00:00Z inventory collect --root "$T/root" >"$T/collect.$([ "$db" = "$PG" ] && echo pg || echo sqlite)" || exit 1; done; diff "$T/collect.sqlite" "$T/collect.pg"
! for db in "$DB" "$PG"; do for f in tracker.json kev.json; do "$PL" --db "$db" --now 2026-01-10T00:00:00Z feed import "$FIX/match/$f" || exit 1; done >"$T/feed.$([ "$db" = "$PG" ] && echo pg || echo sqlite)"; done; diff "$T/feed.sqlite" "$T/feed.pg"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z scan >"$T/scan.sqlite"
= PATCHLINE_DB=$PG
$ --now 2026-01-10T00:00:00Z scan
> scanned 1 assets, 5 packages: 8 distinct versions compared against 8 advisory rows
> tier              new still-open  fixed regressed   open
> 0 Emergency         1          0      0         0      1
> 1 Critical          0          0      0         0      0
> 2 High              1          0      0         0      1
> 3 Medium            1          0      0         0      1
> 4 Low               0          0      0         0      0
> unscored            1          0      0         0      1
> 4 open findings (4 provisional); 0 package-removed, 0 asset-retired, 0 no longer matched but not proven fixed (left open)

### pg-1.4: the findings, in every format, equal SQLite's
! for f in table csv json; do "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --format $f >"$T/f.$f.sqlite" && "$PL" --db "$PG" --now 2026-01-10T00:00:00Z findings --format $f >"$T/f.$f.pg" && diff "$T/f.$f.sqlite" "$T/f.$f.pg" || exit 1; done
! test "$(psql -X -A -t -d "$PG" -c "SELECT count(*) FROM findings WHERE status = 'open'")" = 4
= PATCHLINE_DB=$PG
$ --now 2026-01-10T00:00:00Z findings
> id  asset    vuln           package  installed         fixed               tier      due                   overdue  provisional  status  first_seen
> 4   fixhost  CVE-2026-1004  openssl  3.0.11-1~deb12u2  no fix (postponed)  0         2026-01-11T00:00:00Z  false    true         open    2026-01-10T00:00:00Z
> 3   fixhost  CVE-2026-1001  libc6    2.36-9+deb12u4    2.36-9+deb12u7      2         2026-02-09T00:00:00Z  false    true         open    2026-01-10T00:00:00Z
> 1   fixhost  CVE-2026-1003  bash     5.2.15-2+b2       5.2.15-3            3         2026-04-10T00:00:00Z  false    true         open    2026-01-10T00:00:00Z
> 2   fixhost  CVE-2026-1007  dpkg     1.21.22           1.21.23             unscored  2026-04-10T00:00:00Z  false    true         open    2026-01-10T00:00:00Z

### pg-1.5: a rescan with nothing changed writes nothing, as on SQLite
! "$PL" --db "$DB" --now 2026-01-10T06:00:00Z scan >"$T/rescan.sqlite"
= PATCHLINE_DB=$PG
$ --now 2026-01-10T06:00:00Z scan
>* 4 open findings

### pg-1.6: its audit event says it wrote no row
! test "$(psql -X -A -t -d "$PG" -c "SELECT detail FROM audit_events WHERE action = 'scan' ORDER BY id DESC LIMIT 1")" = "1 assets, 0 new, 4 open, 0 fixed, 0 regressed, 0 removed, 0 retired, 0 rows written"
= PATCHLINE_DB=$PG
$ audit --limit 1 --format csv
>* scan
