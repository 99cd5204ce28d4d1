/*
 * bench_vercmp.c - Patchline's dpkg and rpm version orders against the
 * reference libraries (libdpkg, librpm), on the same real version pairs in
 * one run: comparisons per second each, their ratio, and the number of
 * pairs on which the answers differ (must be 0).
 *
 * Usage: bench_vercmp SHARED_DATA_DIR [PAIRS]
 */
#define LIBDPKG_VOLATILE_API 1

#include <dpkg/dpkg-db.h>
#include <dpkg/dpkg.h>
#include <dpkg/version.h>
#include <rpm/rpmver.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "patchline/buf.h"
#include "patchline/file.h"
#include "patchline/version.h"

struct set {
    char **v; /* NUL-terminated versions, pointing into the loaded buffers */
    size_t n, cap;
    uint32_t *pa, *pb; /* pairs: indexes into v */
    size_t n_pairs;
};

static void add_version(struct set *s, char *v)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->v = pl_xrealloc(s->v, s->cap * sizeof(*s->v));
    }
    s->v[s->n++] = v;
}

static void die(const char *what, const struct pl_error *err)
{
    fprintf(stderr, "bench_vercmp: %s: %s\n", what, err ? err->msg : "failed");
    exit(1);
}

static char *load(const char *dir, const char *name, struct pl_buf *b)
{
    char path[4096];
    struct pl_error err = PL_ERROR_INIT;

    if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
        die("path too long", NULL);
    pl_buf_init(b, 0);
    if (pl_file_read(path, 0, b, &err) != PL_OK)
        die(path, &err);
    return b->buf;
}

/* Field k (0-based) of a TSV line starting at p, NUL-terminated in place; NULL if absent. */
static char *field(char *line, int k)
{
    char *p = line;

    for (int i = 0; i < k; i++) {
        p = strchr(p, '\t');
        if (!p)
            return NULL;
        p++;
    }
    p[strcspn(p, "\t")] = '\0';
    return p;
}

/* Split buf into lines in place; call fn on each after the header. */
static void each_line(char *buf, void (*fn)(struct set *, char *), struct set *s)
{
    char *line = buf, *nl;
    int first = 1;

    for (; line && *line; line = nl) {
        nl = strchr(line, '\n');
        if (nl)
            *nl++ = '\0';
        if (!first)
            fn(s, line);
        first = 0;
    }
}

static void oracle_line(struct set *s, char *line)
{
    char *b = strchr(line, '\t'), *c;

    if (!b)
        return;
    *b++ = '\0';
    c = strchr(b, '\t');
    if (c)
        *c = '\0';
    add_version(s, line);
    add_version(s, b);
}

static void index_line(struct set *s, char *line)
{
    char *v = field(line, 2);

    if (v && *v)
        add_version(s, v);
}

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t next_rand(uint32_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17; /* xorshift64 */
    return (uint32_t)(rng % n);
}

/* n_fixed leading pairs (0,1), (2,3)...; then drawn pairs, half of them neighbours. */
static void make_pairs(struct set *s, size_t n_fixed_versions, size_t n_pairs)
{
    size_t k = 0;

    s->pa = pl_xcalloc(n_pairs, sizeof(uint32_t));
    s->pb = pl_xcalloc(n_pairs, sizeof(uint32_t));
    for (size_t i = 0; i + 1 < n_fixed_versions && k < n_pairs; i += 2, k++)
        s->pa[k] = (uint32_t)i, s->pb[k] = (uint32_t)i + 1;
    for (; k < n_pairs; k++) {
        uint32_t i = next_rand((uint32_t)s->n);
        s->pa[k] = i;
        s->pb[k] = (k & 1) ? (uint32_t)((i + 1) % s->n) : next_rand((uint32_t)s->n);
    }
    s->n_pairs = n_pairs;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int sign(int x)
{
    return x < 0 ? -1 : x > 0 ? 1 : 0;
}

/* One measured comparator: fills out[] with the signs of its answers. */
typedef void (*run_fn)(const struct set *s, void *ctx, int8_t *out);

#define ROUNDS 7

/* Run ours and theirs alternately ROUNDS times (the machine is noisy); best ops/s of each. */
static void measure(const struct set *s, run_fn ours, void *octx, int8_t *oout, run_fn theirs,
                    void *tctx, int8_t *tout, double best[2])
{
    best[0] = best[1] = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (int w = 0; w < 2; w++) {
            double t0 = now_s(), dt;
            if (w == 0)
                ours(s, octx, oout);
            else
                theirs(s, tctx, tout);
            dt = now_s() - t0;
            if (dt > 0 && (double)s->n_pairs / dt > best[w])
                best[w] = (double)s->n_pairs / dt;
        }
    }
}

