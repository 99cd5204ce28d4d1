# exceptions and compensating controls (issue 5). The estate: tests/fixtures/exception.
# The success path of approval changes the stored requester to 'alice' (the
# same OS user runs every command here); tests/unit/test_exception.c runs the
# approval as another OS user when root.

### exc-1.1: an unknown type is refused, naming the types
! "$PL" --db "$DB" --now 2026-12-01 init >/dev/null && sqlite3 "$DB" < "$FIX/exception/estate.sql"
$ --db $DB --now 2026-12-01 exception add --type firewall --finding 1 --justification "x" --expires 30d
? 2
2> patchline: exception add: unknown exception type 'firewall' (want one of: waf-rule network-segmentation feature-disabled enhanced-monitoring access-restriction risk-acceptance false-positive)

### exc-1.2: a missing justification is refused
$ --db $DB --now 2026-12-01 exception add --type waf-rule --finding 1 --expires 30d
? 2
2> patchline: exception add: a justification is required (--justification TEXT)

### exc-1.3: a blank justification is refused
$ --db $DB --now 2026-12-01 exception add --type waf-rule --finding 1 --justification "   " --expires 30d
? 2
2> patchline: exception add: a justification is required (--justification TEXT)

### exc-1.4: an expiry in the past is refused
$ --db $DB --now 2026-12-01 exception add --type waf-rule --finding 1 --justification "rule 942100" --expires 2026-11-01
? 2
2> patchline: exception add: expiry 2026-11-01T00:00:00Z is not after now (2026-12-01T00:00:00Z)

### exc-1.5: an expiry that is neither a duration nor a date is refused
$ --db $DB --now 2026-12-01 exception add --type waf-rule --finding 1 --justification "rule 942100" --expires soon
? 2
2> patchline: exception add: --expires 'soon': want a duration (30d) or a date (2026-12-31)

### exc-1.6: a missing expiry is refused
$ --db $DB --now 2026-12-01 exception add --type waf-rule --finding 1 --justification "rule 942100"
? 2
2> patchline: exception add: an expiry is required (--expires 30d or a date)

### exc-1.7: an unknown finding is refused
$ --db $DB --now 2026-12-01 exception add --type waf-rule --finding 999 --justification "rule 942100" --expires 30d
? 1
2> patchline: exception add: no finding 999

### exc-1.8: no scope is refused
$ --db $DB --now 2026-12-01 exception add --type waf-rule --justification "rule 942100" --expires 30d
? 2
2> patchline: exception add: give a scope: --finding ID, --cve CVE with --select or --asset, or --asset ASSET

### exc-1.9: --select needs --cve
$ --db $DB --now 2026-12-01 exception add --type waf-rule --select env=prod --justification "rule 942100" --expires 30d
? 2
2> patchline: exception add: --select needs --cve (a whole asset is --asset)

### exc-1.10: --finding with another scope is refused
$ --db $DB --now 2026-12-01 exception add --type waf-rule --finding 1 --asset web-1 --justification "rule 942100" --expires 30d
? 2
2> patchline: exception add: give one scope: --finding cannot be combined with --cve, --select or --asset

### exc-1.11: an unknown asset is refused
$ --db $DB --now 2026-12-01 exception add --type waf-rule --cve CVE-2026-1000 --asset nope --justification "rule 942100" --expires 30d
? 1
2> patchline: exception add: no asset 'nope'

### exc-1.12: a bad selector names the term
$ --db $DB --now 2026-12-01 exception add --type waf-rule --cve CVE-2026-1000 --select colour=red --justification "rule 942100" --expires 30d
? 2
2> patchline: exception add: selector term 'colour=red': unknown field 'colour'

### exc-1.13: a bad vulnerability id is refused
$ --db $DB --now 2026-12-01 exception add --type waf-rule --cve 'bogus id' --asset web-1 --justification "rule 942100" --expires 30d
? 2
2> patchline: exception add: --cve 'bogus id': not a vulnerability id (CVE-2024-3094)

