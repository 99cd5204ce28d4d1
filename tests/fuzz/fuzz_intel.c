/*
 * fuzz_intel.c - one feed importer (intel.h), picked at build time by
 * PL_FUZZ_KIND ("" for content detection), through pl_feed_import against
 * a throwaway store opened once per process. Each input is imported inside
 * a transaction that is rolled back, so the store stays empty.
 */
#include <stdio.h>
#include <stdlib.h>

#include "patchline/intel.h"

#include "fuzz_util.h"

#ifndef PL_FUZZ_KIND
#error "PL_FUZZ_KIND names the feed kind"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char kind[] = PL_FUZZ_KIND;
    struct pl_import_opts o = {.force = true};
    struct pl_feed_result res;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_store *s;
    const char *path;

    pl_fuzz_init();
    s = pl_fuzz_store();
    path = pl_fuzz_file(data, size);
    if (pl_store_begin(s, &err) != PL_OK) {
        fprintf(stderr, "fuzz: begin: %s\n", err.msg);
        abort();
    }
    pl_fuzz_ignore(pl_feed_import(s, kind[0] != '\0' ? kind : NULL, path, &o, &res, &err));
    pl_store_rollback(s);
    return 0;
}