static void run_pl(const struct set *s, void *ctx, int8_t *out)
{
    enum pl_vscheme scheme = *(enum pl_vscheme *)ctx;

    for (size_t k = 0; k < s->n_pairs; k++) {
        int c = 9;
        if (pl_version_cmp(scheme, s->v[s->pa[k]], s->v[s->pb[k]], &c, NULL) != PL_OK)
            c = 2;
        out[k] = (int8_t)c;
    }
}

/* One entry point per scheme, so that profiles (callgrind) tell them apart. */
static void run_pl_dpkg(const struct set *s, void *ctx, int8_t *out)
{
    run_pl(s, ctx, out);
}

static void run_pl_rpmvercmp(const struct set *s, void *ctx, int8_t *out)
{
    run_pl(s, ctx, out);
}

static void run_pl_rpm(const struct set *s, void *ctx, int8_t *out)
{
    run_pl(s, ctx, out);
}

static void run_pl_parsed(const struct set *s, void *ctx, int8_t *out)
{
    const struct pl_dpkg_version *pv = ctx;

    for (size_t k = 0; k < s->n_pairs; k++)
        out[k] = (int8_t)pl_version_dpkg_cmp_parsed(&pv[s->pa[k]], &pv[s->pb[k]]);
}

static void run_libdpkg(const struct set *s, void *ctx, int8_t *out)
{
    (void)ctx;
    for (size_t k = 0; k < s->n_pairs; k++) {
        struct dpkg_version a, b;
        struct dpkg_error e;
        if (parseversion(&a, s->v[s->pa[k]], &e) < 0 && e.type == DPKG_MSG_ERROR)
            out[k] = 2;
        else if (parseversion(&b, s->v[s->pb[k]], &e) < 0 && e.type == DPKG_MSG_ERROR)
            out[k] = 2;
        else
            out[k] = (int8_t)sign(dpkg_version_compare(&a, &b));
        if ((k & 0xffff) == 0xffff)
            nffreeall(); /* parseversion keeps its copies in libdpkg's arena */
    }
    nffreeall();
}

static void run_libdpkg_parsed(const struct set *s, void *ctx, int8_t *out)
{
    const struct dpkg_version *dv = ctx;

    for (size_t k = 0; k < s->n_pairs; k++)
        out[k] = (int8_t)sign(dpkg_version_compare(&dv[s->pa[k]], &dv[s->pb[k]]));
}

static void run_rpmvercmp(const struct set *s, void *ctx, int8_t *out)
{
    (void)ctx;
    for (size_t k = 0; k < s->n_pairs; k++)
        out[k] = (int8_t)sign(rpmvercmp(s->v[s->pa[k]], s->v[s->pb[k]]));
}

static void run_rpmver(const struct set *s, void *ctx, int8_t *out)
{
    (void)ctx;
    for (size_t k = 0; k < s->n_pairs; k++) {
        rpmver a = rpmverParse(s->v[s->pa[k]]), b = rpmverParse(s->v[s->pb[k]]);
        out[k] = (a && b) ? (int8_t)sign(rpmverCmp(a, b)) : 2;
        rpmverFree(a);
        rpmverFree(b);
    }
}

static void run_pl_rpm_parsed(const struct set *s, void *ctx, int8_t *out)
{
    const struct pl_rpm_version *pv = ctx;

    for (size_t k = 0; k < s->n_pairs; k++)
        out[k] = (int8_t)pl_version_rpm_cmp_parsed(&pv[s->pa[k]], &pv[s->pb[k]]);
}

static void run_rpmver_parsed(const struct set *s, void *ctx, int8_t *out)
{
    rpmver *rv = ctx;

    for (size_t k = 0; k < s->n_pairs; k++)
        out[k] = (int8_t)sign(rpmverCmp(rv[s->pa[k]], rv[s->pb[k]]));
}

static size_t disagreements(const int8_t *x, const int8_t *y, size_t n)
{
    size_t d = 0;

    for (size_t k = 0; k < n; k++)
        d += x[k] != y[k];
    return d;
}

static size_t report(const char *what, const struct set *s, const double best[2], const int8_t *x,
                     const int8_t *y)
{
    size_t d = disagreements(x, y, s->n_pairs);
    double ours = best[0], theirs = best[1];

    printf("| %-38s | %9zu | %12.0f | %12.0f | %5.2f | %zu |\n", what, s->n_pairs, ours, theirs,
           ours / theirs, d);
    return d;
}

