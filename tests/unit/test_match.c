/*
 * test_match.c - the matcher and the findings lifecycle: Debian source
 * packages and releases, RPM and language ecosystems through OSV, KEV to
 * Tier 0, fixes proven by the inventory, removals, regressions, and on the
 * shared Debian 12 data a check against an independent computation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/clock.h"
#include "patchline/file.h"
#include "patchline/intel.h"
#include "patchline/inventory.h"
#include "patchline/match.h"
#include "patchline/policy.h"
#include "patchline/spawn.h"
#include "patchline/store.h"
#include "patchline/version.h"

#include "test_store_target.h"

#define DAY 86400

struct t {
    struct pl_store *s;
    struct pl_policy *policy;
    char dir[256], path[300];
};

static const char *src_path(const char *rel)
{
    static char p[4096];
    const char *src = getenv("PL_SOURCE_DIR");

    if (snprintf(p, sizeof(p), "%s/%s", src ? src : ".", rel) >= (int)sizeof(p))
        fail_msg("path too long");
    return p;
}

static int setup(void **state)
{
    struct t *t = calloc(1, sizeof(*t));
    struct pl_error err = PL_ERROR_INIT;

    snprintf(t->dir, sizeof(t->dir), "/tmp/pl-match-XXXXXX");
    if (mkdtemp(t->dir) == NULL)
        return -1;
    snprintf(t->path, sizeof(t->path), "%s/store.db", t->dir);
    if (pl_store_open(pl_test_store(t->path), PL_STORE_CREATE, &t->s, &err) != PL_OK ||
        pl_policy_load_builtin("default", &t->policy, &err) != PL_OK) {
        print_error("%s\n", err.msg);
        return -1;
    }
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    struct t *t = *state;
    char cmd_path[400];
    const char *sides[] = {"store.db",
                           "store.db-wal",
                           "store.db-shm",
                           "kev.json",
                           "root/etc/os-release",
                           "root/etc/hostname",
                           "root/var/lib/dpkg/status"};

    pl_store_close(t->s);
    pl_policy_free(t->policy);
    for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
        snprintf(cmd_path, sizeof(cmd_path), "%s/%s", t->dir, sides[i]);
        unlink(cmd_path);
    }
    snprintf(cmd_path, sizeof(cmd_path), "%s/root/var/lib/dpkg", t->dir);
    rmdir(cmd_path);
    snprintf(cmd_path, sizeof(cmd_path), "%s/root/var/lib", t->dir);
    rmdir(cmd_path);
    snprintf(cmd_path, sizeof(cmd_path), "%s/root/var", t->dir);
    rmdir(cmd_path);
    snprintf(cmd_path, sizeof(cmd_path), "%s/root/etc", t->dir);
    rmdir(cmd_path);
    snprintf(cmd_path, sizeof(cmd_path), "%s/root", t->dir);
    rmdir(cmd_path);
    rmdir(t->dir);
    free(t);
    return 0;
}

static void import(struct t *t, const char *kind, const char *path)
{
    struct pl_import_opts o = {.force = true};
    struct pl_feed_result res;
    struct pl_error err = PL_ERROR_INIT;

    if (pl_feed_import(t->s, kind, path, &o, &res, &err) != PL_OK)
        fail_msg("import %s: %s", path, err.msg);
}

/* An asset with an OS and packages of one ecosystem ("name version [source srcver]" each). */
static int64_t asset(struct t *t, const char *name, const char *os, const char *ver,
                     const char *codename, const char *exposure, const char *eco,
                     const char *const *pkgs, size_t n)
{
    struct pl_identifier id = {"hostname", name, NULL};
    struct pl_observation o = {.source = "test",
                               .source_key = name,
                               .ids = &id,
                               .n_ids = 1,
                               .seen = pl_clock_now(),
                               .name = name,
                               .exposure = exposure,
                               .os_family = os,
                               .os_name = os,
                               .os_version = ver,
                               .os_codename = codename,
                               .reboot_required = -1};
    struct pl_package_list l = {NULL, 0, 0};
    struct pl_package_sync sync;
    struct pl_error err = PL_ERROR_INIT;
    int64_t aid = 0;
    bool created;

    assert_int_equal(pl_store_asset_observe(t->s, &o, &aid, &created, &err), PL_OK);
    for (size_t i = 0; i < n; i++) {
        struct pl_package *p = pl_package_list_add(&l);
        char a[4][128] = {{0}};
        int k = sscanf(pkgs[i], "%127s %127s %127s %127s", a[0], a[1], a[2], a[3]);

        p->name = strdup(a[0]);
        p->version = strdup(a[1]);
        p->arch = strdup(strchr(pkgs[i], '!') ? "i386" : "amd64");
        if (k == 4) {
            p->source_name = strdup(a[2]);
            p->source_version = strdup(a[3]);
        }
    }
    assert_int_equal(
        pl_store_packages_sync(t->s, aid, eco, l.items, l.n, pl_clock_now(), &sync, &err), PL_OK);
    pl_package_list_release(&l);
    return aid;
}

