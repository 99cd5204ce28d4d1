/*
 * db_pg.c - the backend layer on PostgreSQL through libpq.
 *
 * A statement is prepared on the server when first run, once per connection
 * for each SQL text and set of parameter types (the cache below). Integer and
 * real parameters are sent typed (int8, float8), text and NULL untyped, so
 * that the server infers them from where they stand; every value travels as
 * text both ways. A step runs the statement and keeps its whole result: the
 * rows are then read one by one, and other statements may run meanwhile.
 *
 * A listing marked with pl__db_stream runs through a cursor instead (DECLARE
 * ... WITH HOLD, prepared like any statement, then FETCH PL_PG_BATCH rows at a
 * time), so that only one batch is held here whatever the number of rows, and
 * other statements may still run between two steps. WITH HOLD lets the cursor
 * outlive the statement's own transaction (a read outside BEGIN): the server
 * then keeps the rows left (spilling to disk), not this process. A cursor is
 * closed when its last batch arrives, or at reset or finalize.
 *
 * A write marked with pl__db_batch (a feed import's rows), stepped inside a
 * transaction, is sent in libpq's pipeline mode without waiting for its
 * outcome: a run of them costs one round trip instead of one each. The
 * outcomes are read (settle) before anything else uses the connection, and
 * at least every PL_PG_PIPELINE writes; the first failure among them is
 * returned by that call (the transaction is aborted by then, as after any
 * error on PostgreSQL).
 *
 * Writers take one transaction-level advisory lock (PL_PG_WRITE_LOCK) in
 * pl__db_begin, so that they follow one another as on SQLite; how long one
 * waits is the session's lock_timeout (pl__db_lock_timeout). In shared mode
 * (pl__db_shared_writers: a scan's batches) it is taken shared, and the
 * session holds PL_PG_SHARED_LOCK shared; pl__db_lock_key locks an asset.
 */
#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/common.h"
#include "patchline/log.h"

#include "db_int.h"

#define PL_PG_WRITE_LOCK  "7034126570" /* the advisory lock key of the store's writers */
#define PL_PG_SHARED_LOCK "7034126571" /* held (shared) by writers in shared mode */
#define PL_PG_BATCH       "2000"       /* rows per FETCH of a streamed listing */
#define PL_PG_BATCH_N     2000
#define PL_PG_CURSORS     64   /* streamed listings open at once on a connection */
#define PL_PG_PIPELINE    1000 /* batched writes sent before their outcomes are read */
#define INT8OID           20
#define INT2OID           21
#define INT4OID           23
#define BOOLOID           16
#define FLOAT4OID         700
#define FLOAT8OID         701
#define NUMERICOID        1700
#define BYTEAOID          17
#define TEXTOID           25

struct pg_prepared {
    char *key; /* SQL text, NUL, then one type letter per parameter */
    size_t key_len;
    uint64_t hash;
    char name[24];
};

struct pg_db {
    struct pl_db base;
    PGconn *conn;
    int errcode;
    char *errmsg;
    int64_t changes;
    struct pg_prepared *prep;
    size_t n_prep, cap_prep;
    unsigned next_name;
    int (*busy_fn)(void *arg, int count);
    void *busy_arg;
    bool in_write_tx; /* since pl__db_begin, until COMMIT or ROLLBACK */
    bool inserted;    /* an INSERT ran in it (identity values may have been taken) */
    uint64_t cursors; /* the cursor names (pl_cur_N, bit N) in use */
    int pending;      /* batched writes sent, their outcomes not read yet */
    int deferred;     /* a batched write's failure not returned yet (its message in errmsg) */
    bool shared;      /* pl__db_shared_writers on: PL_PG_SHARED_LOCK held */
    bool unlock_due;  /* PL_PG_SHARED_LOCK to let go of when the transaction ends */
};

struct pg_stmt {
    struct pl_stmt base;
    char *sql; /* with $N parameters */
    int n_params;
    char **values; /* copied text of each parameter, NULL for NULL */
    char *types;   /* per parameter: 'i' int8, 'd' float8, 't' text or NULL */
    PGresult *res;
    int row, n_rows; /* the current row (-1 before the first) */
    bool ran;        /* executed since the last reset */
    bool stream;     /* pl__db_stream: read through a cursor */
    int cursor;      /* the open cursor's number, -1 when none */
    bool more;       /* the cursor may have rows after the current batch */
    bool batch;      /* pl__db_batch: sent without waiting, in a transaction */
    bool sent;       /* this run was sent in the pipeline: it has no rows */
};

