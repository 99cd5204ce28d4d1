# Feed import, status, sync and vuln (issue 3). Small fixtures of our own in
# tests/fixtures/{kev,epss,nvd,cve5,vulnrichment}; the real feeds in feeds_shared.t.

### feed-1.1: KEV import, kind detected from the content
$ --db $DB --now 2025-01-05T00:00:00Z feed import $FIX/kev/kev_2025.01.02.json
> kev: $FIX/kev/kev_2025.01.02.json: 4 records, 4 new, 0 updated, 0 unchanged, 0 withdrawn, version 2025.01.02, released 2025-01-02T10:00:00Z

### feed-1.2: the same file again changes nothing
$ --db $DB --now 2025-01-05T00:00:00Z feed import kev $FIX/kev/kev_2025.01.02.json
> kev: $FIX/kev/kev_2025.01.02.json: 4 records, 0 new, 0 updated, 4 unchanged, 0 withdrawn, version 2025.01.02, released 2025-01-02T10:00:00Z

### feed-1.3: a newer catalogue: one new entry, one changed, the rest unchanged
$ --db $DB --now 2025-01-05T00:00:00Z feed import $FIX/kev/kev_2025.01.03.json
> kev: $FIX/kev/kev_2025.01.03.json: 5 records, 1 new, 1 updated, 3 unchanged, 0 withdrawn, version 2025.01.03, released 2025-01-03T10:00:00Z

### feed-1.4: an older catalogue is refused
$ --db $DB feed import $FIX/kev/kev_older.json
? 1
2> patchline: feed import: $FIX/kev/kev_older.json: kev released 2025-01-01T10:00:00Z is older than the last import (2025-01-03T10:00:00Z); use --force

### feed-1.5: a catalogue that lost half its entries is refused
$ --db $DB feed import $FIX/kev/kev_shrunk.json
? 1
2> patchline: feed import: $FIX/kev/kev_shrunk.json: kev has 2 records, the last import had 5 (more than 1 % dropped); use --force

### feed-1.6: the refusals changed nothing
$ --db $DB --now 2025-01-05T00:00:00Z feed status --format csv
>* kev,2025.01.03,2025-01-03T10:00:00Z,5,2025-01-05T00:00:00Z,1,false,

### feed-1.7: --force accepts the shrunk catalogue; the entries it dropped leave KEV
$ --db $DB --now 2025-01-05T00:00:00Z feed import --force kev $FIX/kev/kev_shrunk.json
> kev: $FIX/kev/kev_shrunk.json: 2 records, 0 new, 0 updated, 2 unchanged, 3 withdrawn, version 2025.01.04, released 2025-01-04T10:00:00Z

### feed-2.1: damaged KEV files: wrong type, bad id, truncated, invalid UTF-8, count
$ --db $DB feed import $FIX/kev/kev_wrong_type.json
? 1
2> $FIX/kev/kev_wrong_type.json: record 2: CVE-2024-0002: field 'dateAdded': expected a string, got number

### feed-2.2: a malformed CVE id
$ --db $DB feed import kev $FIX/kev/kev_bad_id.json
? 1
2> $FIX/kev/kev_bad_id.json: record 3: field 'cveID': 'CVE-2024-x' is not a CVE id

### feed-2.3: truncated JSON
$ --db $DB feed import kev $FIX/kev/kev_truncated.json
? 1
2> $FIX/kev/kev_truncated.json: byte 851: parse error: premature EOF

### feed-2.4: invalid UTF-8
$ --db $DB feed import kev $FIX/kev/kev_bad_utf8.json
? 1
2> $FIX/kev/kev_bad_utf8.json: byte 378: lexical error: invalid bytes in UTF8 string.

### feed-2.5: a count that does not match the records
$ --db $DB feed import kev $FIX/kev/kev_count_mismatch.json
? 1
2> field 'count': says 7, the file has 4 records

### feed-2.6: binary garbage is not detected as any kind
$ --db $DB feed import $FIX/kev/garbage.bin
? 1
2> $FIX/kev/garbage.bin: not a known feed kind: give the KIND

