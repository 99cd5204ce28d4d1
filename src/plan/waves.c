/*
 * waves.c - from placed items to waves (environment x ring x window at one
 * start), then every finding's forecast and, for a miss, its reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_int.h"

struct wref {
    const struct pl__item *it;
    size_t idx;
};

static int wave_cmp_items(const struct pl__item *a, const struct pl__item *b)
{
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->emergency != b->emergency)
        return a->emergency ? -1 : 1;
    if (a->env != b->env)
        return a->env < b->env ? -1 : 1;
    if (a->ring != b->ring)
        return a->ring < b->ring ? -1 : 1;
    if (a->window != b->window)
        return a->window < b->window ? -1 : 1;
    return 0;
}

static int wref_cmp(const void *pa, const void *pb)
{
    const struct wref *a = pa, *b = pb;
    int c = wave_cmp_items(a->it, b->it);

    return c ? c : (a->idx < b->idx ? -1 : a->idx > b->idx);
}

static void build_waves(struct pl__sched *s, struct pl_plan_result *out)
{
    struct wref *refs = pl_xcalloc(s->n_items ? s->n_items : 1, sizeof(*refs));
    size_t n = 0;

    for (size_t i = 0; i < s->n_items; i++)
        if (s->items[i].placed)
            refs[n++] = (struct wref){&s->items[i], i};
    qsort(refs, n, sizeof(*refs), wref_cmp);
    out->waves = pl_xcalloc(n ? n : 1, sizeof(*out->waves));
    for (size_t i = 0; i < n; i++) {
        struct pl__item *it = &s->items[refs[i].idx];
        struct pl_plan_wave *w;

        if (i == 0 || wave_cmp_items(refs[i - 1].it, it) != 0) {
            w = &out->waves[out->n_waves++];
            w->emergency = it->emergency;
            w->env = it->env;
            w->ring = it->ring + 1;
            w->window = it->window;
            w->start = it->start;
            w->end = it->end;
            w->tier = it->tier;
            w->needs_approval = it->emergency && s->c->emergency_sign_off_before;
        }
        w = &out->waves[out->n_waves - 1];
        it->wave = (long)out->n_waves - 1;
        w->tier = it->tier < w->tier ? it->tier : w->tier;
        w->end = it->end > w->end ? it->end : w->end;
        w->needs_approval = w->needs_approval || it->manual;
        w->watch_secs = it->hold > w->watch_secs ? it->hold : w->watch_secs;
        w->n_items++;
    }
    free(refs);
}

static void detail(struct pl_plan_slot *sl, const char *what, pl_time_t a, pl_time_t due)
{
    char ta[PL_TIME_STR_LEN], td[PL_TIME_STR_LEN];
    int n;

    pl_time_format(a, ta);
    pl_time_format(due, td);
    n = snprintf(sl->detail, sizeof(sl->detail), "%s %s, due %s", what, ta, td);
    if (n < 0 || n >= (int)sizeof(sl->detail))
        sl->detail[sizeof(sl->detail) - 1] = '\0'; /* cut: only a message */
}

/* Why a scheduled item lands after the due date. */
static void classify(struct pl__sched *s, const struct pl__item *it, struct pl_plan_slot *sl)
{
    pl_time_t earliest = it->approve_at > s->now ? it->approve_at : s->now;
    pl_time_t direct = 0, end;
    size_t occ;
    int w;
    bool cap = false;

    if (sl->due_at <= s->now) {
        sl->reason = PL_REASON_OVERDUE;
        detail(sl, "next start", it->start, sl->due_at);
        return;
    }
    if (it->approve_at > sl->due_at) {
        sl->reason = PL_REASON_APPROVAL;
        detail(sl, "package approved only at", it->approve_at, sl->due_at);
        return;
    }
    if (!pl__plan_sched_find(s, it, earliest, false, &w, &occ, &direct, &end, &cap) ||
        direct > sl->due_at) {
        sl->reason = PL_REASON_NO_WINDOW;
        detail(sl, "first window that serves it starts", direct ? direct : it->start, sl->due_at);
        return;
    }
    if (it->gate > direct) {
        sl->reason = PL_REASON_SOAK;
        detail(sl, "promotion (soak, canary watch) holds it until", it->gate, sl->due_at);
        return;
    }
    sl->reason = PL_REASON_CAPACITY;
    detail(sl, "earlier windows are full; it starts", it->start, sl->due_at);
}

static void unplaced(const struct pl__sched *s, const struct pl__item *it, struct pl_plan_slot *sl)
{
    int n = 0;

    sl->reason = it->reason;
    if (it->reason == PL_REASON_UNMANAGED)
        n = snprintf(sl->detail, sizeof(sl->detail), "no window serves %s tier %d%s",
                     pl_plan_env_name(it->env), it->tier,
                     s->in->assets[it->asset].n_tags ? " with its tags" : "");
    else if (it->reason == PL_REASON_NO_STAGING)
        n = snprintf(sl->detail, sizeof(sl->detail),
                     "%s %s has not soaked in staging: no staging asset runs it and no waiver "
                     "is recorded",
                     it->package, it->fixed);
    else if (it->reason == PL_REASON_CAPACITY)
        n = snprintf(sl->detail, sizeof(sl->detail), "every window is full within %d days",
                     PL_PLAN_SEARCH_DAYS);
    else
        n = snprintf(sl->detail, sizeof(sl->detail), "no usable window within %d days",
                     PL_PLAN_SEARCH_DAYS);
    if (n < 0 || n >= (int)sizeof(sl->detail))
        sl->detail[sizeof(sl->detail) - 1] = '\0';
}

void pl__plan_sched_finish(struct pl__sched *s, struct pl_plan_result *out)
{
    build_waves(s, out);
    for (size_t f = 0; f < out->n_slots; f++) {
        struct pl_plan_slot *sl = &out->slots[f];
        const struct pl__item *it;

        if (s->item_of[f] == SIZE_MAX) { /* reason set by check_finding */
            sl->miss = sl->has_due;
            out->n_misses += sl->miss;
            continue;
        }
        it = &s->items[s->item_of[f]];
        sl->approve_at = it->approve_at;
        sl->manual = it->manual;
        if (!it->placed) {
            unplaced(s, it, sl);
            sl->miss = sl->has_due;
            out->n_misses += sl->miss;
            continue;
        }
        sl->scheduled = true;
        sl->forecast = it->start;
        sl->wave = it->wave;
        out->n_scheduled++;
        if (sl->has_due && sl->forecast > sl->due_at) {
            sl->miss = true;
            out->n_misses++;
            classify(s, it, sl);
        }
    }
}
