# inventory import of infrastructure sources (issue 4): AWS, Nmap, Azure, CMDB CSV;
# identity across sources, merges and splits, curation, selectors, export round trip.
# Set-up lines (!) run before the command of their case: checks of a command's
# effect sit in the next case.

### imp-1.1: ec2 describe-instances: running instances become hosts, terminated ones are skipped
$ --db $DB --now 2026-11-29T00:00:00Z inventory import $FIX/aws/ec2-instances.json
> aws-ec2 $FIX/aws/ec2-instances.json: 3 records, 2 assets created, 0 merged, 1 skipped

### imp-1.2: owner and environment from the tags, exposure from the public address
$ --db $DB assets --format csv
>* id,name,kind,env,owner,exposure,os,packages,last_seen,last_patched
>* 2,db-proxy,host,staging,team-data,unknown,Windows,0,2026-11-29T00:00:00Z,
>* 1,web-1,host,prod,team-web,yes,Linux/UNIX,0,2026-11-29T00:00:00Z,

### imp-1.3: the evidence, cloud placement and identifiers of one instance
$ --db $DB assets show web-1
>* exposure_evidence   public IP 203.0.113.10 (ec2 describe-instances)
>* tags                Environment=production;Name=web-1;Owner=team-web;pci
>* cloud_account       111122223333
>* cloud_region        eu-west-1
>* network_scope       vpc-0a1b2c3d
>* mac       0a:1b:2c:3d:4e:5f
>* ip        10.0.1.10                                         vpc-0a1b2c3d  aws

### imp-1.4: importing the same file again (kind named) changes nothing but last-seen
! cp $DB $T/before.db
$ --db $DB --now 2026-11-30T00:00:00Z inventory import aws-ec2 $FIX/aws/ec2-instances.json
> aws-ec2 $FIX/aws/ec2-instances.json: 3 records, 0 assets created, 2 merged, 1 skipped

### imp-1.5: ...as the store shows; rds describe-db-instances makes databases
! test "$(sqlite3 "$DB" 'SELECT count(*), max(last_seen) FROM assets')" = "2|1795996800"
! test "$(sqlite3 "$DB" 'SELECT count(*) FROM asset_identifiers')" = "$(sqlite3 "$T/before.db" 'SELECT count(*) FROM asset_identifiers')"
! test "$(sqlite3 "$DB" 'SELECT count(*) FROM asset_merges')" = "0"
! test "$(sqlite3 "$DB" 'SELECT group_concat(tag) FROM asset_tags')" = "$(sqlite3 "$T/before.db" 'SELECT group_concat(tag) FROM asset_tags')"
$ --db $DB --now 2026-11-30T00:00:00Z inventory import $FIX/aws/rds-instances.json
> aws-rds $FIX/aws/rds-instances.json: 2 records, 2 assets created, 0 merged, 0 skipped

### imp-1.6: engine and PubliclyAccessible of the databases
$ --db $DB assets --select kind=database --format csv
>* id,name,kind,env,owner,exposure,os,packages,last_seen,last_patched
>* 4,legacy-mysql,database,,,yes,mysql 5.7.44,0,2026-11-30T00:00:00Z,
>* 3,orders-db,database,prod,team-data,no,postgres 15.4,0,2026-11-30T00:00:00Z,

### imp-1.7: lambda list-functions
! test "$(sqlite3 "$DB" "SELECT exposure_evidence FROM assets WHERE name = 'legacy-mysql'")" = "PubliclyAccessible true (rds describe-db-instances)"
$ --db $DB --now 2026-11-30T00:00:00Z inventory import $FIX/aws/lambda-functions.json
> aws-lambda $FIX/aws/lambda-functions.json: 2 records, 2 assets created, 0 merged, 0 skipped

### imp-1.8: runtimes past their end of support are tagged
$ --db $DB assets --select tag=runtime-deprecated --format csv
>* id,name,kind,env,owner,exposure,os,packages,last_seen,last_patched
>* 5,thumbnailer,function,,,unknown,,0,2026-11-30T00:00:00Z,

### imp-1.9: ...and show their runtime and its end of support
$ --db $DB assets show thumbnailer
>* runtime             python3.8
>* runtime_deprecated  2024-10-14T00:00:00Z

