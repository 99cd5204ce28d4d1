# `patchline demo` (issue 8): the whole pipeline on the bundled data, offline, in its own folder.

### demo-1.1: a small estate runs every stage and writes the report
$ demo --assets 40 --no-host -o $T/demo
>* match and tier every asset
>* report: $T/demo/report.html

### demo-1.2: the report, the store, the hand-offs and one log per stage are there
! test -s $T/demo/report.html && test -s $T/demo/patchline.db && test -d $T/demo/handoff/ansible && test -d $T/demo/handoff/ssm
! ls $T/demo/logs/*-scan.log >/dev/null && grep -q 'Content-Security-Policy' $T/demo/report.html
! test -s $T/demo/handoff/ansible/patch.yml && test -s $T/demo/handoff/ansible/approvals.json && ls $T/demo/handoff/ssm/*.json >/dev/null
$ --db $T/demo/patchline.db findings --format csv
>* CVE-

### demo-1.2.0: Windows hosts 1-3 cumulative updates behind have findings naming the updates they lack; up-to-date ones none
! test "$(sqlite3 $T/demo/patchline.db "SELECT group_concat(n, ' ') FROM (SELECT DISTINCT a.name AS n FROM findings f JOIN assets a ON a.id = f.asset_id WHERE (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.feed_ref) = 'msrc' AND f.status = 'open' ORDER BY 1) AS x")" = "SRV-APP01 SRV-APP02 SRV-FS01 SRV-SQL01 WS-0102 WS-0103"
! test "$(sqlite3 $T/demo/patchline.db "SELECT group_concat(DISTINCT (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.advisory_ref)) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = 'SRV-APP01'")" = "MSRC-2026-Mar-KB5078766"
$ --db $T/demo/patchline.db packages SRV-APP01
>* Windows Server 2022  10.0.20348.4773

### demo-1.2.0.1: Amazon Linux 2023 instances and Ubuntu 22.04/24.04 hosts have findings, and the report counts them per OS
$ --db $T/demo/patchline.db report --period month --format json --now 2024-08-27T06:00:00Z
>* "by_os":[
! "$PL" --db $T/demo/patchline.db report --period month --format json --now 2024-08-27T06:00:00Z | /usr/bin/python3 -c 'import json,sys; r={o["os"]: o for o in json.load(sys.stdin)["by_os"]}; print(r); assert r["amazon 2023"]["assets"] == 36 and r["amazon 2023"]["open"] > 0; assert r["ubuntu 22.04"]["assets"] == 18 and r["ubuntu 22.04"]["open"] > 0; assert r["ubuntu 24.04"]["assets"] == 18 and r["ubuntu 24.04"]["open"] > 0'
! test "$(sqlite3 $T/demo/patchline.db "SELECT count(DISTINCT (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.feed_ref)) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.os_name = 'amzn' AND f.status = 'open' AND (SELECT ft.text FROM finding_texts ft WHERE ft.id = f.feed_ref) = 'updateinfo'")" = 1
! test "$(sqlite3 $T/demo/patchline.db "SELECT count(*) FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.os_name = 'ubuntu' AND f.status = 'open' AND f.package LIKE 'linux-%' AND f.package NOT LIKE 'linux-image-nvidia%'")" = 0

### demo-1.2.0.2: ...the Ubuntu kernels' findings are on their meta-packages, beside the other packages'
$ --db $T/demo/patchline.db findings --format csv
>* ,linux-image-nvidia-6.8,

### demo-1.2.1: findings export to AWS Security Hub's format (ASFF)
$ --db $T/demo/patchline.db findings --format asff
>* "SchemaVersion":"2018-10-08"
>* "Types":["Software and Configuration Checks/Vulnerabilities/CVE"]

### demo-1.2.2: both reports are written; the month has the owners' league table
! test -s $T/demo/report-month.html && grep -q 'League table by owner' $T/demo/report-month.html
! grep -q 'The six measures against their targets' $T/demo/report.html
$ --db $T/demo/patchline.db report --period month --format json --now 2024-08-27T06:00:00Z
>* "accountability":{"owners_total":

### demo-1.2.3: the quarter: exceptions signed off by a second principal, one expired during it
$ --db $T/demo/patchline.db --now 2024-08-27T06:00:00Z exception list --format csv
>* risk-owner
! test "$(sqlite3 $T/demo/patchline.db "select group_concat(approver || ':' || requester) from exceptions")" != ""
! test "$(sqlite3 $T/demo/patchline.db "select count(*) from exceptions where approver = 'risk-owner' and requester <> 'risk-owner'")" = 3

### demo-1.2.4: ...KEV findings fixed within 24 h and late, discovery's unmanaged hosts, an end-of-life runtime
! "$PL" --db $T/demo/patchline.db report --period quarter --format json --now 2024-08-27T06:00:00Z | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); s=json.dumps(r); print(sorted(r)); assert r["kev_mitigated_not_patched"]["total"] > 0, "kev mitigated"'
! test "$(sqlite3 $T/demo/patchline.db "select count(*) from findings where tier = 0 and resolved_at is not null and resolved_at - first_seen <= 86400")" -gt 0
! test "$(sqlite3 $T/demo/patchline.db "select count(*) from findings where tier = 0 and resolved_at - first_seen > 86400")" -gt 0
! test "$(sqlite3 $T/demo/patchline.db "select count(*) from findings where vuln_id like 'eol:aws-lambda:%' and status = 'open'")" = 1
$ --db $T/demo/patchline.db assets --unmanaged --format csv
>* 192.168.

### demo-1.2.5: ...KEV entries arrive by their dateAdded during the quarter (the demo's clock, 2024-08-27): most fixed within 24 h, some late or open; KEV incidents
$ --db $T/demo/patchline.db --now 2024-08-27T06:00:00Z feed status --format csv
>* kev,2025.08.25,2024-08-27T06:00:00Z,
! "$PL" --db $T/demo/patchline.db report --period quarter --format json --now 2024-08-27T06:00:00Z | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); a=r["kev_arrivals"]; print(a["total"], a["fixed_24h"], a["fixed_late"], a["open"]); assert a["total"] >= 3 and a["fixed_24h"] > a["fixed_late"] + a["open"] - 1 and a["fixed_late"] > 0 and a["open"] > 0, a; assert r["kev_incidents"]["total"] > 0'
! test "$(sqlite3 $T/demo/patchline.db "select count(*) from kev where date_added > strftime('%s', '2024-08-27T06:00:00Z')")" = 0

### demo-1.2.6: each tier's SLA compliance over the quarter is 60-98 % and improves month over month (tests/cli/demo_sla.py)
! /usr/bin/python3 "$(dirname "$FIX")/cli/demo_sla.py" "$PL" $T/demo/patchline.db 2024-08-27T06:00:00Z
$ --db $T/demo/patchline.db report --period quarter --format json --now 2024-08-27T06:00:00Z
>* "sla":[{"row":"Tier 0","due":

### demo-1.2.7: as root, a canary rolled back for real on a throwaway root: tar back at its release version in the root's dpkg database, the report's rollouts section shows it (not root: no job, none faked)
! if [ "$(id -u)" = 0 ]; then test "$(dpkg-query --admindir=$T/demo/canary/root/var/lib/dpkg -W -f '${Version}' tar)" = 1.34+dfsg-1.2 && test "$(sqlite3 $T/demo/patchline.db "select kind || ' ' || status || ' ' || health || ' ' || rollout_id || ' ' || wave from jobs")" = "apply rolled-back failed 1 1" && test "$(sqlite3 $T/demo/patchline.db "select group_concat(outcome) from job_findings")" = "reopened,reopened" && test "$(sqlite3 $T/demo/patchline.db "select count(*) from approvals where actor = 'risk-owner' and plan_id = 1")" = 1; else test "$(sqlite3 $T/demo/patchline.db "select count(*) from jobs")" = 0; fi
! "$PL" --db $T/demo/patchline.db report --period quarter --format json --now 2024-08-27T06:00:00Z | /usr/bin/python3 -c 'import json,os,sys; r=json.load(sys.stdin)["rollouts"]; print(r); root=os.geteuid()==0; assert r["rolled_back"]==(1 if root else 0) and r["jobs"]==(1 if root else 0); assert not root or (r["latest"][0]["asset"]=="canary-01" and r["latest"][0]["outcome"]=="rolled back: its health check failed" and "/run/patchline-demo/app-healthy" in r["latest"][0]["health_check"] and r["latest"][0]["rollout"]==1)'
$ --db $T/demo/patchline.db report --period quarter --format md --now 2024-08-27T06:00:00Z
>* ## Rollouts

### demo-1.3: a second run replaces the store instead of adding to it
! sqlite3 $T/demo/patchline.db 'insert into audit_events (at, at_real, simulated, actor, action) values (0, 0, 0, "x", "marker")'
$ demo --assets 40 --no-host -o $T/demo
>* the estate today

### demo-1.3.1: ...the marker of the old store is gone and the estate is the same size
! test "$(sqlite3 $T/demo/patchline.db "select count(*) from audit_events where action = 'marker'")" = 0
! test "$(sqlite3 $T/demo/patchline.db 'select count(*) from assets')" = "$(( $(id -u) == 0 ? 127 : 126 ))"
$ --db $T/demo/patchline.db assets --format csv
>* debian

### demo-1.4: bad options are usage errors
$ demo --assets 0
? 2
2> --assets: want 1 to 100000, not '0'
