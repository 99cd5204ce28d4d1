#!/usr/bin/env bash
# Build the repository of the "install what exists" test (test_apply_avail.c):
# versions that a fixed version copied from an advisory would miss.
# Usage: mkrepo_avail.sh OUTDIR [EXTRA...]
#   plavail-a 1.0-1, 1.0-2 and 1.0-3  the fix is 1.0-2, superseded by 1.0-3
#   plavail-b 2.0-1, 2.0-2+b1         the fix is the source version 2.0-2; only
#                                     its binNMU 2.0-2+b1 exists as a binary
#   plavail-c 3.0-1, 3.0-1+deb12u1    the fix 3.0-2 is not in the repository yet
# EXTRA: more NAME=VERSION packages to build (the repository catching up).
# OUTDIR/repo/ holds the .debs and Packages; OUTDIR/sources.list points apt at it.
set -euo pipefail
out=$1
shift
mkdir -p "$out/build" "$out/repo"
out=$(cd "$out" && pwd)

mkpkg() {
    local name=$1 version=$2 d="$out/build/$1_$2"
    mkdir -p "$d/DEBIAN" "$d/usr/share/$name"
    printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: Patchline tests <tests@patchline.invalid>\nSection: misc\nPriority: optional\nDescription: Patchline availability test package\n Built by tests/apply/mkrepo_avail.sh.\n' \
        "$name" "$version" >"$d/DEBIAN/control"
    echo "$name $version" >"$d/usr/share/$name/VERSION"
    fakeroot dpkg-deb --build -Zxz "$d" "$out/repo/${name}_${version}_all.deb" >/dev/null
}

if [ ! -e "$out/repo/Packages" ]; then
    for nv in plavail-a=1.0-1 plavail-a=1.0-2 plavail-a=1.0-3 plavail-b=2.0-1 plavail-b=2.0-2+b1 \
        plavail-c=3.0-1 plavail-c=3.0-1+deb12u1; do
        mkpkg "${nv%%=*}" "${nv#*=}"
    done
fi
for nv in "$@"; do
    mkpkg "${nv%%=*}" "${nv#*=}"
done
(cd "$out/repo" && dpkg-scanpackages -m . /dev/null >Packages 2>/dev/null)
echo "deb [trusted=yes] file:$out/repo ./" >"$out/sources.list"
rm -rf "$out/build"
