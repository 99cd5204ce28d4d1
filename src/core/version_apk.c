/*
 * version_apk.c - Alpine package versions, in the two generations of
 * apk-tools. Both read "digit{.digit}...{letter}{_suffix{#}}...{-r#}" token
 * by token; apk-tools 3 adds a "~hash" token before the revision, compares
 * a number with a leading zero as a string, and rejects a few strings the
 * 2.x tokenizer let through. docs/versions.md lists the differences.
 */
#include <stdint.h>
#include <string.h>

#include "patchline/version.h"

#include "version_int.h"

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_lower(int c)
{
    return c >= 'a' && c <= 'z';
}

/* ---- apk-tools 2.x ------------------------------------------------------ */

enum t2 {
    T2_INVALID = -1,
    T2_DIGIT_OR_ZERO,
    T2_DIGIT,
    T2_LETTER,
    T2_SUFFIX,
    T2_SUFFIX_NO,
    T2_REVISION_NO,
    T2_END
};

struct cur {
    const char *p;
    size_t n;
};

static void adv(struct cur *c, size_t k)
{
    c->p += k;
    c->n -= k;
}

/* Decide the type of the next token from the separator, consuming it. */
static void next2(int *type, struct cur *c)
{
    int t = T2_INVALID;
    unsigned char ch = c->n ? (unsigned char)c->p[0] : 0;

    if (c->n == 0) {
        t = T2_END;
    } else if ((*type == T2_DIGIT || *type == T2_DIGIT_OR_ZERO) && is_lower(ch)) {
        t = T2_LETTER;
    } else if (*type == T2_LETTER && is_digit(ch)) {
        t = T2_DIGIT;
    } else if (*type == T2_SUFFIX && is_digit(ch)) {
        t = T2_SUFFIX_NO;
    } else {
        if (ch == '.') {
            t = T2_DIGIT_OR_ZERO;
        } else if (ch == '_') {
            t = T2_SUFFIX;
        } else if (ch == '-' && c->n > 1 && c->p[1] == 'r') {
            t = T2_REVISION_NO;
            adv(c, 1);
        }
        adv(c, 1);
    }
    if (t < *type &&
        !((t == T2_DIGIT_OR_ZERO && *type == T2_DIGIT) ||
          (t == T2_SUFFIX && *type == T2_SUFFIX_NO) || (t == T2_DIGIT && *type == T2_LETTER)))
        t = T2_INVALID;
    *type = t;
}

/* Match one of words at the cursor as a prefix; its index or -1. */
static int prefix_of(const struct cur *c, const char *const *words, int n_words, size_t *len)
{
    for (int k = 0; k < n_words; k++) {
        size_t l = strlen(words[k]);
        if (l <= c->n && memcmp(words[k], c->p, l) == 0) {
            *len = l;
            return k;
        }
    }
    return -1;
}

/* Read the value of the current token and move to the next one. */
static int64_t get2(int *type, struct cur *c)
{
    static const char *const pre[] = {"alpha", "beta", "pre", "rc"};
    static const char *const post[] = {"cvs", "svn", "git", "hg", "p"};
    int64_t v = 0;
    size_t i = 0;
    int nt = T2_INVALID, k;

    if (c->n == 0) {
        *type = T2_END;
        return 0;
    }
    switch (*type) {
    case T2_DIGIT_OR_ZERO:
        /*
         * apk-tools 2.12 and later: every zero but the last counts down,
         * and the last one starts the number, so "0" reads as the two
         * tokens 0 and 0 and "0_rc1" still ends in a suffix ("1.0_rc1" <
         * "1.0"), while "00" reads as -1 and 0 ("1.0" > "1.00").
         */
        if (c->p[0] == '0') {
            while (i + 1 < c->n && c->p[i + 1] == '0')
                i++;
            nt = T2_DIGIT;
            v = -(int64_t)i;
            break;
        }
        /* fall through */
    case T2_DIGIT:
    case T2_SUFFIX_NO:
    case T2_REVISION_NO:
        while (i < c->n && is_digit((unsigned char)c->p[i]))
            v = (int64_t)((uint64_t)v * 10 + (uint64_t)(c->p[i++] - '0'));
        break;
    case T2_LETTER:
        v = (unsigned char)c->p[i++];
        break;
    case T2_SUFFIX:
        k = prefix_of(c, pre, 4, &i);
        if (k >= 0) {
            v = k - 4;
            break;
        }
        k = prefix_of(c, post, 5, &i);
        if (k >= 0) {
            v = k;
            break;
        }
        /* fall through */
    default:
        *type = T2_INVALID;
        return -1;
    }
    adv(c, i);
    if (c->n == 0)
        *type = T2_END;
    else if (nt != T2_INVALID)
        *type = nt;
    else
        next2(type, c);
    return v;
}

