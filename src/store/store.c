/*
 * store.c - opening the SQLite store, migrations, transactions.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patchline/buf.h"
#include "patchline/file.h"
#include "patchline/trust.h"

#include "sql_dialect.h"
#include "store_obs.h"

/* A write refused by SQLite's query_only: a real store opened with the clock set. */
static bool whatif_write(struct pl_store *s)
{
    return s && s->db && s->query_only && pl__db_errcode(s->db) == PL_DB_READONLY;
}

pl_status pl__store_fail(struct pl_store *s, struct pl_error *err, const char *what)
{
    if (whatif_write(s) && pl_store_clock_check(s, err) != PL_OK)
        return PL_E_INVALID;
    /* a text refused by the backend layer is bad input, not a broken store */
    return pl_error_set(
        err, s && s->db && pl__db_errcode(s->db) == PL_DB_MISMATCH ? PL_E_INVALID : PL_E_STORE,
        "%s: %s", what, s && s->db ? pl__db_errmsg(s->db) : "no database");
}

pl_status pl__store_prepare(struct pl_store *s, const char *sql, struct pl_stmt **out,
                            struct pl_error *err)
{
    if (pl__db_prepare(s->db, sql, out) != PL_DB_OK)
        return pl__store_fail(s, err, "prepare");
    return PL_OK;
}

pl_status pl__store_cached(struct pl_store *s, const char *sql, struct pl_stmt **out,
                           struct pl_error *err)
{
    pl_status rc;

    for (size_t i = 0; i < s->n_cache; i++) {
        if (s->cache[i].sql == sql) {
            *out = s->cache[i].st;
            return PL_OK;
        }
    }
    if ((rc = pl__store_prepare(s, sql, out, err)) != PL_OK)
        return rc;
    s->cache = pl_xgrow(s->cache, s->n_cache, &s->cap_cache, 32, sizeof(*s->cache));
    s->cache[s->n_cache].sql = sql;
    s->cache[s->n_cache++].st = *out;
    return PL_OK;
}

pl_status pl__store_batched(struct pl_store *s, const char *sql, struct pl_stmt **out,
                            struct pl_error *err)
{
    pl_status rc = pl__store_cached(s, sql, out, err);

    if (rc == PL_OK && pl__db_batch(*out) != PL_DB_OK)
        rc = pl__store_fail(s, err, "batch");
    return rc;
}

pl_status pl__store_insert_rows(struct pl_store *s, const char *head, const char *tail, int cols,
                                const void *const *rows, size_t n, pl__store_row_fn bind, void *ctx,
                                const char *what, struct pl_error *err)
{
    static const size_t sizes[] = {64, 16, 4, 1};
    pl_status rc = PL_OK;
    size_t i = 0;

    for (size_t z = 0; rc == PL_OK && z < PL_ARRAY_LEN(sizes) && i < n; z++) {
        size_t k = sizes[z];
        struct pl_stmt *st = NULL;
        struct pl_buf sql;

        if (n - i < k)
            continue;
        pl_buf_init(&sql, 0);
        pl_buf_addf(&sql, "%s VALUES ", head);
        for (size_t r = 0; r < k; r++)
            for (int c = 0; c < cols; c++)
                pl_buf_addf(&sql, "%s?%zu%s",
                            c   ? ", "
                            : r ? ", ("
                                : "(",
                            r * (size_t)cols + (size_t)c + 1, c == cols - 1 ? ")" : "");
        pl_buf_addf(&sql, " %s", tail);
        if ((rc = pl_buf_status(&sql)) != PL_OK)
            pl_error_set(err, rc, "%s: %s", what, pl_status_str(rc));
        else if ((rc = pl__store_prepare(s, pl_buf_cstr(&sql), &st, err)) == PL_OK &&
                 pl__db_batch(st) != PL_DB_OK)
            rc = pl__store_fail(s, err, what);
        pl_buf_release(&sql);
        for (; rc == PL_OK && n - i >= k; i += k) {
            pl__db_reset(st);
            for (size_t r = 0; r < k; r++)
                bind(st, (int)(r * (size_t)cols) + 1, rows[i + r], ctx);
            if (pl__db_step(st) != PL_DB_DONE)
                rc = pl__store_fail(s, err, what);
        }
        if (st)
            pl__db_finalize(st);
    }
    return rc;
}

