# Amazon EKS clusters (docs/inventory-import.md "EKS", docs/third-party.md): `inventory
# import aws-eks` of describe-cluster and describe-nodegroup outputs, the cluster's
# Kubernetes version as its software, eol:amazon-eks findings from the shipped end-of-life
# table, and the thirdparty hand-off's update-cluster-version / update-nodegroup-version
# calls validated by awscli. Fixtures: tests/fixtures/aws/eks-clusters.json (the AWS CLI
# reference examples) and tests/fixtures/eol/eks-constructed.json (constructed).
# Set-up lines (!) run before their case's command.

### eks-1.1: describe-cluster and describe-nodegroup concatenated (kind detected): one cluster
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/aws/eks-clusters.json
> aws-eks $FIX/aws/eks-clusters.json: 2 records, 1 assets created, 0 merged, 0 skipped

### eks-1.2: ...kind cluster named by the cluster (not eksctl's Name tag), Kubernetes 1.26 as its OS, account, region, VPC, the public endpoint as exposure evidence
! test "$(sqlite3 "$DB" "SELECT name || ' ' || kind || ' ' || os_name || ' ' || os_version || ' ' || cloud_account || ' ' || cloud_region || ' ' || network_scope || ' ' || exposure FROM assets")" = "my-eks-cluster cluster amazon-eks 1.26 111122223333 us-east-2 vpc-0012b8e1cc0abb17d yes"
! test "$(sqlite3 "$DB" "SELECT exposure_evidence FROM assets")" = "public API endpoint (publicAccessCidrs 22.19.18.2/32) (eks describe-cluster)"
! test "$(sqlite3 "$DB" "SELECT value FROM asset_identifiers WHERE kind = 'cloud-id'")" = "arn:aws:eks:us-east-2:111122223333:cluster/my-eks-cluster"
$ --db $DB assets show my-eks-cluster
>* cluster=my-eks-cluster;eks-platform=eks.14

### eks-1.3: ...its software: the cluster's and the node group's Kubernetes version and the AMI release, each with a CPE of class os (identified, not compared)
$ --db $DB software my-eks-cluster --format csv
>* asset,name,version,ecosystem,cpe,class,compared
>* my-eks-cluster,kubernetes,1.26,eks,cpe:2.3:a:kubernetes:kubernetes:1.26:*:*:*:*:*:*:*,os,false
>* my-eks-cluster,my-eks-nodegroup/AL2_x86_64,1.26.12-20240329,eks-ami,cpe:2.3:o:amazon:linux_2:1.26.12-20240329:*:*:*:*:*:*:*,os,false
>* my-eks-cluster,my-eks-nodegroup,1.26,eks-nodegroup,cpe:2.3:a:kubernetes:kubernetes:1.26:*:*:*:*:*:*:*,os,false

### eks-1.4: importing the same file again changes nothing
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/aws/eks-clusters.json
> aws-eks $FIX/aws/eks-clusters.json: 2 records, 0 assets created, 1 merged, 0 skipped

### eks-2.1: 1.26 is past EKS standard support (2024-06-11): the finding eol:amazon-eks:1.26, to 1.34 (the supported cycle whose support ends first), on the SLA clock
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 1 open findings

### eks-2.2: ...explain: the cycle, its end, the remedy (a Kubernetes minor version, not EKS's platform version)
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z explain 1 > "$T/explain.out"
! grep -qF "comparison       cluster amazon-eks 1.26: cycle 1.26 past end of support since 2024-06-11 (endoflife.date 2026-08-22); upgrade to cycle 1.34 (latest 1.34-eks-27), supported until 2026-12-02" "$T/explain.out"
! grep -qF "eol = true (want true) [endoflife.date amazon-eks 2026-08-22]" "$T/explain.out"
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* 1,my-eks-cluster,eol:amazon-eks:1.26,amazon-eks,1.26,1.34,1,2026-12-08T00:00:00Z,false,

### eks-2.3: the same cluster while 1.26 was supported (2024-01-01, a fresh store) has none
! "$PL" --db "$T/early.db" --now 2024-01-01T00:00:00Z init >/dev/null && "$PL" --db "$T/early.db" --now 2024-01-01T00:00:00Z inventory import "$FIX/aws/eks-clusters.json" >/dev/null
$ --db $T/early.db --now 2024-01-01T00:00:00Z scan
>* 0 open findings

### eks-3.1: constructed clusters in a JSON array, a node group before its cluster: owner and environment from the tags
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/eol/eks-constructed.json
> aws-eks $FIX/eol/eks-constructed.json: 5 records, 2 assets created, 0 merged, 0 skipped

### eks-3.2: ...legacy-eks (1.31) gets its finding, payments-eks (1.35, supported until 2027-03-27) none; a private endpoint is exposure no
! test "$(sqlite3 "$DB" "SELECT group_concat(name || ' ' || owner || ' ' || environment || ' ' || exposure, ', ') FROM (SELECT * FROM assets WHERE name <> 'my-eks-cluster' ORDER BY name)")" = "legacy-eks platform staging yes, payments-eks payments prod no"
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 2 open findings

### eks-3.3: ...
! test "$(sqlite3 "$DB" "SELECT count(*) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'payments-eks'")" = "0"
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* legacy-eks,eol:amazon-eks:1.31,amazon-eks,1.31,1.34,1,2026-12-08T00:00:00Z,false,

