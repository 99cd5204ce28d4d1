/*
 * db.c - the backend layer: telling targets apart, dispatching to the
 * backend, transactions, error mapping, redaction and placeholders.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/common.h"
#include "patchline/parse.h"

#include "db_int.h"

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

bool pl__db_target_is_url(const char *target)
{
    return target && (has_prefix(target, "postgresql://") || has_prefix(target, "postgres://"));
}

pl_status pl__db_open(const char *target, int flags, struct pl_db **out, struct pl_error *err)
{
    *out = NULL;
    if (target == NULL || *target == '\0')
        return pl_error_set(err, PL_E_INVALID, "no database named");
    if (pl__db_target_is_url(target))
        return pl__db_pg_open(target, flags, out, err);
    return pl__db_sqlite_open(target, flags, out, err);
}

void pl__db_close(struct pl_db *db)
{
    if (db) {
        free(db->text_msg);
        db->ops->close(db);
    }
}

enum pl_db_kind pl__db_kind(const struct pl_db *db)
{
    return db->kind;
}

const char *pl__db_errmsg(struct pl_db *db)
{
    if (db && db->text_msg)
        return db->text_msg;
    return db ? db->ops->errmsg(db) : "no database";
}

int pl__db_errcode(struct pl_db *db)
{
    if (db && db->text_msg)
        return PL_DB_MISMATCH;
    return db ? db->ops->errcode(db) : PL_DB_MISUSE;
}

static void text_msg_clear(struct pl_db *db)
{
    free(db->text_msg);
    db->text_msg = NULL;
}

pl_status pl__db_status(int code)
{
    switch (code) {
    case PL_DB_OK:
    case PL_DB_ROW:
    case PL_DB_DONE:
        return PL_OK;
    case PL_DB_NOMEM:
        return PL_E_NOMEM;
    case PL_DB_BUSY:
    case PL_DB_CONSTRAINT:
    case PL_DB_SERIALIZE:
        return PL_E_CONFLICT;
    case PL_DB_READONLY:
        return PL_E_DENIED;
    case PL_DB_MISMATCH:
        return PL_E_INVALID;
    case PL_DB_MISUSE:
    case PL_DB_RANGE:
        return PL_E_INTERNAL;
    case PL_DB_IOERR:
        return PL_E_IO;
    default:
        return PL_E_STORE;
    }
}

int pl__db_exec(struct pl_db *db, const char *sql)
{
    text_msg_clear(db);
    return db->ops->exec(db, sql);
}

int64_t pl__db_changes(struct pl_db *db)
{
    return db->ops->changes(db);
}

int pl__db_begin(struct pl_db *db)
{
    return db->ops->begin(db);
}

int pl__db_read_begin(struct pl_db *db)
{
    text_msg_clear(db);
    /*
     * PostgreSQL (no op of its own): not READ ONLY, which refuses the CREATE
     * TEMP TABLE of a read's list of ids (pl__store_temp_ids); the store's
     * tables are not written in it (docs/store.md, "Read transactions")
     */
    if (db->ops->read_begin == NULL)
        return db->ops->exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ");
    return db->ops->read_begin(db);
}

int pl__db_read_end(struct pl_db *db)
{
    return db->ops->read_end ? db->ops->read_end(db) : db->ops->exec(db, "COMMIT");
}

int pl__db_commit(struct pl_db *db)
{
    return db->ops->exec(db, "COMMIT");
}

int pl__db_rollback(struct pl_db *db)
{
    return db->ops->exec(db, "ROLLBACK");
}

/* "VERB name" when name is a plain identifier; PL_DB_MISUSE otherwise. */
static int named(struct pl_db *db, const char *verb, const char *name)
{
    char sql[128];

    if (name == NULL || !(isalpha((unsigned char)*name) || *name == '_'))
        return PL_DB_MISUSE;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return PL_DB_MISUSE;
    if (snprintf(sql, sizeof(sql), "%s %s", verb, name) >= (int)sizeof(sql))
        return PL_DB_MISUSE;
    return db->ops->exec(db, sql);
}

int pl__db_savepoint(struct pl_db *db, const char *name)
{
    return named(db, "SAVEPOINT", name);
}

int pl__db_release(struct pl_db *db, const char *name)
{
    return named(db, "RELEASE SAVEPOINT", name);
}

int pl__db_rollback_to(struct pl_db *db, const char *name)
{
    return named(db, "ROLLBACK TO SAVEPOINT", name);
}

