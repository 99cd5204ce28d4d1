/*
 * test_truth_orders.c - one truth per asset whatever order the sources come
 * in (issue 12): seven real imports of the Debian 12 fixture host `fixhost`
 * (host collection of tests/fixtures/inventory/root, a CMDB CSV row, EC2
 * describe-instances, SSM patch states, an Nmap -sV scan, a Nessus scan and
 * a Shodan host record; tests/fixtures/truth) applied through the library in
 * many orders, each into a fresh store, then one scan against the Debian
 * tracker fixture. Every order must give one live asset with the same
 * effective attributes, packages, tags and services, and the same findings
 * (vulnerability, package, versions, status, tier, due date).
 *
 * Every import is made at one time (a store's simulated clock never goes
 * back), so ties between sources are settled by precedence and names, never
 * by arrival. By default a documented sample of orders runs: the
 * identity, its reverse, every rotation of both, and 24 seeded random orders
 * (38 in all); PL_TRUTH_ALL_ORDERS=1 runs all 5,040 orders of the seven
 * imports (the suite's Release pass does: test truth_orders_all). Every order
 * starts from a copy of one template store (migrated, tracker imported) in
 * tmpfs, so the orders run on stores in memory.
 */
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/intel.h"
#include "patchline/inventory.h"
#include "patchline/match.h"
#include "patchline/policy.h"
#include "patchline/store.h"

#define N_SRC   7
#define T0      1767952800 /* 2026-01-09T10:00:00Z */
#define SCAN_AT (T0 + 12 * 3600)

static char dir[64], db[96], tmpl[96];

static const char *fix(const char *rel)
{
    static char p[8][512];
    static int k;
    const char *src = getenv("PL_SOURCE_DIR");

    k = (k + 1) % 8;
    snprintf(p[k], sizeof(p[k]), "%s/tests/fixtures/%s", src ? src : ".", rel);
    return p[k];
}

/* db and the files beside it (WAL, shared memory, audit key and checkpoint). */
static void remove_store(const char *path)
{
    static const char *const ext[] = {"", "-wal", "-shm", "-journal", ".audit-key", ".audit-head"};
    char f[160];

    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
        snprintf(f, sizeof(f), "%s%s", path, ext[i]);
        unlink(f);
    }
}

/* Copy the template store (and its audit key and checkpoint, when present) to path. */
static void copy_file(const char *from, const char *to)
{
    static const char *const ext[] = {"", ".audit-key", ".audit-head"};
    static char buf[1 << 16];

    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
        char a[160], b[160];
        FILE *in, *out;
        size_t n;

        snprintf(a, sizeof(a), "%s%s", from, ext[i]);
        snprintf(b, sizeof(b), "%s%s", to, ext[i]);
        if ((in = fopen(a, "rb")) == NULL) {
            if (i == 0)
                fail_msg("open %s", a);
            continue;
        }
        if ((out = fopen(b, "wb")) == NULL)
            fail_msg("create %s", b);
        chmod(b, 0600);
        while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
            if (fwrite(buf, 1, n, out) != n)
                fail_msg("write %s", b);
        fclose(in);
        if (fclose(out) != 0)
            fail_msg("write %s", b);
    }
}

/*
 * The template every order starts from, made once: a migrated, simulated store
 * with the Debian tracker fixture imported. It lives in tmpfs (/dev/shm) when
 * there is one, so each order runs on a store in memory.
 */
static void make_template(void)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_store *s = NULL;
    struct pl_import_opts io = {.force = true};
    struct pl_feed_result res;

    snprintf(dir, sizeof(dir), "%s/pl-orders-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    assert_non_null(mkdtemp(dir));
    snprintf(tmpl, sizeof(tmpl), "%s/template.db", dir);
    pl_clock_set(T0 - 3600);
    assert_int_equal(pl_store_open(tmpl, PL_STORE_CREATE | PL_STORE_SIMULATED, &s, &err), PL_OK);
    if (pl_store_begin(s, &err) != PL_OK ||
        pl_feed_import(s, NULL, fix("match/tracker.json"), &io, &res, &err) != PL_OK ||
        pl_store_commit(s, &err) != PL_OK)
        fail_msg("tracker: %s", err.msg);
    pl_store_close(s);
}