const char *pl__core_version_apk_check(const char *s, size_t n)
{
    struct cur c = {s, n};
    int t = T2_DIGIT;

    if (n == 0)
        return "version is empty";
    while (t != T2_END && t != T2_INVALID)
        (void)get2(&t, &c);
    return t == T2_END ? NULL : "not an apk version (digit{.digit}{letter}{_suffix{#}}{-r#})";
}

int pl__core_version_apk_cmp_fuzzy(const char *a, size_t an, const char *b, size_t bn, int fuzzy)
{
    struct cur ca = {a, an}, cb = {b, bn};
    int at = T2_DIGIT, bt = T2_DIGIT, tt;
    int64_t av = 0, bv = 0;

    while (at == bt && at != T2_END && at != T2_INVALID && av == bv) {
        av = get2(&at, &ca);
        bv = get2(&bt, &cb);
    }
    if (av != bv)
        return av < bv ? -1 : 1;
    if (at == bt || fuzzy)
        return 0;
    tt = at;
    if (at == T2_SUFFIX && get2(&tt, &ca) < 0)
        return -1;
    tt = bt;
    if (bt == T2_SUFFIX && get2(&tt, &cb) < 0)
        return 1;
    if (at != bt)
        return at > bt ? -1 : 1;
    return 0;
}

int pl__core_version_apk_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    return pl__core_version_apk_cmp_fuzzy(a, an, b, bn, 0);
}

/* ---- apk-tools 3 -------------------------------------------------------- */

enum t3 {
    T3_INITIAL,
    T3_DIGIT,
    T3_LETTER,
    T3_SUFFIX,
    T3_SUFFIX_NO,
    T3_HASH,
    T3_REVISION,
    T3_END,
    T3_INVALID
};

/* Suffix ranks: pre-release ones below S3_NONE, post-release ones above. */
enum { S3_INVALID, S3_ALPHA, S3_BETA, S3_PRE, S3_RC, S3_NONE, S3_CVS, S3_SVN, S3_GIT, S3_HG, S3_P };

struct tok3 {
    int token;
    int suffix;
    uint64_t number;
    const char *v; /* the token's text */
    size_t vn;
};

static int suffix3(const char *s, size_t n)
{
    static const char *const names[] = {"",    "alpha", "beta", "pre", "rc", "",
                                        "cvs", "svn",   "git",  "hg",  "p"};

    for (int k = 1; k < (int)PL_ARRAY_LEN(names); k++) {
        if (k != S3_NONE && strlen(names[k]) == n && memcmp(names[k], s, n) == 0)
            return k;
    }
    return S3_INVALID;
}

static void digits3(struct tok3 *t, struct cur *c)
{
    size_t i = 0;

    t->number = 0;
    while (i < c->n && is_digit((unsigned char)c->p[i]))
        t->number = t->number * 10 + (uint64_t)(c->p[i++] - '0');
    t->v = c->p, t->vn = i;
    adv(c, i);
    if (i == 0)
        t->token = T3_INVALID;
}

static void first3(struct tok3 *t, struct cur *c)
{
    t->token = T3_INITIAL;
    digits3(t, c);
}

static size_t span3(const struct cur *c, int hex)
{
    size_t i = 0;

    while (i < c->n) {
        unsigned char ch = (unsigned char)c->p[i];
        if (!(is_lower(ch) && (!hex || ch <= 'f')) && !(hex && is_digit(ch)))
            break;
        i++;
    }
    return i;
}