static struct pg_db *D(struct pl_db *db)
{
    return (struct pg_db *)db;
}

static struct pg_stmt *T(struct pl_stmt *st)
{
    return (struct pg_stmt *)st;
}

static void set_error(struct pg_db *db, int code, const char *msg)
{
    size_t n = strcspn(msg, "\n"); /* the first line: the rest is the statement quoted */

    free(db->errmsg);
    while (n > 0 && msg[n - 1] == ' ')
        n--;
    db->errmsg = pl_xstrndup(msg, n);
    db->errcode = code;
}

/* The layer's code for a failed result, from its SQLSTATE. */
static int sqlstate_code(const PGresult *res)
{
    const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    if (s == NULL)
        return PL_DB_IOERR; /* no SQLSTATE: the connection failed */
    if (strncmp(s, "23", 2) == 0)
        return PL_DB_CONSTRAINT;
    if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0)
        return PL_DB_SERIALIZE;
    if (strcmp(s, "55P03") == 0 || strcmp(s, "57014") == 0)
        return PL_DB_BUSY; /* lock_not_available (lock_timeout), query_canceled */
    if (strcmp(s, "25006") == 0)
        return PL_DB_READONLY;
    if (strcmp(s, "53200") == 0)
        return PL_DB_NOMEM;
    if (strncmp(s, "08", 2) == 0 || strncmp(s, "58", 2) == 0)
        return PL_DB_IOERR;
    return PL_DB_ERROR;
}

/* Record res's outcome on db: PL_DB_OK, or the error (res is left to the caller). */
static int result_code(struct pg_db *db, PGresult *res)
{
    ExecStatusType t = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    const char *status;

    if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK || t == PGRES_EMPTY_QUERY) {
        status = PQcmdStatus(res);
        if (status && strncmp(status, "INSERT", 6) == 0 && db->in_write_tx)
            db->inserted = true;
        if (status && (strncmp(status, "INSERT", 6) == 0 || strncmp(status, "UPDATE", 6) == 0 ||
                       strncmp(status, "DELETE", 6) == 0 || strncmp(status, "MERGE", 5) == 0))
            db->changes = strtoll(PQcmdTuples(res), NULL, 10);
        db->errcode = PL_DB_OK;
        return PL_DB_OK;
    }
    set_error(db, sqlstate_code(res),
              res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res)
                                                : PQerrorMessage(db->conn));
    return db->errcode;
}

static void pg_close(struct pl_db *pdb)
{
    struct pg_db *db = D(pdb);

    PQfinish(db->conn);
    for (size_t i = 0; i < db->n_prep; i++)
        free(db->prep[i].key);
    free(db->prep);
    free(db->errmsg);
    free(db);
}

static const char *pg_errmsg(struct pl_db *db)
{
    return D(db)->errmsg ? D(db)->errmsg : "";
}

static int pg_errcode(struct pl_db *db)
{
    return D(db)->errcode;
}

static int pg_exec(struct pl_db *pdb, const char *sql);

/*
 * Read the outcomes of the statements sent in the pipeline (batched writes,
 * pl__db_batch) and leave pipeline mode: PL_DB_OK, or the first failure
 * among them (or one kept from an earlier settle that could not return it).
 * With last, the result of the last statement sent (a read sent after the
 * writes, in the same round trip) is kept there instead of cleared.
 */
static int settle_into(struct pg_db *db, PGresult **last)
{
    int rc = PL_DB_OK, nulls = 0, q = 0;

    if (db->pending > 0 || PQpipelineStatus(db->conn) != PQ_PIPELINE_OFF) {
        if (PQpipelineSync(db->conn) != 1) {
            set_error(db, PL_DB_IOERR, PQerrorMessage(db->conn));
            rc = PL_DB_IOERR;
        }
        while (rc != PL_DB_IOERR) {
            PGresult *res = PQgetResult(db->conn);
            ExecStatusType t;

            if (res == NULL) { /* the end of one statement's results */
                q++;
                if (++nulls > 1 && PQstatus(db->conn) == CONNECTION_BAD) {
                    set_error(db, PL_DB_IOERR, PQerrorMessage(db->conn));
                    rc = PL_DB_IOERR;
                }
                continue;
            }
            nulls = 0;
            t = PQresultStatus(res);
            if (t == PGRES_PIPELINE_SYNC) {
                PQclear(res);
                break;
            }
            if (t != PGRES_PIPELINE_ABORTED && rc == PL_DB_OK)
                rc = result_code(db, res);
            if (last && q == db->pending - 1 && *last == NULL && t != PGRES_PIPELINE_ABORTED)
                *last = res;
            else
                PQclear(res);
        }
        (void)PQexitPipelineMode(db->conn);
        db->pending = 0;
    }
    if (rc == PL_DB_OK && db->deferred != PL_DB_OK)
        rc = db->errcode = db->deferred; /* its message is still errmsg */
    db->deferred = PL_DB_OK;
    return rc;
}

