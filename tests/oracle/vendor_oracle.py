#!/usr/bin/env python3
"""An independent reading of the vendor bulletins, for tests/cli/vendor_shared.t.

gen VENDOR_ADVISORIES_DIR OUTDIR
    Build a constructed estate of appliances seen by Nmap (service CPEs), at and
    around the versions the real bulletins name: FortiOS (from Fortinet's
    affected-versions TSV), PAN-OS (from Palo Alto Networks' CVE JSON 5 records:
    range starts, bounds and every fixing hotfix, each also one hotfix below and
    above, and the next maintenance release), Cisco IOS XE, ASA and FTD (releases
    of the CSAF product trees, and some no bulletin lists). Decide on its own
    which (asset, vulnerability) pairs are affected and write nmap.xml and
    expected.tsv into OUTDIR.

compare EXPECTED_TSV FINDINGS_CSV
    Compare Patchline's open findings (end of life aside) with the expected pairs;
    print the counts and every difference; exit 1 on any difference.

The rules (docs/third-party.md), written here without Patchline's code. Versions
compare as rpmvercmp (runs of digits numerically, runs of letters as text, digits
newer than letters, separators ignored, a longer version newer).
- Fortinet: a version is affected by every CVE (else the advisory id) of each TSV
  row naming the product and that version as "Known Affected".
- Palo Alto Networks: an "affected" versions[] entry covers: "All" every version;
  "X None" none; "X All" or "X.*" without bounds the line X (X itself and what
  starts with "X." or "X-"); a version without bounds only itself; else from the
  version up to lessThan / the highest change point (excluded), or up to
  lessThanOrEqual (included) when that is higher, except a version at or after an
  "unaffected" change point that has no -hN suffix, or that is a hotfix of the
  version's own maintenance release (10.2.9-h1 fixes 10.2.9-h1, 10.2.9-h3, not 10.2.10).
- Cisco: a release is affected by each vulnerability whose known_affected lists the
  product_tree leaf of that release under the product family.
"""
import csv
import json
import lzma
import os
import re
import sys

PER_PRODUCT = 120


def segments(v):
    return re.findall(r"[0-9]+|[a-zA-Z]+", v.lower())


def vcmp(a, b):
    sa, sb = segments(a), segments(b)
    for x, y in zip(sa, sb):
        if x.isdigit() and y.isdigit():
            x, y = int(x), int(y)
        elif x.isdigit() != y.isdigit():
            return 1 if x.isdigit() else -1
        if x != y:
            return -1 if x < y else 1
    return (len(sa) > len(sb)) - (len(sa) < len(sb))


def vkey(s):
    return [(0, int(x)) if x.isdigit() else (1, x) for x in segments(s)]


def sample(vals, n=PER_PRODUCT):
    vals = sorted(set(v for v in vals if re.fullmatch(r"[0-9][0-9A-Za-z.\-]*", v)), key=vkey)
    if len(vals) > n:
        step = len(vals) / n
        vals = [vals[int(i * step)] for i in range(n)]
    return vals


def hotfix(v):
    m = re.fullmatch(r"(.*)-h([0-9]+)", v)
    return (m.group(1), int(m.group(2))) if m else (v, None)


# ---- Fortinet ----------------------------------------------------------------

def fortinet(d):
    rows = []
    with lzma.open(os.path.join(d, "fortinet_psirt_affected_versions.tsv.xz"), "rt") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r["product"] == "FortiOS" and r["status"] == "Known Affected":
                rows.append(r)
    versions = sample([r["version"] for r in rows] + ["7.4.3", "7.4.7", "7.6.1", "8.0.0"])

    def affected(v):
        out = set()
        for r in rows:
            if vcmp(v, r["version"]) == 0:
                ids = r["cve_ids"].split()
                out.update(ids if ids else [r["advisory_id"]])
        return out
    return [("o:fortinet:fortios", v, affected(v)) for v in versions]


# ---- Palo Alto Networks ----------------------------------------------------------

