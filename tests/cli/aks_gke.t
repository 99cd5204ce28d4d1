# AKS and GKE clusters (docs/inventory-import.md "AKS and GKE", docs/third-party.md):
# `inventory import azure-aks` of `az aks list` JSON and `inventory import gcp-gke` of
# `gcloud container clusters list --format=json`, the control plane's Kubernetes version as
# the cluster's software, and eol:azure-kubernetes-service / eol:google-kubernetes-engine
# findings from the shipped end-of-life table. Fixtures (constructed from the documented
# formats): tests/fixtures/eol/aks-constructed.json, tests/fixtures/eol/gke-constructed.json.
# Set-up lines (!) run before their case's command.

### aks-1.1: az aks list (kind detected): two clusters
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/eol/aks-constructed.json
> azure-aks $FIX/eol/aks-constructed.json: 2 records, 2 assets created, 0 merged, 0 skipped

### aks-1.2: ...kind cluster, the current Kubernetes version as its OS, subscription, region, owner and environment from the tags, the public API server as exposure (a private cluster: no)
! test "$(sqlite3 "$DB" "SELECT group_concat(name || ' ' || kind || ' ' || os_name || ' ' || os_version || ' ' || cloud_account || ' ' || cloud_region || ' ' || owner || ' ' || environment || ' ' || exposure, ', ') FROM (SELECT * FROM assets ORDER BY name)")" = "legacy-aks cluster azure-kubernetes-service 1.29.7 00000000-1111-2222-3333-444444444444 westeurope platform staging yes, payments-aks cluster azure-kubernetes-service 1.35.2 00000000-1111-2222-3333-444444444444 westeurope payments prod no"
! test "$(sqlite3 "$DB" "SELECT exposure_evidence FROM assets WHERE name = 'legacy-aks'")" = "public API server endpoint legacy-aks-dns-a1b2c3d4.hcp.westeurope.azmk8s.io (az aks)"
! test "$(sqlite3 "$DB" "SELECT value FROM asset_identifiers i JOIN assets a ON a.id = i.asset_id WHERE i.kind = 'cloud-id' AND a.name = 'legacy-aks'")" = "/subscriptions/00000000-1111-2222-3333-444444444444/resourcegroups/rg-platform/providers/microsoft.containerservice/managedclusters/legacy-aks"
$ --db $DB assets show legacy-aks
>* cluster=legacy-aks

### aks-1.3: ...its software: the control plane's and each node pool's Kubernetes version, a:kubernetes:kubernetes of class os (identified, not compared)
$ --db $DB software legacy-aks --format csv
>* asset,name,version,ecosystem,cpe,class,compared
>* legacy-aks,kubernetes,1.29.7,aks,cpe:2.3:a:kubernetes:kubernetes:1.29.7:*:*:*:*:*:*:*,os,false
>* legacy-aks,nodepool1,1.29.7,aks-nodepool,cpe:2.3:a:kubernetes:kubernetes:1.29.7:*:*:*:*:*:*:*,os,false
>* legacy-aks,winpool,1.28.9,aks-nodepool,cpe:2.3:a:kubernetes:kubernetes:1.28.9:*:*:*:*:*:*:*,os,false

### aks-1.4: importing the same file again changes nothing
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/eol/aks-constructed.json
> azure-aks $FIX/eol/aks-constructed.json: 2 records, 0 assets created, 2 merged, 0 skipped

### aks-2.1: 1.29 is past AKS support (2025-03-31): eol:azure-kubernetes-service:1.29; payments-aks (1.35, supported until 2027-03-31) has none
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 1 open findings

### aks-2.2: ...explain: the cycle, its end, the remedy (the Kubernetes minor version 1.35)
! test "$(sqlite3 "$DB" "SELECT count(*) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'payments-aks'")" = "0"
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z explain 1 > "$T/explain.out"
! grep -qF "cluster azure-kubernetes-service 1.29.7: cycle 1.29 past end of support since 2025-03-31 (endoflife.date 2026-08-22); upgrade to cycle 1.35, supported until 2027-03-31" "$T/explain.out"
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* legacy-aks,eol:azure-kubernetes-service:1.29,azure-kubernetes-service,1.29.7,1.35,

### aks-2.3: the same clusters while 1.29 was supported (2025-01-01, a fresh store): none
! "$PL" --db "$T/early.db" --now 2025-01-01T00:00:00Z init >/dev/null && "$PL" --db "$T/early.db" --now 2025-01-01T00:00:00Z inventory import "$FIX/eol/aks-constructed.json" >/dev/null
$ --db $T/early.db --now 2025-01-01T00:00:00Z scan
>* 0 open findings

### gke-1.1: gcloud container clusters list --format=json (kind detected): two clusters
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/eol/gke-constructed.json
> gcp-gke $FIX/eol/gke-constructed.json: 2 records, 2 assets created, 0 merged, 0 skipped

