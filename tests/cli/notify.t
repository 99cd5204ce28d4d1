# signed webhooks (issue 18, item 5): notifiers, the outbox written with the
# change that causes an event, delivery to real receivers on loopback
# (tests/cli/notify_receiver.py checks every signature with python's hmac
# module), retries with back-off and giving up. The estate and feeds are
# scan.t's: one Debian host, a tracker file and a one-entry KEV catalogue, so
# the scan opens one Tier 0 finding (CVE-2026-1004, due 24 hours after the scan).

### notify-1.1: a notifier: the URL, the secret from a 0600 file, every event by default
! cp -r "$FIX/inventory/root" "$T/root"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory collect --root "$T/root" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import "$FIX/match/tracker.json" "$FIX/match/kev.json" >/dev/null
! printf 'a-shared-webhook-secret-0123456789\n' >"$T/secret" && chmod 600 "$T/secret"
! python3 "$FIX/../cli/notify_receiver.py" "$T/port1" "$T/secret" "$T/log1" >/dev/null 2>&1 &
! python3 "$FIX/../cli/notify_receiver.py" "$T/port2" "$T/secret" "$T/log2" --fail-first 1 >/dev/null 2>&1 &
! for i in $(seq 100); do [ -s "$T/port1" ] && [ -s "$T/port2" ] && break; sleep 0.1; done; [ -s "$T/port1" ]
$ --db $DB --now 2026-01-10T00:00:00Z notify add http://127.0.0.1:$(cat $T/port1)/hook --secret-file $T/secret
> notifier 1 added: tier0-opened,sla-breached,approval-waiting,exception-expiring

### notify-1.2: plain http off loopback is refused, and nothing is added
$ --db $DB --now 2026-01-10T00:00:00Z notify add http://hooks.example.org/hook --secret-file $T/secret
? 2
2> patchline: notify add: URL: want https (plain http only to a loopback address)

### notify-1.3: a secret file others may read is refused
! printf 'another-shared-secret-0123456789\n' >"$T/open-secret" && chmod 644 "$T/open-secret"
$ --db $DB --now 2026-01-10T00:00:00Z notify add https://hooks.example.org/hook --secret-file $T/open-secret
? 2
2> --secret-file '$T/open-secret': want a regular file readable by its owner only (chmod 600)

### notify-1.4: an unknown event exits 2
$ --db $DB --now 2026-01-10T00:00:00Z notify add https://hooks.example.org/hook --secret-file $T/secret --event tier0-opened,tier9
? 2
2> unknown event 'tier9'

### notify-1.5: the secret read from standard input; the list never shows a secret, and a read writes nothing
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z notify add "http://127.0.0.1:$(cat "$T/port2")/hook" --secret-file - --event approval-waiting >/dev/null <"$T/secret"
! cp "$DB" "$T/before.db"
$ --db $DB notify list --format csv
>* id,url,events,status,waiting,delivered,dead,created,created_by
>* /hook,"tier0-opened,sla-breached,approval-waiting,exception-expiring",live,0,0,0,2026-01-10T00:00:00Z,
>* ,approval-waiting,live,0,0,0,2026-01-10T00:00:00Z,

### notify-1.6: ...nothing changed; neither the list, the audit log nor the store's rows hold the secret or its hex (it is sealed)
! cmp "$DB" "$T/before.db"
! ! "$PL" --db "$DB" notify list | grep -qF "a-shared-webhook-secret"
! ! "$PL" --db "$DB" audit export | grep -qiF "$(printf 'a-shared-webhook-secret-0123456789' | od -An -tx1 | tr -d ' \n')"
! ! "$PL" --db "$DB" audit export | grep -qF "a-shared-webhook-secret"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM notifiers WHERE secret LIKE 'v1:%' AND length(secret) > 100")" = "2"
! ! sqlite3 "$DB" "SELECT secret FROM notifiers" | grep -qiF "$(printf 'a-shared-webhook-secret-0123456789' | od -An -tx1 | tr -d ' \n')"
! ! sqlite3 "$DB" "SELECT url, secret FROM notifiers" | grep -qF "a-shared-webhook-secret"
$ --db $DB audit export
>* "action":"notify.add","object":"notifier 1"
>* "action":"notify.add","object":"notifier 2"