### exc-1.14: a risk acceptance of 91 days is refused (policy cap 90 d)
$ --db $DB --now 2026-12-01 exception add --type risk-acceptance --finding 1 --justification "legacy app" --expires 91d
? 2
2> patchline: exception add: risk-acceptance may last at most 90d for a Tier 2 finding (policy 'default'), not 91d

### exc-1.15: a risk acceptance of 31 days on a Tier 0 finding is refused (30 d)
$ --db $DB --now 2026-12-01 exception add --type risk-acceptance --finding 2 --justification "legacy app" --expires 31d
? 2
2> patchline: exception add: risk-acceptance may last at most 30d for a Tier 0 finding (policy 'default'), not 31d

### exc-1.16: the Tier 0 cap holds when the Tier 0 finding is one of several in scope
$ --db $DB --now 2026-12-01 exception add --type risk-acceptance --asset web-1 --justification "legacy app" --expires 2027-01-01
? 2
2> patchline: exception add: risk-acceptance may last at most 30d for a Tier 0 finding (policy 'default'), not 31d

### exc-1.17: a compensating control past 180 days is refused
$ --db $DB --now 2026-12-01 exception add --type waf-rule --finding 1 --justification "rule 942100" --expires 181d
? 2
2> patchline: exception add: waf-rule may last at most 180d, not 181d

### exc-1.18: a control character in the justification is refused
$ --db $DB --now 2026-12-01 exception add --type waf-rule --finding 1 --justification "$(printf 'a\033]0;x\007')" --expires 30d
? 2
2> patchline: exception add: justification holds a control character (byte 2)

### exc-1.19: after every refusal above nothing was written
$ --db $DB --now 2026-12-01 exception list
> id  type  status  scope  vuln  target  requester  approver  expires  covered

### exc-2.1: a 90-day risk acceptance of a Tier 2 finding is pending until approved
$ --db $DB --now 2026-12-01 exception add --type risk-acceptance --finding 1 --justification "legacy app, vendor fix in Q1" --expires 2026-12-31
>* exception 1 added: risk-acceptance, pending approval by another user than
>* ; expires 2026-12-31T00:00:00Z

### exc-2.2: the requester cannot approve it
$ --db $DB --now 2026-12-01 exception approve 1
? 1
2> ': it must be approved by another user
2> patchline: exception approve: exception 1 was requested by '

### exc-2.3: and it stays pending, the finding open
$ --db $DB --now 2026-12-01 exception show 1 --format csv
>* finding,asset,vuln,package,status,tier,due,overdue,covered_by,until
>* 1,web-1,CVE-2026-1000,openssl,open,2,2026-12-20T00:00:00Z,false,,

# The store is simulated: its clock never goes back, so the cases of exception 2
# (exc-4) interleave in time with those of exception 1 (exc-2, exc-3).
### exc-4.1: a WAF rule for a CVE on one asset
$ --db $DB --now 2026-12-01 exception add --type waf-rule --cve CVE-2026-1000 --asset db-1 --justification "rule 942100 blocks the exploit path" --expires 60d
>* exception 2 added: waf-rule, pending approval

### exc-4.2: approved, it mitigates the finding
! sqlite3 "$DB" "UPDATE exceptions SET requester = 'alice' WHERE id = 2"
$ --db $DB --now 2026-12-01 exception approve 2
>* active until 2027-01-30T00:00:00Z, covers 1 finding

### exc-2.4: another user approves it: the finding is accepted until the expiry
! sqlite3 "$DB" "UPDATE exceptions SET requester = 'alice' WHERE id = 1"
$ --db $DB --now 2026-12-02 exception approve 1
>* active until 2026-12-31T00:00:00Z, covers 1 finding