void pl__db_busy_handler(struct pl_db *db, int (*fn)(void *arg, int count), void *arg)
{
    db->ops->busy_handler(db, fn, arg);
}

int pl__db_lock_timeout(struct pl_db *db, int64_t ms)
{
    return db->ops->lock_timeout(db, ms);
}

int pl__db_shared_writers(struct pl_db *db, bool on)
{
    return db->ops->shared_writers ? db->ops->shared_writers(db, on) : PL_DB_OK;
}

int pl__db_lock_key(struct pl_db *db, int ns, int64_t key, bool wait)
{
    return db->ops->lock_key ? db->ops->lock_key(db, ns, key, wait) : PL_DB_OK;
}

int pl__db_query_only(struct pl_db *db, bool on)
{
    return db->ops->query_only(db, on);
}

int pl__db_prepare(struct pl_db *db, const char *sql, struct pl_stmt **out)
{
    *out = NULL;
    return db->ops->prepare(db, sql, out);
}

/* A parameter bound again is no longer the refused one. */
static void rebound(struct pl_stmt *st, int i)
{
    if (st->bad_text == i)
        st->bad_text = 0;
}

int pl__db_bind_int64(struct pl_stmt *st, int i, int64_t v)
{
    rebound(st, i);
    return st->db->ops->bind_int64(st, i, v);
}

int pl__db_bind_int(struct pl_stmt *st, int i, int v)
{
    rebound(st, i);
    return st->db->ops->bind_int64(st, i, v);
}

int pl__db_bind_double(struct pl_stmt *st, int i, double v)
{
    rebound(st, i);
    return st->db->ops->bind_double(st, i, v);
}

int pl__db_bind_text(struct pl_stmt *st, int i, const char *text)
{
    return pl__db_bind_textn(st, i, text, text ? strlen(text) : 0);
}

int pl__db_bind_textn(struct pl_stmt *st, int i, const char *text, size_t len)
{
    rebound(st, i);
    if (text == NULL)
        return st->db->ops->bind_null(st, i);
    if (!pl_utf8_valid(text, len)) { /* the same on every backend: refused */
        if (st->bad_text == 0)
            st->bad_text = i;
        (void)st->db->ops->bind_null(st, i);
        return PL_DB_MISMATCH;
    }
    return st->db->ops->bind_textn(st, i, text, len);
}

int pl__db_bind_null(struct pl_stmt *st, int i)
{
    rebound(st, i);
    return st->db->ops->bind_null(st, i);
}

int pl__db_bind_parameter_count(struct pl_stmt *st)
{
    return st->db->ops->bind_parameter_count(st);
}

void pl__db_sql_skip_locked(struct pl_db *db, struct pl_buf *sql, const char *table)
{
    if (db->kind == PL_DB_PG)
        pl_buf_addf(sql, " FOR UPDATE OF %s SKIP LOCKED", table);
}

int pl__db_stream(struct pl_stmt *st)
{
    return st->db->ops->stream ? st->db->ops->stream(st) : PL_DB_OK;
}

int pl__db_batch(struct pl_stmt *st)
{
    return st->db->ops->batch ? st->db->ops->batch(st) : PL_DB_OK;
}

int pl__db_flush(struct pl_db *db)
{
    return db->ops->flush ? db->ops->flush(db) : PL_DB_OK;
}

int pl__db_step(struct pl_stmt *st)
{
    text_msg_clear(st->db);
    if (st->bad_text) {
        char msg[96];

        snprintf(msg, sizeof(msg), "text of parameter %d is not UTF-8 or holds a NUL byte",
                 st->bad_text);
        st->db->text_msg = pl_xstrdup(msg);
        return PL_DB_MISMATCH;
    }
    return st->db->ops->step(st);
}

int pl__db_column_count(struct pl_stmt *st)
{
    return st->db->ops->column_count(st);
}

const char *pl__db_column_name(struct pl_stmt *st, int i)
{
    return st->db->ops->column_name(st, i);
}

int pl__db_column_type(struct pl_stmt *st, int i)
{
    return st->db->ops->column_type(st, i);
}

int64_t pl__db_column_int64(struct pl_stmt *st, int i)
{
    return st->db->ops->column_int64(st, i);
}

int pl__db_column_int(struct pl_stmt *st, int i)
{
    return (int)st->db->ops->column_int64(st, i);
}

double pl__db_column_double(struct pl_stmt *st, int i)
{
    return st->db->ops->column_double(st, i);
}

const unsigned char *pl__db_column_text(struct pl_stmt *st, int i)
{
    return st->db->ops->column_text(st, i);
}