pl_status pl__store_flush(struct pl_store *s, const char *what, struct pl_error *err)
{
    if (pl__db_flush(s->db) != PL_DB_OK)
        return pl__store_fail(s, err, what);
    return PL_OK;
}

void pl__store_done(struct pl_stmt *st)
{
    if (st == NULL)
        return;
    pl__db_reset(st);
    pl__db_clear_bindings(st);
}

pl_status pl__store_exec(struct pl_store *s, const char *sql, struct pl_error *err)
{
    if (pl__db_exec(s->db, sql) != PL_DB_OK) {
        if (whatif_write(s))
            return pl__store_fail(s, err, "exec");
        return pl_error_set(err, PL_E_STORE, "store: %s", pl__db_errmsg(s->db));
    }
    return PL_OK;
}

pl_status pl__store_temp_ids(struct pl_store *s, const char *table, const char *const *ids,
                             size_t n, const char *what, struct pl_error *err)
{
    char sql[160];
    struct pl_stmt *st;
    pl_status rc;

    snprintf(sql, sizeof(sql),
             "CREATE TEMP TABLE IF NOT EXISTS %s (vuln_id TEXT NOT NULL PRIMARY KEY); "
             "DELETE FROM %s",
             table, table);
    if ((rc = pl__store_exec(s, sql, err)) != PL_OK)
        return rc;
    snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES (?1) ON CONFLICT DO NOTHING", table);
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        pl__db_reset(st);
        pl__store_bind_text(st, 1, ids[i]);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, what);
    }
    pl__db_finalize(st);
    return rc;
}

pl_status pl__store_tune(struct pl_store *s, const char *pragma, struct pl_error *err)
{
    return pl__db_kind(s->db) == PL_DB_SQLITE ? pl__store_exec(s, pragma, err) : PL_OK;
}

pl_status pl__store_step_id(struct pl_store *s, struct pl_stmt *st, const char *what, int64_t *id,
                            struct pl_error *err)
{
    int step = pl__db_step(st);
    int64_t v;

    if (step == PL_DB_DONE)
        return pl_error_set(err, PL_E_NOTFOUND, "%s: no row inserted", what);
    if (step != PL_DB_ROW)
        return pl__store_fail(s, err, what);
    v = pl__db_column_int64(st, 0);
    if (pl__db_step(st) != PL_DB_DONE)
        return pl__store_fail(s, err, what);
    *id = v;
    return PL_OK;
}

int pl__store_bind_text(struct pl_stmt *st, int i, const char *s)
{
    return s ? pl__db_bind_text(st, i, s) : pl__db_bind_null(st, i);
}

int pl__store_bind_opt_i64(struct pl_stmt *st, int i, int64_t v, bool is_null)
{
    return is_null ? pl__db_bind_null(st, i) : pl__db_bind_int64(st, i, v);
}

char *pl__store_col_strdup(struct pl_stmt *st, int i)
{
    const unsigned char *t = pl__db_column_text(st, i);

    return t ? pl_xstrdup((const char *)t) : NULL;
}

/*
 * The folder that holds path must exist; with mkdirs, mkdir -p it (new
 * folders 0700 whatever the umask), and set *created to the top folder made
 * (owned; NULL when all existed).
 */
static pl_status make_parent(const char *path, bool mkdirs, char **created, struct pl_error *err)
{
    char *dir = pl_xstrdup(path), *slash = strrchr(dir, '/');
    pl_status rc = PL_OK;

    *created = NULL;
    if (!mkdirs) {
        if (slash && slash != dir) {
            *slash = '\0';
            if (!pl_path_exists(dir))
                rc = pl_error_set(err, PL_E_NOTFOUND,
                                  "folder '%s' does not exist: create it first (only the default "
                                  "location's folders are created)",
                                  dir);
        }
        free(dir);
        return rc;
    }
    for (char *p = dir + 1; rc == PL_OK && *p; p++) {
        bool existed;

        if (*p != '/')
            continue;
        *p = '\0';
        existed = pl_path_exists(dir); /* only to name the top folder this open made */
        if ((rc = pl_trust_mkdir_private(dir, err)) != PL_OK)
            pl_error_prefix(err, "store folder");
        else if (!existed && *created == NULL)
            *created = pl_xstrdup(dir);
        *p = '/';
    }
    free(dir);
    if (rc != PL_OK) {
        free(*created);
        *created = NULL;
    }
    return rc;
}

