# patchline plan, plan show/approve/check, window next NAME, window list (issue 6).
# The crafted estate is tests/fixtures/plan/assets.sql + findings.sql; the
# clock is 2026-03-02T12:00:00Z. Zones come from the cron fixtures (TZDIR).

### plan-1.1: help lists the command
$ help
>* plan

### plan-1.2: the shipped default plan is valid
$ plan check $FIX/../../docs/plan-default.yaml
>* /docs/plan-default.yaml: ok: 4 windows, 4 approval rules, 3 rings

### plan-1.3: a bad plan file names file, line, column and key
$ plan check $FIX/plan/bad-duration.yaml
? 1
2> patchline: plan: $FIX/plan/bad-duration.yaml:5:15: window 'nightly': duration: invalid duration '4x': unit must be s, m, h, d or w

### plan-1.4: plan check needs one file and no store
= PATCHLINE_DB=$T/none.db
$ plan check
? 2
2> plan check: want one plan file

### plan-1.5: ... and created none
! test ! -e "$T/none.db"
= TZDIR=$FIX/cron/zoneinfo
$ plan check $FIX/plan/windows.yaml
>* windows.yaml: ok: 2 windows, 1 approval rules, 1 rings

### plan-1.6: a missing plan file
$ plan check $T/nope.yaml
? 1
2> cannot open '$T/nope.yaml'

