/*
 * version.c - the version module's front: scheme names, size caps, error
 * messages, and dispatch to one file per scheme (version_<scheme>.c).
 */
#include "patchline/version.h"

#include <string.h>

#include "version_int.h"

struct scheme_ops {
    const char *name;
    const char *(*check)(const char *s, size_t n);
    int (*cmp)(const char *a, size_t an, const char *b, size_t bn);
    /* Optional: check both and compare in one go (see pl__core_version_dpkg_fused). */
    const char *(*fused)(const char *a, size_t an, const char *b, size_t bn, int *cmp, int *side);
};

/* Indexed by enum pl_vscheme. */
static const struct scheme_ops schemes[PL_VSCHEME_COUNT] = {
    {"dpkg", pl__core_version_dpkg_check, pl__core_version_dpkg_cmp, pl__core_version_dpkg_fused},
    {"rpm", pl__core_version_rpm_check, pl__core_version_rpm_cmp, pl__core_version_rpm_fused},
    {"rpmvercmp", pl__core_version_rpmvercmp_check, pl__core_version_rpmvercmp,
     pl__core_version_rpmvercmp_fused},
    {"apk", pl__core_version_apk_check, pl__core_version_apk_cmp, NULL},
    {"apk3", pl__core_version_apk3_check, pl__core_version_apk3_cmp, NULL},
    {"semver", pl__core_version_semver_check, pl__core_version_semver_cmp, NULL},
    {"pep440", pl__core_version_pep440_check, pl__core_version_pep440_cmp, NULL},
    {"maven", pl__core_version_maven_check, pl__core_version_maven_cmp, NULL},
};

const char *pl_vscheme_name(enum pl_vscheme scheme)
{
    if ((unsigned)scheme >= PL_VSCHEME_COUNT)
        return "?";
    return schemes[scheme].name;
}

bool pl_vscheme_from_name(const char *name, enum pl_vscheme *out)
{
    for (unsigned i = 0; name && i < PL_VSCHEME_COUNT; i++) {
        if (strcmp(name, schemes[i].name) == 0) {
            *out = (enum pl_vscheme)i;
            return true;
        }
    }
    return false;
}

/* Quote at most 48 bytes of s, printable ASCII only (others become '?'). */
static void quote(char *dst, size_t cap, const char *s, size_t n)
{
    size_t k = 0, lim = n > 48 ? 48 : n;

    for (size_t i = 0; i < lim && k + 4 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[k++] = (char)((c >= 0x20 && c < 0x7f) ? c : '?');
    }
    if (lim < n && k + 4 < cap) {
        dst[k++] = '.';
        dst[k++] = '.';
        dst[k++] = '.';
    }
    dst[k] = '\0';
}

static pl_status too_big(enum pl_vscheme scheme, size_t n, struct pl_error *err)
{
    return pl_error_set(err, PL_E_TOOBIG, "%s version is %zu bytes, over the %d-byte cap",
                        schemes[scheme].name, n, PL_MAX_VERSION_BYTES);
}

static pl_status invalid(enum pl_vscheme scheme, const char *s, size_t n, const char *why,
                         struct pl_error *err)
{
    char q[64];

    quote(q, sizeof(q), s, n);
    return pl_error_set(err, PL_E_PARSE, "invalid %s version '%s': %s", schemes[scheme].name, q,
                        why);
}

/* Size and NUL checks shared by every scheme; NULL when s passes them. */
static const char *precheck(const char *s, size_t n, bool check_nul)
{
    if (check_nul && memchr(s, '\0', n))
        return "contains a NUL byte";
    return NULL;
}

static pl_status check_one(enum pl_vscheme scheme, const char *s, size_t n, bool check_nul,
                           struct pl_error *err)
{
    const char *why;

    if (n > PL_MAX_VERSION_BYTES)
        return too_big(scheme, n, err);
    why = precheck(s, n, check_nul);
    if (!why)
        why = schemes[scheme].check(s, n);
    return why ? invalid(scheme, s, n, why, err) : PL_OK;
}

pl_status pl_version_validn(enum pl_vscheme scheme, const char *s, size_t len, struct pl_error *err)
{
    if ((unsigned)scheme >= PL_VSCHEME_COUNT || !s)
        return pl_error_set(err, PL_E_INVALID, "unknown version scheme %d", (int)scheme);
    return check_one(scheme, s, len, true, err);
}