### gke-1.2: ...project from the selfLink, owner and environment from the resource labels, the public endpoint as exposure (a private endpoint: no)
! test "$(sqlite3 "$DB" "SELECT group_concat(name || ' ' || os_name || ' ' || os_version || ' ' || cloud_account || ' ' || cloud_region || ' ' || owner || ' ' || environment || ' ' || exposure, ', ') FROM (SELECT * FROM assets WHERE os_name = 'google-kubernetes-engine' ORDER BY name)")" = "new-gke google-kubernetes-engine 1.35.7-gke.1222000 acme-payments europe-west1-b payments prod no, old-gke google-kubernetes-engine 1.29.6-gke.1038001 acme-platform europe-west1 platform staging yes"
! test "$(sqlite3 "$DB" "SELECT exposure_evidence FROM assets WHERE name = 'old-gke'")" = "public API server endpoint 34.76.10.20 (gcloud container clusters)"
$ --db $DB software old-gke --format csv
>* old-gke,default-pool,1.28.11-gke.1019001,gke-nodepool,cpe:2.3:a:kubernetes:kubernetes:1.28.11-gke.1019001:*:*:*:*:*:*:*,os,false

### gke-2.1: 1.29.6-gke.1038001 is cycle 1.29, past GKE support (2025-04-12); new-gke (1.35) is not
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 2 open findings

### gke-2.2: ...explain: the remedy is the cycle 1.35, not GKE's patch version
! id=$(sqlite3 "$DB" "SELECT f.id FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'old-gke'") && "$PL" --db "$DB" --now 2026-12-01T00:00:00Z explain "$id" > "$T/explain2.out"
! grep -qF "cluster google-kubernetes-engine 1.29.6-gke.1038001: cycle 1.29 past end of support since 2025-04-12 (endoflife.date 2026-08-22); upgrade to cycle 1.35 (latest 1.35.7-gke.1222000), supported until 2027-04-11" "$T/explain2.out"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'new-gke'")" = "0"
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* old-gke,eol:google-kubernetes-engine:1.29,google-kubernetes-engine,1.29.6-gke.1038001,1.35,

### mk8s-3.1: a version that is no Kubernetes version: an error naming file, record, element and field, nothing imported
! sed 's/"currentMasterVersion": "1.35.7-gke.1222000"/"currentMasterVersion": "1.35; reboot"/' "$FIX/eol/gke-constructed.json" > "$T/bad-gke.json"
! n=$(sqlite3 "$DB" "SELECT count(*) FROM assets"); ! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory import gcp-gke "$T/bad-gke.json" 2> "$T/bad.err" && grep -q "bad-gke.json: record 1: element 2: field 'currentMasterVersion': '1.35; reboot' is not a Kubernetes version" "$T/bad.err" && test "$(sqlite3 "$DB" "SELECT count(*) FROM assets")" = "$n"
$ --db $DB --now 2026-12-01T00:00:00Z inventory import azure-aks $FIX/eol/gke-constructed.json
? 1
2> want the output of az aks show or az aks list

### mk8s-3.2: ...a node pool's version too, and another command's output is not taken for AKS or GKE
! sed 's/"currentOrchestratorVersion": "1.28.9"/"currentOrchestratorVersion": "1.28.9 x"/' "$FIX/eol/aks-constructed.json" > "$T/bad-aks.json"
! ! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory import "$T/bad-aks.json" 2> "$T/bad2.err" && grep -q "node pool 'winpool': version '1.28.9 x' is not a Kubernetes version" "$T/bad2.err"
$ --db $DB --now 2026-12-01T00:00:00Z inventory import gcp-gke $FIX/aws/eks-clusters.json
? 1
2> want the output of gcloud container clusters

### mk8s-3.3: one describe output (an object) without nodePools: the cluster merges, its stored node pools stay
! python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))[0]; del c["nodePools"]; print(json.dumps(c, indent=2))' "$FIX/eol/gke-constructed.json" > "$T/old-gke.json"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM packages p JOIN assets a ON a.id = p.asset_id WHERE a.name = 'old-gke' AND p.ecosystem = 'gke-nodepool'")" = "2"
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $T/old-gke.json
> gcp-gke $T/old-gke.json: 1 records, 0 assets created, 1 merged, 0 skipped

### mk8s-3.4: ...
! test "$(sqlite3 "$DB" "SELECT count(*) FROM packages p JOIN assets a ON a.id = p.asset_id WHERE a.name = 'old-gke' AND p.ecosystem = 'gke-nodepool'")" = "2"
! cat "$T/old-gke.json" "$T/old-gke.json" > "$T/twice.json"
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $T/twice.json
? 1
2> cluster 'old-gke' twice in the file

### mk8s-4.1: no hand-off carries an AKS or GKE upgrade: the thirdparty wave lists the clusters (class os, target the minor version) with route none
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z scan >/dev/null 2>&1 && "$PL" --db "$DB" --now 2026-12-01T00:00:00Z plan >/dev/null 2>&1
! "$PL" --db "$DB" handoff thirdparty --rollout 1 -o "$T/tp" >/dev/null 2>&1
! grep -q '"asset": "legacy-aks", "kind": "cluster", "package": "azure-kubernetes-service", "product": "azure-kubernetes-service", "class": "os", "installed": "1.29.7", "target": "1.35", "vulnerabilities": \["eol:azure-kubernetes-service:1.29"\], "route": "none"' "$T"/tp/thirdparty/staging-*.json
! grep -q '"route": "none", "detail": "no hand-off carries google-kubernetes-engine (-) on a cluster"' "$T"/tp/thirdparty/staging-*.json
! test -z "$(find "$T/tp" -name '*.sh')"
$ --db $DB plan show 1
>* staging
