/*
 * db.h - private to src/store: the backend layer. Every statement the store
 * runs goes through it; only the backends (db_sqlite.c, db_pg.c) talk to a
 * database library.
 *
 * The layer keeps SQLite's model, so that code written against it reads like
 * SQLite code: a connection (struct pl_db) prepares statements (struct
 * pl_stmt); a statement is bound (parameters numbered from 1), stepped
 * (PL_DB_ROW per row, then PL_DB_DONE), read column by column (numbered from
 * 0), reset and bound again, and finalized.
 *
 * SQL text:
 *   - parameters are written `?` (numbered in order) or `?N` (numbered); the
 *     PostgreSQL backend rewrites them to `$N` outside quotes and comments;
 *   - a new row's id comes back through `INSERT ... RETURNING id`, read as a
 *     column, never through a "last insert id";
 *   - the SQL itself must be portable (docs/store.md).
 *
 * Lifetimes are SQLite's: a column's text is valid until the next step,
 * reset or finalize of its statement. Bound text is always copied.
 */
#ifndef PATCHLINE_STORE_DB_H
#define PATCHLINE_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/error.h"

struct pl_db;
struct pl_stmt;

/* The backend behind a connection. */
enum pl_db_kind {
    PL_DB_SQLITE = 1,
    PL_DB_PG = 2,
};

/*
 * Result codes of the layer's own (not pl_status: they say how a step ended;
 * pl__db_status maps them). The values follow SQLite's primary codes.
 */
enum {
    PL_DB_OK = 0,
    PL_DB_ERROR = 1,       /* any other failure: the message says what */
    PL_DB_BUSY = 5,        /* another writer holds the lock (timed out waiting) */
    PL_DB_NOMEM = 7,       /* out of memory */
    PL_DB_READONLY = 8,    /* a write on a read-only connection */
    PL_DB_IOERR = 10,      /* the database could not be read or written */
    PL_DB_CONSTRAINT = 19, /* unique, foreign key, not null or check violated */
    PL_DB_MISMATCH = 20,   /* a text that is not UTF-8 or holds a NUL byte (pl__db_bind_text) */
    PL_DB_MISUSE = 21,     /* the layer used wrongly (a bug) */
    PL_DB_RANGE = 25,      /* a parameter or column number out of range */
    PL_DB_SERIALIZE = 40,  /* a concurrent transaction won: retry the transaction */
    PL_DB_ROW = 100,       /* pl__db_step: a row is ready */
    PL_DB_DONE = 101,      /* pl__db_step: the statement has finished */
};

/* Column types (pl__db_column_type), SQLite's values. */
enum {
    PL_DB_INTEGER = 1,
    PL_DB_FLOAT = 2,
    PL_DB_TEXT = 3,
    PL_DB_BLOB = 4,
    PL_DB_NULL = 5,
};

/* pl__db_open flags */
#define PL_DB_OPEN_READONLY 0x1 /* no writes (SQLite: opened read-only) */

/*
 * Whether target names a PostgreSQL database (a postgresql:// or
 * postgres:// URL) rather than a file.
 */
bool pl__db_target_is_url(const char *target);

/*
 * Open a connection to target: a PostgreSQL URL (pl__db_target_is_url) or
 * the path of a SQLite file that exists (creating the file and its folder is
 * the caller's). On failure *out is NULL and err says why (with any password
 * redacted).
 */
PL_NODISCARD pl_status pl__db_open(const char *target, int flags, struct pl_db **out,
                                   struct pl_error *err);

/* Close; NULL is a no-op. Statements must be finalized first. */
void pl__db_close(struct pl_db *db);

enum pl_db_kind pl__db_kind(const struct pl_db *db);

/* Text of the last error on db ("" when none) and its code. */
const char *pl__db_errmsg(struct pl_db *db);
int pl__db_errcode(struct pl_db *db);

/* The pl_status a result code stands for (PL_OK for OK, ROW and DONE). */
pl_status pl__db_status(int code);

