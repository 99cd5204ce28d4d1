/*
 * fuzz_dpkg.c - the dpkg status database parser (inventory.h). Every package
 * it returns must have a name and a version.
 */
#include <stdio.h>
#include <stdlib.h>

#include "patchline/inventory.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pl_package_list l = {0};
    struct pl_error err = PL_ERROR_INIT;

    if (pl_dpkg_status_parse("fuzz", (const char *)data, size, &l, &err) == PL_OK) {
        for (size_t i = 0; i < l.n; i++) {
            if (l.items[i].name == NULL || l.items[i].version == NULL) {
                fprintf(stderr, "dpkg: package %zu without name or version\n", i);
                abort();
            }
        }
    }
    pl_package_list_release(&l);
    return 0;
}
