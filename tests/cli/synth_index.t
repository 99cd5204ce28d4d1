# inventory synthesize --index: hosts from a binary package index (release + updates), with
# packages one update behind; the fixture is 47 real rows of Debian 12's index.

### synth-index-1.1: five hosts of 800..900 packages: the bundled base set plus packages of the index
$ --db $DB --now 2026-11-29 inventory synthesize --assets 5 --seed 3 --hosts-only --min-packages 800 --max-packages 900 --index $FIX/synth/index.tsv
> synthetic estate: 5 assets (5 hosts, 0 cloud instances, 0 Kubernetes nodes, 0 container images), 4105 packages, 5 behind on a security update, 2 kernels behind

### synth-index-1.2: a package whose update is newer runs it, or the release's version (one behind)
! test "$(sqlite3 "$DB" "select group_concat(version || '=' || n, ' ') from (select version, count(*) n from packages where name = 'openssl' group by 1 order by 1) as x")" = "3.0.20-1~deb12u2=1 3.0.22-1~deb12u2=4"
! test "$(sqlite3 "$DB" "select source_name || ' ' || source_version || ' ' || arch from packages where name = 'openssl' and version = '3.0.22-1~deb12u2' limit 1")" = "openssl 3.0.22-1~deb12u2 amd64"
$ --db $DB assets --format csv
>* ,debian 12,

### synth-index-1.3: the point release superseded the security archive (curl): everyone runs the newest
! test "$(sqlite3 "$DB" "select group_concat(v, ',') from (select distinct version as v from packages where name = 'curl' order by 1) as x")" = "7.88.1-10+deb12u15"
! test "$(sqlite3 "$DB" "select group_concat(v, ',') from (select distinct version as v from packages where name = 'libc6' order by 1) as x")" = "2.36-9+deb12u14"
$ --db $DB assets --format csv
>* ,debian 12,

### synth-index-1.4: one kernel per host: the newest image, or the one before it (2 of 5 behind)
! test "$(sqlite3 "$DB" "select group_concat(name || '=' || n, ' ') from (select name, count(*) n from packages where name like 'linux-image-%' group by 1 order by 1) as x")" = "linux-image-6.1.0-56-amd64=2 linux-image-6.1.0-57-amd64=3"
$ --db $DB assets --format csv
>* ,debian 12,

### synth-index-1.5: an architecture-independent package keeps its architecture
! test "$(sqlite3 "$DB" "select group_concat(v, ',') from (select distinct arch as v from packages where name = 'git-man' order by 1) as x")" = "all"
$ --db $DB assets --format csv
>* ,debian 12,

### synth-index-1.6: the same seed again changes nothing but last-seen
$ --db $DB --now 2026-11-30 inventory synthesize --assets 5 --seed 3 --hosts-only --min-packages 800 --max-packages 900 --index $FIX/synth/index.tsv
> synthetic estate: 5 assets (5 hosts, 0 cloud instances, 0 Kubernetes nodes, 0 container images), 4105 packages, 5 behind on a security update, 2 kernels behind
! test "$(sqlite3 "$DB" 'select count(*) from packages')" = 4105

### synth-index-2.1: --index and --security exclude each other
$ --db $DB inventory synthesize --index $FIX/synth/index.tsv --security $FIX/synth/index.tsv
? 2
2> --index and --security exclude each other

### synth-index-2.2: a file without the header is refused and nothing changes
! cp "$DB" "$T/before.db"
$ --db $DB inventory synthesize --assets 2 --index $FIX/synth/bad-header.tsv
? 1
2> '$FIX/synth/bad-header.tsv' line 1: want the header 'suite, package, version, architecture, source, source_version, ...' (tab-separated)
! test "$(sqlite3 "$DB" 'select count(*) from assets')" = 5

### synth-index-2.3: a row with five columns names its line
$ --db $DB inventory synthesize --assets 2 --index $FIX/synth/short-row.tsv
? 1
2> '$FIX/synth/short-row.tsv' line 2: want at least 6 columns

### synth-index-2.4: an invalid version names the line, the field and the value
$ --db $DB inventory synthesize --assets 2 --index $FIX/synth/bad-version.tsv
? 1
2> '$FIX/synth/bad-version.tsv' line 4: field 'source_version': not a dpkg version 'not a version!'

### synth-index-2.5: an upper-case package name is not a Debian name
$ --db $DB inventory synthesize --assets 2 --index $FIX/synth/bad-name.tsv
? 1
2> '$FIX/synth/bad-name.tsv' line 2: field 'package': not a Debian package name 'OpenSSL'

### synth-index-2.6: a 10 MB field is refused, its value cut in the message
! { head -1 "$FIX/synth/index.tsv"; printf 'bookworm\t'; head -c 10485760 /dev/zero | tr '\0' a; printf '\t1.0-1\tamd64\tx\t1.0-1\n'; } > "$T/huge.tsv"
$ --db $DB inventory synthesize --assets 2 --index $T/huge.tsv
? 1
2> '$T/huge.tsv' line 2: field 'package': not a Debian package name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'

### synth-index-2.7: binary garbage is not a text index
! head -c 4096 /dev/urandom > "$T/garbage.tsv"; printf '\0' >> "$T/garbage.tsv"
$ --db $DB inventory synthesize --assets 2 --index $T/garbage.tsv
? 1
2> garbage.tsv

### synth-index-2.8: a truncated xz index is an error naming the file
! xz -c "$FIX/synth/index.tsv" | head -c 200 > "$T/trunc.tsv.xz"
$ --db $DB inventory synthesize --assets 2 --index $T/trunc.tsv.xz
? 1
2> trunc.tsv.xz

### synth-index-2.9: Latin-1 bytes in a name (wrong encoding) are refused
! { head -1 "$FIX/synth/index.tsv"; printf 'bookworm\tcaf\xe9\t1.0-1\tamd64\tcafe\t1.0-1\n'; } > "$T/latin1.tsv"
$ --db $DB inventory synthesize --assets 2 --index $T/latin1.tsv
? 1
2> line 2: field 'package': not a Debian package name

### synth-index-2.10: a header and no rows
! head -1 "$FIX/synth/index.tsv" > "$T/empty.tsv"
$ --db $DB inventory synthesize --assets 2 --index $T/empty.tsv
? 1
2> '$T/empty.tsv': no packages

### synth-index-2.11: a missing index names it; after every refusal the store is as before
$ --db $DB inventory synthesize --assets 2 --index $T/absent.tsv
? 1
2> cannot open '$T/absent.tsv'
! test "$(sqlite3 "$DB" 'select count(*) from packages')" = 4105