static int settle(struct pg_db *db)
{
    return settle_into(db, NULL);
}

/* settle where the failure cannot be returned: kept for the next call that can. */
static void settle_later(struct pg_db *db)
{
    int rc = settle(db);

    if (rc != PL_DB_OK)
        db->deferred = rc;
}

/* sql a pg_try_advisory_* call: PL_DB_OK when it got the lock, else PL_DB_BUSY. */
static int pg_try_lock(struct pl_db *pdb, const char *sql)
{
    struct pg_db *db = D(pdb);
    int rc = settle(db);
    PGresult *res = rc == PL_DB_OK ? PQexec(db->conn, sql) : NULL;

    if (res && (rc = result_code(db, res)) == PL_DB_OK && PQntuples(res) == 1 &&
        strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
        set_error(db, PL_DB_BUSY, "lock held by another writer");
        rc = PL_DB_BUSY;
    }
    PQclear(res);
    return rc;
}

/*
 * After a writer's transaction was rolled back: the identity sequences back
 * to just past each table's largest id, as SQLite's rowids are, so that the
 * ids a failed change took are given again (PostgreSQL does not roll
 * sequences back). Under the writers' lock, and not while a shared writer
 * may hold ids taken and unused (a scan's block of finding ids), so no other
 * writer holds ids it has not committed; else, or on failure, they stay taken.
 */
static void pg_reclaim_ids(struct pl_db *pdb)
{
    static const char sql[] =
        "DO $pl$ DECLARE r record; BEGIN FOR r IN SELECT c.relname AS t, a.attname AS col, "
        "pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS seq FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND a.attidentity <> '' LOOP "
        "EXECUTE format('SELECT setval(%L, COALESCE((SELECT max(%I) FROM %I), 0) + 1, false) "
        "WHERE (SELECT last_value FROM %s) > COALESCE((SELECT max(%I) FROM %I), 0)', "
        "r.seq, r.col, r.t, r.seq, r.col, r.t); END LOOP; END $pl$";

    if (pg_exec(pdb, "BEGIN") != PL_DB_OK)
        return;
    if (pg_exec(pdb, "SELECT pg_advisory_xact_lock(" PL_PG_WRITE_LOCK ")") != PL_DB_OK ||
        pg_try_lock(pdb, "SELECT pg_try_advisory_xact_lock(" PL_PG_SHARED_LOCK ")") != PL_DB_OK ||
        pg_exec(pdb, sql) != PL_DB_OK || pg_exec(pdb, "COMMIT") != PL_DB_OK)
        (void)pg_exec(pdb, "ROLLBACK");
}

static int pg_exec(struct pl_db *pdb, const char *sql)
{
    struct pg_db *db = D(pdb);
    PGresult *res;
    int rc = settle(db);

    /* a ROLLBACK runs whatever the batched writes did: it is how their failure is undone */
    if (rc != PL_DB_OK && strncmp(sql, "ROLLBACK", 8) != 0)
        return rc;
    res = PQexec(db->conn, sql);
    rc = result_code(db, res);
    bool end = strcmp(sql, "COMMIT") == 0 || strcmp(sql, "ROLLBACK") == 0;
    bool reclaim = strcmp(sql, "ROLLBACK") == 0 && db->in_write_tx && db->inserted;

    PQclear(res);
    if (end)
        db->in_write_tx = db->inserted = false;
    if (end && db->unlock_due) {
        res = PQexec(db->conn, "SELECT pg_advisory_unlock_shared(" PL_PG_SHARED_LOCK ")");
        if (PQresultStatus(res) == PGRES_TUPLES_OK)
            db->unlock_due = false;
        PQclear(res);
    }
    if (reclaim && rc == PL_DB_OK) {
        pg_reclaim_ids(pdb);
        db->errcode = PL_DB_OK;
    }
    return rc;
}

static int64_t pg_changes(struct pl_db *db)
{
    settle_later(D(db)); /* the last batched write's count */
    return D(db)->changes;
}

