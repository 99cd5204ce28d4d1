/*
 * rollout_plan.c - a stored plan (waves, wave items, approvals) turned into
 * the plain structs pl_apply_rollout runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply_int.h"

/* The wave's assets, each with its findings, in item order (asset name, package). */
struct wave_build {
    struct pl_rollout_asset *assets;
    char (*ids)[24];
    int64_t *asset_ids;
    int64_t **findings;
    size_t n;
    char *rejected; /* the wave's rejection, NULL when none */
};

static const char *root_of(const struct pl_asset_root *roots, size_t n, const char *name,
                           const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(roots[i].asset, name) == 0 || strcmp(roots[i].asset, id) == 0)
            return roots[i].root;
    return NULL;
}

static void build_assets(const struct pl_wave_item_row *it, size_t ni,
                         const struct pl_asset_root *roots, size_t n_roots, struct wave_build *b)
{
    memset(b, 0, sizeof(*b));
    b->assets = pl_xcalloc(ni + 1, sizeof(*b->assets));
    b->ids = pl_xcalloc(ni + 1, sizeof(*b->ids));
    b->asset_ids = pl_xcalloc(ni + 1, sizeof(*b->asset_ids));
    b->findings = pl_xcalloc(ni + 1, sizeof(*b->findings));
    for (size_t i = 0; i < ni; i++) {
        size_t k = 0;

        while (k < b->n && b->asset_ids[k] != it[i].asset_id)
            k++;
        if (k == b->n) {
            b->asset_ids[k] = it[i].asset_id;
            snprintf(b->ids[k], sizeof(b->ids[k]), "%lld", (long long)it[i].asset_id);
            b->findings[k] = pl_xcalloc(ni, sizeof(**b->findings));
            b->assets[k].asset = b->ids[k];
            b->assets[k].root = root_of(roots, n_roots, it[i].asset_name, b->ids[k]);
            b->assets[k].finding_ids = b->findings[k];
            b->n++;
        }
        b->findings[k][b->assets[k].n_findings++] = it[i].finding_id;
    }
}

static void build_release(struct wave_build *b)
{
    for (size_t k = 0; k < b->n; k++)
        free(b->findings[k]);
    free(b->findings);
    free(b->assets);
    free(b->rejected);
    free(b->ids);
    free(b->asset_ids);
}

static void wave_from_row(const struct pl_wave_row *r, struct wave_build *b,
                          struct pl_rollout_wave *w)
{
    char at[PL_TIME_STR_LEN];

    memset(w, 0, sizeof(*w));
    w->seq = r->seq;
    w->environment = r->environment;
    w->ring = r->ring_name;
    /* no threshold in the plan: halt only when every asset failed (100 %) */
    w->halt_failure_rate = r->halt_failure_rate < 0 ? 1.0 : r->halt_failure_rate;
    w->assets = b->assets;
    w->n_assets = b->n;
    w->starts_at = r->starts_at;
    w->needs_approval = r->needs_approval && r->approved_by == NULL;
    w->plan_health = r->health_check;
    w->plan_regression = r->regression_test;
    if (r->rejected_by) {
        struct pl_buf why = PL_BUF_INIT(0);

        pl_buf_addf(&why, "by '%s' at %s: %s", r->rejected_by, pl_time_format(r->rejected_at, at),
                    r->reject_reason ? r->reject_reason : "");
        b->rejected = pl_xstrdup(pl_buf_cstr(&why));
        w->rejected = b->rejected;
        pl_buf_release(&why);
    }
}

pl_status pl_apply_rollout_plan(struct pl_store *s, int64_t plan_id,
                                const struct pl_apply_opts *base, int64_t only_wave,
                                const struct pl_asset_root *roots, size_t n_roots,
                                struct pl_rollout_result *res, struct pl_error *err)
{
    struct pl_plan_row plan;
    struct pl_wave_row *rows = NULL;
    struct pl_rollout_wave *waves = NULL;
    struct wave_build *builds = NULL;
    struct pl_rollout r = {plan_id, NULL, 0};
    size_t n = 0;
    pl_status rc;

    memset(res, 0, sizeof(*res));
    if ((rc = pl_store_plan_get(s, plan_id, &plan, err)) != PL_OK)
        return rc;
    pl_plan_row_release(&plan);
    if ((rc = pl_store_wave_list(s, plan_id, &rows, &n, err)) != PL_OK)
        return rc;
    waves = pl_xcalloc(n + 1, sizeof(*waves));
    builds = pl_xcalloc(n + 1, sizeof(*builds));
    for (size_t i = 0; i < n && rc == PL_OK; i++) {
        struct pl_wave_item_row *it = NULL;
        size_t ni = 0;

        if ((rc = pl_store_wave_items(s, rows[i].id, &it, &ni, err)) != PL_OK)
            break;
        build_assets(it, ni, roots, n_roots, &builds[i]);
        pl_wave_item_rows_release(it, ni);
        wave_from_row(&rows[i], &builds[i], &waves[i]);
        r.n_waves++;
    }
    r.waves = waves;
    if (rc == PL_OK)
        rc = pl_apply_rollout(s, &r, base, only_wave, res, err);
    for (size_t i = 0; i < r.n_waves; i++)
        build_release(&builds[i]);
    free(builds);
    free(waves);
    pl_wave_rows_release(rows, n);
    return rc;
}
