#!/usr/bin/env python3
"""Build the demo's Amazon Linux 2023 and Ubuntu snapshots from Patchline's shared data.

Writes, under data/ (see data/PROVENANCE.md):
  linux-estate.tsv.xz               the package sets of the demo's Linux profiles
  feeds/alas2023-subset.jsonl.xz    the AL2023 ALAS advisories naming those packages (lines unchanged)
  feeds/ubuntu-osv.jsonl.xz         USN-7095-1 and UBUNTU-CVE-2024-51988 (OSV, minified)
  feeds/ubuntu-cve-CVE-2025-21984.json.xz   the Ubuntu CVE API page (unchanged)

usage: scripts/gen-demo-linux.py SHARED_DATA_DIR OUT_DIR
Needs python3-rpm (labelCompare) for the rpm order.
"""
import json
import lzma
import sys

import rpm

SHARED, OUT = sys.argv[1], sys.argv[2]

# Server packages of an AL2023 EC2 instance beside the base image's (names of the amazonlinux:2
# image's package list that the AL2023 release also has).
AL_SERVER = ["kernel", "openssh", "openssh-server", "openssh-clients", "sudo", "systemd",
             "systemd-libs", "python3", "python3-libs", "openssl", "libxml2", "nginx", "git",
             "rsync", "tar", "less", "libssh", "sqlite-libs", "bind-libs", "vim-data", "unbound-libs"]


def xz_lines(path):
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\n")


def evr(e, v, r):
    return ("%s:%s-%s" % (e, v, r)) if e not in ("", "0", None) else "%s-%s" % (v, r)


def split_evr(s):
    e, _, vr = s.rpartition(":") if ":" in s else ("0", "", s)
    v, _, r = vr.rpartition("-")
    return (e or "0", v, r)


def newer(a, b):
    return rpm.labelCompare(split_evr(a), split_evr(b)) > 0


def amazon_rows():
    image = {p["Name"] for p in json.load(open(SHARED + "/amazon/trivy_amazonlinux2_image_rpm_packages.json"))}
    table = {}
    for i, line in enumerate(xz_lines(SHARED + "/amazon/al2023.1.20230809_repository_packages.tsv.xz")):
        if i == 0:
            continue
        name, arch, src, vr = line.split("\t")
        if arch in ("x86_64", "noarch") and (name in image or name in AL_SERVER):
            table[name] = (src, vr)
    fixes = {}
    for i, line in enumerate(xz_lines(SHARED + "/amazon/alas_fixed_packages.tsv.xz")):
        if i == 0:
            continue
        f = line.split("\t")
        if f[1] != "AL2023" or f[2] != "core" or f[6] not in table or f[10] not in ("x86_64", "noarch"):
            continue
        v = evr(f[7], f[8], f[9])
        if f[6] not in fixes or newer(v, fixes[f[6]]):
            fixes[f[6]] = v
    rows = []
    for name in sorted(table):
        src, vr = table[name]
        rows.append(("amazon-2023", "base", name, vr, src, vr))
        if name in fixes and newer(fixes[name], vr):
            rows.append(("amazon-2023", "update", name, fixes[name], src, fixes[name]))
    return rows, set(table)


def kernel_set(profile, set_name, flavour, abi, version, src, meta_src, meta_names, bins):
    """The kernel binaries of one ABI (the names the USN lists for the fixed ABI, with abi)."""
    rows = []
    for b in bins:
        if "dbgsym" in b or "buildinfo" in b or "tools" in b or "64k" in b:
            continue
        rows.append((profile, set_name, b.replace("1017", abi), version, src, version))
    # the meta-packages: Ubuntu's version scheme VERSION.ABI.UPLOAD (derived from the kernel's)
    meta_version = version.replace("-", ".", 1)
    for m in meta_names:
        rows.append((profile, set_name, m, meta_version, meta_src, meta_version))
    return rows


def ubuntu_rows():
    usn = json.load(open(SHARED + "/ubuntu/samples/USN-7095-1.json"))
    rmq = json.load(open(SHARED + "/ubuntu/samples/UBUNTU-CVE-2024-51988.json"))
    rows = []
    for a in usn["affected"]:
        eco, src = a["package"]["ecosystem"], a["package"]["name"]
        if src == "linux-nvidia-lowlatency":
            continue
        profile = "ubuntu-22.04" if eco.startswith("Ubuntu:22.04") else "ubuntu-24.04"
        bins = [b["binary_name"] for b in a["ecosystem_specific"]["binaries"]]
        fixed = [e["fixed"] for r in a["ranges"] for e in r["events"] if "fixed" in e][0]
        old = a["versions"][-4]  # an affected version a few uploads behind the fix
        flav = src[len("linux-"):]
        meta_src = "linux-meta-" + flav
        metas = ["linux-" + flav, "linux-image-" + flav, "linux-headers-" + flav]
        rows += kernel_set(profile, "kernel-old", flav, old.split("-")[1].split(".")[0], old, src, meta_src, metas, bins)
        rows += kernel_set(profile, "kernel-new", flav, "1017", fixed, src, meta_src, metas, bins)
    for a in rmq["affected"]:
        eco = a["package"]["ecosystem"]
        profile = {"Ubuntu:22.04:LTS": "ubuntu-22.04", "Ubuntu:24.04:LTS": "ubuntu-24.04"}.get(eco)
        if profile is None:
            continue
        fixed = [e["fixed"] for r in a["ranges"] for e in r["events"] if "fixed" in e][0]
        rows.append((profile, "base", "rabbitmq-server", a["versions"][-1], "rabbitmq-server", a["versions"][-1]))
        rows.append((profile, "update", "rabbitmq-server", fixed, "rabbitmq-server", fixed))
    return rows, [usn, rmq]


def write_xz(path, text):
    with lzma.open(path, "wt", encoding="utf-8", preset=9 | lzma.PRESET_EXTREME) as f:
        f.write(text)


def main():
    al, al_names = amazon_rows()
    ub, osv = ubuntu_rows()
    lines = ["# Patchline demo: Linux package sets (scripts/gen-demo-linux.py; data/PROVENANCE.md)",
             "# profile\tset\tpackage\tversion\tsource\tsource_version"]
    lines += ["\t".join(r) for r in al + ub]
    write_xz(OUT + "/linux-estate.tsv.xz", "\n".join(lines) + "\n")
    keep = []
    for line in xz_lines(SHARED + "/amazon/alas_advisories.jsonl.xz"):
        d = json.loads(line)
        if d.get("amazon_linux_release") != "AL2023" or d.get("repository") != "core":
            continue
        pk = d.get("Pkglist", {}).get("Collection", {}).get("Package", [])
        if any(p.get("Name") in al_names for p in (pk if isinstance(pk, list) else [pk])):
            keep.append(line)
    write_xz(OUT + "/feeds/alas2023-subset.jsonl.xz", "\n".join(keep) + "\n")
    write_xz(OUT + "/feeds/ubuntu-osv.jsonl.xz",
             "".join(json.dumps(d, separators=(",", ":"), ensure_ascii=False) + "\n" for d in osv))
    with open(SHARED + "/ubuntu/samples/ubuntu_cve_api_page_CVE-2025-21984.json", encoding="utf-8") as f:
        write_xz(OUT + "/feeds/ubuntu-cve-CVE-2025-21984.json.xz", f.read())
    print("amazon rows %d, ubuntu rows %d, ALAS kept %d" % (len(al), len(ub), len(keep)))


main()
