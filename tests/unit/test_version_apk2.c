/*
 * test_version_apk2.c - the apk scheme (apk-tools 2.x order) differentially:
 * 100,000 generated pairs against a reference model, and every order row of
 * the shared apk-tools table.
 *
 * apk-tools is not packaged in Debian 12, so `apk version -t` cannot run
 * here. The reference instead follows apk-tools 2.x's comparison from the
 * grammar side: each version is generated as a structure (numbers, leading
 * zeros, a letter, suffixes with or without numbers, at the end or followed
 * by more suffixes and -rN) and its token list (type, value) is derived from
 * that structure, not by scanning the string as src/core/version_apk.c does;
 * the two lists are then compared as apk_version_compare_blob() does: token by
 * token while the types match, then a pre-release suffix sorts below
 * whatever the other side has, and otherwise the side whose next token type
 * comes later (the end last) is the lower.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "patchline/buf.h"
#include "patchline/error.h"
#include "patchline/file.h"
#include "patchline/version.h"

#define N_PAIRS 100000u

/* apk-tools 2.x token types, in its order (the end last). */
enum { DIGIT_OR_ZERO, DIGIT, LETTER, SUFFIX, SUFFIX_NO, REVISION_NO, END };

static const char *const suffix_names[] = {"alpha", "beta", "pre", "rc", "cvs",
                                           "svn",   "git",  "hg",  "p"};
/* alpha..rc rank below a release (-4..-1), cvs..p above it (0..4). */
static const int suffix_rank[] = {-4, -3, -2, -1, 0, 1, 2, 3, 4};

struct ver {
    char num[6][8]; /* num[0] the first number, then the ".N" parts, as text */
    int n_num;
    char letter;                           /* 0: none */
    int suffix[3], suffix_no[3], n_suffix; /* suffix_no -1: none */
    int rev;                               /* -1: none */
};

struct tok {
    int type;
    int64_t value;
};

static uint64_t rng = 0x243f6a8885a308d3u;

static unsigned pick(unsigned n)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (unsigned)((z ^ (z >> 31)) % n);
}

static void gen_number(char *s)
{
    static const char *const fixed[] = {"0", "00", "000", "01", "001", "010", "1", "10", "9"};
    unsigned len;

    if (pick(2) == 0) {
        const char *f = fixed[pick(PL_ARRAY_LEN(fixed))];
        memcpy(s, f, strlen(f) + 1);
        return;
    }
    len = 1 + pick(4);
    for (unsigned i = 0; i < len; i++)
        s[i] = (char)('0' + pick(10));
    s[len] = '\0';
}

static void gen(struct ver *v)
{
    memset(v, 0, sizeof(*v));
    v->n_num = 1 + (int)pick(5);
    for (int i = 0; i < v->n_num; i++)
        gen_number(v->num[i]);
    v->letter = pick(6) == 0 ? (char)('a' + pick(26)) : 0;
    v->n_suffix = (int)pick(4);
    for (int i = 0; i < v->n_suffix; i++) {
        v->suffix[i] = (int)pick(9);
        v->suffix_no[i] = pick(2) ? (int)pick(12) : -1;
    }
    v->rev = pick(2) ? (int)pick(12) : -1;
}

/* A neighbour of v: one part changed, added or removed. */
static void mutate(const struct ver *v, struct ver *w)
{
    *w = *v;
    switch (pick(8)) {
    case 0:
        gen_number(w->num[pick((unsigned)w->n_num)]);
        break;
    case 1:
        if (w->n_num < 6)
            gen_number(w->num[w->n_num++]);
        break;
    case 2:
        if (w->n_num > 1)
            w->n_num--;
        break;
    case 3:
        w->letter = w->letter ? 0 : (char)('a' + pick(26));
        break;
    case 4:
        if (w->n_suffix < 3) {
            w->suffix[w->n_suffix] = (int)pick(9);
            w->suffix_no[w->n_suffix++] = pick(2) ? (int)pick(12) : -1;
        }
        break;
    case 5:
        if (w->n_suffix > 0)
            w->n_suffix--;
        break;
    case 6:
        w->rev = w->rev >= 0 && pick(2) ? -1 : (int)pick(12);
        break;
    default:
        if (w->n_suffix > 0)
            w->suffix_no[pick((unsigned)w->n_suffix)] = pick(2) ? (int)pick(12) : -1;
        break;
    }
}

