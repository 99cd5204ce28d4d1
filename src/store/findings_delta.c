/*
 * findings_delta.c - what the feed imports changed since a scan
 * (match_delta, 0025) and the lean reads an incremental scan makes of one
 * asset: the packages of its findings whose facts moved, and its findings
 * of a few packages.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"

#include "store_int.h"

pl_status pl_store_match_delta_each(struct pl_store *s, int64_t after, pl_match_delta_fn fn,
                                    void *ctx, struct pl_error *err)
{
    static const char sql[] =
        "SELECT d.kind, d.ecosystem, d.name, d.old_score, d.old_pct, e.score, e.percentile "
        "FROM match_delta d LEFT JOIN epss e ON d.kind = 'epss' AND e.vuln_id = d.name "
        "WHERE d.feeds_id > ?1 ORDER BY d.feeds_id, d.kind, d.ecosystem, d.name";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, after);
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_match_delta_view v;

        memset(&v, 0, sizeof(v));
        v.kind = (const char *)pl__db_column_text(st, 0);
        v.ecosystem = (const char *)pl__db_column_text(st, 1);
        v.name = (const char *)pl__db_column_text(st, 2);
        v.has_old = pl__db_column_type(st, 3) != PL_DB_NULL;
        v.old_score = pl__db_column_double(st, 3);
        v.old_pct = pl__db_column_double(st, 4);
        v.has_cur = pl__db_column_type(st, 5) != PL_DB_NULL;
        v.cur_score = pl__db_column_double(st, 5);
        v.cur_pct = pl__db_column_double(st, 6);
        if (v.kind == NULL || v.ecosystem == NULL || v.name == NULL)
            continue;
        rc = fn(ctx, &v, err);
    }
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "feed delta");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_match_delta_prune(struct pl_store *s, struct pl_error *err)
{
    return pl__store_exec(s,
                          "DELETE FROM match_delta WHERE feeds_id <= (SELECT min(feeds_max) FROM "
                          "match_state)",
                          err);
}

pl_status pl_store_match_hit_vulns(struct pl_store *s, const char *const *ids, size_t n,
                                   struct pl_error *err)
{
    return pl__store_temp_ids(s, "pl_scan_hit", ids, n, "delta vulnerabilities", err);
}

pl_status pl_store_findings_hit_packages(struct pl_store *s, int64_t asset_id, pl_name_fn fn,
                                         void *ctx, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    rc = pl__store_cached(s,
                          "SELECT DISTINCT f.package FROM findings f WHERE f.asset_id = ?1 AND "
                          "f.vuln_id IN (SELECT vuln_id FROM pl_scan_hit)",
                          &st, err);
    if (rc != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        const unsigned char *name = pl__db_column_text(st, 0);

        if (name)
            rc = fn(ctx, (const char *)name, err);
    }
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "findings of changed vulnerabilities");
    pl__store_done(st);
    return rc;
}
