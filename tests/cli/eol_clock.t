# End-of-life dates passing between scans (issue 21). A scan state records the window of
# end-of-life dates its asset's findings depend on: the end of every cycle of the products
# it runs (its operating system, engine, runtime, appliance OS) and the early ends Debian
# lists for the sources of its packages. A date passing for software no asset runs keeps
# the next scan incremental; one passing for an asset's software re-matches that asset, and
# the incremental scan agrees with `scan --full` on a copy of the store. (The shipped table:
# Debian 11 ends 2026-08-31, Alpine 3.22 2027-05-01, mbedtls in Debian 12 2026-06-12;
# Amazon Linux 2, Ubuntu 25.10, EKS/AKS/GKE 1.33, RDS MySQL 8.0 and Lambda provided.al2 end
# between 2026-06-20 and 2026-08-05.) An asset whose window the scan's now left has only its
# end-of-life software checked again, not its advisory matches; an imported end-of-life table
# records the products whose cycles or release dates changed (match_delta, ecosystem 'eol'),
# and the next scan checks those products' findings only (sections 3 to 5).

### eolclock-1.1: Debian 11, Debian 12 with mbedtls, Alpine 3.22: first scan on 2026-06-01, nothing ended
! for h in deb11:debian:11:bullseye deb12:debian:12:bookworm alp322:alpine:3.22.1:; do IFS=: read n id v c <<<"$h"; mkdir -p "$T/$n/etc" "$T/$n/var/lib/dpkg"; : >"$T/$n/var/lib/dpkg/status"; printf 'ID=%s\nVERSION_ID="%s"\nVERSION_CODENAME=%s\n' "$id" "$v" "$c" >"$T/$n/etc/os-release"; echo "host-$n" >"$T/$n/etc/hostname"; printf '%032d\n' "${#n}$RANDOM" | cut -c1-32 >"$T/$n/etc/machine-id"; done
! printf 'Package: libmbedcrypto7\nStatus: install ok installed\nArchitecture: amd64\nSource: mbedtls\nVersion: 2.28.3-1\n\n' >"$T/deb12/var/lib/dpkg/status"
! for n in deb11 deb12 alp322; do "$PL" --db "$DB" --now 2026-06-01T00:00:00Z inventory collect --root "$T/$n" >/dev/null || exit 1; done
$ --db $DB --now 2026-06-01T00:00:00Z scan
>* scanned 3 assets
>* 0 open findings (0 provisional)

### eolclock-1.2: mbedtls's end in Debian 12 passes: that host alone has its end-of-life software checked again and gets the finding
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

### eolclock-1.5: Debian 11's end passes: the Debian hosts have their end-of-life software checked again, the Alpine one is skipped
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
! printf '%s' "SELECT a.name, f.package, f.vuln_id, f.status, f.tier, f.unscored, f.provisional, f.due_at, f.first_seen, f.last_seen, f.resolved_at, f.tiered_at, f.installed_version, f.fixed_version, (SELECT t.text FROM finding_texts t WHERE t.id = f.evidence_ref), (SELECT t.text FROM finding_texts t WHERE t.id = f.fix_proof_ref), (SELECT t.text FROM finding_texts t WHERE t.id = f.rule_ref), f.severity, f.kev_added, f.reopened_count, (SELECT t.text FROM finding_texts t WHERE t.id = f.policy_ref) FROM findings f JOIN assets a ON a.id = f.asset_id ORDER BY 1, 2, 3; SELECT a.name, f.package, f.vuln_id, e.at, e.event, e.from_status, e.to_status, e.tier, e.due_at, (SELECT t.text FROM finding_texts t WHERE t.id = e.detail_ref) FROM finding_events e JOIN findings f ON f.id = e.finding_id JOIN assets a ON a.id = f.asset_id ORDER BY 1, 2, 3, 4, 5, 6, 7" >"$T/q.sql"
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

