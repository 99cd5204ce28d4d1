# Debian kernels (issue 16) on the real data: the `linux` entries of the tracker file built
# from the tracker's OSV export (5,957 entries, 473 open), unchanged, and a Debian 12 host made
# of the kernel packages of the real bookworm binary index (tests/cli/debian_kernel.py says
# which versions are earlier ones put in place of the index's, as its kernels are all newer
# than the export's fixes). One kernel is matched: the running one, through its signed image
# (source linux-signed-amd64 stands for linux; the image's own version is the kernel's); the
# finding lives on the meta-package linux-image-amd64; an installed newer kernel does not fix
# it until the host runs it. An independent check computes the findings from the same data
# (dpkg order, python3-apt). Slow under ASan (a few minutes on a loaded machine).
skip-without-shared

### dkernel-1.1: the tracker's linux entries import
! /usr/bin/python3 "$(dirname "$FIX")/cli/debian_kernel.py" build "$SHARED/debian/bookworm_binary_packages_index.tsv.xz" "$SHARED/debian/security-tracker-bookworm-from-osv.json.xz" "$T"
$ --db $DB --now 2026-01-10T00:00:00Z feed import debian $T/tracker.json
> debian: $T/tracker.json: 5957 records, 5957 new, 0 updated, 0 unchanged, 0 withdrawn

### dkernel-1.2: the host: kernels 6.1.0-18 (left installed) and 6.1.0-21 (running), the meta-package at 6.1.90-1
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory collect --root "$T/root" >/dev/null
$ --db $DB --now 2026-01-10T00:00:00Z assets set deb-kernel kernel=6.1.0-21-amd64
> asset 1 updated

### dkernel-1.2.1: the scan
$ --db $DB --now 2026-01-10T00:00:00Z scan
>* open findings

### dkernel-1.3: every tracker entry open or fixed after 6.1.90-1 is one finding, on the meta-package, at the running kernel's version; none on linux-libc-dev or the headers
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --format csv >"$T/a.csv"
! /usr/bin/python3 "$(dirname "$FIX")/cli/debian_kernel.py" check "$T/a.csv" "$SHARED/debian/security-tracker-bookworm-from-osv.json.xz" 6.1.90-1
$ --db $DB --now 2026-01-10T00:00:00Z findings --format csv
>* deb-kernel,CVE-2025-21696,linux-image-amd64,6.1.90-1,no fix,
>* deb-kernel,CVE-2024-36971,linux-image-amd64,6.1.90-1,6.1.94-1,

### dkernel-1.4: the evidence names the running image, its signing source and the remedy: the meta-package, then a reboot
! awk -F, '$3 == "CVE-2024-36971" {print $1}' "$T/a.csv" >"$T/id"
$ --db $DB --now 2026-01-10T00:00:00Z explain $(cat $T/id)
>* source linux 6.1.90-1 < fixed 6.1.94-1 (dpkg order, debian:bookworm); kernel linux-image-6.1.0-21-amd64 6.1.90-1 (linux-signed-amd64, running); remedy: upgrade the meta-package linux-image-amd64 (6.1.90-1), then reboot

### dkernel-2.1: upgraded (the index's 6.1.0-50 kernel and meta-package 6.1.176-1) but not rebooted: still open at 6.1.90-1
! cp "$T/upgraded/var/lib/dpkg/status" "$T/root/var/lib/dpkg/status"
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z inventory collect --root "$T/root" >/dev/null
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z scan >/dev/null
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z findings --format csv >"$T/b.csv"
! /usr/bin/python3 "$(dirname "$FIX")/cli/debian_kernel.py" check "$T/b.csv" "$SHARED/debian/security-tracker-bookworm-from-osv.json.xz" 6.1.90-1
$ --db $DB --now 2026-01-11T00:00:00Z explain $(cat $T/id)
>* remedy: upgrade the meta-package linux-image-amd64 (6.1.176-1), then reboot; linux-image-6.1.0-50-amd64 6.1.176-1 is installed: reboot into it if it has the fix

### dkernel-2.2: rebooted into 6.1.0-50: the fixed entries close as fixed, the open ones stay
$ --db $DB --now 2026-01-12T00:00:00Z assets set deb-kernel kernel=6.1.0-50-amd64
> asset 1 updated

### dkernel-2.2.1: the scan after the reboot
! "$PL" --db "$DB" --now 2026-01-12T00:00:00Z scan >/dev/null
! "$PL" --db "$DB" --now 2026-01-12T00:00:00Z findings --format csv >"$T/c.csv"
! /usr/bin/python3 "$(dirname "$FIX")/cli/debian_kernel.py" check "$T/c.csv" "$SHARED/debian/security-tracker-bookworm-from-osv.json.xz" 6.1.176-1
! test "$(tail -n +2 "$T/c.csv" | wc -l)" = 473
! test "$("$PL" --db "$DB" --now 2026-01-12T00:00:00Z findings --status fixed --format csv | tail -n +2 | wc -l)" = "$(($(tail -n +2 "$T/a.csv" | wc -l) - 473))"
$ --db $DB --now 2026-01-12T00:00:00Z findings --status fixed --format csv
>* ,deb-kernel,CVE-2024-36971,linux-image-amd64,6.1.176-1,6.1.94-1,
