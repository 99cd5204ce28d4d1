# `patchline store copy` (docs/store.md, "Moving a store"): a demo-sized store
# from SQLite into PostgreSQL and back, every output and the audit chain equal.
skip-without-pg

### copy-1.1: a demo store (40 assets, every stage run) to copy
$ --now 2026-11-29T12:00:00Z demo --assets 40 --no-host -o $T/demo
>* report: $T/demo/report.html

### copy-1.2: SQLite into a new PostgreSQL database: every table, the rows counted and digested
! "$PL" --db "$T/demo/patchline.db" audit verify >"$T/verify.sqlite"
$ store copy --from $T/demo/patchline.db --to "$PG"
>* findings
>* audit_events
>* copied

### copy-1.3: the copy's findings, report and audit chain are the original's
! "$PL" --db "$T/demo/patchline.db" findings --format json >"$T/f.sqlite" && "$PL" --db "$PG" findings --format json >"$T/f.pg" && cmp "$T/f.sqlite" "$T/f.pg" && test -s "$T/f.pg"
! "$PL" --db "$T/demo/patchline.db" --now 2026-11-29T12:00:00Z report --format json >"$T/r.sqlite" && "$PL" --db "$PG" --now 2026-11-29T12:00:00Z report --format json >"$T/r.pg" && cmp "$T/r.sqlite" "$T/r.pg"
! "$PL" --db "$PG" audit verify >"$T/verify.pg" && cmp "$T/verify.sqlite" "$T/verify.pg"
$ --db "$PG" audit verify
>* audit chain intact:

### copy-1.4: the mode goes with it: the copy is simulated as the demo store is
$ --db "$PG" --now 2026-11-29T13:00:00Z init
>* mode: simulated

### copy-1.5: a target that holds rows is refused, naming a table, and left as it was
! "$PL" --db "$PG" audit export >"$T/before.audit"
$ store copy --from $T/demo/patchline.db --to "$PG"
? 1
2> the target is not empty (table
! "$PL" --db "$PG" audit export | cmp - "$T/before.audit"

### copy-1.6: back from PostgreSQL into a new SQLite file
$ store copy --from "$PG" --to $T/back.db
>* copied

### copy-1.6.1: ...the first store's findings and report, and the database's audit chain
! "$PL" --db "$T/back.db" findings --format json | cmp - "$T/f.sqlite"
! "$PL" --db "$T/back.db" --now 2026-11-29T12:00:00Z report --format json | cmp - "$T/r.sqlite"
! "$PL" --db "$T/back.db" audit verify >"$T/verify.back" && "$PL" --db "$PG" audit verify | cmp - "$T/verify.back"
$ --db $T/back.db audit verify
>* audit chain intact:

### copy-1.7: the chain goes on in the copy: a new event is sealed with the copied key
! "$PL" --db "$T/back.db" --now 2026-11-30T00:00:00Z user add ada --role viewer >/dev/null
$ --db $T/back.db audit verify
>* audit chain intact:

### copy-1.8: a store is not copied onto itself
$ store copy --from $T/back.db --to $T/back.db
? 2
2> the source and the target are the same

### copy-1.9: --to is required
$ store copy --from $T/back.db
? 2
2> store copy needs --to DST

### copy-1.10: an exception of one finding (its finding named, as its CHECK wants) is copied
! "$PL" --db "$T/demo/patchline.db" --now 2026-11-29T12:00:00Z exception add --type waf-rule --finding "$("$PL" --db "$T/demo/patchline.db" findings --format csv | sed -n 2p | cut -d, -f1)" --justification "copy test" --expires 30d >/dev/null
! test "$(sqlite3 "$T/demo/patchline.db" "SELECT count(*) FROM exceptions WHERE scope = 'finding'")" -ge 1
$ store copy --from $T/demo/patchline.db --to $T/exc.db
>* copied

### copy-1.11: ...with its exceptions and findings as they were
! "$PL" --db "$T/exc.db" --now 2026-11-29T12:00:00Z exception list >"$T/x.copy" && "$PL" --db "$T/demo/patchline.db" --now 2026-11-29T12:00:00Z exception list >"$T/x.orig" && cmp "$T/x.orig" "$T/x.copy" && grep -q 'copy test\|waf-rule' "$T/x.copy"
! "$PL" --db "$T/demo/patchline.db" findings --format json >"$T/f.exc" && "$PL" --db "$T/exc.db" findings --format json | cmp - "$T/f.exc"
$ --db $T/exc.db --now 2026-11-29T12:00:00Z audit verify
>* audit chain intact:
