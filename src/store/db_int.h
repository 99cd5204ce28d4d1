/*
 * db_int.h - private to the backend layer (db.c and its backends): the
 * table of a backend's functions, which db.c's functions dispatch to.
 */
#ifndef PATCHLINE_STORE_DB_INT_H
#define PATCHLINE_STORE_DB_INT_H

#include "db.h"

struct pl_db_ops {
    void (*close)(struct pl_db *db);
    const char *(*errmsg)(struct pl_db *db);
    int (*errcode)(struct pl_db *db);
    int (*exec)(struct pl_db *db, const char *sql);
    int64_t (*changes)(struct pl_db *db);
    int (*begin)(struct pl_db *db);
    int (*read_begin)(struct pl_db *db); /* NULL: BEGIN ISOLATION LEVEL REPEATABLE READ */
    int (*read_end)(struct pl_db *db);   /* NULL: COMMIT */
    void (*busy_handler)(struct pl_db *db, int (*fn)(void *arg, int count), void *arg);
    int (*lock_timeout)(struct pl_db *db, int64_t ms);
    int (*query_only)(struct pl_db *db, bool on);
    int (*shared_writers)(struct pl_db *db, bool on); /* NULL: one writer at a time */
    int (*lock_key)(struct pl_db *db, int ns, int64_t key, bool wait); /* NULL: no-op */
    int (*prepare)(struct pl_db *db, const char *sql, struct pl_stmt **out);
    int (*bind_int64)(struct pl_stmt *st, int i, int64_t v);
    int (*bind_double)(struct pl_stmt *st, int i, double v);
    int (*bind_textn)(struct pl_stmt *st, int i, const char *text, size_t len);
    int (*bind_null)(struct pl_stmt *st, int i);
    int (*bind_parameter_count)(struct pl_stmt *st);
    int (*stream)(struct pl_stmt *st); /* NULL: rows are stepped one by one anyway */
    int (*batch)(struct pl_stmt *st);  /* NULL: every step waits for its outcome */
    int (*flush)(struct pl_db *db);    /* NULL: nothing is ever left to wait for */
    int (*step)(struct pl_stmt *st);
    int (*column_count)(struct pl_stmt *st);
    const char *(*column_name)(struct pl_stmt *st, int i);
    int (*column_type)(struct pl_stmt *st, int i);
    int64_t (*column_int64)(struct pl_stmt *st, int i);
    double (*column_double)(struct pl_stmt *st, int i);
    const unsigned char *(*column_text)(struct pl_stmt *st, int i);
    int (*column_bytes)(struct pl_stmt *st, int i);
    int (*reset)(struct pl_stmt *st);
    int (*clear_bindings)(struct pl_stmt *st);
    void (*finalize)(struct pl_stmt *st);
};

/* The part every backend's connection and statement begin with. */
struct pl_db {
    const struct pl_db_ops *ops;
    enum pl_db_kind kind;
    char *text_msg; /* the last step refused for its text (db.c), until the next step or exec */
};

struct pl_stmt {
    struct pl_db *db;
    int bad_text; /* the parameter of a refused text (db.c), 0 when none */
};

/* The backends' open functions (target already told apart). */
PL_NODISCARD pl_status pl__db_sqlite_open(const char *path, int flags, struct pl_db **out,
                                          struct pl_error *err);
PL_NODISCARD pl_status pl__db_pg_open(const char *url, int flags, struct pl_db **out,
                                      struct pl_error *err);

/*
 * The connection parameters of a PostgreSQL URL, NULL-terminated, for
 * PQconnectdbParams: a password in the URL is refused; sslmode=verify-full
 * is added when a host is off this machine and neither the URL nor
 * PGSSLMODE names a mode. Both arrays and their strings are malloc'd.
 */
PL_NODISCARD pl_status pl__db_pg_conninfo(const char *url, char ***keys_out, char ***values_out,
                                          struct pl_error *err);

/*
 * sql with `?` and `?N` parameters rewritten to `$N` outside quotes, quoted
 * identifiers and comments; *n_params is the highest number used. Malloc'd;
 * NULL (with a message in msg) when a number is out of range.
 */
char *pl__db_placeholders(const char *sql, int *n_params, char *msg, size_t msg_cap);

#endif /* PATCHLINE_STORE_DB_INT_H */
