# Third-party software (docs/third-party.md): MDM application lists and SBOM
# components named by the product map, matched against NVD CPE
# configurations in each product's version order. Fixtures: tests/fixtures/thirdparty
# (the Intune and Jamf exports are constructed; the NVD records are real).
# Set-up lines (!) run before their case's command: checks of a command's
# effect stand in the case after it.

### tp-1.1: MDM exports, an SBOM and NVD records as JSON lines (kind detected)
$ --db $DB --now 2026-01-10T00:00:00Z inventory import $FIX/thirdparty/intune-constructed.json
> intune $FIX/thirdparty/intune-constructed.json: 2 records, 2 assets created, 0 merged, 0 skipped

### tp-1.2: ...the NVD records keep their AND configurations
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import "$FIX/thirdparty/jamf-constructed.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import "$FIX/sbom/app.cdx.json" >/dev/null
$ --db $DB --now 2026-01-10T00:00:00Z feed import $FIX/thirdparty/nvd-cpe.jsonl
> nvd-cve: $FIX/thirdparty/nvd-cpe.jsonl: 4 records, 4 new, 0 updated, 0 unchanged, 0 withdrawn, released 2025-10-21T20:20:56Z

### tp-1.3: the scan matches mapped software and tiers it like any finding
! test "$(sqlite3 "$DB" "SELECT count(*) FROM cpe_matches WHERE vuln_id = 'CVE-2025-6554' AND config_operator = 'AND'")" = "5"
$ --db $DB --now 2026-01-10T00:00:00Z scan
>* 9 open findings

### tp-1.4: ...browsers from Intune and Jamf (the 24-hour browser lane: due 24 hours after the fix's release, here the NVD record's publication, so overdue), the log4j of an SBOM
$ --db $DB --now 2026-01-10T00:00:00Z findings --format csv
>* 1,CONSTRUCTED-WIN-01,CVE-2023-4863,Google Chrome,116.0.5845.140,116.0.5845.187,1,2023-09-13T15:15:24Z,true,true,open,
>* CONSTRUCTED-WIN-01,CVE-2023-4863,Microsoft Edge,116.0.1938.62,117.0.2045.31,1,
>* CONSTRUCTED-MAC-01,CVE-2023-4863,Firefox.app,117.0,117.0.1,1,
>* CONSTRUCTED-MAC-02,CVE-2023-4863,Google Chrome.app,116.0.5845.140,116.0.5845.187,1,
>* shop-api 2.3.0,CVE-2021-45046,org.apache.logging.log4j:log4j-core,2.14.1,2.16.0,1,

