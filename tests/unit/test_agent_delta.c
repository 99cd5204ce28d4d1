/*
 * test_agent_delta.c - an agent's delta uploads (docs/agent.md): the store
 * changes the list by the changed names alone and moves its digest by them
 * (pl_store_packages_change_from). Two stores get the same history of one
 * host's lists at the same times, one as a whole upload then deltas, the
 * other as whole uploads every time, with a scan after each: the package
 * observations, the lists, the effective packages and the findings must be
 * the same row for row. Then the refusals: a delta whose digest does not add
 * up, or whose base is not the last accepted upload, changes nothing; and a
 * list whose digest the store has not kept (a store made before it kept
 * them) takes a delta all the same, and a store migrated to them has
 * every list's digest computed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/clock.h"
#include "patchline/fleet.h"
#include "patchline/intel.h"
#include "patchline/match.h"
#include "patchline/policy.h"
#include "patchline/store.h"
#include "patchline/store_agents.h"

#include "store/db.h"
#include "store/sql_dialect.h"
#include "store/store_obs.h"
#include "test_store_target.h"

#define T0 1768003200 /* 2026-01-10 */

struct side {
    char dir[64], path[128];
    const char *target;
    struct pl_store *s;
    struct pl_agent_row a;
    char digest[PL_FLEET_DIGEST_HEX_LEN + 1];
    bool have;
    struct pl_package_list last;
};

/* The host's lists in turn ("name version" each, arch amd64; fillers appended). */
static const char *const lists[][8] = {
    {"bash 5.2.15-2", "openssl 3.0.11-1~deb12u2", "dpkg 1.21.22", "zlib1g 1:1.2.13", NULL},
    {"bash 5.2.15-3", "openssl 3.0.11-1~deb12u2", "zlib1g 1:1.2.13", "curl 7.88.1-10", NULL},
    {"bash 5.2.15-3", "dpkg 1.21.22", "zlib1g 1:1.2.13", "curl 7.88.1-10", NULL},
    {"bash 5.2.15-2", "openssl 3.0.11-1~deb12u2", "dpkg 1.21.23", "curl 7.88.1-11", NULL},
    {"bash 5.2.15-2", "openssl 3.0.11-1~deb12u2", "dpkg 1.21.23", "curl 7.88.1-11", NULL},
};
/* The order they are uploaded in: the last twice (a check-in that changes nothing). */
static const size_t order[] = {0, 1, 2, 3, 4, 4};

static const char *src_path(const char *rel)
{
    static char p[4096];
    const char *src = getenv("PL_SOURCE_DIR");

    if (snprintf(p, sizeof(p), "%s/%s", src ? src : ".", rel) >= (int)sizeof(p))
        fail_msg("path too long");
    return p;
}

static void make_list(size_t k, struct pl_package_list *l)
{
    for (size_t i = 0; lists[k][i]; i++) {
        struct pl_package *p = pl_package_list_add(l);
        char name[64], ver[64];

        assert_int_equal(sscanf(lists[k][i], "%63s %63s", name, ver), 2);
        p->ecosystem = strdup("dpkg");
        p->name = strdup(name);
        p->arch = strdup("amd64");
        p->version = strdup(ver);
    }
    for (int i = 0; i < 40; i++) { /* fillers, one of them moving with k */
        struct pl_package *p = pl_package_list_add(l);
        char name[32], ver[32];

        snprintf(name, sizeof(name), "lib-%02d", i);
        snprintf(ver, sizeof(ver), "1.%zu", i == (int)k ? k + 1 : (size_t)0);
        p->ecosystem = strdup("dpkg");
        p->name = strdup(name);
        p->arch = strdup(i % 3 ? "amd64" : "all");
        p->version = strdup(ver);
    }
}