### plan-2.1: window list shows the windows of a plan file with their next start
= TZDIR=$FIX/cron/zoneinfo
$ --now 2026-03-02T12:00:00Z window list --plan $FIX/plan/windows.yaml
> name            schedule               timezone          offset_days  duration  cutoff  environments  tiers  tags  max_concurrency  max_errors  blackouts  next_start
> patch-saturday  cron(0 2 ? * TUE#2 *)  America/New_York  4            6h        1h      prod          all    all   100%             100%        1          2026-03-14T06:00:00Z
> ny-nightly      30 2 * * *             America/New_York  0            4h        1h      dev,staging   all    web   1                1           0          2026-03-03T07:30:00Z

### plan-2.2: window list of the built-in plan
$ --now 2026-03-02T12:00:00Z window list
> name             schedule    timezone  offset_days  duration  cutoff  environments  tiers  tags  max_concurrency  max_errors  blackouts  next_start
> dev-nightly      0 20 * * *  UTC       0            6h        1h      dev           all    all   100%             100%        0          2026-03-02T20:00:00Z
> staging-nightly  0 22 * * *  UTC       0            6h        1h      staging       all    all   100%             100%        0          2026-03-02T22:00:00Z
> prod-nightly     0 2 * * *   UTC       0            4h        30m     prod          1,2    all   100%             5%          0          2026-03-03T02:00:00Z
> prod-weekly      0 2 * * 6   UTC       0            8h        1h      prod          3,4    all   100%             5%          0          2026-03-07T02:00:00Z

### plan-2.3: a named window: the Saturday after Patch Tuesday, skipping the 2026-02-14 blackout
= TZDIR=$FIX/cron/zoneinfo
$ window next patch-saturday --plan $FIX/plan/windows.yaml --after 2026-01-01 --count 3
> 2026-01-17T07:00:00Z
> 2026-03-14T06:00:00Z
> 2026-04-18T06:00:00Z

### plan-2.4: a named window across the change to daylight-saving time
= TZDIR=$FIX/cron/zoneinfo
$ window next ny-nightly --plan $FIX/plan/windows.yaml --after 2026-03-06T12:00:00Z --count 3
> 2026-03-07T07:30:00Z
> 2026-03-08T07:00:00Z
> 2026-03-09T06:30:00Z

### plan-2.5: a named window of the built-in plan, after the clock
$ --now 2026-03-02T12:00:00Z window next prod-weekly --count 2
> 2026-03-07T02:00:00Z
> 2026-03-14T02:00:00Z

### plan-2.6: a named window takes its schedule from the plan
$ window next prod-weekly --cron '@daily'
? 2
2> a named window takes its schedule, zone and offset from the plan file

### plan-2.7: an unknown window lists the known ones
= TZDIR=$FIX/cron/zoneinfo
$ window next nightly --plan $FIX/plan/windows.yaml
? 2
2> no window 'nightly' in $FIX/plan/windows.yaml (it has: patch-saturday, ny-nightly)

### plan-3.0: soak per version: production waits for a version no staging asset runs
! "$PL" --db "$T/soak.db" --now 2026-03-02T11:00:00Z init >/dev/null && sqlite3 "$T/soak.db" <"$FIX/plan/assets.sql" && sqlite3 "$T/soak.db" <"$FIX/plan/findings.sql" && sqlite3 "$T/soak.db" "DELETE FROM soak_waivers"
$ --db $T/soak.db --now 2026-03-02T12:00:00Z plan --forecast
>* 8        prod-db-1       CVE-2026-0003  curl               3     2026-03-04T12:00:00Z  never     not-staged  curl 8.5.0-2 has not soaked in staging: no staging asset runs it and no waiver is recorded
>* 9        prod-web-pilot  CVE-2026-0004  linux-image-amd64  1     2026-03-06T12:00:00Z  never     not-staged
>* 7 of 14 open findings will miss their due date

### plan-3.0.1: an explicit waiver, recorded with who and when and audited
$ --db $T/soak.db --now 2026-03-02T11:30:00Z plan waive-soak curl 8.5.0-2 --reason "no staging host runs curl"
>* soak of curl 8.5.0-2 waived by

### plan-3.0.2: ...in the store and the audit log
! test "$(sqlite3 "$T/soak.db" "SELECT package, version, reason, waived_at FROM soak_waivers")" = "curl|8.5.0-2|no staging host runs curl|1772451000"
$ --db $T/soak.db audit --limit 1 --format csv
>* plan.waive-soak,curl 8.5.0-2,no staging host runs curl

### plan-3.0.2.1: ...once per version
$ --db $T/soak.db plan waive-soak curl 8.5.0-2 --reason "again"
? 1
2> patchline: plan waive-soak: the soak of curl 8.5.0-2 is already waived

### plan-3.0.2.2: ...and with a reason
$ --db $T/soak.db plan waive-soak curl 8.5.0-2
? 2
2> plan waive-soak PACKAGE VERSION --reason TEXT

### plan-3.0.3: the waived version goes to production; the other is still held
$ --db $T/soak.db --now 2026-03-02T12:00:00Z plan --forecast
>* 8        prod-db-1       CVE-2026-0003  curl               3     2026-03-04T12:00:00Z  2026-03-07T02:00:00Z  no-window
>* linux-image-amd64  1     2026-03-06T12:00:00Z  never                 not-staged  linux-image-amd64 6.1.90-1 has not soaked

### plan-3.1: the forecast lists every finding that will miss its due date, why, and the remedy (the fixture waives the soak of the versions no staging asset runs)
! "$PL" --db "$DB" --now 2026-03-02T11:00:00Z init >/dev/null && sqlite3 "$DB" <"$FIX/plan/assets.sql" && sqlite3 "$DB" <"$FIX/plan/findings.sql"
$ --db $DB --now 2026-03-02T12:00:00Z plan --forecast
> finding  asset       vulnerability  package            tier  due_at                forecast              reason         detail                                                                                        remedy
> 8        prod-db-1   CVE-2026-0003  curl               3     2026-03-04T12:00:00Z  2026-03-07T02:00:00Z  no-window      first window that serves it starts 2026-03-07T02:00:00Z, due 2026-03-04T12:00:00Z             emergency window, or a compensating control
> 10       prod-web-2  CVE-2026-0004  linux-image-amd64  1     2026-03-06T12:00:00Z  2026-03-09T02:00:00Z  soak-too-long  promotion (soak, canary watch) holds it until 2026-03-08T06:00:00Z, due 2026-03-06T12:00:00Z  emergency window (no soak, no canary), or a compensating control
> 11       prod-web-3  CVE-2026-0004  linux-image-amd64  1     2026-03-06T12:00:00Z  2026-03-07T02:00:00Z  soak-too-long  promotion (soak, canary watch) holds it until 2026-03-06T06:00:00Z, due 2026-03-06T12:00:00Z  emergency window (no soak, no canary), or a compensating control
> 12       orphan-1    CVE-2026-0005  bash               2     2026-04-01T12:00:00Z  never                 unmanaged      asset 'orphan-1' has no owner                                                                 give the asset an owner and environment and a window that serves it, or an exception
> 13       lab-1       CVE-2026-0005  bash               2     2026-04-01T12:00:00Z  never                 unmanaged      asset 'lab-1' has no environment                                                              give the asset an owner and environment and a window that serves it, or an exception
> 14       prod-web-2  CVE-2026-0006  libxml2            2     2026-04-01T12:00:00Z  never                 no-fix         no fixed version of 'libxml2' yet                                                             compensating control until a fix exists, or an exception
> 6 of 14 open findings will miss their due date

### plan-3.2: --fail-on-miss is a CI gate (exit 3)
$ --db $DB --now 2026-03-02T12:00:00Z plan --forecast --fail-on-miss
? 3
>* 6 of 14 open findings will miss their due date

### plan-3.3: the forecast as JSON; it stored nothing
! test "$(sqlite3 "$DB" 'SELECT count(*) FROM plans')" = 0
$ --db $DB --now 2026-03-02T12:00:00Z plan --forecast --format json
>* "finding": 8, "asset": "prod-db-1", "vulnerability": "CVE-2026-0003", "package": "curl", "tier": 3, "due_at": "2026-03-04T12:00:00Z", "forecast": "2026-03-07T02:00:00Z", "reason": "no-window"

### plan-3.4: --fail-on-miss belongs to --forecast
$ --db $DB plan --fail-on-miss
? 2
2> --fail-on-miss needs --forecast

### plan-4.1: plan builds and stores the waves
$ --db $DB --now 2026-03-02T12:00:00Z plan
> plan 1: 11 waves, 11 findings within 30d; 6 of 14 open findings will miss their due date

### plan-4.2: plan show: Tier 0 at once in every environment; Tier 1 dev, staging, then the rings
$ --db $DB plan show --format json
> [
>   {"wave": 1, "lane": "emergency", "environment": "dev", "ring": "all", "window": "immediately", "starts_at": "2026-03-02T12:00:00Z", "ends_at": "2026-03-02T16:00:00Z", "tier": 0, "assets": 1, "findings": 1, "packages": "openssl=3.0.15-1", "approval": "sign-off pending"},
>   {"wave": 2, "lane": "emergency", "environment": "prod", "ring": "all", "window": "immediately", "starts_at": "2026-03-02T12:00:00Z", "ends_at": "2026-03-02T16:00:00Z", "tier": 0, "assets": 1, "findings": 1, "packages": "openssl=3.0.15-1", "approval": "sign-off pending"},
>   {"wave": 3, "lane": "standard", "environment": "dev", "ring": null, "window": "dev-nightly", "starts_at": "2026-03-02T20:00:00Z", "ends_at": "2026-03-03T02:00:00Z", "tier": 1, "assets": 1, "findings": 1, "packages": "nginx=1.24.0-2", "approval": "not needed"},
>   {"wave": 4, "lane": "standard", "environment": "staging", "ring": null, "window": "staging-nightly", "starts_at": "2026-03-03T02:00:00Z", "ends_at": "2026-03-03T04:00:00Z", "tier": 1, "assets": 1, "findings": 1, "packages": "nginx=1.24.0-2", "approval": "not needed"},
>   {"wave": 5, "lane": "standard", "environment": "prod", "ring": "pilot", "window": "prod-nightly", "starts_at": "2026-03-03T02:00:00Z", "ends_at": "2026-03-03T06:00:00Z", "tier": 1, "assets": 1, "findings": 1, "packages": "linux-image-amd64=6.1.90-1", "approval": "not needed"},
>   {"wave": 6, "lane": "standard", "environment": "prod", "ring": "pilot", "window": "prod-nightly", "starts_at": "2026-03-04T04:00:00Z", "ends_at": "2026-03-04T06:00:00Z", "tier": 1, "assets": 1, "findings": 1, "packages": "nginx=1.24.0-2", "approval": "not needed"},
>   {"wave": 7, "lane": "standard", "environment": "prod", "ring": "early", "window": "prod-nightly", "starts_at": "2026-03-06T02:00:00Z", "ends_at": "2026-03-06T06:00:00Z", "tier": 1, "assets": 1, "findings": 1, "packages": "nginx=1.24.0-2", "approval": "not needed"},
>   {"wave": 8, "lane": "standard", "environment": "prod", "ring": "pilot", "window": "prod-weekly", "starts_at": "2026-03-07T02:00:00Z", "ends_at": "2026-03-07T10:00:00Z", "tier": 3, "assets": 1, "findings": 1, "packages": "curl=8.5.0-2", "approval": "not needed"},
>   {"wave": 9, "lane": "standard", "environment": "prod", "ring": "early", "window": "prod-nightly", "starts_at": "2026-03-07T02:00:00Z", "ends_at": "2026-03-07T06:00:00Z", "tier": 1, "assets": 1, "findings": 1, "packages": "linux-image-amd64=6.1.90-1", "approval": "not needed"},
>   {"wave": 10, "lane": "standard", "environment": "prod", "ring": "standard", "window": "prod-nightly", "starts_at": "2026-03-08T02:00:00Z", "ends_at": "2026-03-08T06:00:00Z", "tier": 1, "assets": 1, "findings": 1, "packages": "nginx=1.24.0-2", "approval": "not needed"},
>   {"wave": 11, "lane": "standard", "environment": "prod", "ring": "standard", "window": "prod-nightly", "starts_at": "2026-03-09T02:00:00Z", "ends_at": "2026-03-09T06:00:00Z", "tier": 1, "assets": 1, "findings": 1, "packages": "linux-image-amd64=6.1.90-1", "approval": "not needed"}
> ]

### plan-4.3: the table names the requester and the plan file
$ --db $DB plan show 1
>* plan 1 requested by
>* at 2026-03-02T12:00:00Z from (built-in) (horizon 30d): 11 findings, 6 will miss

### plan-4.4: the findings of one wave
$ --db $DB plan show 1 --wave 4
> finding  asset      vulnerability  package  fixed_version
> 4        stg-web-1  CVE-2026-0002  nginx    1.24.0-2

### plan-4.5: an unknown plan or wave
$ --db $DB plan show 7
? 1
2> patchline: plan show: no plan 7

### plan-4.6: ... or wave
$ --db $DB plan show 1 --wave 12
? 1
2> patchline: plan show: plan 1 has no wave 12 (it has 11)

### plan-5.1: whoever requested the plan cannot approve it
$ --db $DB --now 2026-03-02T13:00:00Z plan approve 1
? 1
2> patchline: plan approve: refused: '
2> ' requested plan 1; another person must approve it

### plan-5.2: ... nor sign off its emergency waves after the fact
$ --db $DB --now 2026-03-02T13:00:00Z plan approve 1 --after-the-fact
? 1
2> another person must sign it off

### plan-5.3: with another requester recorded, nothing needs approval before it runs
! sqlite3 "$DB" "UPDATE plans SET requester = 'someone-else' WHERE id = 1"
$ --db $DB --now 2026-03-02T13:00:00Z plan approve 1
? 1
2> patchline: plan approve: plan 1 has no wave waiting for approval

### plan-5.4: a sign-off before the plan existed is refused: the simulated clock never goes back
$ --db $DB --now 2026-03-02T11:00:00Z plan approve 1 --wave 1 --after-the-fact
? 2
2> simulated clock 2026-03-02T11:00:00Z is earlier than the latest event of store

### plan-5.5: the sign-off after the fact
$ --db $DB --now 2026-03-02T13:00:00Z plan approve 1 --after-the-fact
>* plan 1: signed off 2 waves as

### plan-5.6: it is recorded, with who and when
! test "$(sqlite3 "$DB" 'SELECT count(*), min(at), max(wave_seq), min(kind) FROM approvals')" = "2|1772456400|2|sign-off"
$ --db $DB plan show 1 --format json
>* "packages": "openssl=3.0.15-1", "approval": "signed off by

### plan-5.7: only once
$ --db $DB --now 2026-03-02T14:00:00Z plan approve 1 --after-the-fact
? 1
2> plan 1 has no emergency wave that ran and awaits sign-off

### plan-5.8: the audit log holds the build and the sign-off
$ --db $DB audit --format json
>* "action": "plan.build", "object": "(built-in)", "detail": "plan 1: 11 findings, 6 will miss"}
>* "action": "plan.sign-off", "object": "plan 1", "detail": "2 wave(s) after the fact"}

