# Amazon Linux kernel live patches on the real data (issue 16). The AL2 advisories of
# ../shared/data/amazon (core and extras, ALAS2LIVEPATCH-... included) against hosts made of the
# amazonlinux:2 image's packages plus a kernel and a per-build live patch package
# (kernel-livepatch-5.10.112-108.499, which ALAS2LIVEPATCH-2022-077/-078/-088 fix at 1.0-2,
# 1.0-3, 1.0-4). The live patch package is matched only when its build is the running kernel;
# what it fixed at or before its installed version marks the kernel's findings of those CVEs
# "livepatch". Both sets must equal, pair for pair, what tests/cli/alas_check.py computes from
# the other file of the same data with librpm's labelCompare (python3-rpm).
skip-without-shared

### amazon-livepatch-1.1: the AL2 advisories (core and extras)
! xz -dc "$SHARED/amazon/alas_advisories.jsonl.xz" | grep '"amazon_linux_release":"AL2"' >"$T/al2.jsonl"
$ --db $DB --now 2026-01-10T00:00:00Z feed import updateinfo $T/al2.jsonl
>* 2451 records, 2451 new

### amazon-livepatch-1.2: two hosts: al2-lp runs 5.10.112-108.499 with its live patch 1.0-2; al2-other runs 5.10.109-104.500 with the live patch of 5.10.112-108.499 left installed
! /usr/bin/python3 "$(dirname "$FIX")/cli/alas_check.py" al2-lp-host "$SHARED/amazon/trivy_amazonlinux2_image_rpm_packages.json" al2-lp 5.10.112-108.499.amzn2 5.10.112-108.499 2 >"$T/lp.json"
! /usr/bin/python3 "$(dirname "$FIX")/cli/alas_check.py" al2-lp-host "$SHARED/amazon/trivy_amazonlinux2_image_rpm_packages.json" al2-other 5.10.109-104.500.amzn2 5.10.112-108.499 2 >"$T/other.json"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import trivy "$T/lp.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import trivy "$T/other.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z assets set al2-lp kernel=5.10.112-108.499.amzn2.x86_64 >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z assets set al2-other kernel=5.10.109-104.500.amzn2.x86_64 >/dev/null
$ --db $DB --now 2026-01-10T00:00:00Z scan
>* open findings

### amazon-livepatch-2.1: al2-lp: the same pairs as labelCompare, the live patch's two later fixes among them (its fix is the live patch package's version)
! /usr/bin/python3 "$(dirname "$FIX")/cli/alas_check.py" expect "$SHARED/amazon/alas_fixed_packages.tsv.xz" AL2 "$T/lp.json" 5.10.112-108.499.amzn2.x86_64 >"$T/want"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --asset al2-lp --format csv | awk -F, 'NR>1{print $4","$3}' | sort >"$T/got"
! diff "$T/want" "$T/got"
! test "$(grep -c '^kernel-livepatch-' "$T/want")" = 2
$ --db $DB --now 2026-01-10T00:00:00Z findings --asset al2-lp --format csv
>* ,al2-lp,CVE-2022-34918,kernel-livepatch-5.10.112-108.499,1.0-2.amzn2,1.0-4.amzn2,

### amazon-livepatch-2.2: the kernel findings the live patch applied (CVE-2022-1786, fixed at 1.0-2) are mitigated by livepatch, as labelCompare says; still open
! /usr/bin/python3 "$(dirname "$FIX")/cli/alas_check.py" mitigated "$SHARED/amazon/alas_fixed_packages.tsv.xz" AL2 "$T/lp.json" 5.10.112-108.499.amzn2.x86_64 >"$T/want-lp"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --asset al2-lp --status open --format csv | grep '(livepatch)' | awk -F, '{print $4","$3}' | sort >"$T/got-lp"
! test "$(cat "$T/want-lp")" = "kernel,CVE-2022-1786"
! diff "$T/want-lp" "$T/got-lp"
$ --db $DB --now 2026-01-10T00:00:00Z findings --asset al2-lp --format csv
>* ,al2-lp,CVE-2022-1786,kernel,5.10.112-108.499.amzn2,

