/*
 * fuzz_version.c - version strings of every scheme (version.h).
 * Input: byte 0 picks the scheme, the rest is "A\nB" (B optional). Checks
 * that a valid version equals itself and that cmp(a, b) == -cmp(b, a).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/version.h"

#include "fuzz_util.h"

static void check_pair(enum pl_vscheme sch, const char *a, size_t an, const char *b, size_t bn)
{
    int ab = 2, ba = 2, aa = 2;

    if (pl_version_cmpn(sch, a, an, a, an, &aa, NULL) == PL_OK && aa != 0) {
        fprintf(stderr, "%s: a != a\n", pl_vscheme_name(sch));
        abort();
    }
    if (pl_version_cmpn(sch, a, an, b, bn, &ab, NULL) != PL_OK)
        return;
    if (pl_version_cmpn(sch, b, bn, a, an, &ba, NULL) != PL_OK || ab != -ba) {
        fprintf(stderr, "%s: cmp(a,b)=%d cmp(b,a)=%d\n", pl_vscheme_name(sch), ab, ba);
        abort();
    }
}

static void parsed(enum pl_vscheme sch, const char *a, size_t an, const char *b, size_t bn)
{
    struct pl_dpkg_version da, db;
    struct pl_rpm_version ra, rb;

    if (sch == PL_VSCHEME_DPKG && pl_version_dpkg_parse(a, an, &da, NULL) == PL_OK &&
        pl_version_dpkg_parse(b, bn, &db, NULL) == PL_OK)
        (void)pl_version_dpkg_cmp_parsed(&da, &db);
    if (sch == PL_VSCHEME_RPM && pl_version_rpm_parse(a, an, &ra, NULL) == PL_OK &&
        pl_version_rpm_parse(b, bn, &rb, NULL) == PL_OK)
        (void)pl_version_rpm_cmp_parsed(&ra, &rb);
}

static void apk_ops(enum pl_vscheme sch, const char *a, const char *b)
{
    static const char *const ops[] = {"<", "<=", "=", ">=", ">", "~", "<~", ">~", "!="};
    bool m;

    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        pl_fuzz_ignore(pl_version_apk_match(sch, a, ops[i], b, &m, NULL));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum pl_vscheme sch;
    char *s, *nl, *b;
    size_t an, bn;
    struct pl_error err = PL_ERROR_INIT;

    if (size < 1)
        return 0;
    sch = (enum pl_vscheme)(data[0] % PL_VSCHEME_COUNT);
    s = pl_fuzz_cstr(data + 1, size - 1);
    nl = memchr(s, '\n', size - 1);
    an = nl ? (size_t)(nl - s) : size - 1;
    b = nl ? nl + 1 : s;
    bn = nl ? size - 1 - an - 1 : an;
    pl_fuzz_ignore(pl_version_validn(sch, s, an, &err));
    check_pair(sch, s, an, b, bn);
    parsed(sch, s, an, b, bn);
    if (nl != NULL && (sch == PL_VSCHEME_APK || sch == PL_VSCHEME_APK3)) {
        *nl = '\0';
        apk_ops(sch, s, b);
    }
    free(s);
    return 0;
}
