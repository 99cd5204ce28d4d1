# feed import updateinfo (issue 16): yum/dnf updateinfo.xml (plain, gzip, xz) and its JSON
# form, Amazon Linux ecosystems in rpm order, AL2 extras bound to their topic's stream.
# Fixtures: three real ALAS entries (tests/fixtures/updateinfo/PROVENANCE) and two hand-made
# Amazon Linux 2 hosts.

### updateinfo-1.1: updateinfo.xml is detected and imported: one advisory per update
$ --db $DB --now 2026-01-10T00:00:00Z feed import $FIX/updateinfo/alas2_sample_updateinfo.xml
> updateinfo: $FIX/updateinfo/alas2_sample_updateinfo.xml: 3 records, 3 new, 0 updated, 0 unchanged, 0 withdrawn

### updateinfo-1.2: the JSON form of the same entries is the same advisories (unchanged)
$ --db $DB --now 2026-01-10T00:00:00Z feed import updateinfo $FIX/updateinfo/alas2_sample.jsonl
> updateinfo: $FIX/updateinfo/alas2_sample.jsonl: 3 records, 0 new, 0 updated, 3 unchanged, 0 withdrawn

### updateinfo-1.3: gzip and xz copies read the same
! gzip -c "$FIX/updateinfo/alas2_sample_updateinfo.xml" >"$T/u.xml.gz"
! xz -c "$FIX/updateinfo/alas2_sample_updateinfo.xml" >"$T/u.xml.xz"
$ --db $DB --now 2026-01-10T00:00:00Z feed import updateinfo $T/u.xml.gz $T/u.xml.xz
> updateinfo: $T/u.xml.gz: 3 records, 0 new, 0 updated, 3 unchanged, 0 withdrawn
> updateinfo: $T/u.xml.xz: 3 records, 0 new, 0 updated, 3 unchanged, 0 withdrawn

### updateinfo-1.4: rows: amazon:2, EVR with epoch, extras rows start at their topic's stream
! sqlite3 "$DB" "SELECT advisory, ecosystem, package, coalesce(introduced, '-'), fixed, severity FROM affected WHERE package IN ('curl', 'nginx', 'kernel') ORDER BY advisory" >"$T/rows"
$ vercmp --scheme rpm 1 1
>* 0
! test "$(sed -n 1p "$T/rows")" = "ALAS2-2023-2230|amazon:2|curl|-|8.2.1-1.amzn2.0.2|Medium"
! test "$(sed -n 2p "$T/rows")" = "ALAS2KERNEL-5.10-2024-076|amazon:2|kernel|5.10|5.10.213-201.855.amzn2|Important"
! test "$(sed -n 3p "$T/rows")" = "ALAS2NGINX1-2023-006|amazon:2|nginx|1:1|1:1.22.1-1.amzn2.0.3|Important"

### updateinfo-2.1: the hosts: core curl and extras nginx match; kernel 4.14 is not on the 5.10 topic
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import trivy "$FIX/updateinfo/al2_host_core_kernel.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import trivy "$FIX/updateinfo/al2_host_kernel510.json" >/dev/null
$ --db $DB --now 2026-01-10T00:00:00Z scan
>* 89 open findings (89 provisional)

### updateinfo-2.2: per host and package: 4 CVEs x curl, libcurl; 1 x nginx; 40 x kernel, bpftool
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --format csv | awk -F, 'NR>1{print $2" "$4" "$6}' | sort | uniq -c | awk '{print $1, $2, $3, $4}' >"$T/by"
$ --db $DB --now 2026-01-10T00:00:00Z findings --asset al2-core-kernel-4.14 --format csv
>* al2-core-kernel-4.14,CVE-2023-44487,nginx,1:1.20.0-2.amzn2.0.5,1:1.22.1-1.amzn2.0.3,
>* al2-core-kernel-4.14,CVE-2023-28319,libcurl,7.88.1-10.amzn2.0.1,8.2.1-1.amzn2.0.2,
! test "$(cat "$T/by")" = "$(printf '4 al2-core-kernel-4.14 curl 8.2.1-1.amzn2.0.2\n4 al2-core-kernel-4.14 libcurl 8.2.1-1.amzn2.0.2\n1 al2-core-kernel-4.14 nginx 1:1.22.1-1.amzn2.0.3\n40 al2-kernel-5.10-topic bpftool 5.10.213-201.855.amzn2\n40 al2-kernel-5.10-topic kernel 5.10.213-201.855.amzn2')"

### updateinfo-2.3: explain names the advisory, the rpm order and the ecosystem
$ --db $DB explain 1
>* advisory         ALAS2-2023-2230
>* (rpm order, amazon:2)
>* vendor severity  Medium

### updateinfo-3.1: a bad package: file, line, advisory and field named; nothing kept
! printf '<updates>\n<update type="security"><id>ALAS2-2099-1</id>\n<pkglist><collection><package name="zlib" version="" release="1.amzn2" epoch="0" arch="x86_64"/></collection></pkglist></update>\n</updates>\n' >"$T/bad.xml"
$ --db $DB --now 2026-01-10T00:00:00Z feed import updateinfo $T/bad.xml
? 1
2> bad.xml:2: advisory 'ALAS2-2099-1': field 'package.version': missing for 'zlib'