int pl__db_column_bytes(struct pl_stmt *st, int i)
{
    return st->db->ops->column_bytes(st, i);
}

int pl__db_reset(struct pl_stmt *st)
{
    return st->db->ops->reset(st);
}

int pl__db_clear_bindings(struct pl_stmt *st)
{
    st->bad_text = 0;
    return st->db->ops->clear_bindings(st);
}

void pl__db_finalize(struct pl_stmt *st)
{
    if (st)
        st->db->ops->finalize(st);
}

struct pl_db *pl__db_handle(struct pl_stmt *st)
{
    return st->db;
}

/* Append s[0..n) to b with the value of every password=VALUE (VALUE up to '&' or end) hidden. */
static void redact_query(struct pl_buf *b, const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t j = i;

        while (j < n && s[j] != '&')
            j++;
        if (j - i >= 9 && strncmp(s + i, "password=", 9) == 0)
            pl_buf_add(b, "password=xxxxx", 14);
        else
            pl_buf_add(b, s + i, j - i);
        if (j < n)
            pl_buf_add(b, "&", 1);
        i = j + 1;
    }
}

char *pl__db_redact(const char *target)
{
    struct pl_buf b = PL_BUF_INIT(0);
    const char *auth, *end, *at = NULL, *colon = NULL, *q;

    if (!pl__db_target_is_url(target))
        return pl_xstrdup(target ? target : "");
    auth = strstr(target, "://") + 3;
    end = auth + strcspn(auth, "/?#");
    for (const char *p = auth; p < end; p++)
        if (*p == '@')
            at = p;
    if (at)
        colon = memchr(auth, ':', (size_t)(at - auth));
    if (colon) {
        pl_buf_add(&b, target, (size_t)(colon - target));
        pl_buf_adds(&b, ":xxxxx");
        pl_buf_add(&b, at, (size_t)(end - at));
    } else {
        pl_buf_add(&b, target, (size_t)(end - target));
    }
    q = strchr(end, '?');
    if (q) {
        const char *frag = strchr(q, '#');
        size_t qn = frag ? (size_t)(frag - q - 1) : strlen(q + 1);

        pl_buf_add(&b, end, (size_t)(q + 1 - end));
        redact_query(&b, q + 1, qn);
        if (frag)
            pl_buf_adds(&b, frag);
    } else {
        pl_buf_adds(&b, end);
    }
    return pl_buf_detach(&b, NULL);
}

#define MAX_PARAM 32766

char *pl__db_placeholders(const char *sql, int *n_params, char *msg, size_t msg_cap)
{
    struct pl_buf b = PL_BUF_INIT(0);
    const char *p = sql;
    int max = 0;

    while (*p) {
        char c = *p;

        if (c == '\'' || c == '"') { /* a string or quoted identifier; doubled quote escapes */
            const char *e = p + 1;

            for (;;) {
                if (*e == '\0')
                    break;
                if (*e == c) {
                    if (e[1] == c) {
                        e += 2;
                        continue;
                    }
                    e++;
                    break;
                }
                e++;
            }
            pl_buf_add(&b, p, (size_t)(e - p));
            p = e;
        } else if (c == '-' && p[1] == '-') {
            size_t n = strcspn(p, "\n");

            pl_buf_add(&b, p, n);
            p += n;
        } else if (c == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");

            e = e ? e + 2 : p + strlen(p);
            pl_buf_add(&b, p, (size_t)(e - p));
            p = e;
        } else if (c == '?') {
            long n;

            p++;
            if (isdigit((unsigned char)*p)) {
                n = 0;
                while (isdigit((unsigned char)*p)) {
                    if (n <= MAX_PARAM)
                        n = n * 10 + (*p - '0');
                    p++;
                }
                if (n < 1 || n > MAX_PARAM) {
                    snprintf(msg, msg_cap, "parameter number out of range (1 to %d)", MAX_PARAM);
                    pl_buf_release(&b);
                    return NULL;
                }
            } else {
                n = max + 1;
                if (n > MAX_PARAM) {
                    snprintf(msg, msg_cap, "too many parameters (at most %d)", MAX_PARAM);
                    pl_buf_release(&b);
                    return NULL;
                }
            }
            if (n > max)
                max = (int)n;
            pl_buf_addf(&b, "$%ld", n);
        } else {
            pl_buf_add(&b, p, 1);
            p++;
        }
    }
    *n_params = max;
    return pl_buf_detach(&b, NULL);
}
