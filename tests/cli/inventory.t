# inventory collect, assets and packages (issue 2 item 7), on a fixture root
# built from tests/fixtures/inventory/root (dpkg status, os-release, logs).

### inv-1.1: the first collect creates the asset with its packages
! cp -r "$FIX/inventory/root" "$T/root"
$ --db $DB --now 2026-01-01T00:00:00Z inventory collect --root $T/root
> asset 1 created: 5 dpkg packages, 5 added, 0 updated, 0 removed

### inv-1.2: collecting again changes no package
$ --db $DB --now 2026-01-02T00:00:00Z inventory collect --root $T/root
> asset 1 updated: 5 dpkg packages, 0 added, 0 updated, 0 removed

### inv-1.3: ...and only last_seen moved (packages keep their first_seen)
! test "$(sqlite3 "$DB" 'SELECT min(first_seen), max(first_seen), count(*) FROM packages')" = "1767225600|1767225600|5"
! test "$(sqlite3 "$DB" 'SELECT first_seen, last_seen FROM asset_sources')" = "1767225600|1767312000"
$ --db $DB assets --format csv
>* 1,fixhost,host,,,unknown,debian 12,5,2026-01-02T00:00:00Z,2024-03-05T08:00:42Z

### inv-1.4: the stored facts of the host
$ --db $DB assets --format json
> [
>   {"id": 1, "name": "fixhost", "kind": "host", "env": null, "owner": null, "exposure": "unknown", "os": "debian 12", "packages": 5, "last_seen": "2026-01-02T00:00:00Z", "last_patched": "2024-03-05T08:00:42Z"}
> ]
! test "$(sqlite3 "$DB" 'SELECT os_family, os_name, os_version, os_codename, arch, CASE WHEN kernel IS NULL THEN 1 ELSE 0 END, reboot_required FROM assets')" = "debian|debian|12|bookworm|amd64|1|0"

### inv-1.5: packages by name, with multi-arch rows and source packages
$ --db $DB packages fixhost
> name     version           arch   source   source_version    ecosystem
> bash     5.2.15-2+b2       amd64  bash     5.2.15-2          dpkg
> dpkg     1.21.22           amd64  dpkg     1.21.22           dpkg
> libc6    2.36-9+deb12u4    amd64  glibc    2.36-9+deb12u4    dpkg
> libc6    2.36-9+deb12u4    i386   glibc    2.36-9+deb12u4    dpkg
> openssl  3.0.11-1~deb12u2  amd64  openssl  3.0.11-1~deb12u2  dpkg

### inv-1.6: every collect is audited with its counts
$ --db $DB audit --format csv --limit 2
>* ,inventory.collect,fixhost,"asset 1: 5 dpkg packages, 5 added, 0 updated, 0 removed"
>* ,inventory.collect,fixhost,"asset 1: 5 dpkg packages, 0 added, 0 updated, 0 removed"

### inv-2.1: a removed package disappears, an upgraded one is updated
! mkdir -p "$T/root/run" && touch "$T/root/run/reboot-required"
! sed -i '/^Package: bash$/,/^$/d' "$T/root/var/lib/dpkg/status"
! sed -i 's/^Version: 1.21.22$/Version: 1.21.23/' "$T/root/var/lib/dpkg/status"
$ --db $DB --now 2026-01-03T00:00:00Z inventory collect --root $T/root
> asset 1 updated: 4 dpkg packages, 0 added, 1 updated, 1 removed

### inv-2.2: ...as the listing shows
$ --db $DB packages 1
> name     version           arch   source   source_version    ecosystem
> dpkg     1.21.23           amd64  dpkg     1.21.23           dpkg
> libc6    2.36-9+deb12u4    amd64  glibc    2.36-9+deb12u4    dpkg
> libc6    2.36-9+deb12u4    i386   glibc    2.36-9+deb12u4    dpkg
> openssl  3.0.11-1~deb12u2  amd64  openssl  3.0.11-1~deb12u2  dpkg
! test "$(sqlite3 "$DB" 'SELECT reboot_required FROM assets')" = "1"

### inv-3.1: bad input is an error naming file, line and field, and changes nothing
! cp -r "$FIX/inventory/root" "$T/bad" && printf '\nPackage: x\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1 2\n' >>"$T/bad/var/lib/dpkg/status"
$ --db $DB inventory collect --root $T/bad
? 1
2> patchline: inventory collect: $T/bad/var/lib/dpkg/status:64: field 'Version': contains a blank

