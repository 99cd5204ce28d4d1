/*
 * scan_test_util.h - helpers for the import-scan unit tests: a store in a
 * scratch folder, importing one file in one transaction, counting rows.
 */
#ifndef PATCHLINE_SCAN_TEST_UTIL_H
#define PATCHLINE_SCAN_TEST_UTIL_H

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patchline/clock.h"
#include "patchline/file.h"
#include "patchline/inventory.h"
#include "patchline/store.h"

struct tstore {
    char dir[64];
    char path[128];
    struct pl_store *s;
};

static inline void tstore_open(struct tstore *t)
{
    struct pl_error err = PL_ERROR_INIT;

    memcpy(t->dir, "/tmp/pl-scan-XXXXXX", sizeof("/tmp/pl-scan-XXXXXX"));
    if (mkdtemp(t->dir) == NULL)
        fail_msg("mkdtemp");
    if (snprintf(t->path, sizeof(t->path), "%s/store.db", t->dir) >= (int)sizeof(t->path))
        fail_msg("path");
    if (pl_store_open(t->path, PL_STORE_CREATE | PL_STORE_SIMULATED, &t->s, &err) != PL_OK)
        fail_msg("open: %s", err.msg);
    pl_clock_set(1767225600); /* 2026-01-01T00:00:00Z */
}

static inline void tstore_close(struct tstore *t)
{
    char p[160];

    pl_store_close(t->s);
    t->s = NULL;
    for (const char *sfx = ""; sfx; sfx = strcmp(sfx, "") == 0       ? "-wal"
                                          : strcmp(sfx, "-wal") == 0 ? "-shm"
                                                                     : NULL) {
        if (snprintf(p, sizeof(p), "%s%s", t->path, sfx) < (int)sizeof(p))
            unlink(p);
    }
    rmdir(t->dir);
    pl_clock_unset();
}

/* Import path with fn in one transaction (rolled back on failure). */
static inline pl_status timport(struct tstore *t, pl_inv_import_fn fn, const char *path,
                                struct pl_inv_import_stats *st, struct pl_error *err)
{
    struct pl_inv_import_opts opts = {NULL, false, NULL, 0, NULL, NULL};
    struct pl_reader *r;
    pl_status rc;

    memset(st, 0, sizeof(*st));
    if ((rc = pl_reader_open(path, 0, &r, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_begin(t->s, err)) == PL_OK) {
        rc = fn(t->s, r, &opts, st, err);
        if (rc == PL_OK)
            rc = pl_store_commit(t->s, err);
        else
            pl_store_rollback(t->s);
    }
    pl_reader_close(r);
    return rc;
}

/* Import that must succeed (the message on failure). */
#define TIMPORT_OK(t, fn, path, st)                         \
    do {                                                    \
        struct pl_error e_ = PL_ERROR_INIT;                 \
        if (timport((t), (fn), (path), (st), &e_) != PL_OK) \
            fail_msg("%s", e_.msg);                         \
    } while (0)

/* One integer from a SQL query on the store file (a second connection). */
static inline long long tcount(struct tstore *t, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;

    if (sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        fail_msg("sqlite open");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* One text from a SQL query, copied into buf. */
static inline const char *ttext(struct tstore *t, const char *sql, char *buf, size_t cap)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    buf[0] = '\0';
    if (sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        fail_msg("sqlite open");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return buf;
}

/* $PL_SOURCE_DIR/tests/fixtures/<rel>. */
static inline const char *tfix(const char *rel)
{
    static char path[4096];
    const char *src = getenv("PL_SOURCE_DIR");

    if (snprintf(path, sizeof(path), "%s/tests/fixtures/%s", src ? src : ".", rel) >=
        (int)sizeof(path))
        fail_msg("path too long");
    return path;
}

/* $PL_SHARED_DATA/<rel>, or NULL when the shared data is absent. */
static inline const char *tshared(const char *rel)
{
    static char path[4096];
    const char *d = getenv("PL_SHARED_DATA");

    if (d == NULL || snprintf(path, sizeof(path), "%s/%s", d, rel) >= (int)sizeof(path))
        return NULL;
    return pl_path_exists(path) ? path : NULL;
}

#endif /* PATCHLINE_SCAN_TEST_UTIL_H */