static int pg_begin(struct pl_db *db)
{
    int rc = pg_exec(db, "BEGIN");
    const char *lock = D(db)->shared ? "SELECT pg_advisory_xact_lock_shared(" PL_PG_WRITE_LOCK ")"
                                     : "SELECT pg_advisory_xact_lock(" PL_PG_WRITE_LOCK ")";

    if (rc == PL_DB_OK && (rc = pg_exec(db, lock)) != PL_DB_OK) {
        char *msg = pl_xstrdup(pg_errmsg(db));

        (void)pg_exec(db, "ROLLBACK");
        set_error(D(db), rc, msg);
        free(msg);
    } else if (rc == PL_DB_OK) {
        D(db)->in_write_tx = true;
        D(db)->inserted = false;
    }
    return rc;
}

static int pg_shared_writers(struct pl_db *pdb, bool on)
{
    struct pg_db *db = D(pdb);
    int rc = PL_DB_OK;

    if (on && !db->shared &&
        (rc = pg_exec(pdb, "SELECT pg_advisory_lock_shared(" PL_PG_SHARED_LOCK ")")) == PL_DB_OK)
        db->shared = true;
    if (!on && db->shared) { /* in a failed transaction the unlock waits for its end (pg_exec) */
        db->shared = false;
        db->unlock_due =
            pg_exec(pdb, "SELECT pg_advisory_unlock_shared(" PL_PG_SHARED_LOCK ")") != PL_DB_OK;
    }
    return rc;
}

static int pg_lock_key(struct pl_db *pdb, int ns, int64_t key, bool wait)
{
    char sql[96];

    snprintf(sql, sizeof(sql), "SELECT pg_%sadvisory_xact_lock(%d, %ld)", wait ? "" : "try_", ns,
             (long)(int32_t)(uint32_t)(uint64_t)key);
    return wait ? pg_exec(pdb, sql) : pg_try_lock(pdb, sql);
}

static void pg_busy_handler(struct pl_db *db, int (*fn)(void *arg, int count), void *arg)
{
    D(db)->busy_fn = fn; /* kept: PostgreSQL waits as lock_timeout says */
    D(db)->busy_arg = arg;
}

static int pg_lock_timeout(struct pl_db *db, int64_t ms)
{
    char sql[64];

    /* 0 would mean "wait for ever" to PostgreSQL: the shortest wait instead */
    snprintf(sql, sizeof(sql), "SET lock_timeout = %lld", (long long)(ms > 0 ? ms : 1));
    return pg_exec(db, sql);
}

static int pg_query_only(struct pl_db *db, bool on)
{
    return pg_exec(db, on ? "SET default_transaction_read_only = on"
                          : "SET default_transaction_read_only = off");
}

static const struct pl_db_ops pg_ops;

static int pg_prepare(struct pl_db *pdb, const char *sql, struct pl_stmt **out)
{
    struct pg_db *db = D(pdb);
    char msg[128];
    int n = 0;
    char *text = pl__db_placeholders(sql, &n, msg, sizeof(msg));
    struct pg_stmt *st;

    if (text == NULL) {
        set_error(db, PL_DB_RANGE, msg);
        return PL_DB_RANGE;
    }
    st = pl_xcalloc(1, sizeof(*st));
    st->base.db = pdb;
    st->sql = text;
    st->n_params = n;
    st->values = pl_xcalloc((size_t)n + 1, sizeof(*st->values));
    st->types = pl_xcalloc((size_t)n + 1, 1);
    st->row = -1;
    st->cursor = -1;
    *out = &st->base;
    return PL_DB_OK;
}

static int check_param(struct pg_stmt *st, int i)
{
    if (i < 1 || i > st->n_params) {
        set_error(D(st->base.db), PL_DB_RANGE, "parameter number out of range");
        return PL_DB_RANGE;
    }
    if (st->ran) {
        set_error(D(st->base.db), PL_DB_MISUSE, "bind on a statement not reset");
        return PL_DB_MISUSE;
    }
    return PL_DB_OK;
}

static int put(struct pl_stmt *pst, int i, char *value, char type)
{
    struct pg_stmt *st = T(pst);
    int rc = check_param(st, i);

    if (rc != PL_DB_OK) {
        free(value);
        return rc;
    }
    free(st->values[i - 1]);
    st->values[i - 1] = value;
    st->types[i - 1] = type;
    return PL_DB_OK;
}

