/*
 * test_plan_store.c - the rollout planner on a crafted estate in a store
 * (issue 6): the emergency lane, compressed promotion, the forecast's
 * misses, plan and forecast agreement, approvals and sign-offs.
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

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/file.h"
#include "patchline/plan.h"
#include "patchline/store.h"

#include "test_store_target.h"

#define NOW 1772452800 /* 2026-03-02T12:00:00Z, a Monday */

static const char *src_path(const char *rel)
{
    static char path[4096];
    const char *src = getenv("PL_SOURCE_DIR");

    if (snprintf(path, sizeof(path), "%s/%s", src ? src : ".", rel) >= (int)sizeof(path))
        fail_msg("path too long");
    return path;
}

static void use_fixture_zones(void)
{
    char dir[4096];

    if (snprintf(dir, sizeof(dir), "%s", src_path("tests/fixtures/cron/zoneinfo")) >=
        (int)sizeof(dir))
        fail_msg("path too long");
    setenv("TZDIR", dir, 1);
}

static pl_time_t t_of(const char *iso)
{
    pl_time_t t = 0;

    assert_int_equal(pl_time_parse(iso, &t, NULL), PL_OK);
    return t;
}

static const char *iso(pl_time_t t)
{
    static char buf[4][PL_TIME_STR_LEN];
    static int i;

    i = (i + 1) % 4;
    return pl_time_format(t, buf[i]);
}

static struct pl_plan_config *load_fixture(const char *name)
{
    struct pl_plan_config *c = NULL;
    struct pl_error err = PL_ERROR_INIT;
    char rel[256];