### imp-1.10: ssm patch states join the instance by its id
$ --db $DB --now 2026-11-30T00:00:00Z inventory import $FIX/aws/ssm-patch-states.json
> aws-ssm-patch $FIX/aws/ssm-patch-states.json: 1 records, 0 assets created, 1 merged, 0 skipped

### imp-1.11: patch counts, last-patched and the explained merge
$ --db $DB assets show 1
>* patches_missing     1
>* patches_installed   250
>* last_patched        2026-11-20T03:15:00Z
>* 1      2026-11-30T00:00:00Z  matched cloud-id i-0aaa1111bbbb2222c  aws-ssm  i-0aaa1111bbbb2222c  -

### imp-1.12: AWS Config: known instances merge, other types and deleted ones are skipped
$ --db $DB --now 2026-11-30T00:00:00Z inventory import $FIX/aws/config-resources.json
> aws-config $FIX/aws/config-resources.json: 4 records, 1 assets created, 1 merged, 2 skipped

### imp-1.13: AWS Config items: a function and a database by their cloud ids
$ --db $DB --now 2026-11-30T00:00:00Z inventory import $FIX/aws/config-items.json
> aws-config-items $FIX/aws/config-items.json: 2 records, 0 assets created, 2 merged, 0 skipped

### imp-2.1: an Nmap scan inside the VPC merges with the AWS instances
$ --db $DB --now 2026-11-30T00:00:00Z inventory import --scope vpc-0a1b2c3d $FIX/nmap/vpc-scan.xml
> nmap $FIX/nmap/vpc-scan.xml: 4 records, 1 assets created, 2 merged, 1 skipped

### imp-2.2: web-1 matched by its MAC, with services and CPEs
$ --db $DB assets show web-1
>* matched mac 0a:1b:2c:3d:4e:5f         nmap        vpc-0a1b2c3d/10.0.1.10
>* tcp       22    open   ssh      OpenSSH  8.9p1 Ubuntu 3ubuntu0.4  2026-11-30T00:00:00Z  nmap
>* cpe:/a:igor_sysoev:nginx:1.18.0  tcp       443   nmap
>* cpe:/o:linux:linux_kernel:5                0     nmap

### imp-2.3: db-proxy matched by its private IP in the VPC scope
$ --db $DB assets show db-proxy
>* matched ip 10.0.2.20 in vpc-0a1b2c3d  nmap    vpc-0a1b2c3d/10.0.2.20  -

### imp-2.4: the host only Nmap saw is unmanaged (shadow IT)
$ --db $DB --now 2026-11-30T00:00:00Z assets --unmanaged --select kind=network-device --format csv
>* id,name,kind,env,owner,exposure,os,packages,last_seen,last_patched
>* 8,printer-3.corp.example,network-device,,,unknown,Brother HL-L2350DW printer,0,2026-11-30T00:00:00Z,

### imp-2.5: an owned host with a patch source (SSM) is managed
$ --db $DB --now 2026-11-30T00:00:00Z assets --unmanaged --select name=web-*
> id  name  kind  env  owner  exposure  os  packages  last_seen  last_patched

### imp-2.6: without the scope, a private address is another network's: no merge by IP
! "$PL" --db "$DB" store copy --to "$T/scope.db" >/dev/null
$ --db $T/scope.db --now 2026-11-30T00:00:00Z inventory import nmap $FIX/nmap/vpc-scan.xml
> nmap $FIX/nmap/vpc-scan.xml: 4 records, 1 assets created, 2 merged, 1 skipped

### imp-3.1: Azure Resource Graph: VMs with image and OS type; other types are skipped
$ --db $DB --now 2026-11-30T00:00:00Z inventory import $FIX/azure/resource-graph-vms.json
> azure-graph $FIX/azure/resource-graph-vms.json: 3 records, 2 assets created, 0 merged, 1 skipped

### imp-3.2: selectors combine terms; os matches the family (db-proxy was seen by Nmap on 11-30)
$ --db $DB assets --select os=windows,kind=host --format csv
>* id,name,kind,env,owner,exposure,os,packages,last_seen,last_patched
>* 2,db-proxy,host,staging,team-data,unknown,Windows,0,2026-11-30T00:00:00Z,
>* 10,ops-win-1,host,,,unknown,windows 2022,0,2026-11-30T00:00:00Z,

