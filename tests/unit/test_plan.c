/*
 * test_plan.c - the rollout planner (issue 6): the plan file, named
 * windows, ring assignment, the scheduler's cutoff and concurrency
 * (test_plan_store.c has the crafted estate in a store).
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
#include "patchline/file.h"
#include "patchline/plan.h"
#include "patchline/store.h"

#define NOW 1772452800 /* 2026-03-02T12:00:00Z, a Monday */

#define NOW_T0 1772452800 /* 2026-03-02T12:00:00Z */

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

/* ---- the plan file -------------------------------------------------------- */

static void default_plan_is_the_shipped_file(void **state)
{
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_plan_config *c = NULL;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    assert_int_equal(pl_file_read(src_path("docs/plan-default.yaml"), 0, &b, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&b), pl_plan_default_yaml());
    pl_buf_release(&b);

    assert_int_equal(pl_plan_config_load(NULL, &c, &err), PL_OK);
    assert_string_equal(c->source, "(built-in)");
    assert_int_equal(c->n_windows, 4);
    assert_int_equal(c->n_rings, 3);
    assert_true(c->tier0_preapproved);
    assert_int_equal(c->emergency_window, -1);
    assert_false(c->emergency_sign_off_before);
    assert_int_equal(c->soak_secs[1], 86400);
    assert_int_equal(c->soak_secs[2], 3 * 86400);
    assert_int_equal(c->soak_secs[3], 3 * 86400);
    assert_int_equal(c->soak_secs[4], 5 * 86400);
    assert_string_equal(c->rings[0].name, "pilot");
    assert_true(c->rings[0].share > 0.0499 && c->rings[0].share < 0.0501);
    assert_int_equal(c->rings[0].watch_secs, 86400);
    assert_int_equal(c->rings[0].high_risk_watch_secs, 3 * 86400);
    assert_true(pl_plan_glob_match(&c->high_risk, "linux-image-6.1.0-18-amd64"));
    assert_true(pl_plan_glob_match(&c->high_risk, "libssl3"));
    assert_true(pl_plan_glob_match(&c->high_risk, "postgresql-15"));
    assert_false(pl_plan_glob_match(&c->high_risk, "nginx"));
    pl_plan_config_free(c);
}

static const char base_yaml[] = "version: 1\n"
                                "windows:\n"
                                "  - name: nightly\n"
                                "    schedule: \"0 2 * * *\"\n"
                                "    duration: 4h\n"
                                "rings:\n"
                                "  - name: all\n"
                                "    share: 100%\n";

static void plan_file_errors(void **state)
{
    static const struct {
        const char *yaml;
        pl_status code;
        const char *msg;
    } cases[] = {
        {"", PL_E_PARSE, "t.yaml:1:1: empty plan file"},
        {"version: 1\nwindows: [\n", PL_E_PARSE,
         "t.yaml:3:1: YAML syntax error: did not find expected node content while parsing a flow node"},
        {"version: 2\n", PL_E_PARSE,
         "t.yaml:1:10: version: want a whole number from 1 to 1, "
         "not '2'"},
        {"windows: []\nrings: []\n", PL_E_PARSE, "t.yaml:1:1: 'version: 1' is required"},
        {"version: 1\nwindows: []\nrings: []\n", PL_E_PARSE,
         "t.yaml:3:8: rings: want 1 to 8 rings, not 0"},
        {"version: 1\nwindows:\n  - name: a\n    schedule: \"0 2 * * 8\"\n    duration: 1h\n",
         PL_E_PARSE,
         "t.yaml:4:15: window 'a': schedule: cron: field 'day-of-week': '8' out of range 0-7"},
        {"version: 1\nwindows:\n  - name: a\n    schedule: \"@daily\"\n    duration: 1h\n"
         "    cutoff: 2h\n",
         PL_E_PARSE, "t.yaml:6:13: window 'a': cutoff: must be shorter than the duration"},
        {"version: 1\nwindows:\n  - name: a\n    schedule: \"@daily\"\n    duration: 1h\n"
         "    timezone: Mars/Base\n",
         PL_E_PARSE, "t.yaml:6:15: window 'a': timezone: unknown time zone 'Mars/Base' *"},
        {"version: 1\nwindows:\n  - name: a\n    schedule: \"@daily\"\n    duration: 1h\n"
         "    blackout-dates: [2026-13-01]\n",
         PL_E_PARSE,
         "t.yaml:6:21: window 'a': blackout-dates: '2026-13-01' is not a date (want YYYY-MM-DD)"},
        {"version: 1\nwindows:\n  - name: a\n    schedule: \"@daily\"\n    duration: 1h\n"
         "  - name: a\n    schedule: \"@daily\"\n    duration: 1h\n",
         PL_E_PARSE, "t.yaml:6:11: windows: window 'a' is defined twice (first on line 3)"},
        {"version: 1\nwindows:\n  - name: a\n    schedule: rate(1 hours)\n    offset: 2\n"
         "    duration: 1h\n",
         PL_E_PARSE, "t.yaml:5:13: window 'a': offset: needs a cron schedule"},
        {"version: 1\napproval:\n  rules:\n    - tiers: [2]\n      approve-after-days: 400\n",
         PL_E_PARSE,
         "t.yaml:5:27: approval: rules[1]: approve-after-days: want a whole number "
         "from 0 to 360, not '400'"},
        {"version: 1\napproval:\n  rules:\n    - tiers: [7]\n      manual: true\n", PL_E_PARSE,
         "t.yaml:4:15: approval: rules[1]: tiers: want a whole number from 0 to 4, not '7'"},
        {"version: 1\nwindows: []\nrings:\n  - name: a\n    share: 50%\n", PL_E_PARSE,
         "t.yaml:4:3: rings: the shares add up to 50%, not 100%"},
        {"version: 1\nwindow: []\n", PL_E_PARSE,
         "t.yaml:2:1: unknown key 'window' in the plan file; did you mean 'windows'?"},
        {"version: 1\nwindows: []\nemergency: {window: weekly}\nrings: [{name: a, share: "
         "100%}]\n",
         PL_E_PARSE, "t.yaml:3:21: emergency: window: no window named 'weekly'"},
        {"version: 1\nversion: 1\n", PL_E_PARSE,
         "t.yaml:2:1: duplicate key 'version' in the plan file"},
        {"version: 1\nwindows: &w [*w]\n", PL_E_PARSE,
         "t.yaml:2:14: YAML aliases are not supported"},
        {"version: 1\nwindows: {a: 1}\n", PL_E_PARSE,
         "t.yaml:2:10: windows: want a list of windows"},
        {"\x89PNG\r\n\x1a\n\x00\x01", PL_E_PARSE,
         "t.yaml:1:1: YAML syntax error: invalid leading UTF-8 octet"},
        {"version: 1\nwindows:\n  - name: \"\xe9t\xe9\"\n", PL_E_PARSE,
         "t.yaml:3:13: YAML syntax error: invalid trailing UTF-8 octet"},
    };
    (void)state;

    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        struct pl_plan_config *c = NULL;
        struct pl_error err = PL_ERROR_INIT;
        size_t len = strlen(cases[i].yaml);

        if (cases[i].yaml[0] == '\x89')
            len = 10; /* the binary case holds NUL bytes */
        assert_int_equal(pl_plan_config_parse("t.yaml", cases[i].yaml, len, &c, &err),
                         cases[i].code);
        /* a trailing '*' matches any rest (a path that depends on the machine) */
        len = strlen(cases[i].msg);
        if (cases[i].msg[len - 1] == '*' ? strncmp(err.msg, cases[i].msg, len - 1) != 0
                                         : strcmp(err.msg, cases[i].msg) != 0)
            fail_msg("case %zu: got \"%s\"", i, err.msg);
        assert_null(c);
    }
}