### inv-3.2: ...nothing was stored
! test "$(sqlite3 "$DB" 'SELECT count(*) FROM packages')" = "4"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM audit_events WHERE action = 'inventory.collect'")" = "3"
$ --db $DB assets --format csv
>* 1,fixhost,host,,,unknown,debian 12,4,2026-01-03T00:00:00Z,

### inv-3.3: binary garbage in os-release is refused
! cp -r "$FIX/inventory/root" "$T/garbage" && printf '\177ELF\002\001\001\000\000\000\n' >"$T/garbage/etc/os-release"
$ --db $DB inventory collect --root $T/garbage
? 1
2> patchline: inventory collect: $T/garbage/etc/os-release:1: NUL byte (binary data?)

### inv-3.4: a root that does not exist
$ --db $DB inventory collect --root $T/nope
? 1
2> patchline: inventory collect: --root '$T/nope': not a folder

### inv-3.5: a root without a package database
! mkdir -p "$T/empty/etc" && echo empty >"$T/empty/etc/hostname"
$ --db $DB inventory collect --root $T/empty
? 1
2> no package database under '$T/empty' (looked for var/lib/dpkg/status, lib/apk/db/installed, var/lib/rpm)

### inv-3.6: a root without a hostname needs --name
! mkdir -p "$T/nohost/var/lib/dpkg" && cp "$FIX/dpkg/status" "$T/nohost/var/lib/dpkg/"
$ --db $DB inventory collect --root $T/nohost
? 2
2> no etc/hostname under '$T/nohost'; give --name

### inv-3.7: --name rejects control characters
$ --db $DB inventory collect --root $T/nohost --name "$(printf 'a\tb')"
? 2
2> --name: want a name without blanks or control characters, at most 256 bytes

### inv-4.1: another machine (other machine-id) with the same hostname is another asset
! cp -r "$FIX/inventory/root" "$T/twin" && echo 00000000000000000000000000000001 >"$T/twin/etc/machine-id"
$ --db $DB --now 2026-01-04T00:00:00Z inventory collect --root $T/twin
> asset 2 created: 5 dpkg packages, 5 added, 0 updated, 0 removed

### inv-4.2: so the name is ambiguous; an id still works
$ --db $DB packages fixhost
? 1
2> patchline: packages: asset name 'fixhost' is ambiguous (ids 1, 2); give an id

### inv-4.3: an unknown asset
$ --db $DB packages nosuch
? 1
2> patchline: packages: no asset 'nosuch' (give an id or a name)

### inv-4.4: --name names the asset
$ --db $DB --now 2026-01-05T00:00:00Z inventory collect --root $T/nohost --name builder
> asset 3 created: 5 dpkg packages, 5 added, 0 updated, 0 removed

### inv-4.5: assets lists them all by name
$ --db $DB assets --format json
> [
>   {"id": 3, "name": "builder", "kind": "host", "env": null, "owner": null, "exposure": "unknown", "os": null, "packages": 5, "last_seen": "2026-01-05T00:00:00Z", "last_patched": null},
>   {"id": 1, "name": "fixhost", "kind": "host", "env": null, "owner": null, "exposure": "unknown", "os": "debian 12", "packages": 4, "last_seen": "2026-01-03T00:00:00Z", "last_patched": "2024-03-05T08:00:42Z"},
>   {"id": 2, "name": "fixhost", "kind": "host", "env": null, "owner": null, "exposure": "unknown", "os": "debian 12", "packages": 5, "last_seen": "2026-01-04T00:00:00Z", "last_patched": "2024-03-05T08:00:42Z"}
> ]

### inv-5.1: packages needs exactly one asset
$ --db $DB packages
? 2
2> missing ASSET

### inv-5.2: inventory without a subcommand lists its subcommands
$ inventory
? 2
2> collect

### inv-6.1: an Alpine root (apk installed database)
! mkdir -p "$T/alpine/lib/apk/db" "$T/alpine/etc" && cp "$FIX/apk/installed" "$T/alpine/lib/apk/db/installed" && cp "$FIX/osrelease/alpine318" "$T/alpine/etc/os-release" && echo alp1 >"$T/alpine/etc/hostname"
$ --db $T/apk.db --now 2026-02-01T00:00:00Z inventory collect --root $T/alpine
> asset 1 created: 4 apk packages, 4 added, 0 updated, 0 removed

