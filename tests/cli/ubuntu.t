# Ubuntu (issue 16): the Ubuntu Security CVE API's per-release statuses (feed import ubuntu-cve),
# on a fixture derived from the real API page of CVE-2025-21984 (tests/fixtures/ubuntu/PROVENANCE),
# with three hand-made hosts (16.04, 18.04, 24.04) whose kernel packages are built from the
# `linux` and `linux-aws-5.0` sources.

### ubuntu-2.1: the derived page: rows per release with the tracker's status and decision
$ --db $DB --now 2026-01-10T00:00:00Z feed import ubuntu-cve $FIX/ubuntu/ubuntu_cve_api_CVE-2025-21984_derived.json
>* 1 records, 1 new

### ubuntu-2.2: ...as stored
$ --db $DB --now 2026-01-10T00:00:00Z vercmp --scheme dpkg 1 1
>* 0
! test "$(sqlite3 "$DB" "SELECT group_concat(ecosystem || ' ' || package || ' ' || status || ' ' || coalesce(fixed, '-') || ' ' || coalesce(fix_channel, marker, '-') || ' ' || coalesce(note, '-'), '; ') FROM (SELECT * FROM affected ORDER BY ecosystem, package) AS x")" = "ubuntu:14.04 linux not-affected - - -; ubuntu:16.04 linux fixed 4.4.0-270.304 ubuntu-pro esm-infra; ubuntu:18.04 linux not-affected - - -; ubuntu:18.04 linux-aws-5.0 open - ignored ignored: superseded by linux-aws-5.3; ubuntu:20.04 linux not-affected - - -; ubuntu:22.04 linux open - postponed deferred: 2025-04-15; ubuntu:24.04 linux open - - -; ubuntu:24.10 linux open - - -"

### ubuntu-3.1: three hosts: the Ubuntu Pro fix, the ignored (superseded) kernel, the needed one
! for h in xenial:16.04 bionic:18.04 noble:24.04; do c=${h%%:*}; v=${h#*:}; mkdir -p "$T/$c/etc" "$T/$c/var/lib/dpkg"; printf 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="%s"\nVERSION_CODENAME=%s\n' "$v" "$c" >"$T/$c/etc/os-release"; echo "host-$c" >"$T/$c/etc/hostname"; echo "0000000000000000000000000000$c" | cut -c1-32 >"$T/$c/etc/machine-id"; done
! printf 'Package: linux-modules-4.4.0-260-generic\nStatus: install ok installed\nArchitecture: amd64\nSource: linux\nVersion: 4.4.0-260.294\n\n' >"$T/xenial/var/lib/dpkg/status"
! printf 'Package: linux-modules-5.0.0-1027-aws\nStatus: install ok installed\nArchitecture: amd64\nSource: linux-aws-5.0\nVersion: 5.0.0-1027.30~18.04.1\n\n' >"$T/bionic/var/lib/dpkg/status"
! printf 'Package: linux-modules-6.8.0-31-generic\nStatus: install ok installed\nArchitecture: amd64\nSource: linux\nVersion: 6.8.0-31.31\n\n' >"$T/noble/var/lib/dpkg/status"
! for c in xenial bionic noble; do "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory collect --root "$T/$c" >/dev/null || exit 1; done
$ --db $DB --now 2026-01-10T00:00:00Z scan
>* 3 open findings

### ubuntu-3.2: the findings say which fix needs Ubuntu Pro and why the others have none
$ --db $DB --now 2026-01-10T00:00:00Z findings --format csv
>* host-xenial,CVE-2025-21984,linux-modules-4.4.0-260-generic,4.4.0-260.294,4.4.0-270.304 (Ubuntu Pro),
>* host-bionic,CVE-2025-21984,linux-modules-5.0.0-1027-aws,5.0.0-1027.30~18.04.1,no fix (ignored),
>* host-noble,CVE-2025-21984,linux-modules-6.8.0-31-generic,6.8.0-31.31,no fix,

### ubuntu-3.3: a fix that needs a subscription is not an available fix: the remedy is a compensating control
$ --db $DB --now 2026-01-10T00:00:00Z explain 1
>* remedy: no fix is available
>* fixed            4.4.0-270.304

### ubuntu-3.4: the report counts the two with no fixed version, one of them by Ubuntu's decision
$ --db $DB --now 2026-01-31T00:00:00Z report --format json
>* "no_fix":2,"no_fix_decided":1,

### ubuntu-3.5: the report flags the hosts whose release is past the end of its security support
$ --db $DB --now 2026-01-31T00:00:00Z report --format md
>* 2 assets run an OS past the end of its security support (endoflife.date data of 2026-08-22).
>* - end of life: host-xenial: ubuntu 16.04 (support ended 2021-04-02; extended support until 2026-04-02)
>* - end of life: host-bionic: ubuntu 18.04 (support ended 2023-05-31; extended support until 2028-04-01)

### ubuntu-3.6: ...in JSON and CSV too
$ --db $DB --now 2026-01-31T00:00:00Z report --format json
>* "eol_os":{"table_date":"2026-08-22","total":2,"assets":[{"asset":"host-xenial","env":null,"os":"ubuntu 16.04","eol":"2021-04-02T00:00:00Z","extended_until":"2026-04-02T00:00:00Z"}

### ubuntu-3.7: ...as CSV
$ --db $DB --now 2026-01-31T00:00:00Z report --format csv
>* eol_os,ubuntu 18.04,host-bionic,
