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

static const char *parse(const char *s, size_t n, struct pl_dpkg_version *v)
{
    const char *colon, *hyphen, *why;
    size_t i;

    trim(&s, &n);
    if (n == 0)
        return "version string is empty";
    for (i = 0; i < n; i++) {
        if (is_blank((unsigned char)s[i]))
            return "version string has embedded spaces";
    }
    v->epoch = 0;
    colon = memchr(s, ':', n);
    if (colon) {
        why = parse_epoch(s, (size_t)(colon - s), &v->epoch);
        if (why)
            return why;
        if ((size_t)(colon - s) + 1 == n)
            return "nothing after colon in version number";
        n -= (size_t)(colon - s) + 1;
        s = colon + 1;
    }
    hyphen = NULL;
    for (i = n; i > 0; i--) {
        if (s[i - 1] == '-') {
            hyphen = s + i - 1;
            break;
        }
    }
    v->upstream = s;
    v->upstream_len = hyphen ? (size_t)(hyphen - s) : n;
    v->revision = hyphen ? hyphen + 1 : "";
    v->revision_len = hyphen ? n - v->upstream_len - 1 : 0;
    if (hyphen && v->revision_len == 0)
        return "revision number is empty";
    if (v->upstream_len == 0)
        return "version number is empty";
    for (i = 0; i < v->upstream_len; i++) {
        int c = (unsigned char)v->upstream[i];
        if (!is_digit(c) && !is_alpha(c) && !strchr(".-+~:", c))
            return "invalid character in version number";
    }
    for (i = 0; i < v->revision_len; i++) {
        int c = (unsigned char)v->revision[i];
        if (!is_digit(c) && !is_alpha(c) && !strchr(".+~", c))
            return "invalid character in revision number";
    }
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

/* The dpkg comparison of one part (upstream or revision). */
static int verrevcmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;

    while (i < an || j < bn) {
        int first_diff = 0;

        while ((i < an && !is_digit((unsigned char)a[i])) ||
               (j < bn && !is_digit((unsigned char)b[j]))) {
            int ac = i < an ? order((unsigned char)a[i]) : 0;
            int bc = j < bn ? order((unsigned char)b[j]) : 0;
            if (ac != bc)
                return ac < bc ? -1 : 1;
            i++, j++;
        }
        while (i < an && a[i] == '0')
            i++;
        while (j < bn && b[j] == '0')
            j++;
        while (i < an && j < bn && is_digit((unsigned char)a[i]) && is_digit((unsigned char)b[j])) {
            if (!first_diff)
                first_diff = a[i] - b[j];
            i++, j++;
        }
        if (i < an && is_digit((unsigned char)a[i]))
            return 1;
        if (j < bn && is_digit((unsigned char)b[j]))
            return -1;
        if (first_diff)
            return first_diff < 0 ? -1 : 1;
    }
    return 0;
}

const char *pl__version_dpkg_check(const char *s, size_t n)
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

int pl__version_dpkg_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    struct pl_dpkg_version va, vb;

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