/*
 * path made absolute once: the real path of its folder (symbolic links and
 * ".." resolved) and its file name. Nothing later depends on the working
 * folder (issue 11: a rollback run from another folder must not find files
 * relative to it). A store file that is itself a symbolic link is kept as
 * such: the trust rule refuses it when running as root.
 */
static pl_status absolute(const char *path, char **out, struct pl_error *err)
{
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    struct pl_buf b = PL_BUF_INIT(0);
    char *dir, *real;

    if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return pl_error_set(err, PL_E_INVALID, "store '%s' names a folder, not a file", path);
    dir = slash ? pl_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : pl_xstrdup(".");
    real = realpath(dir, NULL);
    if (real == NULL) {
        pl_status rc = pl_error_set(err, PL_E_IO, "store folder '%s': %s", dir, strerror(errno));

        free(dir);
        return rc;
    }
    pl_buf_addf(&b, "%s/%s", strcmp(real, "/") == 0 ? "" : real, base);
    free(real);
    free(dir);
    *out = pl_buf_detach(&b, NULL);
    return PL_OK;
}

/* A new store file is created 0600 whatever the umask; SQLite gives -wal, -shm, -journal its mode.
 */
static pl_status create_private(const char *path, struct pl_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

    if (fd < 0)
        return errno == EEXIST ? PL_OK
                               : pl_error_set(err, PL_E_IO, "cannot create store '%s': %s", path,
                                              strerror(errno));
    if (fchmod(fd, 0600) != 0) {
        pl_status rc = pl_error_set(err, PL_E_IO, "cannot set the mode of store '%s': %s", path,
                                    strerror(errno));
        close(fd);
        return rc;
    }
    close(fd);
    return PL_OK;
}

bool pl_store_path_is_default(const char *explicit_path)
{
    const char *v = getenv("PATCHLINE_DB");

    return !(explicit_path && *explicit_path) && !(v && *v);
}

const char *pl_store_created_folder(const struct pl_store *s)
{
    return s ? s->created_folder : NULL;
}

pl_status pl_store_default_path(const char *explicit_path, struct pl_buf *out, struct pl_error *err)
{
    const char *v;

    pl_buf_reset(out);
    if (explicit_path && *explicit_path)
        pl_buf_adds(out, explicit_path);
    else if ((v = getenv("PATCHLINE_DB")) && *v)
        pl_buf_adds(out, v);
    else if ((v = getenv("XDG_DATA_HOME")) && *v == '/')
        pl_buf_addf(out, "%s/patchline/patchline.db", v);
    else if ((v = getenv("HOME")) && *v == '/')
        pl_buf_addf(out, "%s/.local/share/patchline/patchline.db", v);
    else
        return pl_error_set(err, PL_E_INVALID,
                            "no store location: pass --db PATH or set PATCHLINE_DB");
    if (pl_buf_status(out) != PL_OK)
        return pl_error_set(err, pl_buf_status(out), "store path too long");
    return PL_OK;
}

int pl_store_schema_latest(void)
{
    int n = 0;

    while (pl__store_migrations[n])
        n++;
    return n;
}

/* The first column of sql's one row as an int, or -1. */
static int one_int(struct pl_store *s, const char *sql)
{
    struct pl_stmt *st;
    int v = -1;

    if (pl__db_prepare(s->db, sql, &st) != PL_DB_OK)
        return -1;
    if (pl__db_step(st) == PL_DB_ROW)
        v = pl__db_column_int(st, 0);
    pl__db_finalize(st);
    return v;
}

/*
 * The schema version: SQLite's user_version; on PostgreSQL the row of
 * patchline_schema, which the first migration run makes (0 while missing).
 */
