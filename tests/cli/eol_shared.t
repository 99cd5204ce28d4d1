# End of life as findings (docs/third-party.md): the shipped table is endoflife.date's
# product definitions in ../shared/data/eol, regenerated and compared here; RDS engines and
# Lambda runtimes past their end of support become eol: findings with an SLA, supported ones
# none. RDS and Lambda exports: tests/fixtures/aws (AWS CLI reference examples) and
# tests/fixtures/eol (constructed, see its PROVENANCE).
skip-without-shared

### eol-1.1: the shipped table equals the data it was generated from
! python3 "$FIX/../../scripts/gen-eol-data.py" "$SHARED/eol/product-definitions_all.jsonl.xz" > "$T/eol_data.c"
! diff -u "$FIX/../../src/match/eol_data.c" "$T/eol_data.c"
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/aws/rds-instances.json
>* 2 assets created

### eol-1.2: RDS PostgreSQL 11.22, Aurora PostgreSQL 16.4 (constructed) and the Lambda functions
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/eol/rds-constructed.json
>* 2 assets created

### eol-1.3: ...python3.8 and nodejs22.x
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/aws/lambda-functions.json
>* 2 assets created

### eol-1.4: the scan: MySQL 5.7 (public), PostgreSQL 11, python3.8 (exposure unknown: counted as exposed) past end of support; PostgreSQL 15.4 and Aurora 16.4 behind their latest minor versions
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 5 open findings

### eol-1.5: ...each with the cycle, its end, the remedy and the tier the default policy gives
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* legacy-mysql,eol:amazon-rds-mysql:5.7,amazon-rds-mysql,5.7.44,8.4.10,1,2026-12-08T00:00:00Z,false,
>* billing-pg11,eol:amazon-rds-postgresql:11,amazon-rds-postgresql,11.22,14.23,2,2026-12-31T00:00:00Z,false,
>* thumbnailer,eol:aws-lambda:python3.8,aws-lambda,python3.8,python3.11,1,2026-12-08T00:00:00Z,false,true,

### eol-1.6: supported engines and runtimes have none
! test "$(sqlite3 "$DB" "SELECT count(*) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name IN ('orders-db', 'reports-aurora', 'api-handler') AND f.vuln_id LIKE 'eol:%'")" = "0"
! test "$(sqlite3 "$DB" "SELECT group_concat(a.name || ' ' || f.vuln_id || ' ' || f.fixed_version, ', ') FROM (SELECT * FROM findings ORDER BY id) f JOIN assets a ON a.id = f.asset_id WHERE f.vuln_id LIKE 'lag:%'")" = "orders-db lag:amazon-rds-postgresql:15 15.18, reports-aurora lag:amazon-aurora-postgresql:16 16.13"
! test "$(sqlite3 "$DB" "SELECT (SELECT ft.text FROM finding_texts ft WHERE ft.id = rule_ref) FROM findings WHERE vuln_id = 'eol:amazon-rds-mysql:5.7'")" = "end-of-life-exposed"
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* eol:amazon-rds-postgresql:11

### eol-1.7: explain: the end of support, the remedy, the eol fact and its source
! test "$(sqlite3 "$DB" "SELECT (SELECT t.text FROM finding_texts t WHERE t.id = findings.evidence_ref) FROM findings WHERE vuln_id = 'eol:amazon-rds-postgresql:11'")" = "engine amazon-rds-postgresql 11.22: cycle 11 past end of support since 2024-02-29 (endoflife.date 2026-08-22); upgrade to cycle 14 (latest 14.23), supported until 2027-02-28"
$ --db $DB --now 2026-12-01T00:00:00Z explain 3
>* rule 'end-of-life'
>* eol = true (want true) [endoflife.date amazon-rds-postgresql 2026-08-22]

### eol-2.1: time passing: on 2027-03-01 PostgreSQL 14 (orders-db runs 15.4, stays) and nodejs22.x (until 2027-04-30) are still supported
$ --db $DB --now 2027-03-01T00:00:00Z scan
>* 5 open findings

### eol-2.2: ...and on 2027-05-01 nodejs22.x's deprecation has passed: the unchanged function is read again
$ --db $DB --now 2027-05-01T00:00:00Z scan
>* 6 open findings

### eol-2.3: ...its finding names the runtime's cycle
$ --db $DB --now 2027-05-01T00:00:00Z findings --format csv
>* api-handler,eol:aws-lambda:nodejs22.x,aws-lambda,nodejs22.x,

### eol-3.1: an upgrade into a supported cycle closes the finding with proof
! sed -e 's/"11.22"/"16.4"/' -e 's/"aurora-postgresql"/"postgres"/' "$FIX/eol/rds-constructed.json" > "$T/rds-later.json"
! "$PL" --db "$DB" --now 2027-05-02T00:00:00Z inventory import "$T/rds-later.json" >/dev/null
$ --db $DB --now 2027-05-02T00:00:00Z scan
>* 6 open findings

### eol-3.2: ...fixed: the new version and the cycle's end
! test "$(sqlite3 "$DB" "SELECT status || ': ' || (SELECT t.text FROM finding_texts t WHERE t.id = findings.fix_proof_ref) FROM findings WHERE vuln_id = 'eol:amazon-rds-postgresql:11'")" = "fixed: amazon-rds-postgresql now at 16.4, cycle 16 supported until 2029-02-28"
$ --db $DB --now 2027-05-02T00:00:00Z findings --status fixed --format csv
>* billing-pg11,eol:amazon-rds-postgresql:11,
