# scan, findings and explain (issue 5) on the inventory fixture root (Debian 12:
# libc6 x2 arches from glibc, bash, openssl, dpkg) with a small Debian tracker
# file and a one-entry KEV catalogue of tests/fixtures/match.

### scan-1.1: with no feeds a scan runs, finds nothing and names what is missing
! cp -r "$FIX/inventory/root" "$T/root"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory collect --root "$T/root" >/dev/null
$ --db $DB --now 2026-01-10T00:00:00Z scan
>* scanned 1 assets, 5 packages: 8 distinct versions compared against 0 advisory rows
>* 0 open findings (0 provisional); 0 package-removed, 0 asset-retired, 0 no longer matched but not proven fixed (left open)
2> warning: missing: no KEV catalogue: no finding can reach Tier 0 through KEV
2> warning: missing: no EPSS scores
2> warning: missing: no advisories for debian:bookworm

### scan-1.2: with the tracker and KEV: one finding per binary package and CVE
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import "$FIX/match/tracker.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import "$FIX/match/kev.json" >/dev/null
$ --db $DB --now 2026-01-10T00:00:00Z scan
> scanned 1 assets, 5 packages: 8 distinct versions compared against 8 advisory rows
> 1 assets re-matched only where the feeds imported since their last scan changed advisories or facts
> tier              new still-open  fixed regressed   open
> 0 Emergency         1          0      0         0      1
> 1 Critical          0          0      0         0      0
> 2 High              1          0      0         0      1
> 3 Medium            1          0      0         0      1
> 4 Low               0          0      0         0      0
> unscored            1          0      0         0      1
> 4 open findings (4 provisional); 0 package-removed, 0 asset-retired, 0 no longer matched but not proven fixed (left open)

### scan-1.3: fixed, no fix (open), not-affected, undetermined and other releases as the tracker says
$ --db $DB --now 2026-01-10T00:00:00Z findings
> id  asset    vuln           package  installed         fixed               tier      due                   overdue  provisional  status  first_seen
> 4   fixhost  CVE-2026-1004  openssl  3.0.11-1~deb12u2  no fix (postponed)  0         2026-01-11T00:00:00Z  false    true         open    2026-01-10T00:00:00Z
> 3   fixhost  CVE-2026-1001  libc6    2.36-9+deb12u4    2.36-9+deb12u7      2         2026-02-09T00:00:00Z  false    true         open    2026-01-10T00:00:00Z
> 1   fixhost  CVE-2026-1003  bash     5.2.15-2+b2       5.2.15-3            3         2026-04-10T00:00:00Z  false    true         open    2026-01-10T00:00:00Z
> 2   fixhost  CVE-2026-1007  dpkg     1.21.22           1.21.23             unscored  2026-04-10T00:00:00Z  false    true         open    2026-01-10T00:00:00Z

### scan-1.4: --fail-on exits 3 when open findings at or above the tier exist
$ --db $DB --now 2026-01-10T00:00:00Z scan --fail-on Emergency
? 3
>* 4 open findings (4 provisional)

### scan-1.5: a rescan with nothing changed writes nothing
$ --db $DB --now 2026-01-10T06:00:00Z scan
>* 4 open findings
! test "$(sqlite3 "$DB" "SELECT detail FROM audit_events WHERE action = 'scan' ORDER BY id DESC LIMIT 1")" = "1 assets, 0 new, 4 open, 0 fixed, 0 regressed, 0 removed, 0 retired, 0 rows written"

### scan-1.6: filters: KEV, tier, unscored, overdue (at --now)
$ --db $DB --now 2026-01-10T00:00:00Z findings --kev --format csv
>* id,asset,vuln,package,installed,fixed,tier,due,overdue,provisional,status,first_seen
>* 4,fixhost,CVE-2026-1004,openssl,3.0.11-1~deb12u2,no fix (postponed),0,2026-01-11T00:00:00Z,false,true,open,2026-01-10T00:00:00Z

