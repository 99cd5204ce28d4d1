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

bool pl__plan_sched_find(struct pl__sched *s, const struct pl__item *it, pl_time_t earliest,
                         bool use_capacity, int *window, size_t *occ, pl_time_t *start,
                         pl_time_t *end, bool *capacity_hit)
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
    if (!pl__plan_sched_find(s, it, earliest, true, &it->window, &it->occ, &it->start, &it->end,
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

/* The canary watch of the pilot ring (ring 0) for item it. */
static int64_t canary_watch(const struct pl__sched *s, const struct pl__item *it)
{
    const struct pl_plan_ring *canary = &s->c->rings[0];

    return it->high_risk ? canary->high_risk_watch_secs : canary->watch_secs;
}

/* The hold after a production ring: its watch; the pilot ring is the canary. */
static int64_t ring_hold(const struct pl__sched *s, const struct pl__item *it, int ring)
{
    const struct pl_plan_ring *r = &s->c->rings[ring];
    int64_t h = it->high_risk ? r->high_risk_watch_secs : r->watch_secs;
    int64_t cw = canary_watch(s, it);

    return ring == 0 && cw > h ? cw : h;
}

static bool waived(const struct pl__sched *s, const char *package, const char *fixed)
{
    for (size_t i = 0; i < s->in->n_waivers; i++)
        if (strcmp(s->in->waivers[i].package, package) == 0 &&
            strcmp(s->in->waivers[i].version, fixed) == 0)
            return true;
    return false;
}

/* Tier 0: every item of the rollout in the emergency lane at once, no soak, no canary. */
static void place_emergency(struct pl__sched *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (s->items[i].reason == PL_REASON_NONE)
            place(s, &s->items[i], s->now);
}

/*
 * One version: items [from, to) share package and fixed version (any tier
 * outside the emergency lane) and are sorted by stage (environment, ring)
 * then asset. Promotion holds per version: production takes it only after
 * the end of its staging waves plus the soak of each item's tier (or with a
 * recorded waiver when no staging asset runs it), the pilot ring first (the
 * canary, then its watch); a version no pilot asset runs waits the canary
 * watch after the soak before its first production ring.
 */
static void place_rollout(struct pl__sched *s, size_t from, size_t to)
{
    pl_time_t gate = s->now, staged = 0;
    bool staged_any = false, prod_started = false;
    bool waiver = waived(s, s->items[from].package, s->items[from].fixed);
    size_t i = from;

    while (i < to) {
        int env = s->items[i].env, ring = s->items[i].ring;
        pl_time_t last = 0;
        bool any = false, first_prod = env == PL_PLAN_ENV_PROD && !prod_started;
        /* not staged (or staging could not be placed) and no waiver: production waits */
        bool held = first_prod && !staged_any && !waiver;
        size_t j = i;

        for (; j < to && s->items[j].env == env && s->items[j].ring == ring; j++) {
            struct pl__item *it = &s->items[j];
            pl_time_t g = gate;

            if (it->reason != PL_REASON_NONE)
                continue;
            if (held) {
                it->reason = PL_REASON_NO_STAGING;
                continue;
            }
            if (env == PL_PLAN_ENV_PROD) {
                /* the version's staging end plus this item's soak; no pilot asset: no canary ran */
                pl_time_t need = (staged_any ? staged + s->c->soak_secs[it->tier] : gate) +
                                 (first_prod && ring > 0 ? canary_watch(s, it) : 0);

                g = need > g ? need : g;
            }
            place(s, it, g);
            it->hold = env == PL_PLAN_ENV_DEV       ? 0
                       : env == PL_PLAN_ENV_STAGING ? s->c->soak_secs[it->tier]
                                                    : ring_hold(s, it, ring < 0 ? 0 : ring);
            if (it->placed) {
                /* the next stage waits for the end of this one's waves, then the hold */
                last = any && last > it->end ? last : it->end;
                any = true;
            }
        }
        if (any && env == PL_PLAN_ENV_STAGING) {
            staged = last;
            staged_any = true;
            gate = last; /* each production item adds its own tier's soak */
        } else if (any && env == PL_PLAN_ENV_PROD) {
            gate = last + ring_hold(s, &s->items[i], ring < 0 ? 0 : ring);
            prod_started = true;
        } else if (any) {
            gate = last;
        }
        i = j;
    }
}

/* Emergency items first, then versions most urgent first, each by stage then asset. */
static int item_cmp(const void *pa, const void *pb)
{
    const struct pl__item *a = pa, *b = pb;
    int c;

    if (a->emergency != b->emergency)
        return a->emergency ? -1 : 1;
    if (a->vtier != b->vtier)
        return a->vtier < b->vtier ? -1 : 1;
    if ((c = strcmp(a->package, b->package)) != 0 || (c = strcmp(a->fixed, b->fixed)) != 0)
        return c;
    if (a->env != b->env)
        return a->env < b->env ? -1 : 1;
    if (a->ring != b->ring)
        return a->ring < b->ring ? -1 : 1;
    return a->asset < b->asset ? -1 : a->asset > b->asset;
}

/* Same rollout: the emergency lane per (tier 0) version, else per version. */
static bool same_rollout(const struct pl__item *a, const struct pl__item *b)
{
    return a->emergency == b->emergency && strcmp(a->package, b->package) == 0 &&
           strcmp(a->fixed, b->fixed) == 0;
}

static int version_cmp(const void *pa, const void *pb)
{
    const struct pl__item *a = pa, *b = pb;
    int c;

    if (a->emergency != b->emergency)
        return a->emergency ? -1 : 1;
    if ((c = strcmp(a->package, b->package)) != 0)
        return c;
    return strcmp(a->fixed, b->fixed);
}

/* Each item's vtier: the most urgent tier among the items of its rollout. */
static void version_tiers(struct pl__sched *s)
{
    size_t i = 0;

    qsort(s->items, s->n_items, sizeof(*s->items), version_cmp);
    while (i < s->n_items) {
        size_t j = i;
        int t = s->items[i].tier;

        while (j < s->n_items && same_rollout(&s->items[j], &s->items[i])) {
            t = s->items[j].tier < t ? s->items[j].tier : t;
            j++;
        }
        for (size_t k = i; k < j; k++)
            s->items[k].vtier = t;
        i = j;
    }
}

void pl__plan_sched_place_all(struct pl__sched *s)
{
    size_t *remap = pl_xcalloc(s->n_items ? s->n_items : 1, sizeof(*remap));
    size_t i = 0;

    for (size_t k = 0; k < s->n_items; k++)
        s->items[k].orig = k;
    version_tiers(s);
    qsort(s->items, s->n_items, sizeof(*s->items), item_cmp);
    for (size_t k = 0; k < s->n_items; k++)
        remap[s->items[k].orig] = k;
    for (size_t f = 0; f < s->in->n_findings; f++)
        if (s->item_of[f] != SIZE_MAX)
            s->item_of[f] = remap[s->item_of[f]];
    free(remap);
    while (i < s->n_items) {
        size_t j = i + 1;

        while (j < s->n_items && same_rollout(&s->items[j], &s->items[i]))
            j++;
        if (s->items[i].emergency)
            place_emergency(s, i, j);
        else
            place_rollout(s, i, j);
        i = j;
    }
}

pl_status pl__plan_sched_occurrences(struct pl__sched *s, struct pl_error *err)
{
    pl_status rc;

    s->occs = pl_xcalloc(s->c->n_windows ? s->c->n_windows : 1, sizeof(*s->occs));
    for (size_t wi = 0; wi < s->c->n_windows; wi++)
        if ((rc = load_occurrences(s, wi, err)) != PL_OK)
            return rc;
    return PL_OK;
}
