# patchline gate --trivy (issue 7): a CI gate over Trivy JSON reports.
# Exit 3 when a report has findings at or above the tier, 0 otherwise, 1 on error.

### gate-1.1: a small report: one finding at tier 1 fails the default threshold
$ gate --trivy $FIX/handoff/trivy-small.json
? 3
> $FIX/handoff/trivy-small.json: registry.example.org/shop/app:1.4: 3 finding(s)
>   tier 0 Emergency  0
>   tier 1 Critical   1
>   tier 2 High       0
>   tier 3 Medium     0
>   tier 4 Low        1
>   unscored        1
>   FAIL tier 1 Critical: CVE-2024-0001 in libfoo 1.0-1 (fixed in 1.0-2; HIGH, score 9.8) [registry.example.org/shop/app:1.4 (debian 12.5)]
> gate: FAIL: 1 finding(s) at or above tier 1 (Critical) in 1 of 1 report(s)

### gate-1.2: the same report passes a tier-0 gate (by name)
$ gate --trivy $FIX/handoff/trivy-small.json --fail-on emergency
>* gate: pass: no finding at or above tier 0 (Emergency) in 1 report(s)

### gate-2.1: bad --fail-on
$ gate --trivy $FIX/handoff/trivy-small.json --fail-on 9
? 2
2> --fail-on: policy 'default' has no tier '9' (its tiers: 0 Emergency, 1 Critical, 2 High, 3 Medium, 4 Low)

### gate-2.2: no report
$ gate
? 2
2> gate: name a report with --trivy REPORT

### gate-2.3: binary garbage
! head -c 4096 /dev/urandom > "$T/garbage.json"
$ gate --trivy $T/garbage.json
? 1
2> patchline: gate: $T/garbage.json: byte

### gate-2.4: a plan file is not a Trivy report
$ gate --trivy $FIX/handoff/plan.json
? 1
2> $FIX/handoff/plan.json: no 'Results' array of records

### gate-2.5: an absent report
$ gate --trivy $T/absent.json
? 1
2> $T/absent.json

### gate-2.6: Vulnerabilities of the wrong type
! printf '{"SchemaVersion":2,"Results":[{"Target":"x","Vulnerabilities":{"a":1}}]}' > "$T/wrong.json"
$ gate --trivy $T/wrong.json
? 1
2> Results[0].Vulnerabilities: want an array

### gate-2.7: Results without SchemaVersion is not a Trivy report
! printf '{"Results":[]}' > "$T/noschema.json"
$ gate --trivy $T/noschema.json
? 1
2> $T/noschema.json: not a Trivy JSON report (no SchemaVersion and Results)

### gate-2.8: text from the report is terminal-escaped
! printf '{"SchemaVersion":2,"ArtifactName":"img\\u001b[2J","Results":[{"Target":"t","Vulnerabilities":[{"VulnerabilityID":"CVE-2024-9","PkgName":"p\\u001b[31m","InstalledVersion":"1","FixedVersion":"2","Severity":"CRITICAL"}]}]}' > "$T/esc.json"
$ gate --trivy $T/esc.json
? 3
>* $T/esc.json: img\x1b[2J: 1 finding(s)
>*   FAIL tier 0 Emergency: CVE-2024-9 in p\x1b[31m 1 (fixed in 2; CRITICAL, score 9.0) [t]

### gate-1.3: the report can come on standard input
< {"SchemaVersion": 2, "ArtifactName": "piped", "Results": [{"Target": "t", "Vulnerabilities": [{"VulnerabilityID": "CVE-2024-7", "PkgName": "p", "InstalledVersion": "1", "Severity": "LOW"}]}]}
$ gate --trivy -
? 0
> -: piped: 1 finding(s)
>   tier 0 Emergency  0
>   tier 1 Critical   0
>   tier 2 High       0
>   tier 3 Medium     0
>   tier 4 Low        1
>   unscored        0
> gate: pass: no finding at or above tier 1 (Critical) in 1 report(s)