### scan-1.6.1: unscored findings are shown apart
$ --db $DB --now 2026-01-10T00:00:00Z findings --unscored --format csv
>* id,asset,vuln,package,installed,fixed,tier,due,overdue,provisional,status,first_seen
>* 2,fixhost,CVE-2026-1007,dpkg,1.21.22,1.21.23,unscored,2026-04-10T00:00:00Z,false,true,open,2026-01-10T00:00:00Z

### scan-1.7: overdue at a later --now
$ --db $DB --now 2026-01-12T00:00:00Z findings --overdue --format json
> [
>   {"id": 4, "asset": "fixhost", "vuln": "CVE-2026-1004", "package": "openssl", "installed": "3.0.11-1~deb12u2", "fixed": "no fix (postponed)", "tier": 0, "due": "2026-01-11T00:00:00Z", "overdue": true, "provisional": true, "status": "open", "first_seen": "2026-01-10T00:00:00Z", "distro_decision": "postponed", "upgrade": null}
> ]

### scan-1.8: explain names the rule, the KEV fact with its source and date, and the match
$ --db $DB explain 4
>* finding 4: CVE-2026-1004 in openssl on fixhost (open, first seen 2026-01-10T00:00:00Z, due 2026-01-11T00:00:00Z)
>* tier 0 Emergency, due 1d after first seen: rule 'kev' (builtin:default line 52)
>* kev = true (added 2026-01-08) (want true) [cisa-kev 2026.01.09 2026-01-08]
>* comparison       source openssl 3.0.11-1~deb12u2: open, no fix yet (debian:bookworm)
>* tracker marker   postponed

### scan-1.8.1: the columns the metrics read: when KEV listed it, and the severity
! test "$(sqlite3 "$DB" "SELECT id, kev_added, severity FROM findings ORDER BY id" | tr '\n' ' ')" = "1||medium 2|| 3||high 4|1767830400|medium "
$ --db $DB findings --kev --format csv
>* 4,fixhost,CVE-2026-1004,openssl

### scan-1.9: explain of a finding below Tier 0 says why the earlier rules did not fire
$ --db $DB explain 3
>* tier 2 High, due 30d after first seen: rule 'high-exposed-or-prod'
>*   kev (tier 0, line 52): kev is false, want true [no provenance]
>*   comparison       source glibc 2.36-9+deb12u4 < fixed 2.36-9+deb12u7 (dpkg order, debian:bookworm)

