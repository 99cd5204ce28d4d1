/*
 * fuzz_cvss.c - CVSS v2, v3.0, v3.1 and v4.0 vectors (cvss.h). A scored
 * vector must have a score in 0.0-10.0 and a severity name.
 */
#include <stdio.h>
#include <stdlib.h>

#include "patchline/cvss.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pl_cvss_score sc;
    struct pl_error err = PL_ERROR_INIT;
    char *s = pl_fuzz_cstr(data, size);

    if (pl_cvss_score(s, &sc, &err) == PL_OK) {
        if (!(sc.base >= 0.0 && sc.base <= 10.0) || !(sc.temporal >= 0.0 && sc.temporal <= 10.0) ||
            !(sc.environmental >= 0.0 && sc.environmental <= 10.0)) {
            fprintf(stderr, "score %f/%f/%f out of range for '%s'\n", sc.base, sc.temporal,
                    sc.environmental, s);
            abort();
        }
        (void)pl_cvss_severity(sc.base);
        (void)pl_cvss_version_name(sc.version);
    }
    free(s);
    return 0;
}
