# End-of-life dates passing between scans (issue 21). A scan state records the window of
# end-of-life dates its asset's findings depend on: the end of every cycle of the products
# it runs (its operating system, engine, runtime, appliance OS) and the early ends Debian
# lists for the sources of its packages. A date passing for software no asset runs keeps
# the next scan incremental; one passing for an asset's software re-matches that asset, and
# the incremental scan agrees with `scan --full` on a copy of the store. (The shipped table:
# Debian 11 ends 2026-08-31, Alpine 3.22 2027-05-01, mbedtls in Debian 12 2026-06-12;
# Amazon Linux 2, Ubuntu 25.10, EKS/AKS/GKE 1.33, RDS MySQL 8.0 and Lambda provided.al2 end
# between 2026-06-20 and 2026-08-05.)

### eolclock-1.1: Debian 11, Debian 12 with mbedtls, Alpine 3.22: first scan on 2026-06-01, nothing ended
! for h in deb11:debian:11:bullseye deb12:debian:12:bookworm alp322:alpine:3.22.1:; do IFS=: read n id v c <<<"$h"; mkdir -p "$T/$n/etc" "$T/$n/var/lib/dpkg"; : >"$T/$n/var/lib/dpkg/status"; printf 'ID=%s\nVERSION_ID="%s"\nVERSION_CODENAME=%s\n' "$id" "$v" "$c" >"$T/$n/etc/os-release"; echo "host-$n" >"$T/$n/etc/hostname"; printf '%032d\n' "${#n}$RANDOM" | cut -c1-32 >"$T/$n/etc/machine-id"; done
! printf 'Package: libmbedcrypto7\nStatus: install ok installed\nArchitecture: amd64\nSource: mbedtls\nVersion: 2.28.3-1\n\n' >"$T/deb12/var/lib/dpkg/status"
! for n in deb11 deb12 alp322; do "$PL" --db "$DB" --now 2026-06-01T00:00:00Z inventory collect --root "$T/$n" >/dev/null || exit 1; done
$ --db $DB --now 2026-06-01T00:00:00Z scan
>* scanned 3 assets
>* 0 open findings (0 provisional)

### eolclock-1.2: mbedtls's end in Debian 12 passes: that host alone is matched again and gets the finding
$ --db $DB --now 2026-06-20T00:00:00Z scan
>* 2 assets unchanged since their last scan
>* 1 open findings

### eolclock-1.3: ... its finding, on the host running it
! test "$(sqlite3 "$DB" "SELECT group_concat(a.name || '|' || f.vuln_id, ' ') FROM findings f JOIN assets a ON a.id = f.asset_id WHERE f.status = 'open'")" = "host-deb12|eol:mbedtls:deb12"
$ --db $DB --now 2026-06-20T00:00:00Z findings --format csv
>* host-deb12,eol:mbedtls:deb12,mbedtls

### eolclock-1.4: ends of software no asset runs (Amazon Linux 2, Ubuntu 25.10, Kubernetes 1.33...): every asset skipped
$ --db $DB --now 2026-08-05T00:00:00Z scan
>* 3 assets unchanged since their last scan
>* 1 open findings

### eolclock-1.5: Debian 11's end passes: the Debian hosts are matched again, the Alpine one is skipped
! if [ "${PL_TEST_BACKEND:-sqlite}" = postgresql ]; then "$PL" --db "$DB" store copy --to "$T/full.db" >/dev/null; else sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null && cp "$DB" "$T/full.db" && cp "$DB.audit-key" "$T/full.db.audit-key" && cp "$DB.audit-head" "$T/full.db.audit-head"; fi
$ --db $DB --now 2026-09-01T00:00:00Z scan
>* 1 assets unchanged since their last scan
>* 2 open findings

### eolclock-1.6: the Debian 11 host has its finding, as `scan --full` on a copy of the store gives it
! test "$(sqlite3 "$DB" "SELECT group_concat(r, ' ') FROM (SELECT a.name || '|' || f.vuln_id AS r FROM findings f JOIN assets a ON a.id = f.asset_id WHERE f.status = 'open' ORDER BY 1) AS x")" = "host-deb11|eol:debian:11 host-deb12|eol:mbedtls:deb12"
$ --db $T/full.db --now 2026-09-01T00:00:00Z scan --full
>* scanned 3 assets
>* 2 open findings