static size_t bench_dpkg(const char *dir, size_t n_pairs)
{
    struct set s = {0};
    struct pl_buf ob, ib;
    enum pl_vscheme scheme = PL_VSCHEME_DPKG;
    int8_t *x = pl_xcalloc(n_pairs, 1), *y = pl_xcalloc(n_pairs, 1);
    struct pl_dpkg_version *pv;
    struct dpkg_version *dv;
    size_t n_oracle, bad = 0;
    double best[2];

    each_line(load(dir, "version_compare/dpkg_oracle_real_debian_versions.tsv", &ob), oracle_line,
              &s);
    n_oracle = s.n;
    each_line(load(dir, "debian/bookworm_binary_packages_index.tsv.xz", &ib), index_line, &s);
    make_pairs(&s, n_oracle, n_pairs);
    printf("dpkg: %zu versions (%zu from the oracle file), %zu pairs\n", s.n, n_oracle, n_pairs);
    measure(&s, run_pl_dpkg, &scheme, x, run_libdpkg, NULL, y, best);
    bad += report("dpkg parse+compare vs libdpkg", &s, best, x, y);
    pv = pl_xcalloc(s.n, sizeof(*pv));
    dv = pl_xcalloc(s.n, sizeof(*dv));
    for (size_t i = 0; i < s.n; i++) {
        struct dpkg_error e;
        if (pl_version_dpkg_parse(s.v[i], strlen(s.v[i]), &pv[i], NULL) != PL_OK ||
            (parseversion(&dv[i], s.v[i], &e) < 0 && e.type == DPKG_MSG_ERROR))
            die(s.v[i], NULL);
    }
    measure(&s, run_pl_parsed, pv, x, run_libdpkg_parsed, dv, y, best);
    bad += report("dpkg compare pre-parsed vs libdpkg", &s, best, x, y);
    nffreeall();
    free(pv), free(dv), free(x), free(y), free(s.v), free(s.pa), free(s.pb);
    pl_buf_release(&ob), pl_buf_release(&ib);
    return bad;
}

/* Collect every "fixed":"EVR" value of the OSV advisories. */
static void scan_fixed(struct set *s, char *buf)
{
    static const char key[] = "\"fixed\":\"";
    char *p = buf;

    while ((p = strstr(p, key)) != NULL) {
        char *v = p + sizeof(key) - 1, *q = strchr(v, '"');
        if (!q)
            break;
        *q = '\0';
        if (*v)
            add_version(s, v);
        p = q + 1;
    }
}

static size_t bench_rpm(const char *dir, size_t n_pairs)
{
    struct set s = {0};
    struct pl_buf jb;
    enum pl_vscheme bare = PL_VSCHEME_RPMVERCMP, evr = PL_VSCHEME_RPM;
    struct pl_rpm_version *pv;
    rpmver *rv;
    int8_t *x = pl_xcalloc(n_pairs, 1), *y = pl_xcalloc(n_pairs, 1);
    size_t bad = 0;
    double best[2];

    scan_fixed(&s, load(dir, "redhat_family/almalinux_osv_advisories.jsonl.xz", &jb));
    make_pairs(&s, 0, n_pairs);
    printf("rpm: %zu fixed EVRs, %zu pairs\n", s.n, n_pairs);
    measure(&s, run_pl_rpmvercmp, &bare, x, run_rpmvercmp, NULL, y, best);
    bad += report("rpmvercmp whole EVR vs librpm rpmvercmp", &s, best, x, y);
    measure(&s, run_pl_rpm, &evr, x, run_rpmver, NULL, y, best);
    bad += report("rpm EVR vs librpm rpmverParse+rpmverCmp", &s, best, x, y);
    pv = pl_xcalloc(s.n, sizeof(*pv));
    rv = pl_xcalloc(s.n, sizeof(*rv));
    for (size_t i = 0; i < s.n; i++) {
        rv[i] = rpmverParse(s.v[i]);
        if (pl_version_rpm_parse(s.v[i], strlen(s.v[i]), &pv[i], NULL) != PL_OK || !rv[i])
            die(s.v[i], NULL);
    }
    measure(&s, run_pl_rpm_parsed, pv, x, run_rpmver_parsed, rv, y, best);
    bad += report("rpm EVR compare pre-parsed vs rpmverCmp", &s, best, x, y);
    for (size_t i = 0; i < s.n; i++)
        rpmverFree(rv[i]);
    free(pv), free(rv);
    free(x), free(y), free(s.v), free(s.pa), free(s.pb);
    pl_buf_release(&jb);
    return bad;
}

int main(int argc, char **argv)
{
    size_t n_pairs = 1000000, bad;

    if (argc < 2) {
        fputs("usage: bench_vercmp SHARED_DATA_DIR [PAIRS]\n", stderr);
        return 2;
    }
    if (argc > 2)
        n_pairs = (size_t)strtoull(argv[2], NULL, 10);
    if (n_pairs < 2000)
        n_pairs = 2000;
    printf("| %-38s | %9s | %12s | %12s | %5s | %s |\n", "comparison", "pairs", "Patchline/s",
           "reference/s", "ratio", "disagreements");
    printf("|%s|%s|%s|%s|%s|%s|\n", "----------------------------------------", "-----------",
           "--------------", "--------------", "-------", "---");
    bad = bench_dpkg(argv[1], n_pairs);
    bad += bench_rpm(argv[1], n_pairs);
    printf("total disagreements: %zu\n", bad);
    return bad ? 1 : 0;
}