def pan_entries(d):
    out = []  # (vuln, entry)
    with lzma.open(os.path.join(d, "paloalto_security_advisories_cve5.jsonl.xz"), "rt") as f:
        for line in f:
            rec = json.loads(line)
            if rec["cveMetadata"].get("state", "PUBLISHED") != "PUBLISHED":
                continue
            vid = rec["cveMetadata"]["cveId"]
            for a in rec["containers"]["cna"].get("affected", []):
                if a.get("product") != "PAN-OS":
                    continue
                for e in a.get("versions", []):
                    if e.get("status") == "affected":
                        out.append((vid, e))
    return out


VER = re.compile(r"[0-9][0-9A-Za-z._()+-]*")


def pan_covers(e, v):
    ver = e["version"].strip()
    if ver == "All":
        line, base = False, None
    else:
        word = ver.split(" ")[0]
        rest = ver[len(word):]
        if rest not in ("", " All"):
            return False  # " None", or a condition in words
        line = rest == " All" or word.endswith(".*")
        base = word[:-2] if word.endswith(".*") else word
        if not VER.fullmatch(base):
            return False
    lt = (e.get("lessThan") or "").strip() or None
    le = (e.get("lessThanOrEqual") or "").strip() or None
    if lt and not VER.fullmatch(lt):
        lt, line = None, base is not None
    if le and not VER.fullmatch(le):
        le = None
    fixes = []
    for c in e.get("changes", []):
        if c.get("status") == "unaffected":
            fixes += [x.strip() for x in c["at"].split(",") if VER.fullmatch(x.strip())]
    top = None
    for x in ([lt] if lt else []) + fixes:
        if top is None or vcmp(x, top) > 0:
            top = x
    if top is None and le is None:
        if base is None:
            return True
        if line:
            return v == base or v.startswith(base + ".") or v.startswith(base + "-")
        return vcmp(v, base) == 0
    if base is not None and vcmp(v, base) < 0:
        return False
    if le is not None and (top is None or vcmp(le, top) >= 0):
        if vcmp(v, le) > 0:
            return False
    elif vcmp(v, top) >= 0:
        return False
    vb = hotfix(v)[0]
    for fx in fixes:
        fb, h = hotfix(fx)
        if vcmp(v, fx) >= 0 and (h is None or fb == vb):
            return False
    return True


def paloalto(d):
    entries = pan_entries(d)
    points = set()
    for _, e in entries:
        ats = [x.strip() for c in e.get("changes", []) for x in c["at"].split(",")]
        for x in [e["version"].strip().split(" ")[0].rstrip("*").rstrip("."), e.get("lessThan"),
                  e.get("lessThanOrEqual")] + ats:
            if not x or not re.fullmatch(r"[0-9][0-9A-Za-z.\-]*", x):
                continue
            points.add(x)
            b, h = hotfix(x)
            points.add(b)
            if h is not None:
                points.add("%s-h%d" % (b, h + 1))
                if h > 1:
                    points.add("%s-h%d" % (b, h - 1))
            nums = b.split(".")
            if nums[-1].isdigit():
                points.add(".".join(nums[:-1] + [str(int(nums[-1]) + 1)]))
    versions = sample(points, 3 * PER_PRODUCT)
    return [("o:paloaltonetworks:pan-os", v, {vid for vid, e in entries if pan_covers(e, v)})
            for v in versions]


# ---- Cisco -------------------------------------------------------------------------

FAMILIES = {"Cisco IOS XE Software": "o:cisco:ios_xe",
            "Cisco Adaptive Security Appliance (ASA) Software": "o:cisco:adaptive_security_appliance_software",
            "Cisco Firepower Threat Defense Software": "a:cisco:firepower_threat_defense"}


