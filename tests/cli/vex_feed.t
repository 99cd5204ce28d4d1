# VEX through `feed import`, kind detected (issue 12 item 4): an OpenVEX
# document and a CSAF VEX document of a vendor other than Red Hat are
# statements about findings; known_not_affected sets the finding not-affected
# as CycloneDX VEX does. Red Hat's CSAF stays the csaf feed kind.
skip-without-shared

### vexfeed-1.1: a Debian 12 image whose libwebp7 has CVE-2023-4863 (KEV: Tier 0)
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z init >/dev/null && "$PL" --db "$DB" --now 2026-12-01T00:00:00Z feed import "$SHARED/debian/security-tracker-bookworm-from-osv.json.xz" >/dev/null && "$PL" --db "$DB" --now 2026-12-01T00:00:00Z feed import "$SHARED/kev/known_exploited_vulnerabilities.json" >/dev/null && "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory import "$FIX/trivy/debian12-libwebp.json" >/dev/null
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 0 Emergency         1          0      0         0      1

### vexfeed-2.1: feed import detects a CSAF VEX of another vendor and records its statement
$ --db $DB --now 2026-12-02T00:00:00Z feed import $FIX/vex/libwebp-not-affected.csaf-vex.json
> csaf-vex: $FIX/vex/libwebp-not-affected.csaf-vex.json: 1 VEX statements

### vexfeed-2.2: ...known_not_affected sets the finding not-affected at the next scan
$ --db $DB --now 2026-12-02T00:00:00Z scan
>* 0 open findings
>* 1 newly not-affected (VEX)

### vexfeed-2.3: ...listed with the statement, its justification and its source
$ --db $DB --now 2026-12-02T00:00:00Z findings --status not-affected --format csv
>* not-affected,2026-12-01T00:00:00Z,VEX not_affected (vulnerable_code_not_in_execute_path) by EXIM-VEX-2026-0007

### vexfeed-3.1: feed import detects an OpenVEX affected statement...
$ --db $DB --now 2026-12-03T00:00:00Z feed import $FIX/vex/libwebp-affected.openvex.json
>* openvex: $FIX/vex/libwebp-affected.openvex.json: 1 VEX statements

### vexfeed-3.2: ...which reopens the finding
$ --db $DB --now 2026-12-03T00:00:00Z scan
>* 0 Emergency         0          1      0         0      1

### vexfeed-3.3: the kind may be named
$ --db $DB --now 2026-12-04T00:00:00Z feed import openvex $FIX/vex/libwebp-not-affected.openvex.json
>* openvex: $FIX/vex/libwebp-not-affected.openvex.json: 1 VEX statements

### vexfeed-4.1: Red Hat's CSAF is still read as advisories by the csaf kind
$ --db $DB --now 2026-12-04T00:00:00Z feed import $FIX/csaf/mini.json
>* csaf: $FIX/csaf/mini.json:
