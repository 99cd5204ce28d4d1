# Install what exists, on dnf/yum and apk roots (issue 23, item 1): the target of a fix is the
# highest version the root's configured repositories offer at or past the fixed version, read
# from their metadata (apk: ROOT/etc/apk/repositories and each repository's
# ARCH/APKINDEX.tar.gz; dnf: ROOT/etc/yum.repos.d and each repository's repodata), compared in
# apk / rpm order. The repositories hold a superseded version, a version newer than the fix and,
# for one finding, nothing that reaches it: that finding says "fix not yet available from your
# repositories", as for apt. Throwaway roots under $T (never /).

### repos-1.1: an Alpine root whose packages come from the fixture's installed database
! test "$T" != / && mkdir -p "$T/a/etc/apk" "$T/a/lib/apk/db"
! printf 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n' >"$T/a/etc/os-release" && echo apkhost >"$T/a/etc/hostname"
! cp "$FIX/apk/installed" "$T/a/lib/apk/db/installed" && echo x86_64 >"$T/a/etc/apk/arch"
! printf '# main\n%s/repo/main\nhttps://dl-cdn.alpinelinux.org/alpine/v3.19/community\n' "$T" >"$T/a/etc/apk/repositories"
! "$FIX/../apply/mkapkrepo.sh" "$T/repo/main" x86_64 libcrypto3 3.1.4-r4 x86_64 libcrypto3 3.1.5-r0 x86_64 libcrypto3 3.1.4-r5 x86_64 musl 1.2.4-r1 x86_64 musl 1.2.4-r2 x86_64
! "$FIX/../apply/mkapkrepo.sh" "$T/repo/main" aarch64 musl 1.2.5-r0 aarch64
$ --db $DB --now 2026-03-01T00:00:00Z inventory collect --root $T/a
>* asset 1 created:

### repos-1.2: libcrypto3 gets the newer 3.1.5-r0 (not the advisory's 3.1.4-r6, not the superseded 3.1.4-r4); musl's fix is in no repository (the aarch64 index is another architecture's)
! sqlite3 "$DB" "INSERT INTO findings (asset_id, vuln_id, package, installed_version, fixed_version, first_seen) VALUES (1, 'CVE-2026-5001', 'libcrypto3', '3.1.4-r5', '3.1.4-r6', 0), (1, 'CVE-2026-5002', 'musl', '1.2.4-r2', '1.2.4-r3', 0)"
$ --db $DB apply --asset apkhost --root $T/a --all --dry-run
> fix not yet available from your repositories: finding 2 CVE-2026-5002 musl (fixed in 1.2.4-r3; they offer 1.2.4-r2)
> would upgrade libcrypto3 3.1.4-r5 -> 3.1.5-r0
> would run: apk --no-progress --root $T/a update
> would run: apk --no-progress --root $T/a add --upgrade libcrypto3=3.1.5-r0
> 1 findings await a fix from the repositories (awaiting-repo)
! test "$(sqlite3 "$DB" 'SELECT count(*) FROM jobs')" = 0

### repos-1.3: once the repository carries the fix, musl's target is the version it offers
! "$FIX/../apply/mkapkrepo.sh" "$T/repo/main" x86_64 libcrypto3 3.1.5-r0 x86_64 musl 1.2.4-r2 x86_64 musl 1.2.4-r4 x86_64
$ --db $DB apply --asset apkhost --root $T/a --all --dry-run
>* would upgrade musl 1.2.4-r2 -> 1.2.4-r4
>* add --upgrade libcrypto3=3.1.5-r0 musl=1.2.4-r4

### repos-1.4: apk order, not text order: 1.2.4-r10 is past 1.2.4-r9
! "$FIX/../apply/mkapkrepo.sh" "$T/repo/main" x86_64 libcrypto3 3.1.5-r0 x86_64 musl 1.2.4-r10 x86_64 musl 1.2.4-r9 x86_64
$ --db $DB apply --asset apkhost --root $T/a --all --dry-run
>* would upgrade musl 1.2.4-r2 -> 1.2.4-r10

### repos-1.5: no local repository configured: the fixed versions stand, and the run says why
! printf 'https://dl-cdn.alpinelinux.org/alpine/v3.19/main\n' >"$T/a/etc/apk/repositories"
$ --db $DB apply --asset apkhost --root $T/a --all --dry-run
>* no local repository metadata under $T/a (etc/apk/repositories): the targets are the fixed versions
>* add --upgrade libcrypto3=3.1.4-r6 musl=1.2.4-r3

