/*
 * cvss.h - CVSS v2.0, v3.0, v3.1 and v4.0 scores computed from vector strings.
 *
 * Depends on libc and error.h. Pure functions: no allocation, no global
 * state, thread-safe. The formulas are those of the FIRST specifications
 * (docs/internals/cvss.md lists the sections); the v4.0 macro-vector table
 * is embedded, so nothing is read at run time.
 */
#ifndef PATCHLINE_CVSS_H
#define PATCHLINE_CVSS_H

#include <stdbool.h>

#include "patchline/error.h"

enum pl_cvss_version { PL_CVSS_V2, PL_CVSS_V30, PL_CVSS_V31, PL_CVSS_V40 };

struct pl_cvss_score {
    enum pl_cvss_version version;
    double base;            /* v2/v3: base score; v4: the one score for the metrics present */
    double temporal;        /* v2/v3: always computed (Not Defined metrics count as neutral) */
    double environmental;   /* v2/v3: always computed (Not Defined metrics count as neutral) */
    bool has_temporal;      /* v2/v3: at least one temporal metric is in the vector */
    bool has_environmental; /* v2/v3: at least one environmental metric is in the vector */
};

/*
 * Parse and score one vector. v2 has no prefix ("AV:N/AC:L/Au:N/C:P/I:P/A:P",
 * optionally in parentheses); v3.x starts with "CVSS:3.0/" or "CVSS:3.1/"; v4.0
 * with "CVSS:4.0/". Validation is strict: unknown or duplicate metric, wrong
 * value, missing base metric, empty field, trailing '/', v4.0 metrics out of
 * the specification's order -> PL_E_PARSE with a message naming the metric;
 * longer than PL_MAX_CVSS_VECTOR_BYTES -> PL_E_TOOBIG. On failure *out is
 * left zeroed.
 */
PL_NODISCARD pl_status pl_cvss_score(const char *vector, struct pl_cvss_score *out,
                                     struct pl_error *err);

/* v3.x / v4.0 qualitative rating: "None" (0.0), "Low", "Medium", "High", "Critical". */
const char *pl_cvss_severity(double score);

/* v2 bands (NVD): "Low" 0.0-3.9, "Medium" 4.0-6.9, "High" 7.0-10.0. */
const char *pl_cvss_severity_v2(double score);

/* "2.0", "3.0", "3.1", "4.0". */
const char *pl_cvss_version_name(enum pl_cvss_version v);

#endif /* PATCHLINE_CVSS_H */
