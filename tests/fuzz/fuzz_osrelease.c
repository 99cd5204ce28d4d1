/*
 * fuzz_osrelease.c - the os-release parser (inventory.h).
 */
#include <stdlib.h>

#include "patchline/inventory.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pl_os_release o = {0};
    struct pl_error err = PL_ERROR_INIT;

    if (pl_os_release_parse("fuzz", (const char *)data, size, &o, &err) == PL_OK)
        pl_os_release_release(&o);
    return 0;
}
