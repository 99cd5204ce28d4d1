/*
 * version_maven.c - Maven's ComparableVersion order, in the form Maven 3.0
 * to 3.8 defined it. The string is lower-cased and split into items at '.',
 * '-' and digit/letter transitions; '-' and transitions open a nested list.
 * Numbers compare numerically; qualifiers rank alpha < beta < milestone <
 * rc = cr < snapshot < "" = ga = final = release < sp < any other (those in
 * text order); "a", "b", "m" directly followed by a digit mean alpha, beta,
 * milestone. Trailing null items (0, "", ga, final, release, empty lists)
 * are dropped from every list. A number sorts above a qualifier and a list;
 * a list sorts above a qualifier.
 *
 * Patchline accepts printable ASCII without blanks; Maven itself accepts
 * any string.
 */
#include <string.h>

#include "patchline/version.h"

#include "version_int.h"

#define MAX_ITEMS (PL_MAX_VERSION_BYTES + 2)

enum { M_INT, M_STR, M_LIST };

/* Ranks of the known qualifiers; R_OTHER compares by text after them. */
enum { R_ALPHA, R_BETA, R_MILESTONE, R_RC, R_SNAPSHOT, R_RELEASE, R_SP, R_OTHER };

struct mitem {
    int type; /* M_INT or M_STR */
    int rank; /* M_STR */
    const char *p;
    size_t n;
};

struct mlevel {
    int start, count; /* own items */
    int has_child;    /* the next level is this list's last element */
};

struct mv {
    struct mitem items[MAX_ITEMS];
    struct mlevel levels[MAX_ITEMS];
    int n_items, n_levels;
};

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int eq_word(const char *p, size_t n, const char *w)
{
    if (strlen(w) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (lower((unsigned char)p[i]) != w[i])
            return 0;
    }
    return 1;
}

static int qualifier_rank(const char *p, size_t n, int followed_by_digit)
{
    static const struct {
        const char *w;
        int rank;
    } known[] = {{"alpha", R_ALPHA},     {"beta", R_BETA},  {"milestone", R_MILESTONE},
                 {"rc", R_RC},           {"cr", R_RC},      {"snapshot", R_SNAPSHOT},
                 {"", R_RELEASE},        {"ga", R_RELEASE}, {"final", R_RELEASE},
                 {"release", R_RELEASE}, {"sp", R_SP}};

    if (followed_by_digit && n == 1) {
        int c = lower((unsigned char)p[0]);
        if (c == 'a')
            return R_ALPHA;
        if (c == 'b')
            return R_BETA;
        if (c == 'm')
            return R_MILESTONE;
    }
    for (size_t k = 0; k < PL_ARRAY_LEN(known); k++) {
        if (eq_word(p, n, known[k].w))
            return known[k].rank;
    }
    return R_OTHER;
}

static void add_item(struct mv *v, int is_num, const char *p, size_t n, int followed_by_digit)
{
    struct mitem *it = &v->items[v->n_items++];

    it->type = is_num ? M_INT : M_STR;
    it->p = p, it->n = n;
    it->rank = is_num ? 0 : qualifier_rank(p, n, followed_by_digit);
    v->levels[v->n_levels - 1].count++;
}

static void open_list(struct mv *v)
{
    v->levels[v->n_levels - 1].has_child = 1;
    v->levels[v->n_levels].start = v->n_items;
    v->levels[v->n_levels].count = 0;
    v->levels[v->n_levels].has_child = 0;
    v->n_levels++;
}

static int is_null(const struct mitem *it)
{
    if (it->type == M_STR)
        return it->rank == R_RELEASE;
    for (size_t i = 0; i < it->n; i++) {
        if (it->p[i] != '0')
            return 0;
    }
    return 1;
}

