# Writers wait for one another (issue 11, item 9): a second writer waits for the
# first with a bounded timeout (--lock-timeout, PATCHLINE_LOCK_TIMEOUT), names the
# holder when it gives up, and a long scan commits per batch of assets.
# The holder is a Patchline writer blocked on a named pipe (it took the store
# before it opens its input), or the sqlite3 shell inside BEGIN IMMEDIATE.
# A Patchline writer holds a lock (flock) on STORE-writer while it holds the
# store: `flock -n -s` on that file fails while it does.

### lock-1.1: a second writer waits for the first one and then succeeds
! "$PL" --db "$DB" init >/dev/null && mkfifo "$T/in1"
! (timeout 120 "$PL" --db "$DB" inventory import csv "$T/in1" >"$T/holder1.out" 2>&1 &)
! for i in $(seq 600); do flock -n -s "$DB-writer" true || break; sleep 0.05; done; ! flock -n -s "$DB-writer" true
! (sleep 1; cat "$FIX/cmdb/servicenow.csv" >"$T/in1") >/dev/null 2>&1 &
$ --db $DB assets set web-1 owner=team-ops
> asset 1 updated

### lock-1.1.1: ...the first writer finished first, and let go of the writer record's lock
! for i in $(seq 600); do [ -s "$T/holder1.out" ] && break; sleep 0.05; done
! grep -q '3 assets created' "$T/holder1.out"
! flock -n -s "$DB-writer" true
$ --db $DB --format csv assets --select name=web-1
>* ,team-ops,

### lock-1.2: with a short timeout the waiting writer fails, naming the holder; nothing changed
! mkfifo "$T/in2"
! (timeout 120 "$PL" --db "$DB" inventory import csv "$T/in2" >"$T/holder2.out" 2>&1 &)
! for i in $(seq 600); do flock -n -s "$DB-writer" true || break; sleep 0.05; done; ! flock -n -s "$DB-writer" true
$ --db $DB --lock-timeout 0.2 assets set web-1 owner=team-dev
? 1
2> patchline: store: store is locked by patchline inventory import (pid
2> , user
2> , writing since 20
2> ); gave up after 0.2 s (--lock-timeout)

### lock-1.2.1: the holder record is private to the store's owner
! test "$(stat -c %a "$DB-writer")" = 600
! cat "$FIX/cmdb/servicenow.csv" >"$T/in2"
! for i in $(seq 600); do [ -s "$T/holder2.out" ] && break; sleep 0.05; done
! test "$(sqlite3 "$DB" "SELECT count(*) FROM assets WHERE owner = 'team-dev'")" = 0
$ --db $DB --format csv assets --select name=web-1
>* 1,web-1,host

### lock-1.3: another program holding the store: named as such ($PATCHLINE_LOCK_TIMEOUT)
! (printf 'BEGIN IMMEDIATE;\nUPDATE assets SET owner = owner;\n.shell touch %s/held\n.shell sleep 4\nCOMMIT;\n' "$T" | sqlite3 "$DB") >/dev/null 2>&1 &
! for i in $(seq 600); do [ -e "$T/held" ] && break; sleep 0.05; done; [ -e "$T/held" ]
= PATCHLINE_LOCK_TIMEOUT=0.2
$ --db $DB assets set web-1 owner=team-qa
? 1
2> store is locked by another program (no running Patchline writer recorded); gave up after 0.2 s

### lock-1.3.1: ...and with the default timeout the writer waits for it
$ --db $DB assets set web-1 owner=team-qa
> asset 1 updated

### lock-1.4: --lock-timeout 0 fails at once; readers never wait
! rm -f "$T/held"
! (printf 'BEGIN IMMEDIATE;\nUPDATE assets SET owner = owner;\n.shell touch %s/held\n.shell sleep 4\nCOMMIT;\n' "$T" | sqlite3 "$DB") >/dev/null 2>&1 &
! for i in $(seq 600); do [ -e "$T/held" ] && break; sleep 0.05; done; [ -e "$T/held" ]
! "$PL" --db "$DB" --lock-timeout 0 assets retire web-1 2>"$T/err0"; test $? = 1 && grep -q 'gave up after 0 s' "$T/err0"
$ --db $DB --lock-timeout 0 findings --format csv
>* id,asset,vuln,package,installed,fixed,tier,due,overdue,provisional,status,first_seen

### lock-1.5: bad timeouts are usage errors
$ --db $DB --lock-timeout soon assets set web-1 owner=x
? 2
2> --lock-timeout 'soon': want a number of seconds from 0 to 86400

### lock-1.5.1: ...from the environment too
= PATCHLINE_LOCK_TIMEOUT=-1
$ --db $DB assets set web-1 owner=x
? 2
2> PATCHLINE_LOCK_TIMEOUT '-1': want a number of seconds from 0 to 86400

### lock-2.1: a scan commits per batch: a failure in the second batch keeps the first
! for h in 1 2 3 4 5; do cp -r "$FIX/inventory/root" "$T/r$h"; echo "5f3c0d2e8b1a4c6d9e7f0a1b2c3d4e5$h" >"$T/r$h/etc/machine-id"; "$PL" --db "$T/scan.db" --now 2026-01-10T00:00:00Z inventory collect --root "$T/r$h" --name "h$h" >/dev/null || exit 1; done
! "$PL" --db "$T/scan.db" --now 2026-01-10T00:00:00Z feed import "$FIX/match/tracker.json" >/dev/null
! "$PL" --db "$T/scan.db" --now 2026-01-10T00:00:00Z feed import "$FIX/match/kev.json" >/dev/null
! sqlite3 "$T/scan.db" "CREATE TRIGGER boom BEFORE INSERT ON findings WHEN (SELECT name FROM assets WHERE id = NEW.asset_id) = 'h4' BEGIN SELECT RAISE(ABORT, 'fault injected at h4'); END;"
$ --db $T/scan.db --now 2026-01-10T00:00:00Z scan --batch 2
? 1
2> patchline: scan: insert finding: fault injected at h4

### lock-2.1.1: ...h1 and h2 (the first batch) have their findings, h3 (in the failed batch) none
! test "$(sqlite3 "$T/scan.db" "SELECT group_concat(name) FROM (SELECT DISTINCT a.name FROM findings f JOIN assets a ON a.id = f.asset_id ORDER BY 1) AS x")" = "h1,h2"
! sqlite3 "$T/scan.db" "DROP TRIGGER boom"
$ --db $T/scan.db --now 2026-01-10T00:00:00Z scan --batch 2
>* 2 assets unchanged since their last scan
>* 20 open findings

### lock-2.2: --batch wants a number
$ --db $T/scan.db scan --batch many
? 2
2> --batch 'many': want a number of assets