static void plan_file_caps(void **state)
{
    size_t big = PL_MAX_PLAN_BYTES + 1;
    char *text = malloc(big);
    struct pl_plan_config *c = NULL;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    assert_non_null(text);
    memset(text, '#', big);
    assert_int_equal(pl_plan_config_parse("big.yaml", text, big, &c, &err), PL_E_TOOBIG);
    assert_string_equal(err.msg, "big.yaml: 1048577 bytes over the limit of 1048576");
    free(text);
    assert_int_equal(pl_plan_config_load("/nonexistent/plan.yaml", &c, &err), PL_E_IO);
    assert_string_equal(err.msg, "cannot open '/nonexistent/plan.yaml': No such file or directory");
    assert_int_equal(pl_plan_config_parse("ok.yaml", base_yaml, strlen(base_yaml), &c, &err),
                     PL_OK);
    assert_int_equal(c->n_windows, 1);
    assert_string_equal(c->windows[0].w.max_concurrency, "100%");
    assert_int_equal(c->emergency_duration_secs, 4 * 3600);
    pl_plan_config_free(c);
}

/* Every truncation and many byte changes of the default plan: an error or a plan, never a crash. */
static void plan_file_mutations(void **state)
{
    static const char subst[] = {'\0', '\xff', ':', '\t', '[', '&', '*', '-', '\n', '"'};
    const char *text = pl_plan_default_yaml();
    size_t len = strlen(text), n_ok = 0, n_err = 0;
    char *copy = malloc(len + 1);

    (void)state;
    assert_non_null(copy);
    for (size_t cut = 0; cut <= len; cut += 7) {
        for (size_t k = 0; k < PL_ARRAY_LEN(subst) + 1; k++) {
            struct pl_plan_config *c = NULL;
            struct pl_error err = PL_ERROR_INIT;
            size_t n = k == 0 ? cut : len;
            pl_status rc;

            memcpy(copy, text, len + 1);
            if (k > 0 && cut < len)
                copy[cut] = subst[k - 1];
            rc = pl_plan_config_parse("m.yaml", copy, n, &c, &err);
            if (rc == PL_OK) {
                n_ok++;
                assert_non_null(c);
                pl_plan_config_free(c);
                continue;
            }
            n_err++;
            assert_null(c);
            assert_true(rc == PL_E_PARSE || rc == PL_E_INVALID || rc == PL_E_TOOBIG);
            if (strncmp(err.msg, "m.yaml", 6) != 0)
                fail_msg("cut %zu, k %zu: \"%s\"", cut, k, err.msg);
        }
    }
    assert_true(n_ok > 0 && n_err > 0);
    free(copy);
}

/* ---- named windows -------------------------------------------------------- */

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

static void named_window_offset_and_blackout(void **state)
{
    struct pl_plan_config *c = load_fixture("windows.yaml");
    const struct pl_plan_window *w = pl_plan_config_window(c, "patch-saturday");
    struct pl_error err = PL_ERROR_INIT;
    pl_time_t out[4];
    size_t n = 0;

    (void)state;
    assert_non_null(w);
    assert_null(pl_plan_config_window(c, "nope"));
    /* the Saturday after Patch Tuesday at 02:00 New York; 2026-02-14 is a blackout date */
    assert_int_equal(pl_plan_window_next(w, t_of("2026-01-01"), 4, out, &n, &err), PL_OK);
    assert_int_equal(n, 4);
    assert_string_equal(iso(out[0]), "2026-01-17T07:00:00Z");
    assert_string_equal(iso(out[1]), "2026-03-14T06:00:00Z");
    assert_string_equal(iso(out[2]), "2026-04-18T06:00:00Z");
    assert_string_equal(iso(out[3]), "2026-05-16T06:00:00Z");
    assert_int_equal(w->w.duration_secs, 6 * 3600);
    assert_int_equal(w->w.cutoff_secs, 3600);
    pl_plan_config_free(c);
}

