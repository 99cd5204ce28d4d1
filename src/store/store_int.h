/*
 * store_int.h - private to src/store: the handle and statement helpers.
 */
#ifndef PATCHLINE_STORE_INT_H
#define PATCHLINE_STORE_INT_H

#include <sqlite3.h>
#include <stddef.h>

#include "patchline/store.h"

/* A prepared statement kept for reuse, keyed by the address of its SQL text. */
struct pl__stmt_cache {
    const char *sql;
    sqlite3_stmt *st;
};

struct pl_store {
    sqlite3 *db;
    struct pl__stmt_cache *cache;
    size_t n_cache, cap_cache;
    char *path;
    char *created_folder; /* the top folder pl_store_open created, or NULL */
    int tx_depth;
    bool tx_failed;
};

/* Migrations, in order, NULL-terminated (generated from migrations/ *.sql). */
extern const char *const pl__store_migrations[];

/* Record the SQLite error of s->db in err with a context; returns PL_E_STORE. */
pl_status pl__store_fail(struct pl_store *s, struct pl_error *err, const char *what);

/* Prepare sql on s; on failure fills err. */
PL_NODISCARD pl_status pl__store_prepare(struct pl_store *s, const char *sql, sqlite3_stmt **out,
                                         struct pl_error *err);

/*
 * A statement from the handle's cache, prepared on first use: for hot paths
 * that run once per record. `sql` must have static storage (a string literal
 * or a static array): it is the key. The statement comes reset with no
 * bindings; hand it back with pl__store_done(), never sqlite3_finalize().
 * Not for a statement that may still be stepping when the same SQL is
 * needed again (recursion).
 */
PL_NODISCARD pl_status pl__store_cached(struct pl_store *s, const char *sql, sqlite3_stmt **out,
                                        struct pl_error *err);
void pl__store_done(sqlite3_stmt *st);

/* Execute sql (no results) on s. */
PL_NODISCARD pl_status pl__store_exec(struct pl_store *s, const char *sql, struct pl_error *err);

/* Bind text, or NULL when s is NULL. */
int pl__store_bind_text(sqlite3_stmt *st, int i, const char *s);

/* Bind an int64, or NULL when is_null. */
int pl__store_bind_opt_i64(sqlite3_stmt *st, int i, int64_t v, bool is_null);

/* Copy column i as a malloc'd string, or NULL for SQL NULL. */
char *pl__store_col_strdup(sqlite3_stmt *st, int i);

#endif /* PATCHLINE_STORE_INT_H */
