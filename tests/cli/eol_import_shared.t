# `feed import eol` (docs/third-party.md): endoflife.date's product definitions and
# release data from ../shared/data/eol go into the store, and the imported cycles of
# a product replace the shipped table's (which stays the offline default). Hosts
# built with os-release files as tests/cli/os_eol.t builds them.
skip-without-shared

### eoli-1.1: Debian 11 and 12 hosts; the product definitions import (kind detected)
! for h in deb11:debian:11:bullseye deb12:debian:12:bookworm; do IFS=: read n id v c <<<"$h"; mkdir -p "$T/$n/etc" "$T/$n/var/lib/dpkg"; : >"$T/$n/var/lib/dpkg/status"; printf 'ID=%s\nVERSION_ID="%s"\nVERSION_CODENAME=%s\n' "$id" "$v" "$c" >"$T/$n/etc/os-release"; echo "host-$n" >"$T/$n/etc/hostname"; printf '%032d\n' "${#n}$RANDOM" | cut -c1-32 >"$T/$n/etc/machine-id"; "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory collect --root "$T/$n" >/dev/null || exit 1; done
$ --db $DB --now 2026-12-01T00:00:00Z feed import $SHARED/eol/product-definitions_all.jsonl.xz
>* eol: $SHARED/eol/product-definitions_all.jsonl.xz: 464 records, 464 new,

### eoli-1.2: every cycle of the data is stored (python3 counts them in the file)
! want=$(xz -dc "$SHARED/eol/product-definitions_all.jsonl.xz" | python3 -c 'import json,sys; print(len({(d["product"], str(r["releaseCycle"])) for d in map(json.loads, sys.stdin) for r in d.get("releases") or []}))'); test "$(sqlite3 "$DB" "SELECT count(*) FROM eol_cycles")" = "$want"
! test "$(sqlite3 "$DB" "SELECT eoes || ' ' || eol FROM eol_cycles WHERE product = 'debian' AND cycle = '12'")" = "2028-06-30 2026-07-11"
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 1 open findings

### eoli-1.3: the same data gives the same finding as the shipped table, now from the import
! test "$(sqlite3 "$DB" "SELECT a.name || ' ' || f.vuln_id || ' ' || f.fixed_version FROM findings f JOIN assets a ON a.id = f.asset_id WHERE f.status = 'open'")" = "host-deb11 eol:debian:11 12.15"
! sqlite3 "$DB" "SELECT (SELECT t.text FROM finding_texts t WHERE t.id = findings.evidence_ref) FROM findings WHERE vuln_id = 'eol:debian:11'" | grep -q "(endoflife.date feed import)"
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* host-deb11,eol:debian:11,debian,11,12.15,

### eoli-2.1: an imported product wins over the shipped table: Debian 12's LTS moved to 2026-11-01 (a constructed change of the real line)
! xz -dc "$SHARED/eol/product-definitions_all.jsonl.xz" | grep '^{"product":"debian",' | sed 's/"eoes":"2028-06-30"/"eoes":"2026-11-01"/' >"$T/debian-changed.jsonl"
! grep -q '"eoes":"2026-11-01"' "$T/debian-changed.jsonl"
$ --db $DB --now 2026-12-01T00:00:00Z feed import eol $T/debian-changed.jsonl
>* eol: $T/debian-changed.jsonl: 1 records, 1 new,

### eoli-2.2: ...Debian 12 is past its end now
$ --db $DB --now 2026-12-01T00:00:00Z scan
>* 2 open findings

### eoli-2.3: ...the finding names the imported date
! test "$(sqlite3 "$DB" "SELECT (SELECT t.text FROM finding_texts t WHERE t.id = findings.evidence_ref) FROM findings WHERE vuln_id = 'eol:debian:12'")" = "operating system debian 12: cycle 12 past end of support since 2026-11-01 (endoflife.date feed import); upgrade to cycle 13 (latest 13.6), supported until 2030-06-30"
$ --db $DB --now 2026-12-01T00:00:00Z findings --format csv
>* host-deb12,eol:debian:12,debian,12,13.6,

### eoli-3.1: the release data (a folder of release-data/<product>.json, each named by its file) keeps each version's date
$ --db $DB --now 2026-12-01T00:00:00Z feed import eol $SHARED/eol/release-data
>* eol: $SHARED/eol/release-data/python.json: 1 records, 1 new,

### eoli-3.2: ...every dated version of the folder (python3 counts them)
! want=$(python3 -c 'import json,glob,os,sys; print(sum(1 for f in glob.glob(sys.argv[1] + "/*.json") for v in (json.load(open(f)).get("versions") or {}).values() if v.get("date")))' "$SHARED/eol/release-data"); test "$(sqlite3 "$DB" "SELECT count(*) FROM eol_versions")" = "$want"
! test "$(sqlite3 "$DB" "SELECT released FROM eol_versions WHERE product = 'python' AND version = '3.12.0'")" = "2023-10-02"
$ --db $DB --now 2026-12-01T00:00:00Z feed status
>* eol

### eoli-4.1: a bad end date names the file, record, product and field; nothing changes
! sed 's/"eoes":"2026-11-01"/"eoes":"soon"/' "$T/debian-changed.jsonl" >"$T/bad.jsonl"
! cp "$DB" "$T/before.db"
$ --db $DB --now 2026-12-01T00:00:00Z feed import eol $T/bad.jsonl
? 1
2> bad.jsonl: record 1: debian: field 'releases[
2> ].eoes': 'soon' is not a date, true or false

### eoli-4.2: ...the store is as it was
! test "$(sqlite3 "$DB" "SELECT count(*) || ' ' || max(id) FROM feeds")" = "$(sqlite3 "$T/before.db" "SELECT count(*) || ' ' || max(id) FROM feeds")"
! test "$(sqlite3 "$DB" "SELECT eoes FROM eol_cycles WHERE product = 'debian' AND cycle = '12'")" = "2026-11-01"
$ --db $DB --now 2026-12-01T00:00:00Z feed status
>* eol
