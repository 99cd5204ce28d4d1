# Incremental scans (issue 21) on real data: an estate scanned, then a daily feed
# delta (bench/delta/make.py: 100 new fixes, 10 KEV additions, 50 CVSS changes,
# every EPSS score moved by up to 10 %) and 1 host in 5 patched; `scan` re-matches
# only what changed, `scan --full` on a copy of the same store re-matches
# everything, and the two stores must hold the same findings and events.
# In the PostgreSQL pass the copy is a SQLite file made by `store copy` (the
# incremental scan on PostgreSQL, the full one on SQLite); the delta scripts
# reach the database through psql (bench/pldb.py).
skip-without-shared

### delta-1.1: the feeds (EPSS cut to the tracker's CVEs), 20 hosts and a first scan
! zcat "$SHARED/debian/security-tracker-bookworm-from-changelogs.json.gz" | python3 -c 'import json,sys; print("\n".join(c for e in json.load(sys.stdin).values() for c in e))' | sort -u >"$T/cves"
! zcat "$SHARED/epss/epss_scores-2026-08-16.csv.gz" | awk -F, 'NR == FNR {w[$1] = 1; next} FNR <= 2 || ($1 in w)' "$T/cves" - | gzip >"$T/epss.csv.gz"
# The set-up and first scan on 2026-11-30: no end-of-life date the hosts' software depends on
# (Debian 12's cycles, Debian's early ends of their sources) passes before the next scan.
! "$PL" --db "$DB" --now 2026-11-30T00:00:00Z feed import kev "$SHARED/kev/known_exploited_vulnerabilities.json" >/dev/null
! "$PL" --db "$DB" --now 2026-11-30T00:00:00Z feed import epss "$T/epss.csv.gz" >/dev/null
! "$PL" --db "$DB" --now 2026-11-30T00:00:00Z feed import debian "$SHARED/debian/security-tracker-bookworm-from-changelogs.json.gz" >/dev/null
! "$PL" --db "$DB" --now 2026-11-30T00:00:00Z inventory synthesize --assets 20 --seed 3 --hosts-only --min-packages 300 --max-packages 400 --behind 0.2 --kernel-behind 0.5 --index "$SHARED/debian/bookworm_binary_packages_index.tsv.xz" >/dev/null
$ --db $DB --now 2026-11-30T00:00:00Z scan --policy epss
>* scanned 20 assets

### delta-1.2: the delta is recorded by the imports, per package and per vulnerability
! test "$(sqlite3 "$DB" "SELECT count(*) FROM match_delta")" = 0 # nothing before the first scan
! mkdir "$T/delta" && /usr/bin/python3 "$FIX/../../bench/delta/make.py" "$DB" "$SHARED/debian/security-tracker-bookworm-from-changelogs.json.gz" "$SHARED/kev/known_exploited_vulnerabilities.json" "$T/epss.csv.gz" "$T/delta" 2026-11-30 7 >/dev/null
! "$PL" --db "$DB" --now 2026-11-30T00:00:00Z feed import debian "$T/delta/tracker.json.gz" >/dev/null
! "$PL" --db "$DB" --now 2026-11-30T00:00:00Z feed import kev "$T/delta/kev.json" >/dev/null
! "$PL" --db "$DB" --now 2026-11-30T00:00:00Z feed import nvd "$T/delta/nvd.json" >/dev/null
! "$PL" --db "$DB" --now 2026-11-30T00:00:00Z feed import epss "$T/delta/epss.csv.gz" >/dev/null
! /usr/bin/python3 "$FIX/../../bench/debsecan/change.py" "$DB" "$SHARED/debian/bookworm_binary_packages_index.tsv.xz" 5 >"$T/changed" 2>/dev/null
! test "$(wc -l <"$T/changed")" -ge 1
! if [ "${PL_TEST_BACKEND:-sqlite}" = postgresql ]; then "$PL" --db "$DB" store copy --to "$T/full.db" >/dev/null; else sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null && cp "$DB" "$T/full.db" && cp "$DB.audit-key" "$T/full.db.audit-key" && cp "$DB.audit-head" "$T/full.db.audit-head"; fi
! test "$(sqlite3 "$DB" "SELECT group_concat(kind, ' ') FROM (SELECT DISTINCT kind FROM match_delta ORDER BY kind) AS k")" = "epss package vuln"
$ --db $DB findings --format csv
>* id,asset,vuln,package

### delta-1.3: the incremental scan re-matches only where the delta touches the unchanged hosts
$ --db $DB --now 2026-12-01T00:00:00Z scan --policy epss
>* assets re-matched only where the feeds imported since their last scan changed advisories or facts

### delta-1.4: scan --full on the copy re-matches every host whole
! test "$(sqlite3 "$DB" "SELECT count(*) FROM match_delta")" = 0 # the scan used and pruned the delta
$ --db $T/full.db --now 2026-12-01T00:00:00Z scan --policy epss --full
>* scanned 20 assets

### delta-1.5: both stores hold the same findings (tiers, dues, statuses, evidence) and events
! q() { sqlite3 "$1" "SELECT a.name, f.package, f.vuln_id, f.status, f.tier, f.unscored, f.provisional, f.due_at, f.first_seen, f.last_seen, f.resolved_at, f.tiered_at, f.installed_version, f.fixed_version, (SELECT t.text FROM finding_texts t WHERE t.id = f.evidence_ref), (SELECT t.text FROM finding_texts t WHERE t.id = f.fix_proof_ref), (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.rule_ref), f.severity, f.kev_added, f.reopened_count, (SELECT t.text FROM finding_texts t WHERE t.id = f.policy_ref) FROM findings f JOIN assets a ON a.id = f.asset_id ORDER BY 1, 2, 3; SELECT a.name, f.package, f.vuln_id, e.at, e.event, e.from_status, e.to_status, e.tier, e.due_at, (SELECT t.text FROM finding_texts t WHERE t.id = e.detail_ref) FROM finding_events e JOIN findings f ON f.id = e.finding_id JOIN assets a ON a.id = f.asset_id ORDER BY 1, 2, 3, 4, 5, 6, 7"; }; q "$DB" >"$T/inc" && q "$T/full.db" >"$T/full" && diff "$T/inc" "$T/full"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM findings WHERE first_seen = 1796083200 OR tiered_at = 1796083200")" -gt 0
! test "$(sqlite3 "$DB" "SELECT count(*) FROM finding_events WHERE at = 1796083200")" -gt 0
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* id,asset,vuln,package
