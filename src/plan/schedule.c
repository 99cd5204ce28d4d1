/*
 * schedule.c - pl_plan_schedule: findings to items (asset x package x
 * fixed version), approval dates, then placement (sched.c) and waves
 * (waves.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_int.h"

struct fref {
    size_t f;
    int64_t asset;
    const char *package, *fixed;
};

static int fref_cmp(const void *pa, const void *pb)
{
    const struct fref *a = pa, *b = pb;
    int c;

    if (a->asset != b->asset)
        return a->asset < b->asset ? -1 : 1;
    if ((c = strcmp(a->package, b->package)) != 0 || (c = strcmp(a->fixed, b->fixed)) != 0)
        return c;
    return a->f < b->f ? -1 : a->f > b->f;
}

static size_t asset_index(const struct pl_plan_inputs *in, int64_t id)
{
    size_t lo = 0, hi = in->n_assets;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (in->assets[mid].id == id)
            return mid;
        if (in->assets[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

/* When the package of a finding is approved; *manual when a person must. */
static pl_time_t approval_date(const struct pl_plan_config *c, int tier, pl_time_t first_seen,
                               const char *package, pl_time_t now, bool *manual)
{
    *manual = false;
    if (pl_plan_glob_match(&c->approved, package) || (tier == 0 && c->tier0_preapproved))
        return first_seen;
    for (size_t i = 0; i < c->n_rules; i++) {
        const struct pl_approval_rule *r = &c->rules[i];

        if (!(r->tier_mask & (1u << tier)))
            continue;
        if (r->mode == PL_APPROVE_AFTER_DAYS)
            return first_seen + (int64_t)r->after_days * 86400;
        if (r->mode == PL_APPROVE_UNTIL_DATE && first_seen <= r->until)
            return first_seen;
        break;
    }
    *manual = true;
    return now;
}

/* Set the slot's facts; false (with a reason) when it cannot be scheduled. */
static bool check_finding(const struct pl__sched *s, size_t f, size_t a, struct pl_plan_slot *sl)
{
    const struct pl_plan_finding *fd = &s->in->findings[f];
    const struct pl_plan_asset *as = a == SIZE_MAX ? NULL : &s->in->assets[a];
    int n = 0;

    sl->finding_id = fd->id;
    sl->asset_id = fd->asset_id;
    sl->tier = fd->tier;
    sl->has_due = fd->has_due;
    sl->due_at = fd->due_at;
    sl->wave = -1;
    if (fd->tier < 0 || fd->tier >= PL_PLAN_TIERS) {
        sl->reason = PL_REASON_UNTIERED;
        n = snprintf(sl->detail, sizeof(sl->detail), "no tier yet");
    } else if (fd->fixed_version == NULL || !fd->fixed_version[0]) {
        sl->reason = PL_REASON_NO_FIX;
        n = snprintf(sl->detail, sizeof(sl->detail), "no fixed version of '%.64s' yet",
                     fd->package);
    } else if (as == NULL || as->owner == NULL || !as->owner[0]) {
        sl->reason = PL_REASON_UNMANAGED;
        n = snprintf(sl->detail, sizeof(sl->detail), "asset '%.64s' has no owner",
                     as ? as->name : "?");
    } else if (pl__plan_env_of(as->environment) < 0) {
        sl->reason = PL_REASON_UNMANAGED;
        n = snprintf(sl->detail, sizeof(sl->detail), "asset '%.64s' has no environment", as->name);
    } else if (pl_plan_glob_match(&s->c->rejected, fd->package)) {
        sl->reason = PL_REASON_REJECTED;
        n = snprintf(sl->detail, sizeof(sl->detail), "package '%.64s' is rejected by the plan",
                     fd->package);
    }
    if (n < 0 || n >= (int)sizeof(sl->detail))
        sl->detail[sizeof(sl->detail) - 1] = '\0'; /* cut: only a message */
    return sl->reason == PL_REASON_NONE;
}