static void side_open(struct side *x, const char *tag)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_import_opts o = {.force = true};
    struct pl_feed_result res;
    char tok[PL_FLEET_TOKEN_LEN + 1], cred[PL_FLEET_TOKEN_LEN + 1];
    int64_t id;

    memset(x, 0, sizeof(*x));
    pl_clock_set(T0);
    snprintf(x->dir, sizeof(x->dir), "/tmp/pl-delta-%s-XXXXXX", tag);
    assert_non_null(mkdtemp(x->dir));
    snprintf(x->path, sizeof(x->path), "%s/store.db", x->dir);
    x->target = pl_test_store(x->path);
    if (pl_store_open(x->target, PL_STORE_CREATE | PL_STORE_SIMULATED, &x->s, &err) != PL_OK)
        fail_msg("open: %s", err.msg);
    if (pl_feed_import(x->s, "debian", src_path("tests/fixtures/match/tracker.json"), &o, &res,
                       &err) != PL_OK ||
        pl_fleet_token_create(x->s, 3600, NULL, 0, T0, tok, &id, &err) != PL_OK ||
        pl_fleet_enrol(x->s, tok, "host-1", T0, cred, &err) != PL_OK ||
        pl_fleet_auth(x->s, cred, &x->a, &err) != PL_OK)
        fail_msg("set-up: %s", err.msg);
}

static void side_close(struct side *x)
{
    static const char *const sides[] = {"", "-wal", "-shm"};
    char p[200];

    pl_agent_row_release(&x->a);
    pl_package_list_release(&x->last);
    pl_store_close(x->s);
    for (size_t i = 0; i < PL_ARRAY_LEN(sides); i++) {
        snprintf(p, sizeof(p), "%s%s", x->path, sides[i]);
        unlink(p);
    }
    rmdir(x->dir);
}

/* The agent's row again (its digest and asset as the store has them). */
static void reload(struct side *x)
{
    struct pl_agent_row *rows = NULL;
    struct pl_error err = PL_ERROR_INIT;
    size_t n = 0;

    assert_int_equal(pl_fleet_list(x->s, &rows, &n, &err), PL_OK);
    assert_int_equal(n, 1);
    pl_agent_row_release(&x->a);
    x->a = rows[0];
    memset(&rows[0], 0, sizeof(rows[0]));
    pl_agent_rows_release(rows, n);
}

/* Upload list k at time t: a delta from the last accepted list when delta, else whole. */
static pl_status upload(struct side *x, size_t k, pl_time_t t, bool delta, const char *digest,
                        struct pl_error *err)
{
    struct pl_fleet_facts f = {"host-1",   "host-1", "mid-1", "debian", "debian", "12",
                               "bookworm", "amd64",  "6.1.0", "dpkg",   0};
    struct pl_package_list now = {NULL, 0, 0};
    struct pl_buf b = PL_BUF_INIT(0);
    char got[PL_FLEET_DIGEST_HEX_LEN + 1], want[PL_FLEET_DIGEST_HEX_LEN + 1];
    pl_status rc;

    make_list(k, &now);
    pl_fleet_digest(&now, want);
    pl_fleet_upload_body(&f, &now, delta ? &x->last : NULL, delta ? digest : NULL, &b);
    rc = pl_fleet_inventory_accept(x->s, &x->a, pl_buf_cstr(&b), b.len, t, got, err);
    if (rc == PL_OK) {
        assert_string_equal(got, want);
        pl_package_list_release(&x->last);
        x->last = now;
        memset(&now, 0, sizeof(now));
        reload(x);
    }
    pl_package_list_release(&now);
    pl_buf_release(&b);
    return rc;
}

static void scan(struct side *x, pl_time_t t)
{
    struct pl_policy *policy = NULL;
    struct pl_match_summary sum;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_match_opts o;

    assert_int_equal(pl_policy_load_builtin("default", &policy, &err), PL_OK);
    memset(&o, 0, sizeof(o));
    o.policy = policy;
    o.now = t;
    pl_match_summary_init(&sum);
    if (pl_match_scan(x->s, &o, &sum, &err) != PL_OK)
        fail_msg("scan: %s", err.msg);
    pl_match_summary_release(&sum);
    pl_policy_free(policy);
}

