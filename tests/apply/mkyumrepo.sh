#!/usr/bin/env bash
# Write yum repository metadata as createrepo_c lays it out: DIR/repodata/
# repomd.xml naming DIR/repodata/primary.xml.gz, whose <package> entries are
# the "NAME EPOCH VERSION RELEASE ARCH" arguments (metadata only: a dry run
# reads no package file). Usage: mkyumrepo.sh DIR NAME E V R ARCH [...]
set -euo pipefail
dir=$1
shift
mkdir -p "$dir/repodata"
n=$(($# / 5))
{
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"$n\">"
    while [ $# -ge 5 ]; do
        cat <<PKG
<package type="rpm">
  <name>$1</name>
  <arch>$5</arch>
  <version epoch="$2" ver="$3" rel="$4"/>
  <checksum type="sha256" pkgid="YES">0000000000000000000000000000000000000000000000000000000000000000</checksum>
  <summary>test package</summary>
  <description>Written by tests/apply/mkyumrepo.sh.</description>
  <packager></packager>
  <url></url>
  <time file="1700000000" build="1700000000"/>
  <size package="1024" installed="4096" archive="4096"/>
  <location href="Packages/$1-$3-$4.$5.rpm"/>
  <format>
    <rpm:license>MIT</rpm:license>
    <rpm:sourcerpm>$1-$3-$4.src.rpm</rpm:sourcerpm>
    <rpm:provides><rpm:entry name="$1" flags="EQ" epoch="$2" ver="$3" rel="$4"/></rpm:provides>
  </format>
</package>
PKG
        shift 5
    done
    echo '</metadata>'
} | gzip -9n >"$dir/repodata/primary.xml.gz"
cat >"$dir/repodata/repomd.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>1700000000</revision>
  <data type="primary">
    <checksum type="sha256">$(sha256sum "$dir/repodata/primary.xml.gz" | cut -d' ' -f1)</checksum>
    <location href="repodata/primary.xml.gz"/>
    <timestamp>1700000000</timestamp>
  </data>
</repomd>
XML
