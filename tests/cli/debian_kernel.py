#!/usr/bin/python3
"""Helpers of tests/cli/debian_kernel_shared.t (Debian kernels on the real data).

  debian_kernel.py build INDEX.tsv.xz TRACKER.json.xz T
      T/tracker.json: the real tracker file's `linux` entries, unchanged;
      T/root (state A) and T/upgraded (state B): Debian 12 roots whose dpkg status is made of
      the kernel packages of the real bookworm binary index (names, sources, versions). The
      index has only kernels from 6.1.170 on, older than every fix in the tracker export
      (Feb 2025): state A's kernels are the index's 6.1.0-47 packages with their ABI and
      version replaced by earlier ones Debian released (6.1.0-18 = 6.1.76-1, 6.1.0-21 =
      6.1.90-1); state B adds the index's own 6.1.0-50 kernel (6.1.176-1) and its meta-package.
  debian_kernel.py check CSV TRACKER.json.xz VERSION
      the findings (findings --format csv) are, CVE for CVE, the tracker's `linux` entries
      open (no fix) or fixed after VERSION (dpkg order, python3-apt), all on the meta-package
      linux-image-amd64 at VERSION; nothing on any other package.
"""
import csv
import json
import lzma
import os
import sys

import apt_pkg

OS_RELEASE = ('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n'
              'VERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n')


def index(path):
    rows = {}
    for line in lzma.open(path, "rt", encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) < 6 or f[0] == "suite":
            continue
        rows[(f[1], f[2])] = (f[1], f[4], f[5], f[2])  # name, source, source version, version
    return rows


def stanza(name, src, srcver, version):
    source = src if srcver == version else "%s (%s)" % (src, srcver)
    return ("Package: %s\nStatus: install ok installed\nArchitecture: amd64\nSource: %s\n"
            "Version: %s\n\n" % (name, source, version))


def host(root, pkgs):
    os.makedirs(root + "/etc", exist_ok=True)
    os.makedirs(root + "/var/lib/dpkg", exist_ok=True)
    open(root + "/etc/os-release", "w").write(OS_RELEASE)
    open(root + "/etc/hostname", "w").write("deb-kernel\n")
    open(root + "/etc/machine-id", "w").write("6465622d6b65726e656c000000000001\n")
    with open(root + "/var/lib/dpkg/status", "w") as f:
        for p in sorted(pkgs):
            f.write(stanza(*p))


def build(argv):
    rows, tracker, t = index(argv[0]), json.load(lzma.open(argv[1], "rt")), argv[2]
    json.dump({"linux": tracker["linux"]}, open(t + "/tracker.json", "w"))

    def kernel(abi, version):
        """The index's 6.1.0-47 kernel packages (6.1.170-3), at ABI abi and version."""
        out = []
        for n in ("linux-image-6.1.0-47-amd64", "linux-headers-6.1.0-47-amd64",
                  "linux-headers-6.1.0-47-common"):
            name, src, srcver, ver = rows[(n, "6.1.170-3")]
            sv = version.replace("-", "+") if srcver != ver else version
            out.append((name.replace("6.1.0-47", abi), src, sv, version))
        return out

    def real(names, version):
        return [rows[(n, version)] for n in names]

    common = ["linux-libc-dev", "linux-kbuild-6.1", "linux-image-amd64"]
    # state A: 6.1.0-18 left installed, 6.1.0-21 the newest; the others at 6.1.90-1
    at = lambda v: [(n, s, v.replace("-", "+") if sv != ver else v, v)
                    for n, s, sv, ver in real(common, "6.1.176-1")]
    a = kernel("6.1.0-18", "6.1.76-1") + kernel("6.1.0-21", "6.1.90-1") + at("6.1.90-1")
    host(t + "/root", a)
    # state B: the index's 6.1.0-50 kernel installed and the meta-package upgraded to it
    b = [p for p in a if p[0] not in common] + real(common, "6.1.176-1") + real(
        ["linux-image-6.1.0-50-amd64", "linux-headers-6.1.0-50-amd64",
         "linux-headers-6.1.0-50-common"], "6.1.176-1")
    host(t + "/upgraded", b)


def check(argv):
    apt_pkg.init()
    rows = list(csv.DictReader(open(argv[0])))
    entries = json.load(lzma.open(argv[1], "rt"))["linux"]
    version = argv[2]
    want = {}
    for cve, e in entries.items():
        rel = e["releases"].get("bookworm")
        if rel is None:
            continue
        if rel["status"] == "open":
            want[cve] = "no fix"
        elif rel["status"] == "resolved" and apt_pkg.version_compare(version, rel["fixed_version"]) < 0:
            want[cve] = rel["fixed_version"]
    got = {r["vuln"]: r["fixed"] for r in rows}
    assert len(got) == len(rows), "one finding per CVE"
    assert got == want, (len(got), len(want), sorted(set(got.items()) ^ set(want.items()))[:5])
    assert {r["package"] for r in rows} == {"linux-image-amd64"}, {r["package"] for r in rows}
    assert {r["installed"] for r in rows} == {version}, {r["installed"] for r in rows}
    print("%d findings: %d no fix, %d fixed after %s" % (
        len(rows), sum(1 for v in want.values() if v == "no fix"),
        sum(1 for v in want.values() if v != "no fix"), version), file=sys.stderr)


{"build": build, "check": check}[sys.argv[1]](sys.argv[2:])
