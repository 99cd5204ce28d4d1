# Debian's debian-security-support lists on the real data (issue 16): the
# shipped table (src/match/dss_data.c) is what scripts/gen-dss-data.py makes
# of ../shared/data/debian/debian-security-support, and the real Debian 12
# dpkg status with two packages of the ended list added gets exactly the
# eol:SOURCE:deb12 findings an awk join of the same files gives.
skip-without-shared

### dss-1.1: the shipped table equals the data
! python3 "$FIX/../../scripts/gen-dss-data.py" "$SHARED/debian/debian-security-support" > "$T/dss_data.c"
! diff "$T/dss_data.c" "$FIX/../../src/match/dss_data.c"
! test "$(grep -c '^    {"12", ' "$T/dss_data.c")" = "$(grep -vc -e '^#' -e '^[[:space:]]*$' "$SHARED/debian/debian-security-support/security-support-ended.deb12")"
$ --version

### dss-1.2: a Debian 12 host: the real dpkg status plus wolfssl and pdns
! mkdir -p "$T/h/etc" "$T/h/var/lib/dpkg"; printf 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' >"$T/h/etc/os-release"; echo deb12-real >"$T/h/etc/hostname"; echo 0123456789abcdef0123456789abcdef >"$T/h/etc/machine-id"
! { cat "$SHARED/debian/dpkg_status_sample_debian12.txt"; printf '\nPackage: libwolfssl35\nStatus: install ok installed\nArchitecture: amd64\nSource: wolfssl\nVersion: 5.5.4-2+deb12u2\n\nPackage: pdns-recursor\nStatus: install ok installed\nArchitecture: amd64\nVersion: 4.8.8-1+deb12u1\n\n'; } >"$T/h/var/lib/dpkg/status"
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory collect --root "$T/h" >/dev/null
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* open findings

### dss-1.3: the findings equal the join of the installed sources with the ended list (end date passed)
! awk '/^Package:/{p=$2; s=""; st=""} /^Source:/{s=$2} /^Status:/{st=$0} /^$/{ if (p != "" && st ~ /install ok installed/) print (s != "" ? s : p); p=""}' "$T/h/var/lib/dpkg/status" | sort -u > "$T/sources"
! grep -v -e '^#' -e '^[[:space:]]*$' "$SHARED/debian/debian-security-support/security-support-ended.deb12" | awk '$3 <= "2026-12-01" {print $1}' | while read -r pat; do grep -E "^${pat}\$" "$T/sources"; done | sort -u | sed 's/^\(.*\)$/eol:\1:deb12/' > "$T/expected"
! test "$(cat "$T/expected" | tr '\n' ' ')" = "eol:pdns-recursor:deb12 eol:wolfssl:deb12 "
! sqlite3 "$DB" "SELECT vuln_id FROM findings WHERE vuln_id LIKE 'eol:%:deb12' AND status = 'open'" | sort > "$T/actual"
! diff "$T/expected" "$T/actual"
$ --version