static void scan(struct t *t, pl_time_t now, struct pl_match_summary *sum)
{
    struct pl_match_opts o = {t->policy, NULL, 0, now, 0, 0, NULL, false};
    struct pl_error err = PL_ERROR_INIT;

    pl_match_summary_init(sum);
    if (pl_match_scan(t->s, &o, sum, &err) != PL_OK)
        fail_msg("scan: %s", err.msg);
}

static uint64_t total(const struct pl_match_counts *c)
{
    uint64_t n = 0;

    for (size_t i = 0; i <= PL_MATCH_TIERS; i++)
        n += c->n[i];
    return n;
}

/* The findings of one status as "package vuln status tier fixed|-" lines. */
static char *listing(struct t *t, const char *status)
{
    struct pl_finding_filter f = {.tier = -1, .status = status};
    struct pl_finding_list l = {NULL, 0, 0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);

    assert_int_equal(pl_store_findings_list(t->s, &f, &l, &err), PL_OK);
    for (size_t i = 0; i < l.n; i++)
        pl_buf_addf(&b, "%s %s %d %s|", l.items[i].package, l.items[i].vuln_id, l.items[i].tier,
                    l.items[i].fixed_version ? l.items[i].fixed_version : "-");
    pl_finding_list_release(&l);
    return pl_buf_detach(&b, NULL);
}

static void os_ecosystems(void **state)
{
    static const char *const cases[][5] = {
        {"debian", "debian", "12", "bookworm", "debian:bookworm"},
        {"debian", "debian", "11", NULL, "debian:bullseye"},
        {"ubuntu", "debian", "22.04", "jammy", "ubuntu:22.04"},
        {"alpine", "alpine", "3.18.4", NULL, "alpine:v3.18"},
        {"almalinux", "rhel", "9.4", NULL, "almalinux:9"},
        {"rocky", "rhel", "9.3", NULL, "rocky:9"},
        {"rhel", "rhel", "8.10", NULL, "redhat:8"},
        {NULL, "wolfi", NULL, NULL, "wolfi"},
        {"plan9", NULL, "4", NULL, ""},
        {"debian", "debian", "99", NULL, ""},
    };
    char out[64];
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bool ok = pl_match_os_ecosystem(cases[i][0], cases[i][1], cases[i][2], cases[i][3], out,
                                        sizeof(out));

        assert_string_equal(ok ? out : "", cases[i][4]);
    }
}

static const char *const fixhost_pkgs[] = {
    "libc6 2.36-9+deb12u4 glibc 2.36-9+deb12u4",
    "libc6 2.36-9+deb12u4 glibc 2.36-9+deb12u4 !",
    "bash 5.2.15-2+b2 bash 5.2.15-2",
    "openssl 3.0.11-1~deb12u2",
    "dpkg 1.21.22",
};

static void debian_lifecycle(void **state)
{
    struct t *t = *state;
    const pl_time_t t0 = 1768003200; /* 2026-01-10 */
    struct pl_match_summary sum;
    struct pl_finding f;
    struct pl_error err = PL_ERROR_INIT;
    int64_t a;
    char *s;

    a = asset(t, "fixhost", "debian", "12", "bookworm", "no", "dpkg", fixhost_pkgs, 5);
    import(t, "debian", src_path("tests/fixtures/match/tracker.json"));
    import(t, "kev", src_path("tests/fixtures/match/kev.json"));
    scan(t, t0, &sum);
    assert_int_equal(total(&sum.new_), 4);
    assert_int_equal(sum.written, 4);
    /* KEV on an asset that is not exposed: Tier 0, due 24 h after first seen, no fix yet;
       the environment is unknown and counts as production (fail-safe) */
    s = listing(t, "open");
    assert_string_equal(s, "openssl CVE-2026-1004 0 -|libc6 CVE-2026-1001 2 2.36-9+deb12u7|"
                           "bash CVE-2026-1003 3 5.2.15-3|dpkg CVE-2026-1007 -1 1.21.23|");
    free(s);
    assert_int_equal(pl_store_finding_get(t->s, 4, &f, &err), PL_OK);
    assert_string_equal(f.vuln_id, "CVE-2026-1004");
    assert_int_equal(f.due_at, t0 + DAY);
    assert_string_equal(f.marker, "postponed");
    assert_true(f.provisional); /* exposure known (no), environment unknown: provisional */
    pl_finding_release(&f);
    pl_match_summary_release(&sum);

    /* nothing changed: nothing written */
    scan(t, t0 + DAY, &sum);
    assert_int_equal(sum.written, 0);
    assert_int_equal(sum.skipped, 1); /* unchanged since its last scan: not read again */
    assert_int_equal(total(&sum.open), 4);
    assert_int_equal(sum.open.n[0], 1);
    pl_match_summary_release(&sum);

    /* a new feed import makes every asset stale: read again, still nothing to write */
    import(t, "kev", src_path("tests/fixtures/match/kev.json"));
    scan(t, t0 + DAY, &sum);
    assert_int_equal(sum.skipped, 0);
    assert_int_equal(sum.written, 0);
    assert_int_equal(total(&sum.still_open), 4);
    pl_match_summary_release(&sum);

    /* upgrade glibc (both arches), remove bash */
    {
        const char *const next[] = {"libc6 2.36-9+deb12u7 glibc 2.36-9+deb12u7",
                                    "libc6 2.36-9+deb12u7 glibc 2.36-9+deb12u7 !",
                                    "openssl 3.0.11-1~deb12u2", "dpkg 1.21.22"};

        asset(t, "fixhost", "debian", "12", "bookworm", "no", "dpkg", next, 4);
    }
    scan(t, t0 + 2 * DAY, &sum);
    assert_int_equal(total(&sum.fixed), 1);
    assert_int_equal(sum.removed, 1);
    pl_match_summary_release(&sum);
    assert_int_equal(pl_store_finding_get(t->s, 3, &f, &err), PL_OK);
    assert_string_equal(f.status, "fixed");
    assert_int_equal(f.resolved_at, t0 + 2 * DAY);
    assert_string_equal(f.fix_proof, "glibc 2.36-9+deb12u7 >= fixed 2.36-9+deb12u7 (dpkg order, "
                                     "debian glibc/CVE-2026-1001)");
    pl_finding_release(&f);
    s = listing(t, "package-removed");
    assert_string_equal(s, "bash CVE-2026-1003 3 5.2.15-3|");
    free(s);

    /* downgrade: the finding comes back with its first_seen */
    asset(t, "fixhost", "debian", "12", "bookworm", "no", "dpkg", fixhost_pkgs, 5);
    scan(t, t0 + 3 * DAY, &sum);
    assert_int_equal(total(&sum.regressed), 2);
    assert_int_equal(total(&sum.new_), 0);
    pl_match_summary_release(&sum);
    assert_int_equal(pl_store_finding_get(t->s, 3, &f, &err), PL_OK);
    assert_string_equal(f.status, "open");
    assert_int_equal(f.first_seen, t0);
    assert_int_equal(f.regressions, 1);
    assert_int_equal(f.resolved_at, 0);
    assert_null(f.fix_proof);
    pl_finding_release(&f);
    (void)a;
}

