# Findings with no fix (issue 16): the tracker's `open` entries are findings marked "no fix",
# with the distribution's decision (no-dsa, postponed, ignored) shown, usable by the policy
# (distro_decision) and counted on their own line of the report. Fixtures of tests/cli/scan.t
# (tests/fixtures/match: openssl CVE-2026-1004 is open and postponed).

### nofix-1.1: the postponed entry is a finding whose fixed column says why there is no fix
! cp -r "$FIX/inventory/root" "$T/root"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory collect --root "$T/root" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import "$FIX/match/tracker.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z scan >/dev/null 2>&1
$ --db $DB --now 2026-01-10T00:00:00Z findings --format csv
>* fixhost,CVE-2026-1004,openssl,3.0.11-1~deb12u2,no fix (postponed),
>* fixhost,CVE-2026-1001,libc6,2.36-9+deb12u4,2.36-9+deb12u7,

### nofix-1.2: its remedy is a compensating control
$ --db $DB --now 2026-01-10T00:00:00Z explain 4
>* remedy: no fix is available: a compensating control is due

### nofix-1.3: the report counts findings with no fix on their own line (markdown, json, csv, prometheus)
$ --db $DB --now 2026-01-31T00:00:00Z report --format md
>* No fix available: 1 open findings have no fixed version (1 of them by the distribution's decision: no-dsa, postponed, ignored); their remedy is a compensating control.

### nofix-1.4: ...as JSON
$ --db $DB --now 2026-01-31T00:00:00Z report --format json
>* "no_fix":1,"no_fix_decided":1,

### nofix-1.5: ...as CSV
$ --db $DB --now 2026-01-31T00:00:00Z report --format csv
>* backlog,no_fix,,1
>* backlog,no_fix,decided,1

### nofix-2.1: a policy rule on distro_decision: the postponed finding goes to the later tier
$ --db $DB --now 2026-01-10T00:00:00Z scan --policy $FIX/policy/distro-decision.yaml
>* 4 open findings

### nofix-2.2: explain names the fact and where it came from
$ --db $DB --now 2026-01-10T00:00:00Z explain --policy $FIX/policy/distro-decision.yaml 4
>* rule 'decided-not-to-fix'
>* distro_decision = postponed
>* [debian openssl/CVE-2026-1004]

### nofix-2.3: the other findings keep the default tier
$ --db $DB --now 2026-01-10T00:00:00Z findings --format csv
>* 4,fixhost,CVE-2026-1004,openssl,3.0.11-1~deb12u2,no fix (postponed),1,
>* 3,fixhost,CVE-2026-1001,libc6,2.36-9+deb12u4,2.36-9+deb12u7,0,