### plan-6.1: a plan file with manual approval; a 3-day horizon
= TZDIR=$FIX/cron/zoneinfo
$ --db $DB --now 2026-03-02T13:00:00Z plan --plan $FIX/plan/manual.yaml --horizon 3d
> plan 2: 7 waves, 9 findings within 3d; 3 of 14 open findings will miss their due date

### plan-6.2: its waves wait for approval
$ --db $DB plan show --format json
>* {"wave": 4, "lane": "standard", "environment": "prod", "ring": "canary", "window": "nightly", "starts_at": "2026-03-03T02:00:00Z", "ends_at": "2026-03-03T06:00:00Z", "tier": 1, "assets": 2, "findings": 2, "packages": "curl=8.5.0-2, linux-image-amd64=6.1.90-1", "approval": "pending"}

### plan-6.3: approve one wave
! sqlite3 "$DB" "UPDATE plans SET requester = 'someone-else' WHERE id = 2"
$ --db $DB --now 2026-03-02T13:00:00Z plan approve 2 --wave 4
>* plan 2: approved 1 wave as

### plan-6.4: then the rest
$ --db $DB --now 2026-03-02T13:00:00Z plan approve 2
>* plan 2: approved 6 waves as

### plan-6.5: nothing left
$ --db $DB --now 2026-03-02T13:00:00Z plan approve 2 --wave 4
? 1
2> wave 4 of plan 2 is already approved by '

### plan-7.1: bad options
$ --db $DB plan --horizon soon
? 2
2> --horizon: want a duration up to 400d, not 'soon'

### plan-7.2: an unknown verb
$ --db $DB plan shw
? 2
2> unknown verb 'shw' (show, approve, reject, waive-soak, check)

### plan-7.3: approve needs an id
$ --db $DB plan approve
? 2
2> plan approve: which plan? (give its id)

### plan-7.4: a bad plan file stops the build and stores nothing
$ --db $DB plan --plan $FIX/plan/bad-duration.yaml
? 1
2> bad-duration.yaml:5:15: window 'nightly': duration: invalid duration '4x'

### plan-7.5: still two plans
! test "$(sqlite3 "$DB" 'SELECT count(*) FROM plans')" = 2
$ --db $DB plan show 3
? 1
2> no plan 3