static void osv_rpm_and_languages(void **state)
{
    struct t *t = *state;
    const char *const alma_old[] = {"gstreamer1-plugins-base 1.16.1-2.el8"};
    const char *const alma_new[] = {"gstreamer1-plugins-base 1.16.1-4.el8_10"};
    const char *const npm1[] = {"left-pad 1.1.0"}, *const npm2[] = {"left-pad 2.1.3"};
    const char *const npm3[] = {"left-pad 3.5.0"}, *const py[] = {"example 1.4"};
    const char *const py2[] = {"example 1.5"}, *const bad[] = {"left-pad not-a-version"};
    struct pl_match_summary sum;
    char *s;

    asset(t, "alma-old", "almalinux", "8.10", NULL, "yes", "rpm", alma_old, 1);
    asset(t, "alma-new", "almalinux", "8.10", NULL, "yes", "rpm", alma_new, 1);
    asset(t, "img1", NULL, NULL, NULL, "yes", "npm", npm1, 1);
    asset(t, "img2", NULL, NULL, NULL, "yes", "npm", npm2, 1);
    asset(t, "img3", NULL, NULL, NULL, "yes", "npm", npm3, 1);
    asset(t, "img4", NULL, NULL, NULL, "yes", "pypi", py, 1);
    asset(t, "img5", NULL, NULL, NULL, "yes", "pypi", py2, 1);
    asset(t, "img6", NULL, NULL, NULL, "yes", "npm", bad, 1);
    import(t, "osv", src_path("tests/fixtures/osv/alma.jsonl"));
    import(t, "osv", src_path("tests/fixtures/osv/ranges.json"));
    scan(t, 1768003200, &sum);
    /* ALSA-2024:9056 is kept under its CVE; left-pad 2.1.3 is the fixed version itself */
    s = listing(t, "open");
    assert_string_equal(s, "left-pad CVE-2024-0001 2 1.2.0|left-pad CVE-2024-0001 2 -|"
                           "example CVE-2024-0001 2 -|"
                           "gstreamer1-plugins-base CVE-2024-4453 3 1.16.1-4.el8_10|");
    free(s);
    assert_int_equal(total(&sum.new_), 4);
    /* an unparsable installed version is skipped, counted and named, not fatal */
    assert_non_null(strstr(pl_buf_cstr(&sum.warnings),
                           "warning: skipped: 3 version comparisons on unparsable versions (first: "
                           "invalid semver version 'not-a-version': major version is not a "
                           "number)\n"));
    pl_match_summary_release(&sum);
}

/* Alpine secdb: apk order by release; version 0 means not affected. */
static void alpine_secdb(void **state)
{
    struct t *t = *state;
    const char *const pkgs[] = {"openssl 3.1.4-r2 openssl 3.1.4-r2", "busybox 1.36.1-r15"};
    struct pl_match_summary sum;
    char *s;

    asset(t, "alp", "alpine", "3.19.1", NULL, "no", "apk", pkgs, 2);
    import(t, "alpine-secdb", src_path("tests/fixtures/alpine/v3.19-main.yaml"));
    scan(t, 1768003200, &sum);
    pl_match_summary_release(&sum);
    /*
     * 3.1.4-r2 is past the r1 fix and before the r3 one; busybox is at its fix.
     * On 2026-01-10 Alpine 3.19 is past its end of life (2025-11-01): that is a
     * finding too, with the oldest supported release as its remedy.
     */
    s = listing(t, "open");
    assert_string_equal(s, "alpine-linux eol:alpine-linux:3.19 2 3.20.10|"
                           "openssl CVE-2023-6237 -1 3.1.4-r3|openssl CVE-2023-6129 -1 3.1.4-r3|");
    free(s);
}

