# The canary's watch reads back what the tools report (issue 23, item 7):
# `patchline handoff results import` takes the results of Ansible (the json
# callback of a real ansible-playbook run), AWX (job host summaries) and SSM
# (list-command-invocations --details) for a wave of a stored plan, and a
# later production ring is handed off only when its previous ring's watch is
# over and every host of it reported healthy. The estate is the planner's
# crafted one (tests/fixtures/plan); the pilot ring's health check is
# `test -e $T/healthy`, so the test decides whether it passes. The AWX and
# SSM files are hand-made in the documented formats (*.handmade.json).

### handoff-results-1.1: a plan whose pilot ring has a health check
! "$PL" --db "$DB" --now 2026-03-02T11:00:00Z init >/dev/null && sqlite3 "$DB" <"$FIX/plan/assets.sql" && sqlite3 "$DB" <"$FIX/plan/findings.sql" && sqlite3 "$DB" "UPDATE assets SET kind = 'host', os_family = 'debian', os_version = '12'"
! sqlite3 "$DB" "INSERT INTO asset_identifiers (asset_id, kind, value) VALUES (3, 'cloud-id', 'i-0a1b2c3d4e5f60003'), (4, 'cloud-id', 'i-0a1b2c3d4e5f60004'), (5, 'cloud-id', 'i-0a1b2c3d4e5f60005')"
! sed "s|    health-check: \[\]|    health-check: [test, -e, $T/healthy]|" "$FIX/../../docs/plan-default.yaml" > "$T/hc.yaml" && grep -q "health-check: \[test, -e, $T/healthy\]" "$T/hc.yaml"
$ --db $DB --now 2026-03-02T12:00:00Z plan --plan $T/hc.yaml
> plan 1: 11 waves, 11 findings within 30d; 6 of 14 open findings will miss their due date

### handoff-results-1.2: before the pilot's watch is over the early and standard rings are held, each naming the pilot wave it waits for
$ --db $DB --now 2026-03-02T12:00:00Z handoff ansible --rollout 1 --plan $T/hc.yaml --dpkg-root -o $T/h1
>* $T/h1/ansible/inventory/prod-ring1-prod-nightly-20260303.yml
2> handoff: wave 9 (prod-ring2-prod-nightly-20260307) left out: watching: wave 5 (prod ring pilot) is watched until 2026-03-06T06:00:00Z (0 of 1 hosts reported)
2> handoff: wave 11 (prod-ring3-prod-nightly-20260309) left out: watching: wave 9 is held: wave 5 (prod ring pilot)

### handoff-results-1.3: ... so nothing of rings 2 and 3 is written, and approvals.json lists them as skipped with the reason
! test ! -e "$T/h1/ansible/inventory/prod-ring2-prod-nightly-20260307.yml" && test ! -e "$T/h1/ansible/inventory/prod-ring3-prod-nightly-20260309.yml"
! grep -q '"reason": "watching: wave 5 (prod ring pilot) is watched until 2026-03-06T06:00:00Z' "$T/h1/ansible/approvals.json"
$ --db $DB --now 2026-03-06T07:00:00Z handoff ansible --rollout 1 --plan $T/hc.yaml --dpkg-root -o $T/h2
2> handoff: wave 9 (prod-ring2-prod-nightly-20260307) left out: awaiting results: wave 5 (prod ring pilot) has no results from 1 of its 1 hosts after its watch (ended 2026-03-06T06:00:00Z): prod-web-pilot; import the results of wave 5: patchline handoff results import FILE --rollout 1

### handoff-results-2.1: the real ansible-playbook runs the pilot wave (json callback) on a throwaway dpkg root; its health check passes
! mkdir -p "$T/pkg/DEBIAN" "$T/debs" "$T/root/var/lib/dpkg/info" "$T/root/var/lib/dpkg/updates" "$T/root/var/lib/dpkg/triggers" && touch "$T/root/var/lib/dpkg/status"
! printf 'Package: linux-image-amd64\nVersion: 6.1.90-1\nArchitecture: all\nMaintainer: Patchline <t@example.org>\nDescription: stand-in\n' > "$T/pkg/DEBIAN/control" && dpkg-deb --root-owner-group -b "$T/pkg" "$T/debs/linux-image-amd64_6.1.90-1_all.deb" >/dev/null
! printf 'Package: nginx\nVersion: 1.24.0-2\nArchitecture: all\nMaintainer: Patchline <t@example.org>\nDescription: stand-in\n' > "$T/pkg/DEBIAN/control" && dpkg-deb --root-owner-group -b "$T/pkg" "$T/debs/nginx_1.24.0-2_all.deb" >/dev/null
! test "$T/root" != / && command -v ansible-playbook >/dev/null && touch "$T/healthy"
! cd "$T/h2/ansible" && ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_LOCAL_TEMP=$T/atmp ANSIBLE_REMOTE_TEMP=$T/rtmp ansible-playbook -i inventory/prod-ring1-prod-nightly-20260303.yml patch.yml -c local -e pl_dpkg_root=$T/root -e pl_deb_dir=$T/debs > "$T/pilot-ok.json" 2>"$T/pilot-ok.err"
! test "$(dpkg-query --admindir="$T/root/var/lib/dpkg" -W -f='${Version}' linux-image-amd64)" = 6.1.90-1
$ --db $DB --now 2026-03-05T00:00:00Z handoff results import $T/pilot-ok.json --rollout 1 --plan $T/hc.yaml
> wave 5 (prod-ring1-prod-nightly-20260303): 1 healthy, 0 failed, 0 unreachable from ansible; 0 hosts still to report