### exc-4.3: revoking needs a reason
$ --db $DB --now 2026-12-10 exception revoke 2
? 2
2> patchline: exception revoke: a reason is required (--reason TEXT)

### exc-4.4: revoke
$ --db $DB --now 2026-12-10 exception revoke 2 --reason "WAF rule removed in the migration"
> exception 2 revoked; its findings are back on their clocks

### exc-4.5: the finding is open with its original due date (not yet overdue)
$ --db $DB --now 2026-12-10 exception show 2 --format csv
>* finding,asset,vuln,package,status,tier,due,overdue,covered_by,until
>* 3,db-1,CVE-2026-1000,openssl,open,2,2026-12-20T00:00:00Z,false,,2026-12-10T00:00:00Z

### exc-4.6: revoking twice is refused
$ --db $DB --now 2026-12-11 exception revoke 2 --reason "again"
? 1
2> patchline: exception revoke: exception 2 is already revoked

### exc-4.7: an unknown exception
$ --db $DB --now 2026-12-11 exception show 42
? 1
2> patchline: exception show: no exception 42

### exc-2.5: show lists the covered finding
$ --db $DB --now 2026-12-15 exception show 1 --format csv
>* finding,asset,vuln,package,status,tier,due,overdue,covered_by,until
>* 1,web-1,CVE-2026-1000,openssl,accepted,2,2026-12-20T00:00:00Z,false,1,2026-12-31T00:00:00Z

### exc-2.6: approving an active exception is refused
$ --db $DB --now 2026-12-15 exception approve 1
? 1
2> patchline: exception approve: exception 1 is active: only a pending or needs-review exception can be approved

### exc-2.7: --expiring lists it two weeks before its expiry
$ --db $DB --now 2026-12-20 exception list --expiring 14d --format csv
>* 1,risk-acceptance,active,finding,,finding 1,alice,

### exc-3.1: after the expiry (recorded by housekeeping) the finding is open again with its original due date, overdue
! "$PL" --db "$DB" --now 2027-01-01 housekeeping >/dev/null
$ --db $DB --now 2027-01-01 exception show 1 --format csv
>* finding,asset,vuln,package,status,tier,due,overdue,covered_by,until
>* 1,web-1,CVE-2026-1000,openssl,open,2,2026-12-20T00:00:00Z,true,,2026-12-31T00:00:00Z

### exc-3.2: the exception is expired
$ --db $DB --now 2027-01-01 exception list --status expired --format csv
>* 1,risk-acceptance,expired,finding,,finding 1,alice,

### exc-5.1: network segmentation for a CVE on a selector of assets
$ --db $DB --now 2027-01-02 exception add --type network-segmentation --cve CVE-2026-1000 --select env=prod,tag=pci --justification "pci zone behind the jump host" --expires 90d
>* exception 3 added: network-segmentation, pending approval

### exc-5.2: approved, it covers the CVE on both pci hosts
! sqlite3 "$DB" "UPDATE exceptions SET requester = 'alice' WHERE id = 3"
$ --db $DB --now 2027-01-02 exception approve 3
>* active until 2027-04-02T00:00:00Z, covers 2 findings

### exc-5.3: a pci host added later is covered too
! sqlite3 "$DB" < "$FIX/exception/later.sql"
! "$PL" --db "$DB" --now 2027-01-02 housekeeping >/dev/null
$ --db $DB --now 2027-01-02 exception show 3 --format csv
>* finding,asset,vuln,package,status,tier,due,overdue,covered_by,until
>* 1,web-1,CVE-2026-1000,openssl,mitigated,2,2026-12-20T00:00:00Z,false,3,2027-04-02T00:00:00Z
>* 4,web-2,CVE-2026-1000,openssl,mitigated,2,2026-12-20T00:00:00Z,false,3,2027-04-02T00:00:00Z
>* 6,web-3,CVE-2026-1000,openssl,mitigated,2,2027-02-02T00:00:00Z,false,3,2027-04-02T00:00:00Z