/* Import source i (0..6) as its importer would from the command line. */
static void apply(struct pl_store *s, int i)
{
    static const char *const files[] = {NULL,
                                        "truth/orders/cmdb.csv",
                                        "truth/orders/ec2.json",
                                        "truth/orders/ssm.json",
                                        "truth/nmap-sv.xml",
                                        "truth/orders/scan.nessus",
                                        "truth/orders/shodan.json"};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_inv_import_opts o;
    struct pl_inv_import_stats st;
    const char *kind;
    pl_status rc;

    pl_clock_set(T0);
    if ((rc = pl_store_begin(s, &err)) != PL_OK)
        fail_msg("begin: %s", err.msg);
    if (i == 0) {
        struct pl_collect_opts c = {fix("inventory/root"), NULL};
        struct pl_collect_summary sum;

        rc = pl_inventory_collect(s, &c, &sum, &err);
    } else {
        memset(&o, 0, sizeof(o));
        memset(&st, 0, sizeof(st));
        if (i == 2 || i == 4 || i == 5)
            o.scope = "vpc-0a1b2c3d";
        rc = pl_inventory_import(s, NULL, fix(files[i]), &o, &st, &kind, &err);
    }
    if (rc != PL_OK)
        fail_msg("source %d: %s", i, err.msg);
    if (pl_store_commit(s, &err) != PL_OK)
        fail_msg("commit: %s", err.msg);
}

/* Every row of sql, cells joined by '|', rows by '\n', appended to out. */
static void dump(sqlite3 *h, const char *sql, char *out, size_t cap)
{
    sqlite3_stmt *st;
    size_t n = strlen(out);

    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(h));
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const unsigned char *v = sqlite3_column_text(st, c);

            n +=
                (size_t)snprintf(out + n, cap - n, "%s%s", c ? "|" : "", v ? (const char *)v : "-");
            if (n >= cap)
                fail_msg("dump too long");
        }
        n += (size_t)snprintf(out + n, cap - n, "\n");
        if (n >= cap)
            fail_msg("dump too long");
    }
    sqlite3_finalize(st);
}

static pl_status first_1004(void *ctx, const struct pl_finding *f, struct pl_error *err)
{
    int64_t *ids = ctx;

    (void)err;
    if (strcmp(f->vuln_id, "CVE-2026-1004") == 0)
        ids[ids[0] ? 1 : 0] = f->id;
    return PL_OK;
}

/*
 * The witnesses of the one finding of CVE-2026-1004 (explain's JSON: its
 * clock source and witnesses): Nessus reports it on the host without a
 * package, Patchline matches it on openssl.
 */
static void witnesses(struct pl_store *s, const struct pl_policy *pol, char *out, size_t cap)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_finding_filter ff;
    struct pl_buf b;
    int64_t ids[2] = {0, 0};
    const char *w = NULL, *e = NULL;

    memset(&ff, 0, sizeof(ff));
    ff.tier = -1;
    if (pl_store_findings_each(s, &ff, first_1004, ids, &err) != PL_OK)
        fail_msg("findings: %s", err.msg);
    if (ids[0] == 0 || ids[1] != 0)
        fail_msg("want one finding of CVE-2026-1004, got %s", ids[0] ? "two" : "none");
    pl_buf_init(&b, 1 << 20);
    if (pl_match_explain(s, pol, NULL, ids[0], SCAN_AT, "json", &b, &err) != PL_OK)
        fail_msg("explain: %s", err.msg);
    if (pl_buf_status(&b) != PL_OK || b.buf == NULL ||
        (w = strstr(b.buf, "\"clock_source\"")) == NULL || (e = strstr(w, "],\"history\"")) == NULL)
        fail_msg("explain: no witnesses");
    snprintf(out + strlen(out), cap - strlen(out), "%.*s\n", (int)(e - w + 1), w);
    pl_buf_release(&b);
}

/* One order into a fresh store: the effective facts and findings, as text. */
static void run_order(const int *perm, const struct pl_policy *pol, char *out, size_t cap)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_store *s = NULL;
    struct pl_match_opts mo = {pol, NULL, 0, SCAN_AT, 0, 0, NULL, false};
    struct pl_match_summary sum;
    static char wit[4096];
    char f[128];
    sqlite3 *h;

    snprintf(db, sizeof(db), "%s/store.db", dir);
    copy_file(tmpl, db);
    pl_clock_set(T0 - 3600);
    assert_int_equal(pl_store_open(db, PL_STORE_SIMULATED, &s, &err), PL_OK);
    for (int i = 0; i < N_SRC; i++)
        apply(s, perm[i]);
    pl_clock_set(SCAN_AT);
    pl_match_summary_init(&sum);
    if (pl_store_begin(s, &err) != PL_OK || pl_match_scan(s, &mo, &sum, &err) != PL_OK ||
        pl_store_commit(s, &err) != PL_OK)
        fail_msg("scan: %s", err.msg);
    pl_match_summary_release(&sum);
    wit[0] = '\0';
    witnesses(s, pol, wit, sizeof(wit));
    pl_store_close(s);

    out[0] = '\0';
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    dump(h,
         "SELECT name, kind, os_family, os_name, os_version, os_codename, owner, environment, "
         "criticality, exposure, arch, last_patched, os_conflict, managed FROM assets WHERE "
         "retired_at IS NULL ORDER BY name",
         out, cap);
    dump(
        h,
        "SELECT p.ecosystem, p.name, p.arch, p.version, p.source_name, p.source_version, p.source "
        "FROM "
        "packages p JOIN assets a ON a.id = p.asset_id WHERE a.retired_at IS NULL ORDER BY 1, 2, 3",
        out, cap);
    dump(h,
         "SELECT tag FROM asset_tags t JOIN assets a ON a.id = t.asset_id WHERE a.retired_at IS "
         "NULL ORDER BY 1",
         out, cap);
    dump(h,
         "SELECT v.source, v.protocol, v.port, v.state, v.product, v.version, v.closed_at FROM "
         "asset_services v "
         "JOIN assets a ON a.id = v.asset_id WHERE a.retired_at IS NULL ORDER BY 1, 2, 3",
         out, cap);
    dump(h,
         "SELECT o.attr, o.source, o.value FROM asset_observations o JOIN assets a ON a.id = "
         "o.asset_id "
         "WHERE a.retired_at IS NULL ORDER BY 1, 2, 3",
         out, cap);
    dump(h,
         "SELECT f.vuln_id, f.package, f.installed_version, f.fixed_version, f.status, f.tier, "
         "f.due_at, f.first_seen FROM findings f JOIN assets a ON a.id = f.asset_id WHERE "
         "a.retired_at IS NULL ORDER BY 1, 2, 3, 4, 5",
         out, cap);
    sqlite3_close(h);
    if (strlen(out) + strlen(wit) >= cap)
        fail_msg("dump too long");
    memcpy(out + strlen(out), wit, strlen(wit) + 1);
    remove_store(db);
    (void)f;
}

