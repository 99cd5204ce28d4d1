# Release dates in the policy (docs/third-party.md, docs/policy.md): `release_age` and the
# default policy's mark on network appliances more than two years old, RDS minor-version
# lag as a normal finding and a major upgrade labelled a project, and the 24-hour browser
# lane counted from the fixed version's release. Real data from ../shared/data (eol, nvd,
# vendor_advisories); the Shodan, Intune and Jamf exports are constructed
# (tests/fixtures/appliance, tests/fixtures/thirdparty), and so are the PAN-OS banners and
# the Chrome release-data line below (each says so).
skip-without-shared

### rel-1.1: FortiOS 6.4.4 seen by Shodan and Censys, Fortinet's bulletin FG-IR-24-015 (real)
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory import "$FIX/appliance/shodan-fortigate-constructed.json" >/dev/null
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory import "$FIX/appliance/censys-fortigate-constructed.json" >/dev/null
! xz -dc "$SHARED/vendor_advisories/fortinet_psirt_advisories_cvrf.jsonl.xz" | grep '"FG-IR-24-015"' > "$T/fg-ir-24-015.jsonl"
$ --db $DB --now 2026-12-01T00:00:00Z feed import $T/fg-ir-24-015.jsonl
>* 1 records, 1 new

### rel-1.2: PAN-OS 11.0.6-h1 (the latest of 11.0, released 2024-11-17) and 10.2.18-h9 (the latest of 10.2, 2026-07-21): constructed banners
! printf '%s\n' '{"_shodan":{"module":"https"},"cpe23":["cpe:2.3:o:paloaltonetworks:pan-os"],"hostnames":["fw-old.example.com"],"ip_str":"203.0.113.50","port":443,"product":"PAN-OS (constructed)","version":"11.0.6-h1","timestamp":"2026-11-30T08:00:00.000000","transport":"tcp"}' '{"_shodan":{"module":"https"},"cpe23":["cpe:2.3:o:paloaltonetworks:pan-os"],"hostnames":["fw-new.example.com"],"ip_str":"203.0.113.51","port":443,"product":"PAN-OS (constructed)","version":"10.2.18-h9","timestamp":"2026-11-30T08:00:00.000000","transport":"tcp"}' > "$T/shodan-panos-constructed.json"
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $T/shodan-panos-constructed.json
>* 2 records, 2 assets created

### rel-1.3: the scan: CVE-2024-21762 and FortiOS 6.4's end of life on both 6.4.4 appliances, PAN-OS 11.0 and 10.2 past their end
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 6 open findings

