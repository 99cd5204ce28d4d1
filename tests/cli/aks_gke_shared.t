# AKS and GKE end of life on the real endoflife.date data (docs/third-party.md): the
# product definitions and the azure-kubernetes-service and google-kubernetes-engine release
# data in ../shared/data/eol imported with `feed import eol`, and the constructed clusters
# of tests/fixtures/eol/aks-constructed.json and gke-constructed.json.
skip-without-shared

### mk8sd-1.1: the product definitions and the AKS and GKE release data import
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z init >/dev/null
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z feed import "$SHARED/eol/product-definitions_all.jsonl.xz" >/dev/null
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z feed import "$SHARED/eol/release-data/azure-kubernetes-service.json" >/dev/null
$ --db $DB --now 2026-12-01T00:00:00Z feed import $SHARED/eol/release-data/google-kubernetes-engine.json
>* eol

### mk8sd-1.2: ...every cycle of the data is stored with its end of support
! for p in azure-kubernetes-service google-kubernetes-engine; do want=$(xz -dc "$SHARED/eol/product-definitions_all.jsonl.xz" | python3 -c 'import json,sys; print(sum(len(d.get("releases") or []) for d in map(json.loads, sys.stdin) if d["product"] == sys.argv[1]))' "$p"); test "$(sqlite3 "$DB" "SELECT count(*) FROM eol_cycles WHERE product = '$p'")" = "$want" || exit 1; done
! test "$(sqlite3 "$DB" "SELECT eol FROM eol_cycles WHERE product = 'google-kubernetes-engine' AND cycle = '1.29'")" = "2025-04-12"
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory import "$FIX/eol/aks-constructed.json" >/dev/null
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/eol/gke-constructed.json
>* gcp-gke $FIX/eol/gke-constructed.json: 2 records, 2 assets created

### mk8sd-1.3: the scan: legacy-aks (1.29) and old-gke (1.29) past end of support, payments-aks and new-gke (1.35) not
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 2 open findings

### mk8sd-1.4: ...each with the remedy from the imported data
! test "$(sqlite3 "$DB" "SELECT group_concat(a.name || ' ' || f.vuln_id || ' ' || f.fixed_version, ', ') FROM (SELECT * FROM findings ORDER BY id) f JOIN assets a ON a.id = f.asset_id")" = "legacy-aks eol:azure-kubernetes-service:1.29 1.35, old-gke eol:google-kubernetes-engine:1.29 1.35"
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z explain 1 | grep -qF "cluster azure-kubernetes-service 1.29.7: cycle 1.29 past end of support since 2025-03-31 (endoflife.date feed import); upgrade to cycle 1.35, supported until 2027-03-31"
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* old-gke,eol:google-kubernetes-engine:1.29,google-kubernetes-engine,1.29.6-gke.1038001,1.35,
