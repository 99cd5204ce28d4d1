# Vendor bulletins (docs/third-party.md): the real Fortinet PSIRT, Palo Alto Networks and
# Cisco advisories of ../shared/data/vendor_advisories, matched against appliance
# firmware by the CPE matcher. FortiOS 6.4.4 seen by Shodan and Censys (constructed
# exports, tests/fixtures/appliance) gets CVE-2024-21762 from FG-IR-24-015 at Tier 0
# with KEV and without the NVD record; an independent reading of the bulletins
# (tests/oracle/vendor_oracle.py, over Fortinet's TSV, the PAN-OS CVE JSON 5 records
# and the Cisco CSAF trees) decides a constructed estate of 791 appliances.
skip-without-shared

### vnd-1.1: the appliances, KEV and the Fortinet bulletins (kind detected); no NVD record
! "$PL" --db "$DB" --now 2026-01-10T12:00:00Z inventory import "$FIX/appliance/shodan-fortigate-constructed.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T12:00:00Z inventory import "$FIX/appliance/censys-fortigate-constructed.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T12:00:00Z feed import "$SHARED/kev/known_exploited_vulnerabilities.json" >/dev/null
$ --db $DB --now 2026-01-10T12:00:00Z feed import $SHARED/vendor_advisories/fortinet_psirt_advisories_cvrf.jsonl.xz
>* fortinet: $SHARED/vendor_advisories/fortinet_psirt_advisories_cvrf.jsonl.xz: 884 records, 419 new, 0 updated, 465 unchanged, 0 withdrawn, released 2025-02-11T00:00:00Z

### vnd-1.2: the bulletin's rows carry its id; no NVD record is in the store
! test "$(sqlite3 "$DB" "SELECT count(*) FROM vuln_records")" = "0"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM cpe_matches WHERE origin = 'fortinet' AND advisory = 'FG-IR-24-015' AND vuln_id = 'CVE-2024-21762' AND criteria LIKE 'cpe:2.3:o:fortinet:fortios:6.4.4:%'")" = "1"
$ --db $DB --now 2026-01-10T12:00:00Z feed status
>* fortinet

### vnd-1.3: both internet-facing FortiOS 6.4.4 appliances get CVE-2024-21762 at Tier 0 from the Fortinet bulletin
$ --db $DB --now 2026-01-10T12:00:00Z scan
>* open findings

### vnd-1.3b: ...from the bulletin, under the KEV rule; FortiOS 7.4.3 has not that one (but later bulletins), nginx none
! test "$(sqlite3 "$DB" "SELECT group_concat(a.name || ' ' || f.tier || ' ' || f.installed_version || ' ' || (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.feed_ref) || ' ' || (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.rule_ref), ', ') FROM (SELECT * FROM findings ORDER BY asset_id) f JOIN assets a ON a.id = f.asset_id WHERE f.vuln_id = 'CVE-2024-21762'")" = "vpn.example.com 0 6.4.4 fortinet kev, vpn2.example.com 0 6.4.4 fortinet kev"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = '203.0.113.42'")" = "0"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = '203.0.113.41' AND f.installed_version = '7.4.3' AND (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.feed_ref) = 'fortinet'")" -gt 0
$ --db $DB --now 2026-01-10T12:00:00Z findings --format csv
>* vpn.example.com,CVE-2024-21762,fortinet:fortios,6.4.4,no fix,0,2026-01-11T12:00:00Z,false,true,open,

### vnd-1.4: explain names the advisory
! id=$(sqlite3 "$DB" "SELECT id FROM findings WHERE vuln_id = 'CVE-2024-21762' ORDER BY id LIMIT 1"); "$PL" --db "$DB" --now 2026-01-10T12:00:00Z explain "$id" >"$T/explain.txt"
! grep -q "cpe fortinet:fortios 6.4.4 listed as affected (rpmvercmp order, Fortinet advisory FG-IR-24-015: cpe:2.3:o:fortinet:fortios:6.4.4:" "$T/explain.txt" || { cat "$T/explain.txt" >&2; exit 1; }
! grep -q "rule 'kev'" "$T/explain.txt"
$ --db $DB --now 2026-01-10T12:00:00Z findings --format csv
>* vpn2.example.com,CVE-2024-21762,fortinet:fortios,6.4.4,