### rel-1.4: FortiOS 6.4.4 is flagged as more than two years old: release line 6.4 first released 2020-03-31 (no date of 6.4.4 itself in the data), 2436 days; the tier stays the risk's
! id=$(sqlite3 "$DB" "SELECT f.id FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'vpn.example.com' AND f.vuln_id = 'CVE-2024-21762'"); "$PL" --db "$DB" --now 2026-12-01T00:00:00Z explain "$id" > "$T/ex1.txt"
! grep -q "mark 'appliance-os-over-two-years' (builtin:default line" "$T/ex1.txt"
! grep -qF "release_age = 2436 days (fortios release line 6.4 (first release; 6.4.4 has no date of its own) released 2020-03-31) (want > 730) [endoflife.date 2026-08-22" "$T/ex1.txt"
! grep -qF "class = network-appliance (want network-appliance)" "$T/ex1.txt"
$ --db $DB --now 2026-12-01T00:00:00Z explain 1 --format json
>* "mark":{"name":"appliance-os-over-two-years"

### rel-1.5: ...its end-of-life finding carries the mark too (class network-appliance from the endoflife.date product)
! id=$(sqlite3 "$DB" "SELECT f.id FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'vpn.example.com' AND f.vuln_id = 'eol:fortios:6.4'"); "$PL" --db "$DB" --now 2026-12-01T00:00:00Z explain "$id" > "$T/ex2.txt"
! grep -q "rule 'end-of-life-exposed'" "$T/ex2.txt"
! grep -q "mark 'appliance-os-over-two-years'" "$T/ex2.txt"
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* vpn.example.com,eol:fortios:6.4,fortios,6.4.4,

### rel-1.6: PAN-OS 11.0.6-h1 is dated exactly (the latest of its cycle, 2024-11-17): 744 days, flagged; 10.2.18-h9 (2026-07-21, 133 days) is not, although its line is from 2022
! id=$(sqlite3 "$DB" "SELECT f.id FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'fw-old.example.com' AND f.vuln_id = 'eol:pan-os:11.0'"); "$PL" --db "$DB" --now 2026-12-01T00:00:00Z explain "$id" > "$T/ex3.txt"
! grep -qF "release_age = 744 days (pan-os 11.0.6-h1 released 2024-11-17)" "$T/ex3.txt"
! id=$(sqlite3 "$DB" "SELECT f.id FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'fw-new.example.com' AND f.vuln_id = 'eol:pan-os:10.2'"); "$PL" --db "$DB" --now 2026-12-01T00:00:00Z explain "$id" > "$T/ex4.txt"
! ! grep -q "mark 'appliance-os-over-two-years'" "$T/ex4.txt"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM findings WHERE vuln_id LIKE 'eol:pan-os:%'")" = "2"
$ --db $DB --now 2026-12-01T00:00:00Z explain 1
>* mark 'appliance-os-over-two-years'

### rel-2.1: RDS PostgreSQL 15.3 (the AWS example at 15.4, set to 15.3) and MySQL 5.7.44; endoflife.date's product definitions and release data imported
! sed 's/"15.4"/"15.3"/' "$FIX/aws/rds-instances.json" > "$T/rds-153.json"
! "$PL" --db "$T/rds.db" --now 2026-12-01T00:00:00Z inventory import "$T/rds-153.json" >/dev/null
! "$PL" --db "$T/rds.db" --now 2026-12-01T00:00:00Z feed import "$SHARED/eol/product-definitions_all.jsonl.xz" >/dev/null
$ --db $T/rds.db --now 2026-12-01T00:00:00Z feed import eol $SHARED/eol/release-data
>* amazon-rds-postgresql.json: 1 records, 1 new

### rel-2.2: the scan: PostgreSQL 15.3 lags behind 15.18, MySQL 5.7 is past its end (5.7.44 is the latest of 5.7: no lag)
$ --db $T/rds.db --now 2026-12-01T00:00:00Z scan
>* 2 open findings

### rel-2.3: the lag is a normal finding: the latest 15.x as its fix, Tier 3 (90 days) by minor-version-lag; the end of life is the project
! test "$(sqlite3 "$T/rds.db" "SELECT vuln_id || ' ' || installed_version || ' ' || fixed_version || ' ' || tier || ' ' || (SELECT ft.text FROM finding_texts ft WHERE ft.id = rule_ref) FROM findings WHERE vuln_id LIKE 'lag:%'")" = "lag:amazon-rds-postgresql:15 15.3 15.18 3 minor-version-lag"
! test "$(sqlite3 "$T/rds.db" "SELECT (SELECT t.text FROM finding_texts t WHERE t.id = findings.evidence_ref) FROM findings WHERE vuln_id LIKE 'lag:%'")" = "engine amazon-rds-postgresql 15.3: behind 15.18, the latest minor version of cycle 15 (released 2026-05-14) (endoflife.date feed import; rpmvercmp order)"
! test "$(sqlite3 "$T/rds.db" "SELECT count(*) FROM findings WHERE vuln_id LIKE 'lag:amazon-rds-mysql%'")" = "0"
$ --db $T/rds.db --now 2026-12-01T00:00:00Z findings --format json
>* "vuln": "lag:amazon-rds-postgresql:15", "package": "amazon-rds-postgresql", "installed": "15.3", "fixed": "15.18", "tier": 3,
>* "distro_decision": null, "upgrade": "minor"}
>* "vuln": "eol:amazon-rds-mysql:5.7", "package": "amazon-rds-mysql", "installed": "5.7.44", "fixed": "8.4.10",
>* "distro_decision": null, "upgrade": "project"}

### rel-2.4: explain labels the major upgrade a project, and the lag a minor upgrade
! id=$(sqlite3 "$T/rds.db" "SELECT id FROM findings WHERE vuln_id = 'eol:amazon-rds-mysql:5.7'"); "$PL" --db "$T/rds.db" --now 2026-12-01T00:00:00Z explain "$id" > "$T/ex5.txt"
! grep -q "upgrade *project: a major upgrade into another release cycle" "$T/ex5.txt"
! id=$(sqlite3 "$T/rds.db" "SELECT id FROM findings WHERE vuln_id LIKE 'lag:%'"); "$PL" --db "$T/rds.db" --now 2026-12-01T00:00:00Z explain "$id" --format json > "$T/ex6.json"
! python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["match"]["upgrade"] == "minor", d["match"]; assert d["policy"]["rule"] == "minor-version-lag"' "$T/ex6.json"
$ --db $T/rds.db --now 2026-12-01T00:00:00Z explain 1
>* upgrade

