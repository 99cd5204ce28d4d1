# An operating system past the end of its security support is a finding
# eol:PRODUCT:CYCLE with an SLA (issue 15, item 3; issue 16): Debian ends
# with its LTS, the others with their standard support; Windows Server is
# found by its build. Hosts built with os-release files (inventory collect
# --root) and the Windows one-liner's JSON; the table is endoflife.date's.
# Debian's debian-security-support lists make a package whose support ended
# early in its release an eol:SOURCE:debN finding (no fix: remove it).

### oseol-1.1: Debian 11 (LTS ended 2026-08-31), Debian 12 (LTS to 2028), Amazon Linux 2 (ended 2026-06-30), Amazon Linux 2023, Alpine 3.18
! for h in deb11:debian:11:bullseye deb12:debian:12:bookworm al2:amzn:2: al2023:amzn:2023: alp318:alpine:3.18.4:; do IFS=: read n id v c <<<"$h"; mkdir -p "$T/$n/etc" "$T/$n/var/lib/dpkg"; : >"$T/$n/var/lib/dpkg/status"; printf 'ID=%s\nVERSION_ID="%s"\nVERSION_CODENAME=%s\n' "$id" "$v" "$c" >"$T/$n/etc/os-release"; echo "host-$n" >"$T/$n/etc/hostname"; printf '%032d\n' "${#n}$RANDOM" | cut -c1-32 >"$T/$n/etc/machine-id"; "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory collect --root "$T/$n" >/dev/null || exit 1; done
! printf 'Package: libwolfssl35\nStatus: install ok installed\nArchitecture: amd64\nSource: wolfssl\nVersion: 5.5.4-2+deb12u2\n\nPackage: php-horde-imp\nStatus: install ok installed\nArchitecture: all\nVersion: 6.2.27-3\n\nPackage: pdns-server\nStatus: install ok installed\nArchitecture: amd64\nSource: pdns\nVersion: 4.7.3-2\n\nPackage: suricata\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:6.0.10-1\n\nPackage: php-horde-imp-x\nStatus: deinstall ok config-files\nArchitecture: all\nVersion: 1\n\n' >"$T/deb12/var/lib/dpkg/status"
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory collect --root "$T/deb12" >/dev/null
! printf '[{"CsDNSHostName":"OLDSRV","OsName":"Microsoft Windows Server 2012 R2 Standard","OsVersion":"6.3.9600","OsProductType":3,"UBR":23074},{"CsDNSHostName":"NEWSRV","OsName":"Microsoft Windows Server 2022 Standard","OsVersion":"10.0.20348","OsProductType":3,"UBR":4893},{"CsDNSHostName":"DESK","OsName":"Microsoft Windows 11 Enterprise","OsVersion":"10.0.26100","OsProductType":1,"UBR":8037}]' >"$T/win.json"
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory import windows "$T/win.json" >/dev/null
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 8 open findings

### oseol-1.2: exactly the releases past their end, each with the remedy
! test "$(sqlite3 "$DB" "SELECT group_concat(r, ' ') FROM (SELECT a.name || '|' || f.vuln_id || '|' || f.package || '|' || f.installed_version || '|' || coalesce(f.fixed_version, '-') AS r FROM findings f JOIN assets a ON a.id = f.asset_id WHERE f.status = 'open' ORDER BY a.name, f.vuln_id) AS x")" = "OLDSRV|eol:windows-server:2012-r2|windows-server|2012-r2|10.0.14393 host-al2|eol:amazon-linux:2|amazon-linux|2|2023.12.20260817.0 host-alp318|eol:alpine-linux:3.18|alpine-linux|3.18.4|3.22.5 host-deb11|eol:debian:11|debian|11|12.15 host-deb12|eol:pdns:deb12|pdns|4.7.3-2|- host-deb12|eol:php-horde-imp:deb12|php-horde-imp|6.2.27-3|- host-deb12|eol:suricata:deb12|suricata|1:6.0.10-1|- host-deb12|eol:wolfssl:deb12|wolfssl|5.5.4-2+deb12u2|-"
! test "$(sqlite3 "$DB" "SELECT (SELECT t.text FROM finding_texts t WHERE t.id = findings.evidence_ref) FROM findings WHERE vuln_id = 'eol:windows-server:2012-r2'")" = "operating system windows-server 2012-r2: cycle 2012-r2 past end of support since 2023-10-10 (endoflife.date 2026-08-22); upgrade to cycle 2016 (latest 10.0.14393), supported until 2027-01-12"
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* host-deb11,eol:debian:11,debian,11,12.15,
>* host-deb12,eol:wolfssl:deb12,wolfssl,5.5.4-2+deb12u2,no fix,
: cycle 11 past end of support since 2026-08-31 (endoflife.date 2026-08-22); upgrade to cycle 12 (latest 12.15), supported until 2028-06-30

### oseol-1.3: tiered by the default policy's end-of-life rule, on the SLA clock
! test "$(sqlite3 "$DB" "SELECT group_concat(v, ',') FROM (SELECT DISTINCT (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.rule_ref) || '|' || f.tier AS v FROM findings f WHERE f.vuln_id LIKE 'eol:%' ORDER BY 1) AS x")" = "end-of-life-exposed|1"
! for a in host-deb11 host-deb12 host-al2 host-alp318 OLDSRV; do "$PL" --db "$DB" --now 2026-12-01T00:00:00Z assets set $a exposure=no env=prod owner=ops >/dev/null || exit 1; done
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 8 open findings

### oseol-1.4: ...internal: end-of-life, Tier 2 (the due date already given stays)
! test "$(sqlite3 "$DB" "SELECT group_concat(v, ',') FROM (SELECT DISTINCT (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.rule_ref) || '|' || f.tier || '|' || strftime('%Y-%m-%dT%H:%M:%SZ', f.due_at, 'unixepoch') AS v FROM findings f WHERE f.vuln_id LIKE 'eol:%' ORDER BY 1) AS x")" = "end-of-life|2|2026-12-08T00:00:00Z"
! printf 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' >"$T/deb11/etc/os-release"
! "$PL" --db "$DB" --now 2026-12-02T00:00:00Z inventory collect --root "$T/deb11" >/dev/null
$ --db $DB --now 2026-12-02T00:00:00Z scan
>* 7 open findings

### oseol-1.5: the upgrade to Debian 12 closes the finding as fixed, with the proof
! test "$(sqlite3 "$DB" "SELECT f.status || '|' || coalesce((SELECT t.text FROM finding_texts t WHERE t.id = f.fix_proof_ref), '') FROM findings f WHERE f.vuln_id = 'eol:debian:11'")" = "fixed|debian now at 12, cycle 12 supported until 2028-06-30"
$ --db $DB --now 2026-12-02T00:00:00Z explain 1
>* operating system debian 11: cycle 11 past end of support since 2026-08-31 (endoflife.date 2026-08-22); upgrade to cycle 12 (latest 12.15), supported until 2028-06-30