static void named_window_across_dst(void **state)
{
    struct pl_plan_config *c = load_fixture("windows.yaml");
    const struct pl_plan_window *w = pl_plan_config_window(c, "ny-nightly");
    struct pl_error err = PL_ERROR_INIT;
    pl_time_t out[3];
    size_t n = 0;

    (void)state;
    /* 02:30 does not exist in New York on 2026-03-08: it runs at 03:00 EDT */
    assert_int_equal(pl_plan_window_next(w, t_of("2026-03-06T12:00:00Z"), 3, out, &n, &err), PL_OK);
    assert_string_equal(iso(out[0]), "2026-03-07T07:30:00Z");
    assert_string_equal(iso(out[1]), "2026-03-08T07:00:00Z");
    assert_string_equal(iso(out[2]), "2026-03-09T06:30:00Z");
    pl_plan_config_free(c);
}

/* ---- rings -------------------------------------------------------------- */

static void rings_are_stable_when_assets_are_added(void **state)
{
    struct pl_plan_config *c = NULL;
    struct pl_error err = PL_ERROR_INIT;
    size_t before[1000], count[3] = {0, 0, 0};
    char db[] = "db", pl[] = "pilot";
    char *pilot[] = {db, pl};

    (void)state;
    assert_int_equal(pl_plan_config_load(NULL, &c, &err), PL_OK);
    for (int64_t id = 1; id <= 1000; id++)
        before[id - 1] = pl_plan_ring_of(c, id, NULL, 0);
    /* 10 % more assets: no existing asset changes ring */
    for (int64_t id = 1; id <= 1100; id++) {
        size_t r = pl_plan_ring_of(c, id, NULL, 0);

        if (id <= 1000 && r != before[id - 1])
            fail_msg("asset %lld moved from ring %zu to %zu", (long long)id, before[id - 1], r);
        count[r]++;
    }
    /* the shares hold: about 5 %, 15 %, 80 % of 1100 */
    assert_int_equal(count[0] + count[1] + count[2], 1100);
    assert_true(count[0] >= 35 && count[0] <= 75);
    assert_true(count[1] >= 130 && count[1] <= 200);
    /* a pilot-tagged asset is always in ring 1, whatever its key */
    for (int64_t id = 1; id <= 1100; id++)
        assert_int_equal(pl_plan_ring_of(c, id, pilot, 2), 0);
    /* the key is a fraction in [0, 1) and depends on the id only */
    assert_true(pl_plan_ring_key(42) >= 0.0 && pl_plan_ring_key(42) < 1.0);
    assert_true(pl_plan_ring_key(42) == pl_plan_ring_key(42));
    assert_true(pl_plan_ring_key(42) != pl_plan_ring_key(43));
    pl_plan_config_free(c);
}

/* ---- the scheduler on inputs built in memory ------------------------------ */

static void add_asset(struct pl_plan_inputs *in, int64_t id, const char *env, const char *tag)
{
    struct pl_plan_asset *a;

    in->assets = realloc(in->assets, (in->n_assets + 1) * sizeof(*in->assets));
    assert_non_null(in->assets);
    a = &in->assets[in->n_assets++];
    memset(a, 0, sizeof(*a));
    a->id = id;
    a->name = strdup("host");
    a->owner = strdup("ops");
    a->environment = env ? strdup(env) : NULL;
    if (tag) {
        a->tags = calloc(1, sizeof(*a->tags));
        assert_non_null(a->tags);
        a->tags[0] = strdup(tag);
        a->n_tags = 1;
    }
}

static void add_finding(struct pl_plan_inputs *in, int64_t asset, int tier, pl_time_t seen)
{
    struct pl_plan_finding *f;

    in->findings = realloc(in->findings, (in->n_findings + 1) * sizeof(*in->findings));
    assert_non_null(in->findings);
    f = &in->findings[in->n_findings];
    memset(f, 0, sizeof(*f));
    f->id = (int64_t)++in->n_findings;
    f->asset_id = asset;
    f->vuln_id = strdup("CVE-2026-1000");
    f->package = strdup("zlib1g");
    f->fixed_version = strdup("1:1.3-1");
    f->tier = tier;
    f->first_seen = seen;
    f->has_due = true;
    f->due_at = seen + 30 * 86400;
}

