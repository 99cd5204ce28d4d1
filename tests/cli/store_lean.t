# Lean findings (migration 0034): a store made at schema 31, where every
# finding held its match evidence, fix proof and policy digest as text
# (tests/fixtures/store/make-0032.sh), migrates without losing a row or a
# byte of what Patchline shows: findings, explain and the report read the
# same as the schema-31 build wrote them (s0032.*.json, written by it).

### lean-1.1: the schema-31 store migrates on init
sqlite-only: the subject is a SQLite store file made at schema 31
! xz -dc "$FIX/store/s0032.db.xz" > "$T/old.db" && cp "$FIX/store/s0032.db.audit-key" "$T/old.db.audit-key" && cp "$FIX/store/s0032.db.audit-head" "$T/old.db.audit-head" && chmod 600 "$T/old.db.audit-key"
! "$FIX/../cli/store_schema.sh" counts "$T/old.db" > "$T/before"
! sqlite3 "$T/old.db" "SELECT count(DISTINCT x) FROM (SELECT evidence AS x FROM findings UNION ALL SELECT fix_proof FROM findings UNION ALL SELECT policy_digest FROM findings UNION ALL SELECT source_package FROM findings UNION ALL SELECT feed FROM findings UNION ALL SELECT advisory FROM findings UNION ALL SELECT vendor_severity FROM findings UNION ALL SELECT marker FROM findings UNION ALL SELECT rule FROM findings UNION ALL SELECT policy_name FROM findings)" > "$T/texts"
! sqlite3 "$T/old.db" "SELECT id, coalesce(source_package, '-'), coalesce(feed, '-'), coalesce(advisory, '-'), coalesce(vendor_severity, '-'), coalesce(marker, '-'), coalesce(rule, '-'), coalesce(policy_name, '-') FROM findings ORDER BY id" > "$T/rows41"
! test "$(grep -c '|debian|' "$T/rows41")" -ge 5 && test "$(grep -c '|default$' "$T/rows41")" -ge 5
! sqlite3 "$T/old.db" "SELECT id, coalesce(evidence, '-'), coalesce(fix_proof, '-'), coalesce(policy_digest, '-') FROM findings ORDER BY id" > "$T/rows"
! test "$(cat "$T/texts")" -ge 10 && grep -qF '|glibc 2.36-9+deb12u7 >= fixed' "$T/rows"
$ --db $T/old.db --now 2026-01-14T00:00:00Z init
>* mode: simulated

### lean-1.2: every table keeps its rows; each text is kept once, the texts of 0041 too
sqlite-only: the subject is a SQLite store file made at schema 31
! "$FIX/../cli/store_schema.sh" counts "$T/old.db" > "$T/after"
! grep -v "^audit_events " "$T/before" > "$T/kept" && diff "$T/kept" <(grep -F -x -f "$T/kept" "$T/after")
! test "$(sqlite3 "$T/old.db" "SELECT count(*) FROM finding_texts")" = "$(cat "$T/texts")"
! test "$(sqlite3 "$T/old.db" "SELECT id, coalesce((SELECT t.text FROM finding_texts t WHERE t.id = f.evidence_ref), '-'), coalesce((SELECT t.text FROM finding_texts t WHERE t.id = f.fix_proof_ref), '-'), coalesce((SELECT t.text FROM finding_texts t WHERE t.id = f.policy_ref), '-') FROM findings f ORDER BY id")" = "$(cat "$T/rows")"
! test "$(sqlite3 "$T/old.db" "SELECT id, coalesce((SELECT t.text FROM finding_texts t WHERE t.id = f.source_package_ref), '-'), coalesce((SELECT t.text FROM finding_texts t WHERE t.id = f.feed_ref), '-'), coalesce((SELECT t.text FROM finding_texts t WHERE t.id = f.advisory_ref), '-'), coalesce((SELECT t.text FROM finding_texts t WHERE t.id = f.vendor_severity_ref), '-'), coalesce((SELECT t.text FROM finding_texts t WHERE t.id = f.marker_ref), '-'), coalesce((SELECT t.text FROM finding_texts t WHERE t.id = f.rule_ref), '-'), coalesce((SELECT t.text FROM finding_texts t WHERE t.id = f.policy_name_ref), '-') FROM findings f ORDER BY id")" = "$(cat "$T/rows41")"
$ --db $T/old.db --now 2026-01-14T00:00:00Z findings --status fixed --format csv
>* fixhost,CVE-2026-1001,libc6