### exc-5.4: the list shows the selector and the count
$ --db $DB --now 2027-01-02 exception list --status active --format csv
>* id,type,status,scope,vuln,target,requester,approver,expires,covered
>* 3,network-segmentation,active,selector,CVE-2026-1000,"env=prod,tag=pci",alice,

### exc-6.1: a false positive, approved
$ --db $DB --now 2027-01-02 exception add --type false-positive --finding 5 --justification "curl built without the affected protocol" --expires 180d
>* exception 4 added: false-positive, pending approval

### exc-6.2: the finding is a false positive
! sqlite3 "$DB" "UPDATE exceptions SET requester = 'alice' WHERE id = 4"
! "$PL" --db "$DB" --now 2027-01-02 exception approve 4 >/dev/null
$ --db $DB --now 2027-01-03 exception show 4 --format csv
>* finding,asset,vuln,package,status,tier,due,overdue,covered_by,until
>* 5,db-1,CVE-2026-3000,curl,false-positive,3,2027-02-18T00:00:00Z,false,4,2027-07-01T00:00:00Z

### exc-6.3: a newer feed import sends it to needs-review and the finding back to open
! "$PL" --db "$DB" --now 2027-01-05 feed import kev "$FIX/kev/kev_2025.01.02.json" >/dev/null
! "$PL" --db "$DB" --now 2027-01-06 housekeeping >/dev/null
$ --db $DB --now 2027-01-06 exception show 4 --format csv
>* finding,asset,vuln,package,status,tier,due,overdue,covered_by,until
>* 5,db-1,CVE-2026-3000,curl,open,3,2027-02-18T00:00:00Z,false,,2027-01-05T00:00:00Z

### exc-6.4: listed as needs-review, with the reason
$ --db $DB --now 2027-01-06 exception show 4
>* status         needs-review
>* end_reason     feed kev imported 2027-01-05T00:00:00Z after approval 2027-01-02T00:00:00Z

### exc-6.5: re-approval makes it a false positive again
$ --db $DB --now 2027-01-06 exception approve 4
>* active until 2027-07-01T00:00:00Z, covers 1 finding

### exc-6.6: a whole asset: every open finding of db-1; the false positive keeps its own exception
$ --db $DB --now 2027-01-06 exception add --type enhanced-monitoring --asset db-1 --justification "EDR in blocking mode" --expires 30d
>* exception 5 added: enhanced-monitoring, pending approval

### exc-6.7: approved, it mitigates the open finding only
! sqlite3 "$DB" "UPDATE exceptions SET requester = 'alice' WHERE id = 5"
! "$PL" --db "$DB" --now 2027-01-06 exception approve 5 >/dev/null
$ --db $DB --now 2027-01-07 exception show 5 --format csv
>* 3,db-1,CVE-2026-1000,openssl,mitigated,2,2026-12-20T00:00:00Z,false,5,2027-02-05T00:00:00Z
>* 5,db-1,CVE-2026-3000,curl,false-positive,3,2027-02-18T00:00:00Z,false,,

### exc-6.8: show as JSON carries the exception and its findings
$ --db $DB --now 2027-01-07 --format json exception show 5
>* {"exception": {"id": 5, "type": "enhanced-monitoring", "status": "active", "scope": "assets", "finding": null, "vuln": null, "selector": null, "assets": "db-1", "justification": "EDR in blocking mode",
>* "covered": 1}, "findings": [
>* ]
>* }

### exc-6.9: --asset takes several assets
$ --db $DB --now 2027-01-07 exception add --type access-restriction --cve CVE-2026-1000 --asset web-1 web-2 --justification "VPN only" --expires 30d
>* exception 6 added: access-restriction, pending approval

### exc-6.10: both are in its scope while it is pending
$ --db $DB --now 2027-01-07 exception list --status pending --format csv
>* 6,access-restriction,pending,assets,CVE-2026-1000,"web-1,web-2",

