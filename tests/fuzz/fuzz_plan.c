/*
 * fuzz_plan.c - the plan file loader (plan.h), windows and all.
 */
#include "patchline/plan.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pl_plan_config *c = NULL;
    struct pl_error err = PL_ERROR_INIT;

    pl_fuzz_init();
    if (pl_plan_config_parse("fuzz", (const char *)data, size, &c, &err) == PL_OK)
        pl_plan_config_free(c);
    return 0;
}
