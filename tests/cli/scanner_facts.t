# Scanner and SBOM facts reach the decision (issue 12 items 2-4): Trivy's
# source packages and OS families, scanners' CVSS and severity words, one
# finding with many witnesses, disputed findings, VEX.
skip-without-shared

### facts-1.1: a Debian 12 image whose Trivy report lists libwebp7 with its source package
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z init >/dev/null && "$PL" --db "$DB" --now 2026-12-01T00:00:00Z feed import "$SHARED/debian/security-tracker-bookworm-from-osv.json.xz" >/dev/null && "$PL" --db "$DB" --now 2026-12-01T00:00:00Z feed import "$SHARED/kev/known_exploited_vulnerabilities.json" >/dev/null
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/trivy/debian12-libwebp.json
> trivy $FIX/trivy/debian12-libwebp.json: 1 records, 1 assets created, 0 merged, 0 skipped

### facts-1.2: ...is matched by its source package libwebp: CVE-2023-4863 at Tier 0 (KEV)
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 0 Emergency         1          0      0         0      1

### facts-1.3: ...on the binary package libwebp7, fixed in Debian's 1.2.4-0.2+deb12u1
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* CVE-2023-4863,libwebp7,1.2.4-0.2,1.2.4-0.2+deb12u1,0,

### facts-2.1: an OpenVEX not_affected statement for the image's libwebp7
$ --db $DB --now 2026-12-02T00:00:00Z inventory import $FIX/vex/libwebp-not-affected.openvex.json
> openvex $FIX/vex/libwebp-not-affected.openvex.json: 1 records, 0 assets created, 0 merged, 0 skipped

### facts-2.2: ...sets the finding not-affected at the next scan
$ --db $DB --now 2026-12-02T00:00:00Z scan
>* 0 open findings
>* 1 newly not-affected (VEX)

### facts-2.3: ...listed by findings --status not-affected with the statement
! cp "$DB" "$T/before.db" && test ! -s "$DB-wal"
$ --db $DB --now 2026-12-02T00:00:00Z findings --status not-affected --format csv
>* not-affected,2026-12-01T00:00:00Z,VEX not_affected (vulnerable_code_not_in_execute_path) by https://vex.example.com/thumbnailer/2026-12-01 (2026-12-01): thumbnails are made from PNG only

### facts-2.4: ...shown by explain with its source (the listing changed nothing in the store)
! cmp "$DB" "$T/before.db" && test ! -s "$DB-wal"
$ --db $DB explain 1
>*   vex              VEX not_affected (vulnerable_code_not_in_execute_path) by https://vex.example.com/thumbnailer/2026-12-01
>* not-affected   tier 0

### facts-2.5: ...out of the open findings (explain changed nothing in the store)
! cmp "$DB" "$T/before.db" && test ! -s "$DB-wal"
$ --db $DB --now 2026-12-02T00:00:00Z findings
> id  asset  vuln  package  installed  fixed  tier  due  overdue  provisional  status  first_seen

### facts-2.6: a later affected statement reopens it
! "$PL" --db "$DB" --now 2026-12-03T00:00:00Z inventory import "$FIX/vex/libwebp-affected.openvex.json" >/dev/null
$ --db $DB --now 2026-12-03T00:00:00Z scan
>* 0 Emergency         0          1      0         0      1

### facts-2.7: ...with the reopening in its history
$ --db $DB explain 1
>* reopened       tier 0

### facts-3.1: a Trivy report of AlmaLinux ("Family": "alma", no package list) is matched against the AlmaLinux OSV advisories
! "$PL" --db "$T/alma.db" --now 2026-12-01T00:00:00Z init >/dev/null && "$PL" --db "$T/alma.db" --now 2026-12-01T00:00:00Z feed import "$SHARED/redhat_family/almalinux_osv_advisories.jsonl.xz" >/dev/null
$ --db $T/alma.db --now 2026-12-01T00:00:00Z inventory import $SHARED/tool_outputs/trivy/almalinux-8.json
>* 1 assets created

### facts-3.2: ...the OS is AlmaLinux 8.5 and its scan finds what Trivy did not report
$ --db $T/alma.db --now 2026-12-01T00:00:00Z scan
>* 18 open findings (18 provisional)

### facts-3.2.1: ...among them the later OpenSSL fixes AlmaLinux published
$ --db $T/alma.db --now 2026-12-01T00:00:00Z findings --format csv
>* CVE-2024-4741,openssl-libs,1:1.1.1k-4.el8,1:1.1.1k-16.el8_6,

### facts-3.3: ...no advisories warning for almalinux:8
$ --db $T/alma.db --now 2026-12-01T00:00:00Z scan
2> warning: missing: no EPSS scores

### facts-4.1: Grype "Low" with CVSS 8.2 and "Critical" on an internet-facing production image
! "$PL" --db "$T/g.db" --now 2026-12-01T00:00:00Z init >/dev/null && "$PL" --db "$T/g.db" --now 2026-12-01T00:00:00Z inventory import "$SHARED/tool_outputs/grype/TestJsonImgsPresenter.json" >/dev/null && "$PL" --db "$T/g.db" --now 2026-12-01T00:00:00Z assets set user-input env=prod exposure=yes >/dev/null
$ --db $T/g.db --now 2026-12-01T00:00:00Z scan
>* 2 High              2          0      0         0      2

### facts-4.2: ...the Low one is tiered by its CVSS 8.2, not Tier 4
$ --db $T/g.db explain 1
>* cvss = 8.2 (want 7.0..8.9) [grype nvd]
>*   cvss             CVSS 3.1 reported by grype (nvd's score): 8.2 from the vector

### facts-4.3: ...and the scanner's Critical is never a vendor emergency (not Tier 0)
$ --db $T/g.db explain 2
>* vendor-emergency-exposed (tier 0, line 67): vendor_emergency is false, want true
>* severity Critical (grype)

### facts-5.1: a Trivy CRITICAL without CVSS is a severity band, never Tier 0
! "$PL" --db "$T/t.db" --now 2026-12-01T00:00:00Z init >/dev/null && "$PL" --db "$T/t.db" --now 2026-12-01T00:00:00Z inventory import "$FIX/trivy/critical-no-cvss.json" >/dev/null
$ --db $T/t.db --now 2026-12-01T00:00:00Z scan
>* 0 Emergency         0          0      0         0      0
>* 1 Critical          1          0      0         0      1

### facts-5.2: ...explained as the scanner's severity band
$ --db $T/t.db explain 1
>* (band of scanner severity 'critical' from trivy; no CVSS)

### facts-6.1: an OS family no advisories exist for is unassessed, named by the scan
! "$PL" --db "$T/p.db" --now 2026-12-01T00:00:00Z init >/dev/null && "$PL" --db "$T/p.db" --now 2026-12-01T00:00:00Z inventory import "$SHARED/tool_outputs/trivy/photon-30.json" >/dev/null
$ --db $T/p.db --now 2026-12-01T00:00:00Z scan
>* 1 assets unassessed
2> warning: unassessed: 1 assets (not clean: nothing to match them against): testdata/fixtures/images/photon-30.tar.gz (photon 3.0: no advisories for photon os:3.0)
