# Windows computers from the update servers' reports (Configuration Manager
# CSV, Get-WsusComputer JSON), Microsoft products at their builds, the
# supersedence of cumulative updates in the WSUS hand-off, and the Intune
# ring of an out-of-cycle (emergency) wave (issue 17). Fixtures constructed
# from the documented columns and properties: tests/fixtures/windows/*-constructed.*

### winrep-1.1: a Configuration Manager report: one asset per computer, its updates on several rows
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/w.db" init --simulated >/dev/null
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/w.db" feed import msrc "$FIX/msrc/cvrf-2026-Mar-small.xml" >/dev/null
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/w.db" feed import msrc "$FIX/msrc/cvrf-2026-Feb-small.xml" >/dev/null
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db inventory import $FIX/windows/sccm-computers-constructed.csv
> sccm $FIX/windows/sccm-computers-constructed.csv: 4 records, 4 assets created, 0 merged, 0 skipped

### winrep-1.2: the build is the product's msrc package, HotFixID0 the installed updates; no BuildExt: no build
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db packages WINSRV03
> name                 version          arch  source  source_version  ecosystem
> Windows Server 2022  10.0.20348.4650        -       -               msrc
> KB5073457            installed              -       -               windows-kb
> KB5074998            installed              -       -               windows-kb

### winrep-1.3: WSUS computers: FQDN, address, role; a version without its revision gives no build
! test "$(sqlite3 "$T/w.db" "SELECT group_concat(r, ' ') FROM (SELECT a.name || '|' || a.kind || '|' || coalesce(a.os_version, '-') || '|' || (SELECT count(*) FROM packages p WHERE p.asset_id = a.id) AS r FROM assets a ORDER BY a.name)")" = "DESK-9|endpoint|10.0.26100.8037|1 STALE-1|endpoint|-|0 WINSRV03|host|10.0.20348.4650|3 WINSRV04|host|10.0.20348.4893|2"
! test "$(sqlite3 "$T/w.db" "SELECT value FROM asset_identifiers WHERE kind = 'fqdn' ORDER BY 1 LIMIT 1")" = "desk-9.corp.example.com"
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db inventory import $FIX/windows/wsus-computers-constructed.json
> wsus $FIX/windows/wsus-computers-constructed.json: 3 records, 3 assets created, 0 merged, 0 skipped

### winrep-1.4: rows of one computer that are not together are refused, nothing stored
! test "$(sqlite3 "$T/w.db" "SELECT group_concat(r, ' ') FROM (SELECT a.name || '|' || a.kind || '|' || coalesce((SELECT p.name || '=' || p.version FROM packages p WHERE p.asset_id = a.id), '-') AS r FROM assets a WHERE a.name IN ('winsrv05', 'laptop-8', 'old-9') ORDER BY a.name)")" = "laptop-8|endpoint|Windows 11 Version 24H2=10.0.26100.7623 old-9|endpoint|- winsrv05|host|Windows Server 2022=10.0.20348.4773"
! test "$(sqlite3 "$T/w.db" "SELECT i.value || '|' || i.scope FROM asset_identifiers i JOIN assets a ON a.id = i.asset_id WHERE a.name = 'winsrv05' AND i.kind = 'ip'")" = "10.0.5.5|default"
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db inventory import sccm $FIX/windows/sccm-not-together-constructed.csv
? 1
2> sccm-not-together-constructed.csv:4: column 'Name0': the rows of computer 'winsrv03' are not together (export the report ORDER BY Name0)

### winrep-1.5: a build without its revision, a version that is not one, a product version that is not a build
! test "$(sqlite3 "$T/w.db" "SELECT count(*) FROM packages p JOIN assets a ON a.id = p.asset_id WHERE a.name = 'WINSRV03'")" = "3"
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db inventory import $FIX/windows/sccm-bad-build-constructed.csv
? 1
2> sccm-bad-build-constructed.csv:2: column 'BuildExt': '10.0.20348' is not a Windows build with its revision (10.0.20348.4773)

### winrep-1.6: ...
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db inventory import wsus $FIX/windows/wsus-bad-version-constructed.json
? 1
2> wsus-bad-version-constructed.json: computer 1: field 'OSVersion': 'ten' is not a Windows version (10.0.20348.4773)

