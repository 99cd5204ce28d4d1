#!/usr/bin/env python3
"""The demo's quarter looks like a programme (issue 22): SLA compliance per tier.

Usage: demo_sla.py PATCHLINE DB NOW

Reads `report --period quarter` and one `report --from --to` per calendar month of the
quarter up to NOW (the demo's clock), all JSON, and fails unless
  - every tier with findings due in the quarter is between 60 % and 98 % compliant;
  - Tiers 0, 1 and 2 have findings due in every month of the quarter;
  - no tier's compliance falls from one month to the next (months with findings due).
Prints the figures it checked.
"""
import datetime
import json
import subprocess
import sys


def report(pl, db, now, *args):
    out = subprocess.run([pl, "--db", db, "--now", now, "report", "--format", "json", *args],
                         check=True, capture_output=True, text=True).stdout
    rows = {}
    for row in json.loads(out)["sla"]:
        if row["row"].startswith("Tier "):
            rows[row["row"]] = (row["met"], row["due"], row["compliance"])
    return json.loads(out), rows


def iso(d):
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    pl, db, now = sys.argv[1:4]
    full, quarter = report(pl, db, now, "--period", "quarter")
    start = datetime.datetime.strptime(full["from"], "%Y-%m-%dT%H:%M:%SZ")
    end = datetime.datetime.strptime(now, "%Y-%m-%dT%H:%M:%SZ")
    months = []
    m = start
    while m < end:
        nxt = (m.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        months.append((m.strftime("%Y-%m"), report(pl, db, now, "--from", iso(m), "--to",
                                                   iso(min(nxt, end)))[1]))
        m = nxt
    bad = []
    if len(months) < 2 or not quarter:
        bad.append("want at least two months and tier rows, got %d months" % len(months))
    for tier, (met, due, c) in sorted(quarter.items()):
        line = "%s quarter %s/%s" % (tier, met, due)
        line += "" if c is None else " = %.1f %%" % (100 * c)
        series = [(name, rows[tier]) for name, rows in months if tier in rows]
        line += "; by month: " + ", ".join(
            "%s %s" % (name, "n/a" if r[2] is None else "%.1f %% of %d" % (100 * r[2], r[1]))
            for name, r in series)
        print(line)
        if due > 0 and not 0.60 <= c <= 0.98:
            bad.append("%s: quarter %.1f %%, want 60 to 98 %%" % (tier, 100 * c))
        if tier in ("Tier 0", "Tier 1", "Tier 2") and any(r[1] == 0 for _, r in series):
            bad.append("%s: a month of the quarter has no findings due" % tier)
        seen = [(name, r[2]) for name, r in series if r[1] > 0]
        for (a, ca), (b, cb) in zip(seen, seen[1:]):
            if cb < ca:
                bad.append("%s: %s %.1f %% < %s %.1f %%" % (tier, b, 100 * cb, a, 100 * ca))
    for b in bad:
        print("FAIL: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