### eks-4.1: a node group whose cluster's describe-cluster output is not in the file: an error naming file and record, nothing imported
! sed -n '/"nodegroup": {/,$p' "$FIX/aws/eks-clusters.json" | sed '1s/^/{\n/' > "$T/ng-only.json"
$ --db $DB --now 2026-12-01T00:00:00Z inventory import aws-eks $T/ng-only.json
? 1
2> $T/ng-only.json: record 1: node group 'my-eks-nodegroup' of cluster 'my-eks-cluster': the file has no describe-cluster output of that cluster

### eks-4.2: ...a version that is no Kubernetes version, and another command's output, are errors too
! sed 's/"version": "1.26",/"version": "1.26; reboot",/' "$FIX/aws/eks-clusters.json" > "$T/bad-version.json"
! ! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory import aws-eks "$T/bad-version.json" 2> "$T/bad.err" && grep -q "field 'version': '1.26; reboot' is not a Kubernetes version" "$T/bad.err"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM assets")" = "3"
$ --db $DB --now 2026-12-01T00:00:00Z inventory import aws-eks $FIX/aws/lambda-functions.json
? 1
2> want the output of aws eks describe-cluster

### eks-5.1: the plan: legacy-eks (staging) in a wave; my-eks-cluster has no environment
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z scan >/dev/null 2>&1
$ --db $DB --now 2026-12-01T00:00:00Z plan
>* plan 1:

### eks-5.2: handoff thirdparty: node groups behind the control plane first, then one minor version at a time, the cluster and every node group each step, with their waits
$ --db $DB handoff thirdparty --rollout 1 -o $T/tp
>* $T/tp/thirdparty/aws/staging-ring1-staging-nightly-20261201.sh

### eks-5.3: ...the script, exactly
! grep '^aws ' "$T/tp/thirdparty/aws/staging-ring1-staging-nightly-20261201.sh" > "$T/calls"
! printf '%s\n' "aws eks update-nodegroup-version --cluster-name legacy-eks --nodegroup-name legacy-ng-a --kubernetes-version 1.31 --region eu-west-1" "aws eks wait nodegroup-active --cluster-name legacy-eks --nodegroup-name legacy-ng-a --region eu-west-1" > "$T/want"
! for v in 1.32 1.33 1.34; do printf '%s\n' "aws eks update-cluster-version --name legacy-eks --kubernetes-version $v --region eu-west-1" "aws eks wait cluster-active --name legacy-eks --region eu-west-1"; for g in legacy-ng-a legacy-ng-b; do printf '%s\n' "aws eks update-nodegroup-version --cluster-name legacy-eks --nodegroup-name $g --kubernetes-version $v --region eu-west-1" "aws eks wait nodegroup-active --cluster-name legacy-eks --nodegroup-name $g --region eu-west-1"; done; done >> "$T/want"
! diff -u "$T/want" "$T/calls"
! grep -q '"asset": "legacy-eks", "kind": "cluster", "package": "amazon-eks", "product": "amazon-eks", "class": "os", "installed": "1.31", "target": "1.34", "vulnerabilities": \["eol:amazon-eks:1.31"\], "route": "eks"' "$T/tp/thirdparty/staging-ring1-staging-nightly-20261201.json"
$ --db $DB plan show 1
>* amazon-eks=1.34

### eks-5.4: every body and the script pass awscli's parameter validation (update-cluster-version, update-nodegroup-version, the waiters)
! "$FIX/../cli/thirdparty_aws.sh" "$T/tp" > "$T/aws.out" || { cat "$T/aws.out"; exit 1; }
! grep -q '^valid staging-ring1-staging-nightly-20261201-eks-legacy-eks-1.32.json (eks update-cluster-version)$' "$T/aws.out"
! grep -q '^valid staging-ring1-staging-nightly-20261201-eksng-legacy-eks-legacy-ng-b-1.34.json (eks update-nodegroup-version)$' "$T/aws.out"
! grep -q '^valid staging-ring1-staging-nightly-20261201.sh (20 calls)$' "$T/aws.out"
$ --db $DB plan show 1
>* staging

### eks-5.5: ...and the validation can fail: the CLI's --kubernetes-version is the body's "version", not "kubernetesVersion"
! mkdir -p "$T/bad/thirdparty/aws" && sed 's/"version"/"kubernetesVersion"/' "$T/tp/thirdparty/aws/staging-ring1-staging-nightly-20261201-eksng-legacy-eks-legacy-ng-a-1.31.json" > "$T/bad/thirdparty/aws/w-eksng-x.json"
! ! "$FIX/../cli/thirdparty_aws.sh" "$T/bad" > "$T/bad.out" && grep -q 'Unknown parameter in input: "kubernetesVersion"' "$T/bad.out"
$ --db $DB plan show 1
>* staging

### eks-5.6: a node group name that cannot go into a command is refused, nothing written
! sqlite3 "$DB" "UPDATE packages SET name = 'ng;reboot' WHERE name = 'legacy-ng-b' AND ecosystem = 'eks-nodegroup'"
$ --db $DB handoff thirdparty --rollout 1 -o $T/tp6
? 1
2> asset 'ng;reboot': node group is not a valid host name

### eks-5.7: ...nothing was written
! test ! -e "$T/tp6"
$ --db $DB plan show 1
>* staging