static void render(const struct ver *v, char *s, size_t cap)
{
    struct pl_buf b;

    pl_buf_init(&b, 0);
    pl_buf_add(&b, v->num[0], strlen(v->num[0]));
    for (int i = 1; i < v->n_num; i++)
        pl_buf_addf(&b, ".%s", v->num[i]);
    if (v->letter)
        pl_buf_addf(&b, "%c", v->letter);
    for (int i = 0; i < v->n_suffix; i++) {
        pl_buf_addf(&b, "_%s", suffix_names[v->suffix[i]]);
        if (v->suffix_no[i] >= 0)
            pl_buf_addf(&b, "%d", v->suffix_no[i]);
    }
    if (v->rev >= 0)
        pl_buf_addf(&b, "-r%d", v->rev);
    assert_true(b.len < cap);
    memcpy(s, pl_buf_cstr(&b), b.len + 1);
    pl_buf_release(&b);
}

static int64_t number(const char *s)
{
    return (int64_t)strtoll(s, NULL, 10);
}

/*
 * The token list of v: the first number as is; a later ".N" with z leading
 * zeros reads as the count -(z-1) and then the number from the last zero on
 * (apk-tools 2.12 and later), otherwise as N.
 */
static size_t tokens(const struct ver *v, struct tok *t)
{
    size_t n = 0;

    t[n++] = (struct tok){DIGIT, number(v->num[0])};
    for (int i = 1; i < v->n_num; i++) {
        const char *s = v->num[i];
        size_t z = strspn(s, "0");
        if (z == 0) {
            t[n++] = (struct tok){DIGIT_OR_ZERO, number(s)};
        } else {
            t[n++] = (struct tok){DIGIT_OR_ZERO, -(int64_t)(z - 1)};
            t[n++] = (struct tok){DIGIT, number(s + z - 1)};
        }
    }
    if (v->letter)
        t[n++] = (struct tok){LETTER, v->letter};
    for (int i = 0; i < v->n_suffix; i++) {
        t[n++] = (struct tok){SUFFIX, suffix_rank[v->suffix[i]]};
        if (v->suffix_no[i] >= 0)
            t[n++] = (struct tok){SUFFIX_NO, v->suffix_no[i]};
    }
    if (v->rev >= 0)
        t[n++] = (struct tok){REVISION_NO, v->rev};
    t[n] = (struct tok){END, 0};
    return n;
}

static int reference_cmp(const struct ver *va, const struct ver *vb)
{
    struct tok a[32], b[32];
    size_t i = 0;

    (void)tokens(va, a);
    (void)tokens(vb, b);
    for (; a[i].type == b[i].type && a[i].type != END; i++) {
        if (a[i].value != b[i].value)
            return a[i].value < b[i].value ? -1 : 1;
    }
    if (a[i].type == b[i].type)
        return 0;
    if (a[i].type == SUFFIX && a[i].value < 0)
        return -1;
    if (b[i].type == SUFFIX && b[i].value < 0)
        return 1;
    return a[i].type > b[i].type ? -1 : 1;
}

static void generated_pairs(void **state)
{
    char sa[128], sb[128];
    size_t bad = 0, equal = 0, prerelease_at_end = 0;

    (void)state;
    for (unsigned i = 0; i < N_PAIRS; i++) {
        struct pl_error err = PL_ERROR_INIT;
        struct ver va, vb;
        int got = 9, want;

        gen(&va);
        if (pick(5))
            mutate(&va, &vb);
        else
            gen(&vb);
        render(&va, sa, sizeof(sa));
        render(&vb, sb, sizeof(sb));
        want = reference_cmp(&va, &vb);
        equal += want == 0;
        prerelease_at_end +=
            va.n_suffix && suffix_rank[va.suffix[va.n_suffix - 1]] < 0 && va.rev < 0;
        if (pl_version_cmp(PL_VSCHEME_APK, sa, sb, &got, &err) != PL_OK || got != want) {
            if (bad++ < 10)
                print_message("apk '%s' vs '%s': reference %d, patchline %d %s\n", sa, sb, want,
                              got, err.msg);
        }
    }
    assert_int_equal(bad, 0);
    /* the generator reaches the cases that matter */
    assert_true(equal > N_PAIRS / 50);
    assert_true(prerelease_at_end > N_PAIRS / 20);
}

