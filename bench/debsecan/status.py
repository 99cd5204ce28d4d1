#!/usr/bin/python3
"""Write the packages of stored assets as dpkg status files, one per asset.

Usage: status.py STORE OUT_DIR N [every|first]

Takes N assets of the store (with "every", spread evenly over the asset ids;
with "first", the N lowest), writes OUT_DIR/ASSET_ID.status in the layout of
/var/lib/dpkg/status (Package, Status, Architecture, Source with its version
when it differs, Version) and prints the chosen asset ids, one a line. The
store is opened read-only (sqlite3 of the standard library).
"""
import os
import sqlite3
import sys


def main(store, out_dir, n, mode="every"):
    n = int(n)
    db = sqlite3.connect("file:%s?mode=ro" % store, uri=True)
    ids = [r[0] for r in db.execute("select id from assets order by id")]
    if mode == "first" or n >= len(ids):
        chosen = ids[:n]
    else:
        step = len(ids) / n
        chosen = [ids[int(i * step)] for i in range(n)]
    os.makedirs(out_dir, exist_ok=True)
    for aid in chosen:
        rows = db.execute("select name, arch, version, source_name, source_version from packages "
                          "where asset_id = ? and ecosystem = 'dpkg' and status = 'installed' "
                          "order by name, arch", (aid,))
        out = []
        for name, arch, version, src, srcver in rows:
            out.append("Package: %s\nStatus: install ok installed\n" % name)
            if arch:
                out.append("Architecture: %s\n" % arch)
            src = src or name
            srcver = srcver or version
            if src != name or srcver != version:
                out.append("Source: %s (%s)\n" % (src, srcver) if srcver != version
                           else "Source: %s\n" % src)
            out.append("Version: %s\n\n" % version)
        with open(os.path.join(out_dir, "%d.status" % aid), "w", encoding="utf-8") as f:
            f.write("".join(out))
        print(aid)


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__.split("\n\n")[1])
    main(*sys.argv[1:])