### rel-2.4a: the report counts the upgrade project (MySQL 5.7 into 8.x) on its own line
$ --db $T/rds.db --now 2026-12-01T00:00:00Z report --format md
>* Upgrade projects: 1 open end-of-life findings need a major upgrade into a supported release cycle: plan and test each as a project, not a patch in a maintenance window.

### rel-2.4b: ...as JSON and CSV
! "$PL" --db "$T/rds.db" --now 2026-12-01T00:00:00Z report --format csv | grep -q '^backlog,upgrade_projects,,1'
$ --db $T/rds.db --now 2026-12-01T00:00:00Z report --format json
>* "no_fix_decided":0,"upgrade_projects":1,

### rel-2.4c: reads never write: the report (by_os, upgrade_projects), findings JSON (upgrade), explain (release_age, upgrade) in every format leave both stores byte for byte
! cp "$T/rds.db" "$T/rds-before.db" && cp "$DB" "$T/app-before.db"
! for f in json md csv html; do "$PL" --db "$T/rds.db" --now 2026-12-01T00:00:00Z report --format "$f" > /dev/null && "$PL" --db "$DB" --now 2026-12-01T00:00:00Z report --format "$f" > /dev/null || exit 1; done
! for f in json csv; do "$PL" --db "$T/rds.db" --now 2026-12-01T00:00:00Z findings --format "$f" > /dev/null && "$PL" --db "$DB" --now 2026-12-01T00:00:00Z findings --format "$f" > /dev/null || exit 1; done
! for id in $(sqlite3 "$DB" "SELECT id FROM findings"); do "$PL" --db "$DB" --now 2026-12-01T00:00:00Z explain "$id" --format json > /dev/null && "$PL" --db "$DB" --now 2026-12-01T00:00:00Z explain "$id" > /dev/null || exit 1; done
! for id in $(sqlite3 "$T/rds.db" "SELECT id FROM findings"); do "$PL" --db "$T/rds.db" --now 2026-12-01T00:00:00Z explain "$id" --format json > /dev/null || exit 1; done
! "$PL" --db "$T/rds.db" --now 2026-12-01T00:00:00Z report --period quarter --format json > /dev/null && "$PL" --db "$T/rds.db" --now 2026-12-01T00:00:00Z software > /dev/null
$ --db $T/rds.db --now 2026-12-01T00:00:00Z report --format json
>* "upgrade_projects":1,

### rel-2.4d: ...byte for byte (both stores, the database files and no write-ahead log left)
! cmp "$T/rds.db" "$T/rds-before.db" && test ! -s "$T/rds.db-wal" && cmp "$DB" "$T/app-before.db" && test ! -s "$DB-wal"
$ --db $T/rds.db --now 2026-12-01T00:00:00Z findings --format csv
>* lag:amazon-rds-postgresql:15

### rel-2.5: the minor upgrade applied: 15.18 closes the lag with proof
! sed 's/"15.4"/"15.18"/' "$FIX/aws/rds-instances.json" > "$T/rds-1518.json"
! "$PL" --db "$T/rds.db" --now 2026-12-02T00:00:00Z inventory import "$T/rds-1518.json" >/dev/null
$ --db $T/rds.db --now 2026-12-02T00:00:00Z scan
>* 1 open findings

### rel-2.6: ...fixed: the new version is the latest of its cycle
! test "$(sqlite3 "$T/rds.db" "SELECT status || ': ' || (SELECT t.text FROM finding_texts t WHERE t.id = findings.fix_proof_ref) FROM findings WHERE vuln_id LIKE 'lag:%'")" = "fixed: amazon-rds-postgresql now at 15.18, the latest minor version of cycle 15"
$ --db $T/rds.db --now 2026-12-02T00:00:00Z findings --status fixed --format csv
>* lag:amazon-rds-postgresql:15

### rel-3.1: browsers: Chrome 116.0.5845.140 (Intune, Jamf) and Firefox 117.0 with the real NVD record of CVE-2023-4863, no KEV; endoflife.date release data
! "$PL" --db "$T/br.db" --now 2026-01-10T00:00:00Z inventory import "$FIX/thirdparty/intune-constructed.json" >/dev/null
! "$PL" --db "$T/br.db" --now 2026-01-10T00:00:00Z inventory import "$FIX/thirdparty/jamf-constructed.json" >/dev/null
! xz -dc "$SHARED/nvd/nvd_cpe_third_party.jsonl.xz" | grep '"CVE-2023-4863"' > "$T/nvd-4863.jsonl"
! "$PL" --db "$T/br.db" --now 2026-01-10T00:00:00Z feed import "$T/nvd-4863.jsonl" >/dev/null
! "$PL" --db "$T/br.db" --now 2026-01-10T00:00:00Z feed import eol "$SHARED/eol/release-data" >/dev/null
$ --db $T/br.db --now 2026-01-10T00:00:00Z scan
>* open findings

