/*
 * test_apply_release.c - the release gate of the next ring (pl_apply_release,
 * issue 23 item 7): a later production ring waits for its previous ring's
 * watch and results, and a failed canary stops it, naming the hosts.
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

#include "patchline/apply.h"
#include "patchline/store.h"

#include "test_store_target.h"

struct env {
    char path[256];
    struct pl_store *s;
};

static void sql(const char *path, const char *text)
{
    sqlite3 *db = NULL;
    char *msg = NULL;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", text, msg);
    sqlite3_close(db);
}

static char *slurp(const char *rel)
{
    char path[4096];
    const char *src = getenv("PL_SOURCE_DIR");
    FILE *f;
    char *buf = calloc(1, 1 << 20);

    snprintf(path, sizeof(path), "%s/%s", src ? src : "..", rel);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(buf);
    assert_true(fread(buf, 1, (1 << 20) - 1, f) > 0);
    fclose(f);
    return buf;
}

/*
 * The planner's crafted estate and one stored plan: wave 1 the pilot ring of
 * nginx 1.24.0-2 (prod-web-pilot, prod-web-2), wave 2 its early ring
 * (prod-web-3), wave 3 its standard ring, wave 4 the early ring of curl,
 * which no pilot carried. The pilot ends at 2000 and is watched for 3600 s.
 */
static int setup(void **state)
{
    struct env *e = calloc(1, sizeof(*e));
    struct pl_error err = PL_ERROR_INIT;
    char *assets, *findings;

    if (pl_test_store_is_pg()) {
        free(e);
        skip(); /* the plan is written with sqlite3 directly */
    }
    snprintf(e->path, sizeof(e->path), "/tmp/pl_release_%ld.db", (long)getpid());
    unlink(e->path);
    assert_int_equal(pl_store_open(e->path, PL_STORE_CREATE, &e->s, &err), PL_OK);
    pl_store_close(e->s);
    assets = slurp("tests/fixtures/plan/assets.sql");
    findings = slurp("tests/fixtures/plan/findings.sql");
    sql(e->path, assets);
    sql(e->path, findings);
    free(assets);
    free(findings);
    sql(e->path,
        "INSERT INTO plans (id, created_at, requester, source, sha256, horizon_secs, n_findings, "
        "n_misses) VALUES (1, 0, 'alice', '(built-in)', '', 0, 5, 0);"
        "INSERT INTO waves (id, plan_id, seq, lane, environment, ring, ring_name, window_name, "
        "starts_at, ends_at, tier, needs_approval, sign_off, watch_secs, halt_failure_rate) "
        "VALUES (1, 1, 1, 'standard', 'prod', 1, 'pilot', 'w', 1000, 2000, 1, 0, 'none', 3600, "
        "NULL), (2, 1, 2, 'standard', 'prod', 2, 'early', 'w', 10000, 11000, 1, 0, 'none', 3600, "
        "NULL), (3, 1, 3, 'standard', 'prod', 3, 'standard', 'w', 20000, 21000, 1, 0, 'none', 0, "
        "NULL), (4, 1, 4, 'standard', 'prod', 2, 'early', 'w', 10000, 11000, 3, 0, 'none', 0, "
        "NULL);"
        "INSERT INTO wave_items (wave_id, finding_id, asset_id, package, fixed_version) VALUES "
        "(1, 5, 3, 'nginx', '1.24.0-2'), (1, 6, 4, 'nginx', '1.24.0-2'), "
        "(2, 7, 5, 'nginx', '1.24.0-2'), (3, 7, 5, 'nginx', '1.24.0-2'), "
        "(4, 8, 6, 'curl', '8.5.0-2');");
    assert_int_equal(pl_store_open(e->path, 0, &e->s, &err), PL_OK);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;

    if (e) {
        pl_store_close(e->s);
        unlink(e->path);
        free(e);
    }
    return 0;
}

/* The pilot's results: NULL for a host that reported nothing. */
static void results(struct env *e, const char *pilot, const char *web2, const char *rate)
{
    char text[1024];

    pl_store_close(e->s);
    snprintf(text, sizeof(text),
             "DELETE FROM handoff_results; UPDATE waves SET halt_failure_rate = %s WHERE seq = 1;",
             rate);
    sql(e->path, text);
    if (pilot) {
        snprintf(text, sizeof(text),
                 "INSERT INTO handoff_results VALUES (1, 1, 3, 'ansible', '%s', 'health check "
                 "failed (rc 1)', 'r.json', 0)",
                 pilot);
        sql(e->path, text);
    }
    if (web2) {
        snprintf(text, sizeof(text),
                 "INSERT INTO handoff_results VALUES (1, 1, 4, 'ssm', '%s', NULL, 's.json', 0)",
                 web2);
        sql(e->path, text);
    }
    {
        struct pl_error err = PL_ERROR_INIT;
        assert_int_equal(pl_store_open(e->path, 0, &e->s, &err), PL_OK);
    }
}

