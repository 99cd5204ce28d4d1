/*
 * fuzz_inv.c - one discovery-data importer of `inventory import`
 * (inventory.h), picked at build time by PL_FUZZ_KIND ("" for content
 * detection), through pl_inventory_import against a throwaway store opened
 * once per process. Each input is imported inside a transaction that is
 * rolled back, so the store stays empty.
 */
#include <stdio.h>
#include <stdlib.h>

#include "patchline/inventory.h"

#include "fuzz_util.h"

#ifndef PL_FUZZ_KIND
#error "PL_FUZZ_KIND names the import kind"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char kind[] = PL_FUZZ_KIND;
    struct pl_inv_import_opts o = {0};
    struct pl_inv_import_stats stats = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_store *s;
    const char *path, *used = NULL;

    pl_fuzz_init();
    s = pl_fuzz_store();
    path = pl_fuzz_file(data, size);
    if (pl_store_begin(s, &err) != PL_OK) {
        fprintf(stderr, "fuzz: begin: %s\n", err.msg);
        abort();
    }
    pl_fuzz_ignore(
        pl_inventory_import(s, kind[0] != '\0' ? kind : NULL, path, &o, &stats, &used, &err));
    pl_store_rollback(s);
    return 0;
}
