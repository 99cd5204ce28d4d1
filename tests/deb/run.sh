#!/usr/bin/env bash
# The Debian package (debian/, README "Building the Debian package"): build it with
# dpkg-buildpackage in a copy of the source tree in a temporary folder, install
# patchline and patchline-agent into a throwaway root with a fresh dpkg database,
# run both programs from there, check the account, the modes of /etc/patchline and
# the state folders, the units and the man pages, then purge both.
# Usage: run.sh SOURCE_DIR. Root only (dpkg installs as root). CTest deb_package,
# label release-pass (the Release pass of scripts/test).
#
# The maintainer scripts run outside a chroot (--force-script-chrootless) with
# DPKG_ROOT set to the throwaway root, as Debian's bootstrap tools run them: the
# account comes from systemd-sysusers --root and the folders from systemd-tmpfiles
# --root, the real tools, and nothing outside the root changes (checked below).
set -euo pipefail

src=$(cd "${1:?usage: run.sh SOURCE_DIR}" && pwd)
skip() { echo "deb: skipped: $*"; exit 77; }
fail() { echo "deb: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root (dpkg installs files as root)"
for t in dpkg-buildpackage dh help2man lintian systemd-sysusers systemd-tmpfiles; do
    command -v "$t" >/dev/null || skip "$t is absent (scripts/install-deps installs it)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/pl-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 1. Build in a copy: dpkg-buildpackage writes the .debs next to the tree and
#    cleans debian/ in place, so never in the work tree.
tree=$work/src/patchline
mkdir -p "$tree"
tar -C "$src" --exclude=./build --exclude=./.git --exclude='./obj-*' --exclude=./patchline-demo \
    --exclude=./debian/tmp --exclude=./debian/patchline --exclude=./debian/patchline-agent \
    -cf - . | tar -C "$tree" -xf -
start=$(date +%s)
if ! (cd "$tree" && DEB_BUILD_OPTIONS="parallel=2 ${DEB_BUILD_OPTIONS:-}" \
        dpkg-buildpackage -b -us -uc) >"$work/build.log" 2>&1; then
    tail -40 "$work/build.log"
    fail "dpkg-buildpackage failed (the last 40 lines above)"
fi
echo "deb: dpkg-buildpackage -b: $(($(date +%s) - start)) s"
version=$(dpkg-parsechangelog -l "$tree/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)
deb_server=$work/src/patchline_${version}_${arch}.deb
deb_agent=$work/src/patchline-agent_${version}_${arch}.deb
[ -f "$deb_server" ] && [ -f "$deb_agent" ] || fail "no .debs: $(ls "$work/src")"

# Every compile line carries Patchline's warnings, -Werror included, with the
# distribution's flags (dh builds with VERBOSE=1).
compile=$(grep -E ' -c [^ ]*/src/agent_main\.c' "$work/build.log" || true)
[ -n "$compile" ] || fail "no compile line of src/agent_main.c in the build log"
for f in -Wall -Wextra -Werror -O2 -fstack-protector-strong; do
    case " $compile " in *" $f "*) ;; *) fail "src/agent_main.c built without $f: $compile" ;; esac
done

# Lintian: no error and no warning (debian/*.lintian-overrides say why for the rest).
lintian --fail-on error,warning "$deb_server" "$deb_agent" >"$work/lintian.log" 2>&1 ||
    { cat "$work/lintian.log"; fail "lintian"; }

# 2. Install both into a throwaway root with a fresh dpkg database.
root=$work/root
case "$root" in /|"") fail "refusing root '$root'" ;; esac
root=$(realpath -m "$root")
[ "$root" != / ] || fail "the throwaway root resolves to /"
mkdir -p "$root"/var/lib/dpkg/{info,updates,triggers} "$root/usr/sbin" "$root/etc"
: >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"
# No service is started from the root (deb-systemd-invoke asks DPKG_ROOT's policy-rc.d).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"

host_passwd=$(sha256sum /etc/passwd /etc/group)
host_dsh=$(ls -A /var/lib/systemd/deb-systemd-helper-enabled 2>/dev/null || true)
dpkg_root() { dpkg --root="$root" --force-script-chrootless --force-depends "$@"; }
dpkg_root -i "$deb_server" "$deb_agent" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "dpkg -i into the throwaway root failed"; }
[ "$host_passwd" = "$(sha256sum /etc/passwd /etc/group)" ] || fail "the host's /etc/passwd or /etc/group changed"
[ "$host_dsh" = "$(ls -A /var/lib/systemd/deb-systemd-helper-enabled 2>/dev/null || true)" ] ||
    fail "the host's systemd unit state changed"
