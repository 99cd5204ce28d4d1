# Third-party matching on the real NVD records of ../shared/data/nvd
# (158 records with CPE configurations) against an independent matcher,
# tests/oracle/cpe_oracle.py: it builds a constructed estate (Intune Windows
# devices and Jamf Macs with browsers, Nmap hosts with appliance CPEs) at
# and around every version the records name, and decides on its own which
# (asset, CVE) pairs are vulnerable. Patchline's open findings must be the
# same set.
skip-without-shared

### tps-1.1: the constructed estate and the real NVD records import
! python3 "$FIX/../oracle/cpe_oracle.py" gen "$SHARED/nvd/nvd_cpe_third_party.jsonl.xz" "$FIX/thirdparty/intune-constructed.json" "$FIX/thirdparty/jamf-constructed.json" "$T/or" >"$T/gen.log"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import "$T/or/intune.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import "$T/or/jamf.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import "$T/or/nmap.xml" >/dev/null
$ --db $DB --now 2026-01-10T00:00:00Z feed import $SHARED/nvd/nvd_cpe_third_party.jsonl.xz
> nvd-cve: $SHARED/nvd/nvd_cpe_third_party.jsonl.xz: 158 records, 158 new, 0 updated, 0 unchanged, 0 withdrawn, released 2026-10-08T22:17:24Z

### tps-1.2: the scan's open findings are exactly the oracle's pairs
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z scan >/dev/null 2>&1
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z findings --format csv >"$T/findings.csv"
$ --db $DB --now 2026-01-10T00:00:00Z findings --format csv
>* ,CVE-2024-21762,fortinet:fortios,

### tps-1.3: ...compared pair by pair (thousands of pairs, platform-dependent ones among them)
! python3 "$FIX/../oracle/cpe_oracle.py" compare "$T/or/expected.tsv" "$T/findings.csv" >"$T/cmp.log" || { cat "$T/cmp.log" >&2; exit 1; }
! grep -q ", 0 missing, 0 extra" "$T/cmp.log"
! test "$(grep -c ORACLE-WIN "$T/or/expected.tsv")" -gt "$(grep -c ORACLE-MAC "$T/or/expected.tsv")"
! test "$(wc -l <"$T/or/expected.tsv")" -gt 1000
$ --db $DB software --unmapped --format json
> []
