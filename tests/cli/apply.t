# apply, rollback, jobs (issue 7, local executor): the cases that need no root
# privileges and run no package manager. The real apt/dpkg runs (upgrade,
# verify, rollback from the kept file, health-check rollback, trust rule) are
# in tests/unit/test_apply_real.c, which needs root.

### apply-1.1: an asset with findings on a fixture root
! cp -r "$FIX/inventory/root" "$T/root"
$ --db $DB --now 2026-03-01T00:00:00Z inventory collect --root $T/root
> asset 1 created: 5 dpkg packages, 5 added, 0 updated, 0 removed

### apply-1.2: a dry run asks the root's repositories and writes nothing: the fixture root has none, so no fix is available (tests/unit/test_apply_avail.c installs from a real repository)
! sqlite3 "$DB" "INSERT INTO findings (asset_id, vuln_id, package, installed_version, fixed_version, first_seen) VALUES (1, 'CVE-2026-1111', 'openssl', '3.0.11-1~deb12u2', '3.0.13-1~deb12u1', 0), (1, 'CVE-2026-2222', 'openssl', '3.0.11-1~deb12u2', '3.0.11-1~deb12u3', 0), (1, 'CVE-2026-3333', 'bash', '5.2.15-2+b2', '5.2.15-2+b1', 0)"
$ --db $DB apply --asset fixhost --root $T/root --all --dry-run
> fix not yet available from your repositories: finding 1 CVE-2026-1111 openssl (fixed in 3.0.13-1~deb12u1; they offer 3.0.11-1~deb12u2)
> fix not yet available from your repositories: finding 2 CVE-2026-2222 openssl (fixed in 3.0.11-1~deb12u3; they offer 3.0.11-1~deb12u2)
> would run: apt-get -q -y -oDir=$T/root/ -oDir::State::status=$T/root/var/lib/dpkg/status -oDPkg::Options::=--root=$T/root -oAPT::Sandbox::User=root update
> 2 findings await a fix from the repositories (awaiting-repo)
! test "$(sqlite3 "$DB" 'SELECT count(*) FROM jobs')" = 0
! test "$(sqlite3 "$DB" "SELECT group_concat(status, ',') FROM findings")" = "open,open,open"

### apply-1.3: --finding picks findings
$ --db $DB apply --asset 1 --root $T/root --finding 2 --dry-run
>* fix not yet available from your repositories: finding 2 CVE-2026-2222 openssl (fixed in 3.0.11-1~deb12u3; they offer 3.0.11-1~deb12u2)
>* 1 findings await a fix from the repositories

### apply-1.4: an explicit --package needs no finding (trailing slashes of --root dropped)
$ --db $DB apply --asset 1 --root $T/root/ --package dpkg=1.21.23 --dry-run
>* --only-upgrade install dpkg=1.21.23

### apply-2.1: hostile package names are refused before anything runs
$ --db $DB apply --asset 1 --root $T/root --package 'dpkg;touch /tmp/pl-apply-pwned=1.0' --dry-run
? 2
2> patchline: apply: --package: 'dpkg;touch /tmp/pl-apply-pwned' is not a valid dpkg package name
! test ! -e /tmp/pl-apply-pwned

### apply-2.2: ...an option smuggled as a name
$ --db $DB apply --asset 1 --root $T/root --package '-oAPT::Get::Trivial-Only=false=1'
? 2
2> patchline: apply: --package: '-oAPT::Get::Trivial-Only' is not a valid dpkg package name

### apply-2.3: ...command substitution in a version
$ --db $DB apply --asset 1 --root $T/root --package 'dpkg=$(id)'
? 2
2> patchline: apply: --package: '$(id)' is not a valid dpkg version

### apply-2.4: ...and a hostile name arriving through a finding
! sqlite3 "$DB" "INSERT INTO findings (asset_id, vuln_id, package, installed_version, fixed_version, first_seen) VALUES (1, 'CVE-2026-4444', 'x\$(touch $T/pwned)', '1', '2', 0)"
$ --db $DB apply --asset 1 --root $T/root --finding 4
? 2
2> patchline: apply: finding 4: 'x$(touch $T/pwned)' is not a valid dpkg package name
! test ! -e "$T/pwned" && test "$(sqlite3 "$DB" 'SELECT count(*) FROM jobs')" = 0

