/*
 * fuzz_cron.c - cron, AWS cron() and rate() expressions (cron.h). A parsed
 * expression is evaluated: the next start in UTC and in a zone with
 * daylight saving, then a few steps of the iterator; every start must be
 * strictly after the one before.
 */
#include <stdio.h>
#include <stdlib.h>

#include "patchline/cron.h"

#include "fuzz_util.h"

#define AFTER 1764374400 /* 2025-11-29T00:00:00Z */

static struct pl_tz *zones[2];
static struct pl_cron_iter iter; /* about 92 KiB: not on the stack */

static void load_zones(void)
{
    if (zones[0] != NULL)
        return;
    if (pl_tz_load("UTC", &zones[0], NULL) != PL_OK)
        abort();
    if (pl_tz_load("America/New_York", &zones[1], NULL) != PL_OK)
        zones[1] = NULL; /* no zoneinfo here: UTC only */
}

static void evaluate(const struct pl_cron *c, const struct pl_tz *tz)
{
    pl_time_t next, prev = AFTER;

    if (pl_cron_next(c, tz, AFTER, &next, NULL) == PL_OK && next <= AFTER) {
        fprintf(stderr, "cron: next %lld not after %lld\n", (long long)next, (long long)AFTER);
        abort();
    }
    pl_cron_iter_init(&iter, c, tz, AFTER);
    for (int i = 0; i < 8; i++) {
        if (pl_cron_iter_next(&iter, &next, NULL) != PL_OK)
            break;
        if (next <= prev) {
            fprintf(stderr, "cron: start %lld not after %lld\n", (long long)next, (long long)prev);
            abort();
        }
        prev = next;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pl_cron c;
    struct pl_error err = PL_ERROR_INIT;
    char *s;

    if (size > 2 * PL_MAX_CRON_BYTES)
        return 0;
    load_zones();
    s = pl_fuzz_cstr(data, size);
    if (pl_cron_parse(s, &c, &err) == PL_OK) {
        evaluate(&c, zones[0]);
        if (zones[1] != NULL)
            evaluate(&c, zones[1]);
    }
    free(s);
    return 0;
}