static void schedule_honours_the_cutoff(void **state)
{
    struct pl_plan_config *c = load_fixture("windows.yaml");
    struct pl_plan_inputs in = {NULL, 0, NULL, 0, NULL, 0};
    struct pl_plan_result r;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    add_asset(&in, 1, "dev", "web");
    add_finding(&in, 1, 2, t_of("2026-03-09T00:00:00Z"));
    /* the window runs 06:30-10:30Z (02:30 EDT, 4 h), nothing new after 09:30Z */
    assert_int_equal(pl_plan_schedule(c, &in, t_of("2026-03-10T09:00:00Z"), &r, &err), PL_OK);
    assert_true(r.slots[0].scheduled);
    assert_string_equal(iso(r.slots[0].forecast), "2026-03-10T09:00:00Z");
    assert_int_equal(r.n_waves, 1);
    assert_string_equal(iso(r.waves[0].end), "2026-03-10T10:30:00Z");
    pl_plan_result_release(&r);
    assert_int_equal(pl_plan_schedule(c, &in, t_of("2026-03-10T09:45:00Z"), &r, &err), PL_OK);
    assert_string_equal(iso(r.slots[0].forecast), "2026-03-11T06:30:00Z");
    pl_plan_result_release(&r);
    pl_plan_inputs_release(&in);
    pl_plan_config_free(c);
}

static void schedule_honours_max_concurrency(void **state)
{
    struct pl_plan_config *c = load_fixture("windows.yaml");
    struct pl_plan_inputs in = {NULL, 0, NULL, 0, NULL, 0};
    struct pl_plan_result r;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    for (int64_t id = 1; id <= 3; id++) {
        add_asset(&in, id, "dev", "web");
        add_finding(&in, id, 2, t_of("2026-03-09T00:00:00Z"));
    }
    in.findings[2].due_at = t_of("2026-03-12T12:00:00Z"); /* the third night is too late */
    add_asset(&in, 4, "dev", NULL);                       /* no window serves it */
    add_finding(&in, 4, 2, t_of("2026-03-09T00:00:00Z"));
    /* max-concurrency 1: one asset per night */
    assert_int_equal(pl_plan_schedule(c, &in, t_of("2026-03-10T12:00:00Z"), &r, &err), PL_OK);
    assert_string_equal(iso(r.slots[0].forecast), "2026-03-11T06:30:00Z");
    assert_string_equal(iso(r.slots[1].forecast), "2026-03-12T06:30:00Z");
    assert_string_equal(iso(r.slots[2].forecast), "2026-03-13T06:30:00Z");
    assert_int_equal(r.n_waves, 3);
    assert_true(r.slots[2].miss);
    assert_int_equal(r.slots[2].reason, PL_REASON_CAPACITY);
    assert_string_equal(r.slots[2].detail, "earlier windows are full; it starts "
                                           "2026-03-13T06:30:00Z, due 2026-03-12T12:00:00Z");
    assert_string_equal(pl_plan_reason_remedy(PL_REASON_CAPACITY),
                        "raise max-concurrency or add a window; else a compensating control");
    assert_false(r.slots[3].scheduled);
    assert_true(r.slots[3].miss);
    assert_int_equal(r.slots[3].reason, PL_REASON_UNMANAGED);
    assert_string_equal(r.slots[3].detail, "no window serves dev tier 2");
    assert_int_equal(r.n_scheduled, 3);
    assert_int_equal(r.n_misses, 2);
    pl_plan_result_release(&r);
    /* a due date already past is overdue, whatever the windows */
    in.findings[0].due_at = t_of("2026-03-10T00:00:00Z");
    assert_int_equal(pl_plan_schedule(c, &in, t_of("2026-03-10T12:00:00Z"), &r, &err), PL_OK);
    assert_int_equal(r.slots[0].reason, PL_REASON_OVERDUE);
    assert_string_equal(pl_plan_reason_name(PL_REASON_OVERDUE), "overdue");
    pl_plan_result_release(&r);
    pl_plan_inputs_release(&in);
    pl_plan_config_free(c);
}

