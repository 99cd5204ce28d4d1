# who may decide (issue 18): users, roles, scopes, tokens, sign-off rules
# and the keyed audit chain. Every command runs as the same OS account (the
# store owner); a principal other than the store owner acts through
# PATCHLINE_TOKEN, as it would through the server.

### auth-1.1: a store with no users: the OS account acts as before, and may make the first user
! "$PL" --db "$DB" --now 2026-03-02T11:00:00Z init >/dev/null && sqlite3 "$DB" <"$FIX/plan/assets.sql" && sqlite3 "$DB" <"$FIX/plan/findings.sql"
$ --db $DB --now 2026-03-02T11:00:00Z user add olga --role operator --role approver
> user olga added (id 1): operator,approver

### auth-1.2: an unknown role exits 2 and adds nobody
$ --db $DB --now 2026-03-02T11:00:00Z user add mallory --role superuser
? 2
2> patchline: --role: unknown role 'superuser' (roles: viewer, operator, approver, risk-owner, admin)

### auth-1.3: a bad scope exits 2
$ --db $DB --now 2026-03-02T11:00:00Z user add wes --role approver --scope team=web
? 2
2> patchline: --scope: scope 'team=web': want owner=NAME

### auth-1.4: more users: a scoped approver, an unscoped approver, a risk owner
! "$PL" --db "$DB" --now 2026-03-02T11:00:00Z user add wes --role approver --scope owner=web >/dev/null
! "$PL" --db "$DB" --now 2026-03-02T11:00:00Z user add ann --role approver >/dev/null
$ --db $DB --now 2026-03-02T11:00:00Z user add cis --role risk-owner --os-user cis-nobody-account
> user cis added (id 4): risk-owner, acts for OS account

### auth-1.5: a taken name is refused
$ --db $DB --now 2026-03-02T11:00:00Z user add ann --role viewer
? 1
2> patchline: user add: user 'ann' is taken

### auth-1.6: the list
$ --db $DB --now 2026-03-02T11:00:00Z user list --format csv
>* name,roles,scope,os_user,status,tokens,created,created_by
>* ann,approver,,,enabled,0,2026-03-02T11:00:00Z,store-owner
>* cis,risk-owner,,cis-nobody-account,enabled,0,2026-03-02T11:00:00Z,store-owner
>* olga,"operator,approver",,,enabled,0,2026-03-02T11:00:00Z,root
>* wes,approver,web,,enabled,0,2026-03-02T11:00:00Z,store-owner

### auth-2.1: a token: the last line of standard output is exactly the token, never in the log or the store
! "$PL" -vv --db "$DB" --now 2026-03-02T11:00:00Z token create olga >"$T/olga.out" 2>"$T/olga.err"
! tail -n 1 "$T/olga.out" >"$T/olga.tok" && grep -Eqx 'plt_[0-9a-f]{64}' "$T/olga.tok"
! ! grep -qF "$(cat "$T/olga.tok")" "$T/olga.err"
! ! sqlite3 "$DB" .dump | grep -qF "$(cut -c5- "$T/olga.tok")"
$ --db $DB --now 2026-03-02T11:00:00Z audit export
>* "action":"token.create","object":"token 1","detail":"for olga, expires 2026-05-31T11:00:00Z"

### auth-2.2: at most 365 days
$ --db $DB --now 2026-03-02T11:00:00Z token create ann --expires 400d
? 2
2> patchline: --expires '400d': a token lives at most 365d

### auth-2.3: tokens for the others
! "$PL" --db "$DB" --now 2026-03-02T11:00:00Z token create wes | tail -n 1 >"$T/wes.tok"
! "$PL" --db "$DB" --now 2026-03-02T11:00:00Z token create ann --expires 30d | tail -n 1 >"$T/ann.tok"
! "$PL" --db "$DB" --now 2026-03-02T11:00:00Z token create cis | tail -n 1 >"$T/cis.tok"
$ --db $DB --now 2026-03-02T11:00:00Z token list --format csv
>* id,user,status,created,expires,revoked
>* 1,olga,live,2026-03-02T11:00:00Z,2026-05-31T11:00:00Z,
>* 2,wes,live,2026-03-02T11:00:00Z,2026-05-31T11:00:00Z,
>* 3,ann,live,2026-03-02T11:00:00Z,2026-04-01T11:00:00Z,
>* 4,cis,live,2026-03-02T11:00:00Z,2026-05-31T11:00:00Z,

### auth-2.4: a wrong token is refused, without repeating it
= PATCHLINE_TOKEN=plt_00000000000000000000000000000000000000000000000000000000000000ff
$ --db $DB --now 2026-03-02T11:00:00Z snapshot
? 1
2> patchline: snapshot: refused: the token is not valid (unknown, expired or revoked)

