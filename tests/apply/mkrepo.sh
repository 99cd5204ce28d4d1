#!/usr/bin/env bash
# Build the test packages and a flat file repository for the apply tests.
# Usage: mkrepo.sh OUTDIR
# Packages (Architecture: all, so they install on any host):
#   pltest-lib 1.0-1                 the dependency
#   pltest-app 1.0-1 and 2.0-1       Depends: pltest-lib (>= 1.0); a postinst
#                                    writes /var/lib/pltest/marker (in the root)
#                                    and a conffile /etc/pltest.conf
# OUTDIR/repo/ holds the .debs and Packages (dpkg-scanpackages -m: both
# versions indexed); OUTDIR/sources.list points apt at it.
set -euo pipefail
out=$1
mkdir -p "$out/build" "$out/repo"
out=$(cd "$out" && pwd)

# mkpkg NAME VERSION DEPENDS
mkpkg() {
    local name=$1 version=$2 depends=$3 d="$out/build/$1_$2"
    mkdir -p "$d/DEBIAN" "$d/usr/share/$name" "$d/etc"
    {
        echo "Package: $name"
        echo "Version: $version"
        echo "Architecture: all"
        echo "Maintainer: Patchline tests <tests@patchline.invalid>"
        [ -n "$depends" ] && echo "Depends: $depends"
        echo "Section: misc"
        echo "Priority: optional"
        echo "Description: Patchline apply test package"
        echo " Built by tests/apply/mkrepo.sh."
    } >"$d/DEBIAN/control"
    echo "$name $version" >"$d/usr/share/$name/VERSION"
    if [ "$name" = pltest-app ]; then
        echo "setting=$version" >"$d/etc/pltest.conf"
        echo /etc/pltest.conf >"$d/DEBIAN/conffiles"
        printf '#!/bin/sh\nset -e\nmkdir -p /var/lib/pltest\necho "configured %s (was ${2:-none})" >/var/lib/pltest/marker\n' \
            "$version" >"$d/DEBIAN/postinst"
        chmod 0755 "$d/DEBIAN/postinst"
    else
        rmdir "$d/etc"
    fi
    fakeroot dpkg-deb --build -Zxz "$d" "$out/repo/${name}_${version}_all.deb" >/dev/null
}

mkpkg pltest-lib 1.0-1 ""
mkpkg pltest-app 1.0-1 "pltest-lib (>= 1.0)"
mkpkg pltest-app 2.0-1 "pltest-lib (>= 1.0)"
(cd "$out/repo" && dpkg-scanpackages -m . /dev/null >Packages 2>/dev/null)
echo "deb [trusted=yes] file:$out/repo ./" >"$out/sources.list"
rm -rf "$out/build"