static int pg_bind_int64(struct pl_stmt *st, int i, int64_t v)
{
    char b[32];

    snprintf(b, sizeof(b), "%lld", (long long)v);
    return put(st, i, pl_xstrdup(b), 'i');
}

static int pg_bind_double(struct pl_stmt *st, int i, double v)
{
    char b[40];

    snprintf(b, sizeof(b), "%.17g", v);
    return put(st, i, pl_xstrdup(b), 'd');
}

static int pg_bind_textn(struct pl_stmt *st, int i, const char *text, size_t len)
{
    if (memchr(text, '\0', len)) {
        set_error(D(st->db), PL_DB_ERROR, "text with a NUL byte cannot be stored");
        return PL_DB_ERROR;
    }
    return put(st, i, pl_xstrndup(text, len), 't');
}

static int pg_bind_null(struct pl_stmt *st, int i)
{
    return put(st, i, NULL, 'n');
}

static int pg_bind_parameter_count(struct pl_stmt *st)
{
    return T(st)->n_params;
}

static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

/*
 * Which parameters st's text names (used[i] for $i+1). SQLite lets a
 * statement be bound a parameter it does not name (say ?2 of "?1, ?3");
 * PostgreSQL cannot infer the type of such a parameter, so an untyped one
 * that the text never names is sent as text (its value is then unused, as
 * on SQLite).
 */
static void named_params(const struct pg_stmt *st, bool *used)
{
    for (const char *p = strchr(st->sql, '$'); p; p = strchr(p + 1, '$')) {
        char *end;
        long n = strtol(p + 1, &end, 10);

        if (end != p + 1 && n >= 1 && n <= st->n_params)
            used[n - 1] = true;
    }
}

/*
 * The server-side statement for sql (st's text, or a DECLARE of it) and st's
 * parameter types, prepared on first use.
 */
static const char *prepared(struct pg_stmt *st, const char *sql, bool create)
{
    struct pg_db *db = D(st->base.db);
    size_t sql_len = strlen(sql), key_len = sql_len + 1 + (size_t)st->n_params;
    char *key = pl_xmalloc(key_len);
    Oid *types = pl_xcalloc((size_t)st->n_params + 1, sizeof(*types));
    uint64_t h;
    struct pg_prepared *p;
    PGresult *res;

    memcpy(key, sql, sql_len + 1);
    for (int i = 0; i < st->n_params; i++) {
        char t = st->types[i] ? st->types[i] : 'n';

        key[sql_len + 1 + (size_t)i] = t == 'i' || t == 'd' ? t : 'u';
        types[i] = t == 'i' ? INT8OID : t == 'd' ? FLOAT8OID : 0;
    }
    h = fnv(key, key_len);
    for (size_t i = 0; i < db->n_prep; i++) {
        if (db->prep[i].hash == h && db->prep[i].key_len == key_len &&
            memcmp(db->prep[i].key, key, key_len) == 0) {
            free(key);
            free(types);
            return db->prep[i].name;
        }
    }
    if (!create) {
        free(key);
        free(types);
        return NULL;
    }
    db->prep = pl_xgrow(db->prep, db->n_prep, &db->cap_prep, 32, sizeof(*db->prep));
    p = &db->prep[db->n_prep];
    snprintf(p->name, sizeof(p->name), "pl_%u", ++db->next_name);
    {
        bool *used = pl_xcalloc((size_t)st->n_params + 1, sizeof(*used));

        named_params(st, used);
        for (int i = 0; i < st->n_params; i++)
            if (types[i] == 0 && !used[i])
                types[i] = TEXTOID;
        free(used);
    }
    res = PQprepare(db->conn, p->name, sql, st->n_params, types);
    free(types);
    if (result_code(db, res) != PL_DB_OK) {
        PQclear(res);
        free(key);
        return NULL;
    }
    PQclear(res);
    p->key = key;
    p->key_len = key_len;
    p->hash = h;
    db->n_prep++;
    return p->name;
}

static int pg_batch(struct pl_stmt *pst)
{
    struct pg_stmt *st = T(pst);

    if (st->ran) {
        set_error(D(pst->db), PL_DB_MISUSE, "batch on a statement already stepped");
        return PL_DB_MISUSE;
    }
    st->batch = true;
    return PL_DB_OK;
}

static int pg_flush(struct pl_db *db)
{
    return settle(D(db));
}

static int pg_stream(struct pl_stmt *pst)
{
    struct pg_stmt *st = T(pst);

    if (st->ran) {
        set_error(D(pst->db), PL_DB_MISUSE, "stream on a statement already stepped");
        return PL_DB_MISUSE;
    }
    st->stream = true;
    return PL_DB_OK;
}