### handoff-results-2.2: the result is the health check's, from the json callback
! test "$(sqlite3 "$DB" "SELECT wave, asset_id, tool, outcome, detail FROM handoff_results")" = "5|3|ansible|healthy|health check passed"
$ --db $DB --now 2026-03-05T00:00:00Z handoff ansible --rollout 1 --plan $T/hc.yaml --dpkg-root -o $T/h3
2> handoff: wave 9 (prod-ring2-prod-nightly-20260307) left out: watching: wave 5 (prod ring pilot) is watched until 2026-03-06T06:00:00Z (1 of 1 hosts reported)

### handoff-results-2.3: after the watch, healthy results release the early ring of that version (wave 9) and nothing else
$ --db $DB --now 2026-03-06T07:00:00Z handoff ansible --rollout 1 --plan $T/hc.yaml --dpkg-root -o $T/h4
>* $T/h4/ansible/inventory/prod-ring2-prod-nightly-20260307.yml
2> handoff: wave 11 (prod-ring3-prod-nightly-20260309) left out: watching: wave 9 (prod ring early) is watched until 2026-03-08T06:00:00Z (0 of 1 hosts reported)

### handoff-results-2.4: ... and the other version's early ring (wave 7) still awaits its own pilot's results
! test ! -e "$T/h4/ansible/inventory/prod-ring2-prod-nightly-20260306.yml" && grep -q 'prod-web-3' "$T/h4/ansible/inventory/prod-ring2-prod-nightly-20260307.yml"
$ --db $DB --now 2026-03-06T07:00:00Z handoff ssm --rollout 1 --plan $T/hc.yaml -o $T/s4
>* $T/s4/ssm/send-command-prod-ring2-prod-nightly-20260307.json
2> handoff: wave 7 (prod-ring2-prod-nightly-20260306) left out: awaiting results: wave 6 (prod ring pilot) has no results from 1 of its 1 hosts

### handoff-results-3.1: a failing health check: the real run rolls the host back and fails it
! rm -f "$T/healthy" && cd "$T/h2/ansible" && ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_LOCAL_TEMP=$T/atmp ANSIBLE_REMOTE_TEMP=$T/rtmp ansible-playbook -i inventory/prod-ring1-prod-nightly-20260304.yml patch.yml -c local -e pl_dpkg_root=$T/root -e pl_deb_dir=$T/debs > "$T/pilot-fail.json" 2>"$T/pilot-fail.err"; test $? = 2
! python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['stats']['prod-web-pilot']; assert s['failures'] == 1 and s['rescued'] == 1, s" "$T/pilot-fail.json"
$ --db $DB --now 2026-03-05T07:00:00Z handoff results import $T/pilot-fail.json --rollout 1 --plan $T/hc.yaml
> wave 6 (prod-ring1-prod-nightly-20260304): 0 healthy, 1 failed, 0 unreachable from ansible; 0 hosts still to report

### handoff-results-3.2: a failed canary stops its version's rollout: the early and standard rings are held with the failing host named
$ --db $DB --now 2026-03-06T07:00:00Z handoff ansible --rollout 1 --plan $T/hc.yaml --dpkg-root -o $T/h5
>* $T/h5/ansible/inventory/prod-ring2-prod-nightly-20260307.yml
2> handoff: wave 7 (prod-ring2-prod-nightly-20260306) left out: failed: wave 6 (prod ring pilot) failed: 1 of 1 hosts failed (100% > 5%): prod-web-pilot (failed: health check failed (rc 1), kept versions reinstalled); the rollout stops here
2> handoff: wave 10 (prod-ring3-prod-nightly-20260308) left out: failed: wave 7 is held: wave 6 (prod ring pilot) failed

### handoff-results-3.3: apply --rollout refuses the held wave too: the rollout halts there, naming the host (exit 3)
! test ! -e "$T/h5/ansible/inventory/prod-ring2-prod-nightly-20260306.yml"
$ --db $DB --now 2026-03-06T07:00:00Z apply --rollout 1 --wave 7
? 3
>* rollout 1 halted at wave 7: wave 7 is held: wave 6 (prod ring pilot) failed: 1 of 1 hosts failed (100% > 5%): prod-web-pilot

### handoff-results-4.1: AWX: the host summaries of the wave's job re-run (hand-made in the API's format) replace the failure; the early ring is released
$ --db $DB --now 2026-03-06T07:00:00Z handoff results import $FIX/handoff/awx-job-host-summaries.handmade.json --rollout 1 --plan $T/hc.yaml
> wave 6 (prod-ring1-prod-nightly-20260304): 1 healthy, 0 failed, 0 unreachable from awx; 0 hosts still to report