### vnd-1.5: every FortiOS 6.4.4 row of Fortinet's TSV (python3, independent of the import) is a finding of vpn.example.com, and nothing else
! xz -dc "$SHARED/vendor_advisories/fortinet_psirt_affected_versions.tsv.xz" | python3 -c 'import csv,sys; print("\n".join(sorted({c for r in csv.DictReader(sys.stdin, delimiter="\t") if r["product"] == "FortiOS" and r["version"] == "6.4.4" and r["status"] == "Known Affected" for c in (r["cve_ids"].split() or [r["advisory_id"]])})))' >"$T/want.txt"
! sqlite3 "$DB" "SELECT DISTINCT f.vuln_id FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'vpn.example.com' AND (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.feed_ref) = 'fortinet' ORDER BY 1" >"$T/got.txt"
! test "$(wc -l <"$T/want.txt")" -gt 50
! diff "$T/want.txt" "$T/got.txt"
$ --db $DB --now 2026-01-10T12:00:00Z findings --format csv
>* vpn.example.com,CVE-2022-42475,fortinet:fortios,6.4.4,

### vnd-1.6: the same file again replaces each bulletin's rows: nothing more, nothing less
! sqlite3 "$DB" "SELECT count(*) FROM cpe_matches" >"$T/rows1"
! "$PL" --db "$DB" --now 2026-01-10T12:00:00Z feed import fortinet "$SHARED/vendor_advisories/fortinet_psirt_advisories_cvrf.jsonl.xz" >/dev/null
! test "$(sqlite3 "$DB" "SELECT count(*) FROM cpe_matches")" = "$(cat "$T/rows1")"
$ --db $DB --now 2026-01-10T12:00:00Z feed status
>* fortinet

### vnd-2.1: a bad product id stops the import with the file, line, advisory and field; nothing changes
! xz -dc "$SHARED/vendor_advisories/fortinet_psirt_advisories_cvrf.jsonl.xz" | head -3 >"$T/bad.jsonl"
! xz -dc "$SHARED/vendor_advisories/fortinet_psirt_advisories_cvrf.jsonl.xz" | grep '"FG-IR-24-015"' | sed 's/"FortiOS-6.4.4"/"FortiOS-six"/' >>"$T/bad.jsonl"
! cp "$DB" "$T/before.db"
$ --db $DB --now 2026-01-10T12:00:00Z feed import $T/bad.jsonl
? 1
2> bad.jsonl: record 4: FG-IR-24-015: field 'product_statuses.status.product_id': 'FortiOS-six': 'six' is not a version

### vnd-2.2: ...the store is as it was
! test "$(sqlite3 "$DB" "SELECT count(*) || ' ' || max(id) FROM feeds")" = "$(sqlite3 "$T/before.db" "SELECT count(*) || ' ' || max(id) FROM feeds")"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM cpe_matches")" = "$(cat "$T/rows1")"
$ --db $DB --now 2026-01-10T12:00:00Z feed status
>* fortinet

### vnd-2.3: a PAN-OS range whose bound is not a string names the field
! xz -dc "$SHARED/vendor_advisories/paloalto_security_advisories_cve5.jsonl.xz" | grep '"cveId":"CVE-2024-3400"' | sed 's/"lessThan":"10.2.0-h3"/"lessThan":10/' >"$T/bad-pan.jsonl"
$ --db $DB --now 2026-01-10T12:00:00Z feed import $T/bad-pan.jsonl
? 1
2> bad-pan.jsonl: record 1: CVE-2024-3400: affected: field 'versions.lessThan': expected a string, got number

