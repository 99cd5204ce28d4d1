/*
 * fuzz_tz.c - TZif zone files and POSIX TZ strings (tz.h). A parsed zone
 * is looked up around the transitions of the present day and far out, and
 * local times are mapped back; the input as text is tried as a POSIX rule.
 */
#include <stdlib.h>

#include "patchline/tz.h"

#include "fuzz_util.h"

static const pl_time_t probes[] = {
    INT64_C(-62135596800), /* 0001-01-01 */
    0,
    1711846800, /* 2024-03-31T01:00:00Z */
    1764374400,
    INT64_C(4102444800),   /* 2100-01-01 */
    INT64_C(253402300799), /* 9999-12-31T23:59:59Z */
};

static void probe_zone(const struct pl_tz *tz)
{
    struct pl_tz_info info;
    pl_time_t out[2], gap_end, t;
    int32_t before;
    size_t n;

    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        pl_tz_lookup(tz, probes[i], &info);
        int64_t local = pl_tz_to_local(tz, probes[i]);
        pl_tz_instants(tz, local, out, &n, &gap_end, &before);
        pl_fuzz_ignore(
            pl_tz_from_local(tz, local, PL_TZ_GAP_SHIFT, PL_TZ_FOLD_SECOND, &t, NULL, NULL));
        pl_fuzz_ignore(
            pl_tz_from_local(tz, local + 1800, PL_TZ_GAP_AFTER, PL_TZ_FOLD_FIRST, &t, NULL, NULL));
    }
}

static void probe_posix(const char *s)
{
    struct pl_tz_posix p;
    struct pl_tz_info info;
    pl_time_t next;

    if (pl_tz_posix_parse(s, &p, NULL) != PL_OK)
        return;
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        pl_tz_posix_lookup(&p, probes[i], &info);
        (void)pl_tz_posix_next(&p, probes[i], &next);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pl_tz *tz = NULL;
    char *s;

    if (pl_tz_parse("Fuzz/Zone", data, size, &tz, NULL) == PL_OK) {
        probe_zone(tz);
        pl_tz_free(tz);
    }
    if (size <= 256) {
        s = pl_fuzz_cstr(data, size);
        probe_posix(s);
        free(s);
    }
    return 0;
}