### amazon-livepatch-2.3: explain names the package, its advisories and the running kernel
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --asset al2-lp --format csv | awk -F, '$3 == "CVE-2022-1786" && $4 == "kernel" {print $1}' >"$T/id"
$ --db $DB --now 2026-01-10T00:00:00Z explain $(cat $T/id)
>* mitigated by livepatch: kernel-livepatch-5.10.112-108.499 1.0-2.amzn2 (advisories up to ALAS2LIVEPATCH-2022-077) applied the fix to the running kernel 5.10.112-108.499.amzn2.x86_64
>* mitigation

### amazon-livepatch-3.1: negative control: al2-other runs another build: the live patch advisories give it nothing, and nothing is mitigated
! /usr/bin/python3 "$(dirname "$FIX")/cli/alas_check.py" expect "$SHARED/amazon/alas_fixed_packages.tsv.xz" AL2 "$T/other.json" 5.10.109-104.500.amzn2.x86_64 >"$T/want-o"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --asset al2-other --format csv | awk -F, 'NR>1{print $4","$3}' | sort >"$T/got-o"
! diff "$T/want-o" "$T/got-o"
! ! grep -q livepatch "$T/got-o"
! ! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --asset al2-other --format csv | grep -q '(livepatch)'
$ --db $DB --now 2026-01-10T00:00:00Z findings --asset al2-other --format csv
>* ,al2-other,CVE-2022-1786,kernel,5.10.109-104.500.amzn2,

### amazon-livepatch-4.1: al2-lp's live patch upgraded to 1.0-4: no live patch finding left; the three CVEs it applied mitigate the kernel's findings
! /usr/bin/python3 "$(dirname "$FIX")/cli/alas_check.py" al2-lp-host "$SHARED/amazon/trivy_amazonlinux2_image_rpm_packages.json" al2-lp 5.10.112-108.499.amzn2 5.10.112-108.499 4 >"$T/lp.json"
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z inventory import trivy "$T/lp.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z scan >/dev/null
! /usr/bin/python3 "$(dirname "$FIX")/cli/alas_check.py" mitigated "$SHARED/amazon/alas_fixed_packages.tsv.xz" AL2 "$T/lp.json" 5.10.112-108.499.amzn2.x86_64 >"$T/want-lp"
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z findings --asset al2-lp --status open --format csv | grep '(livepatch)' | awk -F, '{print $4","$3}' | sort >"$T/got-lp"
! test "$(wc -l <"$T/want-lp")" = 3
! diff "$T/want-lp" "$T/got-lp"
! ! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z findings --asset al2-lp --status open --format csv | grep -q ',kernel-livepatch-'
$ --db $DB --now 2026-01-11T00:00:00Z findings --asset al2-lp --status fixed --format csv
>* ,al2-lp,CVE-2022-34918,kernel-livepatch-5.10.112-108.499,

### amazon-livepatch-5.1: kpatch list on Amazon Linux (a report constructed in the documented format: module livepatch_CVE_2022_1966 on al2-other's kernel) mitigates that kernel finding
! printf 'Loaded patch modules:\nlivepatch_CVE_2022_1966 [enabled]\n\nInstalled patch modules:\nlivepatch_CVE_2022_1966 (5.10.109-104.500.amzn2.x86_64)\n' >"$T/kpatch-al2.constructed.txt"
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z assets livepatch al2-other "$T/kpatch-al2.constructed.txt" >/dev/null
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z scan >/dev/null
$ --db $DB --now 2026-01-11T00:00:00Z findings --asset al2-other --status open --format csv
>* ,al2-other,CVE-2022-1966,kernel,5.10.109-104.500.amzn2,
! test "$("$PL" --db "$DB" --now 2026-01-11T00:00:00Z findings --asset al2-other --status open --format csv | grep '(livepatch)' | awk -F, '{print $4","$3}')" = "kernel,CVE-2022-1966"