### imp-3.3: Azure tags give owner and environment
$ --db $DB assets show web-az-1
>* tags                cost-center=42;environment=Production;image=Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest;owner=team-web
>* environment         prod

### imp-4.1: ServiceNow CMDB export: merged by MAC; the CMDB name, OS and criticality win
$ --db $DB --now 2026-11-30T00:00:00Z inventory import $FIX/cmdb/servicenow.csv
> csv $FIX/cmdb/servicenow.csv: 3 records, 2 assets created, 1 merged, 0 skipped

### imp-4.2: ServiceNow criticality labels are mapped
$ --db $DB assets --select criticality=critical --format csv
>* id,name,kind,env,owner,exposure,os,packages,last_seen,last_patched
>* 1,web-1,host,prod,team-web,yes,Linux Red Hat 9.3,0,2026-11-30T00:00:00Z,2026-11-20T03:15:00Z

### imp-4.3: Jira Assets export with tags and exposure
$ --db $DB --now 2026-11-30T00:00:00Z inventory import $FIX/cmdb/jira-assets.csv
> csv $FIX/cmdb/jira-assets.csv: 2 records, 2 assets created, 0 merged, 0 skipped

### imp-4.4: tags separated by ; or |
$ --db $DB assets --select tag=pci,env=staging --format csv
>* id,name,kind,env,owner,exposure,os,packages,last_seen,last_patched
>* 14,hr-app,host,staging,team-hr,no,Ubuntu 22.04,0,2026-11-30T00:00:00Z,

### imp-4.5: --map reads other headers
$ --db $DB --now 2026-11-30T00:00:00Z inventory import --map Server=name --map Responsible=owner --map Stage=environment --map Address=ip csv $FIX/cmdb/custom-headers.csv
> csv $FIX/cmdb/custom-headers.csv: 1 records, 1 assets created, 0 merged, 0 skipped

### imp-4.6: ...as the listing shows
$ --db $DB assets --select owner=team-ops --format csv
>* ,legacy-ftp,host,dev,team-ops,unknown,,0,2026-11-30T00:00:00Z,

### imp-4.7: a bad value names the file, line and column, and changes nothing
! cp $DB $T/bad.db
$ --db $DB inventory import $FIX/cmdb/bad-env.csv
? 1
2> patchline: inventory import: $FIX/cmdb/bad-env.csv:3: column 'environment': unknown value 'moon' (prod, staging, dev)

### imp-4.8: a bad IP address
! test "$(sqlite3 "$DB" 'SELECT count(*) FROM assets')" = "$(sqlite3 "$T/bad.db" 'SELECT count(*) FROM assets')"
$ --db $DB inventory import $FIX/cmdb/bad-ip.csv
? 1
2> patchline: inventory import: $FIX/cmdb/bad-ip.csv:3: column 'ip': bad IP address '300.1.2.3'

### imp-4.9: headers without a name column need --map
$ --db $DB inventory import csv $FIX/cmdb/custom-headers.csv
? 1
2> patchline: inventory import: $FIX/cmdb/custom-headers.csv:1: no name column (name, hostname, host; or --map COLUMN=name)

