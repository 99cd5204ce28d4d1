#!/usr/bin/env python3
"""Derive a Debian tracker file with the tracker's decisions not to fix.

The tracker file built from the Debian OSV export (../shared/data/debian) keeps
`open` entries but drops the tracker's `nodsa` / `nodsa_reason` fields. This
script takes that real file and sets the decision on open entries of source
packages installed on the given host (dpkg status), in the tracker's own JSON
form: `nodsa` (the tracker's text) with `nodsa_reason` "" for <no-dsa>,
"postponed" or "ignored". With --not-affected it also turns one more open
entry into <not-affected> (`resolved`, `fixed_version` "0").

Usage: debian_states.py TRACKER.json.xz STATUS OUT.json PICKS.tsv [--not-affected]
       debian_states.py --check PICKS.tsv FINDINGS.json   (findings --format json)
The picks (state, source, CVE) are written to PICKS.tsv. The choice is
deterministic: the first open entries of installed sources in (source, CVE)
order, skipping 'linux'.
"""
import json
import lzma
import sys

def check(picks_path, findings_path):
    """Each picked (source, CVE) is a finding on the host whose distro_decision is the pick's
    state, and no other finding has one. Prints one line per pick."""
    picks = [line.rstrip("\n").split("\t") for line in open(picks_path, encoding="utf-8")]
    findings = json.load(open(findings_path, encoding="utf-8"))
    bad = 0
    decided = {(f["vuln"], f["package"]): f.get("distro_decision") for f in findings}
    for state, src, cve in picks:
        got = sorted(set(d for (v, _), d in decided.items() if v == cve))
        n = sum(1 for (v, _) in decided if v == cve)
        print(f"{state} {src} {cve}: {n} findings, distro_decision {got}")
        bad += n == 0 or got != [state]
    others = sum(1 for (v, _), d in decided.items()
                 if d is not None and v not in {p[2] for p in picks})
    print(f"other findings with a decision: {others}")
    return 1 if bad or others else 0


if sys.argv[1] == "--check":
    sys.exit(check(sys.argv[2], sys.argv[3]))

tracker_path, status_path, out_path, picks_path = sys.argv[1:5]
not_affected = "--not-affected" in sys.argv[5:]

installed = set()
with open(status_path, encoding="utf-8") as f:
    for stanza in f.read().split("\n\n"):
        fields = {}
        for line in stanza.splitlines():
            if line[:1] in (" ", "\t") or ":" not in line:
                continue
            k, v = line.split(":", 1)
            fields[k] = v.strip()
        if "installed" not in fields.get("Status", "").split():
            continue
        src = fields.get("Source", fields.get("Package", "")).split(" ")[0]
        installed.add(src)

with lzma.open(tracker_path, "rt", encoding="utf-8") as f:
    tracker = json.load(f)

open_entries = sorted(
    (src, cve)
    for src, cves in tracker.items()
    if src in installed and src != "linux"
    for cve, e in cves.items()
    if e["releases"].get("bookworm", {}).get("status") == "open"
)
states = [("no-dsa", {"nodsa": "Minor issue", "nodsa_reason": ""}),
          ("postponed", {"nodsa": "Revisit when fixed upstream", "nodsa_reason": "postponed"}),
          ("ignored", {"nodsa": "Not covered by security support", "nodsa_reason": "ignored"})]
picks = []
for (state, fields), (src, cve) in zip(states, open_entries):
    tracker[src][cve]["releases"]["bookworm"].update(fields)
    picks.append((state, src, cve))
if not_affected:
    src, cve = open_entries[len(states)]
    rel = tracker[src][cve]["releases"]["bookworm"]
    rel["status"] = "resolved"
    rel["fixed_version"] = "0"
    picks.append(("not-affected", src, cve))

with open(out_path, "w", encoding="utf-8") as f:
    json.dump(tracker, f)
with open(picks_path, "w", encoding="utf-8") as f:
    for p in picks:
        f.write("\t".join(p) + "\n")