/* Every row sql returns, as text ("a|b|c;" each). */
static char *dump(struct side *x, const char *sql)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_db *db = NULL;
    struct pl_stmt *st = NULL;
    int step;

    if (pl__db_open(x->target, 0, &db, &err) != PL_OK)
        fail_msg("open: %s", err.msg);
    if (pl__db_prepare(db, sql, &st) != PL_DB_OK)
        fail_msg("%s: %s", sql, pl__db_errmsg(db));
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        for (int i = 0; i < pl__db_column_count(st); i++) {
            const unsigned char *v = pl__db_column_text(st, i);

            pl_buf_addf(&b, "%s%s", i ? "|" : "", v ? (const char *)v : "NULL");
        }
        pl_buf_adds(&b, ";\n");
    }
    assert_int_equal(step, PL_DB_DONE);
    pl__db_finalize(st);
    pl__db_close(db);
    return pl_buf_detach(&b, NULL);
}

static void exec_sql(struct side *x, const char *sql)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_db *db = NULL;

    if (pl__db_open(x->target, 0, &db, &err) != PL_OK)
        fail_msg("open: %s", err.msg);
    if (pl__db_exec(db, sql) != PL_DB_OK)
        fail_msg("%s: %s", sql, pl__db_errmsg(db));
    pl__db_close(db);
}

static const char *const tables[] = {
    "SELECT source, ecosystem, name, arch, version, first_seen, last_seen, closed_at FROM "
    "asset_package_obs ORDER BY source, ecosystem, name, arch",
    "SELECT source, ecosystem, last_seen, n_open, digest, effective FROM asset_package_lists "
    "ORDER BY source, ecosystem",
    "SELECT ecosystem, name, arch, version, source, first_seen FROM packages ORDER BY "
    "ecosystem, name, arch",
    "SELECT package, vuln_id, installed_version, status, tier, fixed_version, first_seen, "
    "resolved_at FROM findings ORDER BY package, vuln_id",
};

static void same_as_whole_uploads(void **state)
{
    struct side d, w;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    side_open(&d, "d");
    side_open(&w, "w");
    for (size_t step = 0; step < PL_ARRAY_LEN(order); step++) {
        size_t k = order[step];
        pl_time_t t = T0 + (pl_time_t)step * 3600;

        pl_clock_set(t);
        if (upload(&d, k, t, step > 0, d.a.digest, &err) != PL_OK)
            fail_msg("delta side, list %zu: %s", k, err.msg);
        if (upload(&w, k, t, false, NULL, &err) != PL_OK)
            fail_msg("whole side, list %zu: %s", k, err.msg);
        assert_string_equal(d.a.digest, w.a.digest);
        scan(&d, t);
        scan(&w, t);
        for (size_t i = 0; i < PL_ARRAY_LEN(tables); i++) {
            char *a = dump(&d, tables[i]), *b = dump(&w, tables[i]);

            if (strcmp(a, b) != 0)
                fail_msg("list %zu, %s:\ndelta:\n%s\nwhole:\n%s", k, tables[i], a, b);
            free(a);
            free(b);
        }
    }
    /* the findings moved with the lists: the last list has dpkg fixed, bash not */
    {
        char *f = dump(&d, "SELECT package, vuln_id, status FROM findings ORDER BY vuln_id");

        assert_non_null(strstr(f, "bash|CVE-2026-1003|open;"));
        assert_non_null(strstr(f, "dpkg|CVE-2026-1007|fixed;"));
        free(f);
    }
    side_close(&d);
    side_close(&w);
}