### imp-4.10: ...which detection cannot tell either
$ --db $DB inventory import $FIX/cmdb/custom-headers.csv
? 1
2> custom-headers.csv: cannot tell what kind of file this is; name its kind (csv, nmap, aws-ec2,

### imp-4.11: a hostile hostname is data
$ --db $T/hostile.db inventory import $FIX/cmdb/hostile.csv
> csv $FIX/cmdb/hostile.csv: 1 records, 1 assets created, 0 merged, 0 skipped

### imp-4.12: ...and the table escapes its control characters
! "$PL" --db "$T/hostile.db" assets | grep -qF 'evil\x1b]0;pwned\x07\x1b[2J'
! ! "$PL" --db "$T/hostile.db" assets | grep -q $'\033'
! ! "$PL" --db "$T/hostile.db" assets show 1 | grep -q $'\033'
$ --db $T/hostile.db assets --format json
>* "name": "evil\u001b]0;pwned\u0007\u001b[2J"

### imp-5.1: manual curation: validated values
$ --db $DB --now 2026-12-01T00:00:00Z assets set printer-3.corp.example owner=team-facilities env=prod criticality=low tag+=office tag+=floor-3 tag-=floor-3
> asset 8 updated

### imp-5.2: ...shown and audited
$ --db $DB audit --format csv --limit 6
>* ,asset.set,8,owner=team-facilities
>* ,asset.set,8,env=prod
>* ,asset.set,8,tag+office
>* ,asset.set,8,tag-floor-3

### imp-5.3: an invalid value is refused
$ --db $DB --now 2026-12-01T00:00:00Z assets set 8 env=moon
? 2
2> patchline: assets set: field 'env': invalid value 'moon'

### imp-5.4: an unknown field is refused
$ --db $DB --now 2026-12-01T00:00:00Z assets set 8 colour=blue
? 2
2> patchline: assets set: unknown field 'colour'

### imp-5.5: exposure set by hand records who decided it
$ --db $DB --now 2026-12-01T00:00:00Z assets set 8 exposure=no
> asset 8 updated

### imp-5.6: ...as evidence
$ --db $DB assets show 8
>* owner               team-facilities
>* exposure            no
>* tags                mac-vendor=Brother Industries;office
! sqlite3 "$DB" "SELECT exposure_evidence FROM assets WHERE id = 8" | grep -q '^set by '

### imp-6.1: a manual merge joins two assets; the other one is retired with its history
$ --db $DB --now 2026-12-01T00:00:00Z assets merge web-az-1 ops-win-1
> asset 10 merged into asset 9

### imp-6.2: ...and explained
$ --db $DB assets show 9
>* manual merge of asset 10 by
>* azure   /subscriptions/cfbbd179-59d2-4052-aa06-9270a38aa9d6/resourcegroups/rg-ops/providers/microsoft.compute/virtualmachines/ops-win-1

### imp-6.3: split undoes it: the source's observation leaves for a new asset
! test "$(sqlite3 "$DB" 'SELECT CASE WHEN retired_at IS NOT NULL THEN 1 ELSE 0 END, merged_into FROM assets WHERE id = 10')" = "1|9"
$ --db $DB --now 2026-12-02T00:00:00Z assets split 1 nmap
> source 'nmap' of asset 1 split into asset 16

### imp-6.4: the detached asset has the source's identifiers, the merge is marked undone
! test "$(sqlite3 "$DB" "SELECT undone_at FROM asset_merges WHERE asset_id = 1 AND source = 'nmap'")" = "1796169600"
$ --db $DB assets show 16
>* name                web-1
>* sources             nmap
>* nmap    vpc-0a1b2c3d/10.0.1.10
>* tcp       22    open   ssh      OpenSSH  8.9p1 Ubuntu 3ubuntu0.4  2026-11-30T00:00:00Z  nmap

### imp-6.5: importing the scan again keeps the split (its source key is known); the tag Nmap gave left with it
! test "$(sqlite3 "$DB" "SELECT group_concat(asset_id || ':' || tag, ' ') FROM asset_tags WHERE tag = 'mac-vendor=Amazon'")" = "16:mac-vendor=Amazon"
$ --db $DB --now 2026-12-03T00:00:00Z inventory import --scope vpc-0a1b2c3d $FIX/nmap/vpc-scan.xml
> nmap $FIX/nmap/vpc-scan.xml: 4 records, 0 assets created, 3 merged, 1 skipped

### imp-6.6: split of a source the asset does not have
! test "$(sqlite3 "$DB" "SELECT asset_id FROM asset_sources WHERE source = 'nmap' AND source_key = 'vpc-0a1b2c3d/10.0.1.10'")" = "16"
$ --db $DB assets split 1 shodan
? 1
2> patchline: assets split: asset 1 has no observation from source 'shodan'

### imp-6.7: every merge and split is audited
$ --db $DB audit --format csv --limit 3
>* ,asset.merge,9,merged asset 10
>* ,asset.split,1,source 'nmap' detached into asset 16

### imp-7.1: stale assets: not seen for DAYS before --now
$ --db $DB --now 2026-12-03T12:00:00Z assets --stale 3 --format csv
>* id,name,kind,env,owner,exposure,os,packages,last_seen,last_patched
>* 7,batch-worker,host,,,unknown,,0,2026-11-30T00:00:00Z,

### imp-7.2: retire: the asset leaves the listing and keeps its history
$ --db $DB --now 2026-12-04T00:00:00Z assets retire batch-worker
> asset 7 retired

### imp-7.3: ...as --retired shows
! test "$(sqlite3 "$DB" "SELECT count(*) FROM asset_sources WHERE asset_id = 7")" = "1"
$ --db $DB assets --retired --select name=batch-* --format csv
>* 7,batch-worker,host,,,unknown,,0,2026-11-30T00:00:00Z,

### imp-7.4: a selector with an unknown field
$ --db $DB assets --select colour=blue
? 2
2> patchline: assets: selector term 'colour=blue': unknown field 'colour'

### imp-8.1: export as CSV (one value per identifier, in any scope)
$ --db $DB inventory export --format csv --select name=web-1,kind=host
>* name,kind,owner,environment,criticality,exposure,exposure_evidence,os_family,os,os_version,fqdn,hostname,ip,mac,cloud_id,serial,scope,tags
>* web-1,host,team-web,prod,critical,yes,public IP 203.0.113.10 (ec2 describe-instances),linux,Linux Red Hat,9.3,ec2-203-0-113-10.eu-west-1.compute.amazonaws.com;ip-10-0-1-10.eu-west-1.compute.internal;web-1.corp.example,web-1,10.0.1.10;203.0.113.10,0a:1b:2c:3d:4e:5f,i-0aaa1111bbbb2222c,,vpc-0a1b2c3d,Environment=production;Name=web-1;Owner=team-web;patch-group=web;pci

### imp-8.2: round trip: a store built from AWS, Azure and CMDB sources...
! for f in aws/ec2-instances.json aws/rds-instances.json aws/lambda-functions.json azure/resource-graph-vms.json cmdb/servicenow.csv cmdb/jira-assets.csv; do "$PL" --db "$T/rt1.db" --now 2026-12-05T00:00:00Z inventory import "$FIX/$f" >/dev/null || exit 1; done
! "$PL" --db "$T/rt1.db" inventory export >"$T/export1.csv"
$ --db $T/rt2.db --now 2026-12-05T00:00:00Z inventory import $T/export1.csv
> csv $T/export1.csv: 12 records, 12 assets created, 0 merged, 0 skipped

### imp-8.3: ...exports the same file after its export is imported into another store
! "$PL" --db "$T/rt2.db" inventory export >"$T/export2.csv"
! cmp "$T/export1.csv" "$T/export2.csv"
$ --db $T/rt2.db assets --format csv --select name=web-1
>* 1,web-1,host,prod,team-web,yes,Linux Red Hat 9.3,0,2026-12-05T00:00:00Z,

### imp-8.4: importing the export into its own store merges every asset
$ --db $T/rt1.db --now 2026-12-06T00:00:00Z inventory import $T/export1.csv
> csv $T/export1.csv: 12 records, 0 assets created, 12 merged, 0 skipped

### imp-9.1: standard input needs a kind
$ --db $DB inventory import -
? 2
2> patchline: inventory import: reading standard input needs its kind: inventory import KIND -

### imp-9.2: standard input with a kind
< {"DBInstances": [{"DBInstanceIdentifier": "stdin-db", "Engine": "postgres", "EngineVersion": "16.1"}]}
$ --db $T/stdin.db inventory import aws-rds -
> aws-rds -: 1 records, 1 assets created, 0 merged, 0 skipped

### imp-9.3: an unknown kind
$ --db $DB inventory import nessus-ng $FIX/aws/ec2-instances.json
? 2
2> patchline: inventory import: unknown kind 'nessus-ng' (kinds: csv, nmap, aws-ec2,

### imp-9.4: compressed input is read through the front door
! gzip -c "$FIX/nmap/vpc-scan.xml" >"$T/scan.xml.gz"
$ --db $T/gz.db inventory import --scope vpc-0a1b2c3d $T/scan.xml.gz
> nmap $T/scan.xml.gz: 4 records, 3 assets created, 0 merged, 1 skipped

### imp-10.1: negative: truncated JSON changes nothing
! head -c 700 "$FIX/aws/ec2-instances.json" >"$T/trunc.json"
$ --db $T/neg.db inventory import aws-ec2 $T/trunc.json
? 1
2> patchline: inventory import: $T/trunc.json:

### imp-10.2: negative: a wrong type names the record and field
! printf '{"Reservations": [{"Instances": [{"InstanceId": 42}]}]}' >"$T/type.json"
$ --db $T/neg.db inventory import $T/type.json
? 1
2> patchline: inventory import: $T/type.json: record 
2> : instance 1: field 'InstanceId': want a string, not number

### imp-10.3: negative: a 10 MB field
! { printf '{"Functions": [{"FunctionName": "'; head -c 10485760 /dev/zero | tr '\0' A; printf '"}]}'; } >"$T/big.json"
$ --db $T/neg.db inventory import aws-lambda $T/big.json
? 1
2> patchline: inventory import: $T/big.json: record 
2> : field 'FunctionName': longer than 4096 bytes

### imp-10.4: negative: invalid UTF-8
! printf '{"DBInstances": [{"DBInstanceIdentifier": "db-\xff\xfe"}]}' >"$T/utf8.json"
$ --db $T/neg.db inventory import aws-rds $T/utf8.json
? 1
2> patchline: inventory import: $T/utf8.json:

### imp-10.5: negative: truncated Nmap XML
! head -c 2000 "$FIX/nmap/vpc-scan.xml" >"$T/trunc.xml"
$ --db $T/neg.db inventory import nmap $T/trunc.xml
? 1
2> patchline: inventory import: $T/trunc.xml:20: truncated XML: input ends inside element 'ports'

### imp-10.6: negative: XML that is not Nmap's
! printf '<?xml version="1.0"?>\n<NessusClientData_v2/>\n' >"$T/other.xml"
$ --db $T/neg.db inventory import nmap $T/other.xml
? 1
2> patchline: inventory import: $T/other.xml:2: not Nmap XML (root element 'NessusClientData_v2', want 'nmaprun')

### imp-10.7: negative: a bad port number names the element and line
! sed 's/portid="443"/portid="99999"/' "$FIX/nmap/vpc-scan.xml" >"$T/port.xml"
$ --db $T/neg.db inventory import nmap $T/port.xml
? 1
2> patchline: inventory import: $T/port.xml:19: element 'port': bad portid '99999'

### imp-10.8: negative: a 10 MB CSV field and binary garbage
! { printf 'name,owner\nx,'; head -c 10485760 /dev/zero | tr '\0' A; printf '\n'; } >"$T/big.csv"
$ --db $T/neg.db inventory import csv $T/big.csv
? 1
2> patchline: inventory import: $T/big.csv:2: column 'owner': field exceeds 1048576 bytes

### imp-10.9: negative: CSV with invalid UTF-8
! printf 'name,owner\nx,\xff\n' >"$T/utf8.csv"
$ --db $T/neg.db inventory import csv $T/utf8.csv
? 1
2> patchline: inventory import: $T/utf8.csv:2: column 'owner': invalid UTF-8

### imp-10.10: negative: a count of the wrong type
! printf '{"InstancePatchStates": [{"InstanceId": "i-1", "MissingCount": "many"}]}' >"$T/ssm.json"
$ --db $T/neg.db inventory import $T/ssm.json
? 1
2> patchline: inventory import: $T/ssm.json: record 
2> : field 'MissingCount': want a count, not string

### imp-10.11: negative: Azure rows without an id
! printf '{"data": [{"name": "vm", "type": "microsoft.compute/virtualmachines", "subscriptionId": "s"}]}' >"$T/az.json"
$ --db $T/neg.db inventory import $T/az.json
? 1
2> patchline: inventory import: $T/az.json: record 
2> : field 'id': missing

### imp-10.12: negative: Nmap XML with invalid UTF-8
! sed 's/printer-3/printer-\xff/' "$FIX/nmap/vpc-scan.xml" | printf "$(cat)" >"$T/utf8.xml"
$ --db $T/neg.db inventory import nmap $T/utf8.xml
? 1
2> patchline: inventory import: $T/utf8.xml:47: malformed XML: Input is not proper UTF-8

### imp-10.13: negative: binary garbage is no kind
! head -c 4096 /dev/urandom >"$T/garbage.bin"
$ --db $T/neg.db inventory import $T/garbage.bin
? 1
2> cannot tell what kind of file this is

### imp-10.14: nothing was recorded by the failed imports
! test "$(sqlite3 "$T/neg.db" 'SELECT count(*) FROM assets')" = "0"
! test "$(sqlite3 "$T/neg.db" "SELECT count(*) FROM audit_events WHERE action = 'inventory.import'")" = "0"
$ --db $T/neg.db assets
> id  name  kind  env  owner  exposure  os  packages  last_seen  last_patched
