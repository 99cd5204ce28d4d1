# The dispatcher, global options, help and exit codes (issue 2).

### core-1.1: --version prints the version
$ --version
>* patchline 0.1.0

### core-1.2: help lists the commands from the table
$ help
>* init
>* audit

### core-1.3: an unknown command is a usage error
$ frobnicate
? 2
2> 'frobnicate' is not a patchline command

### core-1.4: help for one command works without a store
$ help init --db /nonexistent/dir/x.db
>* usage: patchline init

### core-2.1: init creates the store at --db
$ --db $DB init
>* store $DB ready (schema

### core-2.2: global options may follow the command name
$ init --db $DB
>* store $DB ready (schema

### core-2.3: PATCHLINE_DB is the default store
= PATCHLINE_DB=$T/env.db
$ init
>* store $T/env.db ready (schema

### core-2.4: --db wins over PATCHLINE_DB
= PATCHLINE_DB=$T/env.db
$ audit --format csv --db "$DB" --limit 1
>* id,at,at_real,simulated,actor,action,object,detail
>* store.init,$DB

### core-2.5: a read-only command does not create a store
$ --db $T/absent.db audit
? 1
2> no store at

### core-3.1: --now marks audit events as simulated, with the real time kept
! "$PL" --db "$T/sim.db" --now 2020-02-29T12:00:00Z init >/dev/null
$ --db $T/sim.db audit --format csv --limit 1
>* 2020-02-29T12:00:00Z
>* ,true,

### core-3.2: a malformed --now is a usage error naming the value
$ --db $DB --now 2021-02-29 audit
? 2
2> invalid time '2021-02-29': no such date

### core-3.3: a format the command does not support is a usage error
$ --db $DB audit --format xml
? 2
2> unsupported format 'xml' (supported: table,json,csv)

### core-3.4: an option without its value is a usage error
$ audit --db
? 2
2> option '--db' needs a value

### core-2.5: --db in a folder that does not exist: an error, and no folder is created (issue 13)
$ --db $T/no/such/dir/x.db init
? 1
2> folder '$T/no/such/dir' does not exist: create it first (only the default location's folders are created)

### core-2.5.1: ...nothing was created
! test ! -e "$T/no"
$ --db $DB init
>* ready

### core-2.6: the default (XDG) location's folders are created, and init says so
= XDG_DATA_HOME=$T/xdg
$ init
>* store $T/xdg/patchline/patchline.db ready
2> created folder '$T/xdg' for the store

### core-9.1: every assets verb answers --help without a store (it crashed on a NULL store)
$ --db $T/none/x.db assets show web-1 --help
>* usage: patchline assets

### core-9.2: ...a writing verb too
$ --db $T/none/x.db assets set web-1 owner=ops --help
>* patchline assets set ASSET FIELD=VALUE

### core-9.3: ...and none was created
! test ! -e "$T/none"
$ --db $T/none/x.db assets --help
>* usage: patchline assets
