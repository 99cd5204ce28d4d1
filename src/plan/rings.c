/*
 * rings.c - stable ring assignment, package globs, reasons and remedies.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "patchline/sha256.h"

#include "plan_int.h"

bool pl_plan_glob_match(const struct pl_strv *globs, const char *package)
{
    for (size_t i = 0; i < globs->n; i++)
        if (fnmatch(globs->v[i], package, 0) == 0)
            return true;
    return false;
}

double pl_plan_ring_key(int64_t asset_id)
{
    unsigned char d[32];
    char key[32];
    struct pl_sha256 h;
    uint64_t v = 0;
    int n = snprintf(key, sizeof(key), "asset:%lld", (long long)asset_id);

    if (n < 0 || n >= (int)sizeof(key))
        PL_BUG("ring key");
    pl_sha256_init(&h);
    pl_sha256_update(&h, key, (size_t)n);
    pl_sha256_final(&h, d);
    /* the top 53 bits: every value is exact in a double, and < 1 */
    for (int i = 0; i < 8; i++)
        v = (v << 8) | d[i];
    return (double)(v >> 11) / 9007199254740992.0;
}

static bool has_tag(const struct pl_strv *want, char *const *tags, size_t n_tags)
{
    for (size_t i = 0; i < want->n; i++)
        for (size_t k = 0; k < n_tags; k++)
            if (strcmp(want->v[i], tags[k]) == 0)
                return true;
    return false;
}

size_t pl_plan_ring_of(const struct pl_plan_config *c, int64_t asset_id, char *const *tags,
                       size_t n_tags)
{
    double key, edge = 0;

    for (size_t r = 0; r < c->n_rings; r++)
        if (has_tag(&c->rings[r].tags, tags, n_tags))
            return r;
    key = pl_plan_ring_key(asset_id);
    for (size_t r = 0; r + 1 < c->n_rings; r++) {
        edge += c->rings[r].share;
        if (key < edge)
            return r;
    }
    return c->n_rings - 1;
}

static const struct {
    const char *name, *remedy;
} reasons[] = {
    [PL_REASON_NONE] = {"on-time", "-"},
    [PL_REASON_UNTIERED] = {"not-tiered",
                            "run 'patchline tier' so that it gets a tier and a due date"},
    [PL_REASON_OVERDUE] = {"overdue", "emergency window now, or a compensating control"},
    [PL_REASON_NO_FIX] = {"no-fix", "compensating control until a fix exists, or an exception"},
    [PL_REASON_UNMANAGED] = {"unmanaged",
                             "give the asset an owner and environment and a window that serves "
                             "it, or an exception"},
    [PL_REASON_REJECTED] = {"rejected", "compensating control or exception (the package is "
                                        "rejected by the plan)"},
    [PL_REASON_APPROVAL] = {"approval-pending",
                            "approve it now ('patchline plan approve') or shorten the approval "
                            "delay; else a compensating control"},
    [PL_REASON_NO_WINDOW] = {"no-window", "emergency window, or a compensating control"},
    [PL_REASON_SOAK] = {"soak-too-long",
                        "emergency window (no soak, no canary), or a compensating control"},
    [PL_REASON_CAPACITY] = {"capacity", "raise max-concurrency or add a window; else a "
                                        "compensating control"},
    [PL_REASON_BEYOND] = {"no-window", "add a window that serves it, or a compensating control"},
    [PL_REASON_NO_STAGING] = {"not-staged",
                              "patch a staging asset that runs the package, or record a waiver "
                              "('patchline plan waive-soak PACKAGE VERSION --reason TEXT')"},
};

const char *pl_plan_reason_name(enum pl_plan_reason r)
{
    return (size_t)r < PL_ARRAY_LEN(reasons) ? reasons[r].name : "?";
}

const char *pl_plan_reason_remedy(enum pl_plan_reason r)
{
    return (size_t)r < PL_ARRAY_LEN(reasons) ? reasons[r].remedy : "?";
}
