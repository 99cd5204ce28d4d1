/*
 * sched.c - the scheduler: approval, then stage by stage (dev, staging,
 * production ring by ring) the first usable window, honouring cutoffs,
 * blackouts and max concurrency; Tier 0 in the emergency lane. The plan
 * and the forecast both come from here.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/parse.h"

#include "sched_int.h"

/* ---- occurrences and capacity ------------------------------------------ */

static bool window_serves(const struct pl_plan_window *w, int env, int tier,
                          const struct pl_plan_asset *a)
{
    if (w->env_mask && !(w->env_mask & (1u << env)))
        return false;
    if (tier >= 0 && w->tier_mask && !(w->tier_mask & (1u << tier)))
        return false;
    if (w->tags.n == 0)
        return true;
    for (size_t i = 0; i < w->tags.n; i++)
        for (size_t k = 0; k < a->n_tags; k++)
            if (strcmp(w->tags.v[i], a->tags[k]) == 0)
                return true;
    return false;
}

/* Max assets per occurrence: "N", or "P%" of the assets the window serves. */
static int64_t window_limit(const struct pl_plan_window *w, const struct pl_plan_inputs *in)
{
    const char *mc = w->w.max_concurrency;
    size_t len = strlen(mc);
    int64_t v = 0, served = 0;

    if (len && mc[len - 1] == '%') {
        char num[16];

        memcpy(num, mc, len - 1);
        num[len - 1] = '\0';
        if (pl_parse_i64(num, &v, NULL) != PL_OK || v >= 100)
            return 0;
        for (size_t i = 0; i < in->n_assets; i++) {
            int e = pl__plan_env_of(in->assets[i].environment);

            if (e >= 0 && window_serves(w, e, -1, &in->assets[i]))
                served++;
        }
        v = (served * v + 99) / 100;
        return v < 1 ? 1 : v;
    }
    return pl_parse_i64(mc, &v, NULL) == PL_OK ? v : 0;
}

static pl_status load_occurrences(struct pl__sched *s, size_t wi, struct pl_error *err)
{
    const struct pl_plan_window *w = &s->c->windows[wi];
    struct pl__occs *o = &s->occs[wi];
    pl_time_t after = s->now - w->w.duration_secs;
    size_t cap = 0;

    o->limit = window_limit(w, s->in);
    if (w->immediate)
        return PL_OK;
    while (o->n < PL_MAX_PLAN_OCCURRENCES) {
        pl_time_t batch[256];
        size_t got = 0;
        pl_status rc = pl_plan_window_next(w, after, PL_ARRAY_LEN(batch), batch, &got, err);

        for (size_t i = 0; i < got && o->n < PL_MAX_PLAN_OCCURRENCES && batch[i] <= s->end; i++) {
            o->t = pl_xgrow(o->t, o->n, &cap, 64, sizeof(*o->t));
            o->t[o->n++] = batch[i];
        }
        if (rc == PL_E_NOTFOUND || got == 0 || batch[got - 1] > s->end)
            break;
        if (rc != PL_OK)
            return pl_error_prefix(err, "window '%s'", w->name);
        after = batch[got - 1];
    }
    pl_error_clear(err);
    o->load = pl_xcalloc(o->n ? o->n : 1, sizeof(*o->load));
    return PL_OK;
}

static uint64_t occ_key(size_t w, size_t occ, int64_t asset)
{
    return ((uint64_t)w << 56) ^ ((uint64_t)occ << 36) ^ (uint64_t)asset;
}

static size_t seen_slot(const struct pl__sched *s, uint64_t key)
{
    uint64_t h = (key + 1) * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 20) & (s->seen_cap - 1);

    while (s->seen[i] && s->seen[i] != key + 1)
        i = (i + 1) & (s->seen_cap - 1);
    return i;
}

static bool seen_has(const struct pl__sched *s, uint64_t key)
{
    return s->seen_cap && s->seen[seen_slot(s, key)] == key + 1;
}