/*
 * Close st's cursor, if open, keeping the connection's last error. In a
 * failed transaction nothing can run: the name then stays taken (a cursor
 * declared before the transaction would outlive its rollback).
 */
static void close_cursor(struct pg_stmt *st)
{
    struct pg_db *db = D(st->base.db);
    char sql[40];
    int code;
    char *msg;

    if (st->cursor < 0)
        return;
    settle_later(db);
    code = db->errcode;
    if (db->deferred == PL_DB_OK && PQtransactionStatus(db->conn) != PQTRANS_INERROR) {
        msg = db->errmsg ? pl_xstrdup(db->errmsg) : NULL;
        snprintf(sql, sizeof(sql), "CLOSE pl_cur_%d", st->cursor);
        PQclear(PQexec(db->conn, sql));
        db->cursors &= ~((uint64_t)1 << st->cursor);
        free(db->errmsg);
        db->errmsg = msg;
        db->errcode = code;
    }
    st->cursor = -1;
    st->more = false;
}

/* The next batch of st's cursor into st->res (closing the cursor after the last). */
static int fetch(struct pg_stmt *st)
{
    struct pg_db *db = D(st->base.db);
    char sql[48];
    int rc;

    PQclear(st->res);
    st->res = NULL;
    if ((rc = settle(db)) != PL_DB_OK) {
        close_cursor(st);
        return rc;
    }
    snprintf(sql, sizeof(sql), "FETCH " PL_PG_BATCH " FROM pl_cur_%d", st->cursor);
    st->res = PQexec(db->conn, sql);
    st->row = -1;
    st->n_rows = 0;
    if ((rc = result_code(db, st->res)) != PL_DB_OK) {
        PQclear(st->res);
        st->res = NULL;
        close_cursor(st);
        return rc;
    }
    st->n_rows = PQntuples(st->res);
    st->more = st->n_rows == PL_PG_BATCH_N;
    if (!st->more)
        close_cursor(st);
    return PL_DB_OK;
}

/* Send batched write st in the pipeline (in a transaction: else run it as any statement). */
static int send_batched(struct pg_stmt *st, bool *sent)
{
    struct pg_db *db = D(st->base.db);
    const char *name;
    int rc;

    *sent = false;
    if (db->pending == 0 && PQtransactionStatus(db->conn) != PQTRANS_INTRANS)
        return PL_DB_OK;
    if ((name = prepared(st, st->sql, false)) == NULL || db->pending >= PL_PG_PIPELINE) {
        if ((rc = settle(db)) != PL_DB_OK)
            return rc;
        if (name == NULL && (name = prepared(st, st->sql, true)) == NULL)
            return db->errcode;
    }
    if (PQpipelineStatus(db->conn) == PQ_PIPELINE_OFF && PQenterPipelineMode(db->conn) != 1) {
        set_error(db, PL_DB_IOERR, PQerrorMessage(db->conn));
        return PL_DB_IOERR;
    }
    if (PQsendQueryPrepared(db->conn, name, st->n_params, (const char *const *)st->values, NULL,
                            NULL, 0) != 1) {
        set_error(db, PL_DB_IOERR, PQerrorMessage(db->conn));
        return PL_DB_IOERR;
    }
    db->pending++;
    db->errcode = PL_DB_OK;
    *sent = true;
    return PL_DB_OK;
}