### lean-1.3: findings, explain and the report read as at schema 31, byte for byte
sqlite-only: the subject is a SQLite store file made at schema 31
! for st in open fixed mitigated accepted package-removed; do "$PL" --db "$T/old.db" --now 2026-01-14T00:00:00Z findings --status $st --format json; done 2>/dev/null > "$T/findings.json" && cmp "$T/findings.json" "$FIX/store/s0032.findings.json"
! for i in $(seq 1 "$(sqlite3 "$T/old.db" 'SELECT count(*) FROM findings')"); do "$PL" --db "$T/old.db" --now 2026-01-14T00:00:00Z explain "$i" --format json; done 2>/dev/null > "$T/explain.json" && cmp "$T/explain.json" "$FIX/store/s0032.explain.json"
! "$PL" --db "$T/old.db" --now 2026-01-14T00:00:00Z report --format json 2>/dev/null > "$T/report.json" && cmp "$T/report.json" "$FIX/store/s0032.report.json"
$ --db $T/old.db --now 2026-01-14T00:00:00Z explain 3
>* glibc 2.36-9+deb12u7 >= fixed 2.36-9+deb12u7 (dpkg order, debian glibc/CVE-2026-1001)

### lean-1.4: a full re-scan of the migrated store finds the same texts and adds none
sqlite-only: the subject is a SQLite store file made at schema 31
! sqlite3 "$T/old.db" "SELECT count(*) FROM finding_texts" > "$T/n1"
$ --db $T/old.db --now 2026-01-14T00:00:00Z scan --full
>* open findings

### lean-1.5: ...and reads the same findings after it
sqlite-only: the subject is a SQLite store file made at schema 31
! test "$(sqlite3 "$T/old.db" "SELECT count(*) FROM finding_texts")" = "$(cat "$T/n1")"
! for st in open fixed mitigated accepted package-removed; do "$PL" --db "$T/old.db" --now 2026-01-14T00:00:00Z findings --status $st --format json; done 2>/dev/null > "$T/findings2.json" && cmp "$T/findings2.json" "$FIX/store/s0032.findings.json"
$ --db $T/old.db --now 2026-01-14T00:00:00Z findings --status package-removed --format csv
>* bash

### lean-1.6: the events keep their detail, by reference (0036), each text once
sqlite-only: the subject is a SQLite store file made at schema 31
! test "$(sqlite3 "$T/old.db" "SELECT count(*) FROM finding_events WHERE detail_ref IS NOT NULL")" -ge 2
! test "$(sqlite3 "$T/old.db" "SELECT count(*) FROM finding_events e LEFT JOIN finding_texts t ON t.id = e.detail_ref WHERE e.detail_ref IS NOT NULL AND t.id IS NULL")" = 0
! test "$(sqlite3 "$T/old.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'findings_status'")" = 0
$ --db $T/old.db --now 2026-01-14T00:00:00Z explain 1
>* bash is no longer installed

### lean-2.1: a new store writes each text once, however many findings hold it
! cp -r "$FIX/inventory/root" "$T/root"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory collect --root "$T/root" >/dev/null && "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory synthesize --assets 3 --seed 7 >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import "$FIX/match/tracker.json" >/dev/null 2>&1 && "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import "$FIX/match/kev.json" >/dev/null 2>&1
$ --db $DB --now 2026-01-10T00:00:00Z scan
>* open findings

### lean-2.2: ...and reads it back by reference
$ --db $DB --now 2026-01-10T00:00:00Z explain 1
>* comparison
