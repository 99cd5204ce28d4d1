# Internet-facing appliances named by Shodan and Censys (docs/third-party.md): the
# scanners' service CPEs become software of the asset, matched against the real NVD
# record of CVE-2024-21762 (FortiOS out-of-bounds write, in KEV) from ../shared/data/nvd,
# with the real KEV catalogue. Shodan and Censys exports are constructed
# (tests/fixtures/appliance/PROVENANCE).
skip-without-shared

### app-1.1: a Shodan export: each banner's address is internet-facing, its CPEs kept
$ --db $DB --now 2026-01-10T12:00:00Z inventory import $FIX/appliance/shodan-fortigate-constructed.json
> shodan $FIX/appliance/shodan-fortigate-constructed.json: 3 records, 3 assets created, 0 merged, 0 skipped

### app-1.2: ...a versionless CPE takes the banner's version; two versionless CPEs take none
! test "$(sqlite3 "$DB" "SELECT group_concat(cpe, ' ') FROM (SELECT cpe FROM asset_cpes WHERE source = 'shodan' ORDER BY cpe) AS x")" = "cpe:2.3:a:f5:nginx cpe:2.3:o:fortinet:fortios:6.4.4 cpe:2.3:o:fortinet:fortios:7.4.3 cpe:2.3:o:linux:linux_kernel"
$ --db $DB --now 2026-01-10T12:00:00Z inventory import $FIX/appliance/censys-fortigate-constructed.json
> censys $FIX/appliance/censys-fortigate-constructed.json: 1 records, 1 assets created, 0 merged, 0 skipped

### app-1.3: ...Censys's software list: the URI's '*' version completed by the entry's version
! test "$(sqlite3 "$DB" "SELECT group_concat(cpe || ' ' || port, ', ') FROM (SELECT cpe, port FROM asset_cpes WHERE source = 'censys' ORDER BY cpe) AS x")" = "cpe:2.3:h:fortinet:fortigate:*:*:*:*:*:*:*:* 443, cpe:2.3:o:fortinet:fortios:6.4.4 443"
! xz -dc "$SHARED/nvd/nvd_cpe_third_party.jsonl.xz" | grep '"CVE-2024-21762"' > "$T/nvd-21762.jsonl"
$ --db $DB --now 2026-01-10T12:00:00Z feed import $T/nvd-21762.jsonl
>* 1 records, 1 new

### app-1.4: with KEV imported, both FortiOS 6.4.4 appliances get CVE-2024-21762 at Tier 0, and FortiOS 6.4's end of life
! "$PL" --db "$DB" --now 2026-01-10T12:00:00Z feed import "$SHARED/kev/known_exploited_vulnerabilities.json" >/dev/null
$ --db $DB --now 2026-01-10T12:00:00Z scan
>* 0 Emergency         2          0      0         0      2
>* 1 Critical          2          0      0         0      2
>* 4 open findings

### app-1.5: ...each on its internet-facing address, due in 24 hours; FortiOS 7.4.3 and nginx have none
! test "$(sqlite3 "$DB" "SELECT group_concat(a.name || ' ' || f.tier || ' ' || f.installed_version || ' ' || f.fixed_version || ' ' || (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.rule_ref), ', ') FROM (SELECT * FROM findings ORDER BY asset_id) f JOIN assets a ON a.id = f.asset_id WHERE f.vuln_id = 'CVE-2024-21762'")" = "vpn.example.com 0 6.4.4 6.4.15 kev, vpn2.example.com 0 6.4.4 6.4.15 kev"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.exposure = 'yes' AND f.vuln_id = 'CVE-2024-21762' AND f.due_at = 1768132800")" = "2"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name IN ('203.0.113.41', '203.0.113.42')")" = "0"
$ --db $DB --now 2026-01-10T12:00:00Z findings --format csv
>* vpn.example.com,CVE-2024-21762,fortinet:fortios,6.4.4,6.4.15,0,2026-01-11T12:00:00Z,false,true,open,
>* vpn2.example.com,CVE-2024-21762,fortinet:fortios,6.4.4,6.4.15,0,2026-01-11T12:00:00Z,false,true,open,
>* vpn.example.com,eol:fortios:6.4,fortios,6.4.4,7.2,1,2026-01-17T12:00:00Z,false,true,open,

### app-1.6: explain names the NVD range; the end-of-life finding its dates and the remedy
$ --db $DB --now 2026-01-10T12:00:00Z explain 1
>* cpe fortinet:fortios 6.4.4 < end 6.4.15
>* rule 'kev'

### app-1.7: ...the end of life: cycle 6.4 since 2024-09-30, upgrade to 7.2, the exposed rule
$ --db $DB --now 2026-01-10T12:00:00Z explain 2
>* appliance OS fortios 6.4.4: cycle 6.4 past end of support since 2024-09-30 (endoflife.date 2026-08-22); upgrade to cycle 7.2, supported until 2026-09-30
>* rule 'end-of-life-exposed'
>* eol = true (want true) [endoflife.date fortios 2026-08-22]

### app-1.8: the appliance upgraded: Shodan sees 7.4.3 now, the old CPE goes
! sed 's/"6.4.4"/"7.4.3"/' "$FIX/appliance/shodan-fortigate-constructed.json" > "$T/shodan-later.json"
! "$PL" --db "$DB" --now 2026-01-12T12:00:00Z inventory import "$T/shodan-later.json" >/dev/null
$ --db $DB --now 2026-01-12T12:00:00Z scan
>* 2 open findings

### app-1.9: ...both findings of vpn.example.com fixed with the proof of the new version
! test "$(sqlite3 "$DB" "SELECT count(*) FROM asset_cpes WHERE cpe = 'cpe:2.3:o:fortinet:fortios:6.4.4' AND source = 'shodan'")" = "0"
! test "$(sqlite3 "$DB" "SELECT group_concat(f.status || ': ' || (SELECT t.text FROM finding_texts t WHERE t.id = f.fix_proof_ref), ' / ') FROM (SELECT * FROM findings ORDER BY id) f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'vpn.example.com'")" = "fixed: cpe fortinet:fortios now at 7.4.3, outside the NVD ranges / fixed: fortios now at 7.4.3, cycle 7.4 supported until 2028-11-11"
$ --db $DB --now 2026-01-12T12:00:00Z findings --status fixed --format csv
>* vpn.example.com,CVE-2024-21762,fortinet:fortios,

### app-2.1: a cpe23 value that is not a CPE names file, record and field, and nothing changes
! cp "$DB" "$T/before.db"
$ --db $DB --now 2026-01-13T12:00:00Z inventory import $FIX/appliance/bad-cpe-constructed.json
? 1
2> bad-cpe-constructed.json: record 1: field 'cpe23': 'fortinet:fortios' is not a CPE

### app-2.2: ...the store is as it was
! test "$(sqlite3 "$DB" "SELECT count(*) FROM assets")" = "$(sqlite3 "$T/before.db" "SELECT count(*) FROM assets")"
$ --db $DB --now 2026-01-13T12:00:00Z findings --format csv
>* vpn2.example.com,CVE-2024-21762,
