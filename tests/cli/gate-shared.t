# patchline gate on the real Trivy reports in the shared data set.
skip-without-shared

### gate-shared-1.1: alpine 3.9: CRITICAL musl with CVSS 9.8 is tier 0 (vendor emergency, exposure unknown)
$ gate --trivy $SHARED/tool_outputs/trivy/alpine-39.json --fail-on 0
? 3
>*   FAIL tier 0 Emergency: CVE-2019-14697 in musl 1.1.20-r4 (fixed in 1.1.20-r5; CRITICAL, score 9.8) [testdata/fixtures/images/alpine-39.tar.gz (alpine 3.9.4)]
>* gate: FAIL: 2 finding(s) at or above tier 0 (Emergency) in 1 of 1 report(s)

### gate-shared-1.2: alpine 3.10 (MEDIUM only) passes the default gate
$ gate --trivy $SHARED/tool_outputs/trivy/alpine-310.json
? 0
>* gate: pass: no finding at or above tier 1 (Critical) in 1 report(s)

### gate-shared-1.3: several reports: one failing fails the gate
$ gate --trivy $SHARED/tool_outputs/trivy/alpine-310.json --trivy $SHARED/tool_outputs/trivy/debian-buster.json --trivy $SHARED/tool_outputs/trivy/centos-7.json
? 3
>* gate: FAIL: 1 finding(s) at or above tier 1 (Critical) in 1 of 3 report(s)

### gate-shared-1.4: a CycloneDX file is refused
$ gate --trivy $SHARED/tool_outputs/trivy/conda-cyclonedx.json
? 1
2> conda-cyclonedx.json: no 'Results' array of records