### eolclock-3.1: `feed import eol` moves Alpine 3.22's end to 2026-10-01: the import records that product alone in the delta, and the next scan is partial
! printf '%s\n' '{"product":"alpine-linux","releases":[{"releaseCycle":"3.22","releaseDate":"2025-05-30","eol":"2026-10-01","latest":"3.22.1","latestReleaseDate":"2025-07-15"},{"releaseCycle":"3.23","releaseDate":"2025-12-03","eol":"2027-11-01","latest":"3.23.0","latestReleaseDate":"2025-12-03"}]}' >"$T/alpine.jsonl"
! "$PL" --db "$DB" --now 2026-09-03T00:00:00Z feed import eol "$T/alpine.jsonl" >/dev/null
! test "$(sqlite3 "$DB" "SELECT group_concat(kind || ':' || name, ' ') FROM match_delta WHERE ecosystem = 'eol'")" = "package:alpine-linux"
$ --db $DB --now 2026-09-03T00:00:00Z scan
>* 3 assets re-matched only where the feeds imported since their last scan
>* 1 open findings

### eolclock-3.2: the same table imported again records nothing in the delta
! "$PL" --db "$DB" --now 2026-09-04T00:00:00Z feed import eol "$T/alpine.jsonl" >/dev/null
! test "$(sqlite3 "$DB" "SELECT count(*) FROM match_delta WHERE ecosystem = 'eol'")" = 0
$ --db $DB --now 2026-09-04T00:00:00Z scan
>* 3 assets re-matched only where the feeds imported since their last scan
>* 1 open findings

### eolclock-3.3: Alpine 3.22's imported end passes: the Alpine host alone has its end-of-life software checked (not its advisory matches) and gets the finding
! rm -f "$T/full.db" "$T/full.db-wal" "$T/full.db-shm" "$T/full.db.audit-key" "$T/full.db.audit-head"; if [ "${PL_TEST_BACKEND:-sqlite}" = postgresql ]; then "$PL" --db "$DB" store copy --to "$T/full.db" >/dev/null; else sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null && cp "$DB" "$T/full.db" && cp "$DB.audit-key" "$T/full.db.audit-key" && cp "$DB.audit-head" "$T/full.db.audit-head"; fi
$ --db $DB --now 2026-10-02T00:00:00Z scan
>* 2 assets unchanged since their last scan
>* 1 assets had only their end-of-life software checked again
>* 2 open findings

### eolclock-3.4: ...as `scan --full` on a copy of the store gives it: the same findings and events
! test "$(sqlite3 "$DB" "SELECT f.fixed_version FROM findings f WHERE f.vuln_id = 'eol:alpine-linux:3.22' AND f.status = 'open'")" = "3.23.0"
$ --db $T/full.db --now 2026-10-02T00:00:00Z scan --full
>* 2 open findings

### eolclock-3.4b: both stores hold the same findings and events; a rescan skips every asset
! q() { sqlite3 "$1" "$(cat "$T/q.sql")"; }; q "$DB" >"$T/inc" && q "$T/full.db" >"$T/full" && diff "$T/inc" "$T/full"
! test "$(wc -l <"$T/inc")" -ge 3
$ --db $DB --now 2026-10-02T00:00:00Z scan
>* 3 assets unchanged since their last scan

### eolclock-3.5: an import moves Debian 11's end back to 2026-08-31: the delta names debian, and eol:debian:11 opens again
! sed 's/"eoes":"2026-12-31"/"eoes":"2026-08-31"/' "$T/debian.jsonl" >"$T/debian2.jsonl"
! "$PL" --db "$DB" --now 2026-10-03T00:00:00Z feed import eol "$T/debian2.jsonl" >/dev/null
! test "$(sqlite3 "$DB" "SELECT group_concat(name, ' ') FROM match_delta WHERE ecosystem = 'eol'")" = "debian"
! rm -f "$T/full.db" "$T/full.db-wal" "$T/full.db-shm" "$T/full.db.audit-key" "$T/full.db.audit-head"; if [ "${PL_TEST_BACKEND:-sqlite}" = postgresql ]; then "$PL" --db "$DB" store copy --to "$T/full.db" >/dev/null; else sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null && cp "$DB" "$T/full.db" && cp "$DB.audit-key" "$T/full.db.audit-key" && cp "$DB.audit-head" "$T/full.db.audit-head"; fi
$ --db $DB --now 2026-10-03T00:00:00Z scan
>* 3 assets re-matched only where the feeds imported since their last scan
>* 3 open findings

