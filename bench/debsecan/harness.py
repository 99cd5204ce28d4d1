#!/usr/bin/python3
"""Run debsecan on dpkg status files, one process per host, and time each.

Usage: harness.py DATA_DIR SUITE STATUS_DIR ASSET_ID...

For each asset: `debsecan --source file:///DATA_DIR/ --suite SUITE --status
STATUS_DIR/ID.status --format bugs` (timed: the per-host cost), then the same
with --format simple (CVE and binary package, for the comparison) into
STATUS_DIR/ID.simple. Prints: hosts, total and mean seconds per host (bugs),
the median, and the CVEs found.
"""
import os
import statistics
import subprocess
import sys
import time


def main(data_dir, suite, status_dir, *ids):
    base = ["debsecan", "--source", "file://%s/" % os.path.abspath(data_dir), "--suite", suite]
    times, cves = [], 0
    for aid in ids:
        status = os.path.join(status_dir, "%s.status" % aid)
        t0 = time.perf_counter()
        out = subprocess.run(base + ["--status", status, "--format", "bugs"], check=True,
                             capture_output=True, text=True).stdout
        times.append(time.perf_counter() - t0)
        cves += len(out.split())
        with open(os.path.join(status_dir, "%s.simple" % aid), "w", encoding="utf-8") as f:
            subprocess.run(base + ["--status", status, "--format", "simple"], check=True,
                           stdout=f)
    print("debsecan: %d hosts, %.2f s in all, %.1f ms per host (median %.1f ms), %d CVEs "
          "(host, CVE)" % (len(ids), sum(times), 1000 * sum(times) / len(ids),
                           1000 * statistics.median(times), cves))
    print("PER_HOST_S=%.6f" % (sum(times) / len(ids)))


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__.split("\n\n")[1])
    main(*sys.argv[1:])
