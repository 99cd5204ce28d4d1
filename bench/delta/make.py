#!/usr/bin/python3
"""A daily feed delta for the estate of a store (bench/delta.sh).

usage: make.py STORE TRACKER_JSON_GZ KEV_JSON EPSS_CSV_GZ OUTDIR DATE [SEED]

Writes into OUTDIR, from the real feeds and the estate in STORE (a SQLite file
or a PostgreSQL URL, bench/pldb.py):
  tracker.json.gz  the Debian tracker JSON with 100 new fixes: (source, CVE)
                   entries for sources the estate runs, each a real CVE the
                   tracker names for another source (one flaw in several), fixed
                   in a version after the newest the estate runs (python3-apt order);
  kev.json         the KEV catalogue with 10 additions: CVEs the tracker names
                   and KEV does not list, added on DATE;
  nvd.json         an NVD API 2.0 page giving 50 CVEs of the tracker a new
                   CVSS 3.1 vector (NVD's own metric, which takes precedence);
  epss.csv.gz      the EPSS scores, each multiplied by a factor drawn in
                   [0.9, 1.1] (capped at 1), percentiles recomputed by rank.
Prints what it changed. The same SEED gives the same delta.
"""
import gzip
import json
import os
import random
import sys

import apt_pkg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pldb  # noqa: E402


def main():
    store, tracker_p, kev_p, epss_p, out, date = sys.argv[1:7]
    seed = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    rnd = random.Random(seed)
    apt_pkg.init_system()
    db = pldb.connect(store)
    newest = {}
    for src, ver in db.execute(
            "SELECT DISTINCT coalesce(source_name, name), coalesce(source_version, version) "
            "FROM packages"):
        if src not in newest or apt_pkg.version_compare(ver, newest[src]) > 0:
            newest[src] = ver
    tracker = json.load(gzip.open(tracker_p))
    named = {cve for entries in tracker.values() for cve in entries}

    # EPSS: read once, for the CVE pool and the rescoring
    with gzip.open(epss_p, "rt") as f:
        head = [f.readline(), f.readline()]
        rows = [line.rstrip("\n").split(",") for line in f if line.strip()]
    pool = sorted(named)

    sources = sorted(s for s in tracker if s in newest)
    picked = rnd.sample(sources, min(100, len(sources)))
    while len(picked) < 100:
        picked.append(rnd.choice(sources))
    for src in picked:
        cve = rnd.choice(pool)
        while cve in tracker[src]:
            cve = rnd.choice(pool)
        tracker[src][cve] = {"releases": {"bookworm": {
            "fixed_version": newest[src] + "+fix1", "repositories": {},
            "status": "resolved", "urgency": "high"}}, "scope": "unknown"}
    with gzip.open(out + "/tracker.json.gz", "wt") as f:
        json.dump(tracker, f)
    print(f"tracker: 100 new fixes on {len(set(picked))} sources the estate runs")

    kev = json.load(open(kev_p))
    listed = {v["cveID"] for v in kev["vulnerabilities"]}
    # CVEs only: an end-of-life finding's id (eol:PRODUCT:CYCLE) is in neither KEV nor NVD
    hit = [c for (c,) in db.execute(
        "SELECT DISTINCT vuln_id FROM findings WHERE status = 'open' ORDER BY vuln_id")
           if c.startswith("CVE-")]
    cands = [c for c in hit if c not in listed]
    add = rnd.sample(cands, 10)
    for c in add:
        kev["vulnerabilities"].append({
            "cveID": c, "vendorProject": "Debian", "product": "bookworm",
            "vulnerabilityName": c + " (bench delta)", "dateAdded": date,
            "shortDescription": "bench delta", "requiredAction": "Apply updates.",
            "dueDate": date, "knownRansomwareCampaignUse": "Unknown", "notes": "", "cwes": []})
    kev["count"] = len(kev["vulnerabilities"])
    kev["catalogVersion"] = kev["catalogVersion"] + ".1"
    json.dump(kev, open(out + "/kev.json", "w"))
    print("kev: 10 additions: " + " ".join(add))

    rest = [c for c in hit if c not in add]
    cvss = rnd.sample(rest, min(50, len(rest)))
    vectors = [("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"),
               ("CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.8, "LOW"),
               ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 6.5, "MEDIUM")]
    vulns = []
    for i, c in enumerate(cvss):
        vec, score, sev = vectors[i % len(vectors)]
        vulns.append({"cve": {
            "id": c, "sourceIdentifier": "nvd@nist.gov", "published": date + "T00:00:00.000",
            "lastModified": date + "T00:00:00.000", "vulnStatus": "Analyzed",
            "descriptions": [{"lang": "en", "value": "bench delta"}],
            "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary",
                                           "cvssData": {"version": "3.1", "vectorString": vec,
                                                        "baseScore": score,
                                                        "baseSeverity": sev}}]}}})
    json.dump({"resultsPerPage": 50, "startIndex": 0, "totalResults": 50, "format": "NVD_CVE",
               "version": "2.0", "timestamp": date + "T00:00:00.000",
               "vulnerabilities": vulns}, open(out + "/nvd.json", "w"))
    print("nvd: 50 CVSS changes")

    scores = []
    for r in rows:
        s = min(1.0, float(r[1]) * rnd.uniform(0.9, 1.1))
        scores.append(s)
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    pct = [0.0] * len(scores)
    for rank, i in enumerate(order):
        pct[i] = rank / max(1, len(scores) - 1)
    with gzip.open(out + "/epss.csv.gz", "wt") as f:
        f.write(head[0].replace(head[0].split("score_date:")[1].strip(), date + "T00:00:00Z")
                if "score_date:" in head[0] else head[0])
        f.write(head[1])
        for r, s, p in zip(rows, scores, pct):
            f.write(f"{r[0]},{s:.5f},{p:.5f}\n")
    print(f"epss: {len(rows)} scores rescored by a factor in [0.9, 1.1]")


if __name__ == "__main__":
    main()
