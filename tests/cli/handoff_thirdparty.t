# patchline handoff thirdparty and the Ansible runtimes play (docs/handoffs.md, "Third-party
# software"): a small constructed estate (tests/fixtures/thirdparty and
# tests/fixtures/handoff_thirdparty: Intune and Jamf exports with browsers and Node.js, the AWS
# RDS and Lambda fixtures, real NVD records), planned by `patchline plan`; the artefacts of each
# wave are compared with golden files, the Intune and Jamf bodies with the vendors' documented
# shapes (tests/cli/thirdparty_check.py), the AWS ones with awscli's parameter validation
# (tests/cli/thirdparty_aws.sh). Set-up lines (!) run before their case's command.

### tptp-1.1: the estate: Windows and Mac browsers, a developer's Node.js, RDS engines, Lambda runtimes
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z init >/dev/null
! for f in thirdparty/intune-constructed.json handoff_thirdparty/intune-developer-constructed.json thirdparty/jamf-constructed.json aws/rds-instances.json eol/rds-constructed.json aws/lambda-functions.json; do "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory import "$FIX/$f" >/dev/null || exit 1; done
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z feed import "$FIX/thirdparty/nvd-cpe.jsonl" >/dev/null && "$PL" --db "$DB" --now 2026-12-01T00:00:00Z feed import "$FIX/handoff_thirdparty/nvd-nodejs.jsonl" >/dev/null
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 15 open findings

### tptp-1.2: ...a constructed finding on orders-db (PostgreSQL 15.4, CVE-2024-10979 fixed in 15.9) beside the scan's minor-version lags, owners and environments, the plan
! sqlite3 "$DB" "INSERT INTO finding_texts (text) VALUES ('constructed RDS minor-version lag') ON CONFLICT (text) DO NOTHING; INSERT INTO finding_texts (text) VALUES ('constructed') ON CONFLICT (text) DO NOTHING; INSERT INTO findings (asset_id, vuln_id, package, installed_version, fixed_version, origin, status, first_seen, last_seen, tier, due_at, feed_ref, evidence_ref) SELECT id, 'CVE-2024-10979', 'postgres', '15.4', '15.9', 'scanner', 'open', 1796083200, 1796083200, 1, 1796688000, (SELECT t.id FROM finding_texts t WHERE t.text = 'constructed'), (SELECT t.id FROM finding_texts t WHERE t.text = 'constructed RDS minor-version lag') FROM assets WHERE name = 'orders-db'"
! sqlite3 "$DB" "UPDATE assets SET owner = 'it', environment = CASE WHEN name IN ('CONSTRUCTED-DEV-01', 'CONSTRUCTED-WIN-02') THEN 'prod' ELSE 'staging' END"
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z plan waive-soak Node.js 18.16.1 --reason "no staging workstation runs Node.js" >/dev/null
$ --db $DB --now 2026-12-01T00:00:00Z plan
> plan 1: 5 waves, 16 findings within 30d; 9 of 16 open findings will miss their due date

### tptp-2.1: handoff thirdparty: per wave its software and route, Intune and Jamf browser policies, AWS calls, the projects
$ --db $DB handoff thirdparty --rollout 1 -o $T/tp
> $T/tp/thirdparty/staging-ring1-staging-nightly-20261201.json
> $T/tp/thirdparty/aws/staging-ring1-staging-nightly-20261201-rds-orders-db.json
> $T/tp/thirdparty/aws/staging-ring1-staging-nightly-20261201-lambda-thumbnailer.json
> $T/tp/thirdparty/intune/staging-ring1-staging-nightly-20261201-google-chrome.json
> $T/tp/thirdparty/jamf/staging-ring1-staging-nightly-20261201-google-chrome.json
> $T/tp/thirdparty/intune/staging-ring1-staging-nightly-20261201-microsoft-edge.json
> $T/tp/thirdparty/jamf/staging-ring1-staging-nightly-20261201-mozilla-firefox.json
> $T/tp/thirdparty/aws/staging-ring1-staging-nightly-20261201.sh
> $T/tp/thirdparty/staging-ring1-staging-nightly-20261202.json
> $T/tp/thirdparty/prod-ring3-prod-nightly-20261202.json
> $T/tp/thirdparty/prod-ring3-prod-nightly-20261203.json
> $T/tp/thirdparty/intune/prod-ring3-prod-nightly-20261203-google-chrome.json
> $T/tp/thirdparty/staging-ring1-staging-nightly-20261204.json
> $T/tp/thirdparty/aws/staging-ring1-staging-nightly-20261204-rds-orders-db.json
> $T/tp/thirdparty/aws/staging-ring1-staging-nightly-20261204.sh
> $T/tp/thirdparty/projects.json
> $T/tp/thirdparty/approvals.json

