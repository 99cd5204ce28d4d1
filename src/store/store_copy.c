/*
 * store_copy.c - `patchline store copy`: every row of one store into another,
 * empty one, on either backend (SQLite to PostgreSQL and back), in one
 * transaction of the target, with the ids kept (so the audit chain's MACs
 * still hold) and the audit key and checkpoint files moved beside the
 * target. Each table is checked by its row count and an order-free digest
 * of its rows, read back from the target before the commit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patchline/buf.h"
#include "patchline/common.h"
#include "patchline/file.h"
#include "patchline/sha256.h"
#include "patchline/store.h"

#include "db.h"
#include "store_int.h"

/* Tables written by triggers of other tables (match_state's dirty flags): copied last. */
static const char *const trigger_targets[] = {"match_state"};

struct table {
    char *name;
    char **deps;     /* tables it references (without itself) */
    char **dep_cols; /* the referencing column of each */
    size_t n_deps;
    bool done;
    char **late; /* columns copied after every table (a cycle of references broken here) */
    size_t n_late;
};

struct tables {
    struct table *v;
    size_t n, cap;
};

static void tables_free(struct tables *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].name);
        for (size_t j = 0; j < t->v[i].n_deps; j++) {
            free(t->v[i].deps[j]);
            free(t->v[i].dep_cols[j]);
        }
        free(t->v[i].deps);
        free(t->v[i].dep_cols);
        free(t->v[i].late);
    }
    free(t->v);
}

static struct table *table_get(struct tables *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].name, name) == 0)
            return &t->v[i];
    t->v = pl_xgrow(t->v, t->n, &t->cap, 64, sizeof(*t->v));
    memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
    t->v[t->n].name = pl_xstrdup(name);
    return &t->v[t->n++];
}

/* The store's tables and the tables each references, from the backend's catalogue. */
static pl_status list_tables(struct pl_store *s, struct tables *out, struct pl_error *err)
{
    static const char sqlite_sql[] =
        "SELECT m.name, p.\"table\", p.\"from\" FROM sqlite_master m LEFT JOIN "
        "pragma_foreign_key_list(m.name) "
        "p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name";
    static const char pg_sql[] =
        "SELECT c.relname, f.relname, (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid "
        "AND a.attnum = k.conkey[1]) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype = 'f' LEFT JOIN pg_class f "
        "ON f.oid = k.confrelid WHERE n.nspname = current_schema() AND c.relkind = 'r' "
        "AND c.relname <> 'patchline_schema' ORDER BY c.relname";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, pl__db_kind(s->db) == PL_DB_PG ? pg_sql : sqlite_sql, &st,
                                err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct table *t = table_get(out, (const char *)pl__db_column_text(st, 0));
        const char *dep = (const char *)pl__db_column_text(st, 1);
        const char *col = (const char *)pl__db_column_text(st, 2);

        if (dep != NULL && col != NULL && strcmp(dep, t->name) != 0) {
            t->deps = pl_xrealloc(t->deps, (t->n_deps + 1) * sizeof(*t->deps));
            t->dep_cols = pl_xrealloc(t->dep_cols, (t->n_deps + 1) * sizeof(*t->dep_cols));
            t->deps[t->n_deps] = pl_xstrdup(dep);
            t->dep_cols[t->n_deps++] = pl_xstrdup(col);
        }
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "list the tables");
    pl__db_finalize(st);
    return rc;
}

static bool is_trigger_target(const char *name)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(trigger_targets); i++)
        if (strcmp(trigger_targets[i], name) == 0)
            return true;
    return false;
}

static struct table *table_find(struct tables *t, const char *name)
{
    for (size_t k = 0; k < t->n; k++)
        if (strcmp(t->v[k].name, name) == 0)
            return &t->v[k];
    return NULL;
}

/* Whether x may be copied now: every table it references is (late columns aside). */
static bool ready(struct tables *t, struct table *x)
{
    for (size_t j = 0; j < x->n_deps; j++) {
        struct table *d = table_find(t, x->deps[j]);
        bool late = false;

        for (size_t l = 0; l < x->n_late; l++)
            late = late || strcmp(x->late[l], x->dep_cols[j]) == 0;
        if (d && !d->done && !late)
            return false;
    }
    return true;
}

/* Whether to is reachable from from through references among tables not copied yet. */
static bool reaches(struct tables *t, struct table *from, const struct table *to, int *depth)
{
    if (from == to)
        return true;
    if (++*depth > 64)
        return false;
    for (size_t j = 0; j < from->n_deps; j++) {
        struct table *d = table_find(t, from->deps[j]);

        if (d && !d->done && d != from && reaches(t, d, to, depth))
            return true;
    }
    return false;
}

/*
 * Columns a cycle of references is never broken at: a row written with them NULL breaks a
 * CHECK of its table (an exception of scope 'finding' names its finding).
 */
static bool never_late(const char *table, const char *column)
{
    return strcmp(table, "exceptions") == 0 && strcmp(column, "finding_id") == 0;
}

/*
 * The tables in an order where each comes after those it references, then
 * match_state. A cycle of references (findings.exception_id and
 * exceptions.finding_id) is broken at its first table whose column may be NULL for a
 * while (never_late): the columns that reference tables not copied yet are filled in
 * after every table.
 */
static pl_status copy_order(struct tables *t, const char ***order, struct pl_error *err)
{
    const char **o = pl_xcalloc(t->n + 1, sizeof(*o));
    size_t n = 0;

    while (n < t->n) {
        bool progress = false;

        for (size_t i = 0; i < t->n; i++) {
            struct table *x = &t->v[i];

            if (x->done || is_trigger_target(x->name) || !ready(t, x))
                continue;
            x->done = true;
            o[n++] = x->name;
            progress = true;
        }
        if (progress)
            continue;
        for (size_t i = 0; !progress && i < t->n; i++) {
            struct table *x = &t->v[i];

            if (x->done || is_trigger_target(x->name))
                continue;
            for (size_t j = 0; j < x->n_deps; j++) {
                struct table *d = table_find(t, x->deps[j]);
                int depth = 0;

                if (d && !d->done && !never_late(x->name, x->dep_cols[j]) &&
                    reaches(t, d, x, &depth)) {
                    x->late = pl_xrealloc(x->late, (x->n_late + 1) * sizeof(*x->late));
                    x->late[x->n_late++] = x->dep_cols[j];
                    progress = true;
                }
            }
        }
        if (!progress)
            break;
    }
    for (size_t i = 0; i < t->n; i++)
        if (!t->v[i].done && is_trigger_target(t->v[i].name)) {
            t->v[i].done = true;
            o[n++] = t->v[i].name;
        }
    if (n != t->n) {
        free(o);
        return pl_error_set(err, PL_E_STORE, "the tables' references cannot be ordered");
    }
    *order = o;
    return PL_OK;
}

/* Add one row's digest (SHA-256 of its values, typed) into sum: an order-free digest. */
static void row_digest(struct pl_stmt *st, int n_cols, uint64_t sum[4])
{
    struct pl_sha256 c;
    unsigned char d[32];
    char num[48];

    pl_sha256_init(&c);
    for (int i = 0; i < n_cols; i++) {
        int type = pl__db_column_type(st, i);

        if (type == PL_DB_NULL) {
            pl_sha256_update(&c, "N", 2);
        } else if (type == PL_DB_INTEGER) {
            int n = snprintf(num, sizeof(num), "I%lld", (long long)pl__db_column_int64(st, i));

            pl_sha256_update(&c, num, (size_t)n + 1);
        } else if (type == PL_DB_FLOAT) {
            int n = snprintf(num, sizeof(num), "F%.17g", pl__db_column_double(st, i));

            pl_sha256_update(&c, num, (size_t)n + 1);
        } else {
            const unsigned char *v = pl__db_column_text(st, i);
            int n = snprintf(num, sizeof(num), "T%d:", pl__db_column_bytes(st, i));

            pl_sha256_update(&c, num, (size_t)n);
            pl_sha256_update(&c, v ? v : (const unsigned char *)"",
                             (size_t)pl__db_column_bytes(st, i));
        }
    }
    pl_sha256_final(&c, d);
    for (int k = 0; k < 4; k++) {
        uint64_t w = 0;

        for (int b = 0; b < 8; b++)
            w = w << 8 | d[k * 8 + b];
        sum[k] += w;
    }
}

static void digest_hex(const uint64_t sum[4], char hex[65])
{
    for (int k = 0; k < 4; k++)
        snprintf(hex + 16 * k, 17, "%016llx", (unsigned long long)sum[k]);
}

/* Bind column i of from's current row to parameter p of to, keeping its type. */
static void bind_same(struct pl_stmt *from, int i, struct pl_stmt *to, int p)
{
    switch (pl__db_column_type(from, i)) {
    case PL_DB_NULL:
        pl__db_bind_null(to, p);
        break;
    case PL_DB_INTEGER:
        pl__db_bind_int64(to, p, pl__db_column_int64(from, i));
        break;
    case PL_DB_FLOAT:
        pl__db_bind_double(to, p, pl__db_column_double(from, i));
        break;
    default:
        pl__db_bind_textn(to, p, (const char *)pl__db_column_text(from, i),
                          (size_t)pl__db_column_bytes(from, i));
        break;
    }
}

/* Rows and digest of table name on s (read through the layer). */
static pl_status table_digest(struct pl_store *s, const char *name, int64_t *rows, uint64_t sum[4],
                              struct pl_error *err)
{
    struct pl_buf sql = PL_BUF_INIT(0);
    struct pl_stmt *st;
    pl_status rc;
    int step;

    pl_buf_addf(&sql, "SELECT * FROM %s", name);
    rc = pl__store_prepare(s, pl_buf_cstr(&sql), &st, err);
    pl_buf_release(&sql);
    if (rc != PL_OK)
        return rc;
    *rows = 0;
    memset(sum, 0, 4 * sizeof(*sum));
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        row_digest(st, pl__db_column_count(st), sum);
        (*rows)++;
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, name);
    pl__db_finalize(st);
    return rc;
}

/* "INSERT INTO name (cols) VALUES (?1, ...), ..." for rows rows of n_cols columns. */
static void insert_sql(struct pl_buf *sql, const char *name, struct pl_stmt *rd, int n_cols,
                       int rows)
{
    pl_buf_reset(sql);
    pl_buf_addf(sql, "INSERT INTO %s (", name);
    for (int i = 0; i < n_cols; i++)
        pl_buf_addf(sql, "%s%s", i ? ", " : "", pl__db_column_name(rd, i));
    pl_buf_adds(sql, ") VALUES ");
    for (int r = 0; r < rows; r++) {
        pl_buf_adds(sql, r ? ", (" : "(");
        for (int i = 0; i < n_cols; i++)
            pl_buf_addf(sql, "%s?%d", i ? ", " : "", r * n_cols + i + 1);
        pl_buf_adds(sql, ")");
    }
}

/* One value read from the source, kept until its batch is written. */
struct val {
    int type;
    int64_t i;
    double d;
    char *t;
    size_t n;
};

static void val_keep(struct val *v, struct pl_stmt *rd, int i, bool null)
{
    v->type = null ? PL_DB_NULL : pl__db_column_type(rd, i);
    if (v->type == PL_DB_INTEGER) {
        v->i = pl__db_column_int64(rd, i);
    } else if (v->type == PL_DB_FLOAT) {
        v->d = pl__db_column_double(rd, i);
    } else if (v->type != PL_DB_NULL) {
        v->n = (size_t)pl__db_column_bytes(rd, i);
        v->t = pl_xstrndup((const char *)pl__db_column_text(rd, i), v->n);
    }
}

static void val_bind(struct val *v, struct pl_stmt *wr, int p)
{
    if (v->type == PL_DB_INTEGER)
        pl__db_bind_int64(wr, p, v->i);
    else if (v->type == PL_DB_FLOAT)
        pl__db_bind_double(wr, p, v->d);
    else if (v->type == PL_DB_NULL)
        pl__db_bind_null(wr, p);
    else
        pl__db_bind_textn(wr, p, v->t, v->n);
    free(v->t);
    v->t = NULL;
}

/* Write the rows kept in vals (rows rows; a batch shorter than batch gets its own statement). */
static pl_status flush_batch(struct pl_store *dst, const char *name, struct pl_stmt *wr,
                             struct pl_stmt *rd, struct val *vals, int n_cols, int rows, int batch,
                             struct pl_error *err)
{
    struct pl_stmt *st = wr;
    pl_status rc = PL_OK;

