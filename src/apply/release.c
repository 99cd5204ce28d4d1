/*
 * release.c - the release gate of the next ring: a production wave of ring 2
 * or later runs (or is handed off) only after the previous ring that carried
 * its versions passed its watch with every host reporting healthy (or the
 * failures at or under that ring's halt-failure-rate).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/apply.h"
#include "patchline/buf.h"
#include "patchline/store.h"
#include "patchline/store_jobs.h"

/* Hosts named in a reason before "and N more". */
#define NAMED_HOSTS 8

const char *pl_release_state_name(enum pl_release_state st)
{
    switch (st) {
    case PL_RELEASE_OPEN:
        return "released";
    case PL_RELEASE_WATCHING:
        return "watching";
    case PL_RELEASE_AWAITING:
        return "awaiting results";
    case PL_RELEASE_FAILED:
        return "failed";
    }
    return "?";
}

/* The versions (package=fixed) one wave carries, sorted and unique. */
struct versions {
    char **v;
    size_t n;
};

struct gate {
    struct pl_store *s;
    int64_t plan_id;
    pl_time_t now;
    struct pl_wave_row *rows;
    size_t n;
    struct versions *vers; /* per row; empty outside gated production rings */
    struct pl_release *rel;
};

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A production wave of the standard lane (rings 1 and later). */
static bool prod_ring(const struct pl_wave_row *r)
{
    return strcmp(r->environment, "prod") == 0 && strcmp(r->lane, "standard") == 0 && r->ring > 0;
}

static pl_status load_versions(struct gate *g, size_t i, struct pl_error *err)
{
    struct pl_wave_item_row *it = NULL;
    struct versions *v = &g->vers[i];
    size_t ni = 0, k = 0;
    pl_status rc = pl_store_wave_items(g->s, g->rows[i].id, &it, &ni, err);

    if (rc != PL_OK)
        return rc;
    v->v = pl_xcalloc(ni + 1, sizeof(*v->v));
    for (size_t j = 0; j < ni; j++) {
        struct pl_buf b = PL_BUF_INIT(0);
        pl_buf_addf(&b, "%s=%s", it[j].package, it[j].fixed_version);
        v->v[v->n++] = pl_buf_detach(&b, NULL);
    }
    qsort(v->v, v->n, sizeof(*v->v), str_cmp);
    for (size_t j = 0; j < v->n; j++) {
        if (k && strcmp(v->v[k - 1], v->v[j]) == 0) {
            free(v->v[j]);
            continue;
        }
        v->v[k++] = v->v[j];
    }
    v->n = k;
    pl_wave_item_rows_release(it, ni);
    return PL_OK;
}

static bool carries(const struct versions *v, const char *ver)
{
    return bsearch(&ver, v->v, v->n, sizeof(*v->v), str_cmp) != NULL;
}

/* Worse states win: failed > awaiting > watching > open. */
static int rank(enum pl_release_state st)
{
    return st == PL_RELEASE_FAILED     ? 3
           : st == PL_RELEASE_AWAITING ? 2
           : st == PL_RELEASE_WATCHING ? 1
                                       : 0;
}

static void set(struct pl_release *w, enum pl_release_state st, int after, const struct pl_buf *why)
{
    if (rank(st) <= rank(w->state))
        return;
    w->state = st;
    w->after = after;
    if (snprintf(w->reason, sizeof(w->reason), "%s", pl_buf_cstr(why)) >= (int)sizeof(w->reason))
        memcpy(w->reason + sizeof(w->reason) - 4, "...", 4);
}

static void name_hosts(struct pl_buf *b, const struct pl_wave_result_list *l, bool failed)
{
    size_t named = 0, more = 0;

    for (size_t i = 0; i < l->n; i++) {
        const struct pl_wave_result *r = &l->items[i];
        bool bad = r->outcome && strcmp(r->outcome, "healthy") != 0;

        if (failed ? !bad : r->outcome != NULL)
            continue;
        if (named == NAMED_HOSTS) {
            more++;
            continue;
        }
        pl_buf_adds(b, named++ ? ", " : "");
        if (failed)
            pl_buf_addf(b, "%s (%s%s%s)", r->asset, r->outcome, r->detail ? ": " : "",
                        r->detail ? r->detail : "");
        else
            pl_buf_adds(b, r->asset);
    }
    if (more)
        pl_buf_addf(b, " and %zu more", more);
}

