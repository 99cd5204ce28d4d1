/*
 * cells.c - the rows of `plan show` (waves, a wave's findings) and of
 * `plan --forecast`, cell by cell: one rendering for the CLI and the API.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/plan.h"

const char *const pl_wave_col_names[PL_WAVE_N_COLS] = {
    "wave",    "lane", "environment", "ring",     "window",   "starts_at",
    "ends_at", "tier", "assets",      "findings", "packages", "approval",
};
const enum pl_cell_type pl_wave_col_types[PL_WAVE_N_COLS] = {
    PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
    PL_CELL_TEXT, PL_CELL_INT,  PL_CELL_INT,  PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT,
};

void pl_wave_cells(const struct pl_wave_row *w, struct pl_wave_cells *c)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->seq, sizeof(c->seq), "%d", w->seq);
    snprintf(c->tier, sizeof(c->tier), "%d", w->tier);
    snprintf(c->assets, sizeof(c->assets), "%lld", (long long)w->n_assets);
    snprintf(c->findings, sizeof(c->findings), "%lld", (long long)w->n_findings);
    if (strcmp(w->sign_off, "after-the-fact") == 0)
        snprintf(c->approval, sizeof(c->approval), "%s%s",
                 w->signed_off_by ? "signed off by " : "sign-off pending",
                 w->signed_off_by ? w->signed_off_by : "");
    else if (!w->needs_approval)
        snprintf(c->approval, sizeof(c->approval), "not needed");
    else if (w->rejected_by)
        snprintf(c->approval, sizeof(c->approval), "rejected by %s", w->rejected_by);
    else
        snprintf(c->approval, sizeof(c->approval), "%s%s",
                 w->approved_by ? "approved by " : "pending", w->approved_by ? w->approved_by : "");
    c->v[0] = c->seq;
    c->v[1] = w->lane;
    c->v[2] = w->environment;
    c->v[3] = w->ring_name;
    c->v[4] = w->window_name;
    c->v[5] = pl_time_format(w->starts_at, c->starts);
    c->v[6] = pl_time_format(w->ends_at, c->ends);
    c->v[7] = c->tier;
    c->v[8] = c->assets;
    c->v[9] = c->findings;
    c->v[10] = w->packages;
    c->v[11] = c->approval;
}

const char *const pl_wave_item_col_names[PL_WAVE_ITEM_N_COLS] = {
    "finding", "asset", "vulnerability", "package", "fixed_version",
};
const enum pl_cell_type pl_wave_item_col_types[PL_WAVE_ITEM_N_COLS] = {
    PL_CELL_INT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
};

void pl_wave_item_cells(const struct pl_wave_item_row *it, struct pl_wave_item_cells *c)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->finding, sizeof(c->finding), "%lld", (long long)it->finding_id);
    c->v[0] = c->finding;
    c->v[1] = it->asset_name;
    c->v[2] = it->vuln_id;
    c->v[3] = it->package;
    c->v[4] = it->fixed_version;
}

const char *const pl_forecast_col_names[PL_FORECAST_N_COLS] = {
    "finding", "asset",    "vulnerability", "package", "tier",
    "due_at",  "forecast", "reason",        "detail",  "remedy",
};
const enum pl_cell_type pl_forecast_col_types[PL_FORECAST_N_COLS] = {
    PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_INT,
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
};

void pl_forecast_cells(const struct pl_plan_forecast *f, size_t i, struct pl_forecast_cells *c)
{
    const struct pl_plan_slot *s = &f->r.slots[i];

    memset(c, 0, sizeof(*c));
    snprintf(c->finding, sizeof(c->finding), "%lld", (long long)s->finding_id);
    snprintf(c->tier, sizeof(c->tier), "%d", s->tier);
    c->v[0] = c->finding;
    c->v[1] = pl_plan_asset_name(&f->in, s->asset_id);
    c->v[2] = f->in.findings[i].vuln_id;
    c->v[3] = f->in.findings[i].package;
    c->v[4] = s->tier >= 0 ? c->tier : NULL;
    c->v[5] = s->has_due ? pl_time_format(s->due_at, c->due) : NULL;
    c->v[6] = s->scheduled ? pl_time_format(s->forecast, c->forecast) : "never";
    c->v[7] = pl_plan_reason_name(s->reason);
    c->v[8] = s->detail;
    c->v[9] = pl_plan_reason_remedy(s->reason);
}

pl_status pl_plan_wave_items(struct pl_store *s, int64_t plan_id, int seq,
                             struct pl_wave_item_row **out, size_t *n, struct pl_error *err)
{
    struct pl_wave_row *w = NULL;
    size_t n_w = 0, i;
    pl_status rc;

    *out = NULL;
    *n = 0;
    if ((rc = pl_store_wave_list(s, plan_id, &w, &n_w, err)) != PL_OK)
        return rc;
    for (i = 0; i < n_w && w[i].seq != seq; i++)
        ;
    if (i == n_w)
        rc = pl_error_set(err, PL_E_NOTFOUND, "plan %lld has no wave %d (it has %zu)",
                          (long long)plan_id, seq, n_w);
    else
        rc = pl_store_wave_items(s, w[i].id, out, n, err);
    pl_wave_rows_release(w, n_w);
    return rc;
}
