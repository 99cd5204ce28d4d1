#!/usr/bin/env bash
# Create a throwaway dpkg/apt root for the apply tests.
# Usage: mkroot.sh ROOT SOURCES_LIST
# The root gets an empty dpkg database, apt's folders, the sources.list, and
# a static busybox as /bin/sh so that dpkg can run maintainer scripts in it
# (through chroot: needs root).
set -euo pipefail
root=$1 sources=$2
case "$root" in /|"") echo "mkroot.sh: refusing root '$root'" >&2; exit 1 ;; esac
mkdir -p "$root"/var/lib/dpkg/{info,updates,triggers} "$root"/etc/apt/{apt.conf.d,preferences.d,sources.list.d} \
    "$root"/var/cache/apt/archives/partial "$root"/var/lib/apt/lists/partial "$root"/var/log/apt \
    "$root"/bin "$root"/tmp "$root"/run "$root"/etc/dpkg/dpkg.cfg.d "$root"/usr/bin
: >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"
cp "$sources" "$root/etc/apt/sources.list"
bb=$(command -v busybox)
cp "$bb" "$root/bin/busybox"
for a in sh mkdir echo cat rm; do ln -sf busybox "$root/bin/$a"; done
printf 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' >"$root/etc/os-release"
echo "plapply-test" >"$root/etc/hostname"