/* Run sql, one or more statements separated by ';', no parameters, no results. */
int pl__db_exec(struct pl_db *db, const char *sql);

/* Rows changed by the last INSERT, UPDATE or DELETE run on db. */
int64_t pl__db_changes(struct pl_db *db);

/*
 * Transactions. begin takes the write lock at once (SQLite: BEGIN IMMEDIATE;
 * a second writer waits as pl__db_busy_handler says, then gets PL_DB_BUSY).
 * Savepoints nest inside: name is an SQL identifier the caller chooses.
 */
int pl__db_begin(struct pl_db *db);
int pl__db_commit(struct pl_db *db);
int pl__db_rollback(struct pl_db *db);
/*
 * A read transaction: the statements until pl__db_read_end read one snapshot
 * (SQLite: a deferred BEGIN, its snapshot taken at the first read; PostgreSQL:
 * BEGIN ISOLATION LEVEL REPEATABLE READ). No write lock is taken. On SQLite a
 * write of the store's tables inside fails with PL_DB_READONLY (the
 * connection's temp tables stay writable); PostgreSQL's snapshot refuses a
 * write of a row changed since (PL_DB_SERIALIZE). pl__db_read_end commits it.
 */
int pl__db_read_begin(struct pl_db *db);
int pl__db_read_end(struct pl_db *db);
int pl__db_savepoint(struct pl_db *db, const char *name);
int pl__db_release(struct pl_db *db, const char *name);
int pl__db_rollback_to(struct pl_db *db, const char *name);

/*
 * SQLite: called while another connection holds the lock, with the number of
 * times it was called for this wait; returns non-zero to wait again. Other
 * backends: the handler is kept and not called (their lock timeout is
 * pl__db_lock_timeout's).
 */
void pl__db_busy_handler(struct pl_db *db, int (*fn)(void *arg, int count), void *arg);

/* How long a statement waits for a lock held by another session before failing (PostgreSQL). */
int pl__db_lock_timeout(struct pl_db *db, int64_t ms);

/*
 * Writers side by side (PostgreSQL; SQLite runs one writer at a time and
 * ignores both calls). With shared on, later pl__db_begin take the writers'
 * lock in shared mode: writers in shared mode run beside one another (each
 * locking what it writes with pl__db_lock_key), every other writer still
 * runs alone. The connection then also holds a session lock that keeps
 * another writer's rollback from setting the identity sequences back under
 * ids taken beforehand and not used yet (db_pg.c, pg_reclaim_ids).
 */
int pl__db_shared_writers(struct pl_db *db, bool on);

/* Lock namespaces of pl__db_lock_key. */
enum {
    PL_DB_LOCK_ASSET = 1,      /* key: an asset id */
    PL_DB_LOCK_SHARED_ROWS = 2 /* key 0: rows any scan may write (pl__store_shared_rows) */
};

/*
 * Lock key of namespace ns until the transaction ends (PostgreSQL: an
 * advisory transaction lock on (ns, key), the key taken modulo 2^32: two keys
 * that meet there only wait for each other). wait false: PL_DB_BUSY at once
 * when another session holds it; wait true: waits up to the lock timeout,
 * then PL_DB_BUSY. SQLite: PL_DB_OK (its writers never run side by side).
 */
int pl__db_lock_key(struct pl_db *db, int ns, int64_t key, bool wait);

/* With on, every later write on db fails with PL_DB_READONLY; off again allows them. */
int pl__db_query_only(struct pl_db *db, bool on);

/* Prepare one statement; on failure *out is NULL and pl__db_errmsg says why. */
int pl__db_prepare(struct pl_db *db, const char *sql, struct pl_stmt **out);

/*
 * Bind parameter i (from 1). Text is copied; NULL text binds NULL. Text must
 * be UTF-8 without NUL bytes, on every backend (PostgreSQL's text refuses
 * anything else): otherwise the bind returns PL_DB_MISMATCH and so does the
 * statement's next step, without running it (pl__db_errmsg names the
 * parameter; pl__db_status gives PL_E_INVALID).
 */