/* A scanner's report joins the findings with its source; it closes when the scanner stops. */
static void scanner_findings(void **state)
{
    struct t *t = *state;
    const pl_time_t t0 = 1768003200;
    const char *const pkgs[] = {"lodash 4.17.0"};
    struct pl_scanner_vuln v = {.vuln_id = "CVE-2026-3001",
                                .package = "lodash",
                                .installed_version = "4.17.0",
                                .fixed_version = "4.17.21",
                                .severity = "high",
                                .title = "Prototype pollution"};
    struct pl_match_summary sum;
    struct pl_finding f;
    struct pl_error err = PL_ERROR_INIT;
    int64_t a, run;
    uint64_t n;

    a = asset(t, "img", NULL, NULL, NULL, "yes", "npm", pkgs, 1);
    assert_int_equal(pl_store_scanner_run(t->s, "trivy", "scan.json", NULL, t0, &run, &err), PL_OK);
    assert_int_equal(pl_store_scanner_vuln_put(t->s, a, "trivy", run, &v, t0, &err), PL_OK);
    scan(t, t0, &sum);
    assert_int_equal(total(&sum.new_), 1);
    assert_int_equal(sum.new_.n[2], 1); /* high on an internet-facing asset */
    pl_match_summary_release(&sum);
    assert_int_equal(pl_store_finding_get(t->s, 1, &f, &err), PL_OK);
    assert_string_equal(f.origin, "trivy");
    assert_string_equal(f.evidence, "reported by trivy: Prototype pollution");
    assert_string_equal(f.fixed_version, "4.17.21");
    assert_string_equal(f.severity, "high");
    pl_finding_release(&f);

    /* the next run no longer reports it */
    assert_int_equal(pl_store_scanner_run(t->s, "trivy", "scan2.json", NULL, t0 + DAY, &run, &err),
                     PL_OK);
    assert_int_equal(pl_store_scanner_vulns_resolve(t->s, a, "trivy", run, t0 + DAY, &n, &err),
                     PL_OK);
    assert_int_equal(n, 1);
    scan(t, t0 + DAY, &sum);
    assert_int_equal(total(&sum.fixed), 1);
    pl_match_summary_release(&sum);
    assert_int_equal(pl_store_finding_get(t->s, 1, &f, &err), PL_OK);
    assert_string_equal(f.status, "fixed");
    assert_string_equal(f.fix_proof, "trivy no longer reports it (resolved 2026-01-11)");
    pl_finding_release(&f);
}

/* ---- shared data: Debian 12 against an independent computation --------- */

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, r;

    if (fp == NULL)
        return NULL;
    do {
        if (n + 65536 > cap)
            buf = realloc(buf, cap = cap * 2 + 65536);
        r = fread(buf + n, 1, cap - n - 1, fp);
        n += r;
    } while (r > 0);
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* One installed binary package of the status sample: name, source, source version. */
struct bin {
    char name[128], src[128], srcver[128];
};

static void field(const char *line, size_t len, const char *key, char *out, size_t cap)
{
    size_t k = strlen(key);

    if (len > k && strncmp(line, key, k) == 0)
        snprintf(out, cap, "%.*s", (int)(len - k), line + k);
}