### tptp-2.2: ...exactly the golden files: Chrome to 138.0.7204.96 on Windows (Intune, relaunch within 48 h), to 138.0.7204.92 on the Mac (Jamf), Edge, Firefox; RDS 15.4 -> 15.9 and Lambda python3.8 -> python3.11 as AWS calls; MySQL 5.7 -> 8.4 and PostgreSQL 11 -> 14 listed as projects; Node.js goes to Ansible
! diff -ru "$FIX/handoff_thirdparty/golden/thirdparty" "$T/tp/thirdparty"
! grep -q '"route": "project", "detail": "major version upgrade of postgres from 11 to 14' "$T/tp/thirdparty/staging-ring1-staging-nightly-20261202.json"
! ! grep -q 'billing-pg11\|legacy-mysql' "$T/tp/thirdparty/aws/staging-ring1-staging-nightly-20261201.sh"
$ --db $DB plan show 1 --wave 4
>* Google Chrome

### tptp-2.3: the Intune bodies have the shape of Graph's deviceManagementConfigurationPolicy, the Jamf ones of the Jamf Pro patch-policies object; every target is above what the asset runs
! python3 "$FIX/../cli/thirdparty_check.py" "$T/tp" > "$T/check.out"
! grep -q '^ok intune/prod-ring3-prod-nightly-20261203-google-chrome.json$' "$T/check.out" && grep -q '^ok jamf/staging-ring1-staging-nightly-20261201-mozilla-firefox.json$' "$T/check.out"
! test "$(grep -c '^ok ' "$T/check.out")" = 10
$ --db $DB plan show 1
>* prod-nightly

### tptp-2.4: ...and the checker fails on a policy that would downgrade or lacks a field
! mkdir -p "$T/bad/thirdparty/intune" "$T/bad/thirdparty/jamf" && sed 's/"isDowngrade": false/"isDowngrade": true/' "$T/tp/thirdparty/jamf/staging-ring1-staging-nightly-20261201-google-chrome.json" > "$T/bad/thirdparty/jamf/x.json"
! ! python3 "$FIX/../cli/thirdparty_check.py" "$T/bad" > "$T/bad.out" && grep -q 'isDowngrade is true' "$T/bad.out"
! rm "$T/bad/thirdparty/jamf/x.json" && grep -v '"platforms"' "$T/tp/thirdparty/intune/prod-ring3-prod-nightly-20261203-google-chrome.json" > "$T/bad/thirdparty/intune/y.json"
! ! python3 "$FIX/../cli/thirdparty_check.py" "$T/bad" > "$T/bad.out" && grep -q "missing 'platforms'" "$T/bad.out"
$ --db $DB plan show 1
>* staging-nightly

### tptp-3.1: every AWS artefact passes awscli's parameter validation (bodies with --cli-input-json, the script line by line)
! "$FIX/../cli/thirdparty_aws.sh" "$T/tp" > "$T/aws.out" || { cat "$T/aws.out"; exit 1; }
! grep -q '^valid staging-ring1-staging-nightly-20261201-lambda-thumbnailer.json (lambda update-function-configuration)$' "$T/aws.out"
! grep -q '^valid staging-ring1-staging-nightly-20261201-rds-orders-db.json (rds modify-db-instance)$' "$T/aws.out"
! grep -q '^valid staging-ring1-staging-nightly-20261201.sh (3 calls)$' "$T/aws.out"
$ --db $DB plan show 1 --wave 1
>* aws-lambda