    if (snprintf(rel, sizeof(rel), "tests/fixtures/plan/%s", name) >= (int)sizeof(rel))
        fail_msg("name");
    use_fixture_zones();
    if (pl_plan_config_load(src_path(rel), &c, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return c;
}

/* ---- the crafted estate in a store ------------------------------------------ */

struct estate {
    char dir[64], path[128];
    struct pl_store *s;
};

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;

    if (pl_test_store_is_pg()) {
        assert_int_equal(pl_test_store_psql(path, sql), 0);
        return;
    }
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("sql: %s", msg ? msg : "?");
    sqlite3_close(db);
}

static void make_asset(struct pl_store *s, const char *name, const char *owner, const char *env,
                       int64_t want_id)
{
    struct pl_observation o = {0};
    struct pl_error err = PL_ERROR_INIT;
    int64_t id = 0;

    o.source = "test";
    o.source_key = name;
    o.name = name;
    o.owner = owner;
    o.environment = env;
    o.seen = t_of("2026-01-01");
    o.reboot_required = -1;
    if (pl_store_asset_observe(s, &o, &id, NULL, &err) != PL_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(id, want_id);
}

static int estate_setup(void **state)
{
    struct estate *e = calloc(1, sizeof(*e));
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf sql = PL_BUF_INIT(0);

    if (e == NULL)
        return -1;
    memcpy(e->dir, "/tmp/pl-plan-XXXXXX", 20);
    if (mkdtemp(e->dir) == NULL)
        return -1;
    if (snprintf(e->path, sizeof(e->path), "%s/store.db", e->dir) >= (int)sizeof(e->path))
        return -1;
    /* a simulated store whose clock is two minutes before NOW: plans are
       requested then, approvals (at NOW and later) follow the request */
    pl_clock_set(NOW - 120);
    if (pl_store_open(pl_test_store(e->path), PL_STORE_CREATE, &e->s, &err) != PL_OK)
        return -1;
    make_asset(e->s, "dev-web-1", "web", "dev", 1);
    make_asset(e->s, "stg-web-1", "web", "staging", 2);
    make_asset(e->s, "prod-web-pilot", "web", "prod", 3);
    make_asset(e->s, "prod-web-2", "web", "prod", 4);
    make_asset(e->s, "prod-web-3", "web", "prod", 5);
    make_asset(e->s, "prod-db-1", "dba", "prod", 6);
    make_asset(e->s, "orphan-1", NULL, "prod", 7);
    make_asset(e->s, "lab-1", "lab", NULL, 8);
    if (pl_file_read(src_path("tests/fixtures/plan/findings.sql"), 0, &sql, &err) != PL_OK)
        return -1;
    exec_sql(e->path, pl_buf_cstr(&sql));
    pl_buf_release(&sql);
    *state = e;
    return 0;
}

static int estate_teardown(void **state)
{
    struct estate *e = *state;
    char p[160];
    const char *suffix[] = {"", "-wal", "-shm"};

    pl_store_close(e->s);
    pl_clock_unset();
    for (size_t i = 0; i < PL_ARRAY_LEN(suffix); i++)
        if (snprintf(p, sizeof(p), "%s%s", e->path, suffix[i]) < (int)sizeof(p))
            unlink(p);
    rmdir(e->dir);
    free(e);
    return 0;
}

static const struct pl_plan_slot *slot_of(const struct pl_plan_result *r, int64_t finding)
{
    for (size_t i = 0; i < r->n_slots; i++)
        if (r->slots[i].finding_id == finding)
            return &r->slots[i];
    fail_msg("no finding %lld", (long long)finding);
    return &r->slots[0]; /* not reached */
}

static void schedule_estate(struct estate *e, const char *plan, struct pl_plan_result *r)
{
    struct pl_plan_config *c = plan ? load_fixture(plan) : NULL;
    struct pl_plan_inputs in = {NULL, 0, NULL, 0, NULL, 0};
    struct pl_error err = PL_ERROR_INIT;

    if (c == NULL)
        assert_int_equal(pl_plan_config_load(NULL, &c, &err), PL_OK);
    assert_int_equal(pl_store_plan_inputs(e->s, &in, &err), PL_OK);
    assert_int_equal(in.n_assets, 8);
    assert_int_equal(in.n_findings, 14);
    assert_int_equal(pl_plan_schedule(c, &in, NOW, r, &err), PL_OK);
    pl_plan_inputs_release(&in);
    pl_plan_config_free(c);
}

static void estate_emergency_lane(void **state)
{
    struct pl_plan_result r;
    const struct pl_plan_slot *s1, *s2;
    const struct pl_plan_wave *w;

    schedule_estate(*state, NULL, &r);
    /* Tier 0 (KEV): out of cycle, every environment at once, now, within 24 h */
    s1 = slot_of(&r, 1);
    s2 = slot_of(&r, 2);
    assert_true(s1->scheduled && s2->scheduled);
    assert_int_equal(s1->forecast, NOW);
    assert_int_equal(s2->forecast, NOW);
    assert_false(s1->miss);
    assert_true(s1->forecast - t_of("2026-03-02T10:00:00Z") <= 24 * 3600);
    w = &r.waves[s1->wave];
    assert_true(w->emergency);
    assert_int_equal(w->window, -1);
    assert_int_equal(w->ring, 0);
    assert_int_equal(w->env, PL_PLAN_ENV_PROD);
    assert_int_equal(w->end, NOW + 4 * 3600);
    assert_int_equal(r.waves[s2->wave].env, PL_PLAN_ENV_DEV);
    assert_false(w->needs_approval); /* signed off after the fact */
    pl_plan_result_release(&r);
}

static void estate_tier1_compressed_promotion(void **state)
{
    static const struct {
        int64_t finding;
        const char *at;
    } want[] = {
        {3, "2026-03-02T20:00:00Z"}, /* dev */
        {4, "2026-03-03T02:00:00Z"}, /* staging once dev's wave ended, then 1 day of soak */
        {5, "2026-03-04T04:00:00Z"}, /* prod, the pilot ring: the canary, watched 24 h */
        {7, "2026-03-06T02:00:00Z"}, /* prod-web-3 is in the early ring */
        {6, "2026-03-08T02:00:00Z"}, /* prod-web-2 in the standard ring */
    };
    struct pl_plan_result r;
    pl_time_t last = 0;

    schedule_estate(*state, NULL, &r);
    for (size_t i = 0; i < PL_ARRAY_LEN(want); i++)
        assert_string_equal(iso(slot_of(&r, want[i].finding)->forecast), want[i].at);
    assert_int_equal(r.waves[slot_of(&r, 5)->wave].ring, 1);
    assert_int_equal(r.waves[slot_of(&r, 7)->wave].ring, 2);
    assert_int_equal(r.waves[slot_of(&r, 6)->wave].ring, 3);
    assert_true(slot_of(&r, 5)->forecast >= slot_of(&r, 4)->forecast + 86400);
    /* rings 2 and 3 follow a day apart; all of it inside the 7 days */
    for (int64_t f = 3; f <= 7; f++) {
        const struct pl_plan_slot *s = slot_of(&r, f);

        assert_true(s->scheduled);
        assert_false(s->miss);
        last = s->forecast > last ? s->forecast : last;
        if (f >= 6)
            assert_true(s->forecast >= slot_of(&r, 5)->forecast + 86400);
    }
    assert_true(last - NOW < 7 * 86400);
    assert_string_equal(iso(last), "2026-03-08T02:00:00Z");
    pl_plan_result_release(&r);
}

static void estate_forecast_misses(void **state)
{
    struct pl_plan_result r;
    const struct pl_plan_slot *s;

    schedule_estate(*state, NULL, &r);
    /* the only window for Tier 3 in production is on Saturday, after the due date */
    s = slot_of(&r, 8);
    assert_true(s->scheduled && s->miss);
    assert_string_equal(iso(s->forecast), "2026-03-07T02:00:00Z");
    assert_int_equal(s->reason, PL_REASON_NO_WINDOW);
    assert_string_equal(s->detail, "first window that serves it starts 2026-03-07T02:00:00Z, due "
                                   "2026-03-04T12:00:00Z");
    assert_string_equal(pl_plan_reason_name(s->reason), "no-window");
    assert_string_equal(pl_plan_reason_remedy(s->reason),
                        "emergency window, or a compensating control");
    /* a kernel: the 72 h canary watch pushes the later rings past the due date */
    assert_false(slot_of(&r, 9)->miss);
    assert_string_equal(iso(slot_of(&r, 9)->forecast), "2026-03-03T02:00:00Z");
    s = slot_of(&r, 11);
    assert_true(s->miss);
    assert_int_equal(s->reason, PL_REASON_SOAK);
    assert_string_equal(iso(s->forecast), "2026-03-07T02:00:00Z");
    assert_string_equal(s->detail, "promotion (soak, canary watch) holds it until "
                                   "2026-03-06T06:00:00Z, due 2026-03-06T12:00:00Z");
    assert_string_equal(pl_plan_reason_remedy(s->reason),
                        "emergency window (no soak, no canary), or a compensating control");
    s = slot_of(&r, 10);
    assert_true(s->miss);
    assert_int_equal(s->reason, PL_REASON_SOAK);
    assert_string_equal(iso(s->forecast), "2026-03-09T02:00:00Z");
    /* unmanaged and unfixable findings cannot be scheduled at all */
    assert_int_equal(slot_of(&r, 12)->reason, PL_REASON_UNMANAGED);
    assert_string_equal(slot_of(&r, 12)->detail, "asset 'orphan-1' has no owner");
    assert_int_equal(slot_of(&r, 13)->reason, PL_REASON_UNMANAGED);
    assert_string_equal(slot_of(&r, 13)->detail, "asset 'lab-1' has no environment");
    assert_int_equal(slot_of(&r, 14)->reason, PL_REASON_NO_FIX);
    assert_false(slot_of(&r, 14)->scheduled);
    assert_int_equal(r.n_misses, 6);
    assert_int_equal(r.n_scheduled, 11);
    pl_plan_result_release(&r);
}

/* The start of the stored wave holding each finding (0: none), by finding id 1-14. */
static void stored_starts(struct pl_store *s, int64_t plan_id, pl_time_t starts[15])
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_wave_row *w = NULL;
    size_t n = 0;

    memset(starts, 0, 15 * sizeof(*starts));
    assert_int_equal(pl_store_wave_list(s, plan_id, &w, &n, &err), PL_OK);
    for (size_t i = 0; i < n; i++) {
        struct pl_wave_item_row *it = NULL;
        size_t n_it = 0;

        assert_int_equal(w[i].seq, (int)i + 1);
        assert_int_equal(pl_store_wave_items(s, w[i].id, &it, &n_it, &err), PL_OK);
        assert_int_equal((int64_t)n_it, w[i].n_findings);
        for (size_t k = 0; k < n_it; k++) {
            assert_true(it[k].finding_id >= 1 && it[k].finding_id <= 14);
            assert_int_equal(starts[it[k].finding_id], 0); /* in one wave only */
            starts[it[k].finding_id] = w[i].starts_at;
        }
        pl_wave_item_rows_release(it, n_it);
    }
    pl_wave_rows_release(w, n);
}

static void plan_and_forecast_agree(void **state)
{
    struct estate *e = *state;
    struct pl_plan_config *c = NULL;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_result built, forecast;
    pl_time_t starts[15];
    int64_t id = 0;

    assert_int_equal(pl_plan_config_load(NULL, &c, &err), PL_OK);
    assert_int_equal(pl_plan_build(e->s, c, NOW, 30 * 86400, &id, &built, &err), PL_OK);
    assert_int_equal(id, 1);
    schedule_estate(e, NULL, &forecast);
    stored_starts(e->s, id, starts);
    for (size_t i = 0; i < forecast.n_slots; i++) {
        const struct pl_plan_slot *f = &forecast.slots[i];

        if (f->scheduled)
            assert_string_equal(iso(starts[f->finding_id]), iso(f->forecast));
        else
            assert_int_equal(starts[f->finding_id], 0);
        assert_int_equal(built.slots[i].forecast, f->forecast);
    }
    pl_plan_result_release(&built);
    /* a 2-day horizon stores only the waves that start within it */
    assert_int_equal(pl_plan_build(e->s, c, NOW, 2 * 86400, &id, NULL, &err), PL_OK);
    assert_int_equal(id, 2);
    stored_starts(e->s, id, starts);
    for (size_t i = 0; i < forecast.n_slots; i++) {
        const struct pl_plan_slot *f = &forecast.slots[i];

        if (f->scheduled && f->forecast < NOW + 2 * 86400)
            assert_int_equal(starts[f->finding_id], f->forecast);
        else
            assert_int_equal(starts[f->finding_id], 0);
    }
    pl_plan_result_release(&forecast);
    pl_plan_config_free(c);
}

static void set_requester(struct estate *e, const char *who)
{
    char sql[128];

    if (snprintf(sql, sizeof(sql), "UPDATE plans SET requester = '%s'", who) >= (int)sizeof(sql))
        fail_msg("sql");
    exec_sql(e->path, sql);
}

static void approval_by_the_requester_is_refused(void **state)
{
    struct estate *e = *state;
    struct pl_plan_config *c = NULL;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_wave_row *w = NULL;
    char want[256];
    int64_t id = 0;
    size_t n = 0;

    assert_int_equal(pl_plan_config_load(NULL, &c, &err), PL_OK);
    assert_int_equal(pl_plan_build(e->s, c, NOW, 30 * 86400, &id, NULL, &err), PL_OK);
    pl_plan_config_free(c);
    /* the plan records who ran it; that person cannot sign it off */
    assert_int_equal(pl_plan_approve(e->s, id, 0, PL_PLAN_AFTER_THE_FACT, NOW + 3600, &n, &err),
                     PL_E_DENIED);
    if (snprintf(want, sizeof(want),
                 "refused: '%s' requested plan 1; another person must sign it off",
                 pl_store_actor()) >= (int)sizeof(want))
        fail_msg("msg");
    assert_string_equal(err.msg, want);
    assert_int_equal(pl_plan_approve(e->s, id, 0, PL_PLAN_APPROVE, NOW, &n, &err), PL_E_DENIED);

    set_requester(e, "someone-else");
    assert_int_equal(pl_plan_approve(e->s, id, 0, PL_PLAN_APPROVE, NOW, &n, &err), PL_E_CONFLICT);
    assert_string_equal(err.msg, "plan 1 has no wave waiting for approval");
    assert_int_equal(pl_plan_approve(e->s, id, 99, PL_PLAN_AFTER_THE_FACT, NOW, &n, &err),
                     PL_E_NOTFOUND);
    assert_string_equal(err.msg, "plan 1 has no wave 99 (it has 11)");
    assert_int_equal(pl_plan_approve(e->s, id, 1, PL_PLAN_AFTER_THE_FACT, NOW - 60, &n, &err),
                     PL_E_CONFLICT);
    assert_string_equal(err.msg, "emergency wave 1 of plan 1 starts at 2026-03-02T12:00:00Z: "
                                 "sign it off after it ran");
    assert_int_equal(pl_plan_approve(e->s, id, 0, PL_PLAN_AFTER_THE_FACT, NOW + 3600, &n, &err),
                     PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(pl_plan_approve(e->s, id, 1, PL_PLAN_AFTER_THE_FACT, NOW + 3600, &n, &err),
                     PL_E_CONFLICT);
    if (snprintf(want, sizeof(want), "wave 1 of plan 1 is already signed off by '%s'",
                 pl_store_actor()) >= (int)sizeof(want))
        fail_msg("msg");
    assert_string_equal(err.msg, want);
    assert_int_equal(pl_store_wave_list(e->s, id, &w, &n, &err), PL_OK);
    assert_string_equal(w[0].sign_off, "after-the-fact");
    assert_string_equal(w[0].signed_off_by, pl_store_actor());
    assert_int_equal(w[0].signed_off_at, NOW + 3600);
    assert_null(w[2].signed_off_by);
    assert_string_equal(w[2].sign_off, "none");
    pl_wave_rows_release(w, n);
}

static void manual_approval_per_wave(void **state)
{
    struct estate *e = *state;
    struct pl_plan_config *c = load_fixture("manual.yaml");
    struct pl_error err = PL_ERROR_INIT;
    struct pl_wave_row *w = NULL;
    int64_t id = 0;
    size_t n = 0, n_ok = 0;

    assert_int_equal(pl_plan_build(e->s, c, NOW, 30 * 86400, &id, NULL, &err), PL_OK);
    pl_plan_config_free(c);
    assert_int_equal(pl_plan_approve(e->s, id, 1, PL_PLAN_APPROVE, NOW, &n, &err), PL_E_DENIED);
    if (strstr(err.msg, "another person must approve it") == NULL)
        fail_msg("%s", err.msg);
    set_requester(e, "someone-else");
    assert_int_equal(pl_store_wave_list(e->s, id, &w, &n, &err), PL_OK);
    for (size_t i = 0; i < n; i++) {
        size_t got = 0;

        if (!w[i].needs_approval) {
            assert_int_equal(pl_plan_approve(e->s, id, w[i].seq, PL_PLAN_APPROVE, NOW, &got, &err),
                             PL_E_CONFLICT);
            continue;
        }
        assert_int_equal(pl_plan_approve(e->s, id, w[i].seq, PL_PLAN_APPROVE, NOW, &got, &err),
                         PL_OK);
        assert_int_equal(got, 1);
        n_ok++;
    }
    /* what the apply stage needs is recorded with each wave */
    for (size_t i = 0; i < n; i++) {
        if (strcmp(w[i].environment, "staging") == 0)
            assert_string_equal(w[i].regression_test,
                                "[\"/usr/local/bin/smoke-test\", \"--env\", \"staging\"]");
        else
            assert_null(w[i].regression_test);
        if (w[i].ring == 1) {
            assert_string_equal(w[i].ring_name, "canary");
            assert_string_equal(w[i].health_check, "[\"/usr/local/bin/health\", \"--quick\"]");
            assert_true(w[i].halt_failure_rate > 0.0199 && w[i].halt_failure_rate < 0.0201);
        }
        if (strcmp(w[i].lane, "emergency") == 0) {
            assert_string_equal(w[i].sign_off, "before");
            assert_true(w[i].needs_approval);
            assert_string_equal(w[i].window_name, "nightly");
        }
    }
    pl_wave_rows_release(w, n);
    assert_true(n_ok >= 2);
    assert_int_equal(pl_plan_approve(e->s, id, 0, PL_PLAN_APPROVE, NOW, &n, &err), PL_E_CONFLICT);
    assert_int_equal(pl_store_wave_list(e->s, id, &w, &n, &err), PL_OK);
    for (size_t i = 0; i < n; i++)
        if (w[i].needs_approval)
            assert_string_equal(w[i].approved_by, pl_store_actor());
    pl_wave_rows_release(w, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(estate_emergency_lane, estate_setup, estate_teardown),
        cmocka_unit_test_setup_teardown(estate_tier1_compressed_promotion, estate_setup,
                                        estate_teardown),
        cmocka_unit_test_setup_teardown(estate_forecast_misses, estate_setup, estate_teardown),
        cmocka_unit_test_setup_teardown(plan_and_forecast_agree, estate_setup, estate_teardown),
        cmocka_unit_test_setup_teardown(approval_by_the_requester_is_refused, estate_setup,
                                        estate_teardown),
        cmocka_unit_test_setup_teardown(manual_approval_per_wave, estate_setup, estate_teardown),
    };
    return cmocka_run_group_tests_name("plan_store", tests, NULL, NULL);
}