### eolclock-1.7: both stores hold the same findings and events
! printf '%s' "SELECT a.name, f.package, f.vuln_id, f.status, f.tier, f.unscored, f.provisional, f.due_at, f.first_seen, f.last_seen, f.resolved_at, f.tiered_at, f.installed_version, f.fixed_version, (SELECT t.text FROM finding_texts t WHERE t.id = f.evidence_ref), (SELECT t.text FROM finding_texts t WHERE t.id = f.fix_proof_ref), f.rule, f.severity, f.kev_added, f.reopened_count, (SELECT t.text FROM finding_texts t WHERE t.id = f.policy_ref) FROM findings f JOIN assets a ON a.id = f.asset_id ORDER BY 1, 2, 3; SELECT a.name, f.package, f.vuln_id, e.at, e.event, e.from_status, e.to_status, e.tier, e.due_at, (SELECT t.text FROM finding_texts t WHERE t.id = e.detail_ref) FROM finding_events e JOIN findings f ON f.id = e.finding_id JOIN assets a ON a.id = f.asset_id ORDER BY 1, 2, 3, 4, 5, 6, 7" >"$T/q.sql"
! q() { sqlite3 "$1" "$(cat "$T/q.sql")"; }; q "$DB" >"$T/inc" && q "$T/full.db" >"$T/full" && diff "$T/inc" "$T/full"
! test "$(wc -l <"$T/inc")" -ge 2
$ --db $DB --now 2026-09-01T00:00:00Z scan
>* 3 assets unchanged since their last scan

### eolclock-2.1: `feed import eol` moves Debian 11's end to 2026-12-31: the next scan is partial (the feeds moved) and closes the finding
! printf '%s\n' '{"product":"debian","releases":[{"releaseCycle":"11","releaseDate":"2021-08-14","eol":"2024-08-14","eoes":"2026-12-31","latest":"11.11","latestReleaseDate":"2024-08-31"},{"releaseCycle":"12","releaseDate":"2023-06-10","eol":"2026-07-11","eoes":"2028-06-30","latest":"12.15","latestReleaseDate":"2026-07-11"},{"releaseCycle":"13","releaseDate":"2025-08-09","eol":"2028-08-09","eoes":"2030-06-30","latest":"13.6","latestReleaseDate":"2026-07-11"}]}' >"$T/debian.jsonl"
! "$PL" --db "$DB" --now 2026-09-02T00:00:00Z feed import eol "$T/debian.jsonl" >/dev/null
! rm -f "$T/full.db" "$T/full.db-wal" "$T/full.db-shm" "$T/full.db.audit-key" "$T/full.db.audit-head"; if [ "${PL_TEST_BACKEND:-sqlite}" = postgresql ]; then "$PL" --db "$DB" store copy --to "$T/full.db" >/dev/null; else sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null && cp "$DB" "$T/full.db" && cp "$DB.audit-key" "$T/full.db.audit-key" && cp "$DB.audit-head" "$T/full.db.audit-head"; fi
$ --db $DB --now 2026-09-02T00:00:00Z scan
>* 3 assets re-matched only where the feeds imported since their last scan
>* 1 open findings

### eolclock-2.2: ...closed as fixed, with the imported date as its proof, as `scan --full` closes it
! test "$(sqlite3 "$DB" "SELECT f.status || '|' || coalesce((SELECT t.text FROM finding_texts t WHERE t.id = f.fix_proof_ref), '') FROM findings f WHERE f.vuln_id = 'eol:debian:11'")" = "fixed|debian now at 11, cycle 11 supported until 2026-12-31"
$ --db $T/full.db --now 2026-09-02T00:00:00Z scan --full
>* 1 open findings

### eolclock-2.3: both stores hold the same findings and events
! q() { sqlite3 "$1" "$(cat "$T/q.sql")"; }; q "$DB" >"$T/inc" && q "$T/full.db" >"$T/full" && diff "$T/inc" "$T/full"
$ --db $DB --now 2026-09-02T00:00:00Z scan
>* 3 assets unchanged since their last scan
