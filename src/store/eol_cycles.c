/*
 * eol_cycles.c - endoflife.date data imported by `feed import eol` (migration 0030):
 * release cycles with their end dates, and released versions with their
 * dates; read back by the matcher in place of its shipped table. A cycle or a version
 * that is new or whose fields change records its product in the feed delta (match_delta,
 * kind 'package', ecosystem 'eol', once some asset has a scan state): the next scan checks
 * the end-of-life findings of that product on the assets that run it
 * (docs/internals/match.md, "Incremental scans").
 */
#include <string.h>

#include "patchline/common.h"

#include "store_int.h"

/* The product of the statement's parameter 1 into the feed delta, when parameters 1-8 name a
 * row of eol_cycles or eol_versions that differs from or is not in the store (sql). */
static pl_status delta(struct pl_store *s, const char *sql, const char *const *v, size_t n,
                       struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        pl__store_bind_text(st, (int)i + 1, v[i]);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "end-of-life delta");
    pl__store_done(st);
    return rc;
}

pl_status pl_store_eol_cycle_put(struct pl_store *s, int64_t feed_id,
                                 const struct pl_eol_cycle_row *c, struct pl_error *err)
{
    static const char delta_sql[] =
        "INSERT INTO match_delta (feeds_id, kind, ecosystem, name) "
        "SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'package', 'eol', ?1 "
        "WHERE EXISTS (SELECT 1 FROM match_state) AND NOT EXISTS (SELECT 1 FROM eol_cycles WHERE "
        "product = ?1 AND cycle = ?2 AND release_date IS NOT DISTINCT FROM ?3 AND eol IS NOT "
        "DISTINCT FROM ?4 AND eoas IS NOT DISTINCT FROM ?5 AND eoes IS NOT DISTINCT FROM ?6 AND "
        "latest IS NOT DISTINCT FROM ?7 AND latest_date IS NOT DISTINCT FROM ?8) "
        "ON CONFLICT DO NOTHING";
    const char *v[] = {c->product, c->cycle, c->release_date, c->eol,
                       c->eoas,    c->eoes,  c->latest,       c->latest_date};
    static const char sql[] =
        "INSERT INTO eol_cycles (product, cycle, release_date, eol, eoas, eoes, latest, "
        "latest_date, feed_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
        "ON CONFLICT (product, cycle) DO UPDATE SET release_date = excluded.release_date, "
        "eol = excluded.eol, eoas = excluded.eoas, eoes = excluded.eoes, "
        "latest = excluded.latest, latest_date = excluded.latest_date, feed_id = excluded.feed_id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = delta(s, delta_sql, v, PL_ARRAY_LEN(v), err)) != PL_OK ||
        (rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
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
    static const char delta_sql[] =
        "INSERT INTO match_delta (feeds_id, kind, ecosystem, name) "
        "SELECT (SELECT coalesce(max(id), 0) FROM feeds), 'package', 'eol', ?1 "
        "WHERE EXISTS (SELECT 1 FROM match_state) AND NOT EXISTS (SELECT 1 FROM eol_versions "
        "WHERE product = ?1 AND version = ?2 AND released = ?3) ON CONFLICT DO NOTHING";
    const char *v[] = {product, version, released};
    static const char sql[] =
        "INSERT INTO eol_versions (product, version, released, feed_id) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (product, version) DO UPDATE SET released = excluded.released, "
        "feed_id = excluded.feed_id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = delta(s, delta_sql, v, PL_ARRAY_LEN(v), err)) != PL_OK ||
        (rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
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