### scan-1.10: explain as JSON
$ --db $DB --format json explain 4
>* "rule":"kev"
>* "match":{"feed":"debian","advisory":"openssl/CVE-2026-1004","source_package":"openssl","installed":"3.0.11-1~deb12u2","fixed":null,

### scan-2.1: upgrade glibc and remove bash: the fix is proven by the inventory
! sed -i 's/^Version: 2.36-9+deb12u4$/Version: 2.36-9+deb12u7/; s/^Source: glibc$/Source: glibc/' "$T/root/var/lib/dpkg/status"
! sed -i '/^Package: bash$/,/^$/d' "$T/root/var/lib/dpkg/status"
! "$PL" --db "$DB" --now 2026-01-12T00:00:00Z inventory collect --root "$T/root" >/dev/null
$ --db $DB --now 2026-01-12T00:00:00Z scan
>* 2 High              0          0      1         0      0
>* 2 open findings (2 provisional); 1 package-removed, 0 asset-retired, 0 no longer matched but not proven fixed (left open)

### scan-2.2: ...the closed findings keep their history
$ --db $DB --now 2026-01-12T00:00:00Z findings --status fixed --format csv
>* id,asset,vuln,package,installed,fixed,tier,due,overdue,provisional,status,first_seen
>* 3,fixhost,CVE-2026-1001,libc6,2.36-9+deb12u7,2.36-9+deb12u7,2,2026-02-09T00:00:00Z,false,true,fixed,2026-01-10T00:00:00Z

### scan-2.2.1: ...and the removed package's finding is package-removed
$ --db $DB --now 2026-01-12T00:00:00Z findings --status package-removed --format csv
>* id,asset,vuln,package,installed,fixed,tier,due,overdue,provisional,status,first_seen
>* 1,fixhost,CVE-2026-1003,bash,5.2.15-2+b2,5.2.15-3,3,2026-04-10T00:00:00Z,false,true,package-removed,2026-01-10T00:00:00Z

### scan-2.2.2: the proof and the time of the fix are stored
! test "$(sqlite3 "$DB" "SELECT (SELECT t.text FROM finding_texts t WHERE t.id = findings.fix_proof_ref), resolved_at FROM findings WHERE id = 3")" = "glibc 2.36-9+deb12u7 >= fixed 2.36-9+deb12u7 (dpkg order, debian glibc/CVE-2026-1001)|1768176000"
$ --db $DB findings --status fixed --format csv
>* 3,fixhost,CVE-2026-1001,libc6

### scan-2.3: downgrade: the finding re-opens with its first_seen, counted as a regression
! sed -i 's/^Version: 2.36-9+deb12u7$/Version: 2.36-9+deb12u4/' "$T/root/var/lib/dpkg/status"
! "$PL" --db "$DB" --now 2026-01-13T00:00:00Z inventory collect --root "$T/root" >/dev/null
$ --db $DB --now 2026-01-13T00:00:00Z scan
>* 2 High              0          0      0         1      1

### scan-2.3.1: ...with its history
! test "$(sqlite3 "$DB" "SELECT status, first_seen, reopened_count, CASE WHEN resolved_at IS NULL THEN 1 ELSE 0 END, CASE WHEN (SELECT t.text FROM finding_texts t WHERE t.id = findings.fix_proof_ref) IS NULL THEN 1 ELSE 0 END FROM findings WHERE id = 3")" = "open|1768003200|1|1|1"
$ --db $DB explain 3
>*   2026-01-12T00:00:00Z fixed          tier 2 due 2026-02-09T00:00:00Z: glibc 2.36-9+deb12u7 >= fixed 2.36-9+deb12u7 (dpkg order, debian glibc/CVE-2026-1001)
>*   2026-01-13T00:00:00Z regressed      tier 2 due 2026-02-09T00:00:00Z: source glibc 2.36-9+deb12u4 < fixed 2.36-9+deb12u7 (dpkg order, debian:bookworm)

### scan-2.4: nothing is deleted; every change is an event
! test "$(sqlite3 "$DB" "SELECT count(*) FROM findings")" = "4"
! test "$(sqlite3 "$DB" "SELECT group_concat(event, ' ') FROM finding_events WHERE finding_id = 1")" = "package-removed"
$ --db $DB --now 2026-01-13T00:00:00Z findings --status package-removed --format csv
>* 1,fixhost,CVE-2026-1003,bash

### scan-2.5: feeds older than 7 days at --now are named stale
$ --db $DB --now 2026-02-01T00:00:00Z scan --asset fixhost
2> warning: stale: feed 'kev' is 22 days old (2026-01-09)
2> warning: stale: feed 'debian' is 22 days old (2026-01-10)

### scan-3.1: bad arguments: an unknown tier
$ --db $DB scan --fail-on bogus
? 2
2> patchline: --fail-on: policy 'default' has no tier 'bogus' (its tiers: 0 Emergency, 1 Critical, 2 High, 3 Medium, 4 Low)

### scan-3.2: an unknown asset
$ --db $DB scan --asset nope
? 1
2> patchline: scan: no asset 'nope' (give an id or a name)

### scan-3.3: an unknown policy
$ --db $DB scan --policy /nonexistent.yaml
? 1
2> patchline: scan:

### scan-3.4: an unknown finding
$ --db $DB explain 99
? 1
2> patchline: explain: no finding 99

### scan-3.5: a finding id that is not a number
$ --db $DB explain x1
? 2
2> patchline: want a finding id (a positive number), not 'x1'

### scan-3.6: an unknown status
$ --db $DB findings --status nope
? 2
2> patchline: --status: unknown status 'nope'

### scan-3.7: a tier the policy does not define is a usage error naming its tiers
$ --db $DB findings --tier 9
? 2
2> patchline: findings --tier: policy 'default' has no tier '9' (its tiers: 0 Emergency, 1 Critical, 2 High, 3 Medium, 4 Low)

### scan-3.7.1: nor is a number past ten tiers, or a name it lacks
$ --db $DB findings --tier 12
? 2
2> policy 'default' has no tier '12'

### scan-3.7.2: a tier by its name, any case
$ --db $DB findings --tier eMeRgEnCy --format csv
>* ,fixhost,CVE-2026-1004,openssl,3.0.11-1~deb12u2,no fix (postponed),0,

### scan-3.8: the scan is audited with its counts
$ --db $DB audit --format csv --limit 1
>* ,scan,default,"1 assets, 0 new, 3 open, 0 fixed, 0 regressed, 0 removed, 0 retired, 0 rows written"

### scan-2.6: a real fix also ends a finding under an exception (mitigated -> fixed)
! sqlite3 "$DB" "UPDATE findings SET status = 'mitigated', resolved_at = 1768176000 WHERE id = 2"
! sed -i 's/^Version: 1.21.22$/Version: 1.21.23/' "$T/root/var/lib/dpkg/status"
! "$PL" --db "$DB" --now 2026-02-02T00:00:00Z inventory collect --root "$T/root" >/dev/null
! "$PL" --db "$DB" --now 2026-02-02T00:00:00Z scan >/dev/null 2>&1
! test "$(sqlite3 "$DB" "SELECT status, resolved_at, (SELECT t.text FROM finding_texts t WHERE t.id = findings.fix_proof_ref) FROM findings WHERE id = 2")" = "fixed|1769990400|dpkg 1.21.23 >= fixed 1.21.23 (dpkg order, debian dpkg/CVE-2026-1007)"
$ --db $DB --now 2026-02-02T00:00:00Z findings --status fixed --format csv
>* 2,fixhost,CVE-2026-1007,dpkg,1.21.23,1.21.23,unscored,2026-04-10T00:00:00Z,false,true,fixed,2026-01-10T00:00:00Z

### scan-4.1: CVSS by precedence (v3.1 from NVD before the CNA's), scored from the vector
! cp -r "$FIX/inventory/root" "$T/root4"
! "$PL" --db "$T/c.db" --now 2026-01-10T00:00:00Z inventory collect --root "$T/root4" >/dev/null
! "$PL" --db "$T/c.db" --now 2026-01-10T00:00:00Z feed import "$FIX/match/tracker-cvss.json" >/dev/null
! "$PL" --db "$T/c.db" --now 2026-01-10T00:00:00Z feed import nvd "$FIX/nvd/nvd_page.json" >/dev/null
! sqlite3 "$T/c.db" "UPDATE cvss SET base_score = 9.9 WHERE source = 'nvd@nist.gov' AND version = '3.1'"
! "$PL" --db "$T/c.db" --now 2026-01-10T00:00:00Z scan >/dev/null 2>&1
! test "$(sqlite3 "$T/c.db" "SELECT version, source, computed_score FROM cvss ORDER BY id" | tr '\n' ' ')" = "3.1|nvd@nist.gov|8.8 3.1|chrome-cve-admin@google.com|9.6 2.0|nvd@nist.gov|6.8 "
$ --db $T/c.db explain 1
>* tier 1 Critical, due 7d after first seen: rule 'exploit-exposed' (builtin:default line 86)
>*   score: 8.8 (CVSS 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H)
>*   public_exploit = true (exploit references) (want true) [nvd exploit-tagged reference 2023-11-26]
>* critical-exposed-or-prod (tier 1, line 80): no 'any' group held: cvss is 8.8, want >= 9.0 [nvd@nist.gov 3.1 2023-11-26]
>*   cvss             CVSS 3.1 from nvd@nist.gov (nvd): published 9.9, computed 8.8 from the vector: they disagree, the computed score is used

### scan-5.1: a retired asset's open findings become asset-retired
! "$PL" --db "$DB" --now 2026-02-03T00:00:00Z assets retire fixhost >/dev/null
$ --db $DB --now 2026-02-03T00:00:00Z scan
>* 0 open findings (0 provisional); 0 package-removed, 2 asset-retired, 0 no longer matched but not proven fixed (left open)

### scan-5.2: ...with the retirement as their proof
! test "$(sqlite3 "$DB" "SELECT id, status FROM findings ORDER BY id" | tr "\n" " ")" = "1|package-removed 2|fixed 3|asset-retired 4|asset-retired "
! test "$(sqlite3 "$DB" "SELECT (SELECT t.text FROM finding_texts t WHERE t.id = findings.fix_proof_ref), resolved_at FROM findings WHERE id = 4")" = "asset fixhost retired|1770076800"
$ --db $DB --now 2026-02-03T00:00:00Z findings --status asset-retired --format csv
>* 3,fixhost,CVE-2026-1001,libc6
>* 4,fixhost,CVE-2026-1004,openssl

### scan-6.1: software known by CPE against NVD configurations (version ranges)
! cp -r "$FIX/inventory/root" "$T/root6"
! "$PL" --db "$T/cpe.db" --now 2026-01-10T00:00:00Z inventory collect --root "$T/root6" >/dev/null
! "$PL" --db "$T/cpe.db" --now 2026-01-10T00:00:00Z feed import nvd "$FIX/nvd/nvd_page.json" >/dev/null
! sqlite3 "$T/cpe.db" "INSERT INTO asset_cpes (asset_id, cpe, protocol, port, source, first_seen, last_seen) VALUES (1, 'cpe:/a:google:chrome:116.0.5845.100', 'tcp', 443, 'nmap', 0, 0), (1, 'cpe:2.3:a:webmproject:libwebp:1.3.1:*:*:*:*:*:*:*', '', 0, 'sbom', 0, 0)"
$ --db $T/cpe.db --now 2026-01-10T00:00:00Z findings --format json
> []

### scan-6.2: ...the application matches; the library needs its platform (an AND configuration)
! "$PL" --db "$T/cpe.db" --now 2026-01-10T00:00:00Z scan >/dev/null 2>&1
$ --db $T/cpe.db --now 2026-01-10T00:00:00Z findings --format csv
>* 1,fixhost,CVE-2023-4863,google:chrome,116.0.5845.100,116.0.5845.187,1,
! test "$(sqlite3 "$T/cpe.db" "SELECT count(*) FROM findings")" = "1"
! test "$(sqlite3 "$T/cpe.db" "SELECT (SELECT t.text FROM finding_texts t WHERE t.id = findings.evidence_ref) FROM findings WHERE id = 1")" = "cpe google:chrome 116.0.5845.100 < end 116.0.5845.187 (rpmvercmp order, NVD configuration 0: cpe:2.3:a:google:chrome:*:*:*:*:*:*:*:*)"

### scan-6.3: with the platform CPE the library's configuration holds
! sqlite3 "$T/cpe.db" "INSERT INTO asset_cpes (asset_id, cpe, protocol, port, source, first_seen, last_seen) VALUES (1, 'cpe:/o:debian:debian_linux:12.0', '', 0, 'nmap', 0, 0)"
$ --db $T/cpe.db --now 2026-01-11T00:00:00Z scan
>* 2 open findings

### scan-6.4: a new version outside the range closes the finding with proof
! sqlite3 "$T/cpe.db" "UPDATE asset_cpes SET cpe = 'cpe:/a:google:chrome:116.0.5845.187' WHERE cpe LIKE 'cpe:/a:google:chrome:%'"
! "$PL" --db "$T/cpe.db" --now 2026-01-12T00:00:00Z scan >/dev/null 2>&1
! test "$(sqlite3 "$T/cpe.db" "SELECT status, (SELECT t.text FROM finding_texts t WHERE t.id = findings.fix_proof_ref) FROM findings WHERE id = 1")" = "fixed|cpe google:chrome now at 116.0.5845.187, outside the NVD ranges"
$ --db $T/cpe.db --now 2026-01-12T00:00:00Z findings --format csv
>* 2,fixhost,CVE-2023-4863,webmproject:libwebp,1.3.1,1.3.2,