### vnd-3.1: PAN-OS 10.2.8-h2 .. 10.2.10, 11.1.2, 11.1.2-h3 and IOS XE 17.9.3a, 17.9.4, 17.9.4a seen by Nmap (constructed); the Palo Alto Networks records
! { echo '<?xml version="1.0"?><!-- CONSTRUCTED: not a real scan --><nmaprun scanner="nmap" args="nmap -sV" start="1767225600" version="7.93" xmloutputversion="1.05">'; i=0; for v in 10.2.8-h2 10.2.8-h3 10.2.9 10.2.9-h1 10.2.10 11.1.2 11.1.2-h3; do i=$((i+1)); echo "<host><status state=\"up\"/><address addr=\"10.9.0.$i\" addrtype=\"ipv4\"/><hostnames><hostname name=\"pa-$v\" type=\"PTR\"/></hostnames><ports><port protocol=\"tcp\" portid=\"443\"><state state=\"open\"/><service name=\"https\"><cpe>cpe:/o:paloaltonetworks:pan-os:$v</cpe></service></port></ports></host>"; done; for v in 17.9.3a 17.9.4 17.9.4a; do i=$((i+1)); echo "<host><status state=\"up\"/><address addr=\"10.9.0.$i\" addrtype=\"ipv4\"/><hostnames><hostname name=\"xe-$v\" type=\"PTR\"/></hostnames><ports><port protocol=\"tcp\" portid=\"443\"><state state=\"open\"/><service name=\"https\"><cpe>cpe:/o:cisco:ios_xe:$v</cpe></service></port></ports></host>"; done; echo '</nmaprun>'; } >"$T/small.xml"
! "$PL" --db "$T/small.db" --now 2026-01-10T12:00:00Z inventory import "$T/small.xml" >/dev/null
$ --db $T/small.db --now 2026-01-10T12:00:00Z feed import $SHARED/vendor_advisories/paloalto_security_advisories_cve5.jsonl.xz
>* paloalto: $SHARED/vendor_advisories/paloalto_security_advisories_cve5.jsonl.xz: 438 records,

### vnd-3.2: ...and Cisco's CSAF documents
$ --db $T/small.db --now 2026-01-10T12:00:00Z feed import $SHARED/vendor_advisories/cisco_csaf_asa_ftd_iosxe_2020plus.jsonl.xz
>* cisco: $SHARED/vendor_advisories/cisco_csaf_asa_ftd_iosxe_2020plus.jsonl.xz: 613 records,

### vnd-3.3: hotfixes order: CVE-2024-3400 on 10.2.8-h2, 10.2.9 and 11.1.2 with their own maintenance release's hotfix as the fix; not on 10.2.8-h3, 10.2.9-h1, 10.2.10, 11.1.2-h3
! "$PL" --db "$T/small.db" --now 2026-01-10T12:00:00Z scan >/dev/null
! test "$(sqlite3 "$T/small.db" "SELECT group_concat(a.name || ' < ' || f.fixed_version || ' ' || (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.feed_ref), ', ') FROM (SELECT * FROM findings ORDER BY asset_id) f JOIN assets a ON a.id = f.asset_id WHERE f.vuln_id = 'CVE-2024-3400'")" = "pa-10.2.8-h2 < 10.2.8-h3 paloalto, pa-10.2.9 < 10.2.9-h1 paloalto, pa-11.1.2 < 11.1.2-h3 paloalto"
$ --db $T/small.db --now 2026-01-10T12:00:00Z findings --format csv
>* pa-10.2.9,CVE-2024-3400,paloaltonetworks:pan-os,10.2.9,10.2.9-h1,

### vnd-3.4: ...explain names the advisory and the hotfix
! id=$(sqlite3 "$T/small.db" "SELECT f.id FROM findings f JOIN assets a ON a.id = f.asset_id WHERE f.vuln_id = 'CVE-2024-3400' AND a.name = 'pa-10.2.9'"); "$PL" --db "$T/small.db" --now 2026-01-10T12:00:00Z explain "$id" >"$T/explain-pan.txt"
! grep -q "cpe paloaltonetworks:pan-os 10.2.9 < fix 10.2.9-h1 (rpmvercmp order, Palo Alto Networks advisory CVE-2024-3400: cpe:2.3:o:paloaltonetworks:pan-os:\*:" "$T/explain-pan.txt" || { cat "$T/explain-pan.txt" >&2; exit 1; }
$ --db $T/small.db --now 2026-01-10T12:00:00Z findings --format csv
>* pa-11.1.2,CVE-2024-3400,paloaltonetworks:pan-os,11.1.2,11.1.2-h3,

### vnd-3.5: Cisco: IOS XE 17.9.3a and 17.9.4 have CVE-2023-20198 (cisco-sa-iosxe-webui-privesc-j22SaA4z), 17.9.4a has not
! test "$(sqlite3 "$T/small.db" "SELECT group_concat(a.name, ', ') FROM (SELECT * FROM findings ORDER BY asset_id) f JOIN assets a ON a.id = f.asset_id WHERE f.vuln_id = 'CVE-2023-20198'")" = "xe-17.9.3a, xe-17.9.4"
! sqlite3 "$T/small.db" "SELECT (SELECT t.text FROM finding_texts t WHERE t.id = findings.evidence_ref) FROM findings WHERE vuln_id = 'CVE-2023-20198' LIMIT 1" | grep -q "Cisco advisory cisco-sa-iosxe-webui-privesc-j22SaA4z"
$ --db $T/small.db --now 2026-01-10T12:00:00Z findings --format csv
>* xe-17.9.4,CVE-2023-20198,cisco:ios_xe,17.9.4,