static void end_stanza(struct bin *cur, char *version, char *status, struct bin *out, size_t *n)
{
    char *paren = strchr(cur->src, '(');

    size_t sl = strlen(status);

    if (cur->name[0] && sl > 10 && strcmp(status + sl - 10, " installed") == 0) {
        if (paren) { /* "Source: bash (5.2.15-2)" */
            snprintf(cur->srcver, sizeof(cur->srcver), "%.*s", (int)strcspn(paren + 1, ")"),
                     paren + 1);
            paren[-1] = '\0';
        } else {
            snprintf(cur->srcver, sizeof(cur->srcver), "%s", version);
        }
        if (cur->src[0] == '\0')
            snprintf(cur->src, sizeof(cur->src), "%s", cur->name);
        out[(*n)++] = *cur;
    }
    memset(cur, 0, sizeof(*cur));
    version[0] = status[0] = '\0';
}

/* Parse the dpkg status text by hand: packages whose status ends in "installed". */
static size_t parse_status(const char *text, struct bin *out)
{
    struct bin cur;
    char version[128] = "", status[128] = "";
    size_t n = 0;

    memset(&cur, 0, sizeof(cur));
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");

        if (len == 0)
            end_stanza(&cur, version, status, out, &n);
        field(p, len, "Package: ", cur.name, sizeof(cur.name));
        field(p, len, "Source: ", cur.src, sizeof(cur.src));
        field(p, len, "Version: ", version, sizeof(version));
        field(p, len, "Status: ", status, sizeof(status));
        p += len + (p[len] == '\n');
    }
    end_stanza(&cur, version, status, out, &n);
    return n;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct pairs {
    char **v;
    size_t n, cap;
};

static void pairs_add(struct pairs *p, const char *a, const char *b, const char *c, const char *d)
{
    char buf[600];

    if (p->n == p->cap)
        p->v = realloc(p->v, (p->cap = p->cap * 2 + 1024) * sizeof(*p->v));
    snprintf(buf, sizeof(buf), "%s %s %s %s", a, b, c, d);
    p->v[p->n++] = strdup(buf);
}

static void pairs_release(struct pairs *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
}

/*
 * Expected findings "binary CVE" (deduplicated) from the status sample and
 * the changelog table the tracker JSON was built from, with pl_version_cmp
 * on each (source version, fixed version); non-matching pairs go to `no`.
 */
static void expected(const struct bin *bins, size_t nb, const char *tsv, struct pairs *yes,
                     struct pairs *no)
{
    struct pl_reader *r;
    struct pl_buf line = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    bool eof = false;

    assert_int_equal(pl_reader_open(tsv, 0, &r, &err), PL_OK);
    while (pl_reader_line(r, &line, &eof, &err) == PL_OK && !eof) {
        char cve[64], src[128], fixed[128];
        int c;

        if (sscanf(pl_buf_cstr(&line), "%63[^\t]\t%127[^\t]\t%127[^\t]", cve, src, fixed) != 3 ||
            strcmp(cve, "cve_id") == 0)
            continue;
        for (size_t i = 0; i < nb; i++) {
            if (strcmp(bins[i].src, src) != 0)
                continue;
            assert_int_equal(pl_version_cmp(PL_VSCHEME_DPKG, bins[i].srcver, fixed, &c, &err),
                             PL_OK);
            pairs_add(c < 0 ? yes : no, bins[i].name, cve, bins[i].srcver, fixed);
        }
    }
    assert_true(eof);
    pl_reader_close(r);
    pl_buf_release(&line);
}

/* "name cve" of each pair, deduplicated (multi-arch copies are one finding). */
static void names_only(struct pairs *p)
{
    size_t w = 0;

    for (size_t i = 0; i < p->n; i++) {
        char *sp = strchr(p->v[i], ' ');

        sp = strchr(sp + 1, ' ');
        *sp = '\0';
    }
    qsort(p->v, p->n, sizeof(*p->v), cmp_str);
    for (size_t i = 0; i < p->n; i++) {
        if (w && strcmp(p->v[w - 1], p->v[i]) == 0) {
            free(p->v[i]);
            continue;
        }
        p->v[w++] = p->v[i];
    }
    p->n = w;
}