### handoff-results-4.2: ... wave 7 is written now
! test "$(sqlite3 "$DB" "SELECT tool, outcome, detail FROM handoff_results WHERE wave = 6")" = "awx|healthy|AWX job 97: ok 9, changed 1, failures 0, unreachable 0"
$ --db $DB --now 2026-03-06T07:00:00Z handoff ansible --rollout 1 --plan $T/hc.yaml --dpkg-root -o $T/h6
>* $T/h6/ansible/inventory/prod-ring2-prod-nightly-20260306.yml

### handoff-results-5.1: SSM: the hand-made list-command-invocations --details file has the documented shape (botocore's ListCommandInvocations output model)
! python3 "$FIX/handoff/ssm-shape.py" "$FIX/handoff/ssm-list-command-invocations.handmade.json"
$ --db $DB --now 2026-03-08T07:00:00Z handoff results import $FIX/handoff/ssm-list-command-invocations.handmade.json --rollout 1 --plan $T/hc.yaml
> wave 9 (prod-ring2-prod-nightly-20260307): 0 healthy, 1 failed, 0 unreachable from ssm; 0 hosts still to report

### handoff-results-5.2: the instance's failed plugin holds the standard ring of its version
! sqlite3 "$DB" "SELECT detail FROM handoff_results WHERE wave = 9" | grep -qF 'Failed; PatchLinux: ResponseCode 1: Installed linux-image-amd64 6.1.90-1 health check failed'
$ --db $DB --now 2026-03-08T07:00:00Z handoff ssm --rollout 1 --plan $T/hc.yaml -o $T/s5
2> handoff: wave 11 (prod-ring3-prod-nightly-20260309) left out: failed: wave 9 (prod ring early) failed: 1 of 1 hosts failed (100% > 5%): prod-web-3 (failed: Failed; PatchLinux: ResponseCode 1

### handoff-results-6.1: a host that is not in the wave is named; nothing is stored
! sed 's/"host_name": "prod-web-pilot"/"host_name": "web-9"/' "$FIX/handoff/awx-job-host-summaries.handmade.json" > "$T/awx-unknown.json" && sqlite3 "$DB" "SELECT count(*), group_concat(outcome, ',') FROM handoff_results" > "$T/before"
$ --db $DB handoff results import $T/awx-unknown.json --rollout 1 --plan $T/hc.yaml
? 1
2> handoff results import: $T/awx-unknown.json: results[0].host_name: host 'web-9' is not in wave 6 (prod-ring1-prod-nightly-20260304)

### handoff-results-6.2: an instance id of no asset of the wave, and a wave not in the plan, are named too
! sqlite3 "$DB" "SELECT count(*), group_concat(outcome, ',') FROM handoff_results" | cmp -s - "$T/before"
! sed 's/i-0a1b2c3d4e5f60005/i-0dead/' "$FIX/handoff/ssm-list-command-invocations.handmade.json" > "$T/ssm-unknown.json" && sed 's/prod-ring2-prod-nightly-20260307/prod-ring2-nowhere/' "$FIX/handoff/ssm-list-command-invocations.handmade.json" > "$T/ssm-nowave.json"
$ --db $DB handoff results import $T/ssm-unknown.json --rollout 1 --plan $T/hc.yaml
? 1
2> handoff results import: $T/ssm-unknown.json: CommandInvocations[0].InstanceId: instance 'i-0dead' is not in wave 9 (prod-ring2-prod-nightly-20260307)

### handoff-results-6.3: ... the unknown wave
$ --db $DB handoff results import $T/ssm-nowave.json --rollout 1 --plan $T/hc.yaml
? 1
2> handoff results import: $T/ssm-nowave.json: wave 'prod-ring2-nowhere' is not a wave of plan 1 that was handed off

### handoff-results-6.4: a truncated file is refused with its byte; a bad status with its field; nothing changed
! head -c 300 "$T/pilot-ok.json" > "$T/trunc.json" && sed 's/"Status": "Failed"/"Status": "Exploded"/' "$FIX/handoff/ssm-list-command-invocations.handmade.json" > "$T/ssm-bad.json"
$ --db $DB handoff results import $T/trunc.json --rollout 1 --plan $T/hc.yaml
? 1
2> handoff results import: $T/trunc.json

### handoff-results-6.5: ... the bad status
$ --db $DB handoff results import $T/ssm-bad.json --rollout 1 --plan $T/hc.yaml
? 1
2> CommandInvocations[0].Status: 'Exploded' is not a command invocation status

### handoff-results-6.6: ... and neither shape at all, or no wave named, or no --rollout
! sqlite3 "$DB" "SELECT count(*), group_concat(outcome, ',') FROM handoff_results" | cmp -s - "$T/before"
$ --db $DB handoff results import $FIX/handoff/plan.json --rollout 1 --plan $T/hc.yaml
? 1
2> not a results file

### handoff-results-6.7: ... no --rollout
$ --db $DB handoff results import $T/pilot-ok.json
? 2
2> --rollout ID is required