int pl_store_schema_version(struct pl_store *s)
{
    int have;

    if (pl__db_kind(s->db) != PL_DB_PG)
        return one_int(s, "PRAGMA user_version");
    have = one_int(s, "SELECT CASE WHEN to_regclass('patchline_schema') IS NULL THEN 0 ELSE 1 END");
    if (have <= 0)
        return have;
    return one_int(s, "SELECT COALESCE(max(version), 0) FROM patchline_schema");
}

/* Record version as the schema's (in the migration transaction). */
static pl_status set_version(struct pl_store *s, int version, struct pl_error *err)
{
    char sql[160];

    if (pl__db_kind(s->db) == PL_DB_PG)
        snprintf(sql, sizeof(sql),
                 "CREATE TABLE IF NOT EXISTS patchline_schema (version BIGINT NOT NULL); "
                 "DELETE FROM patchline_schema; INSERT INTO patchline_schema VALUES (%d)",
                 version);
    else
        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
    return pl__store_exec(s, sql, err);
}

/* No row may reference a missing one after a migration. */
static pl_status fk_check(struct pl_store *s, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc = PL_OK;
    int step;

    if (pl__db_prepare(s->db, "PRAGMA foreign_key_check", &st) != PL_DB_OK)
        return pl__store_fail(s, err, "foreign key check");
    step = pl__db_step(st);
    if (step == PL_DB_ROW)
        rc = pl_error_set(err, PL_E_STORE, "migration: table %s references a missing row of %s",
                          (const char *)pl__db_column_text(st, 0),
                          (const char *)pl__db_column_text(st, 2));
    else if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "foreign key check");
    pl__db_finalize(st);
    return rc;
}

static pl_status migrate(struct pl_store *s, bool readonly, bool simulated, struct pl_error *err)
{
    int have = pl_store_schema_version(s), want = pl_store_schema_latest();
    bool pg = pl__db_kind(s->db) == PL_DB_PG;
    pl_status rc;

    if (have < 0)
        return pl__store_fail(s, err, "read schema version");
    if (have > want)
        return pl_error_set(err, PL_E_UNSUPPORTED,
                            "store '%s' has schema %d, newer than this patchline (%d)", s->path,
                            have, want);
    if (have == want)
        return PL_OK;
    if (readonly)
        return pl_error_set(err, PL_E_UNSUPPORTED,
                            "store '%s' needs migration to schema %d: open it read-write once",
                            s->path, want);
    /*
     * Foreign keys are not enforced while migrating (SQLite's procedure for
     * rebuilding a table: dropping the old copy must not cascade); they are
     * checked before the commit. PostgreSQL enforces them throughout (its
     * migration text never drops a referenced table).
     */
    if (!pg && (rc = pl__store_exec(s, "PRAGMA foreign_keys = OFF", err)) != PL_OK)
        return rc;
    if ((rc = pl__store_lock_begin(s, err)) != PL_OK)
        goto on;
    for (int i = have; i < want; i++) {
        char *text = NULL;

        if ((rc = pl__store_sql_dialect(pl__store_migrations[i],
                                        pg ? PL_SQL_POSTGRESQL : PL_SQL_SQLITE, &text, err)) ==
            PL_OK)
            rc = pl__store_exec(s, text, err);
        free(text);
        if (rc != PL_OK) {
            pl_error_prefix(err, "migration %d", i + 1);
            goto fail;
        }
    }
    /* a store made by this open: its mode, for life */
    if (have == 0 && (rc = pl__store_mode_create(s, simulated, err)) != PL_OK)
        goto fail;
    /* an existing store: the digests of its package lists, which SQL could not compute */
    if (have > 0 && (rc = pl__pkgs_lists_fill(s, err)) != PL_OK) {
        pl_error_prefix(err, "migration");
        goto fail;
    }
    if ((rc = set_version(s, want, err)) != PL_OK || (!pg && (rc = fk_check(s, err)) != PL_OK) ||
        (rc = pl__store_lock_commit(s, err)) != PL_OK)
        goto fail;
    return pg ? PL_OK : pl__store_exec(s, "PRAGMA foreign_keys = ON", err);
fail:
    pl__store_lock_rollback(s);
on:
    if (!pg)
        (void)pl__db_exec(s->db, "PRAGMA foreign_keys = ON");
    return rc;
}