static void seen_add(struct pl__sched *s, uint64_t key)
{
    if (2 * (s->seen_n + 1) > s->seen_cap) {
        uint64_t *old = s->seen;
        size_t old_cap = s->seen_cap;

        s->seen_cap = old_cap ? old_cap * 2 : 1024;
        s->seen = pl_xcalloc(s->seen_cap, sizeof(*s->seen));
        for (size_t i = 0; i < old_cap; i++)
            if (old[i])
                s->seen[seen_slot(s, old[i] - 1)] = old[i];
        free(old);
    }
    s->seen[seen_slot(s, key)] = key + 1;
    s->seen_n++;
}

/* ---- placement ------------------------------------------------------------ */

/* First occurrence of window wi usable from `earliest`; false when none. */
static bool find_in_window(struct pl__sched *s, size_t wi, const struct pl__item *it,
                           pl_time_t earliest, bool use_capacity, size_t *occ, pl_time_t *start,
                           bool *capacity_hit)
{
    const struct pl_plan_window *w = &s->c->windows[wi];
    const struct pl__occs *o = &s->occs[wi];
    int64_t asset = s->in->assets[it->asset].id;
    size_t lo = 0, hi = o->n;

    /* the first occurrence that has not ended by `earliest` */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (o->t[mid] + w->w.duration_secs <= earliest)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < o->n; k++) {
        pl_time_t st = o->t[k] > earliest ? o->t[k] : earliest;

        /* no new work within the cutoff of the end */
        if (st >= o->t[k] + w->w.duration_secs - w->w.cutoff_secs)
            continue;
        if (use_capacity && o->limit > 0 && o->load[k] >= o->limit &&
            !seen_has(s, occ_key(wi, k, asset))) {
            *capacity_hit = true;
            continue;
        }
        *occ = k;
        *start = st;
        return true;
    }
    return false;
}

bool pl__sched_find(struct pl__sched *s, const struct pl__item *it, pl_time_t earliest,
                    bool use_capacity, int *window, size_t *occ, pl_time_t *start, pl_time_t *end,
                    bool *capacity_hit)
{
    const struct pl_plan_config *c = s->c;
    bool found = false;

    if (it->emergency && c->emergency_window < 0) {
        *window = -1;
        *occ = 0;
        *start = earliest;
        *end = earliest + c->emergency_duration_secs;
        return true;
    }
    for (size_t wi = 0; wi < c->n_windows; wi++) {
        size_t k;
        pl_time_t st;

        if (it->emergency
                ? (int)wi != c->emergency_window
                : !window_serves(&c->windows[wi], it->env, it->tier, &s->in->assets[it->asset]))
            continue;
        if (c->windows[wi].immediate) {
            k = 0;
            st = earliest;
        } else if (!find_in_window(s, wi, it, earliest, use_capacity && !it->emergency, &k, &st,
                                   capacity_hit)) {
            continue;
        }
        if (!found || st < *start) {
            found = true;
            *window = (int)wi;
            *occ = k;
            *start = st;
            *end = c->windows[wi].immediate ? st + c->windows[wi].w.duration_secs
                                            : s->occs[wi].t[k] + c->windows[wi].w.duration_secs;
        }
    }
    return found;
}

/* Does any window serve this item at all? */
static bool any_window(const struct pl__sched *s, const struct pl__item *it)
{
    if (it->emergency)
        return true;
    for (size_t wi = 0; wi < s->c->n_windows; wi++)
        if (window_serves(&s->c->windows[wi], it->env, it->tier, &s->in->assets[it->asset]))
            return true;
    return false;
}

static void place(struct pl__sched *s, struct pl__item *it, pl_time_t gate)
{
    pl_time_t earliest = it->approve_at > gate ? it->approve_at : gate;
    bool cap_hit = false;

    it->gate = gate;
    if (!any_window(s, it)) {
        it->reason = PL_REASON_UNMANAGED;
        return;
    }
    if (!pl__sched_find(s, it, earliest, true, &it->window, &it->occ, &it->start, &it->end,
                        &cap_hit)) {
        it->reason = cap_hit ? PL_REASON_CAPACITY : PL_REASON_BEYOND;
        return;
    }
    it->placed = true;
    if (it->window >= 0 && !s->c->windows[it->window].immediate && !it->emergency) {
        uint64_t key = occ_key((size_t)it->window, it->occ, s->in->assets[it->asset].id);

        if (!seen_has(s, key)) {
            seen_add(s, key);
            s->occs[it->window].load[it->occ]++;
        }
    }
}

