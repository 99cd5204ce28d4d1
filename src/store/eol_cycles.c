/*
 * eol_cycles.c - endoflife.date data imported by `feed import eol` (migration 0030):
 * release cycles with their end dates, and released versions with their
 * dates; read back by the matcher in place of its shipped table.
 */
#include <string.h>

#include "store_int.h"

pl_status pl_store_eol_cycle_put(struct pl_store *s, int64_t feed_id,
                                 const struct pl_eol_cycle_row *c, struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO eol_cycles (product, cycle, release_date, eol, eoas, eoes, latest, "
        "latest_date, feed_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
        "ON CONFLICT (product, cycle) DO UPDATE SET release_date = excluded.release_date, "
        "eol = excluded.eol, eoas = excluded.eoas, eoes = excluded.eoes, "
        "latest = excluded.latest, latest_date = excluded.latest_date, feed_id = excluded.feed_id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, c->product);
    pl__store_bind_text(st, 2, c->cycle);
    pl__store_bind_text(st, 3, c->release_date);
    pl__store_bind_text(st, 4, c->eol);
    pl__store_bind_text(st, 5, c->eoas);
    pl__store_bind_text(st, 6, c->eoes);
    pl__store_bind_text(st, 7, c->latest);
    pl__store_bind_text(st, 8, c->latest_date);
    pl__db_bind_int64(st, 9, feed_id);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "eol cycles");
    pl__store_done(st);
    return rc;
}

pl_status pl_store_eol_version_put(struct pl_store *s, int64_t feed_id, const char *product,
                                   const char *version, const char *released, struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO eol_versions (product, version, released, feed_id) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (product, version) DO UPDATE SET released = excluded.released, "
        "feed_id = excluded.feed_id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, product);
    pl__store_bind_text(st, 2, version);
    pl__store_bind_text(st, 3, released);
    pl__db_bind_int64(st, 4, feed_id);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "eol versions");
    pl__store_done(st);
    return rc;
}

static const char *col(struct pl_stmt *st, int i)
{
    return (const char *)pl__db_column_text(st, i);
}

pl_status pl_store_eol_cycles_each(struct pl_store *s, pl_eol_cycle_fn fn, void *ctx,
                                   struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    rc = pl__store_prepare(s,
                           "SELECT product, cycle, release_date, eol, eoas, eoes, latest, "
                           "latest_date FROM eol_cycles ORDER BY product, cycle",
                           &st, err);
    if (rc != PL_OK)
        return rc;
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_eol_cycle_row c = {col(st, 0), col(st, 1), col(st, 2), col(st, 3),
                                     col(st, 4), col(st, 5), col(st, 6), col(st, 7)};

        rc = fn(ctx, &c, err);
    }
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "eol cycles");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_eol_version_date(struct pl_store *s, const char *product, const char *version,
                                    char out[11], struct pl_error *err)
{
    static const char sql[] =
        "SELECT released FROM eol_versions WHERE product = ?1 AND version = ?2";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    out[0] = '\0';
    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, product);
    pl__store_bind_text(st, 2, version);
    step = pl__db_step(st);
    if (step == PL_DB_ROW && col(st, 0) && strlen(col(st, 0)) == 10)
        memcpy(out, col(st, 0), 11);
    else if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "eol versions");
    pl__store_done(st);
    return rc;
}
