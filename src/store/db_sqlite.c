/*
 * db_sqlite.c - the backend layer on SQLite: the only file that includes
 * sqlite3.h. The layer's codes and types are SQLite's primary codes, so
 * results pass through (extended codes reduced to their primary code).
 *
 * Statements are kept across uses: pl__db_finalize resets a statement,
 * clears its bindings and keeps it in its connection's cache, keyed by its
 * SQL text; the next pl__db_prepare of the same text takes it back instead
 * of compiling the text again (a server answers the same few statements on
 * every request). The cache holds at most CACHE_MAX idle statements, the
 * least recently released going first; a statement in use is never shared
 * (a second prepare of the same text while the first is in use compiles a
 * second one). SQLite recompiles a kept statement itself when the schema
 * changes. Callers see no difference: a statement is theirs from prepare
 * to finalize, bound from scratch, as before.
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patchline/common.h"

#include "db_int.h"

/* Idle statements kept per connection; SQL longer than CACHE_SQL_MAX is not kept. */
#define CACHE_MAX     96
#define CACHE_SQL_MAX 8192

struct sq_stmt {
    struct pl_stmt base;
    sqlite3_stmt *h;
    char *sql;     /* the text it was prepared from (NULL: not kept) */
    bool writes;   /* it writes the store, not only this connection's temp tables */
    size_t len;    /* strlen(sql) */
    uint64_t hash; /* of sql */
};

struct sq_db {
    struct pl_db base;
    sqlite3 *h;
    struct sq_stmt *idle[CACHE_MAX]; /* oldest release first */
    size_t n_idle;
    bool reading; /* in a read transaction (pl__db_read_begin): writes are refused */
    bool refused; /* the last step or exec was a write refused for it */
    bool writes;  /* the statement being prepared writes the store (authorize) */
    FILE *log;    /* $PATCHLINE_SQL_LOG: every statement run, or NULL */
};

static const char refused_msg[] = "a write inside a read transaction: refused";

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

static void stmt_free(struct sq_stmt *st)
{
    sqlite3_finalize(st->h);
    free(st->sql);
    free(st);
}

static void sq_close(struct pl_db *db)
{
    struct sq_db *d = (struct sq_db *)db;

    for (size_t i = 0; i < d->n_idle; i++)
        stmt_free(d->idle[i]);
    d->n_idle = 0;
    if (d->log)
        fclose(d->log);
    sqlite3_close(H(db));
    free(db);
}

static const char *sq_errmsg(struct pl_db *db)
{
    return ((struct sq_db *)db)->refused ? refused_msg : sqlite3_errmsg(H(db));
}

static int sq_errcode(struct pl_db *db)
{
    return ((struct sq_db *)db)->refused ? PL_DB_READONLY : code(sqlite3_errcode(H(db)));
}

/*
 * The authorizer, called as a statement is compiled: notes whether it writes
 * the store's tables (main), not only the connection's temp tables (a list
 * of ids a read joins: pl__store_temp_ids), which a read transaction allows.
 */
static int authorize(void *arg, int action, const char *a, const char *b, const char *dbname,
                     const char *trigger)
{
    struct sq_db *d = arg;

    (void)a;
    (void)b;
    (void)trigger;
    switch (action) {
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
        if (dbname == NULL || strcmp(dbname, "temp") != 0)
            d->writes = true;
        break;
    case SQLITE_CREATE_INDEX:
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_TRIGGER:
    case SQLITE_CREATE_VIEW:
    case SQLITE_DROP_INDEX:
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TRIGGER:
    case SQLITE_DROP_VIEW:
    case SQLITE_ALTER_TABLE:
    case SQLITE_REINDEX:
    case SQLITE_ANALYZE:
    case SQLITE_CREATE_VTABLE:
    case SQLITE_DROP_VTABLE:
        d->writes = true; /* their temp forms are other actions */
        break;
    default:
        break;
    }
    return SQLITE_OK;
}

/* A write of the store's tables (not a read, not only temp tables): refused when reading. */
static bool writes_store(sqlite3_stmt *h, bool writes)
{
    return writes && !sqlite3_stmt_readonly(h);
}

/* In a read transaction: each statement of sql run unless it writes (PL_DB_READONLY). */
static int exec_reading(struct sq_db *d, const char *sql)
{
    const char *rest = sql;
    int rc = SQLITE_OK;

    while (rc == SQLITE_OK && *rest) {
        sqlite3_stmt *h = NULL;

        d->writes = false;
        if ((rc = sqlite3_prepare_v2(d->h, rest, -1, &h, &rest)) != SQLITE_OK || h == NULL)
            break; /* an error, or only blanks and comments were left */
        if (writes_store(h, d->writes)) {
            d->refused = true;
            sqlite3_finalize(h);
            return PL_DB_READONLY;
        }
        while ((rc = sqlite3_step(h)) == SQLITE_ROW)
            ;
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        sqlite3_finalize(h);
    }
    return code(rc);
}

static int sq_exec(struct pl_db *db, const char *sql)
{
    struct sq_db *d = (struct sq_db *)db;

    d->refused = false;
    if (d->reading)
        return exec_reading(d, sql);
    return code(sqlite3_exec(H(db), sql, NULL, NULL, NULL));
}

/*
 * A deferred BEGIN takes no lock: the snapshot is the first read's. Writes
 * of the store are refused by the layer itself (noted as each statement is
 * compiled, checked at each step), so a request's reads cost no statement
 * more than its BEGIN and COMMIT; the connection's temp tables stay writable.
 */
static int sq_prepare(struct pl_db *db, const char *sql, struct pl_stmt **out);
static void sq_finalize(struct pl_stmt *st);

