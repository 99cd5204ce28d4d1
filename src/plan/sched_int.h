/*
 * sched_int.h - private to src/plan: the scheduler's working state, shared
 * by sched.c (placement) and waves.c (waves, reasons).
 */
#ifndef PATCHLINE_SCHED_INT_H
#define PATCHLINE_SCHED_INT_H

#include "plan_int.h"

/* The starts of one window within the search span, and their load. */
struct pl__occs {
    pl_time_t *t;
    uint32_t *load; /* assets started in each occurrence */
    size_t n;
    int64_t limit; /* max assets per occurrence; 0: none */
};

/* One (asset, package, fixed version): what gets patched. */
struct pl__item {
    size_t asset; /* index into the inputs' assets */
    const char *package, *fixed;
    int tier, env;
    int vtier; /* the most urgent tier of its version (package, fixed) outside the emergency lane */
    int ring;  /* 0-based production ring; -1 outside production */
    bool manual, high_risk, emergency;
    pl_time_t first_seen, approve_at;
    enum pl_plan_reason reason; /* why it cannot be scheduled (NONE: it can) */
    bool placed;
    int window; /* -1: immediately */
    size_t occ;
    pl_time_t start, end;
    pl_time_t gate; /* the promotion gate of its stage (before approval) */
    int64_t hold;   /* what its stage makes the next one wait */
    long wave;
    size_t orig; /* index before sorting */
};

struct pl__sched {
    const struct pl_plan_config *c;
    const struct pl_plan_inputs *in;
    pl_time_t now, end;    /* the search span */
    struct pl__occs *occs; /* per window */
    struct pl__item *items;
    size_t n_items;
    size_t *item_of; /* per finding: index into items, or SIZE_MAX */
    uint64_t *seen;  /* open-addressing set of (window, occurrence, asset) */
    size_t seen_cap, seen_n;
};

/* The first usable start for item it from `earliest`; false when none. */
bool pl__plan_sched_find(struct pl__sched *s, const struct pl__item *it, pl_time_t earliest,
                         bool use_capacity, int *window, size_t *occ, pl_time_t *start,
                         pl_time_t *end, bool *capacity_hit);

/* Windows' starts within the search span and their limits (sched.c). */
PL_NODISCARD pl_status pl__plan_sched_occurrences(struct pl__sched *s, struct pl_error *err);

/* Sort the items into rollouts and place them all; remaps item_of (sched.c). */
void pl__plan_sched_place_all(struct pl__sched *s);

/* Build the waves and fill the slots of out (waves.c). */
void pl__plan_sched_finish(struct pl__sched *s, struct pl_plan_result *out);

#endif /* PATCHLINE_SCHED_INT_H */
