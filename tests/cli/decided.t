# The policy that decided a finding (issue 13): a finding records the policy's
# name and digest, the store keeps its text, and explain, findings --tier and
# the report use it by default (fixtures of scan.t).

### dec-1.1: a scan under the ssvc policy records it on every finding it tiers
! cp -r "$FIX/inventory/root" "$T/root"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory collect --root "$T/root" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import "$FIX/match/tracker.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import "$FIX/match/kev.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z scan --policy ssvc >/dev/null 2>&1
! test "$(sqlite3 "$DB" "SELECT DISTINCT (SELECT ft.text FROM finding_texts ft WHERE ft.id = policy_name_ref) FROM findings")" = ssvc
! test "$(sqlite3 "$DB" "SELECT count(*) FROM policies")" = 1
! test "$(sqlite3 "$DB" "SELECT DISTINCT (SELECT t.text FROM finding_texts t WHERE t.id = findings.policy_ref) FROM findings")" = "$("$PL" policy show ssvc | tail -n +2 | sha256sum | cut -c1-64)"
$ --db $DB explain 3
>* policy: ssvc (sha256 
>* ), the policy that decided this finding
>* rule 'fallback-high-exposed-or-prod' (builtin:ssvc line

### dec-1.2: explain reads only: the store's bytes and the audit count are unchanged
! cat "$DB" "$DB-wal" 2>/dev/null | sha256sum >"$T/before" && sqlite3 "$DB" "SELECT count(*) FROM audit_events" >>"$T/before"
! "$PL" --db "$DB" explain 3 >/dev/null && "$PL" --db "$DB" --format json explain 4 >/dev/null
! "$PL" --db "$DB" --now 2026-02-01T00:00:00Z report --format json >/dev/null
! cat "$DB" "$DB-wal" 2>/dev/null | sha256sum >"$T/after" && sqlite3 "$DB" "SELECT count(*) FROM audit_events" >>"$T/after"
$ --db $DB --format json explain 3
>* "decided_by":{"name":"ssvc","digest":"
>* "explained_by":{"name":"ssvc","digest":"
>* ,"decided":true}
! cmp "$T/before" "$T/after"

### dec-1.3: --policy is a what-if, and explain says which policy decided
$ --db $DB explain --policy default 3
>* policy: default (sha256 
>* ), a what-if: the finding was decided by ssvc (sha256 
>* rule 'high-exposed-or-prod' (builtin:default line

### dec-1.4: findings --tier takes the deciding policy's tiers...
$ --db $DB findings --tier 9
? 2
2> policy 'ssvc' has no tier '9'

### dec-1.4.1: ...and so does the report
$ --db $DB --now 2026-02-01T00:00:00Z report --format json
>* "policy":"ssvc","tiers":[{"tier":0,

### dec-1.5: the same policy from a file has the same digest: a rescan changes nothing
! "$PL" policy show ssvc >"$T/ssvc.yaml"
! sqlite3 "$DB" "SELECT id, (SELECT t.text FROM finding_texts t WHERE t.id = findings.policy_ref), tiered_at FROM findings ORDER BY id" >"$T/d1"
! "$PL" --db "$DB" --now 2026-01-11T00:00:00Z scan --policy "$T/ssvc.yaml" >/dev/null 2>&1
! sqlite3 "$DB" "SELECT id, (SELECT t.text FROM finding_texts t WHERE t.id = findings.policy_ref), tiered_at FROM findings ORDER BY id" >"$T/d2"
! cmp "$T/d1" "$T/d2"
$ --db $DB --format csv findings --tier 0
>* CVE-2026-1004

### dec-1.6: a rescan under another policy records it
! "$PL" --db "$DB" --now 2026-01-12T00:00:00Z scan >/dev/null 2>&1
! test "$(sqlite3 "$DB" "SELECT DISTINCT (SELECT ft.text FROM finding_texts ft WHERE ft.id = policy_name_ref) FROM findings WHERE status = 'open'")" = default
! test "$(sqlite3 "$DB" "SELECT count(*) FROM policies")" = 2
$ --db $DB explain 3
>* policy: default (sha256 
>* ), the policy that decided this finding

### dec-1.7: a finding that records no policy is explained under the default, and says so
! sqlite3 "$DB" "UPDATE findings SET policy_name_ref = NULL, policy_ref = NULL WHERE id = 3"
$ --db $DB explain 3
>* the finding records no deciding policy

### dec-1.8: a policy from a file is explained from the text the store keeps
! sed 's/^policy: ssvc$/policy: mine/' "$T/ssvc.yaml" >"$T/mine.yaml"
! "$PL" --db "$DB" --now 2026-01-13T00:00:00Z scan --policy "$T/mine.yaml" >/dev/null 2>&1
$ --db $DB explain 4
>* policy: mine (sha256 
>* ), the policy that decided this finding
>* rule 'kev' (store:mine line