/* Run st: its whole result, or (streamed) a cursor and its first batch. */
static int run(struct pg_stmt *st)
{
    struct pg_db *db = D(st->base.db);
    char *decl = NULL;
    const char *name;
    int slot = -1, rc;

    if (st->batch && ((rc = send_batched(st, &st->sent)) != PL_DB_OK || st->sent))
        return rc;
    /* after batched writes, a read (a bulk load's lookup) goes in the same round trip */
    if (db->pending > 0 && !st->stream && db->pending < PL_PG_PIPELINE &&
        (name = prepared(st, st->sql, false)) != NULL) {
        if (PQsendQueryPrepared(db->conn, name, st->n_params, (const char *const *)st->values, NULL,
                                NULL, 0) != 1) {
            set_error(db, PL_DB_IOERR, PQerrorMessage(db->conn));
            return PL_DB_IOERR;
        }
        db->pending++;
        st->row = -1;
        if ((rc = settle_into(db, &st->res)) != PL_DB_OK) {
            PQclear(st->res);
            st->res = NULL;
            return rc;
        }
        st->n_rows = st->res && PQresultStatus(st->res) == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
        return PL_DB_OK;
    }
    if ((rc = settle(db)) != PL_DB_OK)
        return rc;

    if (st->stream)
        for (int i = 0; i < PL_PG_CURSORS && slot < 0; i++)
            if (!(db->cursors & ((uint64_t)1 << i)))
                slot = i; /* none free: the whole result, as for any statement */
    if (slot >= 0) {
        size_t n = strlen(st->sql) + 64;

        decl = pl_xmalloc(n);
        snprintf(decl, n, "DECLARE pl_cur_%d NO SCROLL CURSOR WITH HOLD FOR %s", slot, st->sql);
    }
    name = prepared(st, decl ? decl : st->sql, true);
    free(decl);
    if (name == NULL)
        return db->errcode;
    st->res = PQexecPrepared(db->conn, name, st->n_params, (const char *const *)st->values, NULL,
                             NULL, 0);
    st->row = -1;
    if ((rc = result_code(db, st->res)) != PL_DB_OK) {
        PQclear(st->res);
        st->res = NULL;
        return rc;
    }
    if (slot >= 0) {
        db->cursors |= (uint64_t)1 << slot;
        st->cursor = slot;
        return fetch(st);
    }
    st->n_rows = PQresultStatus(st->res) == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
    return PL_DB_OK;
}

static int pg_step(struct pl_stmt *pst)
{
    struct pg_stmt *st = T(pst);
    struct pg_db *db = D(pst->db);
    int rc;

    if (!st->ran) {
        st->ran = true;
        if ((rc = run(st)) != PL_DB_OK)
            return rc;
        if (st->sent)
            return PL_DB_DONE;
    }
    if (st->sent)
        return PL_DB_DONE;
    if (st->res == NULL)
        return db->errcode != PL_DB_OK ? db->errcode : PL_DB_DONE;
    if (st->row + 1 >= st->n_rows && st->more && (rc = fetch(st)) != PL_DB_OK)
        return rc;
    if (st->res && st->row + 1 < st->n_rows) {
        st->row++;
        return PL_DB_ROW;
    }
    st->row = st->n_rows;
    return PL_DB_DONE;
}

/* Whether column i of the current row can be read. */
static bool have(struct pg_stmt *st, int i)
{
    return st->res && st->row >= 0 && st->row < st->n_rows && i >= 0 && i < PQnfields(st->res);
}

static int pg_column_count(struct pl_stmt *st)
{
    return T(st)->res ? PQnfields(T(st)->res) : 0;
}

static const char *pg_column_name(struct pl_stmt *st, int i)
{
    return T(st)->res && i >= 0 && i < PQnfields(T(st)->res) ? PQfname(T(st)->res, i) : NULL;
}

static int pg_column_type(struct pl_stmt *pst, int i)
{
    struct pg_stmt *st = T(pst);

    if (!have(st, i) || PQgetisnull(st->res, st->row, i))
        return PL_DB_NULL;
    switch (PQftype(st->res, i)) {
    case INT8OID:
    case INT4OID:
    case INT2OID:
    case BOOLOID:
        return PL_DB_INTEGER;
    case FLOAT4OID:
    case FLOAT8OID:
    case NUMERICOID:
        return PL_DB_FLOAT;
    case BYTEAOID:
        return PL_DB_BLOB;
    default:
        return PL_DB_TEXT;
    }
}

/* The text of column i, a boolean as 1 or 0 (as SQLite has it); NULL for NULL. */
static const char *value(struct pg_stmt *st, int i)
{
    const char *v;

    if (!have(st, i) || PQgetisnull(st->res, st->row, i))
        return NULL;
    v = PQgetvalue(st->res, st->row, i);
    if (PQftype(st->res, i) == BOOLOID)
        return *v == 't' ? "1" : "0";
    return v;
}

static double pg_column_double(struct pl_stmt *st, int i)
{
    const char *v = value(T(st), i);

    return v ? strtod(v, NULL) : 0.0;
}

static int64_t pg_column_int64(struct pl_stmt *st, int i)
{
    const char *v = value(T(st), i);
    char *end;
    long long n;

    if (v == NULL)
        return 0;
    errno = 0;
    n = strtoll(v, &end, 10);
    if (*end == '.' || *end == 'e' || *end == 'E') /* a real read as an integer: truncated */
        return (int64_t)strtod(v, NULL);
    return errno == ERANGE ? (n < 0 ? INT64_MIN : INT64_MAX) : (int64_t)n;
}