def cisco(d):
    listed = {}  # (cpe, version) -> vulns
    with lzma.open(os.path.join(d, "cisco_csaf_asa_ftd_iosxe_2020plus.jsonl.xz"), "rt") as f:
        for line in f:
            doc = json.loads(line)
            leaves = {}

            def walk(bs, fam):
                for b in bs:
                    here = FAMILIES.get(b.get("name"), fam)
                    pid = (b.get("product") or {}).get("product_id")
                    if pid and here and "branches" not in b:
                        leaves[pid] = (here, b["name"])
                    walk(b.get("branches", []), here)
            walk(doc["product_tree"].get("branches", []), None)
            for v in doc.get("vulnerabilities", []):
                vid = v.get("cve") or doc["document"]["tracking"]["id"]
                for pid in v.get("product_status", {}).get("known_affected", []):
                    if pid in leaves:
                        listed.setdefault(leaves[pid], set()).add(vid)
    out = []
    for cpe in FAMILIES.values():
        vs = sample([v for (c, v) in listed if c == cpe] + ["17.9.99", "9.99.1", "7.9.9"])
        for v in vs:
            hit = set()
            for (c, lv), ids in listed.items():
                if c == cpe and vcmp(v, lv) == 0:
                    hit |= ids
            out.append((cpe, v, hit))
    return out


def gen(d, outdir):
    hosts = fortinet(d) + paloalto(d) + cisco(d)
    xml = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!-- CONSTRUCTED by tests/oracle/vendor_oracle.py: not a real scan -->',
           '<nmaprun scanner="nmap" args="nmap -sV" start="1767225600" version="7.93" xmloutputversion="1.05">']
    expected = []
    for k, (cpe, v, vulns) in enumerate(hosts, 1):
        part, vendor, product = cpe.split(":")
        name = "oracle-%s-%04d" % (product.replace("_", "-"), k)
        addr = "10.%d.%d.%d" % (210 + k // 62500, (k // 250) % 250, k % 250 + 1)
        xml.append('<host starttime="1767225601" endtime="1767225602"><status state="up" reason="syn-ack"/>'
                   '<address addr="%s" addrtype="ipv4"/><hostnames><hostname name="%s" type="PTR"/></hostnames>'
                   '<ports><port protocol="tcp" portid="443"><state state="open" reason="syn-ack"/>'
                   '<service name="https" method="probed" conf="10"><cpe>cpe:/%s:%s:%s:%s</cpe></service>'
                   '</port></ports></host>' % (addr, name, part, vendor, product, v))
        expected += [(name, x) for x in vulns]
    xml.append('<runstats><finished time="1767225700"/><hosts up="%d" down="0" total="%d"/></runstats></nmaprun>'
               % (len(hosts), len(hosts)))
    os.makedirs(outdir, exist_ok=True)
    open(os.path.join(outdir, "nmap.xml"), "w").write("\n".join(xml) + "\n")
    with open(os.path.join(outdir, "expected.tsv"), "w") as f:
        for a, c in sorted(set(expected)):
            f.write("%s\t%s\n" % (a, c))
    by = {}
    for cpe, v, vulns in hosts:
        by[cpe] = by.get(cpe, 0) + 1
    print("generated %d appliances (%s); %d affected (asset, vulnerability) pairs"
          % (len(hosts), ", ".join("%s %d" % kv for kv in sorted(by.items())), len(set(expected))))


def compare(expected_tsv, findings_csv):
    want = {tuple(l.rstrip("\n").split("\t")) for l in open(expected_tsv) if l.strip()}
    got = set()
    with open(findings_csv, newline="") as f:
        for row in csv.DictReader(f):
            if row["status"] == "open" and not row["vuln"].startswith("eol:"):
                got.add((row["asset"], row["vuln"]))
    missing, extra = sorted(want - got), sorted(got - want)
    for a, c in missing[:50]:
        print("missing: %s %s" % (a, c))
    for a, c in extra[:50]:
        print("extra: %s %s" % (a, c))
    print("oracle: %d expected, %d found, %d missing, %d extra" % (len(want), len(got), len(missing), len(extra)))
    return 1 if missing or extra or not want else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "gen":
        gen(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(*sys.argv[2:]))
    else:
        sys.exit(__doc__)