int pl__db_bind_int64(struct pl_stmt *st, int i, int64_t v);
int pl__db_bind_int(struct pl_stmt *st, int i, int v);
int pl__db_bind_double(struct pl_stmt *st, int i, double v);
int pl__db_bind_text(struct pl_stmt *st, int i, const char *text);
int pl__db_bind_textn(struct pl_stmt *st, int i, const char *text, size_t len);
int pl__db_bind_null(struct pl_stmt *st, int i);
int pl__db_bind_parameter_count(struct pl_stmt *st);

/*
 * Mark st, before its first step, as a listing whose rows may be many (every
 * asset, every finding): the backend then never holds all of them at once.
 * SQLite steps row by row anyway (a no-op); PostgreSQL reads the rows through
 * a cursor in batches instead of the whole result. Other statements may still
 * run while the listing is read.
 */
int pl__db_stream(struct pl_stmt *st);

/*
 * Mark st, before its first step, as a write of a bulk load (a feed import's
 * rows) whose outcome need not be known at once: a step may send it and
 * return PL_DB_DONE without waiting, and a failure is then returned by the
 * next call on the connection that waits for the server (a step of another
 * statement, exec, commit, pl__db_changes). For INSERT, UPDATE and DELETE
 * without RETURNING, in a transaction (PostgreSQL aborts it at the first
 * error, so the load fails whole). SQLite: a no-op; PostgreSQL: libpq's
 * pipeline mode, one round trip for a run of such writes instead of one each.
 */
int pl__db_batch(struct pl_stmt *st);

/*
 * Wait for the outcomes of the batched writes sent so far on db: PL_DB_OK, or
 * the first failure among them (errmsg says which). Where a bulk load ends a
 * unit its errors should name (one asset's package list), so that a failure
 * is reported there and not by a later one. SQLite: nothing to wait for.
 */
int pl__db_flush(struct pl_db *db);

/* PL_DB_ROW, PL_DB_DONE or an error code (the connection's errmsg says which). */
int pl__db_step(struct pl_stmt *st);

/* Column i (from 0) of the current row; NULL reads as 0 / NULL text. */
int pl__db_column_count(struct pl_stmt *st);
const char *pl__db_column_name(struct pl_stmt *st, int i);
int pl__db_column_type(struct pl_stmt *st, int i);
int64_t pl__db_column_int64(struct pl_stmt *st, int i);
int pl__db_column_int(struct pl_stmt *st, int i);
double pl__db_column_double(struct pl_stmt *st, int i);
const unsigned char *pl__db_column_text(struct pl_stmt *st, int i);
int pl__db_column_bytes(struct pl_stmt *st, int i);

/* Back to before the first step, keeping the bindings; returns the last step's error, if any. */
int pl__db_reset(struct pl_stmt *st);
int pl__db_clear_bindings(struct pl_stmt *st);

/* Free st; NULL is a no-op. */
void pl__db_finalize(struct pl_stmt *st);

/* The connection st belongs to. */
struct pl_db *pl__db_handle(struct pl_stmt *st);

/*
 * Append to sql, at the end of a SELECT that reads table (its name or alias),
 * the clause that locks the rows it returns until the transaction ends and
 * passes over rows another transaction has locked: " FOR UPDATE OF table SKIP
 * LOCKED" on PostgreSQL, where claimers of a queue then each take different
 * rows without waiting for one another; nothing on SQLite, whose one writer
 * at a time makes the claim's conditional UPDATE enough by itself. The one
 * dialect difference a claim needs (docs/store.md, "Claims").
 */
struct pl_buf;
void pl__db_sql_skip_locked(struct pl_db *db, struct pl_buf *sql, const char *table);

/*
 * target as it may be printed or logged: a URL's password (in the userinfo
 * or a password= parameter) replaced by "xxxxx"; a path unchanged. Malloc'd.
 */
char *pl__db_redact(const char *target);

#endif /* PATCHLINE_STORE_DB_H */
