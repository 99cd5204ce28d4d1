# The two reports (issue 22): closed periods recorded by snapshot and never
# recomputed, the month's KEV arrivals, the quarter's measures and risks.

### periods-1.1: snapshot closes the month and the quarter that ended, once
! "$PL" --db "$DB" --now 2026-09-01T00:00:00Z init >/dev/null
! sqlite3 "$DB" "INSERT INTO assets (id, name, owner, environment, first_seen, last_seen) VALUES (1, 'web-01', 'web', 'prod', 1788220800, 1791504000), (2, 'db-01', 'data', 'prod', 1788220800, 1791504000)"
! sqlite3 "$DB" "INSERT INTO findings (asset_id, vuln_id, package, status, first_seen, resolved_at, tier, due_at, severity, kev_added) VALUES (1, 'CVE-2026-1', 'openssl', 'fixed', 1791158400, 1791504000, 0, 1791590400, 'critical', NULL), (2, 'CVE-2026-2', 'zlib', 'open', 1791158400, NULL, 2, 1792454400, 'high', NULL), (1, 'CVE-2026-3', 'curl', 'fixed', 1791158400, 1791194400, 0, 1791244800, 'critical', 1791158400), (2, 'CVE-2026-4', 'bash', 'open', 1791158400, NULL, 0, 1791244800, 'critical', 1791158400)"
$ --db $DB --now 2026-11-01T06:00:00Z snapshot
> snapshot 2026-11-01: 2 open findings; 2 closed periods recorded

### periods-1.2: a second snapshot records nothing again
$ --db $DB --now 2026-11-02T06:00:00Z snapshot
> snapshot 2026-11-02: 2 open findings

### periods-1.3: a closed month stays as recorded after a re-tiering (no recomputation)
! sqlite3 "$DB" "UPDATE findings SET tier = 4, due_at = 1830000000"
$ --db $DB --now 2026-11-20T12:00:00Z report --period month --format json
>* "closed_periods":{"months":[{"from":"2026-10-01T00:00:00Z","to":"2026-11-01T00:00:00Z"
>* "kev_due":2,"kev_met":1,"tier0_due":3,"tier0_met":2,"tier2_due":1,"tier2_met":0

### periods-1.4: the quarter shows the six measures by month, the risks, the accountability
$ --db $DB --now 2026-11-20T12:00:00Z report --period quarter --format md
>* ## The six measures against their targets
>* | Known-exploited (KEV) fixed within SLA | 50.0 % (missed) | n/a | 95 % |
>* ### League table by owner

### periods-1.5: October's KEV arrivals and where each stands
$ --db $DB --now 2026-11-01T00:00:00Z report --period month --format json
>* "kev_arrivals":{"total":2,"fixed_24h":1,"fixed_late":0,"mitigated_or_accepted":0,"open":1,

### periods-1.6: report reads closed periods, never records them: every period and format leaves the store's bytes, its audit count and its closed periods unchanged
! cat "$DB" "$DB-wal" 2>/dev/null | sha256sum >"$T/before" && sqlite3 "$DB" "SELECT count(*) FROM audit_events; SELECT count(*) FROM period_reports" >>"$T/before"
! for f in html md json csv; do for p in month quarter; do "$PL" --db "$DB" --now 2027-02-15T00:00:00Z --format $f report --period $p >/dev/null || exit 1; done; "$PL" --db "$DB" --now 2027-02-15T00:00:00Z --format $f report --from 2026-10-01 --to 2027-02-01 >/dev/null || exit 1; done
! "$PL" --db "$DB" --now 2027-02-15T00:00:00Z report --period quarter -o "$T/q.html"
! cat "$DB" "$DB-wal" 2>/dev/null | sha256sum >"$T/after" && sqlite3 "$DB" "SELECT count(*) FROM audit_events; SELECT count(*) FROM period_reports" >>"$T/after"
$ --db $DB --now 2027-02-15T00:00:00Z report --period month --format json
>* "closed_periods":{"months":[{"from":"2026-10-01T00:00:00Z"
! cmp "$T/before" "$T/after"
