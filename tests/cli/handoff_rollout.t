# patchline handoff TARGET --rollout ID: hand-offs from a plan stored by
# `patchline plan`. The estate is the planner's crafted one
# (tests/fixtures/plan/assets.sql + findings.sql), every asset a Debian 12
# host; the clock is 2026-03-02T12:00:00Z.

### handoff-rollout-1.1: a plan is built and stored
! "$PL" --db "$DB" --now 2026-03-02T11:00:00Z init >/dev/null && sqlite3 "$DB" <"$FIX/plan/assets.sql" && sqlite3 "$DB" <"$FIX/plan/findings.sql" && sqlite3 "$DB" "UPDATE assets SET kind = 'host', os_family = 'debian', os_version = '12'"
$ --db $DB --now 2026-03-02T12:00:00Z plan
> plan 1: 11 waves, 11 findings within 30d; 6 of 14 open findings will miss their due date

### handoff-rollout-1.2: ansible from --rollout 1: one inventory per stored wave and the playbook (the pilot and early rings reported healthy: every ring is released)
! sqlite3 "$DB" "INSERT INTO handoff_results (plan_id, wave, asset_id, tool, outcome, detail, source, imported_at) SELECT DISTINCT w.plan_id, w.seq, i.asset_id, 'ansible', 'healthy', NULL, 'test', 0 FROM waves w JOIN wave_items i ON i.wave_id = w.id WHERE w.environment = 'prod' AND w.ring IN (1, 2) ON CONFLICT (plan_id, wave, asset_id) DO NOTHING"
$ --db $DB handoff ansible --rollout 1 -o $T/a
> $T/a/ansible/patch.yml
> $T/a/ansible/inventory/dev-ring0-immediately-20260302.yml
> $T/a/ansible/awx/dev-ring0-immediately-20260302.job_template.json
> $T/a/ansible/awx/dev-ring0-immediately-20260302.schedule.json
> $T/a/ansible/inventory/prod-ring0-immediately-20260302.yml
> $T/a/ansible/awx/prod-ring0-immediately-20260302.job_template.json
> $T/a/ansible/awx/prod-ring0-immediately-20260302.schedule.json
> $T/a/ansible/inventory/dev-ring1-dev-nightly-20260302.yml
> $T/a/ansible/awx/dev-ring1-dev-nightly-20260302.job_template.json
> $T/a/ansible/awx/dev-ring1-dev-nightly-20260302.schedule.json
> $T/a/ansible/inventory/staging-ring1-staging-nightly-20260303.yml
> $T/a/ansible/awx/staging-ring1-staging-nightly-20260303.job_template.json
> $T/a/ansible/awx/staging-ring1-staging-nightly-20260303.schedule.json
> $T/a/ansible/inventory/prod-ring1-prod-nightly-20260303.yml
> $T/a/ansible/awx/prod-ring1-prod-nightly-20260303.job_template.json
> $T/a/ansible/awx/prod-ring1-prod-nightly-20260303.schedule.json
> $T/a/ansible/inventory/prod-ring1-prod-nightly-20260304.yml
> $T/a/ansible/awx/prod-ring1-prod-nightly-20260304.job_template.json
> $T/a/ansible/awx/prod-ring1-prod-nightly-20260304.schedule.json
> $T/a/ansible/inventory/prod-ring2-prod-nightly-20260306.yml
> $T/a/ansible/awx/prod-ring2-prod-nightly-20260306.job_template.json
> $T/a/ansible/awx/prod-ring2-prod-nightly-20260306.schedule.json
> $T/a/ansible/inventory/prod-ring1-prod-weekly-20260307.yml
> $T/a/ansible/awx/prod-ring1-prod-weekly-20260307.job_template.json
> $T/a/ansible/awx/prod-ring1-prod-weekly-20260307.schedule.json
> $T/a/ansible/inventory/prod-ring2-prod-nightly-20260307.yml
> $T/a/ansible/awx/prod-ring2-prod-nightly-20260307.job_template.json
> $T/a/ansible/awx/prod-ring2-prod-nightly-20260307.schedule.json
> $T/a/ansible/inventory/prod-ring3-prod-nightly-20260308.yml
> $T/a/ansible/awx/prod-ring3-prod-nightly-20260308.job_template.json
> $T/a/ansible/awx/prod-ring3-prod-nightly-20260308.schedule.json
> $T/a/ansible/inventory/prod-ring3-prod-nightly-20260309.yml
> $T/a/ansible/awx/prod-ring3-prod-nightly-20260309.job_template.json
> $T/a/ansible/awx/prod-ring3-prod-nightly-20260309.schedule.json
> $T/a/ansible/approvals.json