/* sql (one statement without rows) through the cache of kept statements: not parsed again. */
static int run_kept(struct pl_db *db, const char *sql)
{
    struct pl_stmt *st;
    int rc;

    ((struct sq_db *)db)->refused = false;
    if ((rc = sq_prepare(db, sql, &st)) != PL_DB_OK)
        return rc;
    rc = code(sqlite3_step(S(st)));
    sq_finalize(st);
    return rc == PL_DB_DONE ? PL_DB_OK : rc;
}

static int sq_read_begin(struct pl_db *db)
{
    struct sq_db *d = (struct sq_db *)db;
    int rc = run_kept(db, "BEGIN");

    d->reading = rc == PL_DB_OK;
    return rc;
}

static int sq_read_end(struct pl_db *db)
{
    ((struct sq_db *)db)->reading = false;
    return run_kept(db, "COMMIT");
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

/* FNV-1a of the first len bytes of sql. */
static uint64_t sql_hash(const char *sql, size_t len)
{
    uint64_t h = 14695981039346656037ULL;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)sql[i]) * 1099511628211ULL;
    return h;
}

/* Take the idle statement of sql out of the cache, or NULL. */
static struct sq_stmt *cache_take(struct sq_db *d, const char *sql, size_t len, uint64_t hash)
{
    for (size_t i = d->n_idle; i-- > 0;) {
        struct sq_stmt *st = d->idle[i];

        if (st->hash == hash && st->len == len && memcmp(st->sql, sql, len) == 0) {
            memmove(&d->idle[i], &d->idle[i + 1], (d->n_idle - i - 1) * sizeof(d->idle[0]));
            d->n_idle--;
            return st;
        }
    }
    return NULL;
}

static int sq_prepare(struct pl_db *db, const char *sql, struct pl_stmt **out)
{
    struct sq_db *d = (struct sq_db *)db;
    size_t len = strlen(sql);
    uint64_t hash = sql_hash(sql, len);
    sqlite3_stmt *h = NULL;
    struct sq_stmt *st;
    int rc;

    if ((st = cache_take(d, sql, len, hash)) != NULL) {
        *out = &st->base;
        return PL_DB_OK;
    }
    d->writes = false;
    rc = sqlite3_prepare_v3(H(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &h, NULL);
    if (rc != SQLITE_OK)
        return code(rc);
    st = pl_xcalloc(1, sizeof(*st));
    st->writes = d->writes;
    if (h == NULL) { /* no statement in sql (only a comment or blanks): not kept */
        (void)sqlite3_prepare_v2(H(db), "SELECT 1 WHERE 0", -1, &h, NULL);
        if (h == NULL) {
            free(st);
            return PL_DB_NOMEM;
        }
    } else if (len <= CACHE_SQL_MAX) {
        st->sql = pl_xmalloc(len + 1);
        memcpy(st->sql, sql, len + 1);
        st->len = len;
        st->hash = hash;
    }
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
    struct sq_db *d = (struct sq_db *)st->db;

    d->refused = false;
    if (d->reading && writes_store(S(st), ((struct sq_stmt *)st)->writes)) {
        d->refused = true;
        return PL_DB_READONLY;
    }
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
    struct sq_stmt *q = (struct sq_stmt *)st;
    struct sq_db *d = (struct sq_db *)st->db;

    /* reset ends its read (a statement left stepped would hold a snapshot) */
    if (q->sql == NULL || sqlite3_reset(q->h) != SQLITE_OK ||
        sqlite3_clear_bindings(q->h) != SQLITE_OK) {
        stmt_free(q);
        return;
    }
    if (d->n_idle == CACHE_MAX) { /* the least recently released goes */
        stmt_free(d->idle[0]);
        memmove(&d->idle[0], &d->idle[1], (CACHE_MAX - 1) * sizeof(d->idle[0]));
        d->n_idle--;
    }
    d->idle[d->n_idle++] = q;
}

static const struct pl_db_ops sq_ops = {
    .close = sq_close,
    .errmsg = sq_errmsg,
    .errcode = sq_errcode,
    .exec = sq_exec,
    .changes = sq_changes,
    .begin = sq_begin,
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
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

/*
 * The statement log (docs/store.md, "The statement log"): each statement's
 * text as it starts, never its parameters, after "auto" when it runs in a
 * transaction of its own (autocommit: it opens one) or "tx" inside one.
 * One line each, its white space folded; the triggers' own lines are left out.
 */
static int sql_log_line(unsigned type, void *arg, void *p, void *x)
{
    struct sq_db *d = arg;
    const char *sql = x;
    char line[512];
    size_t n = 0;
    bool blank = false;

    (void)type;
    (void)p;
    if (sql == NULL || strncmp(sql, "--", 2) == 0)
        return 0;
    for (; *sql && n < sizeof(line) - 1; sql++) {
        bool space = *sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '\r';

        if (space && (blank || n == 0))
            continue;
        line[n++] = space ? ' ' : *sql;
        blank = space;
    }
    line[n] = '\0';
    fprintf(d->log, "%s %s\n", sqlite3_get_autocommit(d->h) ? "auto" : "tx", line);
    fflush(d->log);
    return 0;
}

static void sql_log_open(struct sq_db *db)
{
    const char *path = getenv("PATCHLINE_SQL_LOG");
    int fd;

    if (path == NULL || *path == '\0')
        return;
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 || (db->log = fdopen(fd, "a")) == NULL) {
        if (fd >= 0)
            close(fd);
        return;
    }
    sqlite3_trace_v2(db->h, SQLITE_TRACE_STMT, sql_log_line, db);
}

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
    sqlite3_set_authorizer(db->h, authorize, db);
    sql_log_open(db);
    *out = &db->base;
    return PL_OK;
}
