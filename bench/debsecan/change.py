#!/usr/bin/python3
"""Patch 1 % of the hosts of a synthetic estate, as a patch run would.

Usage: change.py STORE INDEX_TSV[.xz] EVERY

For every EVERY-th asset (by id), each package that runs the release's version
while the index has a newer update is moved to that update (version and source
version), and a kernel one behind is replaced by the newest one, the way apt
upgrade changes the dpkg database. Prints the changed asset ids, one a line,
and the number of package rows changed on stderr. Writes through sqlite3, or
psql when STORE is a PostgreSQL URL (bench/pldb.py), in one transaction (the
store's triggers mark the assets for the next scan).
"""
import functools
import lzma
import os
import sys

import apt_pkg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pldb  # noqa: E402


def newer_versions(index_path):
    """name -> (release version, newest version, its source version) when newest > release."""
    rel, upd = {}, {}
    with lzma.open(index_path, "rt", encoding="utf-8") if index_path.endswith(".xz") \
            else open(index_path, encoding="utf-8") as f:
        f.readline()
        for line in f:
            c = line.rstrip("\n").split("\t")
            d = rel if "-" not in c[0] else upd
            if c[1] not in d or apt_pkg.version_compare(c[2], d[c[1]][0]) > 0:
                d[c[1]] = (c[2], c[5])
    return {n: (rel[n][0], u[0], u[1]) for n, u in upd.items()
            if n in rel and apt_pkg.version_compare(u[0], rel[n][0]) > 0}


def main(store, index_path, every):
    apt_pkg.init()
    every = int(every)
    newer = newer_versions(index_path)
    db = pldb.connect(store)
    ids = [r[0] for r in db.execute("select id from assets order by id")][::every]
    kernels = sorted((r[0] for r in db.execute(
        "select distinct name from packages where name like 'linux-image-6.1.0-%-amd64'")),
        key=functools.cmp_to_key(apt_pkg.version_compare))
    changed = 0
    with db:
        for aid in ids:
            rows = db.execute("select id, name, version from packages where asset_id = ?",
                              (aid,)).fetchall()
            for pid, name, version in rows:
                n = newer.get(name)
                if n and n[0] == version:
                    db.execute("update packages set version = ?, source_version = ? where id = ?",
                               (n[1], n[2], pid))
                    changed += 1
            if len(kernels) >= 2:
                cur = db.execute("select version, source_version from packages where name = ? "
                                 "limit 1", (kernels[-1],)).fetchone()
                n = db.execute("select count(*) from packages where asset_id = ? and name = ?",
                               (aid, kernels[-2])).fetchone()[0]
                db.execute("update packages set name = ?, version = ?, source_version = ? "
                           "where asset_id = ? and name = ?",
                           (kernels[-1], cur[0], cur[1], aid, kernels[-2]))
                changed += int(n)
            print(aid)
    sys.stderr.write("changed %d package rows on %d assets\n" % (changed, len(ids)))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    main(*sys.argv[1:])
