/*
 * test_store_target.h - where a unit test's store lives. Normally the SQLite
 * file path the test chose; in the PostgreSQL pass (PL_TEST_BACKEND=postgresql,
 * tests/pg/PostgreSQL.cmake) a database on the throwaway cluster
 * (PATCHLINE_TEST_PG), new the first time a path is asked for and the same
 * one for that path afterwards, made with psql.
 */
#ifndef PATCHLINE_TEST_STORE_TARGET_H
#define PATCHLINE_TEST_STORE_TARGET_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patchline/buf.h"
#include "patchline/spawn.h"

#include "test_pg_cluster.h"

static inline const char *pl_test_store(const char *path)
{
    static struct {
        char *path, *url;
    } known[256];
    static int n_known;
    const char *backend = getenv("PL_TEST_BACKEND"), *cluster, *q;
    char create[96], name[64];
    struct pl_buf url = PL_BUF_INIT(0);
    struct pl_spawn_result res;
    struct pl_error err = PL_ERROR_INIT;

    if (backend == NULL || strcmp(backend, "postgresql") != 0)
        return path;
    for (int i = 0; i < n_known; i++)
        if (strcmp(known[i].path, path) == 0)
            return known[i].url;
    if (getenv("PATCHLINE_TEST_PG") && (cluster = pl_test_pg_cluster()) == NULL) {
        /* the pass without its cluster (no PostgreSQL here): CTest's skip, never a pass */
        fprintf(stderr, "pl_test_store: the PostgreSQL pass is skipped\n");
        exit(77);
    }
    cluster = getenv("PATCHLINE_TEST_PG");
    if (cluster == NULL || n_known == (int)(sizeof(known) / sizeof(known[0]))) {
        fprintf(stderr, "pl_test_store: PL_TEST_BACKEND=postgresql needs PATCHLINE_TEST_PG\n");
        abort();
    }
    snprintf(name, sizeof(name), "pl_unit_%ld_%d", (long)getpid(), n_known);
    snprintf(create, sizeof(create), "CREATE DATABASE %s", name);
    {
        const char *const argv[] = {"psql", "-X",    "-q", "-v",   "ON_ERROR_STOP=1",
                                    "-d",   cluster, "-c", create, NULL};

        if (pl_spawn_run(argv, NULL, NULL, NULL, &res, &err) != PL_OK || res.exit_code != 0) {
            fprintf(stderr, "pl_test_store: cannot create database %s: %s\n", name, err.msg);
            abort();
        }
    }
    q = strchr(cluster, '?');
    pl_buf_addf(&url, "postgresql:///%s%s", name, q ? q : "");
    known[n_known].path = strdup(path);
    known[n_known].url = pl_buf_detach(&url, NULL);
    return known[n_known++].url;
}

/* Whether this is the PostgreSQL pass. */
static inline bool pl_test_store_is_pg(void)
{
    const char *backend = getenv("PL_TEST_BACKEND");

    return backend && strcmp(backend, "postgresql") == 0;
}

/* In the PostgreSQL pass: run sql (portable SQL) on path's database with psql; 0 when it ran. */
static inline int pl_test_store_psql(const char *path, const char *sql)
{
    const char *const argv[] = {
        "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", pl_test_store(path), "-c", sql, NULL};
    struct pl_spawn_result res;
    struct pl_error err = PL_ERROR_INIT;

    if (pl_spawn_run(argv, NULL, NULL, NULL, &res, &err) != PL_OK || res.exit_code != 0) {
        fprintf(stderr, "pl_test_store_psql: %s: %s\n", sql, err.msg);
        return -1;
    }
    return 0;
}

#endif
