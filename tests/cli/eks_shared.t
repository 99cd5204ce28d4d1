# Amazon EKS end of life on the real endoflife.date data (docs/third-party.md): the
# product definitions and amazon-eks release data in ../shared/data/eol imported with
# `feed import eol`, the AWS CLI reference examples of describe-cluster and
# describe-nodegroup (tests/fixtures/aws/eks-clusters.json) and a constructed supported
# cluster (tests/fixtures/eol/eks-constructed.json).
skip-without-shared

### eksd-1.1: the product definitions and EKS's release data import
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z init >/dev/null
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z feed import "$SHARED/eol/product-definitions_all.jsonl.xz" >/dev/null
$ --db $DB --now 2026-12-01T00:00:00Z feed import $SHARED/eol/release-data/amazon-eks.json
>* eol

### eksd-1.2: ...every amazon-eks cycle of the data is stored with its end of standard support
! want=$(xz -dc "$SHARED/eol/product-definitions_all.jsonl.xz" | python3 -c 'import json,sys; print(sum(len(d.get("releases") or []) for d in map(json.loads, sys.stdin) if d["product"] == "amazon-eks"))'); test "$(sqlite3 "$DB" "SELECT count(*) FROM eol_cycles WHERE product = 'amazon-eks'")" = "$want"
! test "$(sqlite3 "$DB" "SELECT eol FROM eol_cycles WHERE product = 'amazon-eks' AND cycle = '1.26'")" = "2024-06-11"
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory import "$FIX/aws/eks-clusters.json" >/dev/null
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/eol/eks-constructed.json
>* aws-eks $FIX/eol/eks-constructed.json: 5 records, 2 assets created

### eksd-1.3: the scan: my-eks-cluster (1.26) and legacy-eks (1.31) past end of standard support, payments-eks (1.35) not
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 2 open findings

### eksd-1.4: ...each with the remedy from the imported data
! test "$(sqlite3 "$DB" "SELECT group_concat(a.name || ' ' || f.vuln_id || ' ' || f.fixed_version, ', ') FROM (SELECT * FROM findings ORDER BY id) f JOIN assets a ON a.id = f.asset_id")" = "my-eks-cluster eol:amazon-eks:1.26 1.34, legacy-eks eol:amazon-eks:1.31 1.34"
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z explain 1 | grep -qF "cluster amazon-eks 1.26: cycle 1.26 past end of support since 2024-06-11 (endoflife.date feed import); upgrade to cycle 1.34 (latest 1.34-eks-27), supported until 2026-12-02"
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* legacy-eks,eol:amazon-eks:1.31,amazon-eks,1.31,1.34,1,
