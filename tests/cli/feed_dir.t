# `feed import DIR`: every regular file of a folder, in name order, in one transaction.

### feeddir-1.1: a folder of OSV records imports file by file
! mkdir -p $T/osv && cp $FIX/osv/ranges.json $T/osv/a.json && cp $FIX/osv/alma.jsonl $T/osv/b.jsonl && touch $T/osv/.hidden
$ --db $DB feed import osv $T/osv
>* osv: $T/osv/a.json:
>* osv: $T/osv/b.jsonl:

### feeddir-1.2: one damaged file in the folder rolls back the whole command
! mkdir -p $T/bad && cp $FIX/osv/alma-newer.jsonl $T/bad/a.jsonl && cp $FIX/osv/truncated.jsonl $T/bad/b.jsonl
! sqlite3 $DB 'select count(*) from affected' > $T/before
$ --db $DB feed import osv $T/bad
? 1
2> $T/bad/b.jsonl

### feeddir-1.3: nothing changed after the failed folder import
! sqlite3 $DB 'select count(*) from affected' > $T/after && cmp $T/before $T/after
$ --db $DB feed status --format csv
>* osv,

### feeddir-1.4: an empty folder is an error
! mkdir -p $T/empty
$ --db $DB feed import osv $T/empty
? 1
2> folder '$T/empty' has no files