/* dpkg itself agrees on a sample of pairs ("name cve ver fixed"): lt is `want`. */
static void dpkg_agrees(const struct pairs *p, bool want, size_t sample)
{
    for (size_t i = 0; i < p->n && i < sample * 97; i += 97) {
        char a[4][256];
        const char *argv[] = {"/usr/bin/dpkg", "--compare-versions", a[2], "lt", a[3], NULL};
        struct pl_spawn_result res;
        struct pl_buf out = PL_BUF_INIT(0), errb = PL_BUF_INIT(0);
        struct pl_error err = PL_ERROR_INIT;

        assert_int_equal(sscanf(p->v[i], "%255s %255s %255s %255s", a[0], a[1], a[2], a[3]), 4);
        assert_int_equal(pl_spawn_run(argv, NULL, &out, &errb, &res, &err), PL_OK);
        if ((res.exit_code == 0) != want)
            fail_msg("dpkg disagrees on %s", p->v[i]);
        pl_buf_release(&out);
        pl_buf_release(&errb);
    }
}

static void write_file(const char *dir, const char *rel, const char *text, size_t len)
{
    char path[512];
    FILE *fp;

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    fclose(fp);
}

static void make_root(struct t *t, const char *status, size_t len)
{
    static const char os[] = "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n";
    const char *dirs[] = {"root", "root/etc", "root/var", "root/var/lib", "root/var/lib/dpkg"};
    char path[512];

    for (size_t i = 0; i < 5; i++) {
        snprintf(path, sizeof(path), "%s/%s", t->dir, dirs[i]);
        assert_int_equal(mkdir(path, 0700), 0);
    }
    write_file(t->dir, "root/var/lib/dpkg/status", status, len);
    write_file(t->dir, "root/etc/os-release", os, sizeof(os) - 1);
    write_file(t->dir, "root/etc/hostname", "deb12\n", 6);
}

/* The open findings as sorted "package vuln" strings. */
static void stored(struct t *t, struct pairs *p)
{
    struct pl_finding_filter f = {.tier = -1, .status = "open"};
    struct pl_finding_list l = {NULL, 0, 0};
    struct pl_error err = PL_ERROR_INIT;

    assert_int_equal(pl_store_findings_list(t->s, &f, &l, &err), PL_OK);
    for (size_t i = 0; i < l.n; i++) {
        char buf[600];

        if (p->n == p->cap)
            p->v = realloc(p->v, (p->cap = p->cap * 2 + 1024) * sizeof(*p->v));
        snprintf(buf, sizeof(buf), "%s %s", l.items[i].package, l.items[i].vuln_id);
        p->v[p->n++] = strdup(buf);
    }
    qsort(p->v, p->n, sizeof(*p->v), cmp_str);
    pl_finding_list_release(&l);
}

