/*
 * version_int.h - private to the version module: one checker and one
 * comparator per scheme. A checker returns NULL when the string is valid
 * and otherwise the reason (static text). A comparator is called only on
 * strings its checker accepted and returns -1, 0 or 1.
 */
#ifndef PATCHLINE_VERSION_INT_H
#define PATCHLINE_VERSION_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "patchline/version.h"

const char *pl__core_version_dpkg_check(const char *s, size_t n);
int pl__core_version_dpkg_cmp(const char *a, size_t an, const char *b, size_t bn);
/* Check a, then b, then compare, parsing each once. NULL and *cmp set when both are valid;
 * otherwise the reason, with *side 0 for a and 1 for b. */
const char *pl__core_version_dpkg_fused(const char *a, size_t an, const char *b, size_t bn,
                                        int *cmp, int *side);
const char *pl__core_version_rpm_check(const char *s, size_t n);
int pl__core_version_rpm_cmp(const char *a, size_t an, const char *b, size_t bn);
const char *pl__core_version_rpm_fused(const char *a, size_t an, const char *b, size_t bn, int *cmp,
                                       int *side);
const char *pl__core_version_rpmvercmp_check(const char *s, size_t n);
int pl__core_version_rpmvercmp(const char *a, size_t an, const char *b, size_t bn);
const char *pl__core_version_rpmvercmp_fused(const char *a, size_t an, const char *b, size_t bn,
                                             int *cmp, int *side);
const char *pl__core_version_apk_check(const char *s, size_t n);
int pl__core_version_apk_cmp(const char *a, size_t an, const char *b, size_t bn);
int pl__core_version_apk_cmp_fuzzy(const char *a, size_t an, const char *b, size_t bn, int fuzzy);
const char *pl__core_version_apk3_check(const char *s, size_t n);
int pl__core_version_apk3_cmp(const char *a, size_t an, const char *b, size_t bn);
int pl__core_version_apk3_cmp_fuzzy(const char *a, size_t an, const char *b, size_t bn, int fuzzy);
const char *pl__core_version_semver_check(const char *s, size_t n);
int pl__core_version_semver_cmp(const char *a, size_t an, const char *b, size_t bn);
const char *pl__core_version_pep440_check(const char *s, size_t n);
int pl__core_version_pep440_cmp(const char *a, size_t an, const char *b, size_t bn);
const char *pl__core_version_maven_check(const char *s, size_t n);
int pl__core_version_maven_cmp(const char *a, size_t an, const char *b, size_t bn);

/* Compare two runs of ASCII digits numerically, any length: -1, 0 or 1. */
int pl__core_version_numcmp(const char *a, size_t an, const char *b, size_t bn);

/* Length of the common prefix of a and b within their first m bytes, eight bytes a step. */
static inline size_t pl__version_common_prefix(const char *a, const char *b, size_t m)
{
    size_t i = 0;

    for (; i + 8 <= m; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            break;
    }
    while (i < m && a[i] == b[i])
        i++;
    return i;
}

#define PL_SIGN(x) ((x) < 0 ? -1 : (x) > 0 ? 1 : 0)

#endif /* PATCHLINE_VERSION_INT_H */
