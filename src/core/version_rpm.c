/*
 * version_rpm.c - the RPM order. rpmvercmp splits a string into runs of
 * ASCII digits and runs of ASCII letters; everything else separates them,
 * except '~' (sorts before anything, even the end) and '^' (sorts after the
 * end but before any further segment). An EVR "[E:]V[-R]" is split as rpm
 * does (the epoch is the leading digits before ':', the release follows the
 * last '-') and compared epoch (missing: 0), then version, then release (a
 * missing release sorts below any release).
 *
 * The bare comparator (scheme rpmvercmp) accepts any string, the empty one
 * too, as rpmvercmp() does: bytes other than ASCII letters and digits, '~'
 * and '^' only separate segments. The EVR scheme (rpm) compares every EVR
 * that librpm's rpmverParse() accepts (any non-empty string: an empty
 * version "-1" or release "1.0-" compares as the empty string, and an empty
 * release sorts above a missing one), except that, being what executors
 * validate with, it also rejects blanks, control bytes and non-ASCII bytes.
 */
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "patchline/version.h"

#include "version_int.h"

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* True when every byte is printable ASCII other than space (0x21-0x7e); eight bytes a step. */
static int all_graphic(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t acc = 0;
    size_t i = 0;

#if defined(__SSE2__)
    if (n >= 16) {
        const __m128i lo = _mm_set1_epi8(0x20), hi = _mm_set1_epi8(0x7f);
        __m128i ok = _mm_set1_epi8(-1), x;
        /* signed compares: 0x21-0x7e are exactly the bytes > 0x20 and < 0x7f */
        for (; i + 16 <= n; i += 16) {
            x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            ok = _mm_and_si128(ok, _mm_and_si128(_mm_cmpgt_epi8(x, lo), _mm_cmplt_epi8(x, hi)));
        }
        x = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16)); /* overlapping tail */
        ok = _mm_and_si128(ok, _mm_and_si128(_mm_cmpgt_epi8(x, lo), _mm_cmplt_epi8(x, hi)));
        return _mm_movemask_epi8(ok) == 0xffff;
    }
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        /* a byte below 0x21, or a byte above 0x7e (high bit set after adding 1) */
        acc |= ((x - ones * 0x21) & ~x) | ((x + ones) | x);
    }
    if (i < n && n >= 8) {
        uint64_t x;
        memcpy(&x, s + n - 8, 8); /* the last eight bytes, overlapping the block before */
        acc |= ((x - ones * 0x21) & ~x) | ((x + ones) | x);
        i = n;
    }
    acc &= high;
    for (; i < n; i++)
        acc |= (unsigned char)(s[i] - 0x21) > 0x5d;
    return acc == 0;
}

/* Byte classes of the walk: separators, digits, letters, '~', '^', and bytes no version holds. */
enum { K_SEP, K_DIGIT, K_ALPHA, K_TILDE, K_CARET, K_BAD };
static const unsigned char kind[256] = {
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 4, 0,
    0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 3, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
};

/* One segment of digits or letters at a[i] and b[j] (both present); -1, 0 or 1. */
static inline int segment(const char *a, size_t an, const char *b, size_t bn, size_t *pi,
                          size_t *pj)
{
    size_t si = *pi, sj = *pj, i = si, j = sj, la, lb;
    int k = kind[(unsigned char)a[si]], r;

    while (i < an && kind[(unsigned char)a[i]] == k)
        i++;
    while (j < bn && kind[(unsigned char)b[j]] == k)
        j++;
    *pi = i, *pj = j;
    if (sj == j)
        return k == K_DIGIT ? 1 : -1;
    la = i - si, lb = j - sj;
    if (k == K_DIGIT)
        return pl__core_version_numcmp(a + si, la, b + sj, lb);
    r = memcmp(a + si, b + sj, la < lb ? la : lb);
    if (r)
        return PL_SIGN(r);
    return la < lb ? -1 : la > lb ? 1 : 0;
}

/* The rpmvercmp walk over two strings. */
static inline int walk(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j, m = an < bn ? an : bn;
    int r = 0;

    /* An identical prefix, cut back to the start of a segment, compares equal. */
    i = pl__version_common_prefix(a, b, m);
    if (i == an && i == bn)
        return 0;
    while (i > 0 && (kind[(unsigned char)a[i - 1]] - 1u) < 2u)
        i--;
    j = i;
    for (;;) {
        int ka = K_SEP, kb = K_SEP;

        while (i < an && ((ka = kind[(unsigned char)a[i]]) == K_SEP || ka == K_BAD))
            i++;
        while (j < bn && ((kb = kind[(unsigned char)b[j]]) == K_SEP || kb == K_BAD))
            j++;
        if (i >= an)
            ka = -1;
        if (j >= bn)
            kb = -1;
        if (ka == K_TILDE || kb == K_TILDE) {
            if (ka != K_TILDE) {
                r = 1;
                break;
            }
            if (kb != K_TILDE) {
                r = -1;
                break;
            }
            i++, j++;
            continue;
        }
        if (ka == K_CARET || kb == K_CARET) {
            r = ka < 0 ? -1 : kb < 0 ? 1 : ka != K_CARET ? 1 : kb != K_CARET ? -1 : 0;
            if (r)
                break;
            i++, j++;
            continue;
        }
        if (ka < 0 || kb < 0) {
            r = (ka < 0 && kb < 0) ? 0 : ka < 0 ? -1 : 1;
            break;
        }
        r = segment(a, an, b, bn, &i, &j);
        if (r)
            break;
    }
    return r;
}

