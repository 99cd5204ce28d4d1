# inventory import of scanners, SBOMs, Kubernetes, exposure and device
# management (issue 4, import-scan), on the fixtures in tests/fixtures.

### scan-1.1: a Trivy report by its kind: the image, its packages and vulnerabilities
$ --db $DB --now 2026-01-02T00:00:00Z inventory import trivy $FIX/trivy/alpine-310.json
> trivy $FIX/trivy/alpine-310.json: 1 records, 1 assets created, 0 merged, 0 skipped

### scan-1.1.x: ...as the store shows
! test "$(sqlite3 "$DB" "SELECT group_concat(vuln_id || '/' || package || '/' || severity, ' ') FROM (SELECT * FROM scanner_vulns ORDER BY vuln_id, package) AS x")" = "CVE-2019-1549/libcrypto1.1/medium CVE-2019-1549/libssl1.1/medium CVE-2019-1551/libcrypto1.1/medium"
$ --db $DB audit --limit 1 --format csv
>* inventory.import

### scan-1.2: the same report again changes nothing but last-seen times
$ --db $DB --now 2026-01-03T00:00:00Z inventory import $FIX/trivy/alpine-310.json
> trivy $FIX/trivy/alpine-310.json: 1 records, 0 assets created, 1 merged, 0 skipped

### scan-1.2.x: ...as the store shows
! test "$(sqlite3 "$DB" "SELECT count(*), min(first_seen), max(last_seen) FROM scanner_vulns WHERE status = 'open'")" = "3|1767312000|1767398400"
$ --db $DB audit --limit 1 --format csv
>* inventory.import

### scan-1.3: a later scan resolves what it no longer reports
$ --db $DB --now 2026-01-04T00:00:00Z inventory import $FIX/trivy/alpine-310-later.json
> trivy $FIX/trivy/alpine-310-later.json: 1 records, 0 assets created, 1 merged, 0 skipped

### scan-1.3.x: ...as the store shows
! test "$(sqlite3 "$DB" "SELECT status, count(*) FROM scanner_vulns GROUP BY status ORDER BY status" | tr '\n' ' ')" = "open|1 resolved|2 "
$ --db $DB audit --limit 1 --format csv
>* inventory.import

### scan-1.4: the asset and its packages
$ --db $DB packages 1
> name          version    arch    source   source_version  ecosystem
> libcrypto1.1  1.1.1c-r0  x86_64  openssl  1.1.1c-r0       apk
> libssl1.1     1.1.1c-r0  x86_64  openssl  1.1.1c-r0       apk
> musl          1.1.22-r3  x86_64  -        -               apk

### scan-2.1: Kubernetes nodes, then pods: nodes, workloads and images
$ --db $T/k8s.db --now 2026-01-02T00:00:00Z inventory import $FIX/k8s/nodes.json
> k8s-nodes $FIX/k8s/nodes.json: 3 records, 3 assets created, 0 merged, 0 skipped

### scan-2.2: ...pods, detected by their content
$ --db $T/k8s.db --now 2026-01-02T00:00:00Z inventory import $FIX/k8s/pods.json
> k8s-pods $FIX/k8s/pods.json: 6 records, 11 assets created, 3 merged, 0 skipped

### scan-2.2.x: ...as the store shows
! test "$(sqlite3 "$T/k8s.db" "SELECT kind, count(*) FROM assets GROUP BY kind ORDER BY kind" | tr '\n' ' ')" = "container-image|6 k8s-node|3 k8s-workload|5 "
! test "$(sqlite3 "$T/k8s.db" "SELECT relation, count(*) FROM asset_relations GROUP BY relation ORDER BY relation" | tr '\n' ' ')" = "runs-image|6 scheduled-on|6 "
$ --db $T/k8s.db audit --limit 1 --format csv
>* inventory.import

### scan-3.1: Shodan marks the known host internet-facing and creates the unknown one
! printf 'name,ip,owner\nweb1,203.0.113.10,web-team\n' > "$T/cmdb.csv"
! "$PL" --db "$T/x.db" --now 2026-01-02T00:00:00Z inventory import csv "$T/cmdb.csv" >/dev/null
$ --db $T/x.db --now 2026-01-02T00:00:00Z inventory import shodan $FIX/shodan/banners.json
> shodan $FIX/shodan/banners.json: 3 records, 1 assets created, 2 merged, 0 skipped

### scan-3.1.x: ...as the store shows
! test "$(sqlite3 "$T/x.db" "SELECT name || '|' || exposure || '|' || exposure_evidence FROM assets ORDER BY id" | tr '\n' ' ')" = "web1|yes|port 22/tcp open on 203.0.113.10 (OpenSSH 8.2p1 Ubuntu-4ubuntu0.5) per Shodan 2026-01-11 198.51.100.7|yes|port 3389/tcp open on 198.51.100.7 per Shodan 2026-01-12 "
$ --db $T/x.db audit --limit 1 --format csv
>* inventory.import

### scan-3.2: ...the unknown address is an unmanaged asset
$ --db $T/x.db assets --unmanaged --format csv
>* ,198.51.100.7,host,,,yes,

### scan-4.1: Nessus and Qualys: hosts and one vulnerability per CVE
$ --db $T/vm.db --now 2026-01-02T00:00:00Z inventory import $FIX/nessus/scan.nessus
> nessus $FIX/nessus/scan.nessus: 2 records, 2 assets created, 0 merged, 2 skipped