### tp-1.5: the evidence names the package, its CPE, the order and the configuration
! test "$(sqlite3 "$DB" "SELECT (SELECT t.text FROM finding_texts t WHERE t.id = findings.evidence_ref) FROM findings WHERE id = 1")" = "windows-app package 'Google Chrome' is cpe google:chrome 116.0.5845.140 < end 116.0.5845.187 (rpmvercmp order, NVD configuration 0: cpe:2.3:a:google:chrome:*:*:*:*:*:*:*:*)"
! test "$(sqlite3 "$DB" "SELECT (SELECT ft.text FROM finding_texts ft WHERE ft.id = feed_ref), origin FROM findings WHERE id = 1")" = "nvd|match"
! test "$(sqlite3 "$DB" "SELECT (SELECT t.text FROM finding_texts t WHERE t.id = findings.evidence_ref) FROM findings WHERE package LIKE 'org.apache%'")" = "maven package 'org.apache.logging.log4j:log4j-core' is cpe apache:log4j 2.14.1 < end 2.16.0 (maven order, NVD configuration 0: cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*)"
$ --db $DB --now 2026-01-10T00:00:00Z explain 1
>* google:chrome 116.0.5845.140 < end 116.0.5845.187
>* tier 1 Critical, due 2023-09-13T15:15:24Z (1d after the fixed version's release), or 7d after first seen if that is earlier: rule 'browser-security-fix'
>* clock: the fixed version's release [nvd CVE-2023-4863 published (no release date of 116.0.5845.187) 2023-09-12T15:15:24Z]
>* class = browser (want browser) [product map google:chrome]

### tp-1.5a: the log4j finding of the SBOM is no browser: its tier's SLA
! test "$(sqlite3 "$DB" "SELECT (SELECT ft.text FROM finding_texts ft WHERE ft.id = rule_ref) FROM findings WHERE package LIKE 'org.apache%'")" != "browser-security-fix"
$ --db $DB --now 2026-01-10T00:00:00Z findings --format json
>* "vuln": "CVE-2021-45046"

### tp-1.6: "running on" platforms: Chrome 138.0.7204.93 is vulnerable on Windows (< .96), not on macOS (< .92)
! test "$(sqlite3 "$DB" "SELECT a.name FROM findings f JOIN assets a ON a.id = f.asset_id WHERE f.vuln_id = 'CVE-2025-6554' AND f.installed_version = '138.0.7204.93'")" = "CONSTRUCTED-WIN-02"
! test "$(sqlite3 "$DB" "SELECT fixed_version FROM findings f JOIN assets a ON a.id = f.asset_id WHERE f.vuln_id = 'CVE-2025-6554' AND a.name = 'CONSTRUCTED-MAC-02'")" = "138.0.7204.92"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM findings WHERE package LIKE 'Python%' OR package LIKE 'Contoso%' OR package LIKE 'Keynote%'")" = "0"
$ --db $DB --now 2026-01-10T00:00:00Z findings --asset CONSTRUCTED-MAC-01 --format csv
>* CONSTRUCTED-MAC-01,CVE-2023-4863,Firefox.app,

### tp-1.7: an upgrade past the range closes the finding with proof from the inventory
! sqlite3 "$DB" "UPDATE packages SET version = '116.0.5845.187' WHERE name = 'Google Chrome' AND version = '116.0.5845.140'"
$ --db $DB --now 2026-01-11T00:00:00Z scan
>* 8 open findings

### tp-1.8: ...fixed with its proof; the later CVE stays open at the new version
! test "$(sqlite3 "$DB" "SELECT status, (SELECT t.text FROM finding_texts t WHERE t.id = findings.fix_proof_ref) FROM findings WHERE id = 1")" = "fixed|cpe Google Chrome now at 116.0.5845.187, outside the NVD ranges"
! test "$(sqlite3 "$DB" "SELECT status, installed_version FROM findings WHERE id = 2")" = "open|116.0.5845.187"
$ --db $DB --now 2026-01-11T00:00:00Z findings --status fixed --format csv
>* 1,CONSTRUCTED-WIN-01,CVE-2023-4863,Google Chrome,

### tp-2.1: PAN-OS hotfix versions: NVD's exact versions with an update ("10.2.3:h12", "10.2.9:-")
! sqlite3 "$DB" "INSERT INTO asset_cpes (asset_id, cpe, source, first_seen, last_seen) VALUES (1, 'cpe:/o:paloaltonetworks:pan-os:10.2.9', 'nmap', 0, 0), (2, 'cpe:2.3:o:paloaltonetworks:pan-os:10.2.9:h1:*:*:*:*:*:*', 'nmap', 0, 0), (3, 'cpe:/o:paloaltonetworks:pan-os:10.2.3-h12', 'nmap', 0, 0), (4, 'cpe:/o:paloaltonetworks:pan-os:10.2.3-h13', 'nmap', 0, 0), (5, 'cpe:/o:paloaltonetworks:pan-os:10.2.10', 'nmap', 0, 0)"
$ --db $DB --now 2026-01-12T00:00:00Z scan
>* 15 open findings

### tp-2.2: ...10.2.9 and 10.2.3-h12 are listed; 10.2.9-h1, 10.2.3-h13 and 10.2.10 are not (all five are PAN-OS 10.2, past its end of life)
! test "$(sqlite3 "$DB" "SELECT count(*) || ' ' || min(installed_version) || ' ' || min(fixed_version) FROM findings WHERE vuln_id = 'eol:pan-os:10.2'")" = "5 10.2.10 11.2.13-h1"

! test "$(sqlite3 "$DB" "SELECT group_concat(asset_id || ' ' || installed_version, ', ') FROM (SELECT asset_id, installed_version FROM findings WHERE vuln_id = 'CVE-2024-3400' ORDER BY asset_id) AS x")" = "1 10.2.9, 3 10.2.3-h12"
$ --db $DB --now 2026-01-12T00:00:00Z findings --asset 3 --format csv
>* CVE-2024-3400,paloaltonetworks:pan-os,10.2.3-h12,

### tp-3.1: a bad product map rule names file, line and field, and nothing changes
! cp "$DB" "$T/before.db"
= PATCHLINE_PRODUCT_MAP=$FIX/thirdparty/map-bad.tsv
$ --db $DB --now 2026-01-13T00:00:00Z scan
? 1
2> map-bad.tsv:2: field 'cpe': 'contoso-expenses' is not part:vendor:product

### tp-3.2: ...a user's rule maps the in-house application (read before the shipped rules)
! test "$(sqlite3 "$DB" "SELECT count(*) FROM finding_events")" = "$(sqlite3 "$T/before.db" "SELECT count(*) FROM finding_events")"
= PATCHLINE_PRODUCT_MAP=$FIX/thirdparty/map-user.tsv
$ --db $DB --now 2026-01-13T00:00:00Z scan
>* 15 open findings

### tp-3.3: a changed map rescans assets that did not change (here the in-house app named as Chrome 4.2.0)
! printf 'windows-app\tcontoso expenses\ta:google:chrome\tbrowser\trpmvercmp\n' > "$T/map-chrome.tsv"
= PATCHLINE_PRODUCT_MAP=$T/map-chrome.tsv
$ --db $DB --now 2026-01-13T00:00:00Z scan
>* 19 open findings

### tp-4.1: a bad NVD line is named by its record and field; nothing is imported
! printf '%s\n' '{"id":"CVE-2024-0001","sourceIdentifier":"x","vulnStatus":"Analyzed","lastModified":"2024-01-01T00:00:00.000"}' '{"id":"nope","sourceIdentifier":"x","vulnStatus":"y","lastModified":"2024-01-01T00:00:00.000"}' > "$T/bad.jsonl"
$ --db $DB --now 2026-01-13T00:00:00Z feed import $T/bad.jsonl
? 1
2> record 2: field 'cve.id': 'nope' is not a CVE id

### tp-4.2: ...the first line's record is not kept
! test "$(sqlite3 "$DB" "SELECT count(*) FROM vuln_records WHERE vuln_id = 'CVE-2024-0001'")" = "0"
$ --db $DB --now 2026-01-13T00:00:00Z vuln CVE-2024-0001
? 1

### tp-5.1: software lists each asset's third-party software with its product CPE and class
$ --db $DB software CONSTRUCTED-WIN-01 --format csv
>* asset,name,version,ecosystem,cpe,class,compared
>* CONSTRUCTED-WIN-01,Contoso Expenses,4.2.0,windows-app,,,
>* CONSTRUCTED-WIN-01,Google Chrome,116.0.5845.187,windows-app,cpe:2.3:a:google:chrome:116.0.5845.187:*:*:*:*:*:*:*,browser,true
>* CONSTRUCTED-WIN-01,Microsoft Edge,116.0.1938.62,windows-app,cpe:2.3:a:microsoft:edge_chromium:116.0.1938.62:*:*:*:*:*:*:*,browser,true
>* CONSTRUCTED-WIN-01,Python 3.11.4 (64-bit),3.11.4150.0,windows-app,cpe:2.3:a:python:python:3.11.4150.0:*:*:*:*:*:*:*,runtime,false
>* CONSTRUCTED-WIN-01,cpe:/o:paloaltonetworks:pan-os:10.2.9,,cpe,cpe:/o:paloaltonetworks:pan-os:10.2.9,network-appliance,true

### tp-5.2: ...--unmapped: the names no rule maps, most frequent first
$ --db $DB software --unmapped --format csv
>* count,ecosystem,name
>* 2,windows-app,Contoso Expenses
>* 1,macos-app,Keynote.app
>* 1,npm,'@babel/core
>* 1,npm,express
>* 1,npm,lodash
>* 1,npm,qs

### tp-5.3: ...a user's rule maps the in-house application
= PATCHLINE_PRODUCT_MAP=$FIX/thirdparty/map-user.tsv
$ --db $DB software --unmapped --format csv
>* count,ecosystem,name
>* 1,macos-app,Keynote.app
>* 1,npm,'@babel/core
>* 1,npm,express
>* 1,npm,lodash
>* 1,npm,qs

### tp-5.4: a read: an unknown asset is an error; the most frequent unmapped name comes first
! test "$("$PL" --db "$DB" software --unmapped --format csv | tr -d '\r' | sed -n 2p)" = "2,windows-app,Contoso Expenses"
$ --db $DB software no-such-asset
? 1
2> no-such-asset

### tp-6.1: the vendor versions' order (docs/third-party.md): PAN-OS hotfixes, Cisco letters, Ivanti releases
< 10.2.9	10.2.9-h1
< 10.2.9-h1	10.2.9-h10
< 10.2.9-h10	10.2.10
< 17.9.4	17.9.4a
< 17.9.4a	17.9.5
< 22.7r2.3	22.7r2.10
< 116.0.5845.140	116.0.5845.187
$ vercmp --scheme rpmvercmp
> -1
> -1
> -1
> -1
> -1
> -1
> -1
