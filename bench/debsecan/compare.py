#!/usr/bin/python3
"""Compare debsecan's findings with Patchline's on the same hosts.

Usage: compare.py STORE DEBSECAN_OUT_DIR ASSET_ID...

DEBSECAN_OUT_DIR/ID.simple holds `debsecan --format simple` for asset ID
("CVE BINARY" lines). Patchline's are the open findings of the store
(asset, package, vuln_id). Prints the agreements and every difference
grouped into classes, each with a count and an example:

  exact-version   debsecan only: the installed source version is at or above
                  the tracker's fixed version (Patchline: fixed) but is not one of
                  the versions listed, so debsecan counts it vulnerable
  not-in-store    debsecan only: Patchline holds no affected row for it
  kernel-binary   debsecan only: a binary of the kernel's source `linux` (linux-libc-dev,
                  linux-perf, headers): Patchline matches the kernel once, through the
                  running image (docs/advisories.md, "Debian kernels")
  other-dpkg      debsecan only: installed < fixed yet Patchline has no finding
  pl-only         Patchline only, by the reason found in its evidence (the kernel's
                  image; an end-of-life package: Debian's security support ended)
"""
import collections
import os
import sqlite3
import sys

import apt_pkg


def main(store, out_dir, *ids):
    apt_pkg.init()
    db = sqlite3.connect("file:%s?mode=ro" % store, uri=True)
    ds, pl = set(), set()
    for aid in ids:
        with open(os.path.join(out_dir, "%s.simple" % aid), encoding="utf-8") as f:
            for line in f:
                cve, pkg = line.split()
                ds.add((int(aid), pkg, cve))
        for pkg, cve in db.execute("select package, vuln_id from findings where asset_id = ? and "
                                   "+status = 'open'", (int(aid),)):
            pl.add((int(aid), pkg, cve))
    both = ds & pl
    classes, examples = collections.Counter(), {}

    def note(cls, item):
        classes[cls] += 1
        examples.setdefault(cls, item)

    for aid, pkg, cve in sorted(ds - pl):
        row = db.execute("select source_name, source_version, version from packages where "
                         "asset_id = ? and name = ?", (aid, pkg)).fetchone()
        src, srcver = (row[0] or pkg, row[1] or row[2]) if row else (pkg, None)
        fixed = db.execute("select fixed from affected where vuln_id = ? and package = ? and "
                           "ecosystem = 'debian:bookworm'", (cve, src)).fetchone()
        if fixed is None:
            note("not-in-store", (aid, pkg, cve, src, srcver, None))
        elif fixed[0] and srcver and apt_pkg.version_compare(srcver, fixed[0]) >= 0:
            note("exact-version", (aid, pkg, cve, src, srcver, fixed[0]))
        elif src == "linux":
            note("kernel-binary", (aid, pkg, cve, src, srcver, fixed[0]))
        else:
            note("other-dpkg", (aid, pkg, cve, src, srcver, fixed[0]))
    for aid, pkg, cve in sorted(pl - ds):
        ev = db.execute("select (select t.text from finding_texts t where t.id = f.evidence_ref) "
                        "from findings f where asset_id = ? and package = ? and "
                        "vuln_id = ?", (aid, pkg, cve)).fetchone()[0] or ""
        if "security support ended" in ev:
            note("pl-only end-of-life", (aid, pkg, cve, ev))
        elif ev.startswith("source linux ") and "kernel " in ev:
            note("pl-only kernel image", (aid, pkg, cve, ev))
        else:
            note("pl-only " + " ".join(ev.split(" ")[:2]), (aid, pkg, cve, ev))
    print("hosts %d: debsecan %d findings, Patchline %d, both %d (%.2f %% of the union)" % (
        len(ids), len(ds), len(pl), len(both), 100.0 * len(both) / max(1, len(ds | pl))))
    for cls, n in classes.most_common():
        print("  %-40s %8d  e.g. %s" % (cls, n, examples[cls]))
    if not classes:
        print("  no differences")


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__.split("\n\n")[1])
    main(*sys.argv[1:])
