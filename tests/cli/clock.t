# Real and simulated stores (issue 11 item 4): backdating attacks refused.
# $DB is a real store (made without --now); $T/sim.db a simulated one.

### clock-1.1: init says the store is real
$ --db $DB init
>* store $DB ready (schema
>* mode: real

### clock-1.2: init --simulated on an existing real store exits 2 and the store stays real
$ --db $DB init --simulated
? 2
2> store '$DB' is real and stays real
!

### clock-1.3: ...it is still real
$ --db $DB init
>* mode: real

### clock-1.4: a first command given --now makes a simulated store; init says so
! "$PL" --db "$T/sim.db" --now 2026-11-01T00:00:00Z inventory collect --root "$FIX/inventory/root" >/dev/null
$ --db $T/sim.db --now 2026-11-01T00:00:00Z init
>* mode: simulated

### clock-1.5: init --simulated makes a simulated store, and PATCHLINE_NOW does too
= PATCHLINE_NOW=2026-11-01T00:00:00Z
$ --db $T/env.db init
>* mode: simulated

### clock-1.6: init --simulated on a new store
$ --db $T/sim2.db init --simulated
>* mode: simulated

### clock-2.1: an exception approved "in September" on a real store is refused (exit 2)
! "$PL" --db "$DB" inventory collect --root "$FIX/inventory/root" >/dev/null && sqlite3 "$DB" "INSERT INTO findings (id, asset_id, vuln_id, package, status, first_seen, tier, due_at) VALUES (1, 1, 'CVE-2026-1000', 'openssl', 'open', $(date +%s) - 86400 * 60, 2, $(date +%s) - 86400 * 30)"
! "$PL" --db "$DB" exception add --type waf-rule --finding 1 --justification "rule 942100" --expires 30d >/dev/null && sqlite3 "$DB" "UPDATE exceptions SET requester = 'alice'"
! cp "$DB" "$T/before.db"
$ --db $DB --now 2026-09-15T00:00:00Z exception approve 1
? 2
2> store '$DB' is real: it records state changes at the real time only

### clock-2.2: ...so is an exception requested in September; the finding stays open, nothing changed
= PATCHLINE_NOW=2026-09-01T00:00:00Z
$ --db $DB exception add --type risk-acceptance --finding 1 --justification "accepted" --expires 30d
? 2
2> is real: it records state changes at the real time only
! cmp "$DB" "$T/before.db" && test "$(sqlite3 "$DB" "SELECT status FROM exceptions")" = pending && test "$(sqlite3 "$DB" "SELECT status FROM findings WHERE id = 1")" = open

### clock-2.3: inventory collect with a past --now on a real store is refused
$ --db $DB --now 2026-09-15T00:00:00Z inventory collect --root $FIX/inventory/root
? 2
2> is real: it records state changes at the real time only

### clock-2.4: ...and so is a scan with a past --now; the store is unchanged
$ --db $DB --now 2026-09-15T00:00:00Z scan
? 2
2> is real: it records state changes at the real time only
! cmp "$DB" "$T/before.db"

### clock-2.5: a read with --now on a real store is a what-if view and changes nothing
$ --db $DB --now 2027-06-01T00:00:00Z findings --format csv
>* 1,
! cmp "$DB" "$T/before.db" && test ! -s "$DB-wal"

### clock-2.6: exception list with --now on a real store: the expiry applied as a what-if, not stored
$ --db $DB --now 2030-01-01T00:00:00Z exception list --format csv
>* 1,waf-rule,expired,finding

### clock-2.7: ...the store still holds it pending, byte for byte
! cmp "$DB" "$T/before.db" && test ! -s "$DB-wal"
$ --db $DB exception list --format csv
>* 1,waf-rule,pending,finding

### clock-2.8: the report of a real store has no simulated banner and says simulated: false
$ --db $DB --now 2027-06-01T00:00:00Z report --format json
>* "simulated":false
! cmp "$DB" "$T/before.db" && test ! -s "$DB-wal"

### clock-2.9: without --now a real store takes changes at the real time
$ --db $DB assets set 1 owner=team-web
> asset 1 updated

### clock-3.1: a simulated clock never goes earlier than the latest event (exit 2, nothing changed)
! cp "$T/sim.db" "$T/sim-before.db"
$ --db $T/sim.db --now 2026-10-31T23:59:59Z inventory collect --root $FIX/inventory/root
? 2
2> simulated clock 2026-10-31T23:59:59Z is earlier than the latest event of store '$T/sim.db' (2026-11-01T00:00:00Z)
! cmp "$T/sim.db" "$T/sim-before.db"

### clock-3.2: reads with an earlier --now still work on a simulated store
$ --db $T/sim.db --now 2026-10-01T00:00:00Z assets --format csv
>* ,host,

### clock-3.3: the same time or later is fine
$ --db $T/sim.db --now 2026-11-01T00:00:00Z scan
>* scanned 1 assets

### clock-4.1: a plan approved before the plan existed is refused
! "$PL" --db "$T/plan.db" --now 2026-03-02T11:00:00Z init >/dev/null && sqlite3 "$T/plan.db" <"$FIX/plan/assets.sql" && sqlite3 "$T/plan.db" <"$FIX/plan/findings.sql"
! "$PL" --db "$T/plan.db" --now 2026-03-02T12:00:00Z plan >/dev/null && sqlite3 "$T/plan.db" "UPDATE plans SET requester = 'someone-else'"
$ --db $T/plan.db --now 2026-03-01T00:00:00Z plan approve 1 --after-the-fact
? 2
2> simulated clock 2026-03-01T00:00:00Z is earlier than the latest event
! test "$(sqlite3 "$T/plan.db" 'SELECT count(*) FROM approvals')" = 0

### clock-4.2: the library refuses it too when the plan is newer than the last event (legacy rows)
! sqlite3 "$T/plan.db" "UPDATE plans SET created_at = created_at + 86400"
$ --db $T/plan.db --now 2026-03-02T13:00:00Z plan approve 1 --after-the-fact
? 2
2> sign-off at 2026-03-02T13:00:00Z would precede plan 1 (2026-03-03T12:00:00Z): refused
! test "$(sqlite3 "$T/plan.db" 'SELECT count(*) FROM approvals')" = 0

### clock-5.1: a simulated store's report carries the banner, in Markdown
$ --db $T/sim.db --now 2026-11-01T00:00:00Z report --format md
>* Simulated store
>* ## Audit events

### clock-5.2: ...and "simulated": true in JSON
$ --db $T/sim.db --now 2026-11-01T00:00:00Z report --format json
>* "simulated":true

### clock-5.3: ...and a banner in HTML
$ --db $T/sim.db --now 2026-11-01T00:00:00Z report --format html
>* class="simulated"

### clock-5.4: Prometheus samples carry simulated="true"
$ --db $T/sim.db --now 2026-11-01T00:00:00Z metrics --format prometheus
>* patchline_sla_due_findings{simulated="true",tier="0"} 0
>* patchline_backlog_overdue_findings{simulated="true"} 0

### clock-5.5: the metrics JSON says so too
$ --db $T/sim.db --now 2026-11-01T00:00:00Z metrics --format json
>* "simulated":true