### feed-2.7: garbage given as KEV
$ --db $DB feed import kev $FIX/kev/garbage.bin
? 1
2> $FIX/kev/garbage.bin: byte 1: lexical error: invalid char in json text.

### feed-2.8: one bad file among good ones: nothing of the good ones stays
$ --db $DB feed import $FIX/epss/epss_2025-01-02.csv.gz $FIX/epss/epss_bad_number.csv
? 1
>* epss: $FIX/epss/epss_2025-01-02.csv.gz: 3 records, 3 new
2> $FIX/epss/epss_bad_number.csv: line 6: field 'epss': '0.5x' is not a number in [0, 1]

### feed-2.9: ... and the status shows no EPSS import
$ --db $DB --now 2025-01-05T00:00:00Z feed status --format csv
>* epss,,,,,,false,

### feed-2.10: standard input needs a KIND
$ --db $DB feed import -
? 2
2> standard input needs an explicit KIND

### feed-2.11: an unknown kind name is taken as a file
$ --db $DB feed import nosuchkind $FIX/kev/kev_2025.01.02.json
? 1
2> nosuchkind

### feed-3.1: EPSS: gzip, comment line, header
$ --db $DB feed import $FIX/epss/epss_2025-01-02.csv.gz
> epss: $FIX/epss/epss_2025-01-02.csv.gz: 3 records, 3 new, 0 updated, 0 unchanged, 0 withdrawn, version v2025.03.14, released 2025-01-02T00:00:00Z

### feed-3.2: EPSS from standard input with an explicit kind, a newer day replaces scores
< #model_version:v2025.03.14,score_date:2025-01-03T00:00:00Z
< cve,epss,percentile
< CVE-2023-4863,0.94000,0.99837
< CVE-2024-0001,0.00043,0.12000
< CVE-2024-0002,0.10000,0.90000
$ --db $DB feed import epss -
> epss: -: 3 records, 0 new, 3 updated, 0 unchanged, 0 withdrawn, version v2025.03.14, released 2025-01-03T00:00:00Z

### feed-3.3: EPSS numbers are parsed strictly
$ --db $DB feed import epss $FIX/epss/epss_out_of_range.csv
? 1
2> line 3: field 'epss': '1.5' is not a number in [0, 1]

### feed-3.4: EPSS without its comment line
$ --db $DB feed import epss $FIX/epss/epss_no_comment.csv
? 1
2> line 1: expected '#model_version:...,score_date:...'

### feed-3.5: EPSS with a missing field
$ --db $DB feed import epss $FIX/epss/epss_fields.csv
? 1
2> line 3: 2 fields, want 3 (cve,epss,percentile)

### feed-4.1: NVD API 2.0 page with a rejected CVE
$ --db $DB feed import $FIX/nvd/nvd_page.json
> nvd: $FIX/nvd/nvd_page.json: 2 records, 2 new, 0 updated, 0 unchanged, 1 withdrawn, version 2.0, released 2023-11-26T23:42:14Z

### feed-4.2: NVD with a wrong type names the record and field
$ --db $DB feed import nvd $FIX/nvd/nvd_wrong_type.json
? 1
2> record 1: CVE-2023-4863: metrics.cvssMetricV31: field 'cvssData.vectorString': expected a string, got number

### feed-4.3: NVD without records
$ --db $DB feed import nvd $FIX/nvd/nvd_no_records.json
? 1
2> no 'vulnerabilities' array of records

### feed-5.1: Vulnrichment JSON lines
$ --db $DB feed import $FIX/vulnrichment/vulnrichment_small.jsonl
> vulnrichment: $FIX/vulnrichment/vulnrichment_small.jsonl: 3 records, 3 new, 0 updated, 0 unchanged, 1 withdrawn, released 2024-07-01T00:00:00Z

### feed-5.2: a newer record replaces, an older one is left alone
$ --db $DB feed import vulnrichment $FIX/vulnrichment/vulnrichment_update.jsonl
> vulnrichment: $FIX/vulnrichment/vulnrichment_update.jsonl: 3 records, 0 new, 1 updated, 2 unchanged, 0 withdrawn, released 2024-08-01T00:00:00Z