/*
 * A store in a PostgreSQL database (url): nothing on the file system. The
 * database must exist; its schema is made by the first read-write open.
 */
static pl_status open_url(const char *url, int flags, const struct pl_store_opts *opts,
                          struct pl_store **out, struct pl_error *err)
{
    bool ro = flags & PL_STORE_READONLY, create = !ro && (flags & PL_STORE_CREATE);
    struct pl_store *s = pl_xcalloc(1, sizeof(*s));
    pl_status rc;

    s->path = pl__db_redact(url);
    if ((rc = pl__db_open(url, ro ? PL_DB_OPEN_READONLY : 0, &s->db, err)) != PL_OK)
        goto fail;
    pl__store_lock_setup(s, opts);
    if (!create && pl_store_schema_version(s) == 0) {
        rc = pl_error_set(err, PL_E_NOTFOUND, "no store at '%s' (run 'patchline init' first)",
                          s->path);
        goto fail;
    }
    if ((rc = migrate(s, ro, (flags & PL_STORE_SIMULATED) || pl_clock_simulated(), err)) != PL_OK ||
        (rc = pl__store_mode_load(s, err)) != PL_OK)
        goto fail;
    *out = s;
    return PL_OK;
fail:
    pl_store_close(s);
    return rc;
}

/*
 * The settings of every SQLite handle (docs/store.md, "Durability and
 * memory"). In WAL mode, synchronous = NORMAL syncs the WAL when SQLite
 * copies it into the store, not at every commit: a commit is never torn, and
 * a power failure may lose the last ones. The page cache stays SQLite's
 * default (2 MB) and the store is read with read(2), not mmap(2): on the
 * server's handles both a 16 MB cache and a 1 GiB mmap window made agent
 * check-ins slower (docs/benchmarks.md, fifth pass).
 */
static pl_status tune_sqlite(struct pl_store *s, struct pl_error *err)
{
    return pl__store_exec(
        s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY",
        err);
}

pl_status pl_store_open(const char *path, int flags, struct pl_store **out, struct pl_error *err)
{
    return pl_store_open_opts(path, flags, NULL, out, err);
}

pl_status pl_store_open_opts(const char *path, int flags, const struct pl_store_opts *opts,
                             struct pl_store **out, struct pl_error *err)
{
    struct pl_store *s;
    bool ro = flags & PL_STORE_READONLY, create = !ro && (flags & PL_STORE_CREATE);
    char *abs = NULL, *created = NULL;
    pl_status rc;

    if (path == NULL || *path == '\0' || out == NULL)
        return pl_error_set(err, PL_E_INVALID, "pl_store_open: no path");
    if (pl__db_target_is_url(path))
        return open_url(path, flags, opts, out, err);
    if (create) {
        if ((rc = make_parent(path, flags & PL_STORE_MKDIR, &created, err)) != PL_OK)
            return rc;
    } else if (!pl_path_exists(path)) {
        return pl_error_set(err, PL_E_NOTFOUND, "no store at '%s' (run 'patchline init' first)",
                            path);
    }
    if ((rc = absolute(path, &abs, err)) != PL_OK ||
        /* before SQLite reads a byte: a planted -wal would be replayed into the store */
        ((flags & PL_STORE_TRUSTED) && geteuid() == 0 &&
         (rc = pl_trust_check_store(abs, 0, err)) != PL_OK) ||
        (create && (rc = create_private(abs, err)) != PL_OK)) {
        free(abs);
        free(created);
        return rc;
    }
    s = pl_xcalloc(1, sizeof(*s));
    s->path = abs;
    s->created_folder = created;
    if ((rc = pl__db_open(abs, ro ? PL_DB_OPEN_READONLY : 0, &s->db, err)) != PL_OK) {
        pl_error_prefix(err, "cannot open store '%s'", path);
        goto fail;
    }
    pl__store_lock_setup(s, opts);
    if (!ro && (rc = pl__store_exec(s, "PRAGMA journal_mode = WAL", err)) != PL_OK)
        goto fail;
    if ((rc = tune_sqlite(s, err)) != PL_OK)
        goto fail;
    if ((rc = migrate(s, ro, (flags & PL_STORE_SIMULATED) || pl_clock_simulated(), err)) != PL_OK ||
        (rc = pl__store_mode_load(s, err)) != PL_OK)
        goto fail;
    *out = s;
    return PL_OK;
fail:
    pl_store_close(s);
    return rc;
}

