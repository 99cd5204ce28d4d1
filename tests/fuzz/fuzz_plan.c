/*
 * fuzz_plan.c - the plan file loader (plan.h). A plan that loads has its
 * windows evaluated (the next starts must ascend strictly after the
 * instant asked), its package globs matched, and rings assigned.
 */
#include <stdio.h>
#include <stdlib.h>

#include "patchline/plan.h"

#include "fuzz_util.h"

#define AFTER 1764374400 /* 2025-11-29T00:00:00Z */

static void windows(const struct pl_plan_config *c)
{
    pl_time_t out[4];
    size_t n = 0;

    for (size_t i = 0; i < c->n_windows; i++) {
        if (c->windows[i].immediate)
            continue;
        pl_fuzz_ignore(pl_plan_window_next(&c->windows[i], AFTER, 4, out, &n, NULL));
        for (size_t k = 0; k < n; k++) {
            if (out[k] <= (k == 0 ? AFTER : out[k - 1])) {
                fprintf(stderr, "plan: window '%s' start %zu = %lld does not ascend\n",
                        c->windows[i].name, k, (long long)out[k]);
                abort();
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char canary[] = "canary", db[] = "db";
    static char *const tags[] = {canary, db};
    struct pl_plan_config *c = NULL;
    struct pl_error err = PL_ERROR_INIT;

    pl_fuzz_init();
    if (pl_plan_config_parse("fuzz", (const char *)data, size, &c, &err) != PL_OK)
        return 0;
    windows(c);
    (void)pl_plan_glob_match(&c->approved, "openssl");
    (void)pl_plan_glob_match(&c->rejected, "linux-image-6.1.0-28-amd64");
    (void)pl_plan_glob_match(&c->high_risk, "libc6");
    for (int64_t id = 1; id <= 3; id++) {
        size_t ring = pl_plan_ring_of(c, id, tags, 2);
        if (c->n_rings > 0 && ring >= c->n_rings) {
            fprintf(stderr, "plan: ring %zu of %zu\n", ring, c->n_rings);
            abort();
        }
    }
    pl_plan_config_free(c);
    return 0;
}
