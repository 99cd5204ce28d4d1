#!/usr/bin/python3
"""Turn the Debian Security Tracker JSON of one release into debsecan's data file.

Usage: convert.py TRACKER_JSON[.gz] INDEX_TSV[.xz] SUITE OUT_DIR [fixed-only]

Writes OUT_DIR/SUITE, the file `debsecan --source file:///OUT_DIR/ --suite SUITE`
opens: zlib-compressed (not gzip) text:

    VERSION 1
    NAME,,DESCRIPTION                       one line per vulnerability
    (blank)
    PACKAGE,VULN_INDEX,FLAGS,UNSTABLE_FIXED_VERSION,OTHER_FIXED_VERSIONS
    (blank)
    SOURCE,BINARY BINARY ...
    (blank)

FLAGS: 'B' for a binary package name else 'S' (source); the urgency L/M/H or a
space; remote R/?/space; 'F' when a fix exists in the suite. debsecan counts an
installed source version as fixed only when it EQUALS one of the listed
versions, so the list holds the tracker's fixed version plus every version of
the source in the archive index (release, -security, -updates) that is not
older than it: the archive versions a host can run that carry the fix. With
"fixed-only" the list holds the tracker's fixed version alone (to show what
debsecan's equality rule does to hosts that run a later version).

The tracker JSON gives one release only (no unstable), so UNSTABLE_FIXED_VERSION
is empty. Entries: "resolved" with a fixed_version -> F and the versions above;
"open" -> no F, no versions (every installed version is vulnerable);
"not-affected", "undetermined", fixed_version "0" -> left out (nothing to report).
Urgency: the first word of the tracker's text: low -> L, medium -> M, high,
critical, emergency -> H, anything else (unimportant, "not yet assigned") -> space.
Remote is not in the tracker JSON: '?'. Standard library plus python3-apt
(apt_pkg, the dpkg version order debsecan itself uses).
"""
import functools
import gzip
import json
import lzma
import os
import sys
import zlib

import apt_pkg

URGENCY = {"low": "L", "medium": "M", "high": "H", "critical": "H", "emergency": "H"}


def open_text(path):
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    if path.endswith(".xz"):
        return lzma.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def read_index(path):
    """source -> (set of source versions, set of binary names), from the index TSV."""
    sources = {}
    with open_text(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        if header[:6] != ["suite", "package", "version", "architecture", "source",
                          "source_version"]:
            sys.exit("%s: line 1: not a binary package index header" % path)
        for lineno, line in enumerate(f, 2):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 6:
                sys.exit("%s: line %d: want at least 6 columns" % (path, lineno))
            versions, binaries = sources.setdefault(cols[4], (set(), set()))
            versions.add(cols[5])
            binaries.add(cols[1])
    return sources


def fixed_list(fixed, archive_versions):
    """The fixed version and every archive version not older than it, in dpkg order."""
    keep = {fixed}
    for v in archive_versions:
        if apt_pkg.version_compare(v, fixed) >= 0:
            keep.add(v)
    return sorted(keep, key=functools.cmp_to_key(apt_pkg.version_compare))


def convert(tracker_path, index_path, suite, out_dir, mode=""):
    with open_text(tracker_path) as f:
        tracker = json.load(f)
    index = read_index(index_path)
    names, name_index, lines, used_sources = [], {}, [], set()
    stats = {"resolved": 0, "open": 0, "skipped": 0}
    for source in sorted(tracker):
        for vuln in sorted(tracker[source]):
            entry = tracker[source][vuln]
            rel = entry.get("releases", {}).get(suite)
            if rel is None:
                continue
            status, fixed = rel.get("status"), rel.get("fixed_version")
            urgency = URGENCY.get((rel.get("urgency") or "").split(" ")[0], " ")
            if status == "resolved" and fixed and fixed != "0":
                versions = [fixed] if mode == "fixed-only" else \
                    fixed_list(fixed, index.get(source, (set(), set()))[0])
                flags, stats["resolved"] = "S" + urgency + "?F", stats["resolved"] + 1
            elif status == "open":
                versions, flags = [], "S" + urgency + "? "
                stats["open"] += 1
            else:
                stats["skipped"] += 1
                continue
            if vuln not in name_index:
                name_index[vuln] = len(names)
                desc = (entry.get("description") or "").replace("\n", " ")
                names.append("%s,,%s" % (vuln, desc))
            lines.append("%s,%d,%s,,%s" % (source, name_index[vuln], flags, " ".join(versions)))
            used_sources.add(source)
    text = ["VERSION 1"] + names + [""] + lines + [""]
    for source in sorted(used_sources):
        text.append("%s,%s" % (source, " ".join(sorted(index.get(source, (set(), set()))[1]))))
    text.append("")
    os.makedirs(out_dir, exist_ok=True)
    data = zlib.compress(("\n".join(text) + "\n").encode("utf-8"), 9)
    with open(os.path.join(out_dir, suite), "wb") as f:
        f.write(data)
    print("debsecan data %s/%s: %d vulnerabilities, %d package lines (%d fixed, %d open), "
          "%d entries left out, %d sources, %d bytes" % (
              out_dir, suite, len(names), len(lines), stats["resolved"], stats["open"],
              stats["skipped"], len(used_sources), len(data)))


if __name__ == "__main__":
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__.split("\n\n")[1])
    apt_pkg.init()
    convert(*sys.argv[1:])
