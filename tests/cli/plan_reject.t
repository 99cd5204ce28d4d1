# patchline plan reject: another approver rejects waiting waves with a reason;
# the requester and a viewer may not (nothing changes); a rejected wave can
# no longer be approved and never runs (apply --rollout, hand-offs). The
# estate is the planner's crafted one (tests/fixtures/plan) under
# tests/fixtures/plan/manual.yaml: every wave waits for a person's approval.

### plan-reject-1.1: olga (operator, approver) builds a plan: she is its requester
! "$PL" --db "$DB" --now 2026-03-02T11:00:00Z init >/dev/null && sqlite3 "$DB" <"$FIX/plan/assets.sql" && sqlite3 "$DB" <"$FIX/plan/findings.sql" && sqlite3 "$DB" "UPDATE assets SET kind = 'host', os_family = 'debian', os_version = '12'"
! for u in "olga --role operator --role approver" "ann --role approver" "vic --role viewer"; do "$PL" --db "$DB" --now 2026-03-02T11:00:00Z user add $u >/dev/null || exit 1; done
! for u in olga ann vic; do "$PL" --db "$DB" --now 2026-03-02T11:00:00Z token create $u | tail -1 >"$T/$u.tok" || exit 1; done
= TZDIR=$FIX/cron/zoneinfo
= PATCHLINE_TOKEN=$(cat $T/olga.tok)
$ --db $DB --now 2026-03-02T12:00:00Z plan --plan $FIX/plan/manual.yaml --horizon 3d
> plan 1: 7 waves, 9 findings within 3d; 3 of 14 open findings will miss their due date

