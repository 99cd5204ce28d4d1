# The synthetic estate (demo and benchmarks): deterministic, idempotent, real versions.

### synth-1.1: twenty assets from seed 7 with the bundled data
$ --db $DB --now 2026-11-29 inventory synthesize --assets 20 --seed 7
> synthetic estate: 20 assets (8 hosts, 6 cloud instances, 2 Kubernetes nodes, 4 container images), 13511 packages, 150 behind on a security update, 3 kernels behind

### synth-1.2: the same seed again changes nothing but last-seen
$ --db $DB --now 2026-11-30 inventory synthesize --assets 20 --seed 7
>* 20 assets

### synth-1.2.1: after the second run: still 20 assets and 13511 packages, seen on the 30th
! test "$(sqlite3 "$DB" 'select count(*) from assets')" = 20
! test "$(sqlite3 "$DB" 'select count(*) from packages')" = 13511
! test "$(sqlite3 "$DB" 'select count(*) from assets where last_seen = 1795996800')" = 20
$ --db $DB audit --limit 1 --format csv
>* inventory.synthesize

### synth-1.3: every synthetic host is Debian 12 with an owner, or listed without one
$ --db $DB assets --format csv
>* debian 12

### synth-1.4: a share outside 0..1 is a usage error
$ --db $DB inventory synthesize --behind 1.5
? 2
2> --behind: want a share between 0 and 1, not '1.5'

### synth-1.5: a missing base file is an error that names it and changes nothing
$ --db $DB inventory synthesize --assets 5 --base $T/absent
? 1
2> cannot open '$T/absent'