static void init_item(struct pl__sched *s, struct pl__item *it, const struct fref *r, size_t a)
{
    const struct pl_plan_config *c = s->c;
    const struct pl_plan_asset *as = &s->in->assets[a];

    memset(it, 0, sizeof(*it));
    it->asset = a;
    it->package = r->package;
    it->fixed = r->fixed;
    it->tier = s->in->findings[r->f].tier;
    it->first_seen = s->in->findings[r->f].first_seen;
    it->env = pl__plan_env_of(as->environment);
    it->high_risk = pl_plan_glob_match(&c->high_risk, r->package);
    it->window = -1;
    it->wave = -1;
}

/* Group the schedulable findings into items. */
static void build_items(struct pl__sched *s, struct pl_plan_result *out)
{
    const struct pl_plan_inputs *in = s->in;
    struct fref *refs = pl_xcalloc(in->n_findings ? in->n_findings : 1, sizeof(*refs));
    size_t n = 0;

    for (size_t f = 0; f < in->n_findings; f++) {
        size_t a = asset_index(in, in->findings[f].asset_id);

        s->item_of[f] = SIZE_MAX;
        if (check_finding(s, f, a, &out->slots[f]))
            refs[n++] = (struct fref){f, in->findings[f].asset_id, in->findings[f].package,
                                      in->findings[f].fixed_version};
    }
    qsort(refs, n, sizeof(*refs), fref_cmp);
    s->items = pl_xcalloc(n ? n : 1, sizeof(*s->items));
    for (size_t i = 0; i < n; i++) {
        struct pl__item *it;
        const struct pl_plan_finding *fd = &in->findings[refs[i].f];

        if (i == 0 || fref_cmp(&(struct fref){0, refs[i].asset, refs[i].package, refs[i].fixed},
                               &(struct fref){0, refs[i - 1].asset, refs[i - 1].package,
                                              refs[i - 1].fixed}) != 0)
            init_item(s, &s->items[s->n_items++], &refs[i], asset_index(in, refs[i].asset));
        it = &s->items[s->n_items - 1];
        if (fd->tier < it->tier)
            it->tier = fd->tier;
        if (fd->first_seen < it->first_seen)
            it->first_seen = fd->first_seen;
        s->item_of[refs[i].f] = s->n_items - 1;
    }
    for (size_t i = 0; i < s->n_items; i++) {
        struct pl__item *it = &s->items[i];
        const struct pl_plan_asset *as = &in->assets[it->asset];

        it->emergency = it->tier == 0;
        it->ring = it->env == PL_PLAN_ENV_PROD && !it->emergency
                       ? (int)pl_plan_ring_of(s->c, as->id, as->tags, as->n_tags)
                       : -1;
        it->approve_at =
            approval_date(s->c, it->tier, it->first_seen, it->package, s->now, &it->manual);
    }
    free(refs);
}

pl_status pl_plan_schedule(const struct pl_plan_config *c, const struct pl_plan_inputs *in,
                           pl_time_t now, struct pl_plan_result *out, struct pl_error *err)
{
    struct pl__sched s = {.c = c, .in = in, .now = now};
    pl_status rc;

    if (in->n_findings > PL_MAX_PLAN_FINDINGS)
        return pl_error_set(err, PL_E_TOOBIG, "%zu open findings over the limit of %d",
                            in->n_findings, PL_MAX_PLAN_FINDINGS);
    s.end = now + (int64_t)PL_PLAN_SEARCH_DAYS * 86400;
    memset(out, 0, sizeof(*out));
    out->now = now;
    out->n_slots = in->n_findings;
    out->slots = pl_xcalloc(in->n_findings ? in->n_findings : 1, sizeof(*out->slots));
    s.item_of = pl_xcalloc(in->n_findings ? in->n_findings : 1, sizeof(*s.item_of));
    build_items(&s, out);
    if ((rc = pl__plan_sched_occurrences(&s, err)) == PL_OK) {
        pl__plan_sched_place_all(&s);
        pl__plan_sched_finish(&s, out);
    } else {
        pl_plan_result_release(out);
    }
    for (size_t wi = 0; s.occs && wi < c->n_windows; wi++) {
        free(s.occs[wi].t);
        free(s.occs[wi].load);
    }
    free(s.occs);
    free(s.items);
    free(s.item_of);
    free(s.seen);
    return rc;
}

void pl_plan_result_release(struct pl_plan_result *r)
{
    free(r->waves);
    free(r->slots);
    memset(r, 0, sizeof(*r));
}