/* The hold after a stage: soak after staging, the ring's watch in prod. */
static int64_t stage_hold(const struct pl__sched *s, const struct pl__item *it, int ring,
                          bool first_prod_ring)
{
    const struct pl_plan_ring *r;
    const struct pl_plan_ring *canary = &s->c->rings[0];
    int64_t h;

    if (it->env == PL_PLAN_ENV_DEV)
        return 0;
    if (it->env == PL_PLAN_ENV_STAGING)
        return s->c->soak_secs[it->tier];
    r = &s->c->rings[ring];
    h = it->high_risk ? r->high_risk_watch_secs : r->watch_secs;
    if (first_prod_ring) {
        int64_t cw = it->high_risk ? canary->high_risk_watch_secs : canary->watch_secs;

        h = cw > h ? cw : h; /* the first ring that has assets is the canary */
    }
    return h;
}

/*
 * One rollout: items [from, to) share package, fixed version and tier and
 * are sorted by stage (environment, ring) then asset.
 */
static void place_rollout(struct pl__sched *s, size_t from, size_t to)
{
    pl_time_t gate = s->now;
    bool prod_started = false;
    size_t i = from;

    while (i < to) {
        int env = s->items[i].env, ring = s->items[i].ring;
        pl_time_t last = 0;
        bool any = false;
        size_t j = i;
        int64_t hold;

        for (; j < to && s->items[j].env == env && s->items[j].ring == ring; j++) {
            if (s->items[j].reason != PL_REASON_NONE)
                continue;
            place(s, &s->items[j], gate);
            if (s->items[j].placed) {
                /* the next stage waits for the end of this one's waves, then the hold */
                last = any && last > s->items[j].end ? last : s->items[j].end;
                any = true;
            }
        }
        hold = stage_hold(s, &s->items[i], ring < 0 ? 0 : ring,
                          env == PL_PLAN_ENV_PROD && !prod_started);
        for (size_t k = i; k < j; k++)
            s->items[k].hold = hold;
        if (any && !s->items[i].emergency) {
            gate = last + hold;
            prod_started = prod_started || env == PL_PLAN_ENV_PROD;
        }
        i = j;
    }
}

static int item_cmp(const void *pa, const void *pb)
{
    const struct pl__item *a = pa, *b = pb;
    int c;

    if (a->tier != b->tier)
        return a->tier < b->tier ? -1 : 1;
    if ((c = strcmp(a->package, b->package)) != 0 || (c = strcmp(a->fixed, b->fixed)) != 0)
        return c;
    if (a->env != b->env)
        return a->env < b->env ? -1 : 1;
    if (a->ring != b->ring)
        return a->ring < b->ring ? -1 : 1;
    return a->asset < b->asset ? -1 : a->asset > b->asset;
}

void pl__sched_place_all(struct pl__sched *s)
{
    size_t *remap = pl_xcalloc(s->n_items ? s->n_items : 1, sizeof(*remap));
    size_t i = 0;

    for (size_t k = 0; k < s->n_items; k++)
        s->items[k].orig = k;
    qsort(s->items, s->n_items, sizeof(*s->items), item_cmp);
    for (size_t k = 0; k < s->n_items; k++)
        remap[s->items[k].orig] = k;
    for (size_t f = 0; f < s->in->n_findings; f++)
        if (s->item_of[f] != SIZE_MAX)
            s->item_of[f] = remap[s->item_of[f]];
    free(remap);
    while (i < s->n_items) {
        size_t j = i + 1;

        while (j < s->n_items && s->items[j].tier == s->items[i].tier &&
               strcmp(s->items[j].package, s->items[i].package) == 0 &&
               strcmp(s->items[j].fixed, s->items[i].fixed) == 0)
            j++;
        place_rollout(s, i, j);
        i = j;
    }
}

pl_status pl__sched_occurrences(struct pl__sched *s, struct pl_error *err)
{
    pl_status rc;

    s->occs = pl_xcalloc(s->c->n_windows ? s->c->n_windows : 1, sizeof(*s->occs));
    for (size_t wi = 0; wi < s->c->n_windows; wi++)
        if ((rc = load_occurrences(s, wi, err)) != PL_OK)
            return rc;
    return PL_OK;
}
