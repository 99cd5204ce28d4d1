# apply and rollback through the CLI on a throwaway dpkg root (the local
# executor for real, as tests/unit/test_apply_real.c does it through the
# library): a local repository with pltest-app 1.0-1 and 2.0-1, the root
# holding 1.0-1; apply upgrades it to the fix and keeps 1.0-1 in the job's
# folder, rollback installs the kept file again. In the PostgreSQL pass the
# jobs, findings and job folders belong to a database (docs/store.md).
# (Set-up lines run before their case's command: each case checks the last.)
skip-unless-root apt-get dpkg-deb dpkg-scanpackages dpkg-query fakeroot busybox

### apply-root-1.1: a root with pltest-app 1.0-1 from a local repository, collected
! bash "$FIX/../apply/mkrepo.sh" "$T/r" >/dev/null 2>&1 && bash "$FIX/../apply/mkroot.sh" "$T/root" "$T/r/sources.list" >/dev/null
! printf 'Dir "%s/";\n' "$T/root" >"$T/apt.conf" && for a in update 'install pltest-app=1.0-1'; do APT_CONFIG=$T/apt.conf DEBIAN_FRONTEND=noninteractive apt-get -q -y -oDir=$T/root/ -oDir::State::status=$T/root/var/lib/dpkg/status -oDPkg::Options::=--root=$T/root -oAPT::Sandbox::User=root $a >/dev/null || exit 1; done
$ --db $DB --now 2026-02-28T00:00:00Z inventory collect --root $T/root
> asset 1 created: 2 dpkg packages, 2 added, 0 updated, 0 removed

### apply-root-1.2: apply installs the fix
! sqlite3 "$DB" "INSERT INTO findings (asset_id, vuln_id, package, installed_version, fixed_version, first_seen, tier) VALUES (1, 'CVE-2026-0001', 'pltest-app', '1.0-1', '2.0-1', 0, 0)"
$ --db $DB --now 2026-03-01T00:00:00Z apply --asset plapply-test --root $T/root --all
>* job 1 succeeded

### apply-root-1.3: ...on the root, closing the finding and keeping 1.0-1 in the job's folder (0600 in 0700)
! test "$(dpkg-query --admindir=$T/root/var/lib/dpkg -W -f='${Package} ${Version};')" = 'pltest-app 2.0-1;pltest-lib 1.0-1;'
! test "$(cat $T/root/var/lib/pltest/marker)" = 'configured 2.0-1 (was 1.0-1)'
! test "$(sqlite3 "$DB" 'SELECT status, resolved_at FROM findings')" = 'fixed|1772323200'
! test "$(sqlite3 "$DB" 'SELECT job_id, outcome, version_seen FROM job_findings')" = '1|fixed|2.0-1'
! test "$(sqlite3 "$DB" 'SELECT before_version, after_version FROM job_packages')" = '1.0-1|2.0-1'
! k=$(sqlite3 "$DB" 'SELECT kept_file FROM job_packages') && test -f "$k" && test "$(stat -c %a "$k")" = 600 && test "$(stat -c %a "$(dirname "$k")")" = 700 && d=$(sqlite3 "$DB" 'SELECT keep_dir FROM jobs WHERE id = 1') && test "$(stat -c %a "$d")" = 700 && test "${k#"$d"/}" != "$k"
$ --db $DB jobs --format csv
>* 1,apply,

### apply-root-1.4: rollback installs the kept 1.0-1 again
$ --db $DB --now 2026-03-02T00:00:00Z rollback 1
>* job 2 succeeded

### apply-root-1.5: ...and reopens the finding; the apply is marked rolled back
! test "$(dpkg-query --admindir=$T/root/var/lib/dpkg -W -f='${Package} ${Version};')" = 'pltest-app 1.0-1;pltest-lib 1.0-1;'
! test "$(sqlite3 "$DB" 'SELECT status FROM findings')" = open
! test "$(sqlite3 "$DB" "SELECT id, kind, status, coalesce(CAST(parent_id AS TEXT), '-') FROM jobs ORDER BY id" | tr '\n' ';')" = '1|apply|rolled-back|-;2|rollback|succeeded|1;'
$ --db $DB jobs --format csv
>* 2,rollback,
