/*
 * livepatch.c - the kernel fixes a live patch applied to an asset's running
 * kernel, as the host reports them (asset_livepatch, migration 0033).
 */
#include <string.h>

#include "patchline/store_assets.h"

#include "store_int.h"

pl_status pl_store_livepatch_replace(struct pl_store *s, int64_t asset_id, const char *source,
                                     const char *kernel, const char *patch_version,
                                     const char *const *vulns, size_t n, pl_time_t now,
                                     struct pl_error *err)
{
    static const char del[] = "DELETE FROM asset_livepatch WHERE asset_id = ?1 AND source = ?2";
    static const char ins[] =
        "INSERT INTO asset_livepatch (asset_id, source, vuln_id, kernel, patch_version, "
        "reported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (asset_id, source, vuln_id) "
        "DO NOTHING";
    /* the asset is matched again by the next scan, as after a change of its packages */
    static const char dirty[] = "UPDATE match_state SET dirty = 1 WHERE asset_id = ?1";
    struct pl_stmt *st = NULL;
    pl_status rc;

    if ((rc = pl__store_prepare(s, del, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, source);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset livepatch");
    pl__db_finalize(st);
    if (rc == PL_OK && (rc = pl__store_prepare(s, ins, &st, err)) == PL_OK) {
        for (size_t i = 0; rc == PL_OK && i < n; i++) {
            pl__db_reset(st);
            pl__db_bind_int64(st, 1, asset_id);
            pl__store_bind_text(st, 2, source);
            pl__store_bind_text(st, 3, vulns[i]);
            pl__store_bind_text(st, 4, kernel);
            pl__store_bind_text(st, 5, patch_version);
            pl__db_bind_int64(st, 6, now);
            if (pl__db_step(st) != PL_DB_DONE)
                rc = pl__store_fail(s, err, "asset livepatch");
        }
        pl__db_finalize(st);
    }
    if (rc == PL_OK && (rc = pl__store_prepare(s, dirty, &st, err)) == PL_OK) {
        pl__db_bind_int64(st, 1, asset_id);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "asset livepatch");
        pl__db_finalize(st);
    }
    return rc;
}

pl_status pl_store_livepatch_each(struct pl_store *s, int64_t asset_id, pl_livepatch_fn fn,
                                  void *ctx, struct pl_error *err)
{
    static const char sql[] =
        "SELECT source, vuln_id, kernel, patch_version, reported_at FROM asset_livepatch "
        "WHERE asset_id = ?1 ORDER BY source, vuln_id";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_livepatch_fix f = {
            (const char *)pl__db_column_text(st, 0), (const char *)pl__db_column_text(st, 1),
            (const char *)pl__db_column_text(st, 2), (const char *)pl__db_column_text(st, 3),
            pl__db_column_int64(st, 4)};

        rc = fn(ctx, &f, err);
    }
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "asset livepatch");
    pl__store_done(st);
    return rc;
}