### handoff-rollout-1.3: the pilot wave's inventory targets the kernel on the pilot host (Debian's meta-package carries the kernel's version: at or past the fix, as its sources offer it)
! grep -qx '        "prod-web-pilot":' "$T/a/ansible/inventory/prod-ring1-prod-nightly-20260303.yml"
! grep -qx '            - {name: "linux-image-amd64", version: "6.1.90-1", pin: "linux-image-amd64>=6.1.90-1", file: "linux-image-amd64_6.1.90-1"}' "$T/a/ansible/inventory/prod-ring1-prod-nightly-20260303.yml"
! grep -qx '  max_fail_percentage: 5' "$T/a/ansible/patch.yml"
! grep -qx '            - {name: "nginx", version: "1.24.0-2", pin: "nginx>=1.24.0-2", file: "nginx_1.24.0-2"}' "$T/a/ansible/inventory/prod-ring3-prod-nightly-20260308.yml"
! grep -qx "            name: \"{{ pl_targets | map(attribute='pin') | list }}\"" "$T/a/ansible/patch.yml"
$ --db $DB handoff ansible --rollout 1 --plan $FIX/../../docs/plan-default.yaml -o $T/b
>* $T/b/ansible/patch.yml

### handoff-rollout-1.4: the built-in plan and its shipped copy give the same files
! diff -r "$T/a" "$T/b"
$ --db $DB handoff ansible --rollout 99 -o $T/c
? 1
2> patchline: handoff: rollout 99: no plan 99

### handoff-rollout-1.5: ... and wrote nothing
! test ! -e "$T/c"
= TZDIR=$FIX/cron/zoneinfo
$ --db $DB handoff ansible --rollout 1 --plan $FIX/plan/windows.yaml -o $T/c
? 1
2> patchline: handoff: rollout 1: plan 1 was built from (built-in) (sha256 
2> ...), not from $FIX/plan/windows.yaml (sha256 
2> ...); pass --plan with the file the plan was built from

### handoff-rollout-1.6: a fixed version the deb scheme rejects is refused as in a JSON plan
! sqlite3 "$DB" "UPDATE wave_items SET fixed_version = '1.24.0 beta' WHERE fixed_version = '1.24.0-2'"
$ --db $DB handoff ssm --rollout 1 -o $T/c
? 1
2> patchline: handoff: rollout 1: plan 1: wave 3.packages[0].version: '1.24.0 beta' is not a valid deb version

### handoff-rollout-2.1: --rollout wants a number
$ --db $DB handoff ansible --rollout x -o $T/c
? 2
2> --rollout: want a plan id (a number), not 'x'

### handoff-rollout-2.2: --plan goes with --rollout
$ --db $DB handoff ansible --plan-json $FIX/handoff/plan.json --plan $FIX/plan/windows.yaml -o $T/c
? 2
2> handoff: --plan FILE goes with --rollout ID

### handoff-rollout-2.3: --rollout needs a store
$ --db $T/none.db handoff ansible --rollout 1 -o $T/c
? 1
2> no store at '$T/none.db'

### handoff-rollout-2.4: --mode is targeted, security or dist
$ --db $DB handoff ansible --plan-json $FIX/handoff/plan.json --mode everything -o $T/c
? 2
2> --mode: want targeted, security or dist, not 'everything'

### handoff-rollout-2.5: --mode dist: update, upgrade everything, autoremove, reboot when required
$ handoff ansible --plan-json $FIX/handoff/plan.json --mode dist -o $T/d
>* $T/d/ansible/patch.yml

### handoff-rollout-2.6: the dist playbook upgrades, removes the unused, and says its mode
! grep -qx '            upgrade: dist' "$T/d/ansible/patch.yml" && grep -qx '            autoremove: true' "$T/d/ansible/patch.yml" && grep -q 'mode dist' "$T/d/ansible/inventory/prod-ring1-sun-night.yml"
$ handoff ansible --plan-json $FIX/handoff/plan.json --mode security -o $T/e
>* $T/e/ansible/patch.yml

