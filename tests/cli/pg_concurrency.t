skip-without-pg
# Four writers at once on one PostgreSQL store (docs/store.md, "Several
# commands at once"): a scan, an inventory collect, an exception request and
# a plan approval. Writers take turns (the writers' advisory lock), so none
# fails, none is lost, and the audit chain holds every one of them, as a run
# of the same four commands one after another on a copy of the store does.

### conc-1.1: a store with findings and a plan awaiting approval, copied into PostgreSQL
= TZDIR=$FIX/cron/zoneinfo
! "$PL" --db "$DB" --now 2026-03-02T11:00:00Z init --simulated >/dev/null && sqlite3 "$DB" <"$FIX/plan/assets.sql" && sqlite3 "$DB" <"$FIX/plan/findings.sql"
! TZDIR="$FIX/cron/zoneinfo" "$PL" --db "$DB" --now 2026-03-02T12:00:00Z plan --plan "$FIX/plan/manual.yaml" --horizon 3d >/dev/null && sqlite3 "$DB" "UPDATE plans SET requester = 'someone-else'"
! "$PL" store copy --from "$DB" --to "$PG" >/dev/null && "$PL" store copy --from "$DB" --to "$T/serial.db" >/dev/null
$ --db "$PG" audit verify
>* audit chain intact:

### conc-1.2: the four writers at once: every one exits 0
! cp -r "$FIX/inventory/root" "$T/root"
! bash "$FIX/pg/writers.sh" "$T/serial.db" serial
! bash "$FIX/pg/writers.sh" "$PG" concurrent || { cat "$T"/concurrent.*; exit 1; }
! grep -q 'approved' "$T/concurrent.approve" && grep -q 'exception 1 added' "$T/concurrent.exc" && grep -q 'open findings' "$T/concurrent.scan"
$ --db "$PG" audit verify
>* audit chain intact:

### conc-1.3: nothing lost: the chain is intact and holds as many events as the serial run's
! test "$(psql -X -A -t -d "$PG" -c 'SELECT count(*) FROM audit_events')" = "$(sqlite3 "$T/serial.db" 'SELECT count(*) FROM audit_events')"
! test "$(psql -X -A -t -d "$PG" -c "SELECT count(*) FROM exceptions WHERE status = 'pending'")" = 1
! test "$(psql -X -A -t -d "$PG" -c "SELECT count(*) FROM packages")" = "$(sqlite3 "$T/serial.db" 'SELECT count(*) FROM packages')"
! test "$(psql -X -A -t -d "$PG" -c "SELECT count(*) FROM approvals")" = "$(sqlite3 "$T/serial.db" 'SELECT count(*) FROM approvals')"
$ --db "$PG" audit verify
>* audit chain intact:

### conc-1.4: the findings equal the serial run's
! "$PL" --db "$PG" --now 2026-03-02T13:00:00Z scan >/dev/null && "$PL" --db "$T/serial.db" --now 2026-03-02T13:00:00Z scan >/dev/null
! "$PL" --db "$PG" findings --format json >"$T/f.pg" && "$PL" --db "$T/serial.db" findings --format json >"$T/f.serial" && cmp "$T/f.pg" "$T/f.serial"
$ --db "$PG" --now 2026-03-02T13:00:00Z exception list --format csv
>* 1,waf-rule,pending,
