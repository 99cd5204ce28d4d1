# patchline window next: maintenance-window start times (issue 6).
# Zones come from tests/fixtures/cron/zoneinfo through TZDIR, so the
# results do not depend on the machine's tzdata.

### window-1.1: the group is listed in help
$ help
>* window

### window-1.2: Patch Tuesday at 02:00 UTC, from --after
$ window next --cron '0 2 * * 2#2' --after 2026-01-01T00:00:00Z --count 3
> 2026-01-13T02:00:00Z
> 2026-02-10T02:00:00Z
> 2026-03-10T02:00:00Z

### window-1.3: --after defaults to the clock (--now); --count to 1
$ --now 2026-02-10T02:00:00Z window next --cron '0 2 * * 2#2'
> 2026-03-10T02:00:00Z

### window-1.4: AWS cron() with --offset: the Saturday after Patch Tuesday, New York time
= TZDIR=$FIX/cron/zoneinfo
$ window next --cron 'cron(0 2 ? * TUE#2 *)' --offset 4 --tz America/New_York --after 2026-01-01 --count 3
> 2026-01-17T07:00:00Z
> 2026-02-14T07:00:00Z
> 2026-03-14T06:00:00Z

### window-1.5: a 02:30 job on the spring-forward day runs at 03:00 EDT
= TZDIR=$FIX/cron/zoneinfo
$ window next --cron '30 2 * * *' --tz America/New_York --after 2026-03-06T12:00:00Z --count 3
> 2026-03-07T07:30:00Z
> 2026-03-08T07:00:00Z
> 2026-03-09T06:30:00Z

### window-1.6: a 01:30 job on the fall-back day runs once, in EDT
= TZDIR=$FIX/cron/zoneinfo
$ window next --cron '30 1 * * *' --tz America/New_York --after 2026-10-31T12:00:00Z --count 2
> 2026-11-01T05:30:00Z
> 2026-11-02T06:30:00Z

### window-1.7: London's gap is 01:00-02:00 local
= TZDIR=$FIX/cron/zoneinfo
$ window next --cron '30 1 * * *' --tz Europe/London --after 2026-03-28T12:00:00Z --count 2
> 2026-03-29T01:00:00Z
> 2026-03-30T00:30:00Z

### window-1.8: rate() counts from --after
$ window next --cron 'rate(90 minutes)' --after 2026-01-01T00:00:00Z --count 2
> 2026-01-01T01:30:00Z
> 2026-01-01T03:00:00Z

### window-1.9: leap days
$ window next --cron '0 0 29 2 *' --after 2025-01-01 --count 2
> 2028-02-29T00:00:00Z
> 2032-02-29T00:00:00Z

### window-1.10: UTC needs no tzdata
= TZDIR=/nonexistent
$ window next --cron '@daily' --tz Etc/UTC --after 2026-01-01
> 2026-01-02T00:00:00Z

### window-2.1: a bad field is a usage error naming field and token
$ window next --cron '0 0 * * 8'
? 2
2> patchline: window next: cron: field 'day-of-week': '8' out of range 0-7

### window-2.2: zone names are validated before any path is built
$ window next --cron '0 0 * * *' --tz ../../etc/passwd
? 2
2> invalid time zone name '../../etc/passwd'

### window-2.3: an unknown zone
= TZDIR=$FIX/cron/zoneinfo
$ window next --cron '0 0 * * *' --tz Mars/Base
? 2
2> unknown time zone 'Mars/Base'

### window-2.4: a damaged zone file is an error naming the file
= TZDIR=$FIX/cron/zoneinfo
$ window next --cron '0 0 * * *' --tz Bad/garbage
? 1
2> zoneinfo/Bad/garbage: zone 'Bad/garbage': not a TZif file (bad magic)

### window-2.5: an expression that never fires ends with a clear error
$ window next --cron '0 0 30 2 *' --after 2026-01-01
? 1
2> cron: no start time after 2026-01-01T00:00:00Z within 400 years (the expression never fires)

### window-2.6: an AWS schedule that ends prints what it has, then fails
$ window next --cron 'cron(0 12 1 1 ? 2027,2029)' --after 2026-01-01 --count 3
? 1
> 2027-01-01T12:00:00Z
> 2029-01-01T12:00:00Z
2> cron: no start time after 2029-01-01T12:00:00Z up to the year 2199

### window-2.7: --count is capped
$ window next --cron '* * * * *' --count 10001
? 2
2> --count: want a number from 1 to 10000, not '10001'

### window-2.8: --cron is required
$ window next --after 2026-01-01
? 2
2> --cron is required

### window-2.9: a named window must be in the plan file (issue 6; more in plan.t)
$ window next patch-tuesday
? 2
2> window next: no window 'patch-tuesday' in (built-in) (it has: dev-nightly, staging-nightly, prod-nightly, prod-weekly)

### window-2.10: a bad --after names the value
$ window next --cron '0 0 * * *' --after 2026-02-30
? 2
2> --after: invalid time '2026-02-30'

### window-2.11: --offset with rate() is refused
$ window next --cron 'rate(1 hour)' --offset 2
? 2
2> a schedule offset needs a cron expression

### window-3.1: window next never creates a store
! "$PL" --db "$T/never.db" window next --cron '0 0 * * *' --after 2026-01-01 >/dev/null
! PATCHLINE_DB="$T/never.db" "$PL" window next --cron '0 0 * * *' --after 2026-01-01 >/dev/null
$ --db $T/never.db audit
? 1
2> no store at

### window-3.2: the 10000 cap is reachable
$ window next --cron '* * * * *' --after 2026-01-01 --count 10000
>* 2026-01-07T22:40:00Z