static void refusals_change_nothing(void **state)
{
    struct side d;
    struct pl_error err = PL_ERROR_INIT;
    char *before, *after, stale[PL_FLEET_DIGEST_HEX_LEN + 1];

    (void)state;
    side_open(&d, "r");
    pl_clock_set(T0);
    assert_int_equal(upload(&d, 0, T0, false, NULL, &err), PL_OK);
    snprintf(stale, sizeof(stale), "%s", d.a.digest);
    pl_clock_set(T0 + 60);
    assert_int_equal(upload(&d, 1, T0 + 60, true, d.a.digest, &err), PL_OK);
    before = dump(&d, tables[0]);
    /* a base that is not the last accepted upload */
    pl_clock_set(T0 + 120);
    assert_int_equal(upload(&d, 2, T0 + 120, true, stale, &err), PL_E_CONFLICT);
    /* a delta from the wrong list (the agent's copy differs from the store's) */
    pl_package_list_release(&d.last);
    make_list(3, &d.last);
    assert_int_equal(upload(&d, 2, T0 + 120, true, d.a.digest, &err), PL_E_CONFLICT);
    assert_non_null(strstr(err.msg, "digest"));
    after = dump(&d, tables[0]);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* the whole list mends it */
    assert_int_equal(upload(&d, 2, T0 + 120, false, NULL, &err), PL_OK);
    /* a list whose digest was not kept: computed from its rows at the next delta */
    exec_sql(&d, "UPDATE asset_package_lists SET digest = NULL");
    pl_clock_set(T0 + 180);
    if (upload(&d, 3, T0 + 180, true, d.a.digest, &err) != PL_OK)
        fail_msg("delta on a list without digest: %s", err.msg);
    side_close(&d);
}

/* A store of the schema before 0037 (its lists table dropped) migrates: every list's digest. */
static void migration_computes_digests(void **state)
{
    struct side d;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_db *db = NULL;
    char sql[160], want[PL_FLEET_DIGEST_HEX_LEN + 1], *got, *text = NULL;
    int version;

    (void)state;
    side_open(&d, "m");
    assert_int_equal(upload(&d, 0, T0, false, NULL, &err), PL_OK);
    pl_clock_set(T0 + 60);
    assert_int_equal(upload(&d, 1, T0 + 60, true, d.a.digest, &err), PL_OK);
    snprintf(want, sizeof(want), "%s", d.a.digest);
    version = pl_store_schema_version(d.s);
    pl_store_close(d.s);
    if (pl__db_open(d.target, 0, &db, &err) != PL_OK)
        fail_msg("open: %s", err.msg);
    assert_int_equal(pl__db_exec(db, "DROP TABLE asset_package_lists"), PL_DB_OK);
    /*
     * The store as 0037 found it: 0037 runs again (it makes the lists, their
     * digests NULL), then what the opener runs after the migrations of an
     * existing store computes the digests. (0041 reshapes findings: setting
     * the version back would run it on a store it already ran on.)
     */
    assert_int_equal(
        pl__store_sql_dialect(pl__store_migrations[35],
                              pl__db_kind(db) == PL_DB_PG ? PL_SQL_POSTGRESQL : PL_SQL_SQLITE,
                              &text, &err),
        PL_OK);
    assert_non_null(strstr(text, "CREATE TABLE asset_package_lists"));
    assert_int_equal(pl__db_exec(db, text), PL_DB_OK);
    free(text);
    pl__db_close(db);
    if (pl_store_open(d.target, 0, &d.s, &err) != PL_OK)
        fail_msg("open: %s", err.msg);
    assert_int_equal(pl_store_schema_version(d.s), version);
    assert_int_equal(pl__store_lock_begin(d.s, &err), PL_OK);
    if (pl__pkgs_lists_fill(d.s, &err) != PL_OK)
        fail_msg("fill: %s", err.msg);
    assert_int_equal(pl__store_lock_commit(d.s, &err), PL_OK);
    got = dump(&d, "SELECT digest, n_open FROM asset_package_lists");
    snprintf(sql, sizeof(sql), "%s|44;\n", want);
    assert_string_equal(got, sql);
    free(got);
    /* and the next delta builds on it */
    pl_clock_set(T0 + 120);
    if (upload(&d, 2, T0 + 120, true, d.a.digest, &err) != PL_OK)
        fail_msg("delta after the migration: %s", err.msg);
    side_close(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_as_whole_uploads),
        cmocka_unit_test(refusals_change_nothing),
        cmocka_unit_test(migration_computes_digests),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