### plan-reject-1.2: the requester may not reject her own plan
= PATCHLINE_TOKEN=$(cat $T/olga.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan reject 1 --wave 4 --reason "not now"
? 1
2> patchline: plan reject: refused: 'olga' requested plan 1; another person must reject it

### plan-reject-1.3: nor may a viewer
= PATCHLINE_TOKEN=$(cat $T/vic.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan reject 1 --wave 4 --reason "not now"
? 1
2> patchline: plan reject: refused: 'vic' (roles: viewer) may not approve a plan plan 1: it needs the role approver

### plan-reject-1.4: ...and nothing changed
! test "$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM plan_rejections), (SELECT count(*) FROM audit_events WHERE action = 'plan.reject')")" = "0|0"
$ --db $DB plan show 1 --format csv
>* 4,standard,prod,canary,nightly,2026-03-03T02:00:00Z,2026-03-03T06:00:00Z,1,2,2,"curl=8.5.0-2, linux-image-amd64=6.1.90-1",pending

### plan-reject-2.1: a reason is required
= PATCHLINE_TOKEN=$(cat $T/ann.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan reject 1 --wave 4
? 2
2> patchline: plan reject: --reason TEXT is required

### plan-reject-2.2: ...and not blank
= PATCHLINE_TOKEN=$(cat $T/ann.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan reject 1 --wave 4 --reason "   "
? 2
2> patchline: plan reject: reason: give the reason for rejecting it

### plan-reject-2.3: ...nor longer than 1,000 bytes
= PATCHLINE_TOKEN=$(cat $T/ann.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan reject 1 --wave 4 --reason "$(printf 'x%.0s' $(seq 1001))"
? 2
2> patchline: plan reject: reason: 1001 bytes, longer than the 1000 allowed

### plan-reject-2.4: an unknown wave
= PATCHLINE_TOKEN=$(cat $T/ann.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan reject 1 --wave 9 --reason "not now"
? 1
2> patchline: plan reject: plan 1 has no wave 9 (it has 7)

### plan-reject-3.1: ann (another approver) rejects wave 4
= PATCHLINE_TOKEN=$(cat $T/ann.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan reject 1 --wave 4 --reason "canary hosts are frozen until Friday"
> plan 1: rejected 1 wave as ann

### plan-reject-3.2: plan show names who rejected it
$ --db $DB plan show 1 --format csv
>* 4,standard,prod,canary,nightly,2026-03-03T02:00:00Z,2026-03-03T06:00:00Z,1,2,2,"curl=8.5.0-2, linux-image-amd64=6.1.90-1",rejected by ann
>* 5,standard,staging,,nightly,2026-03-04T02:00:00Z,2026-03-04T06:00:00Z,1,1,1,nginx=1.24.0-2,pending

### plan-reject-3.3: the audit log holds the rejection and its reason
$ --db $DB audit --format json
>* "actor": "ann", "action": "plan.reject", "object": "plan 1", "detail": "wave(s) 4: canary hosts are frozen until Friday"}

### plan-reject-3.4: a rejected wave cannot be approved
= PATCHLINE_TOKEN=$(cat $T/ann.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan approve 1 --wave 4
? 1
2> patchline: plan approve: wave 4 of plan 1 was rejected by 'ann': canary hosts are frozen until Friday

### plan-reject-3.5: nor rejected twice
= PATCHLINE_TOKEN=$(cat $T/ann.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan reject 1 --wave 4 --reason "again"
? 1
2> patchline: plan reject: wave 4 of plan 1 is already rejected by 'ann'

### plan-reject-3.6: an approved wave cannot be rejected
! PATCHLINE_TOKEN=$(cat "$T/ann.tok") "$PL" --db "$DB" --now 2026-03-02T13:00:00Z plan approve 1 --wave 5 >/dev/null
= PATCHLINE_TOKEN=$(cat $T/ann.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan reject 1 --wave 5 --reason "too late"
? 1
2> patchline: plan reject: wave 5 of plan 1 is already approved by 'ann'

### plan-reject-3.7: approving the whole plan leaves the rejected wave out
= PATCHLINE_TOKEN=$(cat $T/ann.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan approve 1
> plan 1: approved 5 waves as ann

### plan-reject-3.8: ...and it stays rejected
$ --db $DB plan show 1 --format json
>* "packages": "curl=8.5.0-2, linux-image-amd64=6.1.90-1", "approval": "rejected by ann"}

### plan-reject-4.1: apply --rollout halts at the rejected wave, saying who rejected it and why
$ --db $DB --now 2026-03-03T03:00:00Z apply --rollout 1 --wave 4
? 3
> rollout 1 halted at wave 4: wave 4 never runs: rejected by 'ann' at 2026-03-02T13:00:00Z: canary hosts are frozen until Friday
> rollout 1 halted: 0 applied, 0 already done, 0 failed: wave 4 never runs: rejected by 'ann' at 2026-03-02T13:00:00Z: canary hosts are frozen until Friday

### plan-reject-4.2: the hand-offs leave it out, saying who rejected it and why
$ --db $DB --now 2026-03-02T14:00:00Z handoff ansible --rollout 1 --plan $FIX/plan/manual.yaml -o $T/h1
2> patchline: handoff: wave 4 (prod-ring1-nightly-20260303) left out: rejected by 'ann' at 2026-03-02T13:00:00Z: canary hosts are frozen until Friday; a rejected wave never runs: build a new plan (patchline plan)

### plan-reject-4.3: ...in its approvals file too
! grep -q '"reason": "rejected by .ann. at 2026-03-02T13:00:00Z: canary hosts are frozen until Friday"' "$T/h1/ansible/approvals.json"
! test ! -e "$T/h1/ansible/inventory/prod-ring1-nightly-20260303.yml"
$ --db $DB plan show 1 --wave 4
>* curl

### plan-reject-5.1: a second plan: rejecting every waiting wave at once
! TZDIR="$FIX/cron/zoneinfo" PATCHLINE_TOKEN=$(cat "$T/olga.tok") "$PL" --db "$DB" --now 2026-03-03T04:00:00Z plan --plan "$FIX/plan/manual.yaml" --horizon 3d >/dev/null
! PATCHLINE_TOKEN=$(cat "$T/ann.tok") "$PL" --db "$DB" --now 2026-03-03T04:00:00Z plan approve 2 --wave 1 >/dev/null
= PATCHLINE_TOKEN=$(cat $T/ann.tok)
$ --db $DB --now 2026-03-03T04:00:00Z plan reject 2 --reason "superseded by plan 3"
> plan 2: rejected 7 waves as ann

### plan-reject-5.2: nothing left to reject; the approved wave stays approved
! test "$(sqlite3 "$DB" "SELECT count(*), min(actor), min(reason) FROM plan_rejections WHERE plan_id = 2 AND wave_seq > 1")" = "7|ann|superseded by plan 3"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM plan_rejections WHERE plan_id = 2 AND wave_seq = 1")" = "0"
= PATCHLINE_TOKEN=$(cat $T/ann.tok)
$ --db $DB --now 2026-03-03T04:00:00Z plan reject 2 --reason "again"
? 1
2> patchline: plan reject: plan 2 has no wave waiting for approval

### plan-reject-5.3: --reason belongs to plan reject
$ --db $DB plan show 2 --reason x
? 2
2> plan show takes an id and --wave only