const char *pl_store_path(const struct pl_store *s)
{
    return s->path;
}

/* The end of the outermost read transaction: a COMMIT with nothing to commit. */
static void read_end(struct pl_store *s)
{
    s->reading = false;
    s->tx_depth = 0;
    (void)pl__db_read_end(s->db);
}

void pl_store_close(struct pl_store *s)
{
    if (s == NULL)
        return;
    if (s->reading)
        read_end(s);
    else if (s->tx_depth > 0)
        pl__store_lock_rollback(s);
    for (size_t i = 0; i < s->n_cache; i++)
        pl__db_finalize(s->cache[i].st);
    free(s->cache);
    pl__db_close(s->db);
    pl__store_lock_close(s);
    pl__store_audit_close(s);
    free(s->path);
    free(s->command);
    free(s->writer_path);
    free(s->created_folder);
    pl__store_auth_free(s);
    free(s);
}

pl_status pl_store_begin(struct pl_store *s, struct pl_error *err)
{
    pl_status rc;

    if (s->tx_depth == 0) {
        if ((rc = pl__store_lock_begin(s, err)) != PL_OK)
            return rc;
        if ((rc = pl_store_clock_check(s, err)) != PL_OK) {
            pl__store_lock_rollback(s);
            return rc;
        }
        s->tx_failed = false;
    }
    s->tx_depth++;
    return PL_OK;
}

pl_status pl_store_read_begin(struct pl_store *s, struct pl_error *err)
{
    if (s->tx_depth > 0) { /* the outer transaction's state, as any nested begin */
        s->tx_depth++;
        return PL_OK;
    }
    if (pl__db_read_begin(s->db) != PL_DB_OK)
        return pl__store_fail(s, err, "read transaction");
    s->tx_depth = 1;
    s->tx_failed = false;
    s->reading = true;
    return PL_OK;
}

void pl_store_read_end(struct pl_store *s)
{
    if (s->tx_depth <= 0)
        return;
    if (--s->tx_depth > 0)
        return;
    if (s->reading)
        read_end(s);
    else { /* a read nested in a write that ended inside it: a bug of the caller's */
        s->tx_depth = 1;
        pl_store_rollback(s);
    }
}

pl_status pl_store_commit(struct pl_store *s, struct pl_error *err)
{
    pl_status rc;

    if (s->tx_depth <= 0)
        PL_BUG("commit without begin");
    if (--s->tx_depth > 0)
        return PL_OK;
    if (s->reading) { /* a begin that outlived the read transaction it was nested in */
        read_end(s);
        return s->tx_failed ? pl_error_set(err, PL_E_STORE, "read transaction ended") : PL_OK;
    }
    if (s->whatif) {
        pl_store_whatif_end(s);
        pl__store_audit_rolled_back(s);
        return PL_OK;
    }
    if (s->tx_failed) {
        pl__store_lock_rollback(s);
        pl__store_audit_rolled_back(s);
        return pl_error_set(err, PL_E_STORE, "transaction rolled back by an inner failure");
    }
    if ((rc = pl__store_lock_commit(s, err)) != PL_OK) {
        pl__store_audit_rolled_back(s);
        return rc;
    }
    pl__store_audit_committed(s);
    s->commits++;
    return PL_OK;
}

void pl_store_rollback(struct pl_store *s)
{
    if (s->tx_depth <= 0)
        return;
    if (--s->tx_depth > 0) {
        s->tx_failed = true;
        return;
    }
    if (s->reading) {
        read_end(s);
        return;
    }
    if (s->whatif) {
        pl_store_whatif_end(s);
        pl__store_audit_rolled_back(s);
        return;
    }
    pl__store_lock_rollback(s);
    pl__store_audit_rolled_back(s);
}