int pl__core_version_rpmvercmp(const char *a, size_t an, const char *b, size_t bn)
{
    return walk(a, an, b, bn);
}

/* The bare comparator accepts any string, the empty one too, as rpmvercmp() does. */
const char *pl__core_version_rpmvercmp_fused(const char *a, size_t an, const char *b, size_t bn,
                                             int *cmp, int *side)
{
    *side = 1;
    *cmp = walk(a, an, b, bn);
    return NULL;
}

const char *pl__core_version_rpmvercmp_check(const char *s, size_t n)
{
    (void)s, (void)n;
    return NULL;
}

/* The EVR syntax: printable ASCII without blanks; the reason for a rejection. */
static const char *check_bytes(const char *s, size_t n)
{
    if (n == 0)
        return "version is empty";
    if (all_graphic(s, n))
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            return "non-ASCII byte in version";
        if (c <= 0x20 || c == 0x7f)
            return "blank or control byte in version";
    }
    return NULL;
}

struct evr {
    const char *e, *v, *r; /* e and r NULL when absent */
    size_t en, vn, rn;
};

static void split(const char *s, size_t n, struct evr *x)
{
    size_t i = 0, last = n;

    while (i < n && is_digit((unsigned char)s[i]))
        i++;
    for (size_t k = i; k < n; k++) {
        if (s[k] == '-')
            last = k;
    }
    x->e = NULL, x->en = 0;
    x->v = s, x->vn = n;
    if (i < n && s[i] == ':') {
        x->e = s, x->en = i;
        x->v = s + i + 1;
        x->vn = n - i - 1;
    }
    x->r = NULL, x->rn = 0;
    if (last < n) {
        x->r = s + last + 1;
        x->rn = n - last - 1;
        x->vn = (size_t)(s + last - x->v);
    }
}

static const char *parse(const char *s, size_t n, struct evr *x)
{
    const char *why = check_bytes(s, n);

    if (why)
        return why;
    split(s, n, x);
    return NULL;
}

const char *pl__core_version_rpm_check(const char *s, size_t n)
{
    struct evr x;

    return parse(s, n, &x);
}

static int evr_cmp(const struct evr *px, const struct evr *py)
{
    struct evr x = *px, y = *py;
    int r;

    r = pl__core_version_numcmp(x.e ? x.e : "0", x.e ? x.en : 1, y.e ? y.e : "0", y.e ? y.en : 1);
    if (r)
        return r;
    r = pl__core_version_rpmvercmp(x.v, x.vn, y.v, y.vn);
    if (r)
        return r;
    if (!x.r || !y.r)
        return x.r ? 1 : y.r ? -1 : 0;
    return pl__core_version_rpmvercmp(x.r, x.rn, y.r, y.rn);
}

int pl__core_version_rpm_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    struct evr x, y;

    split(a, an, &x);
    split(b, bn, &y);
    return evr_cmp(&x, &y);
}

const char *pl__core_version_rpm_fused(const char *a, size_t an, const char *b, size_t bn, int *cmp,
                                       int *side)
{
    struct evr x, y;
    const char *why = parse(a, an, &x);

    *side = 0;
    if (!why) {
        *side = 1;
        why = parse(b, bn, &y);
    }
    if (!why)
        *cmp = evr_cmp(&x, &y);
    return why;
}

static void to_public(const struct evr *x, struct pl_rpm_version *out)
{
    out->epoch = x->e ? x->e : "0";
    out->epoch_len = x->e ? x->en : 1;
    out->version = x->v, out->version_len = x->vn;
    out->release = x->r, out->release_len = x->rn;
}

pl_status pl_version_rpm_parse(const char *s, size_t len, struct pl_rpm_version *out,
                               struct pl_error *err)
{
    struct evr x;
    pl_status st = pl_version_validn(PL_VSCHEME_RPM, s, len, err);

    if (st != PL_OK)
        return st;
    split(s, len, &x);
    to_public(&x, out);
    return PL_OK;
}

int pl_version_rpm_cmp_parsed(const struct pl_rpm_version *a, const struct pl_rpm_version *b)
{
    struct evr x = {a->epoch, a->version, a->release, a->epoch_len, a->version_len, a->release_len};
    struct evr y = {b->epoch, b->version, b->release, b->epoch_len, b->version_len, b->release_len};

    return evr_cmp(&x, &y);
}