### winrep-1.7: ...
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db inventory import windows $FIX/windows/products-bad-version-constructed.json
? 1
2> products-bad-version-constructed.json: host 1 Products[0]: field 'Version': 'CU23' is not a dotted build number

### winrep-2.1: matching: WINSRV03 lacks February's and March's cumulative updates: each CVE names its own
! test "$(sqlite3 "$T/w.db" "SELECT count(*) FROM assets")" = "7"
! for a in WINSRV03 WINSRV04 DESK-9 winsrv05 laptop-8; do PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/w.db" assets set $a env=prod exposure=no owner=ops >/dev/null || exit 1; done
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db scan
>* 6 open findings

### winrep-2.2: the emergency wave carries every finding of its hosts' packages
! test "$(sqlite3 "$T/w.db" "SELECT group_concat(r, ' ') FROM (SELECT a.name || '|' || f.vuln_id || '|' || (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.advisory_ref) || '|' || f.tier AS r FROM findings f JOIN assets a ON a.id = f.asset_id ORDER BY a.name, f.vuln_id)")" = "WINSRV03|CVE-2026-21519|MSRC-2026-Feb-KB5075906|2 WINSRV03|CVE-2026-24289|MSRC-2026-Mar-KB5078766|0 WINSRV03|CVE-2026-25172|MSRC-2026-Mar-KB5078766|2 laptop-8|CVE-2026-24289|MSRC-2026-Mar-KB5079473|0 winsrv05|CVE-2026-24289|MSRC-2026-Mar-KB5078766|0 winsrv05|CVE-2026-25172|MSRC-2026-Mar-KB5078766|2"
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/w.db" plan waive-soak "Windows Server 2022" 10.0.20348.4893 --reason "no staging Windows servers" >/dev/null || exit 1
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/w.db" plan waive-soak "Windows 11 Version 24H2" 10.0.26100.8037 --reason "no staging endpoints" >/dev/null || exit 1
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db plan
>* plan 1: 1 waves, 5 findings within 30d

### winrep-2.3: supersedence: WSUS approves March's cumulative update, which holds February's; never February's own
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db handoff wsus --rollout 1 -o $T/wsus
>* $T/wsus/wsus/prod-ring0-immediately-20260401.ps1

### winrep-2.4: Intune: the emergency wave's one-time window becomes a daily install at its time, no deferral, a 1-day deadline
! test "$(sed -n '/^\$updates = @(/,/^)/p' "$T/wsus/wsus/prod-ring0-immediately-20260401.ps1" | tr -d ' \n')" = "\$updates=@('KB5078766''KB5079473')"
! ! grep -q KB5075906 "$T/wsus/wsus/prod-ring0-immediately-20260401.ps1"
! grep -qxF "    'WINSRV03'" "$T/wsus/wsus/prod-ring0-immediately-20260401.ps1"
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db handoff intune --rollout 1 -o $T/intune
>* $T/intune/intune/prod-ring0.json

### winrep-2.5: the host at March's build: every finding of both months closes as fixed
! f="$T/intune/intune/prod-ring0.json"; python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=d["installationSchedule"]; assert d["@odata.type"] == "#microsoft.graph.windowsUpdateForBusinessConfiguration"; assert s["@odata.type"] == "#microsoft.graph.windowsUpdateScheduledInstall"; assert s["scheduledInstallDay"] == "everyday", s; assert s["scheduledInstallTime"] == "00:00:00.0000000", s; assert d["qualityUpdatesDeferralPeriodInDays"] == 0; assert d["deadlineForQualityUpdatesInDays"] == 1' "$f"
! sed 's/10.0.20348.4650/10.0.20348.4893/' "$FIX/windows/sccm-computers-constructed.csv" > "$T/sccm-next.csv"
! PATCHLINE_NOW=2026-04-08T00:00:00Z "$PL" --db "$T/w.db" inventory import sccm "$T/sccm-next.csv" >/dev/null
! PATCHLINE_NOW=2026-04-08T00:00:00Z "$PL" --db "$T/w.db" scan >/dev/null 2>&1
! test "$(sqlite3 "$T/w.db" "SELECT group_concat(r, ' ') FROM (SELECT f.vuln_id || '|' || f.status AS r FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'WINSRV03' ORDER BY f.vuln_id)")" = "CVE-2026-21519|fixed CVE-2026-24289|fixed CVE-2026-25172|fixed"
$ --version
