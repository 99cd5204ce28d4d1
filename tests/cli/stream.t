# Listings of large estates stream their rows (issue 11, item 10): `assets` in
# every format and `inventory export` stay under 100 MB of peak memory on an
# estate of 100,000 assets (before: about 250 MB here, 1.1 GB on a million).
# Peak RSS is measured with /usr/bin/time -f %M (KiB). Under AddressSanitizer
# freed memory is quarantined (256 MB by default): the quarantine is capped so
# that the measure is the program's, not the sanitizer's.

### stream-1.1: an estate of 100,000 assets with an identifier each
! "$PL" --db "$DB" init >/dev/null
! sqlite3 "$DB" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) INSERT INTO assets (name, owner, environment, os_name, os_version, first_seen, last_seen) SELECT 'host-' || substr(CAST(10000000 + i AS TEXT), 2) || '.example.internal', 'team-' || (i % 50), 'prod', 'debian', '12', 1700000000, 1700000000 FROM n; INSERT INTO asset_identifiers (asset_id, kind, value) SELECT id, 'hostname', name FROM assets;"
$ --db $DB --format csv assets --select name=host-0000001*
>* 1,host-0000001.example.internal,host,prod,team-1,unknown,debian 12,0,2023-11-14T22:13:20Z,

### stream-1.2: the table (widths over every row) under 100 MB, every row out, aligned
! ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=8 /usr/bin/time -f %M -o "$T/rss" "$PL" --db "$DB" assets >"$T/list"
! echo "assets: $(cat "$T/rss") KiB"; test "$(tail -1 "$T/rss")" -lt 102400
! test "$(wc -l <"$T/list")" = 100001
! test "$(awk '{ print index($0, "kind") }' "$T/list" | head -1)" = "$(grep -m1 'host-0100000' "$T/list" | awk '{ print index($0, "host ") }')"
$ --db $DB assets --select name=host-0100000*
>* host-0100000.example.internal  host

### stream-1.3: JSON and CSV under 100 MB
! ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=8 /usr/bin/time -f %M -o "$T/rss" "$PL" --db "$DB" --format json assets >"$T/list.json"
! echo "assets json: $(cat "$T/rss") KiB"; test "$(tail -1 "$T/rss")" -lt 102400
! python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d) == 100000 and d[-1]["name"] == "host-0100000.example.internal", d[-1]' "$T/list.json"
! ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=8 /usr/bin/time -f %M -o "$T/rss" "$PL" --db "$DB" --format csv assets >"$T/list.csv"
! echo "assets csv: $(cat "$T/rss") KiB"; test "$(tail -1 "$T/rss")" -lt 102400
! test "$(wc -l <"$T/list.csv")" = 100001
$ --db $DB --format json assets --select name=nothing*
> []

### stream-1.4: inventory export under 100 MB, every asset with its identifier
! ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=8 /usr/bin/time -f %M -o "$T/rss" "$PL" --db "$DB" inventory export >"$T/export.csv"
! echo "inventory export: $(cat "$T/rss") KiB"; test "$(tail -1 "$T/rss")" -lt 102400
! test "$(wc -l <"$T/export.csv")" = 100001
! grep -q '^host-0100000.example.internal,host,team-0,prod,,unknown,,,debian,12,,host-0100000.example.internal,,,,,,' "$T/export.csv"
$ --db $DB inventory export --select name=host-0000002.*
>* host-0000002.example.internal,host,team-2,prod,,unknown,,,debian,12,,host-0000002.example.internal,,,,,,
