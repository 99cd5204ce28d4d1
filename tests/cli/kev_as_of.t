# `feed import --as-of TIME kev`: the catalogue as it stood at TIME (issue 22: the demo
# replays a quarter with KEV entries arriving by their dateAdded).

### kevasof-1.1: entries added after the as-of time are left out and counted
$ --db $DB --now 2025-01-02T12:00:00Z feed import --as-of 2025-01-01T12:00:00Z kev $FIX/kev/kev_2025.01.03.json
> kev: $FIX/kev/kev_2025.01.03.json: 2 records, 2 new, 0 updated, 0 unchanged, 0 withdrawn, version 2025.01.03, released 2025-01-01T12:00:00Z
> kev: 3 entries added after the as-of date left out

### kevasof-1.2: only those two are in KEV
sqlite-only: reads the store file with sqlite3
! test "$(sqlite3 $DB 'select group_concat(vuln_id) from (select vuln_id from kev order by vuln_id)')" = "CVE-2023-4863,CVE-2024-0001"
$ --db $DB --now 2025-01-02T12:00:00Z feed status --format csv
>* kev,2025.01.03,2025-01-01T12:00:00Z,2,

### kevasof-1.3: a later as-of time adds the entries added up to then, none withdrawn
$ --db $DB --now 2025-01-03T12:00:00Z feed import --as-of 2025-01-02T23:59:59Z kev $FIX/kev/kev_2025.01.03.json
> kev: $FIX/kev/kev_2025.01.03.json: 4 records, 2 new, 0 updated, 2 unchanged, 0 withdrawn, version 2025.01.03, released 2025-01-02T23:59:59Z
> kev: 1 entries added after the as-of date left out

### kevasof-1.4: --as-of is for the KEV catalogue only
$ --db $DB feed import --as-of 2025-01-01T00:00:00Z epss $FIX/epss/epss_2025-01-02.csv
? 2
2>* an as-of date is for the kev catalogue, not epss

### kevasof-1.5: a time that is not one is a usage error
$ --db $DB feed import --as-of yesterday kev $FIX/kev/kev_2025.01.03.json
? 2
2>* --as-of: want a time, not 'yesterday'
