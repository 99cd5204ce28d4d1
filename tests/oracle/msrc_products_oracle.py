#!/usr/bin/env python3
"""Independent check for tests/cli/windows_products_shared.t.

Reads the MSRC vendor-fix table (msrc_cvrf_vendor_fixes.tsv, on standard input)
and prints HOST|CVE|KB for every Security Update of the listed months whose
fixed build is above the host's build, for hosts running SQL Server 2022 on
its CU or GDR train or Exchange Server 2019 CU14. Builds compare as tuples of
numbers. Written apart from Patchline's matcher on purpose.
"""
import re
import sys

MONTHS = {"2025-Sep", "2025-Nov", "2025-Dec", "2026-Jan", "2026-Feb", "2026-Mar"}
HOSTS = [
    ("SQL01", "sql", "CU", "16.0.4212.1"),
    ("SQL02", "sql", "GDR", "16.0.1160.1"),
    ("EXCH01", "exch", "", "15.02.1544.037"),
    ("SQL03", "sql", "CU", "16.0.4240.4"),
]
SQL = re.compile(r"Microsoft SQL Server 2022 for x64-based Systems \((CU [0-9]+|GDR)\)")
BUILD = re.compile(r"[0-9]+(\.[0-9]+)+")


def num(v):
    return tuple(int(x) for x in v.split("."))


def main():
    out = set()
    for line in sys.stdin:
        r = line.rstrip("\n").split("\t")
        if len(r) < 8 or r[0] not in MONTHS or r[6] != "Security Update":
            continue
        if not r[5].isdigit() or not BUILD.fullmatch(r[7]):
            continue
        m = SQL.fullmatch(r[4])
        for name, kind, train, ver in HOSTS:
            if kind == "sql":
                ok = m is not None and m.group(1).split(" ")[0] == train
            else:
                ok = r[4] == "Microsoft Exchange Server 2019 Cumulative Update 14"
            if ok and num(ver) < num(r[7]):
                out.add("%s|%s|KB%s" % (name, r[2], r[5]))
    for row in sorted(out):
        print(row)


main()
