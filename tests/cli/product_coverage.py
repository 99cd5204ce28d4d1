#!/usr/bin/env python3
"""product_coverage.py - the product map covers the KEV catalogue and endoflife.date.

  product_coverage.py tables SHARED ROOT
      every (vendorProject, product) pair of SHARED/kev/known_exploited_vulnerabilities.json
      (names trimmed) is a row of ROOT/data/kev-products.tsv and every endoflife.date product
      of SHARED/eol (product definitions and release data, JSON lines and per-product files) a
      row of ROOT/data/eol-products.tsv, and no row is for anything else; classes are known,
      CPEs part:vendor:product. Fails naming each missing, stale or bad row.
  product_coverage.py gen ROOT OUT.xml
      a constructed Nmap scan: one host per CPE of every product whose class is one of the
      map's (not application or out-of-scope), its service naming that CPE at version 1.0.
  product_coverage.py compare ROOT SOFTWARE.csv
      `patchline software --format csv` of that scan: every product's first CPE has the
      product's class, every other CPE some class: the map resolves them all.
"""
import csv
import glob
import json
import lzma
import os
import re
import sys

CLASSES = {"browser", "runtime", "database", "network-appliance", "os", "container-image",
           "library", "server", "application", "out-of-scope"}
OUT_OF_MAP = {"application", "out-of-scope"}
CPE = re.compile(r"^[aoh]:(?:[^:\\\s]|\\.)+:(?:[^:\\\s]|\\.)+$")


def table(path):
    with open(path, encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if not l.startswith("#")]
    return rows[0], rows[1:]


def products(root):
    """(name, class, [cpe...]) of both tables."""
    _, kev = table(os.path.join(root, "data", "kev-products.tsv"))
    _, eol = table(os.path.join(root, "data", "eol-products.tsv"))
    out = [(r[0] + "/" + r[1], r[2], r[3]) for r in kev] + [(r[0], r[1], r[2]) for r in eol]
    return [(n, c, [x for x in cp.split(",") if x != "-"]) for n, c, cp in out]


def in_map(cpe):
    return "\\:" not in cpe  # the map's field cannot carry an escaped colon


def cmd_tables(shared, root):
    errs = []
    kev = json.load(open(os.path.join(shared, "kev", "known_exploited_vulnerabilities.json"),
                         encoding="utf-8"))["vulnerabilities"]
    want = {(v["vendorProject"].strip(), v["product"].strip()) for v in kev}
    hdr, rows = table(os.path.join(root, "data", "kev-products.tsv"))
    have = {}
    for i, r in enumerate(rows):
        if len(r) != len(hdr):
            errs.append("kev-products.tsv: row %d: %d fields, want %d" % (i + 1, len(r), len(hdr)))
            continue
        have[(r[0], r[1])] = r
    for k in sorted(want - set(have)):
        errs.append("KEV pair not in data/kev-products.tsv: %s / %s" % k)
    for k in sorted(set(have) - want):
        errs.append("data/kev-products.tsv: not a KEV pair: %s / %s" % k)
    eol_dir = os.path.join(shared, "eol")
    names = set()
    for fn in ("product-definitions_all.jsonl.xz", "release-data_all_products.jsonl.xz"):
        with lzma.open(os.path.join(eol_dir, fn), "rt", encoding="utf-8") as f:
            names.update(json.loads(l)["product"] for l in f)
    for pat in ("product-definitions/*.yaml", "release-data/*.json"):
        names.update(os.path.splitext(os.path.basename(p))[0]
                     for p in glob.glob(os.path.join(eol_dir, pat)))
    hdr, rows = table(os.path.join(root, "data", "eol-products.tsv"))
    eol = {r[0] for r in rows}
    for k in sorted(names - eol):
        errs.append("endoflife.date product not in data/eol-products.tsv: %s" % k)
    for k in sorted(eol - names):
        errs.append("data/eol-products.tsv: not an endoflife.date product: %s" % k)
    for n, c, cpes in products(root):
        if c not in CLASSES:
            errs.append("%s: unknown class %r" % (n, c))
        for x in cpes:
            if not CPE.match(x):
                errs.append("%s: %r is not part:vendor:product" % (n, x))
    errs += conflicts(root)
    for e in errs:
        print(e, file=sys.stderr)
    print("%d KEV pairs, %d endoflife.date products: %d errors" % (len(want), len(names), len(errs)))
    return 1 if errs else 0


def wanted(root):
    """cpe -> class it must have (None: any class): the class of the first product (KEV
    first, then endoflife.date) that lists it first, else of the first that lists it; none
    when that product is an application or out of scope (as scripts/gen-product-coverage.py)."""
    cls = {}
    for first in (True, False):
        for _, c, cpes in products(root):
            for i, x in enumerate(cpes):
                if first and i > 0:
                    break
                if first or c not in OUT_OF_MAP:
                    cls.setdefault(x, (c, first))
    return {x: (c if first else None) for x, (c, first) in cls.items()
            if c not in OUT_OF_MAP and in_map(x)}


def conflicts(root):
    """CPEs listed first by products of different classes."""
    seen, out = {}, []
    for n, c, cpes in products(root):
        if cpes and seen.setdefault(cpes[0], (n, c))[1] != c:
            out.append("%s is class %s for %s, %s for %s"
                       % (cpes[0], seen[cpes[0]][1], seen[cpes[0]][0], c, n))
    return out


def cmd_gen(root, out):
    xml = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!-- CONSTRUCTED by tests/cli/product_coverage.py: not a real scan -->',
           '<nmaprun scanner="nmap" args="nmap -sV" start="1767225600" version="7.93" '
           'xmloutputversion="1.05">']
    k = 0
    for x in sorted(wanted(root)):
        k += 1
        cpe = x.replace("&", "&amp;")
        xml.append('<host starttime="1767225601" endtime="1767225602"><status state="up" '
                   'reason="syn-ack"/><address addr="10.%d.%d.%d" addrtype="ipv4"/><hostnames>'
                   '<hostname name="cov-%04d" type="PTR"/></hostnames><ports><port protocol="tcp" '
                   'portid="443"><state state="open" reason="syn-ack"/><service name="https" '
                   'method="probed" conf="10"><cpe>cpe:/%s:1.0</cpe></service></port></ports>'
                   '</host>' % (k // 62500, (k // 250) % 250, k % 250 + 1, k, cpe))
    xml.append('<runstats><finished time="1767225700"/><hosts up="%d" down="0" total="%d"/>'
               '</runstats></nmaprun>' % (k, k))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(xml) + "\n")
    print("%d CPEs" % k)
    return 0


def cmd_compare(root, sw):
    got = {}
    with open(sw, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            m = re.match(r"^cpe:/([aoh]:(?:[^:\\]|\\.)+:(?:[^:\\]|\\.)+):", r["cpe"])
            if m:
                got[m.group(1)] = r["class"]
    errs = []
    for x, c in sorted(wanted(root).items()):
        if x not in got:
            errs.append("%s: not listed by patchline software" % x)
        elif not got[x]:
            errs.append("%s: no rule of the product map names it" % x)
        elif c and got[x] != c:
            errs.append("%s: class %s in the product map, %s in the tables" % (x, got[x], c))
    for e in errs:
        print(e, file=sys.stderr)
    print("%d CPEs resolved: %d errors" % (len(wanted(root)), len(errs)))
    return 1 if errs else 0


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "tables":
        return cmd_tables(a[1], a[2])
    if len(a) == 3 and a[0] == "gen":
        return cmd_gen(a[1], a[2])
    if len(a) == 3 and a[0] == "compare":
        return cmd_compare(a[1], a[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