/* The examples: a pre-release after ".0" sorts below the release. */
static void prerelease_after_zero(void **state)
{
    static const struct {
        const char *a, *b;
        int want;
    } c[] = {
        {"1.0_rc1", "1.0", -1},
        {"7.36.0_alpha", "7.36.0", -1},
        {"3.20.0_beta_p1", "3.20.0", -1},
        {"6.0_pre1", "6.0", -1},
        {"1.0_rc1-r2", "1.0-r0", -1},
        {"1.00_rc1", "1.00", -1},
        {"1.0_p1", "1.0", 1},
        {"1.0", "1.00", 1},
    };
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(c); i++) {
        int got = 9, back = 9;
        assert_int_equal(pl_version_cmp(PL_VSCHEME_APK, c[i].a, c[i].b, &got, &err), PL_OK);
        if (got != c[i].want)
            fail_msg("'%s' vs '%s': got %d, want %d", c[i].a, c[i].b, got, c[i].want);
        assert_int_equal(pl_version_cmp(PL_VSCHEME_APK, c[i].b, c[i].a, &back, &err), PL_OK);
        assert_int_equal(back, -got);
    }
}

/*
 * Every "<", ">" and "=" row of the shared apk-tools table on which both
 * strings are valid apk 2.x versions agrees, but for the rows where apk-tools
 * 3 compares a number with a leading zero as text (docs/versions.md).
 */
static void shared_rows(void **state)
{
    const char *dir = getenv("PL_SHARED_DATA");
    char path[4096];
    struct pl_reader *r = NULL;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf line;
    bool eof = false;
    size_t rows = 0, text_order = 0;

    (void)state;
    if (!dir ||
        snprintf(path, sizeof(path), "%s/version_compare/apk_version_cases.tsv", dir) >=
            (int)sizeof(path) ||
        !pl_path_exists(path))
        skip();
    assert_int_equal(pl_reader_open(path, 0, &r, &err), PL_OK);
    pl_buf_init(&line, 0);
    for (;;) {
        char *a, *op, *b, *tab;
        int got = 9, want;
        assert_int_equal(pl_reader_line(r, &line, &eof, &err), PL_OK);
        if (eof)
            break;
        a = line.buf;
        if (!(tab = strchr(a, '\t')))
            continue;
        *tab = '\0', op = tab + 1;
        if (!(tab = strchr(op, '\t')))
            continue;
        *tab = '\0', b = tab + 1;
        if ((tab = strchr(b, '\t')))
            *tab = '\0';
        if (strlen(op) != 1 || !strchr("<>=", op[0]) ||
            pl_version_cmp(PL_VSCHEME_APK, a, b, &got, &err) != PL_OK)
            continue;
        rows++;
        want = op[0] == '<' ? -1 : op[0] == '>' ? 1 : 0;
        if (got == want)
            continue;
        if (strstr(a, ".0") && strstr(b, ".0") && (strstr(a, ".00") || strstr(b, ".00"))) {
            text_order++;
            continue;
        }
        fail_msg("'%s' %s '%s': patchline says %d", a, op, b, got);
    }
    pl_buf_release(&line);
    pl_reader_close(r);
    assert_true(rows > 700);
    assert_int_equal(text_order, 2); /* 8.2.0 < 8.2.001 and 8.2.0015 < 8.2.002 in apk-tools 3 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prerelease_after_zero),
        cmocka_unit_test(generated_pairs),
        cmocka_unit_test(shared_rows),
    };
    return cmocka_run_group_tests_name("version_apk2", tests, NULL, NULL);
}
