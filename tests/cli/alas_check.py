#!/usr/bin/python3
"""Independent check of the Amazon Linux matching (tests/cli/updateinfo_shared.t).

  alas_check.py al2-host TRIVY_PKGS.json > report.json
      the amazonlinux:2 image's package list as a Trivy report (OS amazon 2)
  alas_check.py al2023-host REPO_PACKAGES.tsv.xz FIXED.tsv.xz > report.json
      an AL2023 host with every binary package of the release's package table
      (x86_64 or noarch); the table omits epochs, so a package takes the epoch
      its ALAS rows give it (epochs do not change within a release)
  alas_check.py al2-lp-host TRIVY_PKGS.json NAME KERNEL_VR BUILD LP_RELEASE > report.json
      the same image's packages plus `kernel` KERNEL_VR ("5.10.112-108.499.amzn2") and the
      live patch package kernel-livepatch-BUILD 1.0-LP_RELEASE.amzn2 (a host named NAME)
  alas_check.py expect FIXED.tsv.xz RELEASE report.json [RUNNING]
      "package,vulnerability" for every installed package older than a fixed
      package of RELEASE ("AL2", "AL2023") in alas_fixed_packages.tsv.xz,
      compared with librpm's labelCompare (python3-rpm). An AL2 extras row
      (ALAS2TOPIC-...) whose topic names a version stream ("kernel-5.10") that
      its package carries applies only to installed versions of that stream
      or later. Advisories without a CVE count under their own id. With RUNNING (uname -r),
      a kernel-livepatch-BUILD package applies only when RUNNING is that build.
  alas_check.py mitigated FIXED.tsv.xz RELEASE report.json RUNNING
      "kernel,vulnerability" for every kernel finding (as expect computes them) whose CVE
      a row of the installed kernel-livepatch-BUILD package of the running build fixes at
      or before the installed version: the live patch applied it.

Reads only the shared data files named on the command line; never Patchline's store.
"""
import json
import lzma
import re
import sys

import rpm


def rows(path):
    with lzma.open(path, "rt") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            yield dict(zip(head, line.rstrip("\n").split("\t")))


def evr(e, v, r):
    return (e or "0", v, r)


def report(name, os_name, pkgs):
    return {"SchemaVersion": 2, "ArtifactName": name, "ArtifactType": "container_image",
            "Metadata": {"OS": {"Family": "amazon", "Name": os_name}},
            "Results": [{"Target": name, "Class": "os-pkgs", "Type": "amazon",
                         "Packages": pkgs}]}


def al2_host(path):
    pkgs = json.load(open(path))
    json.dump(report("amazonlinux:2", "2 (Karoo)", pkgs), sys.stdout)


def al2023_host(table, fixed):
    epochs = {}
    for r in rows(fixed):
        if r["release"] == "AL2023" and r["epoch"] not in ("", "0"):
            epochs[r["package"]] = int(r["epoch"])
    pkgs = {}
    for r in rows(table):
        if r["arch"] not in ("x86_64", "noarch") or r["binary_package"] in pkgs:
            continue
        v, rel = r["version_release"].rsplit("-", 1)
        p = {"Name": r["binary_package"], "Version": v, "Release": rel, "Arch": r["arch"],
             "SrcName": r["source_package"], "SrcVersion": v, "SrcRelease": rel}
        if r["binary_package"] in epochs:
            p["Epoch"] = epochs[r["binary_package"]]
        pkgs[r["binary_package"]] = p
    json.dump(report("al2023-20230809", "2023.1.20230809", list(pkgs.values())), sys.stdout)


def stream_of(advisory, release):
    """The version stream of an extras topic: ALAS2KERNEL-5.10-2024-044 -> 5.10."""
    prefix = "ALAS" + ("" if release == "AL1" else release[2:])
    topic = advisory[len(prefix):].rsplit("-", 2)[0] if advisory.count("-") >= 2 else ""
    m = re.search(r"[0-9][0-9.]*$", topic)
    return m.group(0).strip(".") if topic and m else None


def in_stream(version, stream):
    return version.startswith(stream) and not version[len(stream):len(stream) + 1].isdigit()


def al2_lp_host(path, name, kernel_vr, build, lp_release):
    pkgs = json.load(open(path))
    v, rel = kernel_vr.rsplit("-", 1)
    pkgs.append({"Name": "kernel", "Version": v, "Release": rel, "Arch": "x86_64",
                 "SrcName": "kernel", "SrcVersion": v, "SrcRelease": rel})
    lp = "kernel-livepatch-" + build
    pkgs.append({"Name": lp, "Version": "1.0", "Release": lp_release + ".amzn2",
                 "Arch": "x86_64", "SrcName": lp, "SrcVersion": "1.0",
                 "SrcRelease": lp_release + ".amzn2"})
    json.dump(report(name, "2 (Karoo)", pkgs), sys.stdout)


LP = "kernel-livepatch-"


def lp_build(package):
    """kernel-livepatch-5.10.112-108.499[-debuginfo] -> 5.10.112-108.499; None otherwise."""
    if not package.startswith(LP) or not package[len(LP):len(LP) + 1].isdigit():
        return None
    b = package[len(LP):]
    return b[:-len("-debuginfo")] if b.endswith("-debuginfo") else b


def runs(running, build):
    return running == build or running.startswith(build + ".")


def installed_of(path):
    installed = {}
    for res in json.load(open(path))["Results"]:
        for p in res["Packages"]:
            installed[p["Name"]] = (str(p.get("Epoch", 0) or 0), p["Version"], p["Release"])
    return installed


def findings(fixed, release, path, running=None):
    installed = installed_of(path)
    out = set()
    for r in rows(fixed):
        if r["release"] != release or r["package"] not in installed:
            continue
        b = lp_build(r["package"])
        if running is not None and b is not None and not runs(running, b):
            continue
        have = installed[r["package"]]
        if rpm.labelCompare(have, evr(r["epoch"], r["version"], r["release_tag"])) >= 0:
            continue
        stream = stream_of(r["advisory_id"], release)
        if stream and in_stream(r["version"], stream) and \
                rpm.labelCompare((have[0], have[1], ""), (r["epoch"] or "0", stream, "")) < 0:
            continue
        for v in (r["cve_ids"].split() or [r["advisory_id"]]):
            out.add("%s,%s" % (r["package"], v))
    return out


def expect(fixed, release, path, running=None):
    for line in sorted(findings(fixed, release, path, running)):
        print(line)


def mitigated(fixed, release, path, running):
    installed = installed_of(path)
    applied = set()
    for r in rows(fixed):
        b = lp_build(r["package"])
        if r["release"] != release or r["package"] not in installed or b is None or \
                r["package"].endswith("-debuginfo") or not runs(running, b):
            continue
        if rpm.labelCompare(installed[r["package"]],
                            evr(r["epoch"], r["version"], r["release_tag"])) >= 0:
            applied.update(r["cve_ids"].split())
    for line in sorted(findings(fixed, release, path, running)):
        pkg, vuln = line.split(",")
        if pkg == "kernel" and vuln in applied:
            print(line)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "al2-host":
        al2_host(sys.argv[2])
    elif cmd == "al2023-host":
        al2023_host(sys.argv[2], sys.argv[3])
    elif cmd == "al2-lp-host":
        al2_lp_host(*sys.argv[2:7])
    elif cmd == "expect":
        expect(sys.argv[2], sys.argv[3], sys.argv[4], *sys.argv[5:6])
    elif cmd == "mitigated":
        mitigated(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        sys.exit("unknown command " + cmd)
