/*
 * version_pep440.c - Python versions (PEP 440, packaging's reading):
 * [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the normalisations
 * PEP 440 allows: case, a leading "v", surrounding whitespace, "-", "_" or
 * "." (or nothing) before pre/post/dev parts, the spellings alpha, beta, c,
 * pre, preview, rev, r, implicit numbers (0), and "-N" as a post release.
 */
#include <string.h>

#include "patchline/version.h"

#include "version_int.h"

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int is_alnum(int c)
{
    c = lower(c);
    return is_digit(c) || (c >= 'a' && c <= 'z');
}

static int is_sep(int c)
{
    return c == '-' || c == '_' || c == '.';
}

struct span {
    const char *p;
    size_t n;
};

struct pv {
    struct span epoch, release, pre_n, post_n, dev_n, local;
    int pre; /* 0 none, 1 a, 2 b, 3 rc */
    int has_post, has_dev;
};

struct cur {
    const char *s;
    size_t n, i;
};

/* Consume word (lower case) case-insensitively at the cursor. */
static int word(struct cur *c, const char *w)
{
    size_t l = strlen(w);

    if (c->n - c->i < l)
        return 0;
    for (size_t k = 0; k < l; k++) {
        if (lower((unsigned char)c->s[c->i + k]) != w[k])
            return 0;
    }
    c->i += l;
    return 1;
}

static struct span digits(struct cur *c)
{
    struct span sp = {c->s + c->i, 0};

    while (c->i < c->n && is_digit((unsigned char)c->s[c->i]))
        c->i++, sp.n++;
    return sp;
}

static void opt_sep(struct cur *c)
{
    if (c->i < c->n && is_sep((unsigned char)c->s[c->i]))
        c->i++;
}

/* An optional "[sep]WORD[sep]N" part; returns the index of the word + 1, or 0. */
static int part(struct cur *c, const char *const *words, size_t n_words, struct span *num)
{
    size_t save = c->i;

    opt_sep(c);
    for (size_t k = 0; k < n_words; k++) {
        if (word(c, words[k])) {
            size_t before = c->i;
            opt_sep(c);
            *num = digits(c);
            if (num->n == 0)
                c->i = before;
            return (int)k + 1;
        }
    }
    c->i = save;
    return 0;
}

static const char *parse_tail(struct cur *c, struct pv *v)
{
    static const char *const pre[] = {"alpha", "beta", "preview", "pre", "rc", "a", "b", "c"};
    static const int pre_kind[] = {1, 2, 3, 3, 3, 1, 2, 3};
    static const char *const post[] = {"post", "rev", "r"};
    static const char *const dev[] = {"dev"};
    int k = part(c, pre, PL_ARRAY_LEN(pre), &v->pre_n);

    v->pre = k ? pre_kind[k - 1] : 0;
    if (c->i + 1 < c->n && c->s[c->i] == '-' && is_digit((unsigned char)c->s[c->i + 1])) {
        c->i++;
        v->post_n = digits(c);
        v->has_post = 1;
    } else {
        v->has_post = part(c, post, PL_ARRAY_LEN(post), &v->post_n) != 0;
    }
    v->has_dev = part(c, dev, 1, &v->dev_n) != 0;
    if (c->i < c->n && c->s[c->i] == '+') {
        size_t st = ++c->i;
        while (c->i < c->n) {
            size_t seg = c->i;
            while (c->i < c->n && is_alnum((unsigned char)c->s[c->i]))
                c->i++;
            if (c->i == seg)
                return "empty segment in local version";
            if (c->i < c->n && is_sep((unsigned char)c->s[c->i]) && c->i + 1 < c->n)
                c->i++;
            else
                break;
        }
        v->local.p = c->s + st, v->local.n = c->i - st;
        if (v->local.n == 0)
            return "empty local version";
    }
    return c->i == c->n ? NULL : "not a PEP 440 version";
}

static const char *parse(const char *s, size_t n, struct pv *v)
{
    struct cur c = {s, n, 0};
    struct span first;

    memset(v, 0, sizeof(*v));
    while (c.n > 0 && (s[c.n - 1] == ' ' || (s[c.n - 1] >= '\t' && s[c.n - 1] <= '\r')))
        c.n--;
    while (c.i < c.n && (s[c.i] == ' ' || (s[c.i] >= '\t' && s[c.i] <= '\r')))
        c.i++;
    if (c.i < c.n && lower((unsigned char)s[c.i]) == 'v')
        c.i++;
    first = digits(&c);
    if (first.n == 0)
        return c.i == c.n ? "version is empty" : "release does not start with a number";
    if (c.i < c.n && s[c.i] == '!') {
        v->epoch = first;
        c.i++;
        first = digits(&c);
        if (first.n == 0)
            return "release does not start with a number";
    }
    v->release.p = first.p;
    while (c.i + 1 < c.n && s[c.i] == '.' && is_digit((unsigned char)s[c.i + 1])) {
        c.i++;
        (void)digits(&c);
    }
    v->release.n = (size_t)(s + c.i - first.p);
    return parse_tail(&c, v);
}

const char *pl__core_version_pep440_check(const char *s, size_t n)
{
    struct pv v;

    return parse(s, n, &v);
}

/* The next number of a dotted release (0 past its end). */
static struct span next_num(struct span *r)
{
    struct span d = {r->p, 0};

    while (d.n < r->n && r->p[d.n] != '.')
        d.n++;
    r->p += d.n + (d.n < r->n);
    r->n -= d.n + (d.n < r->n);
    return d;
}

static int cmp_release(struct span a, struct span b)
{
    while (a.n > 0 || b.n > 0) {
        struct span x = next_num(&a), y = next_num(&b);
        int r = pl__core_version_numcmp(x.p, x.n, y.p, y.n);
        if (r)
            return r;
    }
    return 0;
}

static struct span next_seg(struct span *l)
{
    struct span d = {l->p, 0};

    while (d.n < l->n && !is_sep((unsigned char)l->p[d.n]))
        d.n++;
    l->p += d.n + (d.n < l->n);
    l->n -= d.n + (d.n < l->n);
    return d;
}

static int all_digits(struct span s)
{
    for (size_t i = 0; i < s.n; i++) {
        if (!is_digit((unsigned char)s.p[i]))
            return 0;
    }
    return 1;
}

static int cmp_local(struct span a, struct span b)
{
    while (a.n > 0 && b.n > 0) {
        struct span x = next_seg(&a), y = next_seg(&b);
        int dx = all_digits(x), dy = all_digits(y), r = 0;
        if (dx && dy)
            r = pl__core_version_numcmp(x.p, x.n, y.p, y.n);
        else if (dx != dy)
            r = dx ? 1 : -1;
        for (size_t k = 0; !r && k < x.n && k < y.n; k++)
            r = PL_SIGN(lower((unsigned char)x.p[k]) - lower((unsigned char)y.p[k]));
        if (!r && !dx)
            r = x.n < y.n ? -1 : x.n > y.n ? 1 : 0;
        if (r)
            return r;
    }
    return a.n > 0 ? 1 : b.n > 0 ? -1 : 0;
}

/* Rank of the pre-release part: 0 "dev only" (below any pre), 1-3 a/b/rc, 4 none. */
static int pre_rank(const struct pv *v)
{
    if (!v->pre && !v->has_post && v->has_dev)
        return 0;
    return v->pre ? v->pre : 4;
}

int pl__core_version_pep440_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    struct pv x, y;
    int r;

    (void)parse(a, an, &x);
    (void)parse(b, bn, &y);
    r = pl__core_version_numcmp(x.epoch.p, x.epoch.n, y.epoch.p, y.epoch.n);
    if (!r)
        r = cmp_release(x.release, y.release);
    if (!r && pre_rank(&x) != pre_rank(&y))
        r = pre_rank(&x) < pre_rank(&y) ? -1 : 1;
    if (!r && x.pre)
        r = pl__core_version_numcmp(x.pre_n.p, x.pre_n.n, y.pre_n.p, y.pre_n.n);
    if (!r && x.has_post != y.has_post)
        r = x.has_post ? 1 : -1;
    if (!r && x.has_post)
        r = pl__core_version_numcmp(x.post_n.p, x.post_n.n, y.post_n.p, y.post_n.n);
    if (!r && x.has_dev != y.has_dev)
        r = x.has_dev ? -1 : 1;
    if (!r && x.has_dev)
        r = pl__core_version_numcmp(x.dev_n.p, x.dev_n.n, y.dev_n.p, y.dev_n.n);
    if (!r && (x.local.n || y.local.n))
        r = x.local.n && y.local.n ? cmp_local(x.local, y.local) : x.local.n ? 1 : -1;
    return r;
}