static void normalize(struct mv *v)
{
    for (int k = v->n_levels - 1; k >= 0; k--) {
        struct mlevel *l = &v->levels[k];
        if (l->has_child && v->levels[k + 1].count == 0 && !v->levels[k + 1].has_child)
            l->has_child = 0;
        while (l->count > 0 && is_null(&v->items[l->start + l->count - 1]))
            l->count--;
    }
}

static void parse(const char *s, size_t n, struct mv *v)
{
    size_t start = 0;
    int digit = 0;

    v->n_items = 0;
    v->n_levels = 1;
    v->levels[0].start = 0, v->levels[0].count = 0, v->levels[0].has_child = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.' || c == '-') {
            if (i == start)
                add_item(v, 1, "0", 1, 0);
            else
                add_item(v, digit, s + start, i - start, 0);
            start = i + 1;
            if (c == '-')
                open_list(v);
        } else if (is_digit((unsigned char)c)) {
            if (!digit && i > start) {
                add_item(v, 0, s + start, i - start, 1);
                start = i;
                open_list(v);
            }
            digit = 1;
        } else {
            if (digit && i > start) {
                add_item(v, 1, s + start, i - start, 0);
                start = i;
                open_list(v);
            }
            digit = 0;
        }
    }
    if (n > start)
        add_item(v, digit, s + start, n - start, 0);
    normalize(v);
}

/* Element idx of list level k: an item, a nested list (M_LIST), or none (-1). */
static int elem(const struct mv *v, int k, int idx, const struct mitem **it)
{
    const struct mlevel *l = &v->levels[k];

    if (idx < l->count) {
        *it = &v->items[l->start + idx];
        return (*it)->type;
    }
    if (idx == l->count && l->has_child)
        return M_LIST;
    return -1;
}

static int cmp_str(const struct mitem *a, const struct mitem *b)
{
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->rank != R_OTHER)
        return 0;
    for (size_t i = 0; i < a->n && i < b->n; i++) {
        int d = lower((unsigned char)a->p[i]) - lower((unsigned char)b->p[i]);
        if (d)
            return PL_SIGN(d);
    }
    return a->n < b->n ? -1 : a->n > b->n ? 1 : 0;
}

static int cmp_list(const struct mv *x, int kx, const struct mv *y, int ky);

/* Compare element (tx, it) of x, at list level kx, against nothing. */
static int cmp_null(const struct mv *x, int kx, int tx, const struct mitem *it)
{
    if (tx == M_INT)
        return is_null(it) ? 0 : 1;
    if (tx == M_STR)
        return it->rank < R_RELEASE ? -1 : it->rank > R_RELEASE ? 1 : 0;
    /* a nested list: its first element against nothing */
    tx = elem(x, kx + 1, 0, &it);
    return tx < 0 ? 0 : cmp_null(x, kx + 1, tx, it);
}

static int cmp_list(const struct mv *x, int kx, const struct mv *y, int ky)
{
    for (int i = 0;; i++) {
        const struct mitem *a = NULL, *b = NULL;
        int ta = elem(x, kx, i, &a), tb = elem(y, ky, i, &b), r;

        if (ta < 0 && tb < 0)
            return 0;
        if (ta < 0)
            r = -cmp_null(y, ky, tb, b);
        else if (tb < 0)
            r = cmp_null(x, kx, ta, a);
        else if (ta != tb)
            r = ta == M_INT ? 1 : tb == M_INT ? -1 : ta == M_LIST ? 1 : -1;
        else if (ta == M_INT)
            r = pl__core_version_numcmp(a->p, a->n, b->p, b->n);
        else if (ta == M_STR)
            r = cmp_str(a, b);
        else
            r = cmp_list(x, kx + 1, y, ky + 1);
        if (r)
            return r;
    }
}

const char *pl__core_version_maven_check(const char *s, size_t n)
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

int pl__core_version_maven_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    static _Thread_local struct mv x, y;

    parse(a, an, &x);
    parse(b, bn, &y);
    return cmp_list(&x, 0, &y, 0);
}