static const struct {
    const char *pilot, *web2, *rate; /* the pilot ring's results and halt-failure-rate */
    pl_time_t now;
    enum pl_release_state early, standard; /* waves 2 and 3 */
    const char *reason;                    /* in wave 2's reason */
} cases[] = {
    /* the watch runs until 5600: held, whatever has come in */
    {NULL, NULL, "NULL", 3000, PL_RELEASE_WATCHING, PL_RELEASE_WATCHING,
     "wave 1 (prod ring pilot) is watched until 1970-01-01T01:33:20Z (0 of 2 hosts reported)"},
    {"healthy", "healthy", "NULL", 5599, PL_RELEASE_WATCHING, PL_RELEASE_WATCHING,
     "(2 of 2 hosts reported)"},
    /* after the watch: a host without a result holds the ring, named */
    {"healthy", NULL, "NULL", 5600, PL_RELEASE_AWAITING, PL_RELEASE_AWAITING,
     "has no results from 1 of its 2 hosts after its watch (ended 1970-01-01T01:33:20Z): "
     "prod-web-2"},
    /* every host healthy after the watch: released; the standard ring now watches early */
    {"healthy", "healthy", "NULL", 5600, PL_RELEASE_OPEN, PL_RELEASE_WATCHING, ""},
    /* a failure with no threshold in the plan: failed at once, even during the watch */
    {"failed", "healthy", "NULL", 3000, PL_RELEASE_FAILED, PL_RELEASE_FAILED,
     "failed: 1 of 2 hosts failed (50% > 0%): prod-web-pilot (failed: health check failed "
     "(rc 1))"},
    /* an unreachable host is a failure too */
    {"healthy", "unreachable", "NULL", 9000, PL_RELEASE_FAILED, PL_RELEASE_FAILED,
     "prod-web-2 (unreachable)"},
    /* under (or at) the plan's threshold the failure does not hold the ring */
    {"failed", "healthy", "0.5", 9000, PL_RELEASE_OPEN, PL_RELEASE_WATCHING, ""},
    {"failed", "failed", "0.5", 9000, PL_RELEASE_FAILED, PL_RELEASE_FAILED, "(100% > 50%)"},
};

static void release_cases(void **state)
{
    struct env *e = *state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pl_release *rel = NULL;
        struct pl_error err = PL_ERROR_INIT;
        size_t n = 0;

        results(e, cases[i].pilot, cases[i].web2, cases[i].rate);
        assert_int_equal(pl_apply_release(e->s, 1, cases[i].now, &rel, &n, &err), PL_OK);
        assert_int_equal(n, 4);
        print_message("case %zu: %s / %s\n", i, rel[1].reason, rel[2].reason);
        assert_int_equal(rel[0].state, PL_RELEASE_OPEN); /* the pilot is not gated here */
        assert_int_equal(rel[1].state, cases[i].early);
        assert_int_equal(rel[2].state, cases[i].standard);
        assert_int_equal(rel[3].state, PL_RELEASE_OPEN); /* curl: no pilot carried it */
        assert_non_null(strstr(rel[1].reason, cases[i].reason));
        if (cases[i].early != PL_RELEASE_OPEN) {
            assert_int_equal(rel[1].after, 1);
            /* the standard ring is held behind the early ring, naming the wave at the root */
            assert_int_equal(rel[2].after, 1);
            assert_non_null(strstr(rel[2].reason, "wave 2 is held: wave 1 (prod ring pilot)"));
        } else {
            assert_string_equal(rel[1].reason, "");
            assert_int_equal(rel[2].after, 2);
        }
        free(rel);
    }
}

/* The rollout's own jobs (apply --rollout) count as results when nothing was imported. */
static void release_apply_progress(void **state)
{
    struct env *e = *state;
    struct pl_release *rel = NULL;
    struct pl_error err = PL_ERROR_INIT;
    size_t n = 0;

    results(e, NULL, NULL, "NULL");
    pl_store_close(e->s);
    sql(e->path, "INSERT INTO rollouts VALUES (1, 'running', NULL, NULL, 0, 0);"
                 "INSERT INTO rollout_assets VALUES (1, 1, 3, 'succeeded', NULL, 1, 'job 4 "
                 "succeeded', 0), (1, 1, 4, 'failed', NULL, 1, 'job 5 rolled-back', 0)");
    assert_int_equal(pl_store_open(e->path, 0, &e->s, &err), PL_OK);
    assert_int_equal(pl_apply_release(e->s, 1, 9000, &rel, &n, &err), PL_OK);
    assert_int_equal(rel[1].state, PL_RELEASE_FAILED);
    assert_non_null(strstr(rel[1].reason, "prod-web-2 (failed: job 5 rolled-back)"));
    free(rel);
    /* an imported result wins over the job */
    results(e, NULL, "healthy", "NULL");
    assert_int_equal(pl_apply_release(e->s, 1, 9000, &rel, &n, &err), PL_OK);
    assert_int_equal(rel[1].state, PL_RELEASE_OPEN);
    free(rel);
    assert_int_equal(pl_apply_release(e->s, 7, 9000, &rel, &n, &err), PL_E_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(release_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(release_apply_progress, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
