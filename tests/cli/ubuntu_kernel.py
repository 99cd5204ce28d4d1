#!/usr/bin/env python3
"""Helpers of tests/cli/ubuntu_kernel_shared.t (Ubuntu kernels on the real data).

  ubuntu_kernel.py build USN.json T   the hosts' roots under T, built from the notice's binaries
  ubuntu_kernel.py jammy CSV CVES     the 22.04 host's findings: one per CVE, on the meta-package
  ubuntu_kernel.py noble CSV CVES     the 24.04 host's: on the newest installed image
"""
import csv
import json
import os
import sys


def build(argv):
    usn = json.load(open(argv[0])); t = argv[1]
    def host(code, ver, stanzas):
        root = os.path.join(t, code)
        os.makedirs(root + "/etc", exist_ok=True); os.makedirs(root + "/var/lib/dpkg", exist_ok=True)
        open(root + "/etc/os-release", "w").write('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="%s"\nVERSION_CODENAME=%s\n' % (ver, code))
        open(root + "/etc/hostname", "w").write("gpu-%s\n" % code)
        open(root + "/etc/machine-id", "w").write(("%032x" % int.from_bytes(code.encode(), "big"))[-32:] + "\n")
        with open(root + "/var/lib/dpkg/status", "w") as f:
            for name, src, version in stanzas:
                f.write("Package: %s\nStatus: install ok installed\nArchitecture: amd64\nSource: %s\nVersion: %s\n\n" % (name, src, version))
    def kernel(aff, abi, version, signed):
        out = []
        for b in aff["ecosystem_specific"]["binaries"]:
            n = b["binary_name"]
            if "dbgsym" in n or "64k" in n or "buildinfo" in n or "tools" in n:
                continue
            out.append((n.replace("1017", abi), aff["package"]["name"], version))
        if signed:  # the signed image comes from the signing wrapper source, at the same version
            out.append(("linux-image-6.8.0-%s-nvidia" % abi, "linux-signed-nvidia-6.8 (%s)" % version, version))
        return out
    jammy = [a for a in usn["affected"] if a["package"]["name"] == "linux-nvidia-6.8"][0]
    low = [a for a in usn["affected"] if a["package"]["name"] == "linux-nvidia-lowlatency"][0]
    st = kernel(jammy, "1010", "6.8.0-1010.10~22.04.1", False) + kernel(jammy, "1012", "6.8.0-1012.12~22.04.1", True)
    meta = [("linux-nvidia-6.8", "linux-meta-nvidia-6.8 (6.8.0.1012.12~22.04.1)", "6.8.0.1012.12~22.04.1"),
            ("linux-image-nvidia-6.8", "linux-meta-nvidia-6.8 (6.8.0.1012.12~22.04.1)", "6.8.0.1012.12~22.04.1")]
    host("jammy", "22.04", st + meta)
    meta17 = [(n, "linux-meta-nvidia-6.8 (6.8.0.1017.19~22.04.1)", "6.8.0.1017.19~22.04.1") for n, _, _ in meta]
    host("jammy-upgraded", "22.04", st + meta17 + kernel(jammy, "1017", "6.8.0-1017.19~22.04.1", True))
    # 24.04: linux-nvidia-lowlatency 1012 and 1013 installed, no meta-package, running kernel unknown
    host("noble", "24.04", kernel(low, "1012", "6.8.0-1012.12.1", False) + kernel(low, "1013", "6.8.0-1013.14.1", False))
    # the CVE ids the notice names, as the matcher keeps findings per CVE
    cves = sorted({x for k in ("aliases", "related", "upstream") for x in usn.get(k, []) if x.startswith("CVE-")})
    open(t + "/usn-cves", "w").write("\n".join(cves) + "\n")


def jammy(argv):
    rows = list(csv.DictReader(open(argv[0])))
    want = set(open(argv[1]).read().split()) | {"CVE-2025-21984"}
    got = {r["vuln"] for r in rows}
    assert got == want, (len(got), len(want), sorted(got ^ want)[:5])
    assert {r["package"] for r in rows} == {"linux-image-nvidia-6.8"}, {r["package"] for r in rows}
    assert {r["installed"] for r in rows} == {"6.8.0-1012.12~22.04.1"}
    assert {r["fixed"] for r in rows} == {"6.8.0-1017.19~22.04.1", "no fix"}, {r["fixed"] for r in rows}


def noble(argv):
    rows = list(csv.DictReader(open(argv[0])))
    want = set(open(argv[1]).read().split())
    assert {r["vuln"] for r in rows} >= want, len(rows)
    assert {r["package"] for r in rows} == {"linux-image-unsigned-6.8.0-1013-nvidia-lowlatency"}, {r["package"] for r in rows}
    assert {r["installed"] for r in rows} == {"6.8.0-1013.14.1"}
    assert "6.8.0-1017.19.1" in {r["fixed"] for r in rows}


{"build": build, "jammy": jammy, "noble": noble}[sys.argv[1]](sys.argv[2:])