static void next3(struct tok3 *t, struct cur *c)
{
    unsigned char ch = c->n ? (unsigned char)c->p[0] : 0;

    if (c->n == 0) {
        t->token = T3_END;
        return;
    }
    if (is_lower(ch) && t->token <= T3_DIGIT) {
        t->v = c->p, t->vn = 1;
        t->token = T3_LETTER;
        adv(c, 1);
    } else if ((ch == '.' && t->token <= T3_DIGIT) ||
               (is_digit(ch) && (t->token <= T3_DIGIT || t->token == T3_SUFFIX))) {
        if (ch == '.')
            adv(c, 1);
        t->token = t->token == T3_SUFFIX ? T3_SUFFIX_NO : T3_DIGIT;
        digits3(t, c);
    } else if (ch == '_' && t->token <= T3_SUFFIX_NO) {
        adv(c, 1);
        t->v = c->p, t->vn = span3(c, 0);
        adv(c, t->vn);
        t->suffix = suffix3(t->v, t->vn);
        t->token = t->suffix == S3_INVALID ? T3_INVALID : T3_SUFFIX;
    } else if (ch == '~' && t->token < T3_HASH) {
        adv(c, 1);
        t->v = c->p, t->vn = span3(c, 1);
        adv(c, t->vn);
        t->token = t->vn ? T3_HASH : T3_INVALID;
    } else if (ch == '-' && t->token < T3_REVISION && c->n > 1 && c->p[1] == 'r') {
        adv(c, 2);
        t->token = T3_REVISION;
        digits3(t, c);
    } else {
        t->token = T3_INVALID;
    }
}

static int bytes_sort(const char *a, size_t an, const char *b, size_t bn)
{
    int r = memcmp(a, b, an < bn ? an : bn);

    if (r)
        return PL_SIGN(r);
    return an < bn ? -1 : an > bn ? 1 : 0;
}

static int tok3_cmp(const struct tok3 *ta, const struct tok3 *tb)
{
    uint64_t x, y;

    switch (ta->token) {
    case T3_DIGIT:
        if (ta->v[0] == '0' || tb->v[0] == '0')
            return bytes_sort(ta->v, ta->vn, tb->v, tb->vn);
        /* fall through */
    case T3_INITIAL:
    case T3_SUFFIX_NO:
    case T3_REVISION:
        x = ta->number, y = tb->number;
        break;
    case T3_LETTER:
        x = (unsigned char)ta->v[0], y = (unsigned char)tb->v[0];
        break;
    case T3_SUFFIX:
        x = (uint64_t)ta->suffix, y = (uint64_t)tb->suffix;
        break;
    default:
        return bytes_sort(ta->v, ta->vn, tb->v, tb->vn);
    }
    return x < y ? -1 : x > y ? 1 : 0;
}

const char *pl__core_version_apk3_check(const char *s, size_t n)
{
    struct cur c = {s, n};
    struct tok3 t = {0};

    for (first3(&t, &c); t.token < T3_END; next3(&t, &c))
        ;
    return t.token == T3_END ? NULL
                             : "not an apk version (digit{.digit}{letter}{_suffix{#}}{~hash}{-r#})";
}

int pl__core_version_apk3_cmp_fuzzy(const char *a, size_t an, const char *b, size_t bn, int fuzzy)
{
    struct cur ca = {a, an}, cb = {b, bn};
    struct tok3 ta = {0}, tb = {0};

    for (first3(&ta, &ca), first3(&tb, &cb); ta.token == tb.token && ta.token < T3_END;
         next3(&ta, &ca), next3(&tb, &cb)) {
        int r = tok3_cmp(&ta, &tb);
        if (r)
            return r;
    }
    if (ta.token == tb.token)
        return 0;
    if (tb.token == T3_END && fuzzy)
        return 0;
    if (ta.token == T3_SUFFIX && ta.suffix < S3_NONE)
        return -1;
    if (tb.token == T3_SUFFIX && tb.suffix < S3_NONE)
        return 1;
    return ta.token > tb.token ? -1 : ta.token < tb.token ? 1 : 0;
}

int pl__core_version_apk3_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    return pl__core_version_apk3_cmp_fuzzy(a, an, b, bn, 0);
}
