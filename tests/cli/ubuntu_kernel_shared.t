# Ubuntu kernels (issue 16) on the real data: USN-7095-1 (OSV, linux-nvidia-6.8 on 22.04 and
# linux-nvidia-lowlatency on 24.04, with the binaries and versions it lists) and the Ubuntu CVE
# API page of CVE-2025-21984 (linux-nvidia-6.8 "needed" on jammy). The hosts are built by the
# test from the USN's own binary names (the ABI replaced by an earlier version the USN lists).
# One kernel is matched per host: the running one, else the newest installed; through its image
# as its source (linux-signed-X is linux-X); the finding lives on the flavour's meta-package.
skip-without-shared

### ukernel-1.1: the real notice and the real tracker page import
$ --db $DB --now 2026-01-10T00:00:00Z feed import osv $SHARED/ubuntu/samples/USN-7095-1.json
>* 1 records, 1 new

### ukernel-1.1.1: ...and the tracker page
$ --db $DB --now 2026-01-10T00:00:00Z feed import ubuntu-cve $SHARED/ubuntu/samples/ubuntu_cve_api_page_CVE-2025-21984.json
>* 1 records, 1 new

### ukernel-1.2: a 22.04 GPU host: kernels 6.8.0-1010 (left installed) and 6.8.0-1012 (running), meta-packages at 1012
! /usr/bin/python3 "$(dirname "$FIX")/cli/ubuntu_kernel.py" build "$SHARED/ubuntu/samples/USN-7095-1.json" "$T"
! for c in jammy noble; do "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory collect --root "$T/$c" >/dev/null || exit 1; done
$ --db $DB --now 2026-01-10T00:00:00Z assets set gpu-jammy kernel=6.8.0-1012-nvidia

### ukernel-1.2.1: the scan
$ --db $DB --now 2026-01-10T00:00:00Z scan
>* open findings

### ukernel-1.3: jammy: every finding is on the meta-package, at the running kernel's version, fixed in the notice's version
$ --db $DB --now 2026-01-10T00:00:00Z findings --asset gpu-jammy --format csv
>* gpu-jammy,CVE-2025-21984,linux-image-nvidia-6.8,6.8.0-1012.12~22.04.1,no fix,
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --asset gpu-jammy --format csv >"$T/j.csv"
! /usr/bin/python3 "$(dirname "$FIX")/cli/ubuntu_kernel.py" jammy "$T/j.csv" "$T/usn-cves"

### ukernel-1.4: the evidence names the image, its source and the remedy: the meta-package, then a reboot
! test "$("$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --asset gpu-jammy --format csv | awk -F, '$1 == 2 {print $2}')" = gpu-jammy
$ --db $DB --now 2026-01-10T00:00:00Z explain 2
>* source linux-nvidia-6.8 6.8.0-1012.12~22.04.1 < fixed 6.8.0-1017.19~22.04.1 (dpkg order, ubuntu:22.04); kernel linux-image-6.8.0-1012-nvidia 6.8.0-1012.12~22.04.1 (linux-signed-nvidia-6.8, running); remedy: upgrade the meta-package linux-image-nvidia-6.8 (6.8.0.1012.12~22.04.1), then reboot

### ukernel-1.5: noble: no meta-package, running kernel unknown: the newest installed kernel's image carries the findings
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --asset gpu-noble --format csv >"$T/n.csv"
! /usr/bin/python3 "$(dirname "$FIX")/cli/ubuntu_kernel.py" noble "$T/n.csv" "$T/usn-cves"
$ --db $DB --now 2026-01-10T00:00:00Z findings --asset gpu-noble --format csv
>* gpu-noble,CVE-2024-45001,linux-image-unsigned-6.8.0-1013-nvidia-lowlatency,6.8.0-1013.14.1,6.8.0-1017.19.1,

### ukernel-2.1: upgraded (meta-packages and the 1017 kernel installed) but not rebooted: still open, on the running kernel
! cp "$T/jammy-upgraded/var/lib/dpkg/status" "$T/jammy/var/lib/dpkg/status"
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z inventory collect --root "$T/jammy" >/dev/null
$ --db $DB --now 2026-01-11T00:00:00Z scan
>* open findings

### ukernel-2.1.1: ...every finding still at the running kernel's version; the evidence says to reboot into the installed fix
! test "$("$PL" --db "$DB" --now 2026-01-11T00:00:00Z findings --asset gpu-jammy --format csv | grep -c ',linux-image-nvidia-6.8,6.8.0-1012.12~22.04.1,6.8.0-1017.19~22.04.1,')" = "$(wc -l <"$T/usn-cves")"
$ --db $DB --now 2026-01-11T00:00:00Z explain 2
>* (linux-signed-nvidia-6.8, running); remedy: upgrade the meta-package linux-image-nvidia-6.8 (6.8.0.1017.19~22.04.1), then reboot; linux-image-6.8.0-1017-nvidia 6.8.0-1017.19~22.04.1 is installed: reboot into it if it has the fix

### ukernel-2.2: rebooted into 1017: the notice's findings close as fixed; the tracker's "needed" one stays open
$ --db $DB --now 2026-01-12T00:00:00Z assets set gpu-jammy kernel=6.8.0-1017-nvidia

### ukernel-2.2.1: the scan after the reboot
$ --db $DB --now 2026-01-12T00:00:00Z scan
>* open findings

### ukernel-2.2.2: ...the findings
$ --db $DB --now 2026-01-12T00:00:00Z findings --asset gpu-jammy --format csv
>* gpu-jammy,CVE-2025-21984,linux-image-nvidia-6.8,6.8.0-1017.19~22.04.1,no fix,
! test "$("$PL" --db "$DB" --now 2026-01-12T00:00:00Z findings --asset gpu-jammy --format csv | tail -n +2 | wc -l)" = 1
! test "$("$PL" --db "$DB" --now 2026-01-12T00:00:00Z findings --asset gpu-jammy --status fixed --format csv | tail -n +2 | wc -l)" = "$(wc -l <"$T/usn-cves")"