### exc-6.11: an operand without --asset is refused
$ --db $DB --now 2027-01-07 exception add --type waf-rule --finding 1 web-1 --justification "x" --expires 30d
? 2
2> patchline: unexpected argument 'web-1'

### exc-7.1: every change is in the audit log
$ --db $DB audit --limit 200 --format csv
>* ,exception.add,exception 1,"risk-acceptance on finding 1, expires 2026-12-31T00:00:00Z: legacy app, vendor fix in Q1"
>* ,exception.approve,exception 1,"risk-acceptance requested by alice, active until 2026-12-31T00:00:00Z"
>* ,exception.cover,exception 1,finding 1 accepted until 2026-12-31T00:00:00Z
>* ,exception.expire,exception 1,active risk-acceptance reached its expiry 2026-12-31T00:00:00Z
>* ,exception.release,exception 1,finding 1 open again (cover ended 2026-12-31T00:00:00Z)
>* ,exception.add,exception 2,"waf-rule on CVE-2026-1000 of asset db-1, expires 2027-01-30T00:00:00Z: rule 942100 blocks the exploit path"
>* ,exception.revoke,exception 2,WAF rule removed in the migration
>* ,exception.release,exception 2,finding 3 open again (cover ended 2026-12-10T00:00:00Z)
>* ,exception.add,exception 3,"network-segmentation on CVE-2026-1000 of assets matching env=prod,tag=pci, expires 2027-04-02T00:00:00Z: pci zone behind the jump host"
>* ,exception.cover,exception 3,"findings 1,4 mitigated until 2027-04-02T00:00:00Z"
>* ,exception.cover,exception 3,finding 6 mitigated until 2027-04-02T00:00:00Z
>* ,exception.cover,exception 4,finding 5 false-positive until 2027-07-01T00:00:00Z
>* ,exception.review,exception 4,feed kev imported 2027-01-05T00:00:00Z after approval 2027-01-02T00:00:00Z
>* ,exception.release,exception 4,finding 5 open again (cover ended 2027-01-05T00:00:00Z)
>* ,exception.approve,exception 4,"false-positive requested by alice, active until 2027-07-01T00:00:00Z (re-approved after review)"

### exc-8.1: a bad --status is a usage error
$ --db $DB exception list --status open
? 2
2> patchline: --status: unknown status 'open'

### exc-8.2: a bad exception id is a usage error
$ --db $DB exception show x1
? 2
2> patchline: want an exception id, not 'x1'

### exc-9.1: a what-if read: exception show at a later --now says expired... (issue 13)
! cat "$DB" "$DB-wal" 2>/dev/null | sha256sum >"$T/before" && sqlite3 "$DB" "SELECT count(*) FROM audit_events" >>"$T/before"
$ --db $DB --now 2030-01-01 exception show 3
>* status         expired

### exc-9.2: ...and so does the list, filtered on the status at --now
$ --db $DB --now 2030-01-01 exception list --status expired --format csv
>* 3,network-segmentation,expired,

### exc-9.3: ...explain too: the store's bytes and the audit count are unchanged
! "$PL" --db "$DB" --now 2030-01-01 explain 1 >/dev/null
! cat "$DB" "$DB-wal" 2>/dev/null | sha256sum >"$T/after" && sqlite3 "$DB" "SELECT count(*) FROM audit_events" >>"$T/after"
! cmp "$T/before" "$T/after"
$ --db $DB --now 2027-01-03 exception show 3
>* status         active

### exc-9.4: housekeeping records the expiry at --now, audited
$ --db $DB --now 2030-01-01 housekeeping
>* exceptions: 

### exc-9.5: ...the stored status is expired and the audit names it (set-up lines run before the command)
! test "$(sqlite3 "$DB" "SELECT status FROM exceptions WHERE id = 3")" = expired
$ --db $DB audit --format csv
>* exception.expire
