# The real feeds in ../shared/data import without error and the counts match
# the files (issue 3). Slow under ASan: about 20 s.
skip-without-shared

### feeds-1.1: the KEV catalogue (1,404 entries)
$ --db $DB --now 2025-08-26T00:00:00Z feed import $SHARED/kev/known_exploited_vulnerabilities.json
> kev: $SHARED/kev/known_exploited_vulnerabilities.json: 1404 records, 1404 new, 0 updated, 0 unchanged, 0 withdrawn, version 2025.08.25, released 2025-08-25T17:04:19Z

### feeds-1.2: EPSS (360,142 rows, gzip)
$ --db $DB --now 2025-08-26T00:00:00Z feed import $SHARED/epss/epss_scores-2026-08-16.csv.gz
> epss: $SHARED/epss/epss_scores-2026-08-16.csv.gz: 360142 records, 360142 new, 0 updated, 0 unchanged, 0 withdrawn, version unknown, released 2026-08-16T00:00:00Z

### feeds-1.3: Vulnrichment (44,130 CVE JSON 5 records, xz JSON lines, 104 rejected)
$ --db $DB --now 2025-08-26T00:00:00Z feed import $SHARED/vulnrichment/vulnrichment_records.jsonl.xz
> vulnrichment: $SHARED/vulnrichment/vulnrichment_records.jsonl.xz: 44130 records, 44130 new, 0 updated, 0 unchanged, 104 withdrawn, released 2024-10-24T21:01:12Z

### feeds-1.4: every NVD API 2.0 sample
$ --db $DB feed import nvd $SHARED/nvd/nvd_api_2.0_samples/*.json
>* nvd: $SHARED/nvd/nvd_api_2.0_samples/CVE-2023-4863.json: 1 records, 1 new, 0 updated, 0 unchanged, 0 withdrawn, version 2.0, released 2023-11-26T23:42:14Z
>* nvd: $SHARED/nvd/nvd_api_2.0_samples/CVE-2024-3094.json: 1 records, 1 new

### feeds-1.5: every CVE JSON 5 sample, detected
$ --db $DB feed import $SHARED/nvd/cve5_samples/*.json
>* cve5: $SHARED/nvd/cve5_samples/CVE-2021-44228.json: 1 records
>* cve5: $SHARED/nvd/cve5_samples/CVE-2026-23522.json: 1 records

### feeds-1.6: the status counts match the files
$ --db $DB --now 2026-11-29T00:00:00Z feed status --format csv
>* kev,2025.08.25,2025-08-25T17:04:19Z,1404,2025-08-26T00:00:00Z,460,true,901b1f227941a3879a3e39fcb857bb6f7252bf9d71b63ef08d50a836d5ab1bd2
>* epss,unknown,2026-08-16T00:00:00Z,360142,
>* vulnrichment,,2024-10-24T21:01:12Z,44130,
2> patchline: feed status: warning: kev is 460 days old (more than 7)

### feeds-1.7: importing the KEV catalogue again changes nothing
$ --db $DB feed import kev $SHARED/kev/known_exploited_vulnerabilities.json
>* 1404 records, 0 new, 0 updated, 1404 unchanged

### feeds-1.8: a KEV catalogue cut in half is refused without --force
! python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d['vulnerabilities']=d['vulnerabilities'][:702]; d['count']=702; json.dump(d, open(sys.argv[2], 'w'))" "$SHARED/kev/known_exploited_vulnerabilities.json" "$T/half.json"
$ --db $DB feed import kev $T/half.json
? 1
2> kev has 702 records, the last import had 1404 (more than 1 % dropped); use --force

### feeds-1.9: vuln brings KEV, EPSS, SSVC and CVSS of a real CVE together
$ --db $DB vuln CVE-2024-3094 --format json
>* {"fact": "epss.score"
>* {"fact": "ssvc.exploitation", "value": "none"
>* {"fact": "cvss.v3.1", "value": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"
>* {"fact": "cwe", "value": "CWE-506"
