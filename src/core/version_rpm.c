/*
 * version_rpm.c - the RPM order. rpmvercmp splits a string into runs of
 * ASCII digits and runs of ASCII letters; everything else separates them,
 * except '~' (sorts before anything, even the end) and '^' (sorts after the
 * end but before any further segment). An EVR "[E:]V[-R]" is split as rpm
 * does (the epoch is the leading digits before ':', the release follows the
 * last '-') and compared epoch (missing: 0), then version, then release (a
 * missing release sorts below any release).
 *
 * Patchline rejects only what cannot be a version at all: control bytes,
 * non-ASCII bytes, blanks, and for EVRs an empty version or release.
 */
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

static int is_alnum(int c)
{
    return is_digit(c) || is_alpha(c);
}

int pl__version_rpmvercmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;

    if (an == bn && memcmp(a, b, an) == 0)
        return 0;
    while (i < an || j < bn) {
        size_t si, sj;
        int isnum, r;

        while (i < an && !is_alnum((unsigned char)a[i]) && a[i] != '~' && a[i] != '^')
            i++;
        while (j < bn && !is_alnum((unsigned char)b[j]) && b[j] != '~' && b[j] != '^')
            j++;
        if ((i < an && a[i] == '~') || (j < bn && b[j] == '~')) {
            if (i >= an || a[i] != '~')
                return 1;
            if (j >= bn || b[j] != '~')
                return -1;
            i++, j++;
            continue;
        }
        if ((i < an && a[i] == '^') || (j < bn && b[j] == '^')) {
            if (i >= an)
                return -1;
            if (j >= bn)
                return 1;
            if (a[i] != '^')
                return 1;
            if (b[j] != '^')
                return -1;
            i++, j++;
            continue;
        }
        if (i >= an || j >= bn)
            break;
        si = i, sj = j;
        isnum = is_digit((unsigned char)a[i]);
        if (isnum) {
            while (i < an && is_digit((unsigned char)a[i]))
                i++;
            while (j < bn && is_digit((unsigned char)b[j]))
                j++;
        } else {
            while (i < an && is_alpha((unsigned char)a[i]))
                i++;
            while (j < bn && is_alpha((unsigned char)b[j]))
                j++;
        }
        if (sj == j)
            return isnum ? 1 : -1;
        if (isnum) {
            r = pl__version_numcmp(a + si, i - si, b + sj, j - sj);
        } else {
            size_t la = i - si, lb = j - sj;
            r = memcmp(a + si, b + sj, la < lb ? la : lb);
            r = r ? r : (la < lb ? -1 : la > lb ? 1 : 0);
        }
        if (r)
            return PL_SIGN(r);
    }
    if (i >= an && j >= bn)
        return 0;
    return i >= an ? -1 : 1;
}

const char *pl__version_rpmvercmp_check(const char *s, size_t n)
{
    if (n == 0)
        return "version is empty";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f)
            return c >= 0x80 ? "non-ASCII byte in version" : "blank or control byte in version";
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

const char *pl__version_rpm_check(const char *s, size_t n)
{
    struct evr x;
    const char *why = pl__version_rpmvercmp_check(s, n);

    if (why)
        return why;
    split(s, n, &x);
    if (x.vn == 0)
        return "version part is empty";
    if (x.r && x.rn == 0)
        return "release part is empty";
    return NULL;
}

int pl__version_rpm_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    struct evr x, y;
    int r;

    split(a, an, &x);
    split(b, bn, &y);
    r = pl__version_numcmp(x.e ? x.e : "0", x.e ? x.en : 1, y.e ? y.e : "0", y.e ? y.en : 1);
    if (r)
        return r;
    r = pl__version_rpmvercmp(x.v, x.vn, y.v, y.vn);
    if (r)
        return r;
    if (!x.r || !y.r)
        return x.r ? 1 : y.r ? -1 : 0;
    return pl__version_rpmvercmp(x.r, x.rn, y.r, y.rn);
}