### eolclock-3.6: ...as `scan --full` opens it: both stores hold the same findings and events
! test "$(sqlite3 "$DB" "SELECT f.status || '|' || f.reopened_count FROM findings f WHERE f.vuln_id = 'eol:debian:11'")" = "open|1"
$ --db $T/full.db --now 2026-10-03T00:00:00Z scan --full
>* 3 open findings

### eolclock-3.6b: both stores hold the same findings and events; a rescan skips every asset
! q() { sqlite3 "$1" "$(cat "$T/q.sql")"; }; q "$DB" >"$T/inc" && q "$T/full.db" >"$T/full" && diff "$T/inc" "$T/full"
! test "$(wc -l <"$T/inc")" -ge 3
$ --db $DB --now 2026-10-03T00:00:00Z scan
>* 3 assets unchanged since their last scan

### eolclock-4.1: a policy with a rule on release_age (whole days since the running version's release, from the end-of-life tables): every asset scanned whole once under it (Debian 11's end-of-life finding matches no rule: unscored)
! printf '%s\n' 'policy: release-age' 'tiers:' '  - {tier: 0, name: Emergency, sla: 24h}' '  - {tier: 1, name: Critical, sla: 7d}' '  - {tier: 2, name: High, sla: 30d}' '  - {tier: 3, name: Medium, sla: 90d}' '  - {tier: 4, name: Low, sla: 180d}' 'rules:' '  - name: old-release' '    tier: 1' '    when: {release_age: "> 1900"}' 'default:' '  tier: 4' >"$T/age.yaml"
$ --db $DB --now 2026-10-20T00:00:00Z scan --policy $T/age.yaml
>* scanned 3 assets
>* 3 open findings

### eolclock-4.2: Debian 11 (released 2021-08-14) turns 1901 days old on 2026-10-28: that host's end-of-life findings are tiered again, the others skipped
! test "$(sqlite3 "$DB" "SELECT (SELECT ft.text FROM finding_texts ft WHERE ft.id = rule_ref) FROM findings WHERE vuln_id = 'eol:debian:11'")" = unscored
! rm -f "$T/full.db" "$T/full.db-wal" "$T/full.db-shm" "$T/full.db.audit-key" "$T/full.db.audit-head"; if [ "${PL_TEST_BACKEND:-sqlite}" = postgresql ]; then "$PL" --db "$DB" store copy --to "$T/full.db" >/dev/null; else sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null && cp "$DB" "$T/full.db" && cp "$DB.audit-key" "$T/full.db.audit-key" && cp "$DB.audit-head" "$T/full.db.audit-head"; fi
$ --db $DB --now 2026-10-29T00:00:00Z scan --policy $T/age.yaml
>* 2 assets unchanged since their last scan
>* 1 assets had only their end-of-life software checked again
>* 3 open findings

### eolclock-4.3: ...tier 1 under the rule, as `scan --full` tiers it: both stores hold the same findings and events
! test "$(sqlite3 "$DB" "SELECT tier || '|' || (SELECT ft.text FROM finding_texts ft WHERE ft.id = rule_ref) FROM findings WHERE vuln_id = 'eol:debian:11'")" = "1|old-release"
$ --db $T/full.db --now 2026-10-29T00:00:00Z scan --full --policy $T/age.yaml
>* 3 open findings

