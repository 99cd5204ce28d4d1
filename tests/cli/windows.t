# Windows: Microsoft's security update documents (MSRC CVRF XML and JSON),
# Windows assets with their build, matching by build, hand-offs naming KBs
# (issue 17). Small fixtures in tests/fixtures/msrc and tests/fixtures/windows;
# the real documents in windows_shared.t.

### win-1.1: a CVRF XML document: records are CVEs, new counts cumulative updates
$ --db $DB feed import msrc $FIX/msrc/cvrf-2026-Mar-small.xml
> msrc: $FIX/msrc/cvrf-2026-Mar-small.xml: 2 records, 3 new, 0 updated, 0 unchanged, 0 withdrawn, version 2026-Mar, released 2026-03-31T01:39:15Z

### win-1.2: every (CVE, product, KB) is kept, hotpatches and IE cumulatives included; the kind is detected
! test "$(sqlite3 "$DB" "SELECT group_concat(r, ' ') FROM (SELECT cve || '|' || product_key || '|' || kb || '|' || coalesce(subtype, '') || '|' || fixed_build || '|' || coalesce(supersedes, '') AS r FROM msrc_updates WHERE product_id <> '11924' ORDER BY cve, kb) AS x")" = "CVE-2026-24289|Windows Server 2022|KB5078737|Security Hotpatch Update|10.0.20348.4830|KB5075943 CVE-2026-24289|Windows Server 2022|KB5078766|Security Update|10.0.20348.4893|KB5075906 CVE-2026-24289|Windows 11 Version 24H2|KB5079473|Security Update|10.0.26100.8037|KB5077181 CVE-2026-25172|Windows Server 2012 R2|KB5078738|IE Cumulative|1.000| CVE-2026-25172|Windows Server 2022|KB5078766|Security Update|10.0.20348.4893|KB5075906 CVE-2026-25172|Windows Server 2012 R2|KB5078774|Monthly Rollup|6.3.9600.23074|KB5075970"
$ --db $DB feed import $FIX/msrc/cvrf-2026-Mar-small.xml
> msrc: $FIX/msrc/cvrf-2026-Mar-small.xml: 2 records, 0 new, 0 updated, 3 unchanged, 0 withdrawn, version 2026-Mar, released 2026-03-31T01:39:15Z

### win-1.3: the same document again stored nothing twice; only cumulative updates are matched
! test "$(sqlite3 "$DB" 'SELECT count(*) FROM msrc_updates')" = "8"
! test "$(sqlite3 "$DB" "SELECT group_concat(r, ' ') FROM (SELECT vuln_id || '|' || advisory || '|' || package || '|' || fixed AS r FROM affected WHERE feed = 'msrc' ORDER BY advisory, vuln_id) AS x")" = "CVE-2026-24289|MSRC-2026-Mar-KB5078766|Windows Server 2022|10.0.20348.4893 CVE-2026-25172|MSRC-2026-Mar-KB5078766|Windows Server 2022|10.0.20348.4893 CVE-2026-25172|MSRC-2026-Mar-KB5078774|Windows Server 2012 R2|6.3.9600.23074 CVE-2026-24289|MSRC-2026-Mar-KB5079473|Windows 11 Version 24H2|10.0.26100.8037"
$ --db $DB feed import msrc $FIX/msrc/cvrf-2026-Feb-small.xml
> msrc: $FIX/msrc/cvrf-2026-Feb-small.xml: 1 records, 1 new, 0 updated, 0 unchanged, 0 withdrawn, version 2026-Feb, released 2026-02-20T08:00:00Z

### win-1.4: "Exploited:Yes" is an SSVC exploitation fact of origin msrc, with Microsoft's CVSS
! test "$(sqlite3 "$DB" "SELECT group_concat(cve || '|' || publicly_disclosed || '|' || exploited || '|' || assessment, ' ') FROM msrc_exploited")" = "CVE-2026-24289|0|1|Exploitation Detected CVE-2026-25172|1|0|Exploitation More Likely"
$ --db $DB vuln CVE-2026-24289
>* active
>* CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O/RC:C

### win-1.5: the MSRC API's JSON form of the same document gives the same rows
$ --db $T/json.db feed import msrc $FIX/msrc/cvrf-2026-Mar-small.json
> msrc: $FIX/msrc/cvrf-2026-Mar-small.json: 2 records, 3 new, 0 updated, 0 unchanged, 0 withdrawn, version 2026-Mar, released 2026-03-31T01:39:15Z