    if (rows == 0)
        return PL_OK;
    if (rows < batch) {
        struct pl_buf sql = PL_BUF_INIT(0);

        insert_sql(&sql, name, rd, n_cols, rows);
        rc = pl__store_prepare(dst, pl_buf_cstr(&sql), &st, err);
        pl_buf_release(&sql);
    }
    for (int i = 0; i < rows * n_cols; i++) {
        if (rc == PL_OK)
            val_bind(&vals[i], st, i + 1);
        free(vals[i].t);
        vals[i].t = NULL;
    }
    if (rc == PL_OK && pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(dst, err, name);
    if (st != wr) {
        pl__db_finalize(st);
    } else {
        pl__db_reset(wr);
        pl__db_clear_bindings(wr);
    }
    return rc;
}

/*
 * Copy every row of table name from src into dst (whose own rows are deleted
 * first), in statements of many rows.
 */
static pl_status copy_table(struct pl_store *src, struct pl_store *dst, const struct table *x,
                            struct pl_store_copy_table *out, struct pl_error *err)
{
    const char *name = x->name;
    struct pl_buf sql = PL_BUF_INIT(0);
    struct pl_stmt *rd = NULL, *wr = NULL;
    struct val *vals = NULL;
    pl_status rc;
    int step, n_cols = 0, batch = 1, in_batch = 0;

    pl_buf_addf(&sql, "DELETE FROM %s", name);
    rc = pl__store_exec(dst, pl_buf_cstr(&sql), err);
    pl_buf_reset(&sql);
    /* in id order, so that a row comes after one of the same table it references */
    pl_buf_addf(&sql, "SELECT * FROM %s ORDER BY 1", name);
    if (rc == PL_OK)
        rc = pl__store_prepare(src, pl_buf_cstr(&sql), &rd, err);
    if (rc != PL_OK)
        goto out;
    memset(out, 0, sizeof(*out));
    snprintf(out->name, sizeof(out->name), "%s", name);
    while ((step = pl__db_step(rd)) == PL_DB_ROW) {
        if (wr == NULL) {
            n_cols = pl__db_column_count(rd);
            batch = n_cols > 0 && n_cols < 30000 ? 30000 / n_cols : 1;
            if (batch > 500)
                batch = 500;
            vals = pl_xcalloc((size_t)batch * (size_t)(n_cols > 0 ? n_cols : 1), sizeof(*vals));
            insert_sql(&sql, name, rd, n_cols, batch);
            if ((rc = pl__store_prepare(dst, pl_buf_cstr(&sql), &wr, err)) != PL_OK)
                goto out;
        }
        for (int i = 0; i < n_cols; i++) {
            bool late = false;

            for (size_t l = 0; l < x->n_late; l++)
                late = late || strcmp(x->late[l], pl__db_column_name(rd, i)) == 0;
            val_keep(&vals[in_batch * n_cols + i], rd, i, late);
        }
        row_digest(rd, n_cols, out->digest);
        out->rows++;
        if (++in_batch == batch) {
            rc = flush_batch(dst, name, wr, rd, vals, n_cols, in_batch, batch, err);
            in_batch = 0;
            if (rc != PL_OK)
                goto out;
        }
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(src, err, name);
    else if (wr)
        rc = flush_batch(dst, name, wr, rd, vals, n_cols, in_batch, batch, err);
    in_batch = 0;
out:
    for (int i = 0; vals && i < in_batch * n_cols; i++)
        free(vals[i].t);
    free(vals);
    pl_buf_release(&sql);
    pl__db_finalize(wr);
    pl__db_finalize(rd);
    return rc;
}

/* The late columns of x (copy_order): set on the rows already copied. */
static pl_status copy_late(struct pl_store *src, struct pl_store *dst, const struct table *x,
                           struct pl_error *err)
{
    pl_status rc = PL_OK;

