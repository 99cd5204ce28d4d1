#!/usr/bin/python3
"""Independent check of the Debian matching (tests/cli/debian_shared.t).

  debian_check.py TRACKER.json.xz DPKG_STATUS
      "package,CVE,state" for every installed binary package whose source has a
      bookworm entry in the tracker file: state "no-fix" for an `open` entry (a
      decision marker, when the entry has one, follows: "no-fix:postponed"), "fixed"
      when the installed source version is older than `fixed_version` (dpkg order
      through python3-apt's apt_pkg.version_compare). Resolved entries at or past
      their fix and `not-affected` ones give nothing.

Reads only the shared data files named on the command line; never Patchline's store.
"""
import json
import lzma
import sys

import apt_pkg


def stanzas(path):
    cur = {}
    key = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if cur:
                yield cur
            cur, key = {}, None
        elif line[0] in " \t":
            continue
        else:
            key, _, val = line.partition(":")
            cur[key] = val.strip()
    if cur:
        yield cur


def main(tracker, status):
    apt_pkg.init()
    data = json.load(lzma.open(tracker, "rt"))
    out = set()
    for s in stanzas(status):
        if s.get("Status") != "install ok installed":
            continue
        name, version = s["Package"], s["Version"]
        src, srcver = name, version
        if "Source" in s:
            src = s["Source"].split(" ")[0]
            if "(" in s["Source"]:
                srcver = s["Source"].split("(")[1].rstrip(")")
        for cve, entry in data.get(src, {}).items():
            rel = entry.get("releases", {}).get("bookworm")
            if rel is None:
                continue
            if rel["status"] == "open":
                marker = rel.get("nodsa_reason") or ("no-dsa" if "nodsa" in rel else None)
                out.add("%s,%s,no-fix%s" % (name, cve, ":" + marker if marker else ""))
            elif rel["status"] == "resolved":
                fixed = rel.get("fixed_version") or "0"
                if fixed != "0" and apt_pkg.version_compare(srcver, fixed) < 0:
                    out.add("%s,%s,fixed" % (name, cve))
    for line in sorted(out):
        print(line)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
