/*
 * test_asset_truth.c - one truth per asset (issue 12): what seven sources say
 * of one Debian 12 host, recorded in every one of the 5,040 orders, gives
 * one asset with the same effective attributes and the same packages; a
 * vaguer OS never replaces a specific one; disagreeing OSes are a conflict;
 * a curated pin wins; merge and split keep and give back observations;
 * packages, tags and services are kept per source, unseen ones closed.
 */
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/store.h"

#define N_SOURCES 7
#define N_ORDERS  5040 /* 7! */

/* A fresh simulated store in a temporary folder (the store path is made absolute, so
 * ":memory:" would be a file in the working folder, shared by the tests). */
static char tmp_dir[64], tmp_db[96];

static struct pl_store *open_mem(void)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_store *s = NULL;

    snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/pl-truth-XXXXXX");
    assert_non_null(mkdtemp(tmp_dir));
    snprintf(tmp_db, sizeof(tmp_db), "%s/store.db", tmp_dir);
    assert_int_equal(pl_store_open(tmp_db, PL_STORE_CREATE | PL_STORE_SIMULATED, &s, &err), PL_OK);
    return s;
}

static void close_mem(struct pl_store *s)
{
    char f[128];

    pl_store_close(s);
    unlink(tmp_db);
    snprintf(f, sizeof(f), "%s-wal", tmp_db);
    unlink(f);
    snprintf(f, sizeof(f), "%s-shm", tmp_db);
    unlink(f);
    rmdir(tmp_dir);
}

/* Observation i of host `host`: what each source says, as its importer would. */
static void observe(struct pl_store *s, int i, const char *host, pl_time_t now, int64_t *id)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_identifier ids[2] = {{"hostname", host, NULL}, {"ip", "10.0.5.20", host}};
    struct pl_observation o;
    bool created;

    memset(&o, 0, sizeof(o));
    o.ids = ids;
    o.n_ids = 2;
    o.seen = now;
    o.reboot_required = -1;
    o.source_key = host;
    o.fallback_name = host;
    switch (i) {
    case 0: /* host collection */
        o.source = "local", o.name = host, o.os_family = "debian", o.os_name = "debian";
        o.os_version = "12", o.os_codename = "bookworm", o.arch = "amd64";
        o.has_last_patched = true, o.last_patched = now - 86400;
        break;
    case 1: /* CMDB CSV */
        o.source = "cmdb", o.name = host, o.os_name = "Debian GNU/Linux", o.owner = "team-web";
        o.environment = "prod", o.criticality = "high";
        break;
    case 2: /* EC2 */
        o.source = "aws", o.os_family = "linux", o.os_name = "Linux/UNIX", o.owner = "ec2-tag";
        o.environment = "dev", o.exposure = "no";
        break;
    case 3: /* SSM patch states */
        o.source = "aws-ssm", o.has_last_patched = true, o.last_patched = now - 3 * 86400;
        break;
    case 4: /* Nessus */
        o.source = "nessus", o.os_name = "Linux Kernel 6.1 on Debian 12";
        break;
    case 5: /* Nmap */
        o.source = "nmap", o.os_family = "linux", o.os_name = "Linux 4.15 - 5.8";
        o.os_version = "5.X";
        break;
    default: /* Shodan */
        o.source = "shodan", o.exposure = "yes", o.exposure_evidence = "22/tcp per shodan";
        break;
    }
    assert_int_equal(pl_store_asset_observe(s, &o, id, &created, &err), PL_OK);
    if (i == 0) {
        char name[] = "libc6", ver[] = "2.36-9+deb12u4", arch[] = "amd64", src[] = "glibc";
        struct pl_package p = {0, NULL, name, ver, arch, src, NULL, NULL, 0};
        struct pl_package_sync sync;

        assert_int_equal(
            pl_store_packages_sync_from(s, *id, "local", "dpkg", &p, 1, now, &sync, NULL, &err),
            PL_OK);
    }
}

