# Ubuntu (issue 16) on the real data: the Ubuntu Security CVE API page of CVE-2025-21984 in
# ../shared/data/ubuntu/samples produces the statuses it states.
skip-without-shared

### ubuntu-1.1: the real API page imports: one advisory; every status it states becomes a row
$ --db $DB --now 2026-01-10T00:00:00Z feed import $SHARED/ubuntu/samples/ubuntu_cve_api_page_CVE-2025-21984.json
> ubuntu-cve: $SHARED/ubuntu/samples/ubuntu_cve_api_page_CVE-2025-21984.json: 1 records, 1 new, 0 updated, 0 unchanged, 0 withdrawn

### ubuntu-1.2: ...row counts per status equal the page's own (DNE and upstream give none)
! /usr/bin/python3 -c 'import json,sys,collections; c=json.load(open(sys.argv[1]))["cves"][0]; m={"released":"fixed","needed":"open","pending":"open","deferred":"open","ignored":"open","not-affected":"not-affected"}; n=collections.Counter(m[s["status"]] for p in c["packages"] for s in p["statuses"] if s["release_codename"]!="upstream" and s["status"]!="DNE"); print(" ".join("%s=%d" % kv for kv in sorted(n.items())))' "$SHARED/ubuntu/samples/ubuntu_cve_api_page_CVE-2025-21984.json" >"$T/want"
! sqlite3 "$DB" "SELECT status || '=' || count(*) FROM affected GROUP BY status ORDER BY status" | paste -sd' ' >"$T/got"
! diff "$T/want" "$T/got"
! test "$(sqlite3 "$DB" "SELECT count(*) FROM affected WHERE marker = 'ignored'")" = "$(/usr/bin/python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["cves"][0]; print(sum(1 for p in c["packages"] for s in p["statuses"] if s["status"]=="ignored" and s["release_codename"]!="upstream"))' "$SHARED/ubuntu/samples/ubuntu_cve_api_page_CVE-2025-21984.json")"
$ vercmp --scheme dpkg 1 1
>* 0

