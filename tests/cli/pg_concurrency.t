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

### conc-2.1: an estate of eight assets with findings, in a second database and in a SQLite copy
= TZDIR=$FIX/cron/zoneinfo
! "$PL" --db "$T/est.db" --now 2026-11-29T00:00:00Z inventory synthesize --assets 8 --seed 7 >/dev/null
! "$PL" --db "$T/est.db" --now 2026-11-29T00:00:00Z feed import "$FIX/match/tracker.json" >/dev/null
! dir=${PATCHLINE_TEST_PG#*host=} && "$FIX/../pg/cluster.sh" createdb "${dir%%&*}" "pl_conc2_$$" >"$T/pg2.url"
! "$PL" store copy --from "$T/est.db" --to "$(cat "$T/pg2.url")" >/dev/null && "$PL" store copy --from "$T/est.db" --to "$T/est-serial.db" >/dev/null
$ --db "$T/est-serial.db" assets --format csv
>* debian 12

### conc-2.2: four scans at once, a batch of one asset each, two of them sharing assets with others: every one exits 0
! bash "$FIX/pg/scans.sh" "$T/est-serial.db" serial
! bash "$FIX/pg/scans.sh" "$(cat "$T/pg2.url")" concurrent || { cat "$T"/concurrent.*; exit 1; }
! grep -q 'open findings' "$T/concurrent.scan1" && grep -q 'open findings' "$T/concurrent.scan4"
$ --db "$T/est-serial.db" audit verify
>* audit chain intact:

### conc-2.3: no lost or doubled update: the findings (but their ids: each scan takes its own block), their events and the audit chain equal the serial run's
! "$PL" --db "$(cat "$T/pg2.url")" findings --format json | sed -E 's/"id": [0-9]+, //; s/,$//' | sort >"$T/f2.pg" && "$PL" --db "$T/est-serial.db" findings --format json | sed -E 's/"id": [0-9]+, //; s/,$//' | sort >"$T/f2.serial" && cmp "$T/f2.pg" "$T/f2.serial"
! test "$(psql -X -A -t -d "$(cat "$T/pg2.url")" -c 'SELECT count(*) FROM findings')" = "$(sqlite3 "$T/est-serial.db" 'SELECT count(*) FROM findings')"
! test "$(psql -X -A -t -d "$(cat "$T/pg2.url")" -c 'SELECT count(*) FROM finding_events')" = "$(sqlite3 "$T/est-serial.db" 'SELECT count(*) FROM finding_events')"
! test "$(psql -X -A -t -d "$(cat "$T/pg2.url")" -c 'SELECT count(*) FROM findings')" -gt 0
! test "$(psql -X -A -t -d "$(cat "$T/pg2.url")" -c 'SELECT count(*) FROM audit_events')" = "$(sqlite3 "$T/est-serial.db" 'SELECT count(*) FROM audit_events')"
$ --db "$(cat "$T/pg2.url")" audit verify
>* audit chain intact:
