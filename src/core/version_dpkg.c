/*
 * version_dpkg.c - Debian version syntax and order, as dpkg defines them
 * (deb-version(7)): [epoch:]upstream[-revision]. Blanks (space, tab) around
 * the string are ignored; an embedded blank is an error. Patchline rejects
 * what libdpkg rejects and also characters outside the allowed sets, which
 * libdpkg only warns about; an upstream that does not start with a digit is
 * accepted, as dpkg does with a warning.
 */
#include <limits.h>
#include <string.h>

#include "patchline/version.h"

#include "version_int.h"

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_blank(int c)
{
    return c == ' ' || c == '\t';
}

/* The libc "space" set, skipped by the epoch's number parser. */
static int is_space(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_blank((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n > 0 && is_blank((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* Parse the epoch in s[0..colon); NULL on success. */
static const char *parse_epoch(const char *s, size_t colon, uint32_t *epoch)
{
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0;

    while (i < colon && is_space((unsigned char)s[i]))
        i++;
    if (i < colon && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (i == colon || !is_digit((unsigned char)s[i]))
        return "epoch in version is empty";
    for (; i < colon && is_digit((unsigned char)s[i]); i++) {
        if (v <= (uint64_t)INT_MAX + 1)
            v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (i != colon)
        return "epoch in version is not number";
    if (neg && v != 0)
        return "epoch in version is negative";
    if (v > INT_MAX)
        return "epoch in version is too big";
    *epoch = (uint32_t)v;
    return NULL;
}

/* Byte classes for the one-pass scan: see enum cls. */
enum cls { C_BAD, C_OK, C_COLON, C_HYPHEN, C_BLANK };
static const unsigned char byte_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 3, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

#define NONE ((size_t)-1)

struct scan {
    size_t colon, last_colon, hyphen, bad_pre, bad_post;
};

/* One pass: the first and last ':', the last '-', the first bad byte before and after the first
 * ':'; "embedded spaces" when a blank is found. */
static const char *scan(const char *s, size_t n, struct scan *x)
{
    x->colon = x->last_colon = x->hyphen = x->bad_pre = x->bad_post = NONE;
    for (size_t i = 0; i < n; i++) {
        switch (byte_class[(unsigned char)s[i]]) {
        case C_OK:
            break;
        case C_COLON:
            if (x->colon == NONE)
                x->colon = i;
            x->last_colon = i;
            break;
        case C_HYPHEN:
            x->hyphen = i;
            break;
        case C_BLANK:
            return "version string has embedded spaces";
        default:
            if (x->colon == NONE && x->bad_pre == NONE)
                x->bad_pre = i;
            else if (x->colon != NONE && x->bad_post == NONE)
                x->bad_post = i;
        }
    }
    return NULL;
}

static const char *parse(const char *s, size_t n, struct pl_dpkg_version *v)
{
    struct scan x;
    const char *why;
    size_t off = 0, bad;

    trim(&s, &n);
    if (n == 0)
        return "version string is empty";
    why = scan(s, n, &x);
    if (why)
        return why;
    v->epoch = 0;
    if (x.colon != NONE) {
        why = parse_epoch(s, x.colon, &v->epoch);
        if (why)
            return why;
        if (x.colon + 1 == n)
            return "nothing after colon in version number";
        off = x.colon + 1;
    }
    if (x.hyphen != NONE && x.hyphen < off)
        x.hyphen = NONE;
    v->upstream = s + off;
    v->upstream_len = (x.hyphen != NONE ? x.hyphen : n) - off;
    v->revision = x.hyphen != NONE ? s + x.hyphen + 1 : "";
    v->revision_len = x.hyphen != NONE ? n - x.hyphen - 1 : 0;
    if (x.hyphen != NONE && v->revision_len == 0)
        return "revision number is empty";
    if (v->upstream_len == 0)
        return "version number is empty";
    bad = x.colon == NONE ? x.bad_pre : x.bad_post;
    if (bad != NONE && (x.hyphen == NONE || bad < x.hyphen))
        return "invalid character in version number";
    if (x.hyphen != NONE && (bad != NONE || (x.last_colon != NONE && x.last_colon > x.hyphen)))
        return "invalid character in revision number";
    return NULL;
}

/* dpkg's character weight: '~' before the end, letters before non-letters. */
static int order(int c)
{
    if (is_digit(c))
        return 0;
    if (is_alpha(c))
        return c;
    if (c == '~')
        return -1;
    if (c)
        return c + 256;
    return 0;
}

/* The byte at i, or 0 past the end (the comparison treats the end as a NUL). */
static inline int at(const char *s, size_t n, size_t i)
{
    return i < n ? (unsigned char)s[i] : 0;
}

/* The dpkg comparison of one part (upstream or revision). */
static int verrevcmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0, m = an < bn ? an : bn;

    /* An identical prefix, cut back to the start of a number, compares equal. */
    i = pl__version_common_prefix(a, b, m);
    if (i == an && i == bn)
        return 0;
    while (i > 0 && is_digit((unsigned char)a[i - 1]))
        i--;
    j = i;
    while (i < an || j < bn) {
        int first_diff = 0;

        while ((i < an && !is_digit(at(a, an, i))) || (j < bn && !is_digit(at(b, bn, j)))) {
            int ac = order(at(a, an, i)), bc = order(at(b, bn, j));
            if (ac != bc)
                return ac < bc ? -1 : 1;
            i++, j++;
        }
        while (at(a, an, i) == '0')
            i++;
        while (at(b, bn, j) == '0')
            j++;
        while (is_digit(at(a, an, i)) && is_digit(at(b, bn, j))) {
            if (!first_diff)
                first_diff = a[i] - b[j];
            i++, j++;
        }
        if (is_digit(at(a, an, i)))
            return 1;
        if (is_digit(at(b, bn, j)))
            return -1;
        if (first_diff)
            return first_diff < 0 ? -1 : 1;
    }
    return 0;
}

const char *pl__core_version_dpkg_check(const char *s, size_t n)
{
    struct pl_dpkg_version v;

    return parse(s, n, &v);
}

int pl_version_dpkg_cmp_parsed(const struct pl_dpkg_version *a, const struct pl_dpkg_version *b)
{
    int r;

    if (a->epoch != b->epoch)
        return a->epoch < b->epoch ? -1 : 1;
    r = verrevcmp(a->upstream, a->upstream_len, b->upstream, b->upstream_len);
    if (r)
        return r;
    return verrevcmp(a->revision, a->revision_len, b->revision, b->revision_len);
}

const char *pl__core_version_dpkg_fused(const char *a, size_t an, const char *b, size_t bn,
                                        int *cmp, int *side)
{
    struct pl_dpkg_version va, vb;
    const char *why = parse(a, an, &va);

    *side = 0;
    if (!why) {
        *side = 1;
        why = parse(b, bn, &vb);
    }
    if (!why)
        *cmp = pl_version_dpkg_cmp_parsed(&va, &vb);
    return why;
}

int pl__core_version_dpkg_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    struct pl_dpkg_version va = {0}, vb = {0};

    (void)parse(a, an, &va);
    (void)parse(b, bn, &vb);
    return pl_version_dpkg_cmp_parsed(&va, &vb);
}

pl_status pl_version_dpkg_parse(const char *s, size_t len, struct pl_dpkg_version *out,
                                struct pl_error *err)
{
    struct pl_dpkg_version v;
    pl_status st = pl_version_validn(PL_VSCHEME_DPKG, s, len, err);

    if (st != PL_OK)
        return st;
    (void)parse(s, len, &v);
    *out = v;
    return PL_OK;
}