pl_status pl_version_valid(enum pl_vscheme scheme, const char *s, struct pl_error *err)
{
    return pl_version_validn(scheme, s, s ? strnlen(s, PL_MAX_VERSION_BYTES + 1) : 0, err);
}

static pl_status cmp_impl(enum pl_vscheme scheme, const char *a, size_t an, const char *b,
                          size_t bn, bool check_nul, int *cmp, struct pl_error *err)
{
    const struct scheme_ops *ops;
    const char *why;
    pl_status st;
    int side = 0, r = 0;

    if ((unsigned)scheme >= PL_VSCHEME_COUNT || !a || !b)
        return pl_error_set(err, PL_E_INVALID, "unknown version scheme %d", (int)scheme);
    ops = &schemes[scheme];
    if (an > PL_MAX_VERSION_BYTES || bn > PL_MAX_VERSION_BYTES)
        return too_big(scheme, an > PL_MAX_VERSION_BYTES ? an : bn, err);
    why = ops->fused ? precheck(a, an, check_nul) : "";
    if (why == NULL)
        why = precheck(b, bn, check_nul);
    if (why == NULL) {
        why = ops->fused(a, an, b, bn, &r, &side);
        if (why)
            return side ? invalid(scheme, b, bn, why, err) : invalid(scheme, a, an, why, err);
        *cmp = r;
        return PL_OK;
    }
    st = check_one(scheme, a, an, check_nul, err);
    if (st == PL_OK)
        st = check_one(scheme, b, bn, check_nul, err);
    if (st != PL_OK)
        return st;
    *cmp = ops->cmp(a, an, b, bn);
    return PL_OK;
}

pl_status pl_version_cmpn(enum pl_vscheme scheme, const char *a, size_t a_len, const char *b,
                          size_t b_len, int *cmp, struct pl_error *err)
{
    return cmp_impl(scheme, a, a_len, b, b_len, true, cmp, err);
}

pl_status pl_version_cmp(enum pl_vscheme scheme, const char *a, const char *b, int *cmp,
                         struct pl_error *err)
{
    size_t a_len = a ? strnlen(a, PL_MAX_VERSION_BYTES + 1) : 0;
    size_t b_len = b ? strnlen(b, PL_MAX_VERSION_BYTES + 1) : 0;

    return cmp_impl(scheme, a, a_len, b, b_len, false, cmp, err);
}

int pl__core_version_numcmp(const char *a, size_t an, const char *b, size_t bn)
{
    int r;

    while (an > 0 && *a == '0')
        a++, an--;
    while (bn > 0 && *b == '0')
        b++, bn--;
    if (an != bn)
        return an < bn ? -1 : 1;
    r = an ? memcmp(a, b, an) : 0;
    return PL_SIGN(r);
}

pl_status pl_version_apk_match(enum pl_vscheme scheme, const char *a, const char *op, const char *b,
                               bool *match, struct pl_error *err)
{
    int (*fz)(const char *, size_t, const char *, size_t, int);
    bool neg = false, lt = false, eq = false, gt = false, fuzzy = false;
    size_t an, bn;
    int r;

    if (scheme != PL_VSCHEME_APK && scheme != PL_VSCHEME_APK3)
        return pl_error_set(err, PL_E_INVALID, "apk operators need scheme apk or apk3, not %s",
                            pl_vscheme_name(scheme));
    if (!op || !*op)
        return pl_error_set(err, PL_E_INVALID, "empty apk operator");
    for (const char *p = op; *p; p++) {
        if (*p == '!' && p == op)
            neg = true;
        else if (*p == '<')
            lt = true;
        else if (*p == '>')
            gt = true;
        else if (*p == '=')
            eq = true;
        else if (*p == '~')
            fuzzy = eq = true;
        else
            return pl_error_set(err, PL_E_INVALID, "unknown apk operator '%s'", op);
    }
    an = strnlen(a, PL_MAX_VERSION_BYTES + 1);
    bn = strnlen(b, PL_MAX_VERSION_BYTES + 1);
    if (an > PL_MAX_VERSION_BYTES || bn > PL_MAX_VERSION_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "apk version over the %d-byte cap",
                            PL_MAX_VERSION_BYTES);
    fz =
        scheme == PL_VSCHEME_APK ? pl__core_version_apk_cmp_fuzzy : pl__core_version_apk3_cmp_fuzzy;
    r = fz(a, an, b, bn, fuzzy);
    *match = ((r < 0 && lt) || (r == 0 && eq) || (r > 0 && gt)) != neg;
    return PL_OK;
}
