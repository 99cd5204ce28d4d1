# One finding, many witnesses (issue 12 item 3): Nessus's own finding of
# CVE-2026-1004 on the Debian 12 fixture host `fixhost`, without a package
# (tests/fixtures/truth/orders/scan.nessus), and Patchline's finding of it on
# openssl (tests/fixtures/match tracker): one finding, the witness moving as
# the package finding comes and goes.

### witness-1.1: Nessus first: its own finding stands while Patchline has none
! cp -r "$FIX/inventory/root" "$T/root"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import "$FIX/match/tracker.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import --scope vpc-0a1b2c3d "$FIX/truth/orders/scan.nessus" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z scan >/dev/null 2>&1
$ --db $DB findings --format csv
>* 1,fixhost,CVE-2026-1004,,,no fix,

### witness-1.2: host collection: the same finding is Patchline's finding of openssl now, Nessus its witness
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z inventory collect --root "$T/root" >/dev/null
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z scan >/dev/null 2>&1
! test "$("$PL" --db "$DB" findings --format csv | grep -c ',CVE-2026-1004,')" = 1
$ --db $DB explain 1
>* finding 1: CVE-2026-1004 in openssl on fixhost (open, first seen 2026-01-10T00:00:00Z
>*   match      Patchline's matching of the inventory (first seen 2026-01-10T00:00:00Z)
>*   nessus open (on the host, no package named), first reported 2026-01-10T00:00:00Z, severity High
>* witnessed

### witness-2.1: openssl removed: the package finding closes, Nessus's report stands as its own finding again
! sed -i '/^Package: openssl$/,/^$/d' "$T/root/var/lib/dpkg/status"
! "$PL" --db "$DB" --now 2026-01-12T00:00:00Z inventory collect --root "$T/root" >/dev/null
! "$PL" --db "$DB" --now 2026-01-12T00:00:00Z scan >/dev/null 2>&1
$ --db $DB findings --format csv
>* ,fixhost,CVE-2026-1004,,,no fix,
>* open,2026-01-10T00:00:00Z

### witness-2.2: openssl back: one finding again, Nessus's own folded into it (its history with it)
! rm -rf "$T/root" && cp -r "$FIX/inventory/root" "$T/root"
! "$PL" --db "$DB" --now 2026-01-13T00:00:00Z inventory collect --root "$T/root" >/dev/null
! "$PL" --db "$DB" --now 2026-01-13T00:00:00Z scan >/dev/null 2>&1
! test "$("$PL" --db "$DB" findings --format csv | grep -c ',CVE-2026-1004,')" = 1
! test "$(sqlite3 "$DB" "SELECT count(*) FROM findings WHERE vuln_id = 'CVE-2026-1004'")" = 1
$ --db $DB explain 1
>* (on the host, no package named)
>* folded in: nessus a witness of this finding

### witness-3.1: a fix published and openssl upgraded past it while Nessus still reports it: disputed, not silently fixed; the incremental scan and scan --full agree
! "$PL" --db "$DB" --now 2026-01-14T00:00:00Z feed import "$FIX/truth/orders/tracker-later.json" >/dev/null
! sed -i '/^Package: openssl$/,/^$/s/^Version: 3.0.11-1~deb12u2$/Version: 3.0.11-1~deb12u3/' "$T/root/var/lib/dpkg/status"
! "$PL" --db "$DB" --now 2026-01-14T00:00:00Z inventory collect --root "$T/root" >/dev/null
! "$PL" store copy --from "$DB" --to "$T/full.db" >/dev/null
! "$PL" --db "$DB" --now 2026-01-14T00:00:00Z scan >/dev/null 2>&1
! "$PL" --db "$T/full.db" --now 2026-01-14T00:00:00Z scan --full >/dev/null 2>&1
! q="SELECT vuln_id, package, status, installed_version, fixed_version, tier, due_at, first_seen, (SELECT t.text FROM finding_texts t WHERE t.id = findings.fix_proof_ref) FROM findings ORDER BY 1, 2"; test "$(sqlite3 "$DB" "$q")" = "$(sqlite3 "$T/full.db" "$q")"
$ --db $DB findings --status disputed --format csv
>* 1,fixhost,CVE-2026-1004,openssl,3.0.11-1~deb12u3,