static struct pl_plan_config *config_with(const char *approval)
{
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_plan_config *c = NULL;
    struct pl_error err = PL_ERROR_INIT;

    pl_buf_adds(&b, base_yaml);
    pl_buf_adds(&b, approval);
    if (pl_plan_config_parse("t.yaml", pl_buf_cstr(&b), b.len, &c, &err) != PL_OK)
        fail_msg("%s", err.msg);
    pl_buf_release(&b);
    return c;
}

static void approval_rules_and_package_lists(void **state)
{
    static const struct {
        const char *approval;
        pl_time_t approve_at; /* 0: not scheduled */
        bool manual;
        enum pl_plan_reason reason;
    } cases[] = {
        {"approval:\n  rules: [{tiers: [2], approve-after-days: 5}]\n", 1772452800 + 5 * 86400,
         false, PL_REASON_NONE},
        {"approval:\n  rules: [{tiers: [2], approve-until-date: 2026-03-02}]\n", 1772452800, false,
         PL_REASON_NONE},
        {"approval:\n  rules: [{tiers: [2], approve-until-date: 2026-03-01}]\n", 1772539200, true,
         PL_REASON_NONE},
        {"approval:\n  rules: [{tiers: [2], manual: true}]\n", 1772539200, true, PL_REASON_NONE},
        {"approval:\n  rules: [{tiers: [3], approve-after-days: 0}]\n", 1772539200, true,
         PL_REASON_NONE},
        {"approval:\n  rules: [{tiers: [2], manual: true}]\n  approved-packages: [zlib*]\n",
         1772452800, false, PL_REASON_NONE},
        {"approval:\n  rules: [{tiers: [2], approve-after-days: 0}]\n  rejected-packages: "
         "[libfoo, zlib1g]\n",
         0, false, PL_REASON_REJECTED},
    };
    (void)state;

    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        struct pl_plan_config *c = config_with(cases[i].approval);
        struct pl_plan_inputs in = {NULL, 0, NULL, 0, NULL, 0};
        struct pl_plan_result r;
        struct pl_error err = PL_ERROR_INIT;

        add_asset(&in, 1, "dev", NULL);
        add_finding(&in, 1, 2, NOW_T0);
        /* planned a day after the finding was first seen */
        assert_int_equal(pl_plan_schedule(c, &in, NOW_T0 + 86400, &r, &err), PL_OK);
        if (r.slots[0].reason != cases[i].reason)
            fail_msg("case %zu: reason %s", i, pl_plan_reason_name(r.slots[0].reason));
        if (cases[i].approve_at) {
            assert_int_equal(r.slots[0].approve_at, cases[i].approve_at);
            assert_int_equal(r.slots[0].manual, cases[i].manual);
            assert_int_equal(r.waves[r.slots[0].wave].needs_approval, cases[i].manual);
        } else {
            assert_false(r.slots[0].scheduled);
            assert_string_equal(r.slots[0].detail, "package 'zlib1g' is rejected by the plan");
        }
        pl_plan_result_release(&r);
        pl_plan_inputs_release(&in);
        pl_plan_config_free(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_plan_is_the_shipped_file),
        cmocka_unit_test(plan_file_errors),
        cmocka_unit_test(plan_file_caps),
        cmocka_unit_test(plan_file_mutations),
        cmocka_unit_test(named_window_offset_and_blackout),
        cmocka_unit_test(named_window_across_dst),
        cmocka_unit_test(rings_are_stable_when_assets_are_added),
        cmocka_unit_test(schedule_honours_the_cutoff),
        cmocka_unit_test(schedule_honours_max_concurrency),
        cmocka_unit_test(approval_rules_and_package_lists),
    };
    return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
