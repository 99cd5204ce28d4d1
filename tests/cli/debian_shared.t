# Debian 12 on the real data (issue 16): the real dpkg status of a Debian 12 machine (846
# packages) against the tracker file built from the Debian tracker's OSV export (33,154 entries,
# 3,294 open). Its open entries are no-fix findings, and the findings equal, pair for pair, what
# an independent check computes from the same two files with dpkg's order (python3-apt,
# tests/cli/debian_check.py). Slow under ASan (about a minute).
skip-without-shared

### debian-shared-1.1: the tracker file
$ --db $DB --now 2026-01-10T00:00:00Z feed import debian $SHARED/debian/security-tracker-bookworm-from-osv.json.xz
> debian: $SHARED/debian/security-tracker-bookworm-from-osv.json.xz: 33154 records, 33154 new, 0 updated, 0 unchanged, 0 withdrawn

### debian-shared-1.2: the host and the scan
! cp -r "$FIX/inventory/root" "$T/root"
! cp "$SHARED/debian/dpkg_status_sample_debian12.txt" "$T/root/var/lib/dpkg/status"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory collect --root "$T/root" >/dev/null
$ --db $DB --now 2026-01-10T00:00:00Z scan
>* 2069 open findings

### debian-shared-1.3: every finding is an open tracker entry (no fix), the same 2,069 pairs as the check
! /usr/bin/python3 "$(dirname "$FIX")/cli/debian_check.py" "$SHARED/debian/security-tracker-bookworm-from-osv.json.xz" "$T/root/var/lib/dpkg/status" >"$T/want"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --format csv | awk -F, 'NR>1{print $4","$3","($6 ~ /^no fix/ ? "no-fix" : "fixed")}' | sort >"$T/got"
! test "$(grep -c ',no-fix$' "$T/want")" = 2069
! diff "$T/want" "$T/got"
$ vercmp --scheme dpkg 1 1
>* 0

### debian-shared-1.4: the report's no-fix line
$ --db $DB --now 2026-01-31T00:00:00Z report --format json
>* "no_fix":2069,"no_fix_decided":0,
