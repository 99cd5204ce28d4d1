#!/usr/bin/python3
"""Independent check of the Amazon Linux matching (tests/cli/updateinfo_shared.t).

  alas_check.py al2-host TRIVY_PKGS.json > report.json
      the amazonlinux:2 image's package list as a Trivy report (OS amazon 2)
  alas_check.py al2023-host REPO_PACKAGES.tsv.xz FIXED.tsv.xz > report.json
      an AL2023 host with every binary package of the release's package table
      (x86_64 or noarch); the table omits epochs, so a package takes the epoch
      its ALAS rows give it (epochs do not change within a release)
  alas_check.py expect FIXED.tsv.xz RELEASE report.json
      "package,vulnerability" for every installed package older than a fixed
      package of RELEASE ("AL2", "AL2023") in alas_fixed_packages.tsv.xz,
      compared with librpm's labelCompare (python3-rpm). An AL2 extras row
      (ALAS2TOPIC-...) whose topic names a version stream ("kernel-5.10") that
      its package carries applies only to installed versions of that stream
      or later. Advisories without a CVE count under their own id.

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


def expect(fixed, release, path):
    installed = {}
    for res in json.load(open(path))["Results"]:
        for p in res["Packages"]:
            installed[p["Name"]] = (str(p.get("Epoch", 0) or 0), p["Version"], p["Release"])
    out = set()
    for r in rows(fixed):
        if r["release"] != release or r["package"] not in installed:
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
    for line in sorted(out):
        print(line)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "al2-host":
        al2_host(sys.argv[2])
    elif cmd == "al2023-host":
        al2023_host(sys.argv[2], sys.argv[3])
    elif cmd == "expect":
        expect(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit("unknown command " + cmd)