/* The effective attributes and packages of one asset as one line. */
static void summary(struct pl_store *s, int64_t id, char *out, size_t cap)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_asset_query q = {.id = id};
    struct pl_asset_info_list l = {NULL, 0};
    struct pl_package_list pk = {NULL, 0, 0};
    const struct pl_asset *a;

    assert_int_equal(pl_store_asset_query(s, &q, &l, &err), PL_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(pl_store_package_list(s, id, &pk, &err), PL_OK);
    a = &l.items[0].a;
    snprintf(out, cap, "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%lld|%zu:%s=%s|%d|%s",
             a->os_family ? a->os_family : "-", a->os_name ? a->os_name : "-",
             a->os_version ? a->os_version : "-", a->os_codename ? a->os_codename : "-",
             a->owner ? a->owner : "-", a->environment ? a->environment : "-",
             a->criticality ? a->criticality : "-", a->exposure, a->exposure,
             a->arch ? a->arch : "-", (long long)a->last_patched, pk.n,
             pk.n ? pk.items[0].name : "-", pk.n ? pk.items[0].version : "-", l.items[0].managed,
             l.items[0].os_conflict ? l.items[0].os_conflict : "-");
    pl_package_list_release(&pk);
    pl_asset_info_list_release(&l);
}

/* Permutation number k of 0..n-1 (factorial number system). */
static void nth_order(int k, int *perm, int n)
{
    int pool[N_SOURCES];

    for (int i = 0; i < n; i++)
        pool[i] = i;
    for (int i = n; i > 0; i--) {
        int f = 1, j;

        for (int m = 2; m < i; m++)
            f *= m;
        j = k / f;
        k %= f;
        perm[n - i] = pool[j];
        memmove(&pool[j], &pool[j + 1], (size_t)(i - j - 1) * sizeof(pool[0]));
    }
}

static void every_order_gives_one_asset(void **state)
{
    struct pl_store *s = open_mem();
    pl_time_t now = 1767225600; /* 2026-01-01 */
    char want[1024], got[1024];
    (void)state;

    pl_clock_set(now);
    for (int k = 0; k < N_ORDERS; k++) {
        char host[32];
        int perm[N_SOURCES];
        int64_t id = 0, first = 0;

        snprintf(host, sizeof(host), "fixhost-%d", k);
        nth_order(k, perm, N_SOURCES);
        for (int i = 0; i < N_SOURCES; i++) {
            observe(s, perm[i], host, now, &id);
            if (i == 0)
                first = id;
            assert_int_equal(id, first); /* every source found the one asset */
        }
        summary(s, id, k == 0 ? want : got, sizeof(want));
        if (k > 0)
            assert_string_equal(got, want);
    }
    /* host collection's OS, the CMDB's owner and environment, Shodan's exposure */
    assert_string_equal(want, "debian|debian|12|bookworm|team-web|prod|high|yes|yes|amd64|"
                              "1767139200|1:libc6=2.36-9+deb12u4|1|-");
    close_mem(s);
}

static void vaguer_never_replaces_specific(void **state)
{
    struct pl_store *s = open_mem();
    struct pl_error err = PL_ERROR_INIT;
    struct pl_identifier ids[1] = {{"hostname", "h", NULL}};
    struct pl_observation vague = {.source = "nessus",
                                   .source_key = "h",
                                   .ids = ids,
                                   .n_ids = 1,
                                   .seen = 1767225600,
                                   .os_name = "Linux",
                                   .reboot_required = -1};
    pl_time_t now = 1767225600;
    char got[1024];
    int64_t id;
    (void)state;

    pl_clock_set(now);
    observe(s, 1, "h", now, &id); /* CMDB: "Debian GNU/Linux", no version */
    assert_int_equal(pl_store_asset_observe(s, &vague, &id, NULL, &err), PL_OK);
    summary(s, id, got, sizeof(got)); /* Nessus ranks above the CMDB but says less */
    assert_non_null(strstr(got, "-|Debian GNU/Linux|-|-|"));
    observe(s, 4, "h", now, &id); /* Nessus: Debian 12 */
    observe(s, 2, "h", now, &id); /* EC2: "Linux/UNIX" */
    summary(s, id, got, sizeof(got));
    assert_non_null(strstr(got, "|Linux Kernel 6.1 on Debian 12|"));
    /* a curated pin wins over everything; unpinning gives the sources back */
    assert_int_equal(pl_store_asset_set(s, id, "os", "ubuntu 22.04", &err), PL_OK);
    summary(s, id, got, sizeof(got));
    assert_non_null(strstr(got, "debian|ubuntu|22.04|-|"));
    assert_int_equal(pl_store_asset_set(s, id, "os", "", &err), PL_OK);
    summary(s, id, got, sizeof(got));
    assert_non_null(strstr(got, "|Linux Kernel 6.1 on Debian 12|"));
    assert_int_equal(pl_store_asset_set(s, id, "os", "Linux/UNIX", &err), PL_E_INVALID);
    close_mem(s);
}