### vnd-3.6: a PAN-OS 10.2.9 firewall seen by Shodan (constructed banner) has CVE-2024-3400; Shodan sees 10.2.9-h1 the next day
! printf '{"_shodan":{"module":"https"},"cpe23":["cpe:2.3:o:paloaltonetworks:pan-os"],"hostnames":["gp.example.com"],"ip_str":"203.0.113.50","port":443,"product":"Palo Alto Networks PAN-OS","version":"%s","timestamp":"2026-01-10T08:00:00.000000","transport":"tcp"}\n' 10.2.9 >"$T/shodan-pa.json"
! "$PL" --db "$T/small.db" --now 2026-01-10T12:00:00Z inventory import "$T/shodan-pa.json" >/dev/null
! "$PL" --db "$T/small.db" --now 2026-01-10T12:00:00Z scan >/dev/null
! test "$(sqlite3 "$T/small.db" "SELECT f.status || ' ' || f.fixed_version FROM findings f JOIN assets a ON a.id = f.asset_id WHERE f.vuln_id = 'CVE-2024-3400' AND a.name = 'gp.example.com'")" = "open 10.2.9-h1"
! sed 's/"version":"10.2.9"/"version":"10.2.9-h1"/; s/2026-01-10T08/2026-01-11T08/' "$T/shodan-pa.json" >"$T/shodan-pa-later.json"
! "$PL" --db "$T/small.db" --now 2026-01-11T12:00:00Z inventory import "$T/shodan-pa-later.json" >/dev/null
$ --db $T/small.db --now 2026-01-11T12:00:00Z scan
>* open findings

### vnd-3.7: ...the upgrade to the hotfix closes the finding as fixed, with the new version as proof
! test "$(sqlite3 "$T/small.db" "SELECT f.status || ': ' || (SELECT t.text FROM finding_texts t WHERE t.id = f.fix_proof_ref) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE f.vuln_id = 'CVE-2024-3400' AND a.name = 'gp.example.com'")" = "fixed: cpe paloaltonetworks:pan-os now at 10.2.9-h1, outside the NVD ranges"
$ --db $T/small.db --now 2026-01-11T12:00:00Z findings --status fixed --format csv
>* gp.example.com,CVE-2024-3400,

### vnd-4.1: the oracle's estate of 791 appliances and all three vendors' bulletins
! python3 "$FIX/../oracle/vendor_oracle.py" gen "$SHARED/vendor_advisories" "$T/or" >"$T/gen.log"
! "$PL" --db "$T/or.db" --now 2026-01-10T00:00:00Z inventory import "$T/or/nmap.xml" >/dev/null
! for f in fortinet_psirt_advisories_cvrf paloalto_security_advisories_cve5 cisco_csaf_asa_ftd_iosxe_2020plus; do "$PL" --db "$T/or.db" --now 2026-01-10T00:00:00Z feed import "$SHARED/vendor_advisories/$f.jsonl.xz" >/dev/null || exit 1; done
$ --db $T/or.db --now 2026-01-10T00:00:00Z scan
>* open findings

### vnd-4.2: ...Patchline's open findings are exactly the oracle's (asset, vulnerability) pairs
! "$PL" --db "$T/or.db" --now 2026-01-10T00:00:00Z findings --format csv >"$T/findings.csv"
! python3 "$FIX/../oracle/vendor_oracle.py" compare "$T/or/expected.tsv" "$T/findings.csv" >"$T/cmp.log" || { head -60 "$T/cmp.log" >&2; exit 1; }
! grep -q ", 0 missing, 0 extra" "$T/cmp.log"
! test "$(wc -l <"$T/or/expected.tsv")" -gt 10000
! test "$(grep -c pan-os "$T/or/expected.tsv")" -gt 1000
! test "$(grep -c ios-xe "$T/or/expected.tsv")" -gt 1000
$ --db $T/or.db --now 2026-01-10T00:00:00Z findings --format csv
>* ,CVE-2024-3400,paloaltonetworks:pan-os,