### win-1.6: ...row for row
! q="SELECT document, cve, product_id, product, product_key, kb, subtype, fixed_build, supersedes, restart, severity, printf('%.1f', cvss_score), cvss_vector, released FROM msrc_updates ORDER BY 1, 2, 3, 6"; test "$(sqlite3 "$T/json.db" "$q")" = "$(sqlite3 "$DB" "$q" | grep -v '^2026-Feb' | grep -v '|12389|')"
! test "$(sqlite3 "$T/json.db" 'SELECT count(*) FROM affected')" = "4"
$ --version

### win-2.1: a malformed CVE id is refused with file, line and field
$ --db $DB feed import msrc $FIX/msrc/cvrf-bad-cve.xml
? 1
2> $FIX/msrc/cvrf-bad-cve.xml:81: element 'Vulnerability': field 'CVE': 'CVE-26-25172' is not a CVE id

### win-2.2: a score that is not a number
$ --db $DB feed import msrc $FIX/msrc/cvrf-bad-score.xml
? 1
2> $FIX/msrc/cvrf-bad-score.xml:96: element 'BaseScore': 'eight' is not a CVSS score

### win-2.3: a truncated document
$ --db $DB feed import msrc $FIX/msrc/cvrf-truncated.xml
? 1
2> $FIX/msrc/cvrf-truncated.xml:18: truncated XML

### win-2.4: another XML document is not taken for a CVRF one
$ --db $DB feed import msrc $FIX/msrc/not-cvrf.xml
? 1
2> $FIX/msrc/not-cvrf.xml:2: root element 'feed' is not 'cvrfdoc' (not an MSRC CVRF document)

### win-2.5: the refused imports changed nothing
! test "$(sqlite3 "$DB" 'SELECT count(*) FROM msrc_updates')" = "9"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM feeds WHERE kind = 'msrc'")" = "3"
$ --version

### win-3.1: Windows hosts from the PowerShell one-liner (a simulated store: the clock is set)
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/win.db" init --simulated >/dev/null
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/win.db" feed import msrc "$FIX/msrc/cvrf-2026-Mar-small.xml" >/dev/null
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/win.db" feed import msrc "$FIX/msrc/cvrf-2026-Feb-small.xml" >/dev/null
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/win.db inventory import $FIX/windows/computerinfo.json
> windows $FIX/windows/computerinfo.json: 3 records, 3 assets created, 0 merged, 0 skipped

### win-3.2: each host's build (with its revision) is its product's package; installed KBs are kept
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/win.db packages WINSRV01
> name                 version          arch  source  source_version  ecosystem
> Windows Server 2022  10.0.20348.4773        -       -               msrc
> KB5074998            installed              -       -               windows-kb
> KB5075906            installed              -       -               windows-kb
! test "$(sqlite3 "$T/win.db" "SELECT group_concat(name || '|' || kind || '|' || os_version, ' ') FROM (SELECT * FROM assets ORDER BY name) AS x")" = "LAPTOP-7|endpoint|10.0.26100.7623 WINSRV01|host|10.0.20348.4773 WINSRV02|host|10.0.20348.4893"
! test "$(sqlite3 "$T/win.db" "SELECT group_concat(value, ' ') FROM (SELECT value FROM asset_identifiers WHERE kind = 'fqdn' ORDER BY 1) AS x")" = "winsrv01.corp.example.com winsrv02.corp.example.com"

### win-3.3: a missing revision, a bad revision, a bad KB: refused with host and field, nothing stored
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/win.db inventory import windows $FIX/windows/no-ubr.json
? 1
2> $FIX/windows/no-ubr.json: host 3: field 'UBR': missing (the revision of the build; see the one-liner in docs/inventory-sources.md)

### win-3.4: ...a revision that is not a number
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/win.db inventory import windows $FIX/windows/bad-ubr.json
? 1
2> $FIX/windows/bad-ubr.json: host 2: field 'UBR': want a number 0-999999

### win-3.5: ...an installed update that is not a KB
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/win.db inventory import windows $FIX/windows/bad-hotfix.json
? 1
2> $FIX/windows/bad-hotfix.json: host 2 OsHotFixes[0]: field 'HotFixID': '5078766' is not a KB number

### win-4.1: matching by build: one cumulative update behind, each CVE of the missing update; at the fixed build, none
! test "$(sqlite3 "$T/win.db" 'SELECT count(*) FROM packages')" = "6"
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/win.db scan
>* 3 open findings