### notify-2.1: the scan that opens a Tier 0 finding enqueues its event in the same commit
! "$PL" --db "$DB" --now 2026-01-10T00:01:00Z scan >/dev/null 2>&1
$ --db $DB notify list --format csv
>* /hook,"tier0-opened,sla-breached,approval-waiting,exception-expiring",live,1,0,0,

### notify-2.2: delivery: the receiver checks the HMAC and gets the event once
$ --db $DB --now 2026-01-10T00:02:00Z notify deliver
> 0 events enqueued, 1 delivered, 0 to retry, 0 given up

### notify-2.3: the receiver verified it; a second delivery sends nothing again
! grep -qx 'ok tier0-opened tier0-opened:finding:4:0 finding:4' "$T/log1"
$ --db $DB --now 2026-01-10T00:03:00Z notify deliver
> 0 events enqueued, 0 delivered, 0 to retry, 0 given up

### notify-3.1: an exception request enqueues "approval waiting" for both notifiers
! "$PL" --db "$DB" --now 2026-01-10T01:00:00Z exception add --type waf-rule --finding 4 --justification "rule 942100" --expires 30d >/dev/null
$ --db $DB --now 2026-01-10T01:00:00Z notify deliver
> 0 events enqueued, 1 delivered, 1 to retry, 0 given up

### notify-3.2: the second receiver refused it; it waits for its back-off (a minute)...
! [ "$(wc -l <"$T/log1")" -eq 2 ]
! grep -qx 'ok approval-waiting approval-waiting:exception:1 exception:1' "$T/log1"
! grep -qx 'refused approval-waiting approval-waiting:exception:1' "$T/log2"
$ --db $DB --now 2026-01-10T01:00:30Z notify deliver
> 0 events enqueued, 0 delivered, 0 to retry, 0 given up

### notify-3.3: ...then is retried and delivered, with the same event id
$ --db $DB --now 2026-01-10T01:01:00Z notify deliver
> 0 events enqueued, 1 delivered, 0 to retry, 0 given up

### notify-4.1: time passes: the Tier 0 finding misses its due date (2026-01-11T00:01Z): an SLA breach
! grep -qx 'ok approval-waiting approval-waiting:exception:1 exception:1' "$T/log2"
$ --db $DB --now 2026-01-11T12:00:00Z notify deliver
> 1 events enqueued, 1 delivered, 0 to retry, 0 given up

### notify-5.1: a receiver that never answers: retried with back-off, given up after 8 attempts
! grep -qx 'ok sla-breached sla-breached:finding:4:1768089660 finding:4' "$T/log1"
! "$PL" --db "$DB" --now 2026-01-11T12:00:00Z notify add http://127.0.0.1:1/hook --secret-file "$T/secret" --event approval-waiting >/dev/null
! "$PL" --db "$DB" --now 2026-01-11T12:10:00Z exception add --type waf-rule --finding 3 --justification "rule 942101" --expires 30d >/dev/null
! base=$(date -u -d 2026-01-11T12:10:00Z +%s); for s in 0 60 180 420 900 1860 3780; do "$PL" --db "$DB" --now "$(date -u -d "@$((base + s))" +%Y-%m-%dT%H:%M:%SZ)" notify deliver >/dev/null || exit 1; done
$ --db $DB --now 2026-01-11T14:17:00Z notify deliver
> 0 events enqueued, 0 delivered, 0 to retry, 1 given up

### notify-5.2: the list shows it dead; the receivers got exception 2 once each, every signature good
! grep -qx 'ok approval-waiting approval-waiting:exception:2 exception:2' "$T/log1"
! [ "$(grep -c 'exception:2' "$T/log2")" -eq 1 ]
! ! grep -q 'bad-signature\|stale-timestamp\|duplicate' "$T/log1" "$T/log2"
$ --db $DB notify list --format csv
>* http://127.0.0.1:1/hook,approval-waiting,live,0,0,1,2026-01-11T12:00:00Z,

### notify-6.1: remove: the notifier takes no more events
$ --db $DB --now 2026-01-11T14:20:00Z notify remove 2
> notifier 2 removed

### notify-6.2: removing it again names it
$ --db $DB --now 2026-01-11T14:21:00Z notify remove 2
? 1
2> patchline: notify remove: no notifier 2

### notify-7.1: once users exist, notifiers are an admin's: an operator is refused
! "$PL" --db "$DB" --now 2026-01-11T14:22:00Z user add olga --role operator >/dev/null
! "$PL" --db "$DB" --now 2026-01-11T14:22:00Z token create olga | tail -n 1 >"$T/olga.tok"
= PATCHLINE_TOKEN=$(cat $T/olga.tok)
$ --db $DB --now 2026-01-11T14:23:00Z notify add https://hooks.example.org/hook --secret-file $T/secret
? 1
2> may not administer users and tokens: it needs the role admin

### notify-7.2: ...but may deliver (an operator's work)
= PATCHLINE_TOKEN=$(cat $T/olga.tok)
$ --db $DB --now 2026-01-11T14:24:00Z notify deliver
> 0 events enqueued, 0 delivered, 0 to retry, 0 given up

### notify-7.3: an approved exception that expires within 7 days is announced once
! "$PL" --db "$DB" --now 2026-01-11T14:25:00Z user add ann --role approver >/dev/null
! "$PL" --db "$DB" --now 2026-01-11T14:25:00Z token create ann | tail -n 1 >"$T/ann.tok"
! PATCHLINE_TOKEN=$(cat "$T/ann.tok") "$PL" --db "$DB" --now 2026-01-11T14:30:00Z exception approve 1 >/dev/null
! "$PL" --db "$DB" --now 2026-02-01T00:00:00Z notify deliver | grep -qx '0 events enqueued, 0 delivered, 0 to retry, 0 given up'
$ --db $DB --now 2026-02-03T00:00:00Z notify deliver
> 1 events enqueued, 1 delivered, 0 to retry, 0 given up

### notify-7.4: the receiver got it, with the exception's expiry in its id
! grep -qx 'ok exception-expiring exception-expiring:exception:1:1770598800 exception:1' "$T/log1"
$ --db $DB --now 2026-02-04T00:00:00Z notify deliver
> 0 events enqueued, 0 delivered, 0 to retry, 0 given up

### notify-8.1: a real store refuses a delivery at another time (--now serves reads only)
sqlite-only: a second store file beside the test's
! "$PL" --db "$T/real.db" init >/dev/null
$ --db $T/real.db --now 2026-01-10T00:00:00Z notify deliver
? 2
2> notify deliver

### notify-8.2: a plan whose waves wait for approval enqueues "approval waiting" with its build (plan.t's estate)
! "$PL" --db "$T/plan.db" --now 2026-03-02T11:00:00Z init >/dev/null && sqlite3 "$T/plan.db" <"$FIX/plan/assets.sql" && sqlite3 "$T/plan.db" <"$FIX/plan/findings.sql"
! "$PL" --db "$T/plan.db" --now 2026-03-02T12:00:00Z notify add "http://127.0.0.1:$(cat "$T/port1")/hook" --secret-file "$T/secret" --event approval-waiting >/dev/null
! TZDIR="$FIX/cron/zoneinfo" "$PL" --db "$T/plan.db" --now 2026-03-02T13:00:00Z plan --plan "$FIX/plan/manual.yaml" --horizon 3d >/dev/null
$ --db $T/plan.db --now 2026-03-02T13:05:00Z notify deliver
> 0 events enqueued, 1 delivered, 0 to retry, 0 given up

### notify-9.1: the receivers stop
! grep -qx 'ok approval-waiting approval-waiting:plan:1 plan:1' "$T/log1"
! touch "$T/port1.stop" "$T/port2.stop"
$ --db $DB notify list --format csv
>* ,approval-waiting,removed,0,2,0,
