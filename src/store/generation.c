/*
 * generation.c - pl_store_generation: a number that moves whenever the
 * store may have changed, so that a long-lived reader (the server) knows
 * when what it parsed from the store is stale.
 */
#include <stdio.h>

#include "store_int.h"

/* FNV-1a over a text, for PostgreSQL's snapshot. */
static uint64_t fnv(const unsigned char *t)
{
    uint64_t h = 1469598103934665603ULL;

    for (; t && *t; t++)
        h = (h ^ *t) * 1099511628211ULL;
    return h;
}

pl_status pl_store_generation(struct pl_store *s, uint64_t *gen, struct pl_error *err)
{
    /* SQLite: data_version moves with other connections' commits, total_changes with ours */
    static const char lite[] =
        "SELECT (SELECT data_version FROM pragma_data_version), total_changes()";
    /*
     * PostgreSQL: the snapshot (which transactions it sees), so that in a read
     * transaction (pl_store_read_begin) the number is that snapshot's, like
     * SQLite's data_version, and not the WAL's position beyond it
     */
    static const char pg[] = "SELECT pg_current_snapshot()::text, 0";
    static _Atomic uint64_t unknown; /* handles on several threads (the server's pool) */
    bool is_pg = pl__db_kind(s->db) == PL_DB_PG;
    struct pl_stmt *st;
    pl_status rc;

    (void)err;
    if ((rc = pl__store_prepare(s, is_pg ? pg : lite, &st, err)) != PL_OK) {
        *gen = ++unknown; /* no way to tell: every call is a new generation */
        return PL_OK;
    }
    if (pl__db_step(st) == PL_DB_ROW) {
        const char *v = (const char *)pl__db_column_text(st, 0);
        char key[160];

        snprintf(key, sizeof(key), "%s.%lld.%llu", v ? v : "",
                 (long long)pl__db_column_int64(st, 1), (unsigned long long)s->commits);
        *gen = fnv((const unsigned char *)key);
    } else {
        *gen = ++unknown;
    }
    pl__db_finalize(st);
    return PL_OK;
}
