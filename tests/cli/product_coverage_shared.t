# The product map covers the KEV catalogue and endoflife.date (docs/third-party.md): every
# (vendorProject, product) pair of ../shared/data/kev and every endoflife.date product of
# ../shared/data/eol is a row of data/kev-products.tsv or data/eol-products.tsv with its
# class and CPE; the map's generated rules are those tables'; and every CPE of a product of
# the map's classes resolves through the real lookup (`patchline software` on a constructed
# Nmap scan naming each CPE) to the product's class. Then `software --unmapped` on the
# scanner samples of ../shared/data/tool_outputs: what no rule maps, most frequent first.
skip-without-shared

### cov-1.1: every KEV pair and endoflife.date product is in the tables, and nothing else
! python3 "$FIX/../cli/product_coverage.py" tables "$SHARED" "$FIX/../.." >"$T/tables.log" || { cat "$T/tables.log" >&2; exit 1; }
! grep -q "^587 KEV pairs, 467 endoflife.date products: 0 errors$" "$T/tables.log"
! python3 "$FIX/../cli/product_coverage.py" gen "$FIX/../.." "$T/cov.xml" >"$T/gen.log"
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $T/cov.xml
>* 529 assets created

### cov-1.2: ...every CPE of a browser, runtime, database, network appliance, OS, library or server resolves through the product map to its class
! "$PL" --db "$DB" software --format csv >"$T/sw.csv"
! python3 "$FIX/../cli/product_coverage.py" compare "$FIX/../.." "$T/sw.csv" >"$T/cmp.log" || { cat "$T/cmp.log" >&2; exit 1; }
! grep -q "^529 CPEs resolved: 0 errors$" "$T/cmp.log"
$ --db $DB software --format csv
>* cov-0001,cpe:/a:accellion:fts:1.0,,cpe,cpe:/a:accellion:fts:1.0,server,true
>* ,cpe:/a:google:chrome:1.0,,cpe,cpe:/a:google:chrome:1.0,browser,true
>* ,cpe:/a:microsoft:sql_server:1.0,,cpe,cpe:/a:microsoft:sql_server:1.0,database,true
>* ,cpe:/a:oracle:jre:1.0,,cpe,cpe:/a:oracle:jre:1.0,runtime,false
>* ,cpe:/o:fortinet:fortios:1.0,,cpe,cpe:/o:fortinet:fortios:1.0,network-appliance,true

### cov-1.3: the map's generated rules are the tables' (scripts/gen-product-coverage.py)
$ --db $DB software --unmapped --format csv
>* count,ecosystem,name
! python3 "$FIX/../../scripts/gen-product-coverage.py" --check

### cov-2.1: the scanner samples of ../shared/data/tool_outputs (Trivy, Grype, Nmap, and DefectDojo's Nessus, Qualys, OpenVAS, Nexpose samples): the 120 that `inventory import` reads import (the others are report formats it does not read: SARIF, JUnit, HTML, ...)
! n=0; for f in "$SHARED"/tool_outputs/trivy/* "$SHARED"/tool_outputs/grype/* "$SHARED"/tool_outputs/nmap/* "$SHARED"/tool_outputs/defectdojo_samples/*/*; do "$PL" --db "$T/um.db" --now 2026-12-01T00:00:00Z inventory import "$f" >/dev/null 2>&1 && n=$((n + 1)); done; test "$n" = 120
! "$PL" --db "$T/um.db" software --unmapped --format csv >"$T/um.csv"
! python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); c=[int(x["count"]) for x in r]; sys.exit(not (len(r) > 100 and c == sorted(c, reverse=True) and c[0] > c[-1]))' "$T/um.csv"
$ --db $T/um.db software --unmapped --format csv
>* count,ecosystem,name
>* 5,npm,jquery
>* 4,pypi,click
>* 4,pypi,werkzeug
>* 3,nuget,Newtonsoft.Json
>* 3,pypi,colorama
>* 1,cargo,aho-corasick

### cov-2.2: ...every name left is a language package (matched through its ecosystem's advisories, docs/third-party.md), and every CPE the samples name has a class
! test "$(cut -d, -f2 "$T/um.csv" | sed 1d | sort -u | tr '\n' ' ')" = "cargo cocoapods composer conan conda gem hex julia maven npm nuget pub pypi swift "
! "$PL" --db "$T/um.db" software --format csv >"$T/sw-samples.csv" && test "$(awk -F, '$4 == "cpe"' "$T/sw-samples.csv" | wc -l)" -ge 14 && test "$(awk -F, '$4 == "cpe" && $6 == ""' "$T/sw-samples.csv" | wc -l)" = 0
$ --db $T/um.db software --unmapped --format json
>* "ecosystem"
