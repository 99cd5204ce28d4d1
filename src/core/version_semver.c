/*
 * version_semver.c - Semantic Versioning 2.0.0 (semver.org), strictly:
 * MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], numbers without leading zeros,
 * no "v" prefix, no blanks. Precedence ignores build metadata; a
 * pre-release sorts below its release; pre-release identifiers compare
 * numerically when all digits, else in ASCII order, and numeric ones sort
 * below alphanumeric ones.
 */
#include <string.h>

#include "patchline/version.h"

#include "version_int.h"

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_ident(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

struct sv {
    const char *num[3];
    size_t num_len[3];
    const char *pre; /* NULL when absent */
    size_t pre_len;
};

/* SemVer 2.0.0 §9: a numeric pre-release identifier has no leading zero. */
static bool numeric_with_leading_zero(const char *s, size_t id, size_t end)
{
    size_t k = id;

    if (s[id] != '0' || end - id <= 1)
        return false;
    while (k < end && is_digit((unsigned char)s[k]))
        k++;
    return k == end;
}

static const char *parse(const char *s, size_t n, struct sv *v)
{
    size_t i = 0;

    for (int k = 0; k < 3; k++) {
        size_t st = i;
        while (i < n && is_digit((unsigned char)s[i]))
            i++;
        if (i == st)
            return k == 0 ? "major version is not a number" : "expected MAJOR.MINOR.PATCH";
        if (s[st] == '0' && i - st > 1)
            return "number with a leading zero";
        v->num[k] = s + st, v->num_len[k] = i - st;
        if (k < 2 && (i >= n || s[i++] != '.'))
            return "expected MAJOR.MINOR.PATCH";
    }
    v->pre = NULL, v->pre_len = 0;
    for (int part = 0; part < 2 && i < n; part++) {
        char lead = s[i];
        size_t st = i + 1, id = st;
        if ((lead != '-' || part > 0 || v->pre) && lead != '+')
            return "unexpected character after MAJOR.MINOR.PATCH";
        for (i = st;; i++) {
            if (i < n && is_ident((unsigned char)s[i]))
                continue;
            if (i == id)
                return lead == '-' ? "empty pre-release identifier" : "empty build identifier";
            if (lead == '-' && numeric_with_leading_zero(s, id, i))
                return "numeric pre-release identifier with a leading zero";
            if (i < n && s[i] == '.') {
                id = i + 1;
                continue;
            }
            break;
        }
        if (lead == '-')
            v->pre = s + st, v->pre_len = i - st;
        else if (i < n)
            return "invalid character in build metadata";
        if (lead == '+')
            break;
    }
    if (i < n)
        return "invalid character in pre-release";
    return NULL;
}

const char *pl__core_version_semver_check(const char *s, size_t n)
{
    struct sv v;

    return parse(s, n, &v);
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!is_digit((unsigned char)s[i]))
            return 0;
    }
    return 1;
}

static int cmp_ident(const char *a, size_t an, const char *b, size_t bn)
{
    int da = all_digits(a, an), db = all_digits(b, bn), r;

    if (da && db)
        return pl__core_version_numcmp(a, an, b, bn);
    if (da != db)
        return da ? -1 : 1;
    r = memcmp(a, b, an < bn ? an : bn);
    if (r)
        return PL_SIGN(r);
    return an < bn ? -1 : an > bn ? 1 : 0;
}

static int cmp_pre(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;

    for (;;) {
        size_t si = i, sj = j;
        int r;
        if (i >= an || j >= bn)
            return i < an ? 1 : j < bn ? -1 : 0;
        while (i < an && a[i] != '.')
            i++;
        while (j < bn && b[j] != '.')
            j++;
        r = cmp_ident(a + si, i - si, b + sj, j - sj);
        if (r)
            return r;
        i += i < an, j += j < bn;
    }
}

int pl__core_version_semver_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    struct sv x = {0}, y = {0};
    int r;

    (void)parse(a, an, &x);
    (void)parse(b, bn, &y);
    for (int k = 0; k < 3; k++) {
        r = pl__core_version_numcmp(x.num[k], x.num_len[k], y.num[k], y.num_len[k]);
        if (r)
            return r;
    }
    if (!x.pre || !y.pre)
        return x.pre ? -1 : y.pre ? 1 : 0;
    return cmp_pre(x.pre, x.pre_len, y.pre, y.pre_len);
}