### win-4.2: the findings name the product, the builds and the cumulative update (advisory) that fixes them
! test "$(sqlite3 "$T/win.db" "SELECT group_concat(r, ' ') FROM (SELECT a.name || '|' || f.vuln_id || '|' || f.package || '|' || f.installed_version || '|' || f.fixed_version || '|' || (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.advisory_ref) AS r FROM findings f JOIN assets a ON a.id = f.asset_id ORDER BY a.name, f.vuln_id) AS x")" = "LAPTOP-7|CVE-2026-24289|Windows 11 Version 24H2|10.0.26100.7623|10.0.26100.8037|MSRC-2026-Mar-KB5079473 WINSRV01|CVE-2026-24289|Windows Server 2022|10.0.20348.4773|10.0.20348.4893|MSRC-2026-Mar-KB5078766 WINSRV01|CVE-2026-25172|Windows Server 2022|10.0.20348.4773|10.0.20348.4893|MSRC-2026-Mar-KB5078766"
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/win.db explain 2
>*   comparison       binary Windows Server 2022 10.0.20348.4773 < fixed 10.0.20348.4893 (rpmvercmp order, msrc)
>*   advisory         MSRC-2026-Mar-KB5078766

### win-4.3: "Exploited:Yes" is seen as KEV is, on every asset: Tier 0 on servers that are not exposed
! for a in WINSRV01 WINSRV02 LAPTOP-7; do PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/win.db" assets set $a env=prod exposure=no owner=ops >/dev/null || exit 1; done
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/win.db" scan >/dev/null 2>&1
! test "$(sqlite3 "$T/win.db" "SELECT group_concat(r, ' ') FROM (SELECT a.name || '|' || f.vuln_id || '|' || f.tier || '|' || (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.rule_ref) AS r FROM findings f JOIN assets a ON a.id = f.asset_id ORDER BY a.name, f.vuln_id) AS x")" = "LAPTOP-7|CVE-2026-24289|0|vendor-exploited WINSRV01|CVE-2026-24289|0|vendor-exploited WINSRV01|CVE-2026-25172|2|high-exposed-or-prod"
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/win.db explain 2
>* rule 'vendor-exploited'
>* vendor_exploited = true (want true) [msrc 2026-Mar 2026-03-31]

### win-5.1: a plan of the Windows findings (tiered here by a policy without the vendor-exploited rule): one wave per ring, the packages are the products at their fixed builds
! sed '/- name: vendor-exploited/,/^$/d' "$FIX/../../docs/policy-default.yaml" | sed 's/^policy: default/policy: no-vendor-exploited/' > "$T/no-vendor.yaml"
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/win.db" scan --policy "$T/no-vendor.yaml" >/dev/null 2>&1
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/win.db" plan waive-soak "Windows Server 2022" 10.0.20348.4893 --reason "no staging Windows servers" >/dev/null || exit 1
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/win.db" plan waive-soak "Windows 11 Version 24H2" 10.0.26100.8037 --reason "no staging endpoints" >/dev/null || exit 1
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/win.db plan
>* plan 1: 2 waves, 3 findings within 30d

### win-5.2: the WSUS hand-off approves exactly the cumulative update each ring needs, and the ring's classification rule
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/win.db handoff wsus --rollout 1 --rule-deadline-days 5 -o $T/wsus
>* $T/wsus/wsus/prod-ring1-prod-nightly-20260402.ps1
>* $T/wsus/wsus/prod-ring3-prod-nightly-20260402.ps1

### win-5.3: ...KB5078766 for the Windows Server 2022 ring, KB5079473 for the Windows 11 ring
! test "$(sed -n '/^\$updates = @(/,/^)/p' "$T/wsus/wsus/prod-ring1-prod-nightly-20260402.ps1" | tr -d ' \n')" = "\$updates=@('KB5078766')"
! test "$(sed -n '/^\$updates = @(/,/^)/p' "$T/wsus/wsus/prod-ring3-prod-nightly-20260402.ps1" | tr -d ' \n')" = "\$updates=@('KB5079473')"
! grep -qxF "    'WINSRV01'" "$T/wsus/wsus/prod-ring1-prod-nightly-20260402.ps1"
! grep -qxF '$rule = $wsus.GetInstallApprovalRules() | Where-Object { $_.Name -eq $ruleName }' "$T/wsus/wsus/prod-ring1-prod-nightly-20260402.ps1"
! grep -qxF '$ruleDeadline.DayOffset = 5' "$T/wsus/wsus/prod-ring1-prod-nightly-20260402.ps1"
$ --version

### win-5.4: Intune: the Windows 11 endpoint's ring gets its update ring
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/win.db handoff intune --rollout 1 -o $T/intune
>* $T/intune/intune/prod-ring3.json
