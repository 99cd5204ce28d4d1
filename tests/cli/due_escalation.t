# Due dates on escalation (docs/policy.md): a finding first seen at Tier 3 that joins the KEV
# catalogue ten days later becomes Tier 0, due 24 hours after the escalation (its previous
# due date was later); explain says so beside the SLA line of a new finding. Fixtures: the
# inventory root, tracker and one-entry KEV catalogue of tests/fixtures/match.

### due-1.1: first seen at Tier 3 (no KEV yet), due first seen + 90 days
! cp -r "$FIX/inventory/root" "$T/root"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory collect --root "$T/root" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import "$FIX/match/tracker.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z scan >/dev/null 2>&1
$ --db $DB --now 2026-01-10T00:00:00Z findings --format csv
>* 4,fixhost,CVE-2026-1004,openssl,3.0.11-1~deb12u2,no fix (postponed),3,2026-04-10T00:00:00Z,false,true,open,2026-01-10T00:00:00Z

### due-1.2: ten days later it is in KEV: Tier 0, due 24 h after the escalation, not after first seen
! "$PL" --db "$DB" --now 2026-01-20T00:00:00Z feed import "$FIX/match/kev.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-20T00:00:00Z scan >/dev/null 2>&1
$ --db $DB --now 2026-01-20T00:00:00Z findings --format csv
>* 4,fixhost,CVE-2026-1004,openssl,3.0.11-1~deb12u2,no fix (postponed),0,2026-01-21T00:00:00Z,false,true,open,2026-01-10T00:00:00Z

### due-1.3: explain gives the SLA of a new finding and the escalation that set this one's due date
$ --db $DB explain 4
>* tier 0 Emergency, due 1d after first seen: rule 'kev'
>* due 2026-01-21T00:00:00Z, not first seen + 1d: escalated to tier 0 at 2026-01-20T00:00:00Z, due the earlier of its previous due date and 2026-01-20T00:00:00Z + 1d (an escalation never extends a due date)

### due-1.4: a finding whose due date is first seen + SLA gets no such line
$ --db $DB explain 3
>* tier 2 High, due 30d after first seen
! "$PL" --db "$DB" explain 3 | grep -qv 'not first seen +'
! test "$("$PL" --db "$DB" explain 3 | grep -c 'not first seen +')" = 0