/* Permutation number k of 0..n-1 (factorial number system). */
static void nth_order(int k, int *perm)
{
    int pool[N_SRC];

    for (int i = 0; i < N_SRC; i++)
        pool[i] = i;
    for (int i = N_SRC; i > 0; i--) {
        int f = 1, j;

        for (int m = 2; m < i; m++)
            f *= m;
        j = k / f;
        k %= f;
        perm[N_SRC - i] = pool[j];
        memmove(&pool[j], &pool[j + 1], (size_t)(i - j - 1) * sizeof(pool[0]));
    }
}

/* The sample: rotations of the identity and of its reverse, then seeded random orders. */
static int sample_order(int n, int *perm)
{
    static uint32_t seed = 12;

    if (n < 2 * N_SRC) {
        for (int i = 0; i < N_SRC; i++)
            perm[i] = n < N_SRC ? (i + n) % N_SRC : (N_SRC - 1 - i + n - N_SRC) % N_SRC;
        return 0;
    }
    seed = seed * 1103515245u + 12345u;
    nth_order((int)((seed >> 8) % 5040u), perm);
    return 0;
}

static void every_order_gives_one_truth(void **state)
{
    static char want[65536], got[65536];
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *pol = NULL;
    const char *all = getenv("PL_TRUTH_ALL_ORDERS");
    int n = all && strcmp(all, "1") == 0 ? 5040 : 2 * N_SRC + 24;
    (void)state;

    if (access(fix("truth/orders/ec2.json"), R_OK) != 0)
        skip();
    assert_int_equal(pl_policy_load_builtin("default", &pol, &err), PL_OK);
    make_template();
    for (int k = 0; k < n; k++) {
        int perm[N_SRC];

        if (n == 5040)
            nth_order(k, perm);
        else
            sample_order(k, perm);
        run_order(perm, pol, k == 0 ? want : got, sizeof(want));
        if (k > 0 && strcmp(got, want) != 0) {
            FILE *w = fopen("truth-orders-first.txt", "w"),
                 *g = fopen("truth-orders-this.txt", "w");

            if (w && g)
                fputs(want, w), fputs(got, g);
            if (w)
                fclose(w);
            if (g)
                fclose(g);
            fail_msg("order %d%d%d%d%d%d%d differs from the first: see truth-orders-first.txt "
                     "and truth-orders-this.txt",
                     perm[0], perm[1], perm[2], perm[3], perm[4], perm[5], perm[6]);
        }
    }
    remove_store(tmpl);
    rmdir(dir);
    print_message("%d orders, one truth:\n%s", n, want);
    /* one live asset: host collection's OS and packages, the CMDB's owner, Nessus's finding */
    assert_int_equal(
        strncmp(want, "fixhost|host|debian|debian|12|bookworm|team-web|prod|high|", 58), 0);
    assert_non_null(strstr(want, "\ndpkg|openssl|"));
    assert_non_null(strstr(want, "CVE-2026-1004|openssl|"));
    /* one finding of CVE-2026-1004: Nessus's report without a package is its witness */
    assert_null(strstr(want, "CVE-2026-1004||"));
    assert_non_null(strstr(
        want, "\"witnesses\":[{\"source\":\"nessus\",\"status\":\"open\",\"package\":null,"));
    assert_null(strstr(strchr(want, '\n') + 1, "|host|")); /* no second asset */
    pl_policy_free(pol);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_order_gives_one_truth),
    };
    return cmocka_run_group_tests_name("truth_orders", tests, NULL, NULL);
}