    for (size_t l = 0; rc == PL_OK && l < x->n_late; l++) {
        struct pl_buf sql = PL_BUF_INIT(0);
        struct pl_stmt *rd = NULL, *wr = NULL;
        int step;

        pl_buf_addf(&sql, "SELECT id, %s FROM %s WHERE %s IS NOT NULL ORDER BY id", x->late[l],
                    x->name, x->late[l]);
        rc = pl__store_prepare(src, pl_buf_cstr(&sql), &rd, err);
        pl_buf_reset(&sql);
        pl_buf_addf(&sql, "UPDATE %s SET %s = ?2 WHERE id = ?1", x->name, x->late[l]);
        if (rc == PL_OK)
            rc = pl__store_prepare(dst, pl_buf_cstr(&sql), &wr, err);
        pl_buf_release(&sql);
        while (rc == PL_OK && (step = pl__db_step(rd)) == PL_DB_ROW) {
            bind_same(rd, 0, wr, 1);
            bind_same(rd, 1, wr, 2);
            if (pl__db_step(wr) != PL_DB_DONE)
                rc = pl__store_fail(dst, err, x->name);
            pl__db_reset(wr);
            pl__db_clear_bindings(wr);
        }
        if (rc == PL_OK && step != PL_DB_DONE)
            rc = pl__store_fail(src, err, x->name);
        pl__db_finalize(wr);
        pl__db_finalize(rd);
    }
    return rc;
}

/*
 * Whether dst holds nothing but what a new store holds: its mode row and an
 * empty audit head.
 */
static pl_status check_empty(struct pl_store *dst, const char **order, size_t n,
                             struct pl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        struct pl_buf sql = PL_BUF_INIT(0);
        struct pl_stmt *st;
        pl_status rc;
        int64_t rows = -1;

        if (strcmp(order[i], "store_mode") == 0)
            continue;
        if (strcmp(order[i], "audit_head") == 0)
            pl_buf_adds(&sql, "SELECT count(*) FROM audit_head WHERE count <> 0");
        else
            pl_buf_addf(&sql, "SELECT count(*) FROM %s", order[i]);
        rc = pl__store_prepare(dst, pl_buf_cstr(&sql), &st, err);
        pl_buf_release(&sql);
        if (rc != PL_OK)
            return rc;
        if (pl__db_step(st) == PL_DB_ROW)
            rows = pl__db_column_int64(st, 0);
        pl__db_finalize(st);
        if (rows < 0)
            return pl__store_fail(dst, err, order[i]);
        if (rows > 0)
            return pl_error_set(err, PL_E_CONFLICT,
                                "the target is not empty (table %s has %lld rows): "
                                "copy into a new store only",
                                order[i], (long long)rows);
    }
    return PL_OK;
}

/* On PostgreSQL: each identity column's sequence past its table's largest id. */
static pl_status resync_ids(struct pl_store *dst, struct pl_error *err)
{
    static const char sql[] =
        "DO $pl$ DECLARE r record; BEGIN FOR r IN SELECT c.relname AS t, a.attname AS col "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = "
        "c.relnamespace WHERE n.nspname = current_schema() AND a.attidentity <> '' LOOP "
        "EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), COALESCE((SELECT max(%I) "
        "FROM %I), 0) + 1, false)', r.t, r.col, r.col, r.t); END LOOP; END $pl$";

    if (pl__db_kind(dst->db) != PL_DB_PG)
        return PL_OK;
    return pl__store_exec(dst, sql, err);
}

/* Copy file from to to (mode 0600, replaced atomically); absent from: nothing to do. */
static pl_status copy_file(const char *from, const char *to, struct pl_error *err)
{
    pl_status rc;

    if (strcmp(from, to) == 0)
        return PL_OK;
    rc = pl_file_copy(from, to, 0600, err);
    if (rc == PL_E_NOTFOUND) {
        pl_error_clear(err);
        return PL_OK;
    }
    return rc;
}

pl_status pl_store_copy(const char *from, const char *to, struct pl_store_copy_result *res,
                        struct pl_error *err)
{
    struct pl_store *src = NULL, *dst = NULL;
    struct tables tables = {0};
    const char **order = NULL;
    struct pl_buf src_key = PL_BUF_INIT(0), src_head = PL_BUF_INIT(0);
    struct pl_buf dst_key = PL_BUF_INIT(0), dst_head = PL_BUF_INIT(0);
    bool in_tx = false;
    pl_status rc;