### auth-2.5: a user without admin cannot make users
= PATCHLINE_TOKEN=$(cat $T/olga.tok)
$ --db $DB --now 2026-03-02T11:00:00Z user add eve --role admin
? 1
2> patchline: user add: refused: 'olga' (roles: operator,approver) may not administer users and tokens: it needs the role admin

### auth-2.6: an approver without operator cannot change the store
= PATCHLINE_TOKEN=$(cat $T/ann.tok)
$ --db $DB --now 2026-03-02T11:00:00Z snapshot
? 1
2> patchline: snapshot: refused: 'ann' (roles: approver) may not change the store: it needs the role operator

### auth-3.1: olga builds a plan: she is its requester
= PATCHLINE_TOKEN=$(cat $T/olga.tok)
$ --db $DB --now 2026-03-02T12:00:00Z plan
>* plan 1:

### auth-3.2: the requester can never approve her own plan
= PATCHLINE_TOKEN=$(cat $T/olga.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan approve 1 --after-the-fact
? 1
2> patchline: plan approve: refused: 'olga' requested plan 1; another person must sign it off

### auth-3.3: the store owner is no approver (a sign-off needs a named person)
$ --db $DB --now 2026-03-02T13:00:00Z plan approve 1 --after-the-fact
? 1
2> patchline: plan approve: refused: 'store-owner' (roles: viewer,operator,admin) may not approve a plan plan 1: it needs the role approver

### auth-3.4: an approver scoped to owner=web is refused for a plan that touches another owner
= PATCHLINE_TOKEN=$(cat $T/wes.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan approve 1 --after-the-fact
? 1
2> patchline: plan approve: refused: 'wes' is scoped to owner=web and plan 1 touches owner 'dba'

### auth-3.5: an unscoped approver signs it off, recorded under her name
= PATCHLINE_TOKEN=$(cat $T/ann.tok)
$ --db $DB --now 2026-03-02T13:00:00Z plan approve 1 --after-the-fact
>* plan 1: signed off
>* as ann

### auth-3.6: nothing was recorded for the refusals
! test "$(sqlite3 "$DB" 'SELECT DISTINCT actor FROM approvals')" = ann
$ --db $DB audit verify
>* audit chain intact:

### auth-4.1: the exception estate: a Tier 0 finding (2) and a Tier 2 finding (1); olga asks to accept the Tier 0 risk
! "$PL" --db "$T/x.db" --now 2026-12-01 init >/dev/null && sqlite3 "$T/x.db" <"$FIX/exception/estate.sql"
! "$PL" --db "$T/x.db" --now 2026-12-01 user add olga --role operator --role approver >/dev/null && "$PL" --db "$T/x.db" --now 2026-12-01 user add ann --role approver >/dev/null && "$PL" --db "$T/x.db" --now 2026-12-01 user add cis --role risk-owner >/dev/null && "$PL" --db "$T/x.db" --now 2026-12-01 user add wes --role approver --scope owner=web >/dev/null
! for u in olga ann cis wes; do "$PL" --db "$T/x.db" --now 2026-12-01 token create $u | tail -n 1 >"$T/x-$u.tok"; done
= PATCHLINE_TOKEN=$(cat $T/x-olga.tok)
$ --db $T/x.db --now 2026-12-01 exception add --type risk-acceptance --finding 2 --justification "vendor fix on the 3rd" --expires 2d
>* exception 1 added: risk-acceptance, pending approval

### auth-4.2: the requester cannot approve it
= PATCHLINE_TOKEN=$(cat $T/x-olga.tok)
$ --db $T/x.db --now 2026-12-01 exception approve 1
? 1
2> patchline: exception approve: exception 1 was requested by 'olga': it must be approved by another user

### auth-4.3: an approver without risk-owner cannot accept a Tier 0 risk
= PATCHLINE_TOKEN=$(cat $T/x-ann.tok)
$ --db $T/x.db --now 2026-12-01 exception approve 1
? 1
2> patchline: exception approve: a risk acceptance of a Tier 0 finding needs a risk-owner: refused: 'ann' (roles: approver) may not accept a Tier 0 or Tier 1 risk exception 1: it needs the role risk-owner

### auth-4.4: a scoped approver is refused for assets outside (here: with no owner)
= PATCHLINE_TOKEN=$(cat $T/x-wes.tok)
$ --db $T/x.db --now 2026-12-01 exception approve 1
? 1
2> patchline: exception approve: refused: 'wes' is scoped to owner=web and exception 1 touches assets with no owner

### auth-4.5: the risk owner signs it off
= PATCHLINE_TOKEN=$(cat $T/x-cis.tok)
$ --db $T/x.db --now 2026-12-01 exception approve 1
>* active until 2026-12-03T00:00:00Z, covers 1 finding

### auth-4.6: a Tier 2 compensating control needs an approver only
= PATCHLINE_TOKEN=$(cat $T/x-olga.tok)
! PATCHLINE_TOKEN=$(cat "$T/x-olga.tok") "$PL" --db "$T/x.db" --now 2026-12-01 exception add --type waf-rule --finding 1 --justification "rule 942100" --expires 30d >/dev/null
= PATCHLINE_TOKEN=$(cat $T/x-ann.tok)
$ --db $T/x.db --now 2026-12-01 exception approve 2
>* active until 2026-12-31T00:00:00Z, covers 1 finding

### auth-5.1: a disabled user's tokens die with it
$ --db $T/x.db --now 2026-12-01 user disable olga
> user olga disabled; its tokens are revoked

### auth-5.2: olga's token no longer works
= PATCHLINE_TOKEN=$(cat $T/x-olga.tok)
$ --db $T/x.db --now 2026-12-01 snapshot
? 1
2> patchline: snapshot: refused: the token is not valid (unknown, expired or revoked)

### auth-5.3: a revoked token no longer works
! "$PL" --db "$T/x.db" --now 2026-12-01 token revoke 2 >/dev/null
= PATCHLINE_TOKEN=$(cat $T/x-ann.tok)
$ --db $T/x.db --now 2026-12-01 exception revoke 2 --reason "x"
? 1
2> patchline: exception revoke: refused: the token is not valid (unknown, expired or revoked)

### auth-6.1: the audit chain is intact
$ --db $T/x.db audit verify
>* audit chain intact: 
>* events, head 

### auth-6.2: it names the principals, and the head ends the export
$ --db $T/x.db audit export
>* "principal":"cis","os_user":
>* "action":"exception.approve","object":"exception 1"
>* {"head":{"count":

### auth-6.3: an edited event: exit 3 naming it
! sqlite3 "$T/x.db" ".backup $T/e.db" && cp "$T/x.db.audit-key" "$T/e.db.audit-key" && cp "$T/x.db.audit-head" "$T/e.db.audit-head"
! sqlite3 "$T/e.db" "UPDATE audit_events SET actor = 'ann' WHERE action = 'exception.approve' AND object = 'exception 1'"
! sqlite3 "$T/e.db" "SELECT seq FROM audit_events WHERE action = 'exception.approve' AND object = 'exception 1'" >"$T/e.seq"
$ --db $T/e.db audit verify
? 3
>* audit chain BROKEN at event 
>* exception.approve): its MAC does not match: edited, moved, or written without the key

### auth-6.4: an event deleted in the middle
! sqlite3 "$T/x.db" ".backup $T/d.db" && cp "$T/x.db.audit-key" "$T/d.db.audit-key" && cp "$T/x.db.audit-head" "$T/d.db.audit-head"
! sqlite3 "$T/d.db" "DELETE FROM audit_events WHERE seq = 4"
$ --db $T/d.db audit verify
? 3
> audit chain BROKEN at event 4: event 4 is missing (the next event is 5): deleted from the chain

### auth-6.5: the deleted middle closed up (later events renumbered) is caught too
! sqlite3 "$T/d.db" "UPDATE audit_events SET seq = seq - 1, id = id - 1 WHERE seq > 4"
$ --db $T/d.db audit verify
? 3
> audit chain BROKEN at event 4: event 4 (id 4, user.add): its MAC does not match: edited, moved, or written without the key

### auth-6.6: two events swapped
! sqlite3 "$T/x.db" ".backup $T/r.db" && cp "$T/x.db.audit-key" "$T/r.db.audit-key" && cp "$T/x.db.audit-head" "$T/r.db.audit-head"
! sqlite3 "$T/r.db" "UPDATE audit_events SET seq = 1000 WHERE seq = 6; UPDATE audit_events SET seq = 6 WHERE seq = 7; UPDATE audit_events SET seq = 7 WHERE seq = 1000"
$ --db $T/r.db audit verify
? 3
>* audit chain BROKEN at event 6: event 6 (id 7,

### auth-6.7: the tail removed, the store's head rewritten to match: the checkpoint file catches it
! sqlite3 "$T/x.db" ".backup $T/t.db" && cp "$T/x.db.audit-key" "$T/t.db.audit-key" && cp "$T/x.db.audit-head" "$T/t.db.audit-head"
! sqlite3 "$T/t.db" "DELETE FROM audit_events WHERE seq > 10; UPDATE audit_head SET count = 10, mac = (SELECT mac FROM audit_events WHERE seq = 10)"
$ --db $T/t.db audit verify
? 3
>* audit chain BROKEN at event 11: the checkpoint records
>* events but the chain ends at 10: events 11-

### auth-6.8: without its key the chain cannot be checked
! rm "$T/t.db.audit-key"
$ --db $T/t.db audit verify
? 1
2> is missing: the chain of 10 events cannot be checked without it

### auth-6.9: the key must be private
! cp "$T/x.db.audit-key" "$T/t.db.audit-key" && chmod 644 "$T/t.db.audit-key"
$ --db $T/t.db audit verify
? 1
2> (mode 0644): chmod 600 it

### auth-6.10: the first store still verifies after all this
$ --db $DB audit verify
>* audit chain intact:
