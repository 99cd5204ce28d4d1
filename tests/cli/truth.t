# One truth per asset (issue 12): observations with provenance, precedence,
# conflicts, pins, banners kept, managed, merge and split, the CMDB export.
# The Debian 12 fixture host `fixhost` (tests/fixtures/inventory/root) with the
# tracker and KEV of tests/fixtures/match, and tests/fixtures/truth.

### truth-1.1: host collection then a CMDB row saying only "Debian GNU/Linux": the same findings as collection alone
! cp -r "$FIX/inventory/root" "$T/root"
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory collect --root "$T/root" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import "$FIX/match/tracker.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z feed import "$FIX/match/kev.json" >/dev/null
! "$PL" --db "$DB" --now 2026-01-10T00:00:00Z inventory import "$FIX/truth/cmdb.csv" >/dev/null
$ --db $DB --now 2026-01-10T00:00:00Z scan
>* 4 open findings (4 provisional); 0 package-removed, 0 asset-retired, 0 no longer matched but not proven fixed (left open)

### truth-1.2: re-importing the CMDB after a scan leaves nothing "no longer matched"
! "$PL" --db "$DB" --now 2026-01-10T01:00:00Z inventory import "$FIX/truth/cmdb.csv" >/dev/null
$ --db $DB --now 2026-01-10T01:00:00Z scan
>* 4 open findings (4 provisional); 0 package-removed, 0 asset-retired, 0 no longer matched but not proven fixed (left open)

### truth-1.3: assets show: each attribute's effective value, its source, date and import, and the losers
$ --db $DB --now 2026-01-10T01:00:00Z assets show fixhost
>* os               debian 12 (bookworm)  local   2026-01-10T00:00:00Z  1       effective
>* os               Debian GNU/Linux      cmdb    2026-01-10T01:00:00Z  3       lost
>* owner            team-web              cmdb    2026-01-10T01:00:00Z  3       effective
>* environment      prod                  cmdb    2026-01-10T01:00:00Z  3       effective

### truth-1.4: ... and as JSON
$ --db $DB --now 2026-01-10T01:00:00Z --format json assets show fixhost
>*     "os": {"effective": {"value": "debian 12 (bookworm)", "source": "local", "observed_at": "2026-01-10T00:00:00Z", "import": 1, "rank": 1, "status": "effective"}, "losing": [{"value": "Debian GNU/Linux", "source": "cmdb", "observed_at": "2026-01-10T01:00:00Z", "import": 3, "rank": 5, "status": "lost"}]},

### truth-2.1: two specific OSes that disagree are a conflict: listed, named by scan, matched with the winner
! "$PL" --db "$DB" --now 2026-01-10T02:00:00Z inventory import "$FIX/truth/cmdb-ubuntu.csv" >/dev/null
$ --db $DB --now 2026-01-10T02:00:00Z assets --conflicts --format csv
>* 1,fixhost,host,prod,team-web,unknown,debian 12,5,2026-01-10T02:00:00Z,2024-03-05T08:00:42Z

### truth-2.2: scan names the conflict and keeps every finding
$ --db $DB --now 2026-01-10T02:00:00Z scan
>* 4 open findings
2> warning: conflict: asset fixhost (1): sources disagree on the OS (local: debian 12 (bookworm); cmdb: Ubuntu 22.04); matched as debian 12

### truth-2.3: assets set pins the OS (source curated, audited)
$ --db $DB --now 2026-01-10T03:00:00Z assets set fixhost os="debian 12 bookworm"
> asset 1 updated

### truth-2.4: the pin is audited and settles the conflict
! test "$(sqlite3 "$DB" "SELECT detail FROM audit_events WHERE action = 'asset.set' ORDER BY id DESC LIMIT 1")" = "os=debian 12 bookworm"
$ --db $DB assets --conflicts
> id  name  kind  env  owner  exposure  os  packages  last_seen  last_patched

### truth-2.5: an OS that names no OS is refused
$ --db $DB assets set fixhost os=Linux/UNIX
? 2
2> field 'os': 'Linux/UNIX' names no OS

### truth-3.1: a precedence file: bad lines name the file and line, nothing changed
! printf 'os: curated > cmdb\nsize: local\n' >"$T/bad-prec"
$ --db $DB assets precedence $T/bad-prec
? 1
2> $T/bad-prec:2: unknown attribute 'size'

### truth-3.2: a precedence file ranking the CMDB above host collection: every asset is resolved again
! printf 'os: curated > cmdb > local\nmax-age: 10\n' >"$T/prec"
! "$PL" --db "$DB" assets set fixhost os= >/dev/null
$ --db $DB assets precedence $T/prec
> precedence $T/prec loaded; every asset resolved again

### truth-3.3: ...the CMDB's OS wins now; back to the defaults, host collection wins again
! "$PL" --db "$DB" assets --format csv | grep -q ',Ubuntu 22.04,'
! "$PL" --db "$DB" assets precedence --default >/dev/null
$ --db $DB assets --format csv
>* ,debian 12,

### truth-4.1: an Nmap scan without -sV keeps the banners of an earlier -sV scan with their date; an unseen port is closed
! "$PL" --db "$T/n.db" --now 2026-01-01T00:00:00Z inventory import "$FIX/truth/nmap-sv.xml" >/dev/null
! "$PL" --db "$T/n.db" --now 2026-01-08T00:00:00Z inventory import "$FIX/truth/nmap-plain.xml" >/dev/null
$ --db $T/n.db assets show fixhost
>* tcp       22    open    ssh      OpenSSH  9.2p1 Debian 2+deb12u2  2026-01-01T00:00:00Z  nmap    -
>* tcp       80    closed  http     nginx    1.22.1                  2026-01-01T00:00:00Z  nmap    2026-01-08T00:00:00Z

### truth-5.1: managed means patchable: an asset only Nmap saw is unmanaged, a collected one is not
! cp -r "$FIX/inventory/root" "$T/root5" && echo web-7 >"$T/root5/etc/hostname" && echo 0123456789abcdef0123456789abcdef >"$T/root5/etc/machine-id"
! "$PL" --db "$T/n.db" --now 2026-01-08T00:00:00Z inventory collect --root "$T/root5" >/dev/null
$ --db $T/n.db assets --unmanaged
> id  name     kind  env  owner  exposure  os  packages  last_seen             last_patched
> 1   fixhost  host  -    -      unknown   -   0         2026-01-08T00:00:00Z  -

### truth-6.1: merge keeps every observation, owner included...
! "$PL" --db "$T/m.db" --now 2026-01-10T00:00:00Z inventory collect --root "$T/root5" >/dev/null
! "$PL" --db "$T/m.db" --now 2026-01-10T00:00:00Z inventory import "$FIX/truth/cmdb.csv" >/dev/null
! "$PL" --db "$T/m.db" --now 2026-01-10T00:00:00Z assets merge web-7 fixhost >/dev/null
$ --db $T/m.db assets
> id  name   kind  env   owner     exposure  os         packages  last_seen             last_patched
> 1   web-7  host  prod  team-web  unknown   debian 12  5         2026-01-10T00:00:00Z  2024-03-05T08:00:42Z

### truth-6.2: ...and split gives them back
! "$PL" --db "$T/m.db" --now 2026-01-10T00:00:00Z assets split web-7 cmdb >/dev/null
$ --db $T/m.db assets
> id  name     kind  env   owner     exposure  os                packages  last_seen             last_patched
> 3   fixhost  host  prod  team-web  unknown   Debian GNU/Linux  0         2026-01-10T00:00:00Z  -
> 1   web-7    host  -     -         unknown   debian 12         5         2026-01-10T00:00:00Z  2024-03-05T08:00:42Z

### truth-7.1: inventory export carries last patched and the outstanding vulnerabilities (open per tier, overdue)
$ --db $DB --now 2026-01-12T00:00:00Z inventory export
>* name,kind,owner,environment,criticality,exposure,exposure_evidence,os_family,os,os_version,fqdn,hostname,ip,mac,cloud_id,serial,scope,tags,last_patched,open_tier0,open_tier1,open_tier2,open_tier3,open_tier4,open_unscored,overdue
>* ,2024-03-05T08:00:42Z,1,0,1,1,0,1,1

### truth-7.2: ...also as JSON
$ --db $DB --now 2026-01-12T00:00:00Z --format json inventory export
>* "last_patched": "2024-03-05T08:00:42Z", "open_tier0": 1, "open_tier1": 0, "open_tier2": 1, "open_tier3": 1, "open_tier4": 0, "open_unscored": 1, "overdue": 1}

### truth-8.1: 12 seeded orders of the seven sources (host collection, CMDB, EC2, SSM, Nmap, Nessus, Shodan), scan after each: one asset, the findings of collection alone, identical tiers and due dates
! bash "$FIX/truth/orders.sh"
! test "$(sort -u "$T/orders.txt" | wc -l)" = 12
! for n in 1 2 3 4 5 6 7 8 9 10 11 12; do cmp "$T/alone.csv" "$T/match-$n.csv" || exit 1; cmp "$T/order-1.csv" "$T/order-$n.csv" || exit 1; done
! test "$(wc -l <"$T/alone.csv")" = 4
! grep -q '^CVE-2026-1004,openssl,3.0.11-1~deb12u2,no fix (postponed),0,' "$T/order-12.csv"
$ --db $T/order-12.db --now 2026-01-11T00:00:00Z assets --format csv
>* fixhost

### truth-8.1.1: ...one finding of CVE-2026-1004 in every order: Nessus's report without a package is a witness of Patchline's finding, never a second finding
! for n in 1 2 3 4 5 6 7 8 9 10 11 12; do test "$(grep -c '^CVE-2026-1004,' "$T/order-$n.csv")" = 1 || exit 1; ! grep -q '^CVE-2026-1004,,' "$T/order-$n.csv" || exit 1; cmp "$T/witness-1.txt" "$T/witness-$n.txt" || exit 1; done
! grep -qx "  match      Patchline's matching of the inventory (first seen 2026-01-10T00:00:00Z)" "$T/witness-1.txt"
! grep -q '^  nessus open (on the host, no package named), first reported 2026-01-10T00:00:00Z' "$T/witness-1.txt"
! for n in 1 2 3 4 5 6 7 8 9 10 11 12; do test "$("$PL" --db "$T/order-$n.db" findings --format csv | grep -c ',fixhost,CVE-2026-1004,')" = 1 || exit 1; done
$ --db $T/order-7.db --now 2026-01-11T00:00:00Z findings --format csv
>* ,fixhost,CVE-2026-1004,openssl,3.0.11-1~deb12u2,3.0.11-1~deb12u3,

### truth-8.2: ...a fix published after the imports is found in every order, as with collection alone
! for n in 1 2 3 4 5 6 7 8 9 10 11 12; do cmp "$T/later-alone.csv" "$T/later-$n.csv" || exit 1; done
! grep -qx 'CVE-2026-1004,openssl,3.0.11-1~deb12u2,3.0.11-1~deb12u3' "$T/later-alone.csv"
! grep -qx 'CVE-2026-1010,bash,5.2.15-2+b2,5.2.15-4' "$T/later-alone.csv"
$ --db $T/order-7.db --now 2026-01-11T00:00:00Z findings --format csv
>* ,fixhost,CVE-2026-1010,bash,5.2.15-2+b2,5.2.15-4,

### truth-9.1: the report's coverage counts assets without a package inventory (unassessed) apart
$ --db $T/m.db --now 2026-01-12T00:00:00Z report --format csv
>* coverage,unassessed,,1
>* coverage,disputed,,0

### truth-9.2: ...and disputed findings apart, in every format
! sqlite3 "$DB" "UPDATE findings SET status = 'disputed' WHERE id = (SELECT min(id) FROM findings)"
$ --db $DB --now 2026-01-12T00:00:00Z report --format md
>* Unassessed: 0 known assets have no package inventory (never counted as clean). Disputed: 1 findings