static void disagreeing_oses_are_a_conflict(void **state)
{
    struct pl_store *s = open_mem();
    struct pl_error err = PL_ERROR_INIT;
    struct pl_identifier ids[1] = {{"hostname", "h", NULL}};
    struct pl_observation o = {.source = "cmdb",
                               .source_key = "h",
                               .ids = ids,
                               .n_ids = 1,
                               .seen = 1767225600,
                               .name = "h",
                               .os_name = "Ubuntu",
                               .os_version = "22.04",
                               .reboot_required = -1};
    struct pl_asset_query q = {.conflicts = true};
    struct pl_asset_info_list l = {NULL, 0};
    char got[1024];
    int64_t id;
    (void)state;

    observe(s, 0, "h", 1767225600, &id);
    assert_int_equal(pl_store_asset_observe(s, &o, &id, NULL, &err), PL_OK);
    summary(s, id, got, sizeof(got));
    assert_non_null(strstr(got, "debian|debian|12|bookworm|")); /* the winner is used */
    assert_int_equal(pl_store_asset_query(s, &q, &l, &err), PL_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0].os_conflict, "local: debian 12 (bookworm); cmdb: Ubuntu 22.04");
    pl_asset_info_list_release(&l);
    close_mem(s);
}

static void merge_and_split_keep_observations(void **state)
{
    struct pl_store *s = open_mem();
    struct pl_error err = PL_ERROR_INIT;
    char got[1024];
    int64_t a, b, c;
    (void)state;

    observe(s, 0, "a", 1767225600, &a); /* host collection */
    observe(s, 1, "b", 1767225600, &b); /* a CMDB row under another name: owner team-web */
    assert_true(a != b);
    assert_int_equal(pl_store_asset_merge(s, a, b, &err), PL_OK);
    summary(s, a, got, sizeof(got));
    assert_non_null(strstr(got, "|team-web|prod|high|")); /* the owner came along */
    assert_int_equal(pl_store_asset_split(s, a, "cmdb", &c, &err), PL_OK);
    summary(s, a, got, sizeof(got));
    assert_non_null(strstr(got, "bookworm|-|-|-|")); /* ... and left with its source */
    summary(s, c, got, sizeof(got));
    assert_non_null(strstr(got, "|team-web|prod|high|"));
    close_mem(s);
}

/* The first column of the first row of sql (joined rows: group_concat), read beside the store. */
static void qtext(const char *sql, char *out, size_t cap)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    out[0] = '\0';
    assert_int_equal(sqlite3_open_v2(tmp_db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void sync_pkgs(struct pl_store *s, int64_t id, const char *source, const char *names,
                      pl_time_t t)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_package p[8];
    struct pl_package_sync sync;
    char buf[128], *save = NULL, *w;
    char ver[] = "1.0-1", arch[] = "amd64";
    size_t n = 0;

    snprintf(buf, sizeof(buf), "%s", names);
    memset(p, 0, sizeof(p));
    for (w = strtok_r(buf, " ", &save); w && n < 8; w = strtok_r(NULL, " ", &save)) {
        p[n].name = w, p[n].version = ver, p[n].arch = arch;
        n++;
    }
    assert_int_equal(pl_store_packages_sync_from(s, id, source, "dpkg", p, n, t, &sync, NULL, &err),
                     PL_OK);
}

static void tag(struct pl_store *s, int64_t id, const char *source, const char *t1, const char *t2,
                pl_time_t t)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_asset_facts f = PL_ASSET_FACTS_INIT;
    const char *tags[2] = {t1, t2};

    f.tags = tags, f.n_tags = t2 ? 2 : 1, f.source = source, f.seen = t;
    assert_int_equal(pl_store_asset_facts(s, id, &f, &err), PL_OK);
}

