/*
 * build.c - storing a schedule as a plan, and approvals / sign-offs with
 * the four-eyes rule (the approver is never the requester).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/escape.h"
#include "patchline/store_notify.h"

#include "plan_int.h"

/* An argv as a JSON array, or NULL when empty; caller frees. */
static char *argv_json(const struct pl_strv *v)
{
    struct pl_buf b = PL_BUF_INIT(0);

    if (v->n == 0)
        return NULL;
    pl_buf_addch(&b, '[');
    for (size_t i = 0; i < v->n; i++) {
        if (i)
            pl_buf_adds(&b, ", ");
        pl_escape_json_quoted(&b, v->v[i]);
    }
    pl_buf_addch(&b, ']');
    return pl_buf_detach(&b, NULL);
}

static void wave_row(const struct pl_plan_config *c, const struct pl_plan_wave *w, int64_t plan_id,
                     int seq, struct pl_wave_row *r)
{
    const struct pl_plan_ring *ring =
        w->ring > 0 ? &c->rings[w->ring - 1] : (w->emergency ? &c->rings[0] : NULL);

    r->plan_id = plan_id;
    r->seq = seq;
    r->lane = pl_xstrdup(w->emergency ? "emergency" : "standard");
    r->environment = pl_xstrdup(pl_plan_env_name(w->env));
    r->ring = w->ring;
    r->ring_name = w->ring > 0 ? pl_xstrdup(ring->name) : (w->emergency ? pl_xstrdup("all") : NULL);
    r->window_name = pl_xstrdup(w->window >= 0 ? c->windows[w->window].name : "immediately");
    r->starts_at = w->start;
    r->ends_at = w->end;
    r->tier = w->tier;
    r->needs_approval = w->needs_approval;
    r->sign_off = pl_xstrdup(
        !w->emergency ? "none" : (c->emergency_sign_off_before ? "before" : "after-the-fact"));
    r->watch_secs = w->watch_secs;
    r->halt_failure_rate = ring ? ring->halt_failure_rate : -1.0;
    r->max_errors = w->window >= 0 ? pl_xstrdup(c->windows[w->window].w.max_errors) : NULL;
    r->health_check = ring ? argv_json(&ring->health_check) : NULL;
    r->regression_test = argv_json(&c->regression[w->env]);
}

/* Slot indexes grouped by wave (counting sort): wave w owns order[first[w] .. first[w + 1]). */
static void by_wave(const struct pl_plan_result *res, size_t **order, size_t **first)
{
    size_t *f = pl_xcalloc(res->n_waves + 2, sizeof(*f));
    size_t *o = pl_xcalloc(res->n_slots ? res->n_slots : 1, sizeof(*o));

    for (size_t i = 0; i < res->n_slots; i++)
        if (res->slots[i].wave >= 0)
            f[res->slots[i].wave + 2]++;
    for (size_t w = 2; w < res->n_waves + 2; w++)
        f[w] += f[w - 1];
    for (size_t i = 0; i < res->n_slots; i++)
        if (res->slots[i].wave >= 0)
            o[f[res->slots[i].wave + 1]++] = i;
    *order = o;
    *first = f;
}

static pl_status store_waves(struct pl_store *s, const struct pl_plan_config *c,
                             const struct pl_plan_inputs *in, const struct pl_plan_result *res,
                             int64_t plan_id, pl_time_t horizon_end, struct pl_error *err)
{
    size_t *order = NULL, *first = NULL;
    pl_status rc = PL_OK;
    int seq = 0;

    by_wave(res, &order, &first);
    for (size_t wi = 0; rc == PL_OK && wi < res->n_waves; wi++) {
        const struct pl_plan_wave *w = &res->waves[wi];
        struct pl_wave_row *r;
        int64_t wave_id = 0;

        if (w->start >= horizon_end)
            continue;
        r = pl_xcalloc(1, sizeof(*r));
        wave_row(c, w, plan_id, ++seq, r);
        rc = pl_store_wave_insert(s, r, &wave_id, err);
        pl_wave_rows_release(r, 1);
        for (size_t k = first[wi]; rc == PL_OK && k < first[wi + 1]; k++) {
            const struct pl_plan_finding *fd = &in->findings[order[k]];
            struct pl_wave_item_row it = {
                fd->id, fd->asset_id, NULL, fd->vuln_id, fd->package, fd->fixed_version,
                NULL,   NULL,         NULL, NULL};

            rc = pl_store_wave_item_insert(s, wave_id, &it, err);
        }
    }
    free(order);
    free(first);
    return rc;
}

pl_status pl_plan_build(struct pl_store *s, const struct pl_plan_config *c, pl_time_t now,
                        int64_t horizon_secs, int64_t *plan_id, struct pl_plan_result *res,
                        struct pl_error *err)
{
    struct pl_plan_inputs in = {NULL, 0, NULL, 0, NULL, 0};
    struct pl_plan_result r = {0};
    struct pl_plan_row row = {0};
    char detail[96];
    pl_status rc;

    if ((rc = pl_store_plan_inputs(s, &in, err)) != PL_OK)
        return rc;
    if ((rc = pl_plan_schedule(c, &in, now, &r, err)) != PL_OK)
        goto out;
    row.requester = pl_xstrdup(pl_store_actor());
    row.source = pl_xstrdup(c->source);
    row.sha256 = pl_xstrdup(c->sha256);
    row.horizon_secs = horizon_secs;
    for (size_t f = 0; f < r.n_slots; f++)
        row.n_findings += r.slots[f].scheduled && r.slots[f].forecast < now + horizon_secs;
    row.n_misses = (int64_t)r.n_misses;
    if ((rc = pl_store_plan_insert(s, &row, plan_id, err)) != PL_OK ||
        (rc = store_waves(s, c, &in, &r, *plan_id, now + horizon_secs, err)) != PL_OK ||
        (rc = pl_store_notify_enqueue(s, now, NULL, err)) != PL_OK) /* approval waiting */
        goto out;
    if (snprintf(detail, sizeof(detail), "plan %lld: %lld findings, %lld will miss",
                 (long long)*plan_id, (long long)row.n_findings,
                 (long long)row.n_misses) >= (int)sizeof(detail))
        detail[sizeof(detail) - 1] = '\0';
    rc = pl_store_audit(s, "plan.build", c->source, detail, err);
out:
    pl_plan_row_release(&row);
    if (rc == PL_OK && res)
        *res = r;
    else
        pl_plan_result_release(&r);
    pl_plan_inputs_release(&in);
    return rc;
}
