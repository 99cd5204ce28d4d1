# Feed checks (issue 11 items 5 and 6): feeds dated past the system clock,
# and a catalogue drained in steps each under the 1 % shrink limit.

### trust-5.1: a KEV catalogue released in 2099 is refused, naming the field
$ --db $DB --now 2025-01-05T00:00:00Z feed import $FIX/kev/kev_future.json
? 1
2> patchline: feed import: $FIX/kev/kev_future.json: kev field 'dateReleased' is 2099-01-02T10:00:00Z, more than 24 hours past the system clock; use --force

### trust-5.2: ...whatever --now says (the system clock decides)
$ --db $DB --now 2099-03-01T00:00:00Z feed import kev $FIX/kev/kev_future.json
? 1
2> field 'dateReleased' is 2099-01-02T10:00:00Z, more than 24 hours past the system clock

### trust-5.3: a catalogue dated today with one entry added in 2099 is refused too
$ --db $DB --now 2025-01-05T00:00:00Z feed import kev $FIX/kev/kev_future_added.json
? 1
2> kev field 'dateAdded' of CVE-2024-0002 is 2099-06-01T00:00:00Z, more than 24 hours past the system clock; use --force

### trust-5.4: EPSS scores dated 2099
$ --db $DB --now 2025-01-05T00:00:00Z feed import epss $FIX/epss/epss_future.csv
? 1
2> epss field 'score_date' is 2099-01-02T00:00:00Z, more than 24 hours past the system clock; use --force

### trust-5.5: a CSAF advisory whose document dates lie in 2099
$ --db $DB --now 2025-01-05T00:00:00Z feed import csaf $FIX/csaf/future.json
? 1
2> csaf field 'document.tracking.current_release_date' of RHSA-2024:4546 is 2099-07-16T13:38:03Z, more than 24 hours past the system clock; use --force

### trust-5.6: the refusals stored nothing
$ --db $DB --now 2025-01-05T00:00:00Z feed status --format csv
>* kev,,,,,,false,
>* epss,,,,,,false,
>* csaf,,,,,,false,

### trust-5.7: --force accepts the 2099 catalogue, says so, and the audit log records it
$ --db $DB --now 2025-01-05T00:00:00Z feed import --force kev $FIX/kev/kev_future.json
> kev: $FIX/kev/kev_future.json: 4 records, 4 new, 0 updated, 0 unchanged, 0 withdrawn, version 2099.01.02, released 2099-01-02T10:00:00Z
2> patchline: feed import: warning: accepted with --force: $FIX/kev/kev_future.json: kev field 'dateReleased' is 2099-01-02T10:00:00Z

### trust-5.8: ...audited with what --force overrode
$ --db $DB audit --format csv --limit 1
>* forced=[$FIX/kev/kev_future.json: kev field 'dateReleased' is 2099-01-02T10:00:00Z, more than 24 hours past the system clock; use --force]

### trust-5.9: feed status does not take the 2099 date as fresh: its age counts from the import
$ --db $DB --now 2025-02-01T00:00:00Z feed status --format csv
>* kev,2099.01.02,2099-01-02T10:00:00Z,4,2025-01-05T00:00:00Z,27,true,
2> patchline: feed status: warning: kev is 27 days old (more than 7)

### trust-5.10: and the 2099 catalogue does not block the real ones as "older than the last import"
$ --db $DB --now 2025-02-01T00:00:00Z feed import kev $FIX/kev/kev_2025.01.03.json
> kev: $FIX/kev/kev_2025.01.03.json: 5 records, 1 new, 1 updated, 3 unchanged, 0 withdrawn, version 2025.01.03, released 2025-01-03T10:00:00Z

### trust-6.1: a catalogue of 1404 entries
! "$FIX/kev/gen_kev.sh" 0 1404 2025.03.01 2025-03-01T00:00:00Z >"$T/k1.json"
! "$FIX/kev/gen_kev.sh" 13 1404 2025.03.02 2025-03-02T00:00:00Z >"$T/k2.json"
! "$FIX/kev/gen_kev.sh" 26 1404 2025.03.03 2025-03-03T00:00:00Z >"$T/k3.json"
! "$FIX/kev/gen_kev.sh" 39 1404 2025.04.04 2025-04-04T00:00:00Z >"$T/k4.json"
! "$FIX/kev/gen_kev.sh" 40 1404 2025.04.05 2025-04-05T00:00:00Z >"$T/k5.json"
$ --db $T/drain.db --now 2025-03-03T00:00:00Z feed import kev $T/k1.json
> kev: $T/k1.json: 1404 records, 1404 new, 0 updated, 0 unchanged, 0 withdrawn, version 2025.03.01, released 2025-03-01T00:00:00Z

### trust-6.2: 13 entries fewer (under 1 %): accepted, each removal named
$ --db $T/drain.db --now 2025-03-03T00:00:00Z feed import kev $T/k2.json
> kev: $T/k2.json: 1391 records, 0 new, 0 updated, 1391 unchanged, 13 withdrawn, version 2025.03.02, released 2025-03-02T00:00:00Z
2> patchline: feed import: warning: kev no longer lists CVE-2020-10000
2> patchline: feed import: warning: kev no longer lists CVE-2020-10006
2> patchline: feed import: warning: kev no longer lists CVE-2020-10012

### trust-6.3: 13 more: 26 removals within 30 days pass 1 % of 1404: refused, each one named
$ --db $T/drain.db --now 2025-03-04T00:00:00Z feed import kev $T/k3.json
? 1
2> patchline: feed import: warning: kev no longer lists CVE-2020-10013
2> patchline: feed import: warning: kev no longer lists CVE-2020-10025
2> patchline: feed import: $T/k3.json: kev no longer lists 13 entries: 26 removed within 30 days of the 1404 it ever listed (more than 1 %); use --force

### trust-6.4: ...and nothing of it stored
$ --db $T/drain.db --now 2025-03-04T00:00:00Z feed status --format csv
>* kev,2025.03.02,2025-03-02T00:00:00Z,1391,2025-03-03T00:00:00Z,2,false,

### trust-6.5: the same file once the first removals are more than 30 days old
$ --db $T/drain.db --now 2025-04-05T00:00:00Z feed import kev $T/k3.json
>* 1378 records, 0 new, 0 updated, 1378 unchanged, 13 withdrawn
2> no longer lists CVE-2020-10025

### trust-6.6: 13 more the same day is refused...
$ --db $T/drain.db --now 2025-04-05T00:00:00Z feed import kev $T/k4.json
? 1
2> kev no longer lists 13 entries: 26 removed within 30 days of the 1404 it ever listed

### trust-6.7: ...unless forced, which is said and audited
$ --db $T/drain.db --now 2025-04-05T00:00:00Z feed import --force kev $T/k4.json
>* 1365 records, 0 new, 0 updated, 1365 unchanged, 13 withdrawn
2> patchline: feed import: warning: accepted with --force: $T/k4.json: kev no longer lists 13 entries
2> no longer lists CVE-2020-10038

### trust-6.8: removals accepted with --force no longer count: one more removal passes (13 + 1 of 1404)
$ --db $T/drain.db --now 2025-04-05T00:00:00Z feed import kev $T/k5.json
>* 1364 records, 0 new, 0 updated, 1364 unchanged, 1 withdrawn
2> patchline: feed import: warning: kev no longer lists CVE-2020-10039

### trust-6.9: the forced import is in the audit log with what it overrode
$ --db $T/drain.db audit --format csv --limit 2
>* removed=13 forced=[$T/k4.json: kev no longer lists 13 entries: 26 removed within 30 days of the 1404 it ever listed (more than 1 %); use --force]
