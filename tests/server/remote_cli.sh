#!/usr/bin/env bash
# The CLI as a client (issue 19): each command runs locally on one copy of a
# store and with --server against `patchline serve` on another copy (a
# loopback port, a non-root user), and the two outputs must be equal byte
# for byte, as must the stores' rows afterwards; a role too low gets 403 and
# changes nothing. Usage: remote_cli.sh PATCHLINE
set -euo pipefail
PL=$1
here=$(cd "$(dirname "$0")" && pwd)
FIX=$(cd "$here/../fixtures" && pwd)
command -v sqlite3 >/dev/null || { echo "sqlite3 is absent: skipped"; exit 77; }
. "$here/server_user.sh"
unset PATCHLINE_NOW PATCHLINE_DB PATCHLINE_SERVER PATCHLINE_TOKEN
NOW=2026-03-02T12:00:00Z
B=$T/run/base.db L=$T/run/local.db R=$T/run/remote.db
as() { "${AS[@]}" "$PL" "$@"; }

# the crafted estate of the planner's tests (tests/fixtures/plan), two jobs, users and tokens
as --db "$B" --now 2026-03-02T11:00:00Z init >/dev/null
"${AS[@]}" sqlite3 "$B" <"$FIX/plan/assets.sql"
"${AS[@]}" sqlite3 "$B" <"$FIX/plan/findings.sql"
"${AS[@]}" sqlite3 "$B" "
INSERT INTO jobs (id, kind, asset_id, executor, root, status, health, reboot, keep_dir, error,
    actor, created_at, finished_at) VALUES
  (1, 'apply', 1, 'dpkg', '/', 'failed', 'failed', NULL, '/var/lib/patchline/keep/1',
   'health check failed', 'dave', 1772445600, 1772446200),
  (2, 'rollback', 1, 'dpkg', '/', 'succeeded', NULL, NULL, NULL, NULL, 'dave', 1772446300, NULL);
UPDATE jobs SET parent_id = 1 WHERE id = 2;
INSERT INTO job_packages (job_id, package, target_version, before_version, after_version,
    kept_file, kept_how) VALUES (1, 'openssl', '3.0.15-1', '3.0.11-1', '3.0.15-1',
    'openssl_3.0.11-1_amd64.deb', 'cache');
INSERT INTO job_findings (job_id, finding_id, outcome, version_seen) VALUES (1, 2, 'fixed', '3.0.15-1');
INSERT INTO job_log (job_id, at, step, argv, exit_code, message) VALUES
  (1, 1772445700, 'install', '[\"apt-get\",\"install\",\"openssl=3.0.15-1\"]', 0, 'ok'),
  (1, 1772446100, 'health', '[\"/usr/local/bin/check\"]', 1, 'line one
line two');"
as --db "$B" --now 2026-03-02T11:00:00Z user add alice --role admin >/dev/null
as --db "$B" --now 2026-03-02T11:00:00Z user add bob --role viewer >/dev/null
as --db "$B" --now 2026-03-02T11:00:00Z user add carol --role approver --role viewer >/dev/null
as --db "$B" --now 2026-03-02T11:00:00Z user add dave --role operator --role viewer >/dev/null
for u in alice bob carol dave; do
    as --db "$B" --now 2026-03-02T11:00:00Z token create $u | tail -1 >"$T/token-$u"
done
"${AS[@]}" sqlite3 "$B" ".backup '$L'"
"${AS[@]}" sqlite3 "$B" ".backup '$R'"
# the audit chain's key goes with each copy (docs/store.md)
"${AS[@]}" cp -p "$B.audit-key" "$L.audit-key"
"${AS[@]}" cp -p "$B.audit-key" "$R.audit-key"

"${AS[@]}" "$PL" --db "$R" --now "$NOW" serve --listen 127.0.0.1:0 >"$T/serve.out" 2>"$T/serve.log" &
SRV=$!
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
for _ in $(seq 100); do
    grep -q '^listening on ' "$T/serve.out" 2>/dev/null && break
    sleep 0.1
done
URL=$(sed -n 's/^listening on //p' "$T/serve.out")
[ -n "$URL" ] || { echo "the server did not start:"; cat "$T/serve.log"; exit 1; }

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; shift; printf '%s\n' "$@" | sed 's/^/    /'; }

# same RC USER ARGS...: the command locally and through the server, both exiting RC, with
# the same standard output (locally on $LOCAL_DB when set: a read of the server's own store;
# each reading $STDIN_FILE when set)
same() {
    local want=$1 user=$2 name
    shift 2
    name="$*"
    set +e
    PATCHLINE_TOKEN=$(cat "$T/token-$user") "${AS[@]}" "$PL" --db "${LOCAL_DB:-$L}" --now "$NOW" \
        "$@" <"${STDIN_FILE:-/dev/null}" >"$T/l.out" 2>"$T/l.err"
    local lrc=$?
    PATCHLINE_TOKEN=$(cat "$T/token-$user") "${AS[@]}" "$PL" --server "$URL" --now "$NOW" "$@" \
        <"${STDIN_FILE:-/dev/null}" >"$T/r.out" 2>"$T/r.err"
    local rrc=$?
    set -e
    if [ $lrc -eq "$want" ] && [ $rrc -eq "$want" ] && cmp -s "$T/l.out" "$T/r.out" &&
        [ -s "$T/l.out" -o "$want" -ne 0 ]; then
        ok "$name as $user: same output (exit $lrc, $(wc -c <"$T/l.out") bytes)"
    else
        bad "$name as $user: local exit $lrc, server exit $rrc" "$(diff "$T/l.out" "$T/r.out" | head -20)" \
            "$(cat "$T/l.err" "$T/r.err" | head -6)"
    fi
}