for p in patchline patchline-agent; do
    st=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${db:Status-Abbrev} ${Version}' "$p")
    [ "$st" = "ii  $version" ] || fail "$p in the root: '$st', want 'ii  $version'"
done

# 3. Both programs run from the root and agree with debian/changelog.
out=$("$root/usr/bin/patchline" --version)
[ "$out" = "patchline $version" ] || fail "patchline --version: '$out', want 'patchline $version'"
out=$("$root/usr/bin/patchline-agent" --version)
[ "$out" = "patchline-agent $version" ] || fail "patchline-agent --version: '$out'"
[ -f "$root/usr/share/patchline/PROVENANCE.md" ] || fail "the bundled data is not in /usr/share/patchline"
# No build path is left in the programs (reproducible; nothing looked for under /tmp).
for b in patchline patchline-agent; do
    ! grep -qaF "$work" "$root/usr/bin/$b" || fail "/usr/bin/$b holds the build path $work"
done

# 4. The server's account, made in the root by the postinst.
line=$(grep '^patchline:' "$root/etc/passwd") || fail "no account 'patchline' in the root's /etc/passwd"
IFS=: read -r _ _ uid gid _ home shell <<<"$line"
[ "$home" = /var/lib/patchline ] && [ "$shell" = /usr/sbin/nologin ] || fail "account: '$line'"
[ "$uid" -gt 0 ] && [ "$uid" -lt 1000 ] || fail "account 'patchline' is not a system account: '$line'"
grep -q "^patchline:x:$gid:" "$root/etc/group" || fail "no group 'patchline' with gid $gid"

# 5. Modes and owners (octal mode, uid, gid).
check() {
    local got
    got=$(stat -c '%a %u %g %F' "$root$1") || fail "$1 is missing"
    [ "$got" = "$2" ] || fail "$1: '$got', want '$2'"
}
check /etc/patchline "750 0 $gid directory"
check /var/lib/patchline "700 $uid $gid directory"
check /var/lib/patchline-agent "700 0 0 directory"
check /usr/bin/patchline "755 0 0 regular file"
check /usr/bin/patchline-agent "755 0 0 regular file"
for u in patchline-serve.service patchline-agent.service patchline-agent.timer; do
    check "/lib/systemd/system/$u" "644 0 0 regular file"
    cmp -s "$root/lib/systemd/system/$u" "$tree/contrib/systemd/$u" || fail "$u differs from contrib/systemd/$u"
done
# Installed, not enabled: the server needs a store, the agent an enrolment.
if [ -d "$root/etc/systemd/system" ]; then
    found=$(find "$root/etc/systemd/system" -name 'patchline*' | head -3)
    [ -z "$found" ] || fail "units enabled on installation: $found"
fi

# 6. Man pages generated from the programs' own help.
man_has() {
    local page=$root/usr/share/man/man1/$1.1.gz
    [ -f "$page" ] || fail "no man page $1(1)"
    zcat "$page" | grep -q -- "$2" || fail "$1(1) lacks '$2' (from $1 --help)"
}
man_has patchline 'agent token'
man_has patchline '\.TH PATCHLINE'
man_has patchline-agent 'enroll'
[ -f "$root/usr/share/doc/patchline-agent/agent.md" ] || fail "no /usr/share/doc/patchline-agent/agent.md (the units' Documentation=)"
[ -f "$root/usr/share/doc/patchline/server.md" ] || fail "no /usr/share/doc/patchline/server.md (the unit's Documentation=)"

# 7. Purge: the agent's state goes, an empty /etc/patchline goes, the store stays.
echo "pla_0" >"$root/var/lib/patchline-agent/credential"
dpkg_root --purge patchline-agent patchline >"$work/purge.log" 2>&1 ||
    { cat "$work/purge.log"; fail "dpkg --purge failed"; }
[ ! -e "$root/usr/bin/patchline" ] && [ ! -e "$root/usr/bin/patchline-agent" ] || fail "programs left after purge"
[ ! -e "$root/var/lib/patchline-agent" ] || fail "/var/lib/patchline-agent left after purge"
[ ! -e "$root/etc/patchline" ] || fail "the empty /etc/patchline left after purge"
[ -d "$root/var/lib/patchline" ] || fail "the store folder /var/lib/patchline was removed on purge"
[ "$host_passwd" = "$(sha256sum /etc/passwd /etc/group)" ] || fail "the host's /etc/passwd or /etc/group changed"

echo "deb: ok: patchline and patchline-agent $version built, installed in a throwaway root, run, purged"