    memset(res, 0, sizeof(*res));
    if ((rc = pl_store_open(from, PL_STORE_READONLY, &src, err)) != PL_OK)
        goto out;
    if (pl_store_schema_version(src) != pl_store_schema_latest()) {
        rc = pl_error_set(err, PL_E_CONFLICT,
                          "the source's schema is %d, this version's %d: run "
                          "'patchline init' on it first",
                          pl_store_schema_version(src), pl_store_schema_latest());
        goto out;
    }
    if ((rc = pl_store_open(to, PL_STORE_CREATE, &dst, err)) != PL_OK)
        goto out;
    if (strcmp(pl_store_path(src), pl_store_path(dst)) == 0) {
        rc = pl_error_set(err, PL_E_INVALID, "the source and the target are the same");
        goto out;
    }
    if ((rc = list_tables(src, &tables, err)) != PL_OK ||
        (rc = copy_order(&tables, &order, err)) != PL_OK)
        goto out;
    /* the source read as one snapshot */
    if ((rc = pl__store_exec(src,
                             pl__db_kind(src->db) == PL_DB_PG
                                 ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                 : "BEGIN",
                             err)) != PL_OK)
        goto out;
    if (pl__db_begin(dst->db) != PL_DB_OK) {
        rc = pl__store_fail(dst, err, "begin");
        goto out;
    }
    in_tx = true;
    if (pl__db_kind(dst->db) == PL_DB_SQLITE &&
        (rc = pl__store_exec(dst, "PRAGMA defer_foreign_keys = ON", err)) != PL_OK)
        goto out;
    if ((rc = check_empty(dst, order, tables.n, err)) != PL_OK)
        goto out;
    res->tables = pl_xcalloc(tables.n, sizeof(*res->tables));
    for (size_t i = 0; i < tables.n; i++) {
        const struct table *x = table_find(&tables, order[i]);

        if (x == NULL || (rc = copy_table(src, dst, x, &res->tables[i], err)) != PL_OK)
            goto out;
        res->n_tables++;
    }
    for (size_t i = 0; i < tables.n; i++)
        if ((rc = copy_late(src, dst, &tables.v[i], err)) != PL_OK)
            goto out;
    for (size_t i = 0; i < res->n_tables; i++) {
        struct pl_store_copy_table *t = &res->tables[i];
        uint64_t back[4];
        int64_t rows;

        if ((rc = table_digest(dst, t->name, &rows, back, err)) != PL_OK)
            goto out;
        if (rows != t->rows || memcmp(back, t->digest, sizeof(back)) != 0) {
            rc = pl_error_set(err, PL_E_STORE,
                              "table %s differs in the target (%lld rows copied, %lld read back, "
                              "or their digest): nothing was copied",
                              t->name, (long long)t->rows, (long long)rows);
            goto out;
        }
        digest_hex(t->digest, t->digest_hex);
    }
    if ((rc = resync_ids(dst, err)) != PL_OK)
        goto out;
    /* the audit chain's key and checkpoint go with it (docs/identity.md) */
    pl__audit_files(src, &src_key, &src_head);
    pl__audit_files(dst, &dst_key, &dst_head);
    pl__audit_folders(dst);
    if ((rc = copy_file(pl_buf_cstr(&src_key), pl_buf_cstr(&dst_key), err)) != PL_OK ||
        (rc = copy_file(pl_buf_cstr(&src_head), pl_buf_cstr(&dst_head), err)) != PL_OK)
        goto out;
    if (pl__db_commit(dst->db) != PL_DB_OK) {
        rc = pl__store_fail(dst, err, "commit");
        goto out;
    }
    in_tx = false;
out:
    if (in_tx)
        (void)pl__db_rollback(dst->db);
    pl_buf_release(&src_key);
    pl_buf_release(&src_head);
    pl_buf_release(&dst_key);
    pl_buf_release(&dst_head);
    free(order);
    tables_free(&tables);
    pl_store_close(dst);
    pl_store_close(src);
    return rc;
}

bool pl_store_target_is_url(const char *target)
{
    return target && pl__db_target_is_url(target);
}

void pl_store_copy_result_free(struct pl_store_copy_result *res)
{
    free(res->tables);
    memset(res, 0, sizeof(*res));
}
