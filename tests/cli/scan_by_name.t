# A scan of a few named assets (`scan --asset`, up to 16) loads the advisory rows of
# their packages only, and the risk facts of the vulnerabilities they meet, instead of
# their ecosystems' whole index (issue 21, one host). Real data: an estate scanned
# whole on one store and host by host on a copy must hold the same findings, after a
# first scan and again after a feed delta and patched hosts (the partial re-match).
# In the PostgreSQL pass the copy is a SQLite file made by `store copy`.
skip-without-shared

### byname-1.1: the feeds, 8 hosts, and a copy of the store before any scan
! zcat "$SHARED/debian/security-tracker-bookworm-from-changelogs.json.gz" | python3 -c 'import json,sys; print("\n".join(c for e in json.load(sys.stdin).values() for c in e))' | sort -u >"$T/cves"
! zcat "$SHARED/epss/epss_scores-2026-08-16.csv.gz" | awk -F, 'NR == FNR {w[$1] = 1; next} FNR <= 2 || ($1 in w)' "$T/cves" - | gzip >"$T/epss.csv.gz"
! "$PL" --db "$DB" --now 2026-11-30T00:00:00Z feed import kev "$SHARED/kev/known_exploited_vulnerabilities.json" >/dev/null
! "$PL" --db "$DB" --now 2026-11-30T00:00:00Z feed import epss "$T/epss.csv.gz" >/dev/null
! "$PL" --db "$DB" --now 2026-11-30T00:00:00Z feed import debian "$SHARED/debian/security-tracker-bookworm-from-changelogs.json.gz" >/dev/null
! "$PL" --db "$DB" --now 2026-11-30T00:00:00Z inventory synthesize --assets 8 --seed 5 --hosts-only --min-packages 300 --max-packages 450 --behind 0.2 --kernel-behind 0.5 --index "$SHARED/debian/bookworm_binary_packages_index.tsv.xz" >/dev/null
! copy() { if [ "${PL_TEST_BACKEND:-sqlite}" = postgresql ]; then "$PL" --db "$DB" store copy --to "$1" >/dev/null; else sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null && cp "$DB" "$1" && cp "$DB.audit-key" "$1.audit-key" && cp "$DB.audit-head" "$1.audit-head"; fi; }; copy "$T/byname.db"
$ --db $DB --now 2026-11-30T00:00:00Z scan --policy epss
>* scanned 8 assets

### byname-1.2: the copy scanned by name, two hosts per scan: the same findings
! for p in "1 2" "3 4" "5 6" "7 8"; do set -- $p; "$PL" --db "$T/byname.db" --now 2026-11-30T00:00:00Z scan --policy epss --asset "$1" --asset "$2" >>"$T/byname.out" 2>/dev/null || exit 1; done
! test "$(grep -c '^scanned 2 assets' "$T/byname.out")" = 4
# a scan by name reads the advisory rows of the hosts' packages, not all 19,931 of bookworm
! awk '/^scanned 2 assets/ {n++; if ($(NF - 2) + 0 >= 19931 || $(NF - 2) + 0 == 0) bad++} END {exit !(n == 4 && !bad)}' "$T/byname.out"
! f() { for s in open fixed package-removed; do "$PL" --db "$1" --now 2026-11-30T00:00:00Z findings --status $s --format csv | cut -d, -f2- | sort; done; }; f "$DB" >"$T/whole.csv" && f "$T/byname.db" >"$T/byname.csv" && test "$(wc -l <"$T/whole.csv")" -gt 100 && diff "$T/whole.csv" "$T/byname.csv"
$ --db $T/byname.db --now 2026-11-30T00:00:00Z findings --format csv
>* id,asset,vuln,package

### byname-1.3: a feed delta and 2 hosts patched; whole on one store, by name on the other
! mkdir "$T/delta" && /usr/bin/python3 "$FIX/../../bench/delta/make.py" "$DB" "$SHARED/debian/security-tracker-bookworm-from-changelogs.json.gz" "$SHARED/kev/known_exploited_vulnerabilities.json" "$T/epss.csv.gz" "$T/delta" 2026-11-30 11 >/dev/null
! for db in "$DB" "$T/byname.db"; do for f in "debian tracker.json.gz" "kev kev.json" "nvd nvd.json" "epss epss.csv.gz"; do set -- $f; "$PL" --db "$db" --now 2026-11-30T00:00:00Z feed import "$1" "$T/delta/$2" >/dev/null 2>&1 || exit 1; done; done
! /usr/bin/python3 "$FIX/../../bench/debsecan/change.py" "$DB" "$SHARED/debian/bookworm_binary_packages_index.tsv.xz" 4 >"$T/changed" 2>/dev/null
! /usr/bin/python3 "$FIX/../../bench/debsecan/change.py" "$T/byname.db" "$SHARED/debian/bookworm_binary_packages_index.tsv.xz" 4 >"$T/changed2" 2>/dev/null
! test -s "$T/changed" && diff "$T/changed" "$T/changed2"
$ --db $DB --now 2026-12-01T00:00:00Z scan --policy epss
>* scanned 8 assets

### byname-1.4: the copy, by name again: the same findings, statuses, tiers and dues
! for p in "1 2 3 4" "5 6 7 8"; do set -- $p; "$PL" --db "$T/byname.db" --now 2026-12-01T00:00:00Z scan --policy epss --asset "$1" --asset "$2" --asset "$3" --asset "$4" >/dev/null 2>&1 || exit 1; done
! f() { for s in open fixed package-removed; do "$PL" --db "$1" --now 2026-12-01T00:00:00Z findings --status $s --format csv | cut -d, -f2- | sort; done; }; f "$DB" >"$T/whole2.csv" && f "$T/byname.db" >"$T/byname2.csv" && ! cmp -s "$T/whole.csv" "$T/whole2.csv" && diff "$T/whole2.csv" "$T/byname2.csv"
$ --db $T/byname.db --now 2026-12-01T00:00:00Z findings --format csv
>* id,asset,vuln,package