### updateinfo-3.2: ...nothing of it was kept
! test "$(sqlite3 "$DB" "SELECT count(*) FROM advisories WHERE id = 'ALAS2-2099-1'")" = 0
$ vercmp --scheme rpm 1 1
>* 0

### updateinfo-3.3: an update whose release cannot be told is refused
! printf '<updates>\n<update type="security"><id>XYZ-1</id><pkglist><collection><package name="a" version="1" release="1" epoch="0"/></collection></pkglist></update>\n</updates>\n' >"$T/unk.xml"
$ --db $DB --now 2026-01-10T00:00:00Z feed import updateinfo $T/unk.xml
? 1
2> advisory 'XYZ-1': field 'id': cannot tell the distribution release

### updateinfo-3.4: a JSON entry of the wrong shape names the record and field
! printf '{"ID":"ALAS2-2099-2","Pkglist":{"Collection":{"Package":[{"Name":"zlib","Version":7}]}}}\n' >"$T/bad.jsonl"
$ --db $DB --now 2026-01-10T00:00:00Z feed import updateinfo $T/bad.jsonl
? 1
2> record 1: advisory 'ALAS2-2099-2': field 'Version': expected string, got number

### updateinfo-3.5: Rocky and Oracle entries take their release from the .elN tag; bug fixes are skipped
! printf '<updates>\n<update type="security"><id>RLSA-2024:1234</id><issued date="2024-03-01 10:00:00"/><severity>Important</severity><references><reference type="cve" id="CVE-2024-0001"/></references><pkglist><collection><package name="zlib" version="1.2.11" release="40.el9_3" epoch="0" arch="x86_64"/></collection></pkglist></update>\n<update type="bugfix"><id>RLBA-2024:9</id><pkglist><collection><package name="zlib" version="1.2.11" release="41.el9" epoch="0"/></collection></pkglist></update>\n<update type="security"><id>ELSA-2024-77</id><pkglist><collection><package name="zlib" version="1.2.11" release="40.0.1.el8" epoch="0"/></collection></pkglist></update>\n</updates>\n' >"$T/rocky.xml"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import updateinfo "$T/rocky.xml" >/dev/null
! test "$(sqlite3 "$DB" "SELECT group_concat(advisory || ' ' || ecosystem, ';') FROM (SELECT advisory, ecosystem FROM affected WHERE package = 'zlib' ORDER BY advisory) AS x")" = "ELSA-2024-77 oracle:8;RLSA-2024:1234 rocky:9"
$ vercmp --scheme rpm 1 1
>* 0

### updateinfo-4.1: Amazon Linux 2 reaches its end of life on 2026-06-30: the report flags both hosts after it
$ --db $DB --now 2026-07-31T00:00:00Z report --format md
>* 2 assets run an OS past the end of its security support (endoflife.date data of 2026-08-22).
>* - end of life: al2-core-kernel-4.14: amazon 2 (support ended 2026-06-30)

### updateinfo-4.2: ...and not before
$ --db $DB --now 2026-01-31T00:00:00Z report --format md
>* 0 assets run an OS past the end of its security support

### updateinfo-5.1: the SSM hand-off of a stored plan names the exact ALAS ids of its findings (the two images as staging Amazon Linux 2 hosts: no soak)
! sqlite3 "$DB" "UPDATE assets SET owner = 'ops', environment = 'staging', kind = 'host', os_family = 'amazon', os_version = '2' WHERE name LIKE 'al2-%'"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z plan >/dev/null
$ --db $DB handoff ssm --rollout 1 -o $T/ssm
>* $T/ssm/ssm/baseline-staging-AMAZON_LINUX_2.json

### updateinfo-5.2: ...core, kernel-5.10 topic and nginx topic advisories, each once, before the packages
! f="$T/ssm/ssm/baseline-staging-AMAZON_LINUX_2.json"; for a in ALAS2-2023-2230 ALAS2KERNEL-5.10-2024-076 ALAS2NGINX1-2023-006; do test "$(grep -o "\"$a\"" "$f" | wc -l)" = 1 || exit 1; done
! grep -q '"ApprovedPatches": \["ALAS2' "$T/ssm/ssm/baseline-staging-AMAZON_LINUX_2.json" && grep -q '"curl-8.2.1-1.amzn2.0.2"' "$T/ssm/ssm/baseline-staging-AMAZON_LINUX_2.json"
! grep -q '"OperatingSystem": "AMAZON_LINUX_2"' "$T/ssm/ssm/baseline-staging-AMAZON_LINUX_2.json" && grep -q '"Key": "SEVERITY"' "$T/ssm/ssm/baseline-staging-AMAZON_LINUX_2.json"
$ --db $DB handoff ssm --rollout 1 -o $T/ssm2
>* baseline-staging-AMAZON_LINUX_2.json
