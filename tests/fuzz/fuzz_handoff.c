/*
 * fuzz_handoff.c - the handoff plan loader (handoff.h: JSON waves with
 * windows, zones, durations, packages and versions) through a real file.
 */
#include "patchline/handoff.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pl_handoff_plan *p = NULL;
    struct pl_error err = PL_ERROR_INIT;

    pl_fuzz_init();
    if (pl_handoff_plan_load(pl_fuzz_file(data, size), &p, &err) == PL_OK)
        pl_handoff_plan_free(p);
    return 0;
}