### scan-4.2: ...Qualys, detected as such
$ --db $T/vm.db --now 2026-01-02T00:00:00Z inventory import $FIX/qualys/scan.csv
> qualys $FIX/qualys/scan.csv: 4 records, 2 assets created, 2 merged, 2 skipped

### scan-4.2.x: ...as the store shows
! test "$(sqlite3 "$T/vm.db" "SELECT source, count(*) FROM scanner_vulns GROUP BY source ORDER BY source" | tr '\n' ' ')" = "nessus|5 qualys|3 "
$ --db $T/vm.db audit --limit 1 --format csv
>* inventory.import

### scan-5.1: SBOMs in four formats, each detected
$ --db $T/sbom.db --now 2026-01-02T00:00:00Z inventory import $FIX/sbom/app.cdx.json
> cyclonedx $FIX/sbom/app.cdx.json: 5 records, 1 assets created, 0 merged, 1 skipped

### scan-5.1b: ...CycloneDX XML, the same BOM: the same asset, nothing new
$ --db $T/sbom.db inventory import $FIX/sbom/app.cdx.xml
> cyclonedx-xml $FIX/sbom/app.cdx.xml: 5 records, 0 assets created, 1 merged, 1 skipped

### scan-5.2: ...SPDX 2.3 JSON
$ --db $T/sbom.db inventory import $FIX/sbom/app.spdx.json
> spdx $FIX/sbom/app.spdx.json: 4 records, 1 assets created, 0 merged, 1 skipped

### scan-5.3: ...SPDX tag-value
$ --db $T/sbom.db inventory import $FIX/sbom/app.spdx
> spdx-tv $FIX/sbom/app.spdx: 4 records, 1 assets created, 0 merged, 1 skipped

### scan-5.4: ...SPDX 3.0 JSON-LD
$ --db $T/sbom.db inventory import $FIX/sbom/app.spdx3.json
> spdx3 $FIX/sbom/app.spdx3.json: 7 records, 1 assets created, 0 merged, 0 skipped

### scan-5.4.x: ...as the store shows
! test "$(sqlite3 "$T/sbom.db" "SELECT state || '|' || justification FROM vex_statements")" = "not_affected|code_not_reachable"
$ --db $T/sbom.db audit --limit 1 --format csv
>* inventory.import

### scan-6.1: Intune and Jamf devices are endpoints with their apps
$ --db $T/dev.db --now 2026-01-02T00:00:00Z inventory import $FIX/intune/managedDevices.json
> intune $FIX/intune/managedDevices.json: 3 records, 3 assets created, 0 merged, 1 skipped

### scan-6.2: ...Jamf
$ --db $T/dev.db inventory import $FIX/jamf/computers-inventory.json
> jamf $FIX/jamf/computers-inventory.json: 2 records, 2 assets created, 0 merged, 0 skipped

### scan-6.2.x: ...as the store shows
! test "$(sqlite3 "$T/dev.db" "SELECT ecosystem, count(*) FROM packages GROUP BY ecosystem ORDER BY ecosystem" | tr '\n' ' ')" = "macos-app|4 msrc|1 windows-app|3 "
$ --db $T/dev.db audit --limit 1 --format csv
>* inventory.import

### scan-7.1: hostile names stay data: escaped for the terminal
$ --db $T/h.db --now 2026-01-02T00:00:00Z inventory import intune $FIX/intune/hostile.json
> intune $FIX/intune/hostile.json: 2 records, 2 assets created, 0 merged, 0 skipped

### scan-7.2: ...in a table the escape sequences are shown, not run
$ --db $T/h.db assets
>* 1   \x1b[31mLT-EVIL\x1b[0m<script>alert(1)</script>  endpoint
>* 2   =cmd|' /C calc'!A0                               endpoint

### scan-7.3: ...in CSV a formula is quoted away
$ --db $T/h.db assets --format csv
>* 2,'=cmd|' /C calc'!A0,endpoint

### scan-7.4: ...in JSON the control characters are escaped
$ --db $T/h.db assets --format json
>* "name": "\u001b[31mLT-EVIL\u001b[0m<script>alert(1)</script>"

### scan-8.1: a damaged file is refused, naming the file and the element, and nothing is stored
! sed 's/"Class": "os-pkgs"/"Class": 7/' "$FIX/trivy/alpine-310.json" > "$T/bad.json"
$ --db $T/bad.db inventory import trivy $T/bad.json
? 1
2> $T/bad.json: Results[0]: field 'Class': want a string, not number

### scan-8.1.x: ...nothing stored, nothing audited
! test "$(sqlite3 "$T/bad.db" 'SELECT count(*) FROM assets')" = "0"
$ --db $T/bad.db audit --limit 1 --format csv
>* id,at,at_real,simulated,actor,action,object,detail

### scan-8.2: a CBOM holds no software: refused with the reason
! printf '{"bomFormat":"CycloneDX","specVersion":"1.6","metadata":{"component":{"type":"application","name":"app"}},"components":[{"type":"cryptographic-asset","name":"AES-128-GCM"}]}' > "$T/cbom.json"
$ --db $T/bad.db inventory import $T/cbom.json
? 1
2> $T/cbom.json: a CycloneDX CBOM (1 cryptographic assets, no software packages): nothing to inventory
