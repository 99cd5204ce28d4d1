#!/usr/bin/env bash
# Write an apk repository index: DIR/ARCH/APKINDEX.tar.gz holding one record
# per "NAME VERSION ARCH" argument (the P:, V: and A: fields of apk's index,
# in a tar archive, gzip-compressed, as apk-tools writes it, unsigned).
# Usage: mkapkrepo.sh DIR ARCH NAME VERSION PKGARCH [NAME VERSION PKGARCH]...
set -euo pipefail
dir=$1 arch=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: >"$work/APKINDEX"
while [ $# -ge 3 ]; do
    printf 'C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:%s\nV:%s\nA:%s\nS:1024\nI:4096\nT:test package\n\n' \
        "$1" "$2" "$3" >>"$work/APKINDEX"
    shift 3
done
echo "patchline test repository" >"$work/DESCRIPTION"
mkdir -p "$dir/$arch"
tar -C "$work" -czf "$dir/$arch/APKINDEX.tar.gz" DESCRIPTION APKINDEX