### feed-5.3: one CVE JSON 5 document, already known
$ --db $DB feed import $FIX/cve5/CVE-2024-0001.json
> cve5: $FIX/cve5/CVE-2024-0001.json: 1 records, 0 new, 0 updated, 1 unchanged, 0 withdrawn, released 2024-07-01T00:00:00Z

### feed-5.4: an unknown SSVC value is an error (fresh store)
$ --db $T/other.db feed import vulnrichment $FIX/vulnrichment/vulnrichment_bad_ssvc.jsonl
? 1
2> record 2: CVE-2024-0001: containers.adp: ssvc 'Exploitation': unknown value 'maybe'

### feed-5.5: a wrong type in cveMetadata
$ --db $T/other.db feed import cve5 $FIX/cve5/cve5_wrong_type.json
? 1
2> record 1: CVE-2024-0001: field 'cveMetadata.state': expected a string, got number

### feed-6.1: vuln shows every fact with its feed
$ --db $DB vuln CVE-2023-4863 --format json
>* {"fact": "epss.score", "value": "0.94000", "detail": "percentile 0.99837 on 2025-01-03 (model v2025.03.14)", "source": "FIRST EPSS", "feed": "epss"
>* {"fact": "ssvc.exploitation", "value": "active", "detail": "2024-06-01T12:00:00Z", "source": "CISA Coordinator", "feed": "vulnrichment"
>* {"fact": "ssvc.technical_impact", "value": "total"
>* {"fact": "kev.date_added", "value": "2023-09-13", "detail": "https://www.cisa.gov/known-exploited-vulnerabilities-catalog?search_api_fulltext=CVE-2023-4863", "source": "CISA-ADP"
>* {"fact": "cvss.v3.1", "value": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", "detail": "base 8.8 high", "source": "nvd@nist.gov (nvd primary)", "feed": "nvd"
>* {"fact": "cvss.v3.1", "value": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", "detail": "base 9.6 critical", "source": "chrome-cve-admin@google.com (cna secondary)"
>* {"fact": "cvss.v3.1", "value": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", "detail": "base 8.8 high", "source": "CISA-ADP (adp)", "feed": "vulnrichment"
>* {"fact": "cvss.v2.0", "value": "AV:N/AC:M/Au:N/C:P/I:P/A:P", "detail": "base 6.8 medium"
>* {"fact": "exploit-ref", "value": "http://www.openwall.com/lists/oss-security/2023/09/21/4", "detail": "Exploit,Mailing List", "source": "nvd"
>* {"fact": "cpe", "value": "cpe:2.3:a:google:chrome:*:*:*:*:*:*:*:*", "detail": "config 0 node 0 vulnerable < 116.0.5845.187"
>* {"fact": "cpe", "value": "cpe:2.3:a:webmproject:libwebp:*:*:*:*:*:*:*:*", "detail": "config 1 node 0 vulnerable >= 0.5.0 < 1.3.2"
>* {"fact": "cpe", "value": "cpe:2.3:o:debian:debian_linux:12.0:*:*:*:*:*:*:*", "detail": "config 1 node 1 not vulnerable"

### feed-6.1b: CVE-2023-4863 left KEV with the forced catalogue; NVD's own KEV date remains
$ --db $DB vuln CVE-2023-4863 --format json
>* {"fact": "kev.date_added", "value": "2023-09-13", "detail": "Google Chromium WebP Heap-Based Buffer Overflow Vulnerability", "source": "NVD cisaExploitAdd", "feed": "nvd"

### feed-6.2: CVSS v4.0 comes after v3.1 of the same CVE; SSVC PoC lower-cased, then replaced
$ --db $DB vuln CVE-2024-0001 --format json
>* {"fact": "kev.cwes", "value": "CWE-79", "detail": null, "source": "CISA KEV", "feed": "kev"
>* {"fact": "kev.description", "value": "A test entry.", "detail": null, "source": "CISA KEV"
>* {"fact": "kev.due_date", "value": "2025-03-01", "detail": "Apply updates.", "source": "CISA KEV", "feed": "kev", "feed_version": "2025.01.03", "feed_date": "2025-01-03T10:00:00Z"
>* {"fact": "ssvc.exploitation", "value": "active"
>* {"fact": "cvss.v3.1", "value": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "detail": "base 9.8 critical", "source": "Example (cna)"
>* {"fact": "cvss.v4.0", "value": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "detail": "base 9.3 critical", "source": "Example (cna)"
>* {"fact": "exploit-ref", "value": "https://example.com/poc", "detail": "exploit", "source": "cve5"

### feed-6.3: a rejected CVE is marked withdrawn
$ --db $DB vuln CVE-2020-0001
>* withdrawn

### feed-6.4: an unknown CVE
$ --db $DB vuln CVE-1999-99999
? 1
2> patchline: vuln: 'CVE-1999-99999' is not in any imported feed

### feed-7.1: status: ages from the release date, stale after 7 days, warning on stderr
$ --db $DB --now 2025-02-01T00:00:00Z feed status --format csv
>* kind,version,released,records,imported,age_days,stale,sha256
>* kev,2025.01.04,2025-01-04T10:00:00Z,2,2025-01-05T00:00:00Z,27,true,
2> patchline: feed status: warning: kev is 27 days old (more than 7)

### feed-7.2: every import is in the audit log
$ --db $DB audit --format csv --limit 1
>* feed.import,cve5,$FIX/cve5/CVE-2024-0001.json sha256=

### feed-8.1: sync from a file:// URL
$ --db $DB feed sync --url file://$FIX/kev/kev_2025.01.03.json --force kev
> kev: file://$FIX/kev/kev_2025.01.03.json: 5 records, 3 new, 0 updated, 2 unchanged, 0 withdrawn, version 2025.01.03, released 2025-01-03T10:00:00Z

### feed-8.2: plain http is refused except on loopback
$ --db $DB feed sync --url http://example.com/kev.json kev
? 2
2> only https:// and file:// URLs (plain http only on loopback)

### feed-8.3: a kind without an official URL needs one
$ --db $DB feed sync nvd
? 2
2> nvd has no official download: give --url or PATCHLINE_FEED_*_URL

### feed-8.4: sync over HTTP from a loopback server this test starts
! (python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$FIX/kev" >"$T/http.log" 2>&1 & echo $! >"$T/http.pid")
! for i in $(seq 100); do grep -q ' port ' "$T/http.log" 2>/dev/null && break; sleep 0.1; done; sed -n 's/.* port \([0-9]*\).*/\1/p' "$T/http.log" | head -1 >"$T/port"
$ --db $T/sync.db --now 2025-01-06T00:00:00Z feed sync --url "http://127.0.0.1:$(cat $T/port)/kev_2025.01.03.json" kev
>* kev: http://127.0.0.1:
>* /kev_2025.01.03.json: 5 records, 5 new, 0 updated, 0 unchanged, 0 withdrawn, version 2025.01.03

### feed-8.5: the second sync is conditional (If-Modified-Since) and gets 304
$ --db $T/sync.db --now 2025-01-06T00:00:00Z feed sync --url "http://127.0.0.1:$(cat $T/port)/kev_2025.01.03.json" kev
>* /kev_2025.01.03.json: not modified

### feed-8.6: the URL may come from the environment; a 404 is an error and changes nothing
= PATCHLINE_FEED_KEV_URL=http://127.0.0.1:$(cat $T/port)/absent.json
$ --db $T/sync.db feed sync kev
? 1
2> /absent.json: HTTP status 404

### feed-8.7: a download over the size cap is refused
$ --db $T/sync.db feed sync --max-bytes 100 --url "http://127.0.0.1:$(cat $T/port)/kev_2025.01.02.json" kev
? 1
2> /kev_2025.01.02.json: larger than 100 bytes

### feed-8.8: only the successful sync was recorded (the server is stopped first)
! kill "$(cat "$T/http.pid")"
$ --db $T/sync.db --now 2025-01-06T00:00:00Z feed status --format csv
>* kev,2025.01.03,2025-01-03T10:00:00Z,5,2025-01-06T00:00:00Z,2,false,