### apply-3.1: a root that is the host's / under another name is refused
$ --db $DB apply --asset 1 --root // --all --dry-run
? 2
2> patchline: apply: --root '//' is this host's / : pass --root / to patch this host

### apply-3.2: ...or through ..
$ --db $DB apply --asset 1 --root /tmp/.. --all --dry-run
? 2
2> patchline: apply: --root '/tmp/..' is this host's / : pass --root / to patch this host

### apply-3.3: a relative root
$ --db $DB apply --asset 1 --root tmp --all --dry-run
? 2
2> patchline: apply: --root 'tmp': give an absolute path

### apply-3.4: a root without a package database
! mkdir -p "$T/empty"
$ --db $DB apply --asset 1 --root $T/empty --all --dry-run
? 1
2> patchline: apply: no package database under '$T/empty' (looked for var/lib/dpkg/status, lib/apk/db/installed, var/lib/rpm)

### apply-3.5: a finding that is not the asset's
$ --db $DB apply --asset 1 --root $T/root --finding 99 --dry-run
? 1
2> patchline: apply: finding 99 is not an open finding of asset 1

### apply-3.6: a package that is not installed
$ --db $DB apply --asset 1 --root $T/root --package nosuch=1.0 --dry-run
? 1
2> patchline: apply: package 'nosuch' is not installed under '$T/root'

### apply-3.7: a root that is another machine than the asset is refused, and nothing is kept
! cp -r "$FIX/inventory/root" "$T/other" && echo otherhost >"$T/other/etc/hostname" && echo 0123456789abcdef0123456789abcdef >"$T/other/etc/machine-id"
$ --db $DB apply --asset fixhost --root $T/other --all
? 1
2> patchline: apply: '$T/other' is not asset 1 (fixhost): its inventory is no known asset; collect it and apply to its own asset
! test "$(sqlite3 "$DB" 'SELECT count(*) FROM assets')" = 1 && test "$(sqlite3 "$DB" 'SELECT count(*) FROM jobs')" = 0

### apply-4.1: usage errors
$ --db $DB apply --root $T/root --all
? 2
2> patchline: --asset is required

### apply-4.2: one kind of target
$ --db $DB apply --asset 1 --all --finding 1
? 2
2> patchline: give one of --finding ID, --all or --package NAME=VERSION

### apply-4.3: --package wants NAME=VERSION
$ --db $DB apply --asset 1 --package openssl
? 2
2> patchline: --package: want NAME=VERSION, not 'openssl'

### apply-4.4: a bad config file names its line and key
! printf 'health = ["/bin/true"]\nreboot_policy = often\n' >"$T/apply.conf" && chmod 0644 "$T/apply.conf"
$ --db $DB apply --asset 1 --root $T/root --all --dry-run --config $T/apply.conf
? 1
2> patchline: apply: $T/apply.conf:2: key 'reboot_policy': want never, reboot or kured

### apply-5.1: --wave and --asset-root go with --rollout
$ --db $DB apply --wave 2
? 2
2> patchline: --wave and --asset-root go with --rollout PLAN

### apply-5.2: --rollout takes no single-asset options
$ --db $DB apply --rollout 1 --asset 1 --all
? 2
2> patchline: --rollout takes no --asset, --root, --finding, --all, --package or --dry-run

### apply-5.3: an unknown plan
$ --db $DB apply --rollout 9
? 1
2> patchline: apply: no plan 9

### apply-5.4: --asset-root wants ASSET=DIR
$ --db $DB apply --rollout 1 --asset-root fixhost
? 2
2> patchline: --asset-root: want ASSET=DIR, not 'fixhost'

### jobs-1.1: no jobs yet
$ --db $DB jobs
> id  kind  asset  executor  status  health  parent  created  finished

### jobs-1.2: ...in JSON
$ --db $DB jobs --format json
> []

### jobs-1.3: an unknown job
$ --db $DB jobs show 9
? 1
2> patchline: jobs show: no job 9

### jobs-1.4: rollback of an unknown job
$ --db $DB rollback 9
? 1
2> patchline: rollback: no job 9

### jobs-1.5: rollback wants a job id
$ --db $DB rollback x
? 2
2> patchline: 'x' is not a job id