### rel-3.2: Firefox 117.0.1 was released 2023-09-12 (release data): due 2023-09-13, 24 hours later, overdue since; Chrome's release data lists no versions, so its fix counts from the NVD record's publication (2023-09-12T15:15:24Z)
! test "$(sqlite3 "$T/br.db" "SELECT group_concat(DISTINCT (SELECT ft.text FROM finding_texts ft WHERE ft.id = rule_ref)) FROM findings WHERE vuln_id = 'CVE-2023-4863'")" = "browser-security-fix"
$ --db $T/br.db --now 2026-01-10T00:00:00Z findings --format csv
>* CONSTRUCTED-MAC-01,CVE-2023-4863,Firefox.app,117.0,117.0.1,1,2023-09-13T00:00:00Z,true,
>* CONSTRUCTED-WIN-01,CVE-2023-4863,Google Chrome,116.0.5845.140,116.0.5845.187,1,2023-09-13T15:15:24Z,true,
>* CONSTRUCTED-MAC-02,CVE-2023-4863,Google Chrome.app,116.0.5845.140,116.0.5845.187,1,2023-09-13T15:15:24Z,true,

### rel-3.3: explain names where the date came from
! id=$(sqlite3 "$T/br.db" "SELECT id FROM findings WHERE package = 'Firefox.app' AND vuln_id = 'CVE-2023-4863'"); "$PL" --db "$T/br.db" --now 2026-01-10T00:00:00Z explain "$id" > "$T/ex7.txt"
! grep -qF "due 2023-09-13T00:00:00Z (1d after the fixed version's release), or 7d after first seen if that is earlier: rule 'browser-security-fix'" "$T/ex7.txt"
! grep -qF "clock: the fixed version's release [endoflife.date release data firefox 117.0.1 2023-09-12]" "$T/ex7.txt"
! id=$(sqlite3 "$T/br.db" "SELECT id FROM findings WHERE package = 'Google Chrome' AND vuln_id = 'CVE-2023-4863'"); "$PL" --db "$T/br.db" --now 2026-01-10T00:00:00Z explain "$id" > "$T/ex8.txt"
! grep -qF "clock: the fixed version's release [nvd CVE-2023-4863 published (no release date of 116.0.5845.187) 2023-09-12T15:15:24Z]" "$T/ex8.txt"
$ --db $T/br.db --now 2026-01-10T00:00:00Z explain 1 --format json
>* "deadline":{"due":"2023-09-1

### rel-3.4: with Chrome's release of 116.0.5845.187 in the release data (a constructed line: 2023-09-11), it is due 2023-09-12, 24 hours after that
! printf '%s\n' '{"product":"chrome","releases":{},"versions":{"116.0.5845.187":{"name":"116.0.5845.187","date":"2023-09-11"}}}' > "$T/chrome-release-constructed.jsonl"
! for f in intune-constructed.json jamf-constructed.json; do "$PL" --db "$T/br2.db" --now 2026-01-10T00:00:00Z inventory import "$FIX/thirdparty/$f" >/dev/null || exit 1; done
! "$PL" --db "$T/br2.db" --now 2026-01-10T00:00:00Z feed import "$T/nvd-4863.jsonl" >/dev/null
! "$PL" --db "$T/br2.db" --now 2026-01-10T00:00:00Z feed import eol "$T/chrome-release-constructed.jsonl" >/dev/null
! "$PL" --db "$T/br2.db" --now 2026-01-10T00:00:00Z scan >/dev/null
! test "$(sqlite3 "$T/br2.db" "SELECT group_concat(DISTINCT due_at) FROM findings WHERE vuln_id = 'CVE-2023-4863' AND package LIKE 'Google Chrome%'")" = "$(date -u -d 2023-09-12T00:00:00Z +%s)"
$ --db $T/br2.db --now 2026-01-10T00:00:00Z findings --format csv
>* CONSTRUCTED-WIN-01,CVE-2023-4863,Google Chrome,116.0.5845.140,116.0.5845.187,1,2023-09-12T00:00:00Z,true,
