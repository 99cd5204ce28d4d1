# Ubuntu Livepatch (issue 16): the host's `canonical-livepatch status --format json` report
# (tests/fixtures/livepatch, constructed in the client's documented shape) says which CVE fixes
# a live patch applied to the running kernel. On the 22.04 host of ubuntu_kernel_shared.t
# (USN-7095-1, real), those kernel findings are shown as mitigated by livepatch: still open
# (not fixed by a package: the reboot into a fixed kernel is due), marked "livepatch"; the
# others unchanged. A report for another kernel than the running one is not used.
skip-without-shared

### livepatch-1.1: the notice imports
$ --db $DB --now 2026-01-10T00:00:00Z feed import osv $SHARED/ubuntu/samples/USN-7095-1.json
>* 1 records, 1 new

### livepatch-1.2: the 22.04 host, running 6.8.0-1012-nvidia
! /usr/bin/python3 "$(dirname "$FIX")/cli/ubuntu_kernel.py" build "$SHARED/ubuntu/samples/USN-7095-1.json" "$T"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory collect --root "$T/jammy" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z assets set gpu-jammy kernel=6.8.0-1012-nvidia >/dev/null
$ --db $DB --now 2026-01-10T00:00:00Z scan
>* open findings

### livepatch-1.3: a report that is not the client's JSON is refused, naming the file and field; nothing recorded
! printf '{"Status": [{"Running": true, "Livepatch": {"State": "applied"}}]}' >"$T/bad.json"
$ --db $DB --now 2026-01-10T01:00:00Z assets livepatch gpu-jammy $T/bad.json
? 1
2> bad.json: record 1: Status[].Kernel: missing

### livepatch-1.4: the client's report: patch 104.1 applied, two of its three fixes patched
$ --db $DB --now 2026-01-10T01:00:00Z assets livepatch gpu-jammy $FIX/livepatch/canonical-livepatch-status.constructed.json
> gpu-jammy: kernel 6.8.0-1012.12~22.04.1-nvidia, livepatch applied (patch 104.1): 3 fixes listed, 2 CVE fixes recorded as applied

### livepatch-1.5: the scan: the two patched CVEs are mitigated by livepatch, still open at the running kernel; the third is not
! "$PL" --db "$DB" --now 2026-01-10T02:00:00Z scan >/dev/null
$ --db $DB --now 2026-01-10T02:00:00Z findings --asset gpu-jammy --format csv
>* ,gpu-jammy,CVE-2024-25741,linux-image-nvidia-6.8,6.8.0-1012.12~22.04.1,6.8.0-1017.19~22.04.1 (livepatch),
>* ,gpu-jammy,CVE-2024-39486,linux-image-nvidia-6.8,6.8.0-1012.12~22.04.1,6.8.0-1017.19~22.04.1 (livepatch),
>* ,gpu-jammy,CVE-2024-41007,linux-image-nvidia-6.8,6.8.0-1012.12~22.04.1,6.8.0-1017.19~22.04.1,
! test "$("$PL" --db "$DB" --now 2026-01-10T02:00:00Z findings --asset gpu-jammy --format csv | grep -c '(livepatch)')" = 2
! test "$("$PL" --db "$DB" --now 2026-01-10T02:00:00Z findings --asset gpu-jammy --status open --format csv | grep -c ',CVE-2024-25741,')" = 1

### livepatch-1.6: explain says how: the patch, the kernel, and that the reboot is still due
! "$PL" --db "$DB" --now 2026-01-10T02:00:00Z findings --asset gpu-jammy --format csv | awk -F, '$3 == "CVE-2024-25741" {print $1}' >"$T/id"
$ --db $DB --now 2026-01-10T02:00:00Z explain $(cat $T/id)
>* remedy: upgrade the meta-package linux-image-nvidia-6.8 (6.8.0.1012.12~22.04.1), then reboot; mitigated by livepatch: canonical-livepatch patch 104.1 applied the fix to the running kernel 6.8.0-1012.12~22.04.1-nvidia (reported 2026-01-10): not fixed by a package, the reboot into a fixed kernel is still due
>* mitigation

### livepatch-1.7: JSON says so too; it is not a distribution's decision
$ --db $DB --now 2026-01-10T02:00:00Z findings --asset gpu-jammy --format json
>* "vuln": "CVE-2024-25741", "package": "linux-image-nvidia-6.8", "installed": "6.8.0-1012.12~22.04.1", "fixed": "6.8.0-1017.19~22.04.1 (livepatch)", "tier": "unscored", "due": "2026-04-10T00:00:00Z", "overdue": false, "provisional": true, "status": "open", "first_seen": "2026-01-10T00:00:00Z", "distro_decision": null,

### livepatch-2.1: rebooted into 6.8.0-1017: the report was for the old kernel, the fixed findings close as fixed
! cp "$T/jammy-upgraded/var/lib/dpkg/status" "$T/jammy/var/lib/dpkg/status"
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z inventory collect --root "$T/jammy" >/dev/null
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z assets set gpu-jammy kernel=6.8.0-1017-nvidia >/dev/null
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z scan >/dev/null
$ --db $DB --now 2026-01-11T00:00:00Z findings --asset gpu-jammy --status fixed --format csv
>* ,gpu-jammy,CVE-2024-25741,linux-image-nvidia-6.8,
! ! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z findings --asset gpu-jammy --format csv | grep -q '(livepatch)'