### eolclock-4.3b: both stores hold the same findings and events; a rescan skips every asset
! q() { sqlite3 "$1" "$(cat "$T/q.sql")"; }; q "$DB" >"$T/inc" && q "$T/full.db" >"$T/full" && diff "$T/inc" "$T/full"
! test "$(wc -l <"$T/inc")" -ge 3
$ --db $DB --now 2026-10-29T00:00:00Z scan --policy $T/age.yaml
>* 3 assets unchanged since their last scan

### eolclock-5.1: an Ubuntu 20.04 host joins (ended 2025-05-31 in the shipped table): it alone is scanned and gets eol:ubuntu:20.04
! n=ubu2004; mkdir -p "$T/$n/etc" "$T/$n/var/lib/dpkg"; : >"$T/$n/var/lib/dpkg/status"; printf 'ID=ubuntu\nVERSION_ID="20.04"\nVERSION_CODENAME=focal\n' >"$T/$n/etc/os-release"; echo "host-$n" >"$T/$n/etc/hostname"; printf '%032d\n' "7$RANDOM" | cut -c1-32 >"$T/$n/etc/machine-id"
! "$PL" --db "$DB" --now 2026-10-30T00:00:00Z inventory collect --root "$T/ubu2004" >/dev/null
$ --db $DB --now 2026-10-30T00:00:00Z scan --policy $T/age.yaml
>* 3 assets unchanged since their last scan
>* 4 open findings

### eolclock-5.2: `feed import eol` brings Ubuntu's cycles without 20.04 (a product's first imported cycles replace its shipped ones): the next scan closes the finding, whose cycle no table has now
! printf '%s\n' '{"product":"ubuntu","releases":[{"releaseCycle":"22.04","releaseDate":"2022-04-21","eol":"2027-04-01","latest":"22.04.5","latestReleaseDate":"2024-09-12"},{"releaseCycle":"24.04","releaseDate":"2024-04-25","eol":"2029-05-31","latest":"24.04.3","latestReleaseDate":"2025-08-07"}]}' >"$T/ubuntu.jsonl"
! "$PL" --db "$DB" --now 2026-10-31T00:00:00Z feed import eol "$T/ubuntu.jsonl" >/dev/null
! test "$(sqlite3 "$DB" "SELECT group_concat(name, ' ') FROM match_delta WHERE ecosystem = 'eol'")" = "ubuntu"
! rm -f "$T/full.db" "$T/full.db-wal" "$T/full.db-shm" "$T/full.db.audit-key" "$T/full.db.audit-head"; if [ "${PL_TEST_BACKEND:-sqlite}" = postgresql ]; then "$PL" --db "$DB" store copy --to "$T/full.db" >/dev/null; else sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null && cp "$DB" "$T/full.db" && cp "$DB.audit-key" "$T/full.db.audit-key" && cp "$DB.audit-head" "$T/full.db.audit-head"; fi
$ --db $DB --now 2026-10-31T00:00:00Z scan --policy $T/age.yaml
>* 4 assets re-matched only where the feeds imported since their last scan
>* 3 open findings

### eolclock-5.3: ...as `scan --full` closes it (the software is no longer known)
! test "$(sqlite3 "$DB" "SELECT status FROM findings WHERE vuln_id = 'eol:ubuntu:20.04'")" = package-removed
$ --db $T/full.db --now 2026-10-31T00:00:00Z scan --full --policy $T/age.yaml
>* 3 open findings

### eolclock-5.3b: both stores hold the same findings and events; a rescan skips every asset
! q() { sqlite3 "$1" "$(cat "$T/q.sql")"; }; q "$DB" >"$T/inc" && q "$T/full.db" >"$T/full" && diff "$T/inc" "$T/full"
$ --db $DB --now 2026-10-31T00:00:00Z scan --policy $T/age.yaml
>* 4 assets unchanged since their last scan
