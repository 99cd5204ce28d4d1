# Windows on the real MSRC documents (issue 17, "done means"): a Windows
# Server 2022 build one cumulative update behind the March 2026 release gets
# exactly the CVEs an independent computation over
# ../shared/data/microsoft/msrc_cvrf_vendor_fixes.tsv.xz gives (awk here, not
# the library), each with its KB; the same server at the fixed build has none.
skip-without-shared

### winsh-1.1: the January, February and March 2026 documents
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/w.db" init --simulated >/dev/null
! for m in Jan Feb; do PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/w.db" feed import msrc "$SHARED/microsoft/cvrf/cvrfDocument-2026-$m.xml.xz" >/dev/null || exit 1; done
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db feed import msrc $SHARED/microsoft/cvrf/cvrfDocument-2026-Mar.xml.xz
>* msrc: $SHARED/microsoft/cvrf/cvrfDocument-2026-Mar.xml.xz: 424 records
>* version 2026-Mar, released 2026-03-31T01:39:15Z

### winsh-1.2: two Windows Server 2022 hosts: at February's cumulative update (10.0.20348.4773) and at March's (4893)
! printf '[{"CsDNSHostName":"SRV-FEB","OsName":"Microsoft Windows Server 2022 Datacenter","OsVersion":"10.0.20348","OsProductType":3,"OsHotFixes":[{"HotFixID":"KB5075906"}],"UBR":4773},{"CsDNSHostName":"SRV-MAR","OsName":"Microsoft Windows Server 2022 Datacenter","OsVersion":"10.0.20348","OsProductType":3,"OsHotFixes":[{"HotFixID":"KB5078766"}],"UBR":4893}]' > "$T/hosts.json"
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/w.db" inventory import "$T/hosts.json" >/dev/null
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db scan
>* open findings

### winsh-1.3: the expected (CVE, KB) pairs, computed with awk from the vendor-fix table of the same documents
! xz -dc "$SHARED/microsoft/msrc_cvrf_vendor_fixes.tsv.xz" | awk -F'\t' '($1 == "2026-Jan" || $1 == "2026-Feb" || $1 == "2026-Mar") && ($5 == "Windows Server 2022" || $5 == "Windows Server 2022 (Server Core installation)") && ($7 == "Security Update" || $7 == "Monthly Rollup" || $7 == "Cumulative Update") { n = split($8, b, "."); if (n == 4 && b[1] == 10 && b[3] == 20348 && b[4] + 0 > 4773) print $3 "|KB" $6 }' | sort -u > "$T/expected"
! test "$(wc -l < "$T/expected")" -ge 20
! sqlite3 "$T/w.db" "SELECT f.vuln_id || '|' || substr((SELECT ft.text FROM finding_texts ft WHERE ft.id = f.advisory_ref), instr((SELECT ft.text FROM finding_texts ft WHERE ft.id = f.advisory_ref), '-KB') + 1) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'SRV-FEB' AND f.status = 'open' AND f.package = 'Windows Server 2022'" | sort -u > "$T/actual"
! diff "$T/expected" "$T/actual"
! test "$(cut -d'|' -f2 "$T/actual" | sort -u)" = "KB5078766"
$ --version

### winsh-1.4: the host at the fixed build has no finding
! test "$(sqlite3 "$T/w.db" "SELECT count(*) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'SRV-MAR'")" = "0"
! test "$(sqlite3 "$T/w.db" "SELECT count(*) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'SRV-FEB'")" = "$(wc -l < "$T/expected")"
$ --version