static const unsigned char *pg_column_text(struct pl_stmt *st, int i)
{
    return (const unsigned char *)value(T(st), i);
}

static int pg_column_bytes(struct pl_stmt *pst, int i)
{
    struct pg_stmt *st = T(pst);
    const char *v = value(st, i);

    if (v == NULL)
        return 0;
    return PQftype(st->res, i) == BOOLOID ? 1 : PQgetlength(st->res, st->row, i);
}

static int pg_reset(struct pl_stmt *pst)
{
    struct pg_stmt *st = T(pst);

    close_cursor(st);
    PQclear(st->res);
    st->res = NULL;
    st->ran = false;
    st->sent = false;
    st->row = -1;
    st->n_rows = 0;
    return PL_DB_OK;
}

static int pg_clear_bindings(struct pl_stmt *pst)
{
    struct pg_stmt *st = T(pst);

    for (int i = 0; i < st->n_params; i++) {
        free(st->values[i]);
        st->values[i] = NULL;
        st->types[i] = 0;
    }
    return PL_DB_OK;
}

static void pg_finalize(struct pl_stmt *pst)
{
    struct pg_stmt *st = T(pst);

    close_cursor(st);
    PQclear(st->res);
    (void)pg_clear_bindings(pst);
    free(st->values);
    free(st->types);
    free(st->sql);
    free(st);
}

static const struct pl_db_ops pg_ops = {
    .close = pg_close,
    .errmsg = pg_errmsg,
    .errcode = pg_errcode,
    .exec = pg_exec,
    .changes = pg_changes,
    .begin = pg_begin,
    .busy_handler = pg_busy_handler,
    .lock_timeout = pg_lock_timeout,
    .query_only = pg_query_only,
    .shared_writers = pg_shared_writers,
    .lock_key = pg_lock_key,
    .prepare = pg_prepare,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_textn = pg_bind_textn,
    .bind_null = pg_bind_null,
    .bind_parameter_count = pg_bind_parameter_count,
    .stream = pg_stream,
    .batch = pg_batch,
    .flush = pg_flush,
    .step = pg_step,
    .column_count = pg_column_count,
    .column_name = pg_column_name,
    .column_type = pg_column_type,
    .column_int64 = pg_column_int64,
    .column_double = pg_column_double,
    .column_text = pg_column_text,
    .column_bytes = pg_column_bytes,
    .reset = pg_reset,
    .clear_bindings = pg_clear_bindings,
    .finalize = pg_finalize,
};

/* The server's notices (NOTICE: relation exists, skipping) go to the debug log. */
static void notice(void *arg, const char *msg)
{
    (void)arg;
    pl_log(PL_LOG_DEBUG, "store", "postgresql: %.*s", (int)strcspn(msg, "\n"), msg);
}

static void strv_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

pl_status pl__db_pg_open(const char *url, int flags, struct pl_db **out, struct pl_error *err)
{
    char **keys = NULL, **values = NULL;
    struct pg_db *db;
    pl_status rc;
    char *shown;

    if ((rc = pl__db_pg_conninfo(url, &keys, &values, err)) != PL_OK)
        return rc;
    db = pl_xcalloc(1, sizeof(*db));
    db->base.ops = &pg_ops;
    db->base.kind = PL_DB_PG;
    db->conn = PQconnectdbParams((const char *const *)keys, (const char *const *)values, 0);
    strv_free(keys);
    strv_free(values);
    if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
        shown = pl__db_redact(url);
        rc = pl_error_set(err, PL_E_STORE, "cannot connect to '%s': %.*s", shown,
                          db->conn ? (int)strcspn(PQerrorMessage(db->conn), "\n") : 13,
                          db->conn ? PQerrorMessage(db->conn) : "out of memory");
        free(shown);
        pg_close(&db->base);
        return rc;
    }
    PQsetNoticeProcessor(db->conn, notice, NULL);
    if (pg_exec(&db->base, "SET client_encoding = 'UTF8'") != PL_DB_OK ||
        pg_exec(&db->base, "SET client_min_messages = warning") != PL_DB_OK ||
        ((flags & PL_DB_OPEN_READONLY) &&
         pg_exec(&db->base, "SET default_transaction_read_only = on") != PL_DB_OK)) {
        rc = pl_error_set(err, PL_E_STORE, "database session: %s", pg_errmsg(&db->base));
        pg_close(&db->base);
        return rc;
    }
    *out = &db->base;
    return PL_OK;
}