### handoff-rollout-3.1: checks travel from the plan file: a plan whose pilot ring has a health check
! sed 's|    health-check: \[\]|    health-check: [/usr/local/bin/health, --quick]|' "$FIX/../../docs/plan-default.yaml" > "$T/hc.yaml" && grep -q 'health-check: \[/usr/local/bin/health' "$T/hc.yaml"
$ --db $DB --now 2026-03-02T12:00:00Z plan --plan $T/hc.yaml
> plan 2: 11 waves, 11 findings within 30d; 6 of 14 open findings will miss their due date

### handoff-rollout-3.2: Ansible and SSM from that plan (its pilot and early rings reported healthy)
! sqlite3 "$DB" "INSERT INTO handoff_results (plan_id, wave, asset_id, tool, outcome, detail, source, imported_at) SELECT DISTINCT w.plan_id, w.seq, i.asset_id, 'ansible', 'healthy', NULL, 'test', 0 FROM waves w JOIN wave_items i ON i.wave_id = w.id WHERE w.environment = 'prod' AND w.ring IN (1, 2) ON CONFLICT (plan_id, wave, asset_id) DO NOTHING"
$ --db $DB handoff ansible --rollout 2 --plan $T/hc.yaml -o $T/hc
>* $T/hc/ansible/patch.yml

### handoff-rollout-3.3: Ansible: the pilot waves and the emergency lane (the pilot's check) run it in their block, never templated; the other rings have none; every play has its rescue
! test "$(grep -c '^              - !unsafe "/usr/local/bin/health"$' "$T/hc/ansible/patch.yml")" = 5 && test "$(grep -c '^              - !unsafe "--quick"$' "$T/hc/ansible/patch.yml")" = 5
! test -z "$(awk '/^# wave prod-ring3-prod-nightly-20260308/{on=1;next} /^# wave/{on=0} on && /local.bin.health/' "$T/hc/ansible/patch.yml")"
! test "$(grep -c '^      rescue:$' "$T/hc/ansible/patch.yml")" = 11
! for id in $(sqlite3 "$DB" "SELECT id FROM assets"); do sqlite3 "$DB" "INSERT INTO asset_identifiers (asset_id, kind, value) VALUES ($id, 'cloud-id', 'i-$(printf %017x "$id")')" || exit 1; done
$ --db $DB handoff ssm --rollout 2 --plan $T/hc.yaml -o $T/hs
>* $T/hs/ssm/hook-check-prod-ring1-prod-nightly-20260303.json

### handoff-rollout-3.4: SSM: the same waves get their hook documents and run AWS-RunPatchBaselineWithHooks; the others AWS-RunPatchBaseline; a window per wave: ring 3's 2026-03-08 wave targets its one instance (prod-web-2) in its one occurrence
! test "$(ls "$T/hs/ssm" | grep -c '^hook-check-')" = 5 && grep -q '/usr/local/bin/health --quick && exit 0' "$T/hs/ssm/hook-check-prod-ring1-prod-nightly-20260303.json"
! grep -q '"TaskArn": "AWS-RunPatchBaselineWithHooks"' "$T/hs/ssm/task-prod-ring1-prod-nightly-20260303.json" && grep -q '"OnExitHookDocName": \["patchline-check-prod-ring1-prod-nightly-20260303"\]' "$T/hs/ssm/task-prod-ring1-prod-nightly-20260303.json"
! grep -q '"TaskArn": "AWS-RunPatchBaseline",' "$T/hs/ssm/task-prod-ring3-prod-nightly-20260308.json"
! grep -qx '  "Targets": \[{"Key": "InstanceIds", "Values": \["i-00000000000000004"\]}\],' "$T/hs/ssm/target-prod-ring3-prod-nightly-20260308.json" && grep -qx '  "StartDate": "2026-03-08T02:00:00Z",' "$T/hs/ssm/window-prod-ring3-prod-nightly-20260308.json" && grep -qx '  "EndDate": "2026-03-08T06:00:00Z",' "$T/hs/ssm/window-prod-ring3-prod-nightly-20260308.json"
$ --db $DB handoff ssm --rollout 2 --plan $T/hc.yaml -o $T/hs2
>* apply.sh
