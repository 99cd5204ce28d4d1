/*
 * db_sqlite.c - the backend layer on SQLite: the only file that includes
 * sqlite3.h. The layer's codes and types are SQLite's primary codes, so
 * results pass through (extended codes reduced to their primary code).
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"

#include "db_int.h"

struct sq_db {
    struct pl_db base;
    sqlite3 *h;
};

struct sq_stmt {
    struct pl_stmt base;
    sqlite3_stmt *h;
};

static sqlite3 *H(struct pl_db *db)
{
    return ((struct sq_db *)db)->h;
}

static sqlite3_stmt *S(struct pl_stmt *st)
{
    return ((struct sq_stmt *)st)->h;
}

/* A SQLite result code as the layer's (its primary code; the layer's values are SQLite's). */
static int code(int rc)
{
    return rc & 0xff;
}

static void sq_close(struct pl_db *db)
{
    sqlite3_close(H(db));
    free(db);
}

static const char *sq_errmsg(struct pl_db *db)
{
    return sqlite3_errmsg(H(db));
}

static int sq_errcode(struct pl_db *db)
{
    return code(sqlite3_errcode(H(db)));
}

static int sq_exec(struct pl_db *db, const char *sql)
{
    return code(sqlite3_exec(H(db), sql, NULL, NULL, NULL));
}

static int64_t sq_changes(struct pl_db *db)
{
    return sqlite3_changes64(H(db));
}

static int sq_begin(struct pl_db *db)
{
    return sq_exec(db, "BEGIN IMMEDIATE");
}

static void sq_busy_handler(struct pl_db *db, int (*fn)(void *arg, int count), void *arg)
{
    sqlite3_busy_handler(H(db), fn, arg);
}

static int sq_lock_timeout(struct pl_db *db, int64_t ms)
{
    (void)db;
    (void)ms; /* SQLite waits as its busy handler says */
    return PL_DB_OK;
}

static int sq_query_only(struct pl_db *db, bool on)
{
    return sq_exec(db, on ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF");
}

static const struct pl_db_ops sq_ops;

static int sq_prepare(struct pl_db *db, const char *sql, struct pl_stmt **out)
{
    sqlite3_stmt *h = NULL;
    struct sq_stmt *st;
    int rc = sqlite3_prepare_v2(H(db), sql, -1, &h, NULL);

    if (rc != SQLITE_OK)
        return code(rc);
    if (h == NULL) { /* no statement in sql (only a comment or blanks) */
        (void)sqlite3_prepare_v2(H(db), "SELECT 1 WHERE 0", -1, &h, NULL);
        if (h == NULL)
            return PL_DB_NOMEM;
    }
    st = pl_xcalloc(1, sizeof(*st));
    st->base.db = db;
    st->h = h;
    *out = &st->base;
    return PL_DB_OK;
}

static int sq_bind_int64(struct pl_stmt *st, int i, int64_t v)
{
    return code(sqlite3_bind_int64(S(st), i, v));
}

static int sq_bind_double(struct pl_stmt *st, int i, double v)
{
    return code(sqlite3_bind_double(S(st), i, v));
}

static int sq_bind_textn(struct pl_stmt *st, int i, const char *text, size_t len)
{
    if (len > (size_t)0x7fffffff)
        return PL_DB_RANGE;
    return code(sqlite3_bind_text(S(st), i, text, (int)len, SQLITE_TRANSIENT));
}

static int sq_bind_null(struct pl_stmt *st, int i)
{
    return code(sqlite3_bind_null(S(st), i));
}

static int sq_bind_parameter_count(struct pl_stmt *st)
{
    return sqlite3_bind_parameter_count(S(st));
}

static int sq_step(struct pl_stmt *st)
{
    return code(sqlite3_step(S(st)));
}

static int sq_column_count(struct pl_stmt *st)
{
    return sqlite3_column_count(S(st));
}

static const char *sq_column_name(struct pl_stmt *st, int i)
{
    return sqlite3_column_name(S(st), i);
}

static int sq_column_type(struct pl_stmt *st, int i)
{
    return sqlite3_column_type(S(st), i);
}

static int64_t sq_column_int64(struct pl_stmt *st, int i)
{
    return sqlite3_column_int64(S(st), i);
}

static double sq_column_double(struct pl_stmt *st, int i)
{
    return sqlite3_column_double(S(st), i);
}

static const unsigned char *sq_column_text(struct pl_stmt *st, int i)
{
    return sqlite3_column_text(S(st), i);
}

static int sq_column_bytes(struct pl_stmt *st, int i)
{
    return sqlite3_column_bytes(S(st), i);
}

static int sq_reset(struct pl_stmt *st)
{
    return code(sqlite3_reset(S(st)));
}

static int sq_clear_bindings(struct pl_stmt *st)
{
    return code(sqlite3_clear_bindings(S(st)));
}

static void sq_finalize(struct pl_stmt *st)
{
    sqlite3_finalize(S(st));
    free(st);
}

static const struct pl_db_ops sq_ops = {
    .close = sq_close,
    .errmsg = sq_errmsg,
    .errcode = sq_errcode,
    .exec = sq_exec,
    .changes = sq_changes,
    .begin = sq_begin,
    .busy_handler = sq_busy_handler,
    .lock_timeout = sq_lock_timeout,
    .query_only = sq_query_only,
    .prepare = sq_prepare,
    .bind_int64 = sq_bind_int64,
    .bind_double = sq_bind_double,
    .bind_textn = sq_bind_textn,
    .bind_null = sq_bind_null,
    .bind_parameter_count = sq_bind_parameter_count,
    .step = sq_step,
    .column_count = sq_column_count,
    .column_name = sq_column_name,
    .column_type = sq_column_type,
    .column_int64 = sq_column_int64,
    .column_double = sq_column_double,
    .column_text = sq_column_text,
    .column_bytes = sq_column_bytes,
    .reset = sq_reset,
    .clear_bindings = sq_clear_bindings,
    .finalize = sq_finalize,
};

pl_status pl__db_sqlite_open(const char *path, int flags, struct pl_db **out, struct pl_error *err)
{
    struct sq_db *db = pl_xcalloc(1, sizeof(*db));
    int oflags = (flags & PL_DB_OPEN_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;

    db->base.ops = &sq_ops;
    db->base.kind = PL_DB_SQLITE;
    if (sqlite3_open_v2(path, &db->h, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        pl_status rc =
            pl_error_set(err, PL_E_STORE, "%s", db->h ? sqlite3_errmsg(db->h) : "out of memory");

        sqlite3_close(db->h);
        free(db);
        return rc;
    }
    *out = &db->base;
    return PL_OK;
}