### repos-1.6: a broken index is an error naming the file, and nothing is written
! printf '%s/repo/bad\n' "$T" >"$T/a/etc/apk/repositories" && mkdir -p "$T/repo/bad/x86_64" && echo 'not a tar' | gzip >"$T/repo/bad/x86_64/APKINDEX.tar.gz"
$ --db $DB apply --asset apkhost --root $T/a --all --dry-run
>* $T/repo/bad/x86_64/APKINDEX.tar.gz: no APKINDEX in the archive
! test "$(sqlite3 "$DB" 'SELECT count(*) FROM jobs')" = 0

### repos-2.1: an rpm root (rpm database written with --justdb: no scriptlet runs) with pltest-app 1.0-1
! test "$T" != / && "$FIX/../apply/mkrpm.sh" "$T/pk" && mkdir -p "$T/r/etc/yum.repos.d" "$T/r/var/lib/rpm"
! printf 'NAME="Rocky Linux"\nID=rocky\nVERSION_ID=9.3\n' >"$T/r/etc/os-release" && echo rpmhost >"$T/r/etc/hostname"
! rpm --dbpath "$T/r/var/lib/rpm" --initdb 2>/dev/null && rpm --dbpath "$T/r/var/lib/rpm" -i --justdb --nodeps --noscripts "$T/pk/pltest-app-1.0-1.noarch.rpm" 2>/dev/null
$ --db $DB --now 2026-03-01T00:00:00Z inventory collect --root $T/r
>* asset 2 created:

### repos-2.2: the enabled local repository offers 0.9-1 (superseded), 1.0-1 and 2.0-1 (past the fix 1.5-1); 3.0-1 is only in a disabled repository and a source package: nothing reaches CVE-2026-6002's 3.0-1
! "$FIX/../apply/mkyumrepo.sh" "$T/yum/base" pltest-app 0 0.9 1 noarch pltest-app 0 1.0 1 noarch pltest-app 0 2.0 1 noarch pltest-app 0 3.0 1 src
! "$FIX/../apply/mkyumrepo.sh" "$T/yum/testing" pltest-app 0 3.0 1 noarch
! printf '[base]\nname=Base\nbaseurl=file://%s/yum/base/\ngpgcheck=0\n\n[testing]\nname=Testing\nbaseurl=file://%s/yum/testing\nenabled=0\n\n[remote]\nmetalink=https://mirrors.rockylinux.org/metalink?repo=BaseOS-$releasever&arch=$basearch\n' "$T" "$T" >"$T/r/etc/yum.repos.d/local.repo"
! sqlite3 "$DB" "INSERT INTO findings (asset_id, vuln_id, package, installed_version, fixed_version, first_seen) VALUES (2, 'CVE-2026-6001', 'pltest-app', '1.0-1', '1.5-1', 0), (2, 'CVE-2026-6002', 'pltest-app', '1.0-1', '3.0-1', 0)"
$ --db $DB apply --asset rpmhost --root $T/r --all --dry-run
> fix not yet available from your repositories: finding 4 CVE-2026-6002 pltest-app (fixed in 3.0-1; they offer 2.0-1)
> would upgrade pltest-app 1.0-1 -> 2.0-1
> would run: dnf -y -q --installroot=$T/r --setopt=install_weak_deps=False upgrade pltest-app-2.0-1
> 1 findings await a fix from the repositories (awaiting-repo)

### repos-2.3: enabling the repository that carries 3.0-1 makes it the target
! sed -i 's/^enabled=0$/enabled=1/' "$T/r/etc/yum.repos.d/local.repo"
$ --db $DB apply --asset rpmhost --root $T/r --all --dry-run
>* would upgrade pltest-app 1.0-1 -> 3.0-1
>* upgrade pltest-app-3.0-1

### repos-2.4: an epoch outranks any version (rpm order)
! "$FIX/../apply/mkyumrepo.sh" "$T/yum/testing" pltest-app 1 0.5 1 noarch
$ --db $DB apply --asset rpmhost --root $T/r --all --dry-run
>* upgrade pltest-app-1:0.5-1