### inv-6.2: ...its packages, with origins as source packages
$ --db $T/apk.db packages alp1
> name                    version    arch    source                  source_version  ecosystem
> alpine-baselayout-data  3.4.3-r2   x86_64  alpine-baselayout-data  3.4.3-r2        apk
> apk-tools               2.14.0-r5  x86_64  apk-tools               2.14.0-r5       apk
> libcrypto3              3.1.4-r5   x86_64  openssl                 3.1.4-r5        apk
> musl                    1.2.4-r2   x86_64  musl                    1.2.4-r2        apk
! test "$(sqlite3 "$T/apk.db" 'SELECT os_family, os_name, os_version, arch, reboot_required IS NULL, last_patched IS NULL FROM assets')" = "alpine|alpine|3.18.4|x86_64|1|1"

### inv-7.1: a Rocky root with a real rpm database (built with rpmbuild and rpm --justdb)
! mkdir -p "$T/rb/SPECS" "$T/rocky/etc" && printf 'Name: pl-tiny\nVersion: 1.2.3\nRelease: 4.el9\nEpoch: 2\nSummary: t\nLicense: MIT\nBuildArch: noarch\n%%description\nTiny.\n%%files\n' >"$T/rb/SPECS/tiny.spec"
! rpmbuild --define "_topdir $T/rb" -bb "$T/rb/SPECS/tiny.spec" >/dev/null 2>&1
! test "$T/rocky" != / && rpm --root "$T/rocky" --dbpath /var/lib/rpm --initdb && rpm --root "$T/rocky" --dbpath /var/lib/rpm -i --nodeps --justdb "$T/rb/RPMS/noarch/pl-tiny-1.2.3-4.el9.noarch.rpm" 2>/dev/null
! cp "$FIX/osrelease/rocky9" "$T/rocky/etc/os-release" && echo rocky1 >"$T/rocky/etc/hostname"
$ --db $T/rpm.db --now 2026-02-01T00:00:00Z inventory collect --root $T/rocky
> asset 1 created: 1 rpm packages, 1 added, 0 updated, 0 removed

### inv-7.2: ...epoch in the version, the source rpm as source package
$ --db $T/rpm.db packages rocky1 --format json
> [
>   {"name": "pl-tiny", "version": "2:1.2.3-4.el9", "arch": "noarch", "source": "pl-tiny", "source_version": "1.2.3-4.el9", "ecosystem": "rpm"}
> ]
! test "$(sqlite3 "$T/rpm.db" 'SELECT os_family, os_name, os_version, arch, reboot_required IS NULL, last_patched > 0 FROM assets -- noarch only: arch unknown')" = "rhel|rocky|9.3||1|1"

### inv-7.3: an rpm database without the rpm program is a clear error
= PATH=/nonexistent
$ --db $T/rpm.db inventory collect --root $T/rocky
? 1
2> patchline: inventory collect: this system has an rpm database but the 'rpm' program is not installed (install the rpm package)

### inv-8.1: symbolic links in a root resolve inside it, as in a chroot
! mkdir -p "$T/img/etc" "$T/img/usr/lib" "$T/img/var/lib/dpkg" && cp "$FIX/dpkg/status" "$T/img/var/lib/dpkg/status"
! cp "$FIX/osrelease/alpine318" "$T/img/usr/lib/os-release" && ln -s /usr/lib/os-release "$T/img/etc/os-release"
! echo img1 >"$T/img/etc/img-hostname" && ln -s ../../../../../etc/img-hostname "$T/img/etc/hostname"
! ln -s /run "$T/img/var/run" && mkdir -p "$T/img/run"
$ --db $T/img.db inventory collect --root $T/img
> asset 1 created: 5 dpkg packages, 5 added, 0 updated, 0 removed

### inv-8.2: ...so the image's own os-release, hostname and run/ were read
! test "$(sqlite3 "$T/img.db" 'SELECT name, os_name, os_version, reboot_required FROM assets')" = "img1|alpine|3.18.4|0"
$ --db $T/img.db packages img1 --format csv
>* libc6,2.36-9+deb12u4,i386,glibc,2.36-9+deb12u4,dpkg

### inv-8.3: a symbolic link loop is an error
! mkdir -p "$T/loop/etc" "$T/loop/var/lib/dpkg" && cp "$FIX/dpkg/status" "$T/loop/var/lib/dpkg/status" && echo loop >"$T/loop/etc/hostname" && ln -s os-release "$T/loop/etc/os-release"
$ --db $T/img.db inventory collect --root $T/loop
? 1
2> 'etc/os-release' under '$T/loop': too many symbolic links