### tptp-3.2: ...and the validation can fail: a misspelt field is named by awscli
! mkdir -p "$T/awsbad/thirdparty/aws" && sed 's/EngineVersion/EngineVersoin/' "$T/tp/thirdparty/aws/staging-ring1-staging-nightly-20261201-rds-orders-db.json" > "$T/awsbad/thirdparty/aws/w-rds-x.json"
! ! "$FIX/../cli/thirdparty_aws.sh" "$T/awsbad" > "$T/awsbad.out" && grep -q 'Unknown parameter in input: "EngineVersoin"' "$T/awsbad.out"
$ --db $DB plan show 1 --wave 1
>* amazon-rds-mysql

### tptp-3.3: --rds-window instance: RDS minor upgrades in the instance's own maintenance window
$ --db $DB handoff thirdparty --rollout 1 --rds-window instance -o $T/tpw
>* $T/tpw/thirdparty/aws/staging-ring1-staging-nightly-20261201.sh

### tptp-3.4: ...--no-apply-immediately, ApplyImmediately false
! grep -qx "aws rds modify-db-instance --db-instance-identifier orders-db --engine-version 15.9 --no-apply-immediately --region eu-west-1" "$T/tpw/thirdparty/aws/staging-ring1-staging-nightly-20261201.sh"
! grep -q '"ApplyImmediately": false' "$T/tpw/thirdparty/aws/staging-ring1-staging-nightly-20261201-rds-orders-db.json"
$ --db $DB handoff thirdparty --rollout 1 --rds-window later -o $T/tpx
? 2
2> --rds-window: want wave or instance, not 'later'

### tptp-4.1: the Ansible hand-off carries the runtimes: one play per wave, the host's own target in its vars
$ --db $DB handoff ansible --rollout 1 -o $T/an
>* $T/an/ansible/inventory/runtimes-prod-ring3-prod-nightly-20261202.yml
>* $T/an/ansible/runtimes.yml

### tptp-4.2: ...exactly the golden files; ansible-playbook accepts them
! diff -u "$FIX/handoff_thirdparty/golden/ansible/runtimes.yml" "$T/an/ansible/runtimes.yml"
! diff -u "$FIX/handoff_thirdparty/golden/ansible/inventory/runtimes-prod-ring3-prod-nightly-20261202.yml" "$T/an/ansible/inventory/runtimes-prod-ring3-prod-nightly-20261202.yml"
! ansible-playbook --syntax-check -i "$T/an/ansible/inventory/runtimes-prod-ring3-prod-nightly-20261202.yml" "$T/an/ansible/runtimes.yml" >/dev/null
! ansible-inventory -i "$T/an/ansible/inventory/runtimes-prod-ring3-prod-nightly-20261202.yml" --host CONSTRUCTED-DEV-01 | python3 -c 'import json,sys; v=json.load(sys.stdin); r=v["pl_runtimes"]["nodejs"]; assert v["pl_os"] == "windows" and r["version"] == "18.16.1" and r["installed"] == "18.16.0", v'
$ --db $DB plan show 1 --wave 3
>* Node.js

### tptp-5.1: never lower than installed: Chrome on WIN-02 already at 138.0.7204.96, Node.js at 18.17.0, orders-db at 15.10 (the inventory moved on since the plan)
! sqlite3 "$DB" "UPDATE packages SET version = '138.0.7204.96' WHERE name = 'Google Chrome' AND version = '138.0.7204.93'"
! sqlite3 "$DB" "UPDATE packages SET version = '18.17.0' WHERE name = 'Node.js'"
! sqlite3 "$DB" "UPDATE assets SET os_version = '15.10' WHERE name = 'orders-db'"
$ --db $DB handoff thirdparty --rollout 1 -o $T/tp5
>* $T/tp5/thirdparty/intune/prod-ring3-prod-nightly-20261203-google-chrome.json

