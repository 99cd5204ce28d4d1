/*
 * forecast.c - the forecast workflow (`plan --forecast`, the server's
 * forecast): schedule the open findings without storing a plan; and the soak
 * waiver, the plan stage's one state change outside a plan.
 */
#include "patchline/plan.h"

pl_status pl_plan_forecast(struct pl_store *s, const struct pl_plan_config *c, pl_time_t now,
                           struct pl_plan_forecast *out, struct pl_error *err)
{
    pl_status rc;

    *out = (struct pl_plan_forecast){0};
    if ((rc = pl_store_plan_inputs(s, &out->in, err)) != PL_OK ||
        (rc = pl_plan_schedule(c, &out->in, now, &out->r, err)) != PL_OK)
        pl_plan_forecast_release(out);
    return rc;
}

void pl_plan_forecast_release(struct pl_plan_forecast *f)
{
    pl_plan_result_release(&f->r);
    pl_plan_inputs_release(&f->in);
    *f = (struct pl_plan_forecast){0};
}

const char *pl_plan_asset_name(const struct pl_plan_inputs *in, int64_t asset_id)
{
    size_t lo = 0, hi = in->n_assets;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (in->assets[mid].id == asset_id)
            return in->assets[mid].name;
        if (in->assets[mid].id < asset_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

pl_status pl_plan_waive_soak(struct pl_store *s, const char *package, const char *version,
                             const char *reason, struct pl_error *err)
{
    return pl_store_soak_waive(s, package, version, reason, err);
}
