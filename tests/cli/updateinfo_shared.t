# Amazon Linux on the real data (issue 16): every ALAS advisory (5,393, JSON form) against the
# amazonlinux:2 image's package list and an AL2023 host holding every binary package of the
# 2023.1.20230809 release table. The findings must equal, pair for pair, what an independent
# check computes from the other file of the same data (alas_fixed_packages.tsv.xz) with
# librpm's labelCompare (tests/cli/alas_check.py, python3-rpm). Slow under ASan (~1-3 min).
skip-without-shared

### updateinfo-shared-1.1: the ALAS feed: 5,393 advisories
$ --db $DB --now 2026-01-10T00:00:00Z feed import updateinfo $SHARED/amazon/alas_advisories.jsonl.xz
> updateinfo: $SHARED/amazon/alas_advisories.jsonl.xz: 5393 records, 5393 new, 0 updated, 0 unchanged, 0 withdrawn

### updateinfo-shared-1.2: per release
! test "$(sqlite3 "$DB" "SELECT group_concat(e || '=' || n, ' ') FROM (SELECT ecosystem e, count(DISTINCT advisory) n FROM affected GROUP BY ecosystem ORDER BY ecosystem) x")" = "amazon:1=1811 amazon:2=2451 amazon:2022=277 amazon:2023=854"
$ vercmp --scheme rpm 1 1
>* 0

### updateinfo-shared-2.1: the two hosts
! /usr/bin/python3 "$(dirname "$FIX")/cli/alas_check.py" al2-host "$SHARED/amazon/trivy_amazonlinux2_image_rpm_packages.json" >"$T/al2.json"
! /usr/bin/python3 "$(dirname "$FIX")/cli/alas_check.py" al2023-host "$SHARED/amazon/al2023.1.20230809_repository_packages.tsv.xz" "$SHARED/amazon/alas_fixed_packages.tsv.xz" >"$T/al2023.json"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import trivy "$T/al2.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import trivy "$T/al2023.json" >/dev/null
$ --db $DB --now 2026-01-10T00:00:00Z scan
>* 12563 open findings

### updateinfo-shared-2.2: amazonlinux:2: the same 788 (package, CVE) pairs as librpm's labelCompare
! /usr/bin/python3 "$(dirname "$FIX")/cli/alas_check.py" expect "$SHARED/amazon/alas_fixed_packages.tsv.xz" AL2 "$T/al2.json" >"$T/want2"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --asset amazonlinux:2 --format csv | awk -F, 'NR>1{print $4","$3}' | sort >"$T/got2"
! test "$(wc -l <"$T/want2")" = 788
! diff "$T/want2" "$T/got2"
$ vercmp --scheme rpm 1 1
>* 0

### updateinfo-shared-2.3: the AL2023 host: the same 11,775 pairs
! /usr/bin/python3 "$(dirname "$FIX")/cli/alas_check.py" expect "$SHARED/amazon/alas_fixed_packages.tsv.xz" AL2023 "$T/al2023.json" >"$T/want3"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --asset al2023-20230809 --format csv | awk -F, 'NR>1{print $4","$3}' | sort >"$T/got3"
! test "$(wc -l <"$T/want3")" = 11775
! diff "$T/want3" "$T/got3"
$ vercmp --scheme rpm 1 1
>* 0
