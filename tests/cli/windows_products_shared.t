# Microsoft products other than Windows on the real MSRC documents (issue 17):
# SQL Server 2022 on its cumulative-update train and on its GDR train, and
# Exchange Server 2019 CU14, reported at their builds by the one-liner's
# Products (tests/fixtures/windows/products-constructed.json), get exactly
# the CVEs that an independent computation over
# ../shared/data/microsoft/msrc_cvrf_vendor_fixes.tsv.xz gives (Python here,
# not the library), each with one of its KBs; a server at the newest build has none.
skip-without-shared

### winprod-1.1: the documents of September 2025 to March 2026 present in the data
! PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/w.db" init --simulated >/dev/null
! for m in 2025-Sep 2025-Nov 2025-Dec 2026-Jan 2026-Feb; do PATCHLINE_NOW=2026-04-01T00:00:00Z "$PL" --db "$T/w.db" feed import msrc "$SHARED/microsoft/cvrf/cvrfDocument-$m.xml.xz" >/dev/null || exit 1; done
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db feed import msrc $SHARED/microsoft/cvrf/cvrfDocument-2026-Mar.xml.xz
>* msrc: $SHARED/microsoft/cvrf/cvrfDocument-2026-Mar.xml.xz: 424 records

### winprod-1.2: SQL Server's "(CU 20)" ... "(CU 23)" are one train, its GDR another
! test "$(sqlite3 "$T/w.db" "SELECT group_concat(DISTINCT package) FROM (SELECT package FROM affected WHERE feed = 'msrc' AND package LIKE 'Microsoft SQL Server 2022%' ORDER BY package)")" = "Microsoft SQL Server 2022 (CU),Microsoft SQL Server 2022 (GDR)"
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db inventory import windows $FIX/windows/products-constructed.json
> windows $FIX/windows/products-constructed.json: 4 records, 4 assets created, 0 merged, 0 skipped

### winprod-1.3: the products are msrc packages beside the build
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db packages EXCH01
> name                                                 version          arch  source  source_version  ecosystem
> Microsoft Exchange Server 2019 Cumulative Update 14  15.02.1544.037         -       -               msrc
> Windows Server 2022                                  10.0.20348.4893        -       -               msrc

### winprod-1.4: matched by product and build
= PATCHLINE_NOW=2026-04-01T00:00:00Z
$ --db $T/w.db scan
>* open findings

### winprod-1.5: the expected (host, CVE) pairs and their KBs, computed from the vendor-fix table
! xz -dc "$SHARED/microsoft/msrc_cvrf_vendor_fixes.tsv.xz" | python3 "$FIX/../oracle/msrc_products_oracle.py" > "$T/expected-kb"
! cut -d'|' -f1,2 "$T/expected-kb" | sort -u > "$T/expected"
! test "$(grep -c '^SQL01|' "$T/expected")" -ge 3 && test "$(grep -c '^SQL02|' "$T/expected")" -ge 2 && test "$(grep -c '^EXCH01|' "$T/expected")" -ge 1 && ! grep -q '^SQL03|' "$T/expected"
! sqlite3 "$T/w.db" "SELECT a.name || '|' || f.vuln_id FROM findings f JOIN assets a ON a.id = f.asset_id WHERE f.status = 'open' AND f.package NOT LIKE 'Windows%'" | sort -u > "$T/actual"
! diff "$T/expected" "$T/actual"
! sqlite3 "$T/w.db" "SELECT a.name || '|' || f.vuln_id || '|' || substr((SELECT ft.text FROM finding_texts ft WHERE ft.id = f.advisory_ref), instr((SELECT ft.text FROM finding_texts ft WHERE ft.id = f.advisory_ref), '-KB') + 1) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE f.status = 'open' AND f.package NOT LIKE 'Windows%'" | sort -u > "$T/actual-kb"
! test -z "$(comm -23 "$T/actual-kb" "$T/expected-kb")"
$ --version
