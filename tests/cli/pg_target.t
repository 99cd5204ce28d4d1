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