/* Judge wave p (released) as the previous ring of wave w. */
static pl_status judge(struct gate *g, size_t w, size_t p, struct pl_error *err)
{
    const struct pl_wave_row *pr = &g->rows[p];
    struct pl_wave_result_list l = {NULL, 0};
    struct pl_buf why = PL_BUF_INIT(0);
    size_t bad = 0, missing = 0;
    double rate = pr->halt_failure_rate < 0 ? 0.0 : pr->halt_failure_rate;
    pl_time_t watch_end = pr->ends_at + pr->watch_secs;
    char at[PL_TIME_STR_LEN];
    pl_status rc;

    if ((rc = pl_store_wave_results(g->s, g->plan_id, pr->seq, &l, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < l.n; i++) {
        missing += l.items[i].outcome == NULL;
        bad += l.items[i].outcome && strcmp(l.items[i].outcome, "healthy") != 0;
    }
    pl_buf_addf(&why, "wave %d (prod ring %s) ", pr->seq, pr->ring_name ? pr->ring_name : "?");
    if (bad && (double)bad / (double)l.n > rate) {
        pl_buf_addf(&why, "failed: %zu of %zu hosts failed (%.0f%% > %.0f%%): ", bad, l.n,
                    100.0 * (double)bad / (double)l.n, 100.0 * rate);
        name_hosts(&why, &l, true);
        set(&g->rel[w], PL_RELEASE_FAILED, pr->seq, &why);
    } else if (g->now < watch_end) {
        pl_buf_addf(&why, "is watched until %s (%zu of %zu hosts reported)",
                    pl_time_format(watch_end, at), l.n - missing, l.n);
        set(&g->rel[w], PL_RELEASE_WATCHING, pr->seq, &why);
    } else if (missing) {
        pl_buf_addf(&why, "has no results from %zu of its %zu hosts after its watch (ended %s): ",
                    missing, l.n, pl_time_format(watch_end, at));
        name_hosts(&why, &l, false);
        set(&g->rel[w], PL_RELEASE_AWAITING, pr->seq, &why);
    }
    pl_buf_release(&why);
    pl_wave_result_list_release(&l);
    return PL_OK;
}

/* The previous ring of wave w for version ver: the highest ring below w's that carried it. */
static int previous_ring(const struct gate *g, size_t w, const char *ver)
{
    int best = 0;

    for (size_t p = 0; p < w; p++)
        if (prod_ring(&g->rows[p]) && g->rows[p].ring < g->rows[w].ring && g->rows[p].ring > best &&
            g->rows[p].starts_at < g->rows[w].starts_at && carries(&g->vers[p], ver))
            best = g->rows[p].ring;
    return best;
}

static pl_status gate_wave(struct gate *g, size_t w, struct pl_error *err)
{
    bool *prev = pl_xcalloc(w + 1, sizeof(*prev));
    pl_status rc = PL_OK;

    for (size_t k = 0; k < g->vers[w].n; k++) {
        const char *ver = g->vers[w].v[k];
        int ring = previous_ring(g, w, ver);

        for (size_t p = 0; ring && p < w; p++)
            if (prod_ring(&g->rows[p]) && g->rows[p].ring == ring &&
                g->rows[p].starts_at < g->rows[w].starts_at && carries(&g->vers[p], ver))
                prev[p] = true;
    }
    for (size_t p = 0; p < w && rc == PL_OK; p++) {
        if (!prev[p])
            continue;
        if (g->rel[p].state != PL_RELEASE_OPEN) {
            /* held behind a held ring: the same state, naming the wave it waits for */
            struct pl_buf why = PL_BUF_INIT(0);
            pl_buf_addf(&why, "wave %d is held: %s", g->rows[p].seq, g->rel[p].reason);
            set(&g->rel[w], g->rel[p].state, g->rel[p].after, &why);
            pl_buf_release(&why);
        } else {
            rc = judge(g, w, p, err);
        }
    }
    free(prev);
    return rc;
}

pl_status pl_apply_release(struct pl_store *s, int64_t plan_id, pl_time_t now,
                           struct pl_release **out, size_t *n, struct pl_error *err)
{
    struct gate g = {.s = s, .plan_id = plan_id, .now = now};
    struct pl_plan_row plan;
    pl_status rc;

    if ((rc = pl_store_plan_get(s, plan_id, &plan, err)) != PL_OK)
        return rc;
    pl_plan_row_release(&plan);
    if ((rc = pl_store_wave_list(s, plan_id, &g.rows, &g.n, err)) != PL_OK)
        return rc;
    g.vers = pl_xcalloc(g.n + 1, sizeof(*g.vers));
    g.rel = pl_xcalloc(g.n + 1, sizeof(*g.rel));
    for (size_t i = 0; i < g.n && rc == PL_OK; i++) {
        g.rel[i].seq = g.rows[i].seq;
        if (prod_ring(&g.rows[i]))
            rc = load_versions(&g, i, err);
    }
    for (size_t i = 0; i < g.n && rc == PL_OK; i++)
        if (prod_ring(&g.rows[i]) && g.rows[i].ring > 1)
            rc = gate_wave(&g, i, err);
    for (size_t i = 0; i < g.n; i++) {
        for (size_t k = 0; k < g.vers[i].n; k++)
            free(g.vers[i].v[k]);
        free(g.vers[i].v);
    }
    free(g.vers);
    pl_wave_rows_release(g.rows, g.n);
    if (rc != PL_OK) {
        free(g.rel);
        return rc;
    }
    *out = g.rel;
    *n = g.n;
    return PL_OK;
}
