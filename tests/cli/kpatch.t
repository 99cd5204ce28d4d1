# kpatch (issue 16): `kpatch list` read through `assets livepatch` (the same table and rule as
# Canonical Livepatch). Fixtures in tests/fixtures/livepatch, all constructed: the kpatch output
# in the documented format of `kpatch list`, an updateinfo.xml with a kernel update and two
# kpatch-patch updates (ids RHSA-2099:900N, constructed), a RHEL 9.2 host running
# 5.14.0-284.11.1.el9_2 with kpatch-patch-5_14_0-284_11_1 1-2.el9_2 installed. No real kpatch
# output or kpatch-patch advisory is in ../shared/data.

### kpatch-1.1: the advisories and the host; kernel and kernel-core have the three kernel CVEs
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import updateinfo "$FIX/livepatch/rhel9-kpatch.constructed_updateinfo.xml" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import trivy "$FIX/livepatch/rhel9_host.constructed.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z assets set rhel9-kpatch kernel=5.14.0-284.11.1.el9_2.x86_64 >/dev/null
$ --db $DB --now 2026-01-10T00:00:00Z scan
>* 7 open findings

### kpatch-1.2: the kpatch-patch package's own finding: its later fix (the fix is the livepatch package's version)
$ --db $DB --now 2026-01-10T00:00:00Z findings --asset rhel9-kpatch --format csv
>* ,rhel9-kpatch,CVE-2023-3390,kpatch-patch-5_14_0-284_11_1,1-2.el9_2,1-3.el9_2,
>* ,rhel9-kpatch,CVE-2023-3090,kernel,5.14.0-284.11.1.el9_2,5.14.0-284.18.1.el9_2,

### kpatch-2.1: text that is not `kpatch list` is refused with the file and line; nothing recorded
! printf 'Loaded patch modules:\nkpatch_5_14_0_284_11_1_1_2 enabled\n' >"$T/bad.txt"
$ --db $DB --now 2026-01-10T01:00:00Z assets livepatch rhel9-kpatch $T/bad.txt
? 1
2> bad.txt:2: module kpatch_5_14_0_284_11_1_1_2: want [enabled] or [disabled]

### kpatch-2.2: ...nor anything that is neither format
! printf 'hello\n' >"$T/hello.txt"
$ --db $DB --now 2026-01-10T01:00:00Z assets livepatch rhel9-kpatch $T/hello.txt
? 1
2> hello.txt:1: want the output of `kpatch list`

### kpatch-2.3: a disabled module applies nothing
$ --db $DB --now 2026-01-10T01:00:00Z assets livepatch rhel9-kpatch $FIX/livepatch/kpatch-list-disabled.constructed.txt
> rhel9-kpatch: kernel unknown, kpatch: 0 modules loaded: 0 CVE fixes recorded as applied

### kpatch-3.1: the module kpatch_5_14_0_284_11_1_1_2 is kpatch-patch-5_14_0-284_11_1 1-2.el9_2: the two CVEs of RHSA-2099:9002
! test "$(sqlite3 "$DB" "SELECT count(*) FROM asset_livepatch")" = 0
$ --db $DB --now 2026-01-10T01:00:00Z assets livepatch rhel9-kpatch $FIX/livepatch/kpatch-list.constructed.txt
> rhel9-kpatch: kernel 5.14.0-284.11.1.el9_2.x86_64, kpatch: 1 module loaded (kpatch_5_14_0_284_11_1_1_2): 2 CVE fixes recorded as applied

### kpatch-3.2: the scan: those two kernel findings (kernel and kernel-core) mitigated by livepatch, still open; CVE-2023-3390 not
! test "$(sqlite3 "$DB" "SELECT group_concat(vuln_id, ' ') FROM (SELECT vuln_id FROM asset_livepatch WHERE source = 'kpatch' ORDER BY vuln_id)")" = "CVE-2023-3090 CVE-2023-35788"
! "$PL" --db "$DB" --now 2026-01-10T02:00:00Z scan >/dev/null
$ --db $DB --now 2026-01-10T02:00:00Z findings --asset rhel9-kpatch --status open --format csv
>* ,rhel9-kpatch,CVE-2023-3090,kernel,5.14.0-284.11.1.el9_2,5.14.0-284.18.1.el9_2 (livepatch),
>* ,rhel9-kpatch,CVE-2023-35788,kernel-core,5.14.0-284.11.1.el9_2,5.14.0-284.18.1.el9_2 (livepatch),
>* ,rhel9-kpatch,CVE-2023-3390,kernel,5.14.0-284.11.1.el9_2,5.14.0-284.18.1.el9_2,
! test "$("$PL" --db "$DB" --now 2026-01-10T02:00:00Z findings --asset rhel9-kpatch --status open --format csv | grep -c '(livepatch)')" = 4

### kpatch-3.3: explain names the source, the module and the kernel
! "$PL" --db "$DB" --now 2026-01-10T02:00:00Z findings --asset rhel9-kpatch --format csv | awk -F, '$3 == "CVE-2023-3090" && $4 == "kernel" {print $1}' >"$T/id"
$ --db $DB --now 2026-01-10T02:00:00Z explain $(cat $T/id)
>* mitigated by livepatch: kpatch patch kpatch_5_14_0_284_11_1_1_2 applied the fix to the running kernel 5.14.0-284.11.1.el9_2.x86_64
>* mitigation

### kpatch-4.1: negative control: the host rebooted into another kernel; the report is for the old one: no mitigation
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z assets set rhel9-kpatch kernel=5.14.0-284.13.1.el9_2.x86_64 >/dev/null
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z scan >/dev/null
$ --db $DB --now 2026-01-11T00:00:00Z findings --asset rhel9-kpatch --status open --format csv
>* ,rhel9-kpatch,CVE-2023-3090,kernel,5.14.0-284.11.1.el9_2,5.14.0-284.18.1.el9_2,
! ! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z findings --asset rhel9-kpatch --format csv | grep -q '(livepatch)'