### tptp-5.2: ...WIN-02, the RDS upgrade and the Node.js wave's summary are dropped, DEV-01's Chrome stays
! ! grep -q CONSTRUCTED-WIN-02 "$T/tp5/thirdparty/prod-ring3-prod-nightly-20261203.json"
! grep -q '"asset": "CONSTRUCTED-DEV-01", "kind": "endpoint", "package": "Google Chrome"' "$T/tp5/thirdparty/prod-ring3-prod-nightly-20261203.json"
! ! grep -q 'rds' "$T/tp5/thirdparty/aws/staging-ring1-staging-nightly-20261201.sh" && test ! -e "$T/tp5/thirdparty/aws/staging-ring1-staging-nightly-20261201-rds-orders-db.json"
! test ! -e "$T/tp5/thirdparty/prod-ring3-prod-nightly-20261202.json"
! python3 "$FIX/../cli/thirdparty_check.py" "$T/tp5" >/dev/null
$ --db $DB handoff ansible --rollout 1 -o $T/an5
? 0

### tptp-5.3: ...no runtimes play
! test ! -e "$T/an5/ansible/runtimes.yml"
! sqlite3 "$DB" "UPDATE packages SET version = '138.0.7204.93' WHERE name = 'Google Chrome' AND version = '138.0.7204.96'; UPDATE packages SET version = '18.16.0' WHERE name = 'Node.js'; UPDATE assets SET os_version = '15.4' WHERE name = 'orders-db'"
$ --db $DB plan show 1
>* prod-nightly

### tptp-6.1: approved waves only: a plan whose tier-2 fixes need a person's approval leaves out the Node.js wave
! sed 's/      approve-after-days: 1$/      manual: true/' "$FIX/../../docs/plan-default.yaml" > "$T/manual.yaml" && grep -q 'manual: true$' "$T/manual.yaml"
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z plan --plan "$T/manual.yaml" >/dev/null
$ --db $DB handoff ansible --rollout 2 --plan $T/manual.yaml -o $T/m1
2> patchline: handoff: wave 2 (prod-ring3-prod-nightly-20261202) left out: waiting for approval; an approver other than the requester
2> patchline plan approve 2 --wave 2

### tptp-6.2: ...no runtimes play, and no thirdparty summary of the waiting waves
! test ! -e "$T/m1/ansible/runtimes.yml"
$ --db $DB handoff thirdparty --rollout 2 --plan $T/manual.yaml -o $T/m1
> $T/m1/thirdparty/prod-ring3-prod-nightly-20261203.json
> $T/m1/thirdparty/intune/prod-ring3-prod-nightly-20261203-google-chrome.json
> $T/m1/thirdparty/staging-ring1-staging-nightly-20261204.json
> $T/m1/thirdparty/aws/staging-ring1-staging-nightly-20261204-rds-orders-db.json
> $T/m1/thirdparty/aws/staging-ring1-staging-nightly-20261204.sh
> $T/m1/thirdparty/projects.json
> $T/m1/thirdparty/approvals.json

### tptp-6.3: once another person approved the wave, it is emitted with the approval it carries
! sqlite3 "$DB" "UPDATE plans SET requester = 'someone-else' WHERE id = 2"
! "$PL" --db "$DB" --now 2026-12-01T01:00:00Z plan approve 2 --wave 2 >/dev/null
$ --db $DB handoff ansible --rollout 2 --plan $T/manual.yaml -o $T/m2
>* $T/m2/ansible/runtimes.yml

### tptp-6.4: ...the same play as the plan without approvals
! sed 's/"plan-2"/"plan-1"/' "$T/m2/ansible/runtimes.yml" | diff -u "$FIX/handoff_thirdparty/golden/ansible/runtimes.yml" -
! grep -q '"wave": "prod-ring3-prod-nightly-20261202", "approval": "approved by ' "$T/m2/ansible/approvals.json"
$ --db $DB plan show 2 --wave 2
>* Node.js

### tptp-7.1: a name that cannot go into a command or file name is refused, and nothing is written
! sqlite3 "$DB" "UPDATE assets SET name = 'thumb;reboot' WHERE name = 'thumbnailer'"
$ --db $DB handoff thirdparty --rollout 1 -o $T/tp7
? 1
2> asset 'thumb;reboot'

### tptp-7.2: ...nothing was written
! test ! -e "$T/tp7"
$ --db $DB plan show 1
>* prod-nightly