# denied USER ARGS...: through the server only: 403, exit 1, and the store unchanged
denied() {
    local user=$1 before after
    shift
    before=$(sqlite3 "$R" "SELECT (SELECT count(*) FROM plans), (SELECT count(*) FROM approvals),
        (SELECT count(*) FROM feeds), (SELECT count(*) FROM assets), (SELECT count(*) FROM audit_events)")
    set +e
    PATCHLINE_TOKEN=$(cat "$T/token-$user") "$PL" --server "$URL" "$@" >"$T/r.out" 2>"$T/r.err"
    local rc=$?
    set -e
    after=$(sqlite3 "$R" "SELECT (SELECT count(*) FROM plans), (SELECT count(*) FROM approvals),
        (SELECT count(*) FROM feeds), (SELECT count(*) FROM assets), (SELECT count(*) FROM audit_events)")
    if [ $rc -eq 1 ] && grep -q '(HTTP 403)' "$T/r.err" && [ "$before" = "$after" ]; then
        ok "$* as $user: 403, nothing changed"
    else
        bad "$* as $user: exit $rc, store $before -> $after" "$(cat "$T/r.err")"
    fi
}

# rows QUERY: the same rows in both stores
rows() {
    if [ "$(sqlite3 "$L" "$1")" = "$(sqlite3 "$R" "$1")" ]; then
        ok "the stores agree: $1"
    else
        bad "the stores differ: $1" "local: $(sqlite3 "$L" "$1")" "server: $(sqlite3 "$R" "$1")"
    fi
}

# reads_begin / reads_end WHAT: the server's store the same before and after a run of reads
# (every row of every table; a token's last_used_at, moved by authentication at most once
# a minute, aside)
store_digest() { sqlite3 "$R" .dump | grep -v '^INSERT INTO tokens' | sha256sum; }
reads_begin() { DIGEST=$(store_digest); }
reads_end() {
    if [ "$(store_digest)" = "$DIGEST" ]; then
        ok "$1 through the server: the store unchanged"
    else
        bad "$1 through the server changed the store"
    fi
}

# plans: the forecast (a read), a plan, its waves, one wave, approvals
for fmt in table json csv; do
    same 0 bob --format $fmt plan --forecast
done
same 3 bob plan --forecast --fail-on-miss
same 0 bob plan --forecast --plan "$FIX/plan/windows.yaml"
denied bob plan
denied carol plan --horizon 14d
same 0 dave plan
same 0 dave plan --horizon 14d --plan "$FIX/plan/manual.yaml"
rows "SELECT id, requester, source, sha256, horizon_secs, n_findings, n_misses, created_at FROM plans"
for fmt in table json csv; do
    same 0 bob --format $fmt plan show
    same 0 bob --format $fmt plan show 1 --wave 2
done
same 0 bob plan show 1
same 1 bob plan show 7
same 1 bob plan show 1 --wave 99
denied bob plan approve 1
denied dave plan approve 1
denied bob plan reject 2 --wave 4 --reason "canary hosts frozen"
denied dave plan reject 2 --wave 4 --reason "canary hosts frozen"
same 2 carol plan reject 2 --wave 4
same 0 carol plan reject 2 --wave 4 --reason "canary hosts frozen until Friday"
same 1 carol plan reject 2 --wave 4 --reason "again"
same 0 carol plan approve 2 --wave 3
same 0 carol plan approve 2
same 1 carol plan approve 2
same 1 carol plan approve 2 --wave 4
same 1 carol plan reject 2 --wave 3 --reason "too late"
same 1 carol plan reject 2 --reason "nothing left"
rows "SELECT plan_id, wave_seq, actor, reason, at FROM plan_rejections ORDER BY id"
same 0 carol plan approve 1 --after-the-fact --wave 1
same 0 carol plan approve 1 --after-the-fact
same 0 bob plan show 1
same 0 bob plan show 2
rows "SELECT plan_id, wave_seq, kind, actor, at FROM approvals ORDER BY id"

# handoff --rollout: the server's store gives the hand-off plan (the release gate's holds at the
# server's time), the artefacts are written here by the same generators: the same files, byte
# for byte, as a local run. Hosts need an OS (and instance ids, for SSM) to be handed off.
for db in "$L" "$R"; do
    "${AS[@]}" sqlite3 "$db" "UPDATE assets SET kind = 'host', os_family = 'debian', os_version = '12';
INSERT INTO asset_identifiers (asset_id, kind, value) VALUES (3, 'cloud-id', 'i-0a1b2c3d4e5f60003'),
  (4, 'cloud-id', 'i-0a1b2c3d4e5f60004'), (5, 'cloud-id', 'i-0a1b2c3d4e5f60005');"
done
# handoff_same USER TARGET ARGS...: locally into $T/run/hl, through the server into $T/run/hr:
# both exit 0 with the same lines (the folder aside) and warnings, and the same tree of files
handoff_same() {
    local user=$1 lrc rrc
    shift
    "${AS[@]}" rm -rf "$T/run/hl" "$T/run/hr"
    set +e
    PATCHLINE_TOKEN=$(cat "$T/token-$user") "${AS[@]}" "$PL" --db "$L" --now "$NOW" handoff "$@" \
        -o "$T/run/hl" >"$T/l.out" 2>"$T/l.err"
    lrc=$?
    PATCHLINE_TOKEN=$(cat "$T/token-$user") "${AS[@]}" "$PL" --server "$URL" --now "$NOW" handoff \
        "$@" -o "$T/run/hr" >"$T/r.out" 2>"$T/r.err"
    rrc=$?
    set -e
    if [ $lrc -eq 0 ] && [ $rrc -eq 0 ] && [ -s "$T/l.out" ] &&
        [ "$(sed "s|$T/run/hl/||" "$T/l.out")" = "$(sed "s|$T/run/hr/||" "$T/r.out")" ] &&
        cmp -s "$T/l.err" "$T/r.err" &&
        [ "$(cd "$T/run/hl" && find . | sort)" = "$(cd "$T/run/hr" && find . | sort)" ] &&
        diff -r "$T/run/hl" "$T/run/hr" >/dev/null; then
        ok "handoff $* as $user: the same $(find "$T/run/hl" -type f | wc -l) files, byte for byte"
    else
        bad "handoff $* as $user: local exit $lrc, server exit $rrc" \
            "$(diff -r "$T/run/hl" "$T/run/hr" 2>&1 | head -20)" "$(diff "$T/l.out" "$T/r.out" | head -6)" \
            "$(cat "$T/l.err" "$T/r.err" | head -8)"
    fi
}
reads_begin
for target in ansible ssm thirdparty images; do
    handoff_same bob $target --rollout 1
done
handoff_same bob ansible --rollout 1 --mode security --awx-project 7
handoff_same bob ssm --rollout 1 --policy ssvc --deploy-days 10
# a plan built from a plan file: the file goes with the request (POST), as plan does
handoff_same bob ansible --rollout 2 --plan "$FIX/plan/manual.yaml"
handoff_same bob ssm --rollout 2 --plan "$FIX/plan/manual.yaml"
if grep -q 'left out: watching' "$T/r.err" && grep -q '"skipped": \[$' "$T/run/hr/ssm/approvals.json"; then
    ok "handoff --server: the waves the release gate holds are left out, named in approvals.json"
else
    bad "handoff --server: no held wave named" "$(cat "$T/r.err")"
fi
# errors: the server's, no file written
same 1 bob handoff ssm --rollout 2 -o "$T/run/hx"
grep -q "pass --plan with the file the plan was built from (HTTP 409)" "$T/r.err" &&
    ok "handoff --rollout 2 without its plan file: the server's 409 names the file" ||
    bad "handoff --rollout 2 without its plan file" "$(cat "$T/r.err")"
same 1 bob handoff ssm --rollout 9 -o "$T/run/hx"
same 2 bob handoff ssm --rollout 1
[ ! -e "$T/run/hx" ] && ok "failed hand-offs wrote nothing" || bad "a failed hand-off wrote $T/run/hx"
reads_end "handoff --rollout"
# handoff results import: the file is the body, imported on the server as the caller (an
# operator, as locally); the same line, the same stored results
"${AS[@]}" sed 's/prod-web-pilot/prod-web-3/' "$FIX/handoff/awx-job-host-summaries.handmade.json" \
    >"$T/run/awx-web-3.json"
"${AS[@]}" sed 's/"host_name": "prod-web-pilot"/"host_name": "web-9"/' \
    "$FIX/handoff/awx-job-host-summaries.handmade.json" >"$T/run/awx-unknown.json"
denied bob handoff results import "$FIX/handoff/awx-job-host-summaries.handmade.json" --rollout 1
denied carol handoff results import "$FIX/handoff/awx-job-host-summaries.handmade.json" --rollout 1
same 0 dave handoff results import "$FIX/handoff/awx-job-host-summaries.handmade.json" --rollout 1
same 0 dave handoff results import "$FIX/handoff/ssm-list-command-invocations.handmade.json" --rollout 1
same 0 dave handoff results import "$T/run/awx-web-3.json" --rollout 2 --plan "$FIX/plan/manual.yaml" --wave 7
rows "SELECT plan_id, wave, asset_id, tool, outcome, detail, source, imported_at FROM handoff_results ORDER BY plan_id, wave, asset_id"
before=$(sqlite3 "$R" "SELECT count(*), group_concat(outcome) FROM handoff_results")
same 1 dave handoff results import "$T/run/awx-unknown.json" --rollout 1
if grep -qF "$T/run/awx-unknown.json: results[0].host_name: host 'web-9' is not in wave 6" "$T/r.err" &&
    ! grep -q patchline-upload "$T/r.err"; then
    ok "a bad results file: the error names the client's file and field"
else
    bad "a bad results file through the server" "$(cat "$T/r.err")"
fi
same 1 dave handoff results import "$FIX/handoff/plan.json" --rollout 2 --plan "$FIX/plan/manual.yaml"
grep -qF "$FIX/handoff/plan.json" "$T/r.err" && grep -q "not a results file" "$T/r.err" &&
    ok "a file of no results shape: refused naming it" || bad "a file of no results shape" "$(cat "$T/r.err")"
same 1 dave handoff results import "$T/run/awx-web-3.json" --rollout 2 --wave 7
same 1 dave handoff results import "$T/run/no-such-file.json" --rollout 1
same 2 dave handoff results import "$T/run/awx-web-3.json"
[ "$(sqlite3 "$R" "SELECT count(*), group_concat(outcome) FROM handoff_results")" = "$before" ] &&
    ok "refused results: nothing stored" || bad "a refused results file changed the store"
# after the imports the hand-off releases what they allow, alike on both sides
handoff_same bob ansible --rollout 1

# jobs
for fmt in table json csv; do
    same 0 bob --format $fmt jobs
done
same 0 bob jobs --limit 1
same 0 bob jobs show 1
same 0 bob jobs show 2
same 1 bob jobs show 9

# imports: the file is the request's body; the store records the client's name
denied bob feed import "$FIX/kev/kev_2025.01.02.json"
same 0 dave feed import "$FIX/kev/kev_2025.01.02.json"
same 0 dave feed import kev "$FIX/kev/kev_2025.01.03.json"
rows "SELECT kind, version, released, records, inserted, updated, unchanged, sha256, path FROM feeds ORDER BY id"
same 0 bob feed status
before=$(sqlite3 "$R" "SELECT count(*) FROM feeds")
same 1 dave feed import kev "$FIX/kev/kev_bad_id.json"
if grep -qF "$FIX/kev/kev_bad_id.json: record 3: field 'cveID'" "$T/r.err" &&
    ! grep -q patchline-upload "$T/r.err" && [ "$(sqlite3 "$R" "SELECT count(*) FROM feeds")" = "$before" ]; then
    ok "a bad feed file: the error names the client's file, record and field; nothing changed"
else
    bad "a bad feed file through the server" "$(cat "$T/r.err")"
fi
# several files in one feed import: one body, one transaction on the server, as locally
denied bob feed import "$FIX/epss/epss_2025-01-02.csv" "$FIX/nvd/nvd_page.json"
same 0 dave feed import "$FIX/epss/epss_2025-01-02.csv.gz" "$FIX/nvd/nvd_page.json" "$FIX/osv/alma.jsonl"
before=$(sqlite3 "$R" "SELECT count(*) FROM feeds")
same 1 dave feed import "$FIX/epss/epss_2025-01-03.csv" "$FIX/epss/epss_bad_number.csv"
if grep -qF "$FIX/epss/epss_bad_number.csv" "$T/r.err" && ! grep -q patchline-upload "$T/r.err" &&
    [ "$(sqlite3 "$R" "SELECT count(*) FROM feeds")" = "$before" ]; then
    ok "a bad file among several: the error names it; the files before it are not kept"
else
    bad "a bad file among several through the server" "$(cat "$T/r.err")"
fi
"${AS[@]}" mkdir "$T/run/feeds"
"${AS[@]}" cp "$FIX/epss/epss_2025-01-03.csv" "$FIX/nvd/nvd_page_newer.json" "$T/run/feeds/"
same 0 dave feed import "$T/run/feeds"
same 1 dave feed import --as-of 2025-01-02T00:00:00Z kev "$FIX/kev/kev_2025.01.03.json"
same 0 dave feed import --force --as-of 2025-01-02T12:00:00Z kev "$FIX/kev/kev_2025.01.03.json"
STDIN_FILE=$FIX/epss/epss_2025-01-03.csv same 0 dave feed import epss -
STDIN_FILE=$FIX/epss/epss_2025-01-03.csv same 2 dave feed import -
STDIN_FILE=$FIX/cmdb/servicenow.csv same 0 dave inventory import csv -
STDIN_FILE=$FIX/cmdb/servicenow.csv same 2 dave inventory import -
rows "SELECT kind, version, released, records, inserted, updated, unchanged, sha256, path FROM feeds ORDER BY id"
denied bob inventory import "$FIX/cmdb/servicenow.csv"
same 0 dave inventory import "$FIX/cmdb/servicenow.csv"
same 0 dave inventory import --scope vpc-1 --map Server=name --map Responsible=owner \
    --map Stage=environment --map Address=ip csv "$FIX/cmdb/custom-headers.csv"
same 1 dave inventory import csv "$FIX/cmdb/custom-headers.csv"
same 0 bob assets
same 1 dave inventory import "$FIX/cmdb/bad-ip.csv"
if grep -qF "$FIX/cmdb/bad-ip.csv:3: column 'ip': bad IP address '300.1.2.3' (HTTP 422)" "$T/r.err"; then
    ok "a bad inventory file: the error names the client's file, line and column"
else
    bad "a bad inventory file through the server" "$(cat "$T/r.err")"
fi
rows "SELECT name, owner, environment, criticality FROM assets ORDER BY name"
rows "SELECT action, object, detail FROM audit_events WHERE action IN ('feed.import', 'inventory.import') ORDER BY id"

# exceptions: a request (the library's checks on the server), its record, a sign-off, a revocation
denied bob exception add --type waf-rule --finding 8 --justification "WAF rule 77" --expires 30d
same 0 dave exception add --type waf-rule --finding 8 --justification "WAF rule 77" --expires 30d
same 0 dave exception add --type network-segmentation --cve CVE-2026-0002 --asset dev-web-1 \
    stg-web-1 --justification "isolated VLAN" --expires 2026-03-20T00:00:00Z
same 1 dave exception add --type waf-rule --finding 999 --justification "none such" --expires 30d
same 2 dave exception add --type waf-rule --finding 8 --justification "too long" --expires 900d
same 2 dave exception add --finding 8 --justification "no type" --expires 30d
for fmt in table json csv; do
    same 0 bob --format $fmt exception show 2
done
same 1 bob exception show 99
same 0 carol exception approve 1
same 0 bob exception show 1
denied bob exception revoke 2 --reason "no longer needed"
same 0 dave exception revoke 2 --reason "no longer needed"
same 1 dave exception revoke 2 --reason "again"
same 0 bob --format csv exception list
for fmt in table json csv; do
    same 0 bob --format $fmt exception list --expiring 30d
done
same 0 bob exception list --expiring 10d --status active
same 2 bob exception list --expiring soon
rows "SELECT id, type, status, scope, finding_id, vuln_id, selector, justification, requester,
    requested_at, approver, approved_at, expires_at, ended_at, ended_by, end_reason FROM exceptions ORDER BY id"
rows "SELECT action, object, actor, detail FROM audit_events WHERE action LIKE 'exception.%' ORDER BY id"

reads_begin
# the report in each of its formats (the server renders it with the library's renderers)
for fmt in html md json csv; do
    same 0 bob --format $fmt report
done
same 0 bob --format md report --period quarter
same 0 bob --format md report --from 2026-02-01T00:00:00Z --to 2026-03-01T00:00:00Z
same 0 bob --format json report --period quarter --policy ssvc
same 0 bob --format csv report --policy "$FIX/policy/custom.yaml"
same 1 bob --format csv report --policy no-such-policy
same 2 bob report --from 2026-02-01T00:00:00Z
same 2 bob report --from 2026-03-01T00:00:00Z --to 2026-02-01T00:00:00Z
same 0 bob --format prometheus metrics --from 2026-02-01T00:00:00Z --to 2026-03-01T00:00:00Z --policy ssvc
same 0 bob --format prometheus metrics --policy "$FIX/policy/custom.yaml"
reads_end "report and metrics"
# report -o FILE: the client writes the server's document to its own file, nothing on stdout
for fmt in html csv; do
    set +e
    PATCHLINE_TOKEN=$(cat "$T/token-bob") "${AS[@]}" "$PL" --db "$L" --now "$NOW" --format $fmt \
        report -o "$T/run/l.$fmt" >"$T/l.out" 2>"$T/l.err"
    lrc=$?
    PATCHLINE_TOKEN=$(cat "$T/token-bob") "${AS[@]}" "$PL" --server "$URL" --now "$NOW" --format $fmt \
        report -o "$T/run/r.$fmt" >"$T/r.out" 2>"$T/r.err"
    rrc=$?
    set -e
    if [ $lrc -eq 0 ] && [ $rrc -eq 0 ] && [ -s "$T/run/l.$fmt" ] && cmp -s "$T/run/l.$fmt" "$T/run/r.$fmt" &&
        [ ! -s "$T/l.out" ] && [ ! -s "$T/r.out" ]; then
        ok "report -o FILE --format $fmt: the same file ($(wc -c <"$T/run/l.$fmt") bytes), nothing on stdout"
    else
        bad "report -o FILE --format $fmt: local exit $lrc, server exit $rrc" \
            "$(cat "$T/l.err" "$T/r.err" | head -6)"
    fi
done

# the routine work: a snapshot (it closes the month and quarter that ended) and housekeeping
denied bob snapshot
same 0 dave snapshot
same 0 dave snapshot
rows "SELECT day, tier, severity, open_count, overdue_count, kev_count, taken_at FROM finding_snapshots ORDER BY day, tier, severity"
rows "SELECT period, from_at, to_at, policy, taken_at, backlog_open FROM period_reports ORDER BY id"
denied bob housekeeping
same 0 dave housekeeping
rows "SELECT action, object, actor FROM audit_events WHERE action LIKE 'snapshot%' OR action LIKE 'report.%' ORDER BY id"

# a soak waiver (plan waive-soak)
denied bob plan waive-soak openssl 3.0.15-1 --reason "vendor hotfix"
same 0 dave plan waive-soak openssl 3.0.15-1 --reason "vendor hotfix"
same 2 dave plan waive-soak openssl 3.0.15-1
rows "SELECT action, object, actor, detail FROM audit_events WHERE action LIKE '%soak%' ORDER BY id"

# users and tokens: the role admin for every change and for the token list; the user list is a read
denied dave user add erin --role viewer
denied carol user roles bob viewer approver
denied bob token create bob
denied dave token revoke 2
same 0 alice user add erin --role viewer --role operator --scope owner=web
same 0 alice user add frank --role approver --os-user frank-os
same 1 alice user add erin --role viewer
same 2 alice user add gina --role wizard
same 2 alice user add gina
same 0 alice user roles erin viewer approver
same 1 alice user roles nobody viewer
same 2 alice user roles erin wizard
same 0 alice user disable frank
same 1 alice user disable nobody
for fmt in table json csv; do
    same 0 bob --format $fmt user list
done
rows "SELECT u.id, u.name, u.roles, u.os_user, u.created_at, u.created_by, u.disabled_at,
    group_concat(s.owner) FROM users u LEFT JOIN user_scopes s ON s.user_id = u.id GROUP BY u.id ORDER BY u.id"
# token create: the same lines but the last, a token of its own on each side
set +e
PATCHLINE_TOKEN=$(cat "$T/token-alice") "${AS[@]}" "$PL" --db "$L" --now "$NOW" token create erin \
    --expires 30d >"$T/l.out" 2>"$T/l.err"
lrc=$?
PATCHLINE_TOKEN=$(cat "$T/token-alice") "${AS[@]}" "$PL" --server "$URL" --now "$NOW" token create \
    erin --expires 30d >"$T/r.out" 2>"$T/r.err"
rrc=$?
set -e
if [ $lrc -eq 0 ] && [ $rrc -eq 0 ] && [ "$(head -n -1 "$T/l.out")" = "$(head -n -1 "$T/r.out")" ] &&
    grep -Eq '^plt_[0-9a-f]{64}$' <(tail -1 "$T/r.out") && [ "$(wc -l <"$T/r.out")" -eq 2 ]; then
    ok "token create erin: the same line, then the token as the last line"
else
    bad "token create through the server: local exit $lrc, server exit $rrc" "$(cat "$T/l.out" "$T/r.out")" \
        "$(cat "$T/l.err" "$T/r.err" | head -6)"
fi
tail -1 "$T/r.out" >"$T/token-erin"
if grep -qF "$(cat "$T/token-erin")" "$T/serve.log"; then
    bad "the new token is in the server's log"
else
    ok "the new token is not in the server's log"
fi
if PATCHLINE_TOKEN=$(cat "$T/token-erin") "$PL" --server "$URL" exception list >/dev/null 2>&1; then
    ok "the token made through the server authenticates its user"
else
    bad "the token made through the server does not authenticate"
fi
same 2 alice token create erin --expires 900d
same 1 alice token create nobody
same 0 alice token revoke 5
same 1 alice token revoke 99
denied bob token list
for fmt in table json csv; do
    LOCAL_DB=$R same 0 alice --format $fmt token list
done
rows "SELECT id, user_id, created_at, expires_at, revoked_at FROM tokens ORDER BY id"
rows "SELECT action, object, actor, detail FROM audit_events WHERE action LIKE 'user.%' OR action LIKE 'token.%' ORDER BY id"

# assets: the listing's filters, and curation (set, retire, merge, split) as an operator
same 0 bob assets --select env=prod
same 0 bob --format json assets --retired --stale 0
same 0 bob --format csv assets --unmanaged
same 0 bob assets --conflicts
same 2 bob assets --select colour=blue
denied bob assets set dev-web-1 owner=ops
denied carol assets retire orphan-1
same 0 dave assets set dev-web-1 owner=ops criticality=high tag+=pci env=
same 0 dave assets set dev-web-1 tag-=pci
same 2 dave assets set dev-web-1 owner
same 1 dave assets set no-such-host owner=ops
same 2 dave assets set dev-web-1 colour=blue
same 0 dave assets retire lab-1
same 0 bob --format json assets --retired --select owner=ops
same 0 dave assets merge prod-web-2 prod-web-3
same 1 dave assets merge prod-web-2 no-such-host
same 0 dave assets merge web-1 legacy-ftp
same 0 dave assets split web-1 cmdb
same 1 dave assets split prod-web-2 no-such-source
same 0 bob --format csv assets --retired
# assets show: the facts, attributes and detail tables, or the JSON document (a read)
reads_begin
for a in web-1 prod-web-2 lab-1 1; do
    same 0 bob assets show $a
    same 0 bob --format json assets show $a
done
same 1 bob assets show no-such-host
same 2 bob assets show
reads_end "assets show"
printf 'os: curated > cmdb > local\nmax-age: 10\n' >"$T/prec"
printf 'os: curated > cmdb\nsize: local\n' >"$T/bad-prec"
denied bob assets precedence "$T/prec"
same 0 dave assets precedence "$T/prec"
rows "SELECT * FROM asset_precedence"
same 1 dave assets precedence "$T/bad-prec"
if grep -qF "$T/bad-prec:2: unknown attribute 'size'" "$T/r.err" && ! grep -q patchline-upload "$T/r.err"; then
    ok "a bad precedence file: the error names the client's file and line"
else
    bad "a bad precedence file through the server" "$(cat "$T/r.err")"
fi
same 0 bob --format json assets
same 0 dave assets precedence --default
rows "SELECT id, name, owner, environment, criticality, retired_at, merged_into FROM assets ORDER BY id"
rows "SELECT action, object, actor, detail FROM audit_events WHERE action LIKE 'asset%' ORDER BY id"
rows "SELECT * FROM asset_precedence"

# scan: the library's scan on the server as the caller; the summary printed here by the local printer
denied bob scan
denied carol scan --asset dev-web-1
# a host with packages (collected on each store) and advisories for it (imported through each path)
for db in "$L" "$R"; do
    "${AS[@]}" cp -r "$FIX/inventory/root" "$T/run/root-$(basename "$db")"
    as --db "$db" --now "$NOW" inventory collect --root "$T/run/root-$(basename "$db")" >/dev/null
done
same 0 dave feed import "$FIX/match/tracker.json"
same 3 dave scan --asset fixhost --fail-on Medium
# assets livepatch: the host's report is the body; the audit records the client's name
denied bob assets livepatch fixhost "$FIX/livepatch/canonical-livepatch-status.constructed.json"
same 0 dave assets livepatch fixhost "$FIX/livepatch/canonical-livepatch-status.constructed.json"
same 0 dave assets livepatch fixhost "$FIX/livepatch/kpatch-list.constructed.txt"
same 1 dave assets livepatch no-such-host "$FIX/livepatch/kpatch-list.constructed.txt"
same 1 dave assets livepatch fixhost "$FIX/kev/garbage.bin"
rows "SELECT action, object, actor, detail FROM audit_events WHERE action = 'asset.livepatch' ORDER BY id"
same 0 dave scan --asset dev-web-1 --asset prod-db-1
same 0 dave scan
same 0 dave scan --full --batch 3
same 0 dave scan --policy "$FIX/policy/custom.yaml" --asset lab-1
same 3 dave scan --fail-on 3
same 0 dave scan --fail-on 0
same 1 dave scan --asset no-such-host
same 2 dave scan --fail-on no-such-tier
rows "SELECT id, asset_id, vuln_id, status, tier, unscored, due_at, provisional, resolved_at FROM findings ORDER BY id"
rows "SELECT action, object, actor, detail FROM audit_events WHERE action LIKE 'scan%' ORDER BY id"

reads_begin
# vuln, software, packages: reads, the library's cells rendered here with the local columns
for fmt in table json; do
    same 0 bob --format $fmt vuln CVE-2023-4863
done
same 2 bob --format csv vuln CVE-2023-4863
for fmt in table json csv; do
    same 0 bob --format $fmt packages fixhost
done
same 1 bob vuln CVE-1999-0000
same 2 bob vuln
same 1 bob packages no-such-host
reads_end "vuln and packages"
same 0 dave inventory import "$FIX/sbom/app.cdx.json"
reads_begin
for fmt in table json csv; do
    same 0 bob --format $fmt software
    same 0 bob --format $fmt software --unmapped
done
same 0 bob software fixhost
same 1 bob software no-such-host
same 2 bob software --unmapped fixhost

# audit: the list and the export need admin (every user's actions); verify any role. The
# events' at_real differs between the two stores, so each is read from the server's own.
denied bob audit
denied dave audit export
for fmt in table json csv; do
    LOCAL_DB=$R same 0 alice --format $fmt audit --limit 30
done
LOCAL_DB=$R same 0 alice audit
LOCAL_DB=$R same 0 bob audit verify
LOCAL_DB=$R same 0 alice audit export
same 2 alice audit --limit 0
same 2 alice audit verify now
reads_end "software and audit"

# agent token create (admin): the same line, then an enrolment token of its own on each side,
# never in the server's log; agent revoke (admin)
denied dave agent token create
denied bob agent revoke web-1
set +e
PATCHLINE_TOKEN=$(cat "$T/token-alice") "${AS[@]}" "$PL" --db "$L" --now "$NOW" agent token create \
    --expires 7d --tag env=prod >"$T/l.out" 2>"$T/l.err"
lrc=$?
PATCHLINE_TOKEN=$(cat "$T/token-alice") "${AS[@]}" "$PL" --server "$URL" --now "$NOW" agent token \
    create --expires 7d --tag env=prod >"$T/r.out" 2>"$T/r.err"
rrc=$?
set -e
if [ $lrc -eq 0 ] && [ $rrc -eq 0 ] && [ "$(head -n -1 "$T/l.out")" = "$(head -n -1 "$T/r.out")" ] &&
    grep -Eq '^ple_' <(tail -1 "$T/r.out") && [ "$(wc -l <"$T/r.out")" -eq 2 ]; then
    ok "agent token create: the same line, then the token as the last line"
else
    bad "agent token create through the server: local exit $lrc, server exit $rrc" \
        "$(cat "$T/l.out" "$T/r.out")" "$(cat "$T/l.err" "$T/r.err" | head -6)"
fi
if grep -qF "$(tail -1 "$T/r.out")" "$T/serve.log"; then
    bad "the enrolment token is in the server's log"
else
    ok "the enrolment token is not in the server's log"
fi
rows "SELECT id, tags, created_by, created_at, expires_at FROM agent_enrolments ORDER BY id"
rows "SELECT action, object, actor, detail FROM audit_events WHERE action LIKE 'agent.%' ORDER BY id"
same 2 alice agent token create --expires 90d
same 2 alice agent token create --tag 'bad tag'
same 1 alice agent revoke no-such-host

# notify: add, list and remove (admin), deliver (an operator; from the server, which holds the
# outbox). The secret file is read by the client and its secret sent in the body: never in the
# server's log, never in a listing. The hooks are on a closed loopback port: deliveries fail
# the same way on both sides and are retried.
SECRET=srv3-hook-secret-4f9c2a7e1b0d
"${AS[@]}" sh -c "umask 077; printf '%s\n' '$SECRET' >'$T/run/hook.secret'"
"${AS[@]}" sh -c "umask 022; printf '%s\n' '$SECRET' >'$T/run/open.secret'"
"${AS[@]}" sh -c "umask 077; printf 'short\n' >'$T/run/short.secret'"
# a receiver that checks every signature (tests/cli/notify_receiver.py): the local run delivers
# the event, the server's the same event again (the receiver answers 204 to a duplicate)
python3 "$here/../cli/notify_receiver.py" "$T/hook.port" "$T/run/hook.secret" "$T/hook.log" \
    >/dev/null 2>&1 &
for _ in $(seq 100); do [ -s "$T/hook.port" ] && break; sleep 0.1; done
HOOK=http://127.0.0.1:$(cat "$T/hook.port")/b
denied dave notify add https://127.0.0.1:9/a --secret-file "$T/run/hook.secret"
denied bob notify list
same 0 alice notify add https://127.0.0.1:9/a --secret-file "$T/run/hook.secret" \
    --event tier0-opened,sla-breached
same 0 alice notify add "$HOOK" --secret-file "$T/run/hook.secret" --expiring-days 60
STDIN_FILE=$T/run/hook.secret same 0 alice notify add http://[::1]:9/c --secret-file -
same 2 alice notify add https://127.0.0.1:9/d --secret-file "$T/run/open.secret"
same 2 alice notify add https://127.0.0.1:9/d --secret-file "$T/run/short.secret"
same 2 alice notify add http://hooks.example.org/d --secret-file "$T/run/hook.secret"
same 2 alice notify add https://127.0.0.1:9/d --secret-file "$T/run/hook.secret" --event nosuch
same 2 alice notify add https://127.0.0.1:9/d --secret-file "$T/run/hook.secret" --expiring-days 0
same 2 alice notify add https://127.0.0.1:9/d
for fmt in table json csv; do
    same 0 alice --format $fmt notify list
done
denied bob notify deliver
same 0 dave notify deliver --max 2
same 0 dave notify deliver
same 2 dave notify deliver --max 0
rm -f "$T/hook.port"
if [ "$(grep -c '^ok exception-expiring ' "$T/hook.log")" = 1 ] &&
    [ "$(grep -c '^duplicate ' "$T/hook.log")" = 1 ] && [ "$(wc -l <"$T/hook.log")" = 2 ] &&
    [ "$(sqlite3 "$R" "SELECT actor FROM audit_events WHERE action = 'notify.deliver'")" = dave ]; then
    ok "notify deliver: the server signed and sent the event, audited as the caller"
else
    bad "notify deliver through the server" "$(cat "$T/hook.log")"
fi
denied dave notify remove 1
same 0 alice notify remove 1
same 1 alice notify remove 1
same 1 alice notify remove 99
same 2 alice notify remove one
same 0 alice --format json notify list
rows "SELECT id, url, events, expiring_days, created_by, created_at, removed_at FROM notifiers ORDER BY id"
rows "SELECT notifier_id, event_key, attempts, next_attempt_at, last_error, delivered_at, dead_at FROM notify_outbox ORDER BY id"
rows "SELECT action, object, actor, detail FROM audit_events WHERE action LIKE 'notif%' ORDER BY id"
hex=$(printf '%s' "$SECRET" | od -An -tx1 | tr -d ' \n')
if grep -qF -e "$SECRET" -e "$hex" "$T/serve.log" "$T/serve.out"; then
    bad "a webhook's secret is in the server's log"
elif grep -qF "$SECRET" "$T/r.out"; then
    bad "a webhook's secret is in notify list"
else
    ok "a webhook's secret is in neither the server's log nor a listing"
fi
# the API's own checks: 400 naming the field, nothing changed
api() { curl -s -o "$T/api.out" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/token-alice")" \
    -H 'Content-Type: application/json' --data-binary "$1" "$URL/api/v1/notifiers"; }
before=$(sqlite3 "$R" "SELECT count(*) FROM notifiers")
K=00112233445566778899aabbccddeeff
for case in "secret_hex|{\"url\": \"https://127.0.0.1:9/e\"}" \
    "secret_hex|{\"url\": \"https://127.0.0.1:9/e\", \"secret_hex\": \"zz\"}" \
    "events|{\"url\": \"https://127.0.0.1:9/e\", \"secret_hex\": \"$K\", \"events\": \"x\"}" \
    "expiring_days|{\"url\": \"https://127.0.0.1:9/e\", \"secret_hex\": \"$K\", \"expiring_days\": 400}" \
    "colour|{\"url\": \"https://127.0.0.1:9/e\", \"secret_hex\": \"$K\", \"colour\": 1}" \
    "url|{\"secret_hex\": \"$K\"}"; do
    field=${case%%|*} body=${case#*|}
    code=$(api "$body")
    if [ "$code" = 400 ] && grep -qF "'$field'" "$T/api.out"; then
        ok "POST /api/v1/notifiers $body: 400 naming '$field'"
    else
        bad "POST /api/v1/notifiers $body: $code" "$(cat "$T/api.out")"
    fi
done
[ "$(sqlite3 "$R" "SELECT count(*) FROM notifiers")" = "$before" ] && ok "bad notifiers: nothing added" ||
    bad "a bad notifier was added"

# agent list and agent jobs (admin): two hosts and two jobs, the same rows in each store
for db in "$L" "$R"; do
    "${AS[@]}" sqlite3 "$db" "
INSERT INTO agents (id, host, enrolment_id, lookup, hash, tags, asset_id, digest, created_at,
    last_seen, revoked_at) VALUES
  (1, 'web-1', 1, 'lk1', 'h1', 'env=prod', 1, NULL, 1772445600, 1772449200, NULL),
  (2, 'old-host', 1, 'lk2', 'h2', '', NULL, NULL, 1772445600, NULL, 1772446600);
INSERT INTO agent_jobs (id, agent_id, asset_id, plan_id, wave, lane, packages, findings,
    window_start, window_end, reboot, state, created_at, job_id, detail) VALUES
  (1, 1, 1, 1, 1, 'standard', 'openssl=3.0.15-1
tar=1.34+dfsg-1.2+deb12u1
', '2', 1772445600, 1772449200, 0, 'succeeded', 1772445600, 1, NULL),
  (2, 1, 1, 2, 3, 'standard', 'openssl=3.0.15-1
', '2', 1772445600, 1772449200, 0, 'queued', 1772445600, NULL, 'a \"quoted\", detail');"
done
denied dave agent list
denied carol agent jobs
for fmt in table json csv; do
    same 0 alice --format $fmt agent list
    same 0 alice --format $fmt agent jobs
done
same 2 alice agent list web-1

# inventory export (a read): the CMDB rows, CSV or JSON, rendered here
for fmt in csv json; do
    same 0 bob --format $fmt inventory export
    same 0 bob --format $fmt inventory export --select env=prod
done
same 2 bob inventory export --select colour=blue
same 2 bob --format table inventory export
same 2 bob inventory export extra

# schedule run: only through a server; this one has no schedule, so every job is 404
set +e
PATCHLINE_TOKEN=$(cat "$T/token-dave") "$PL" --db "$L" schedule run feed-sync >"$T/r.out" 2>"$T/r.err"
rc=$?
set -e
[ $rc -eq 2 ] && grep -q "schedule run: the schedule is the server's: give --server URL" "$T/r.err" &&
    ok "schedule run without --server: refused (exit 2)" || bad "schedule run without --server: exit $rc" "$(cat "$T/r.err")"
denied bob schedule run feed-sync
for case in "feed-sync|job 'feed-sync' is not in the server's schedule (no 'schedule.feed-sync' line) (HTTP 404)" \
    "no-such-job|no job 'no-such-job' (feed-sync, scan, snapshot, notify-deliver) (HTTP 404)"; do
    job=${case%%|*} want=${case#*|}
    set +e
    PATCHLINE_TOKEN=$(cat "$T/token-dave") "$PL" --server "$URL" schedule run "$job" >"$T/r.out" 2>"$T/r.err"
    rc=$?
    set -e
    if [ $rc -eq 1 ] && grep -qF "patchline: schedule run: $want" "$T/r.err"; then
        ok "schedule run $job: the server's 404, named"
    else
        bad "schedule run $job: exit $rc" "$(cat "$T/r.err")"
    fi
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