/* A KEV catalogue naming three CVEs of the findings; they must reach Tier 0 on rescan. */
static void kev_escalates(struct t *t, const struct pairs *got, pl_time_t now)
{
    struct pl_buf kev = PL_BUF_INIT(0);
    struct pl_match_summary sum;
    char path[512], cves[3][64];

    pl_buf_adds(&kev,
                "{\"catalogVersion\":\"2026.11.29\",\"dateReleased\":\"2026-11-29T00:00:00Z\","
                "\"count\":3,\"vulnerabilities\":[");
    for (size_t i = 0; i < 3; i++) {
        sscanf(got->v[i * (got->n / 3)], "%*s %63s", cves[i]);
        pl_buf_addf(&kev,
                    "%s{\"cveID\":\"%s\",\"vendorProject\":\"x\",\"product\":\"y\","
                    "\"vulnerabilityName\":\"n\",\"dateAdded\":\"2026-11-29\","
                    "\"shortDescription\":\"d\",\"requiredAction\":\"a\","
                    "\"dueDate\":\"2026-12-20\",\"knownRansomwareCampaignUse\":\"Unknown\","
                    "\"notes\":\"\",\"cwes\":[]}",
                    i ? "," : "", cves[i]);
    }
    pl_buf_adds(&kev, "]}");
    write_file(t->dir, "kev.json", pl_buf_cstr(&kev), kev.len);
    snprintf(path, sizeof(path), "%s/kev.json", t->dir);
    import(t, "kev", path);
    scan(t, now, &sum);
    assert_int_equal(total(&sum.new_), 0);
    assert_true(sum.open.n[0] >= 3);
    pl_match_summary_release(&sum);
    for (size_t i = 0; i < 3; i++) {
        struct pl_finding_filter f = {.tier = 0, .status = "open", .kev = true};
        struct pl_finding_list l = {NULL, 0, 0};
        struct pl_error err = PL_ERROR_INIT;
        size_t hits = 0;

        assert_int_equal(pl_store_findings_list(t->s, &f, &l, &err), PL_OK);
        for (size_t k = 0; k < l.n; k++)
            if (strcmp(l.items[k].vuln_id, cves[i]) == 0) {
                hits++;
                assert_int_equal(l.items[k].due_at, now + DAY); /* escalated: now + 24 h */
            }
        assert_true(hits >= 1);
        pl_finding_list_release(&l);
    }
    pl_buf_release(&kev);
}

static void shared_bookworm(void **state)
{
    struct t *t = *state;
    const char *sd = getenv("PL_SHARED_DATA");
    char status_path[1024], tsv[1024], tracker[1024];
    struct pl_collect_opts co;
    struct pl_collect_summary cs;
    struct pl_match_summary sum;
    struct pairs yes = {0}, no = {0}, got = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct bin *bins = calloc(4096, sizeof(*bins));
    char root[512];
    size_t len = 0, nb;
    char *text;

    snprintf(status_path, sizeof(status_path), "%s/debian/dpkg_status_sample_debian12.txt",
             sd ? sd : "/nonexistent");
    snprintf(tsv, sizeof(tsv), "%s/debian/bookworm_cve_fixed_versions_from_changelogs.tsv.gz",
             sd ? sd : "");
    snprintf(tracker, sizeof(tracker),
             "%s/debian/security-tracker-bookworm-from-changelogs.json.gz", sd ? sd : "");
    if ((text = read_all(status_path, &len)) == NULL) {
        free(bins);
        skip(); /* the shared data set is absent */
    }
    make_root(t, text, len);
    snprintf(root, sizeof(root), "%s/root", t->dir);
    co = (struct pl_collect_opts){root, NULL};
    assert_int_equal(pl_inventory_collect(t->s, &co, &cs, &err), PL_OK);
    import(t, "debian", tracker);
    scan(t, 1795910400 /* 2026-11-29 */, &sum);
    pl_match_summary_release(&sum);

    nb = parse_status(text, bins);
    assert_int_equal(nb, cs.n_packages);
    expected(bins, nb, tsv, &yes, &no);
    dpkg_agrees(&yes, true, 40);
    dpkg_agrees(&no, false, 40);
    names_only(&yes);
    stored(t, &got);
    assert_true(yes.n > 1000);
    assert_int_equal(got.n, yes.n);
    for (size_t i = 0; i < yes.n; i++)
        assert_string_equal(got.v[i], yes.v[i]);
    kev_escalates(t, &got, 1795910400 + DAY);
    pairs_release(&yes);
    pairs_release(&no);
    pairs_release(&got);
    free(bins);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(os_ecosystems),
        cmocka_unit_test_setup_teardown(debian_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(osv_rpm_and_languages, setup, teardown),
        cmocka_unit_test_setup_teardown(alpine_secdb, setup, teardown),
        cmocka_unit_test_setup_teardown(scanner_findings, setup, teardown),
        cmocka_unit_test_setup_teardown(shared_bookworm, setup, teardown),
    };
    return cmocka_run_group_tests_name("match", tests, NULL, NULL);
}
