#!/usr/bin/env python3
"""An independent CPE matcher over NVD CVE API 2.0 records, for tests/cli/third_party_shared.t.

gen NVD_JSONL_XZ INTUNE_TEMPLATE JAMF_TEMPLATE OUTDIR
    Build a constructed estate from the real NVD records: for each product below,
    installed versions at and around every version the records name (range bounds and
    exact versions), one piece of software per asset: Intune Windows devices and Jamf
    Macs for the browsers, Nmap hosts (service CPEs, no OS) for the appliances. Then
    decide with this file's own matcher which (asset, CVE) pairs are vulnerable and
    write intune.json, jamf.json, nmap.xml and expected.tsv into OUTDIR.

compare EXPECTED_TSV FINDINGS_CSV
    Compare Patchline's open findings (csv: asset, vuln ...) with the expected pairs;
    print the counts and every difference; exit 1 on any difference.

The matching rules (docs/third-party.md), written here without Patchline's code:
a vulnerable cpeMatch applies to software of the same part, vendor and product when
its version equals the criteria's version (with "-update" appended when the criteria
names an update other than "*" or "-") or lies inside the range; versions compare
as rpmvercmp does (runs of digits numerically, runs of letters as text, digits newer
than letters, separators ignored, a longer version newer), lower case. In a
configuration with operator AND every node must hold: the node of the software by
the match, every other node by any of its cpeMatch naming a vendor and product the
asset has (its software, and its OS: Windows -> microsoft:windows, macOS ->
apple:macos and apple:mac_os_x).
"""
import copy
import csv
import json
import lzma
import os
import re
import sys

BROWSERS = {  # vendor:product -> (Intune displayName, Jamf application name)
    "google:chrome": ("Google Chrome", "Google Chrome.app"),
    "mozilla:firefox": ("Mozilla Firefox", "Firefox.app"),
    "mozilla:thunderbird": ("Mozilla Thunderbird", "Thunderbird.app"),
}
APPLIANCES = ["o:fortinet:fortios", "a:fortinet:fortiproxy", "o:paloaltonetworks:pan-os",
              "o:cisco:ios_xe", "a:ivanti:connect_secure", "a:ivanti:policy_secure",
              "a:citrix:netscaler_application_delivery_controller"]
PER_PRODUCT = 70  # samples per product, spread over the sorted candidates


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


def split_cpe(c):
    f = c.split(":")
    return {"part": f[2], "vendor": f[3], "product": f[4], "version": f[5], "update": f[6]}


def full(version, update):
    return (version + "-" + update if update not in ("*", "-", "") else version).lower()


def applies(m, part, vendor, product, version):
    c = split_cpe(m["criteria"])
    if not m["vulnerable"] or (c["part"], c["vendor"], c["product"]) != (part, vendor, product):
        return False
    if c["version"] not in ("*", "-", ""):
        return vcmp(version, full(c["version"], c["update"])) == 0
    if "versionStartIncluding" in m and vcmp(version, m["versionStartIncluding"]) < 0:
        return False
    if "versionStartExcluding" in m and vcmp(version, m["versionStartExcluding"]) <= 0:
        return False
    if "versionEndIncluding" in m and vcmp(version, m["versionEndIncluding"]) > 0:
        return False
    if "versionEndExcluding" in m and vcmp(version, m["versionEndExcluding"]) >= 0:
        return False
    return True


def vulnerable(records, sw, has):
    """The CVEs whose configurations hold for software sw on an asset having vendor:products has."""
    out = set()
    for r in records:
        for cfg in r.get("configurations", []):
            nodes = cfg["nodes"]
            hit = [any(not n.get("negate") and applies(m, *sw) for m in n["cpeMatch"]) for n in nodes]
            if not any(hit):
                continue
            if cfg.get("operator") == "AND":
                ok = True
                for i, n in enumerate(nodes):
                    if hit[i]:
                        continue
                    if n.get("negate") or not any(
                            ":".join(split_cpe(m["criteria"])[k] for k in ("vendor", "product")) in has
                            for m in n["cpeMatch"]):
                        ok = False
                if not ok:
                    # the software's node may be another one of the same configuration
                    continue
            out.add(r["id"])
    return out


def candidates(records, part, vendor, product):
    seen = set()
    for r in records:
        for cfg in r.get("configurations", []):
            for n in cfg["nodes"]:
                for m in n["cpeMatch"]:
                    c = split_cpe(m["criteria"])
                    if (c["part"], c["vendor"], c["product"]) != (part, vendor, product):
                        continue
                    vs = [m[k] for k in m if k.startswith("version")]
                    if c["version"] not in ("*", "-"):
                        vs.append(full(c["version"], c["update"]))
                    for v in vs:
                        seen.add(v.lower())
                        nums = re.split(r"([0-9]+)", v.lower())
                        for i in range(len(nums) - 1, -1, -1):
                            if nums[i].isdigit():
                                for d in (-1, 1):
                                    if int(nums[i]) + d >= 0:
                                        seen.add("".join(nums[:i] + [str(int(nums[i]) + d)] + nums[i + 1:]))
                                break
    vals = sorted(seen, key=lambda s: [(0, int(x)) if x.isdigit() else (1, x) for x in segments(s)])
    vals = [v for v in vals if re.fullmatch(r"[0-9][0-9a-z.\-]*", v)]
    if len(vals) > PER_PRODUCT:
        step = len(vals) / PER_PRODUCT
        vals = [vals[int(i * step)] for i in range(PER_PRODUCT)]
    return vals


