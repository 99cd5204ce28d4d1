/*
 * handoff_results.c - the health results hand-off tools reported, per
 * (plan, wave, asset), and what the release gate reads back: each asset of
 * a wave with its imported result, else its own rollout progress.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/store_jobs.h"

#include "store_int.h"

pl_status pl_store_handoff_result_put(struct pl_store *s, const struct pl_handoff_result_row *r,
                                      struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO handoff_results (plan_id, wave, asset_id, tool, outcome, detail, source, "
        "imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (plan_id, wave, "
        "asset_id) DO UPDATE SET tool = ?4, outcome = ?5, detail = ?6, source = ?7, "
        "imported_at = ?8";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, r->plan_id);
    pl__db_bind_int64(st, 2, r->wave);
    pl__db_bind_int64(st, 3, r->asset_id);
    pl__store_bind_text(st, 4, r->tool);
    pl__store_bind_text(st, 5, r->outcome);
    pl__store_bind_text(st, 6, r->detail);
    pl__store_bind_text(st, 7, r->source);
    pl__db_bind_int64(st, 8, pl_clock_now());
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "hand-off result");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_wave_results(struct pl_store *s, int64_t plan_id, int64_t wave,
                                struct pl_wave_result_list *out, struct pl_error *err)
{
    static const char sql[] =
        "SELECT DISTINCT i.asset_id, a.name, r.outcome, r.detail, r.tool, p.state, p.detail "
        "FROM waves w JOIN wave_items i ON i.wave_id = w.id JOIN assets a ON a.id = i.asset_id "
        "LEFT JOIN handoff_results r ON r.plan_id = w.plan_id AND r.wave = w.seq AND "
        "r.asset_id = i.asset_id "
        "LEFT JOIN rollout_assets p ON p.rollout_id = w.plan_id AND p.wave = w.seq AND "
        "p.asset_id = i.asset_id "
        "WHERE w.plan_id = ? AND w.seq = ? ORDER BY a.name, i.asset_id";
    struct pl_wave_result *rows = NULL;
    size_t cnt = 0, cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    memset(out, 0, sizeof(*out));
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, plan_id);
    pl__db_bind_int64(st, 2, wave);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_wave_result *r;
        const unsigned char *state = pl__db_column_text(st, 5);

        rows = pl_xgrow(rows, cnt, &cap, 16, sizeof(*rows));
        r = &rows[cnt++];
        memset(r, 0, sizeof(*r));
        r->asset_id = pl__db_column_int64(st, 0);
        r->asset = pl__store_col_strdup(st, 1);
        if (pl__db_column_text(st, 2)) {
            r->outcome = pl__store_col_strdup(st, 2);
            r->detail = pl__store_col_strdup(st, 3);
            r->tool = pl__store_col_strdup(st, 4);
        } else if (state) {
            /* the local executor's own job in this wave (apply --rollout) */
            r->outcome =
                pl_xstrdup(strcmp((const char *)state, "succeeded") == 0 ? "healthy" : "failed");
            r->detail = pl__store_col_strdup(st, 6);
            r->tool = pl_xstrdup("apply");
        }
    }
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "wave results");
        out->items = rows;
        out->n = cnt;
        pl_wave_result_list_release(out);
    } else {
        out->items = rows;
        out->n = cnt;
    }
    pl__db_finalize(st);
    return rc;
}

void pl_wave_result_list_release(struct pl_wave_result_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].asset);
        free(l->items[i].outcome);
        free(l->items[i].detail);
        free(l->items[i].tool);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
