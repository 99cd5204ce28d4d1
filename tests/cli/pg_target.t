# --db and PATCHLINE_DB naming a PostgreSQL database (docs/store.md, "Choosing the backend"):
# a URL is never a file, a password in it is refused and never printed, the schema is made
# by init. $PG is a fresh database on the test cluster (tests/pg/cluster.sh).
skip-without-pg

### pgt-1.1: a URL with a password is refused before any connection, the password not shown
$ --db postgresql://app:s3cret-pw@localhost/pl findings
? 2
2> database URL 'postgresql://app:xxxxx@localhost/pl' holds a password
2> ~/.pgpass, in PGPASSWORD or in a 0600 file named by PGPASSFILE

### pgt-1.2: ...also as password= and from PATCHLINE_DB
= PATCHLINE_DB=postgresql://app@localhost/pl?password=s3cret-pw
$ findings
? 2
2> database URL 'postgresql://app@localhost/pl?password=xxxxx' holds a password

### pgt-1.3: a server that does not answer: an error naming it, and no folder 'postgresql:' made
$ --db postgresql://app@127.0.0.1:1/pl?connect_timeout=2 init
? 1
2> cannot connect to 'postgresql://app@127.0.0.1:1/pl?connect_timeout=2'

### pgt-1.4: (no folder named postgresql: anywhere the commands ran)
! test ! -e postgresql: && test ! -e "$T/postgresql:" && test ! -e "$PL_SOURCE_DIR/postgresql:"
$ --version
>* patchline

### pgt-2.1: a command that reads an empty database asks for init
$ --db $PG findings
? 1
2> (run 'patchline init' first)

### pgt-2.2: init makes the schema in the database, and says where, without a password
$ --db $PG init
>* store postgresql:///
>* ready (schema
>* mode: real

### pgt-2.3: a second init finds it up to date
= PATCHLINE_DB=$PG
$ init
>* ready (schema

### pgt-2.4: the store reads back (an empty listing)
$ --db $PG findings
>* id  asset  vuln

### pgt-2.5: a real store refuses a state change with --now, as on SQLite
$ --db $PG --now 2026-01-01T00:00:00Z inventory collect --root $FIX/inventory/root
? 2
2> is real