def gen(nvd, intune_t, jamf_t, outdir):
    with lzma.open(nvd, "rt") as f:
        records = [json.loads(line) for line in f if line.strip()]
    intune = json.load(open(intune_t))
    jamf = json.load(open(jamf_t))
    dev_t, mac_t = intune["value"][0], jamf["results"][0]
    devices, macs, expected = [], [], []
    k = 0
    for vp, (win_name, mac_name) in sorted(BROWSERS.items()):
        vendor, product = vp.split(":")
        for v in candidates(records, "a", vendor, product):
            k += 1
            d = copy.deepcopy(dev_t)
            name = "ORACLE-WIN-%04d" % k
            d.update(id="0racle00-0000-4000-8000-%012d" % k, deviceName=name, serialNumber="ORW%05d" % k,
                     wiFiMacAddress="06%010X" % k, ethernetMacAddress=None, azureADDeviceId=None)
            d["detectedApps"] = [{"id": "%040d" % k, "displayName": win_name, "version": v, "sizeInByte": 0,
                                  "deviceCount": 0, "publisher": vendor, "platform": "windows"}]
            devices.append(d)
            for cve in vulnerable(records, ("a", vendor, product, v), {vp, "microsoft:windows"}):
                expected.append((name, cve))
            m = copy.deepcopy(mac_t)
            name = "ORACLE-MAC-%04d" % k
            m["id"] = str(100000 + k)
            m["udid"] = "0RAC1E00-0000-4000-8000-%012d" % k
            m["general"]["name"] = name
            m["general"]["lastIpAddress"] = "10.%d.%d.1" % (100 + k // 250, k % 250)
            m["general"]["lastReportedIp"] = None
            m["hardware"]["serialNumber"] = "ORM%05d" % k
            m["hardware"]["macAddress"] = "06:00:00:00:%02X:%02X" % (k // 256, k % 256)
            m["hardware"]["altMacAddress"] = None
            app = copy.deepcopy(m["applications"][0])
            app.update(name=mac_name, path="/Applications/" + mac_name, version=v)
            m["applications"] = [app]
            macs.append(m)
            for cve in vulnerable(records, ("a", vendor, product, v),
                                  {vp, "apple:macos", "apple:mac_os_x"}):
                expected.append((name, cve))
    xml = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!-- CONSTRUCTED by tests/oracle/cpe_oracle.py: not a real scan -->',
           '<nmaprun scanner="nmap" args="nmap -sV" start="1767225600" version="7.93" xmloutputversion="1.05">']
    for cpe in APPLIANCES:
        part, vendor, product = cpe.split(":")
        for v in candidates(records, part, vendor, product):
            k += 1
            name = "oracle-fw-%04d" % k
            addr = "10.%d.%d.%d" % (200 + k // 62500, (k // 250) % 250, k % 250 + 1)
            xml.append('<host starttime="1767225601" endtime="1767225602"><status state="up" reason="syn-ack"/>'
                       '<address addr="%s" addrtype="ipv4"/><hostnames><hostname name="%s" type="PTR"/></hostnames>'
                       '<ports><port protocol="tcp" portid="443"><state state="open" reason="syn-ack"/>'
                       '<service name="https" method="probed" conf="10"><cpe>cpe:/%s:%s:%s:%s</cpe></service>'
                       '</port></ports></host>' % (addr, name, part, vendor, product, v))
            for cve in vulnerable(records, (part, vendor, product, v), {vendor + ":" + product}):
                expected.append((name, cve))
    xml.append('<runstats><finished time="1767225700"/><hosts up="%d" down="0" total="%d"/></runstats></nmaprun>'
               % (k, k))
    os.makedirs(outdir, exist_ok=True)
    intune["value"] = devices
    intune["@odata.count"] = len(devices)
    json.dump(intune, open(os.path.join(outdir, "intune.json"), "w"), indent=1)
    jamf["results"] = macs
    jamf["totalCount"] = len(macs)
    json.dump(jamf, open(os.path.join(outdir, "jamf.json"), "w"), indent=1)
    open(os.path.join(outdir, "nmap.xml"), "w").write("\n".join(xml) + "\n")
    with open(os.path.join(outdir, "expected.tsv"), "w") as f:
        for a, c in sorted(set(expected)):
            f.write("%s\t%s\n" % (a, c))
    print("generated %d Windows devices, %d Macs, %d appliances; %d vulnerable (asset, CVE) pairs"
          % (len(devices), len(macs), k - len(devices), len(set(expected))))


def compare(expected_tsv, findings_csv):
    want = {tuple(l.rstrip("\n").split("\t")) for l in open(expected_tsv) if l.strip()}
    got = set()
    with open(findings_csv, newline="") as f:
        for row in csv.DictReader(f):
            # end-of-life findings (eol:PRODUCT:CYCLE) are not NVD matches: eol_shared.t covers them
            if row["status"] == "open" and not row["vuln"].startswith("eol:"):
                got.add((row["asset"], row["vuln"]))
    missing, extra = sorted(want - got), sorted(got - want)
    for a, c in missing:
        print("missing: %s %s" % (a, c))
    for a, c in extra:
        print("extra: %s %s" % (a, c))
    print("oracle: %d expected, %d found, %d missing, %d extra" % (len(want), len(got), len(missing), len(extra)))
    return 1 if missing or extra or not want else 0


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "gen":
        gen(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(*sys.argv[2:]))
    else:
        sys.exit(__doc__)