static void services(struct pl_store *s, int64_t id, const char *source, int p1, int p2,
                     pl_time_t t)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_service v[2] = {{"tcp", p1, "open", "x", NULL, NULL, NULL, NULL, 0},
                              {"tcp", p2, "open", "y", NULL, NULL, NULL, NULL, 0}};

    assert_int_equal(pl_store_asset_services_sync(s, id, source, v, p2 ? 2 : 1, NULL, 0, t, &err),
                     PL_OK);
}

static void per_source_sets_never_delete_each_other(void **state)
{
    struct pl_store *s = open_mem();
    pl_time_t t = 1767225600;
    char got[1024];
    int64_t id;
    (void)state;

    pl_clock_set(t);
    observe(s, 0, "h", t, &id); /* host collection: libc6 */
    sync_pkgs(s, id, "local", "libc6 openssl zlib1g", t);
    sync_pkgs(s, id, "trivy", "libc6 curl", t + 10); /* ranks below local: recorded, not applied */
    qtext("SELECT group_concat(name || '/' || source, ' ') FROM (SELECT name, source FROM "
          "packages ORDER BY name)",
          got, sizeof(got));
    assert_string_equal(got, "libc6/local openssl/local zlib1g/local");
    sync_pkgs(s, id, "local", "libc6 zlib1g", t + 20); /* openssl removed: closed, dated */
    qtext("SELECT group_concat(name || '/' || source || '/' || COALESCE(closed_at - 1767225600, "
          "'open'), ' ') FROM (SELECT * FROM asset_package_obs ORDER BY source, name)",
          got, sizeof(got));
    assert_string_equal(got, "libc6/local/open openssl/local/20 zlib1g/local/open "
                             "curl/trivy/open libc6/trivy/open");
    qtext("SELECT group_concat(name, ' ') FROM (SELECT name FROM packages ORDER BY name)", got,
          sizeof(got));
    assert_string_equal(got, "libc6 zlib1g");
    sync_pkgs(s, id, "local", "", t + 30); /* host collection lists nothing: the scanner's stand */
    qtext("SELECT group_concat(name || '/' || source, ' ') FROM (SELECT name, source FROM "
          "packages ORDER BY name)",
          got, sizeof(got));
    assert_string_equal(got, "curl/trivy libc6/trivy");

    /* tags: the CMDB's new list closes its old tag, never the cloud's */
    tag(s, id, "cmdb", "pci", NULL, t);
    tag(s, id, "aws", "Name=h", "pci", t + 5);
    tag(s, id, "cmdb", "dmz", NULL, t + 10);
    qtext("SELECT group_concat(tag, ';') FROM (SELECT tag FROM asset_tags ORDER BY tag)", got,
          sizeof(got));
    assert_string_equal(got, "Name=h;dmz;pci"); /* pci still stated by aws */
    tag(s, id, "aws", "Name=h", NULL, t + 20);
    qtext("SELECT group_concat(tag, ';') FROM (SELECT tag FROM asset_tags ORDER BY tag)", got,
          sizeof(got));
    assert_string_equal(got, "Name=h;dmz");
    qtext("SELECT group_concat(source || ':' || (closed_at - 1767225600), ' ') FROM (SELECT * "
          "FROM asset_tag_obs WHERE tag = 'pci' ORDER BY source)",
          got, sizeof(got));
    assert_string_equal(got, "aws:20 cmdb:10");

    /* services: one scanner's later look closes only its own ports */
    services(s, id, "nmap", 22, 80, t);
    services(s, id, "shodan", 80, 443, t + 5);
    services(s, id, "nmap", 22, 0, t + 10);
    qtext("SELECT group_concat(source || ':' || port || ':' || COALESCE(closed_at - 1767225600, "
          "'open'), ' ') FROM (SELECT * FROM asset_services ORDER BY source, port)",
          got, sizeof(got));
    assert_string_equal(got, "nmap:22:open nmap:80:10 shodan:80:open shodan:443:open");
    summary(s, id, got, sizeof(got)); /* the attributes are untouched */
    assert_non_null(strstr(got, "debian|debian|12|bookworm|"));
    close_mem(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_order_gives_one_asset),
        cmocka_unit_test(vaguer_never_replaces_specific),
        cmocka_unit_test(disagreeing_oses_are_a_conflict),
        cmocka_unit_test(merge_and_split_keep_observations),
        cmocka_unit_test(per_source_sets_never_delete_each_other),
    };
    return cmocka_run_group_tests_name("asset_truth", tests, NULL, NULL);
}
