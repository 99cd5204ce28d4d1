# Terminal escapes and asset values (issue 11 items 7 and 8): text from data
# or from the command line never reaches stdout or stderr raw; `assets set`
# and the importers share one validator, so an export always imports back.
# Each case first runs the attack itself and checks that neither stream got
# a control byte (anything below 0x20 but the newline, or DEL).

### esc-7.1: a CSV cell with a title change and a clear screen, echoed in an error
! printf 'name,owner,environment\nweb-1,ops,"\033]0;x\007\033[2J"\n' >"$T/bad.csv"
! "$PL" --db "$DB" inventory import csv "$T/bad.csv" >"$T/o" 2>"$T/e"; test $? -eq 1 && ! grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$T/o" "$T/e"
$ --db $DB inventory import csv $T/bad.csv
? 1
2> patchline: inventory import: $T/bad.csv:2: column 'environment': unknown value '\x1b]0;x\x07\x1b[2J' (prod, staging, dev)

### esc-7.2: an argument echoed in an error
! "$PL" --db "$DB" assets show "$(printf 'x\033]0;x\007\033[2J')" >"$T/o" 2>"$T/e"; test $? -ne 0 && ! grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$T/o" "$T/e"
$ --db $DB assets show "$(printf 'x\033]0;x\007\033[2J')"
? 1
2> patchline: assets show: no asset 'x\x1b]0;x\x07\x1b[2J' (give an id or a name)

### esc-7.3: an argument echoed with the usage
! "$PL" --db "$DB" feed status "$(printf '\033[2J')" >"$T/o" 2>"$T/e"; test $? -eq 2 && ! grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$T/o" "$T/e"
$ --db $DB feed status "$(printf '\033[2J')"
? 2
2> patchline: unexpected argument '\x1b[2J'

### esc-7.4: an unknown command name and an unknown --format
! "$PL" "$(printf '\033]0;x\007')" >"$T/o" 2>"$T/e"; test $? -eq 2 && ! grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$T/o" "$T/e"
! "$PL" --format "$(printf '\033[2J')" --db "$DB" assets >"$T/o" 2>"$T/e"; test $? -eq 2 && ! grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$T/o" "$T/e"
$ --format "$(printf '\033[2J')" --db $DB assets
? 2
2> patchline: assets: unsupported format '\x1b[2J'

### esc-7.5: the import summary: a file name and a catalogue version from the feed
! cp "$FIX/kev/kev_2025.01.02.json" "$T/$(printf 'k\033[2J').json"
! sed 's/"catalogVersion": "2025.01.02"/"catalogVersion": "2025.01.02\\u001b]0;x\\u0007"/' "$FIX/kev/kev_2025.01.02.json" >"$T/kev_title.json"
! "$PL" --db "$T/k.db" --now 2025-01-05T00:00:00Z feed import kev "$T/$(printf 'k\033[2J').json" >"$T/o" 2>"$T/e" && ! grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$T/o" "$T/e"
! "$PL" --db "$T/k2.db" --now 2025-01-05T00:00:00Z feed import kev "$T/kev_title.json" >"$T/o" 2>"$T/e" && ! grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$T/o" "$T/e"
$ --db $T/k3.db --now 2025-01-05T00:00:00Z feed import kev $T/kev_title.json
> kev: $T/kev_title.json: 4 records, 4 new, 0 updated, 0 unchanged, 0 withdrawn, version 2025.01.02\x1b]0;x\x07, released 2025-01-02T10:00:00Z

### esc-7.6: the inventory import summary echoes its file name
! printf 'name,owner\nweb-9,ops\n' >"$T/$(printf 'c\033[2J').csv"
! "$PL" --db "$T/c.db" inventory import csv "$T/$(printf 'c\033[2J').csv" >"$T/o" 2>"$T/e" && ! grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$T/o" "$T/e"
$ --db $T/c2.db inventory import csv "$T/$(printf 'c\033[2J').csv"
> csv $T/c\x1b[2J.csv: 1 records, 1 assets created, 0 merged, 0 skipped

### val-8.1: an asset to curate
! printf 'name,owner,environment\nweb-1,team-web,prod\n' >"$T/one.csv"
$ --db $T/val.db --now 2026-12-01T00:00:00Z inventory import csv $T/one.csv
> csv $T/one.csv: 1 records, 1 assets created, 0 merged, 0 skipped

### val-8.2: assets set refuses an owner that is not UTF-8, naming the field
$ --db $T/val.db assets set web-1 "owner=$(printf 'team-\377')"
? 2
2> patchline: assets set: field 'owner': invalid UTF-8

### val-8.3: ...and a 10,000-byte owner, like the importers do
$ --db $T/val.db assets set web-1 "owner=$(head -c 10000 /dev/zero | tr '\0' a)"
? 1
2> patchline: assets set: field 'owner': longer than 4096 bytes (10000)

### val-8.4: a bad value after a good one: nothing changes
$ --db $T/val.db assets set web-1 owner=team-new "name=$(printf 'web-\300\200')"
? 2
2> patchline: assets set: field 'name': invalid UTF-8

### val-8.5: ...the asset is as it was
$ --db $T/val.db assets --format csv
>* 1,web-1,host,prod,team-web,unknown,,0,2026-12-01T00:00:00Z,

### val-8.6: tags go through the same check
$ --db $T/val.db assets set web-1 "tag+=$(printf 'pci\376')"
? 2
2> patchline: assets set: field 'tag': invalid UTF-8

### val-8.7: round trip: what assets set stores, the export writes and the import reads back
! "$PL" --db "$T/val.db" assets set web-1 'owner=Équipe "web", ops' criticality=high tag+=pci >/dev/null
! "$PL" --db "$T/val.db" inventory export >"$T/val1.csv"
! "$PL" --db "$T/val2.db" --now 2026-12-01T00:00:00Z inventory import csv "$T/val1.csv" >/dev/null
! "$PL" --db "$T/val2.db" inventory export >"$T/val2.csv"
! cmp "$T/val1.csv" "$T/val2.csv"
$ --db $T/val2.db assets --format csv
>* 1,web-1,host,prod,"Équipe ""web"", ops",unknown,,0,2026-12-01T00:00:00Z,
