/*
 * test_handoff_rollout.c - hand-offs from a stored plan (--rollout ID): a
 * small estate made through the store API, findings inserted with SQL, a
 * plan built with the built-in plan file; the Ansible and SSM artefacts of
 * the stored plan must equal those of the same waves written as a JSON plan
 * (tests/fixtures/handoff/rollout-plan.json), and the adapter refuses what
 * the JSON loader refuses.
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

#include "patchline/cron.h"
#include "patchline/file.h"
#include "patchline/handoff.h"
#include "patchline/json.h"
#include "patchline/plan.h"
#include "patchline/spawn.h"
#include "patchline/store.h"
#include "patchline/tz.h"
#include "patchline/version.h"

#define NOW 1772452800 /* 2026-03-02T12:00:00Z, a Monday */

struct estate {
    char dir[64], path[128];
    struct pl_store *s;
    struct pl_plan_config *c;
};

static const char *src_path(const char *rel)
{
    static char path[4096];
    const char *src = getenv("PL_SOURCE_DIR");
    if (snprintf(path, sizeof(path), "%s/%s", src ? src : ".", rel) >= (int)sizeof(path))
        fail_msg("path too long");
    return path;
}

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("sql: %s", msg ? msg : "?");
    sqlite3_close(db);
}

/* An asset with one package of ecosystem eco, a cloud id (may be NULL) and a tag (may be NULL). */
static void make_asset(struct estate *e, const char *name, const char *env, const char *os,
                       const char *os_version, const char *eco, const char *pkg,
                       const char *version, const char *cloud_id, const char *tag, int64_t want)
{
    struct pl_identifier id = {"cloud-id", cloud_id, NULL};
    struct pl_observation o = {0};
    struct pl_package p = {0};
    struct pl_package_sync sync;
    struct pl_error err = PL_ERROR_INIT;
    int64_t aid = 0;

    o.source = "test";
    o.source_key = name;
    o.name = name;
    o.kind = "host";
    o.owner = "web";
    o.environment = env;
    o.os_family = os;
    o.os_version = os_version;
    o.ids = cloud_id ? &id : NULL;
    o.n_ids = cloud_id ? 1 : 0;
    o.seen = NOW - 86400;
    o.reboot_required = -1;
    if (pl_store_asset_observe(e->s, &o, &aid, NULL, &err) != PL_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(aid, want);
    p.name = (char *)(uintptr_t)pkg;
    p.version = (char *)(uintptr_t)version;
    p.arch = (char *)(uintptr_t) "amd64";
    if (pl_store_packages_sync(e->s, aid, eco, &p, 1, NOW - 86400, &sync, &err) != PL_OK)
        fail_msg("%s", err.msg);
    if (tag && pl_store_asset_tag(e->s, aid, tag, true, &err) != PL_OK)
        fail_msg("%s", err.msg);
}

static int estate_setup(void **state)
{
    struct estate *e = calloc(1, sizeof(*e));
    struct pl_error err = PL_ERROR_INIT;
    int64_t plan_id = 0;

    if (e == NULL)
        return -1;
    memcpy(e->dir, "/tmp/pl-rollout-XXXXXX", 23);
    if (mkdtemp(e->dir) == NULL ||
        snprintf(e->path, sizeof(e->path), "%s/store.db", e->dir) >= (int)sizeof(e->path) ||
        pl_store_open(e->path, PL_STORE_CREATE, &e->s, &err) != PL_OK ||
        pl_plan_config_load(NULL, &e->c, &err) != PL_OK)
        return -1;
    make_asset(e, "dev-web-1", "dev", "debian", "12", "dpkg", "nginx", "1.22.1-9", NULL, NULL, 1);
    make_asset(e, "stg-web-1", "staging", "debian", "12", "dpkg", "nginx", "1.22.1-9", NULL, NULL,
               2);
    make_asset(e, "prod-web-1", "prod", "debian", "12", "dpkg", "nginx", "1.22.1-9",
               "i-0a1b2c3d4e5f60001", "pilot", 3);
    make_asset(e, "prod-web-2", "prod", "debian", "12", "dpkg", "openssl", "3.0.11-1~deb12u2",
               "i-0a1b2c3d4e5f60002", NULL, 4);
    make_asset(e, "prod-db-1", "prod", "redhat", "9", "rpm", "openssl", "3.0.7-24.el9",
               "i-0a1b2c3d4e5f60003", NULL, 5);
    /* Tier 0 openssl (deb and rpm) in the emergency lane; tier 1 nginx through every stage. */
    exec_sql(e->path,
             "INSERT INTO findings (id, asset_id, vuln_id, package, fixed_version, tier, "
             "first_seen, due_at, status) VALUES "
             "(1, 4, 'CVE-2026-0001', 'openssl', '3.0.15-1~deb12u1', 0, 1772445600, 1772532000, "
             "'open'), "
             "(2, 5, 'CVE-2026-0001', 'openssl', '1:3.0.7-27.el9', 0, 1772445600, 1772532000, "
             "'open'), "
             "(3, 1, 'CVE-2026-0002', 'nginx', '1.22.1-9+deb12u1', 1, 1772452800, 1773057600, "
             "'open'), "
             "(4, 2, 'CVE-2026-0002', 'nginx', '1.22.1-9+deb12u1', 1, 1772452800, 1773057600, "
             "'open'), "
             "(5, 3, 'CVE-2026-0002', 'nginx', '1.22.1-9+deb12u1', 1, 1772452800, 1773057600, "
             "'open')");
    if (pl_plan_build(e->s, e->c, NOW, (int64_t)30 * 86400, &plan_id, NULL, &err) != PL_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    if (plan_id != 1)
        return -1;
    *state = e;
    return 0;
}

static int estate_teardown(void **state)
{
    struct estate *e = *state;
    char db[160];
    pl_store_close(e->s);
    pl_plan_config_free(e->c);
    if (snprintf(db, sizeof(db), "%s", e->path) > 0)
        (void)unlink(db);
    (void)rmdir(e->dir);
    free(e);
    return 0;
}

static const struct pl_handoff_opts opts = {
    .deploy_days = 14, .awx_inventory = 1, .awx_project = 1, .deadline_days = 2, .lock_ttl = "30m"};

static struct pl_handoff_plan *from_store(struct estate *e, int64_t id)
{
    struct pl_handoff_plan *p = NULL;
    struct pl_error err = PL_ERROR_INIT;
    if (pl_handoff_plan_from_store(e->s, id, e->c, &p, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return p;
}

/* The waves as the adapter filled them, one line each. */
static void wave_lines(const struct pl_handoff_plan *p, struct pl_buf *b)
{
    char at[PL_TIME_STR_LEN];
    for (size_t i = 0; i < p->n_waves; i++) {
        const struct pl_handoff_wave *w = &p->waves[i];
        pl_handoff_wave_id(w, b);
        pl_buf_addf(b, " %s %s %s tz=%s dur=%lld cut=%lld conc=%d%s fail=%d assets=",
                    pl_handoff_wave_ring(w), pl_time_format(w->start, at), w->window.expression,
                    w->window.tz, (long long)w->window.duration_secs,
                    (long long)w->window.cutoff_secs, w->max_concurrency,
                    w->concurrency_pct ? "%" : "", w->max_fail_pct);
        for (size_t k = 0; k < w->n_assets; k++)
            pl_buf_addf(b, "%s%s/%s%s/%s", k ? "," : "", w->assets[k].name, w->assets[k].os_family,
                        w->assets[k].os_version,
                        w->assets[k].cloud_id[0] ? w->assets[k].cloud_id : "-");
        pl_buf_adds(b, " packages=");
        for (size_t k = 0; k < w->n_packages; k++)
            pl_buf_addf(b, "%s%s:%s=%s", k ? "," : "", w->packages[k].ecosystem,
                        w->packages[k].name, w->packages[k].version);
        pl_buf_addch(b, '\n');
    }
}

static void waves_of_the_stored_plan(void **state)
{
    struct estate *e = *state;
    struct pl_handoff_plan *p = from_store(e, 1);
    struct pl_buf b = PL_BUF_INIT(0);

    assert_string_equal(p->name, "plan-1");
    wave_lines(p, &b);
    assert_string_equal(
        pl_buf_cstr(&b),
        "prod-ring0-immediately-20260302 all 2026-03-02T12:00:00Z 0 12 2 3 * tz=UTC dur=14400 "
        "cut=0 conc=100% fail=5 "
        "assets=prod-db-1/redhat9/i-0a1b2c3d4e5f60003,prod-web-2/debian12/i-0a1b2c3d4e5f60002 "
        "packages=deb:openssl=3.0.15-1~deb12u1,rpm:openssl=1:3.0.7-27.el9\n"
        "dev-ring1-dev-nightly-20260302 all 2026-03-02T20:00:00Z 0 20 * * * tz=UTC dur=21600 "
        "cut=3600 conc=100% fail=100 assets=dev-web-1/debian12/- "
        "packages=deb:nginx=1.22.1-9+deb12u1\n"
        "staging-ring1-staging-nightly-20260303 all 2026-03-03T02:00:00Z 0 22 * * * tz=UTC "
        "dur=21600 cut=3600 conc=100% fail=100 assets=stg-web-1/debian12/- "
        "packages=deb:nginx=1.22.1-9+deb12u1\n"
        "prod-ring1-prod-nightly-20260304 pilot 2026-03-04T04:00:00Z 0 2 * * * tz=UTC dur=14400 "
        "cut=1800 conc=100% fail=5 assets=prod-web-1/debian12/i-0a1b2c3d4e5f60001 "
        "packages=deb:nginx=1.22.1-9+deb12u1\n");
    pl_buf_release(&b);
    pl_handoff_plan_free(p);
}

static pl_status gen(const char *target, const struct pl_handoff_plan *p,
                     struct pl_handoff_out *out, struct pl_error *err)
{
    if (strcmp(target, "ansible") == 0)
        return pl_handoff_ansible(p, &opts, out, err);
    return pl_handoff_ssm(p, &opts, out, err);
}

/* Every generator's files, approvals.json included, or its error, into b. */
static void all_artefacts(const struct pl_handoff_plan *p, struct pl_buf *b)
{
    static const char *const targets[] = {"ansible", "ssm",   "wsus",   "intune",
                                          "k8s",     "kured", "images", "thirdparty"};
    for (size_t t = 0; t < PL_ARRAY_LEN(targets); t++) {
        struct pl_handoff_out out = PL_HANDOFF_OUT_INIT;
        struct pl_error err = PL_ERROR_INIT;
        const char *x = targets[t];
        pl_status rc = strcmp(x, "ansible") == 0  ? pl_handoff_ansible(p, &opts, &out, &err)
                       : strcmp(x, "ssm") == 0    ? pl_handoff_ssm(p, &opts, &out, &err)
                       : strcmp(x, "wsus") == 0   ? pl_handoff_wsus(p, &opts, &out, &err)
                       : strcmp(x, "intune") == 0 ? pl_handoff_intune(p, &opts, &out, &err)
                       : strcmp(x, "k8s") == 0    ? pl_handoff_k8s(p, &opts, &out, &err)
                       : strcmp(x, "kured") == 0  ? pl_handoff_kured(p, &opts, &out, &err)
                       : strcmp(x, "images") == 0 ? pl_handoff_images(p, &opts, &out, &err)
                                                  : pl_handoff_thirdparty(p, &opts, &out, &err);
        if (rc == PL_OK)
            pl_handoff_approvals(p, x, &out);
        pl_buf_addf(b, "== %s: %s\n", x, rc == PL_OK ? "ok" : err.msg);
        for (size_t i = 0; i < out.n; i++)
            pl_buf_addf(b, "-- %s\n%s", out.files[i].name, pl_buf_cstr(out.files[i].body));
        pl_handoff_out_release(&out);
    }
}

/*
 * What the server answers for handoff --rollout: the stored plan written as
 * a JSON plan and read back is the same plan (the same JSON again) with the
 * same artefacts, byte for byte, from every generator.
 */
static void round_trip(const struct pl_handoff_plan *p)
{
    struct pl_buf j1 = PL_BUF_INIT(0), j2 = PL_BUF_INIT(0), a = PL_BUF_INIT(0), b = PL_BUF_INIT(0);
    struct pl_handoff_plan *q = NULL;
    struct pl_error err = PL_ERROR_INIT;

    pl_handoff_plan_json(p, &j1);
    if (pl_handoff_plan_parse("the server's", pl_buf_cstr(&j1), j1.len, &q, &err) != PL_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(q->plan_id, p->plan_id);
    assert_int_equal(q->n_waves, p->n_waves);
    assert_int_equal(q->n_skipped, p->n_skipped);
    pl_handoff_plan_json(q, &j2);
    assert_string_equal(pl_buf_cstr(&j1), pl_buf_cstr(&j2));
    all_artefacts(p, &a);
    all_artefacts(q, &b);
    assert_string_equal(pl_buf_cstr(&a), pl_buf_cstr(&b));
    pl_handoff_plan_free(q);
    pl_buf_release(&j1);
    pl_buf_release(&j2);
    pl_buf_release(&a);
    pl_buf_release(&b);
}

/* The artefacts of --rollout 1 are those of the same waves as --plan-json, file by file. */
static void same_artefacts_as_json(void **state)
{
    static const char *const targets[] = {"ansible", "ssm"};
    /*
     * ssm: apply.sh, 4 baselines, the pilot ring's tags; the emergency wave's
     * tags, window, target, task and send-command; the pilot wave's window,
     * target, task and send-command. The dev and staging waves have no
     * instance id: no window.
     */
    static const size_t want_files[] = {13, 15};
    struct estate *e = *state;
    struct pl_handoff_plan *p = from_store(e, 1), *j = NULL;
    struct pl_error err = PL_ERROR_INIT;

    if (pl_handoff_plan_load(src_path("tests/fixtures/handoff/rollout-plan.json"), &j, &err) !=
        PL_OK)
        fail_msg("%s", err.msg);
    for (size_t t = 0; t < PL_ARRAY_LEN(targets); t++) {
        struct pl_handoff_out a = PL_HANDOFF_OUT_INIT, b = PL_HANDOFF_OUT_INIT;
        if (gen(targets[t], p, &a, &err) != PL_OK || gen(targets[t], j, &b, &err) != PL_OK)
            fail_msg("%s: %s", targets[t], err.msg);
        assert_int_equal(a.n, want_files[t]);
        assert_int_equal(a.n, b.n);
        for (size_t i = 0; i < a.n; i++) {
            assert_string_equal(a.files[i].name, b.files[i].name);
            assert_string_equal(pl_buf_cstr(a.files[i].body), pl_buf_cstr(b.files[i].body));
        }
        pl_handoff_out_release(&a);
        pl_handoff_out_release(&b);
    }
    round_trip(p);
    pl_handoff_plan_free(j);
    pl_handoff_plan_free(p);
}

static int run(const char *const *argv, struct pl_buf *out)
{
    struct pl_spawn_opts so = {.timeout_ms = 120000};
    struct pl_spawn_result res = {0};
    struct pl_error err = PL_ERROR_INIT;
    if (pl_spawn_run(argv, &so, out, out, &res, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return res.exit_code;
}

/* ansible-playbook --syntax-check on the playbook with every inventory of the stored plan. */
/* ansible-playbook --syntax-check of every inventory with the playbook of each mode. */
static void ansible_syntax_check(void **state)
{
    struct estate *e = *state;
    struct pl_handoff_plan *p = NULL;
    struct pl_error err = PL_ERROR_INIT;
    char book[128], inv[512];

    if (access("/usr/bin/ansible-playbook", X_OK) != 0)
        skip();
    p = from_store(e, 1);
    for (int mode = PL_HANDOFF_TARGETED; mode <= PL_HANDOFF_DIST; mode++) {
        struct pl_handoff_opts o = opts;
        struct pl_handoff_out out = PL_HANDOFF_OUT_INIT;
        char dir[64] = "/tmp/pl-rollout-ansible-XXXXXX";
        size_t checked = 0;
        o.mode = (enum pl_handoff_mode)mode;
        assert_int_equal(pl_handoff_ansible(p, &o, &out, &err), PL_OK);
        assert_non_null(mkdtemp(dir));
        if (pl_handoff_out_write(&out, dir, &err) != PL_OK)
            fail_msg("%s", err.msg);
        snprintf(book, sizeof(book), "%s/ansible/patch.yml", dir);
        for (size_t i = 0; i < out.n; i++) {
            struct pl_buf res = PL_BUF_INIT(0);
            if (strncmp(out.files[i].name, "ansible/inventory/", 18) != 0)
                continue;
            snprintf(inv, sizeof(inv), "%s/%s", dir, out.files[i].name);
            const char *argv[] = {"ansible-playbook", "--syntax-check", "-i", inv, book, NULL};
            if (run(argv, &res) != 0)
                fail_msg("mode %d: %s: %s", mode, inv, pl_buf_cstr(&res));
            pl_buf_release(&res);
            checked++;
        }
        assert_int_equal(checked, 4);
        const char *argv[] = {"rm", "-rf", "--", dir, NULL};
        struct pl_buf res = PL_BUF_INIT(0);
        assert_int_equal(run(argv, &res), 0);
        pl_buf_release(&res);
        pl_handoff_out_release(&out);
    }
    pl_handoff_plan_free(p);
}

/* ---- SSM: which instances the artefacts patch, and when ----------------------- */

#define MAX_SSM 64

struct ssm_view {
    char inst[MAX_SSM][32], tag_key[MAX_SSM][160], tag_val[MAX_SSM][64]; /* one row per tag */
    size_t n_tags;
    char win[MAX_SSM][160], sched[MAX_SSM][128], tz[MAX_SSM][64];
    char tkey[MAX_SSM][200], tval[MAX_SSM][64]; /* a tag target ("" when by id) */
    char ids[MAX_SSM][1024];                    /* instance ids targeted, space-separated */
    pl_time_t from[MAX_SSM], to[MAX_SSM];
    int64_t dur[MAX_SSM], cut[MAX_SSM];
    size_t n_win;
    const char *file; /* the file being read */
};

static void copy(char *dst, size_t size, const char *src)
{
    assert_non_null(src);
    assert_true(strlen(src) < size);
    memcpy(dst, src, strlen(src) + 1);
}

static pl_status on_ssm_doc(const struct pl_json *doc, uint64_t index, void *data,
                            struct pl_error *err)
{
    struct ssm_view *v = data;
    const char *base = strrchr(v->file, '/') + 1;
    (void)index;
    (void)err;
    if (strncmp(base, "tags-", 5) == 0) {
        for (const struct pl_json *r = pl_json_get(doc, "Resources")->child; r; r = r->next)
            for (const struct pl_json *t = pl_json_get(doc, "Tags")->child; t; t = t->next) {
                assert_true(v->n_tags < MAX_SSM);
                copy(v->inst[v->n_tags], 32, pl_json_string(r));
                copy(v->tag_key[v->n_tags], 160, pl_json_get_string(t, "Key"));
                copy(v->tag_val[v->n_tags], 64, pl_json_get_string(t, "Value"));
                v->n_tags++;
            }
    } else if (strncmp(base, "window-", 7) == 0) {
        size_t i = v->n_win++;
        assert_true(i < MAX_SSM);
        copy(v->win[i], 160, base + 7);
        copy(v->sched[i], 128, pl_json_get_string(doc, "Schedule"));
        copy(v->tz[i], 64, pl_json_get_string(doc, "ScheduleTimezone"));
        assert_int_equal(pl_time_parse(pl_json_get_string(doc, "StartDate"), &v->from[i], NULL),
                         PL_OK);
        assert_int_equal(pl_time_parse(pl_json_get_string(doc, "EndDate"), &v->to[i], NULL), PL_OK);
        assert_true(pl_json_int(pl_json_get(doc, "Duration"), &v->dur[i]));
        assert_true(pl_json_int(pl_json_get(doc, "Cutoff"), &v->cut[i]));
        assert_null(pl_json_get(doc, "ScheduleOffset"));
    }
    return PL_OK;
}

static void read_ssm_json(struct ssm_view *v, const char *path)
{
    struct pl_reader *r = NULL;
    struct pl_json_stream_opts so = {.on_record = on_ssm_doc, .data = v};
    struct pl_error err = PL_ERROR_INIT;
    v->file = path;
    if (pl_reader_open(path, 0, &r, &err) != PL_OK || pl_json_stream(r, &so, &err) != PL_OK)
        fail_msg("%s: %s", path, err.msg);
    pl_reader_close(r);
}

/*
 * The targets of window i (target-NAME.json beside window-NAME.json, then
 * target-NAME-2.json, ...): a tag (the emergency lane) or instance ids.
 */
static void read_target(struct ssm_view *v, size_t i, const struct pl_handoff_out *out)
{
    char name[200];
    const char *body, *c;
    int stem = (int)strlen(v->win[i]) - 5; /* without ".json" */
    v->tkey[i][0] = v->tval[i][0] = v->ids[i][0] = '\0';
    for (int part = 1;; part++) {
        if (part == 1)
            snprintf(name, sizeof(name), "ssm/target-%.*s.json", stem, v->win[i]);
        else
            snprintf(name, sizeof(name), "ssm/target-%.*s-%d.json", stem, v->win[i], part);
        body = pl_handoff_out_get(out, name);
        if (body == NULL) {
            assert_true(part > 1);
            return;
        }
        if (sscanf(body,
                   "{\n  \"ResourceType\": \"INSTANCE\",\n  \"Targets\": [{\"Key\": "
                   "\"tag:%199[^\"]\", \"Values\": [\"%63[^\"]\"]}]",
                   v->tkey[i], v->tval[i]) == 2)
            continue;
        c = strstr(body, "\"Key\": \"InstanceIds\", \"Values\": [");
        assert_non_null(c);
        for (c = strchr(c, '[') + 1; *c == '"';) {
            size_t n = strcspn(c + 1, "\""), have = strlen(v->ids[i]);
            assert_true(have + n + 2 < sizeof(v->ids[i]));
            memcpy(v->ids[i] + have, c + 1, n);
            memcpy(v->ids[i] + have + n, " ", 2);
            c += n + 2;
            if (strncmp(c, ", ", 2) != 0)
                break;
            c += 2;
        }
    }
}

/* Does window i run tasks at t? An occurrence in [StartDate, EndDate] open and before cutoff. */
/* Append s and a space to buf (1024 bytes). */
static void add_word(char *buf, const char *s)
{
    size_t n = strlen(buf), m = strlen(s);
    assert_true(n + m + 2 < 1024);
    memcpy(buf + n, s, m);
    buf[n + m] = ' ';
    buf[n + m + 1] = '\0';
}

static bool window_runs_at(const struct ssm_view *v, size_t i, pl_time_t t)
{
    pl_time_t o = 0;
    int64_t open = (v->dur[i] - v->cut[i]) * 3600;
    if (strncmp(v->sched[i], "at(", 3) == 0) {
        char iso[32];
        snprintf(iso, sizeof(iso), "%.19sZ", v->sched[i] + 3);
        assert_int_equal(pl_time_parse(iso, &o, NULL), PL_OK);
        assert_string_equal(v->tz[i], "UTC");
    } else {
        struct pl_cron c;
        struct pl_tz *tz = NULL;
        assert_int_equal(pl_cron_parse(v->sched[i], &c, NULL), PL_OK);
        assert_int_equal(pl_tz_load(v->tz[i], &tz, NULL), PL_OK);
        assert_int_equal(pl_cron_next(&c, tz, t - v->dur[i] * 3600, &o, NULL), PL_OK);
        pl_tz_free(tz);
    }
    return o >= v->from[i] && o <= v->to[i] && o <= t && t < o + open;
}

/*
 * For each wave, the instances that the SSM artefacts patch at the wave's
 * start, computed from the generated tags, windows and targets only, are the
 * wave's instances.
 */
static void ssm_rings_and_windows(void **state)
{
    struct estate *e = *state;
    struct pl_handoff_plan *p = from_store(e, 1);
    struct pl_handoff_out out = PL_HANDOFF_OUT_INIT;
    struct pl_error err = PL_ERROR_INIT;
    struct ssm_view *v = calloc(1, sizeof(*v));
    char dir[64] = "/tmp/pl-rollout-ssm-XXXXXX", path[512];
    size_t nonempty = 0;

    assert_non_null(v);
    assert_int_equal(pl_handoff_ssm(p, &opts, &out, &err), PL_OK);
    assert_non_null(mkdtemp(dir));
    assert_int_equal(pl_handoff_out_write(&out, dir, &err), PL_OK);
    for (size_t i = 0; i < out.n; i++) {
        const char *n = out.files[i].name;
        if (strncmp(n, "ssm/tags-", 9) != 0 && strncmp(n, "ssm/window-", 11) != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, n);
        read_ssm_json(v, path);
    }
    for (size_t i = 0; i < v->n_win; i++)
        read_target(v, i, &out);
    /* one PatchRing value per instance */
    for (size_t i = 0; i < v->n_tags; i++)
        for (size_t k = 0; k < v->n_tags; k++)
            if (strcmp(v->inst[i], v->inst[k]) == 0 && strcmp(v->tag_key[i], "PatchRing") == 0 &&
                strcmp(v->tag_key[k], "PatchRing") == 0)
                assert_string_equal(v->tag_val[i], v->tag_val[k]);
    for (size_t w = 0; w < p->n_waves; w++) {
        char want[1024] = "", got[1024] = "";
        const struct pl_handoff_wave *wv = &p->waves[w];
        for (size_t a = 0; a < wv->n_assets; a++)
            if (wv->assets[a].cloud_id[0])
                add_word(want, wv->assets[a].cloud_id);
        /*
         * every instance a window running at the wave's start targets: by id,
         * or by a tag (the emergency lane) the tags files give it
         */
        for (size_t k = 0; k < v->n_tags; k++) {
            bool hit = false;
            char word[40];
            snprintf(word, sizeof(word), "%s ", v->inst[k]);
            if (strstr(got, word))
                continue;
            for (size_t i = 0; !hit && i < v->n_win; i++)
                hit = window_runs_at(v, i, wv->start) &&
                      (strstr(v->ids[i], word) != NULL || (strcmp(v->tkey[i], v->tag_key[k]) == 0 &&
                                                           strcmp(v->tval[i], v->tag_val[k]) == 0));
            if (hit)
                add_word(got, v->inst[k]);
        }
        assert_string_equal(got, want);
        nonempty += want[0] != '\0';
    }
    assert_int_equal(nonempty, 2);
    const char *argv[] = {"rm", "-rf", "--", dir, NULL};
    struct pl_buf res = PL_BUF_INIT(0);
    assert_int_equal(run(argv, &res), 0);
    pl_buf_release(&res);
    free(v);
    pl_handoff_out_release(&out);
    pl_handoff_plan_free(p);
}

static void unknown_plan(void **state)
{
    struct estate *e = *state;
    struct pl_handoff_plan *p = NULL;
    struct pl_error err = PL_ERROR_INIT;

    assert_int_equal(pl_handoff_plan_from_store(e->s, 99, e->c, &p, &err), PL_E_NOTFOUND);
    assert_string_equal(err.msg, "rollout 99: no plan 99");
    assert_null(p);
}

/* Windows come from the plan file the plan was built with, nothing else. */
static void other_plan_file(void **state)
{
    struct estate *e = *state;
    struct pl_plan_config *c = NULL;
    struct pl_handoff_plan *p = NULL;
    struct pl_error err = PL_ERROR_INIT;
    char want[512];

    setenv("TZDIR", src_path("tests/fixtures/cron/zoneinfo"), 1);
    if (pl_plan_config_load(src_path("tests/fixtures/plan/windows.yaml"), &c, &err) != PL_OK)
        fail_msg("%s", err.msg);
    snprintf(want, sizeof(want),
             "rollout 1: plan 1 was built from (built-in) (sha256 %.12s...), not from %s (sha256 "
             "%.12s...); pass --plan with the file the plan was built from",
             e->c->sha256, c->source, c->sha256);
    assert_int_equal(pl_handoff_plan_from_store(e->s, 1, c, &p, &err), PL_E_CONFLICT);
    assert_string_equal(err.msg, want);
    pl_plan_config_free(c);
}

static void build_plan(struct estate *e, int64_t want)
{
    struct pl_error err = PL_ERROR_INIT;
    int64_t id = 0;
    if (pl_plan_build(e->s, e->c, NOW, (int64_t)30 * 86400, &id, NULL, &err) != PL_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(id, want);
}

static void expect_error(struct estate *e, int64_t id, pl_status rc, const char *msg)
{
    struct pl_handoff_plan *p = NULL;
    struct pl_error err = PL_ERROR_INIT;
    if (pl_handoff_plan_from_store(e->s, id, e->c, &p, &err) != rc)
        fail_msg("want status %d: %s", (int)rc, err.msg);
    assert_string_equal(err.msg, msg);
    assert_null(p);
}

/*
 * The checks of the JSON loader: a version the scheme rejects, then two
 * findings of one asset fixed in two versions (the higher one wins), then
 * two OS releases that need two versions in one wave.
 */
static void checked_like_json(void **state)
{
    struct estate *e = *state;
    struct pl_handoff_plan *p = NULL;

    exec_sql(e->path, "UPDATE findings SET fixed_version = '1.22.1 beta' WHERE id = 3");
    build_plan(e, 2);
    expect_error(e, 2, PL_E_PARSE,
                 "rollout 2: plan 2: wave 2.packages[0].version: '1.22.1 beta' is not a valid deb "
                 "version");
    exec_sql(e->path, "UPDATE findings SET fixed_version = '1.22.1-9+deb12u1' WHERE id = 3; "
                      "INSERT INTO findings (id, asset_id, vuln_id, package, fixed_version, tier, "
                      "first_seen, due_at, status) VALUES (6, 1, 'CVE-2026-0003', 'nginx', "
                      "'1.22.1-9+deb12u2', 1, 1772452800, 1773057600, 'open')");
    build_plan(e, 3);
    p = from_store(e, 3);
    assert_string_equal(p->waves[1].env, "dev");
    assert_int_equal(p->waves[1].n_packages, 1);
    assert_string_equal(p->waves[1].packages[0].version, "1.22.1-9+deb12u2");
    pl_handoff_plan_free(p);
    exec_sql(e->path, "UPDATE assets SET os_version = '11' WHERE id = 4; "
                      "UPDATE findings SET fixed_version = '3.0.15-1~deb11u1' WHERE id = 1; "
                      "INSERT INTO findings (id, asset_id, vuln_id, package, fixed_version, tier, "
                      "first_seen, due_at, status) VALUES (7, 3, 'CVE-2026-0001', 'openssl', "
                      "'3.0.15-1~deb12u1', 0, 1772445600, 1772532000, 'open')");
    build_plan(e, 4);
    expect_error(e, 4, PL_E_CONFLICT,
                 "rollout 4: plan 4: wave 1: package 'openssl' has two target versions, "
                 "3.0.15-1~deb11u1 (asset 'prod-web-2', debian 11) and 3.0.15-1~deb12u1 (asset "
                 "'prod-web-1', debian 12); a hand-off wave carries one version per package");
}

/* ---- plans written through the store API: the mapping's corner cases ---------- */

struct crafted {
    const char *lane, *ring_name, *window, *max_errors, *version;
    int ring;
    const char *start;
};

static int64_t insert_plan(struct estate *e, const struct crafted *c, size_t n)
{
    struct pl_plan_row row = {0};
    struct pl_error err = PL_ERROR_INIT;
    int64_t plan_id = 0;

    row.requester = (char *)(uintptr_t) "test";
    row.source = e->c->source;
    row.sha256 = e->c->sha256;
    row.horizon_secs = 86400;
    if (pl_store_plan_insert(e->s, &row, &plan_id, &err) != PL_OK)
        fail_msg("%s", err.msg);
    for (size_t i = 0; i < n; i++) {
        struct pl_wave_row w = {0};
        int64_t wave_id = 0;
        assert_int_equal(pl_time_parse(c[i].start, &w.starts_at, NULL), PL_OK);
        w.plan_id = plan_id;
        w.seq = (int)i + 1;
        w.lane = (char *)(uintptr_t)c[i].lane;
        w.environment = (char *)(uintptr_t) "prod";
        w.ring = c[i].ring;
        w.ring_name = (char *)(uintptr_t)c[i].ring_name;
        w.window_name = (char *)(uintptr_t)c[i].window;
        w.ends_at = w.starts_at + 4 * 3600;
        w.tier = 1;
        w.sign_off = (char *)(uintptr_t) "none";
        w.halt_failure_rate = 0.05;
        w.max_errors = (char *)(uintptr_t)c[i].max_errors;
        if (pl_store_wave_insert(e->s, &w, &wave_id, &err) != PL_OK)
            fail_msg("%s", err.msg);
        struct pl_wave_item_row a = {5, 3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
        struct pl_wave_item_row b = {1, 4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
        a.vuln_id = b.vuln_id = (char *)(uintptr_t) "CVE-2026-0002";
        a.package = b.package = (char *)(uintptr_t) "nginx";
        a.fixed_version = b.fixed_version = (char *)(uintptr_t)c[i].version;
        if (pl_store_wave_item_insert(e->s, wave_id, &a, &err) != PL_OK ||
            (i == 0 && pl_store_wave_item_insert(e->s, wave_id, &b, &err) != PL_OK))
            fail_msg("%s", err.msg);
    }
    return plan_id;
}

/*
 * A wave id that comes twice on one day gets -SEQ; max-errors as a count is
 * a share of the wave's assets; an emergency wave in no window gets a
 * one-time cron; a node's cluster, pool and platform; an unknown window, a ring past 9 and a
 * control character in a stored name are refused.
 */
static void crafted_waves(void **state)
{
    static const struct crafted ok[] = {
        {"standard", "pilot", "prod-nightly", "1", "1.24.0-2", 1, "2026-03-03T02:00:00Z"},
        {"standard", "pilot", "prod-nightly", "5%", "1.24.0-3", 1, "2026-03-03T03:00:00Z"},
        {"emergency", "all", "immediately", NULL, "1.24.0-4", 0, "2026-03-02T12:34:00Z"},
    };
    static const struct crafted bad_window[] = {
        {"standard", "pilot", "nope", "5%", "1.24.0-2", 1, "2026-03-03T02:00:00Z"}};
    static const struct crafted bad_ring[] = {
        {"standard", "r12", "prod-nightly", "5%", "1.24.0-2", 12, "2026-03-03T02:00:00Z"}};
    struct estate *e = *state;
    struct pl_handoff_plan *p;
    struct pl_buf b = PL_BUF_INIT(0);
    char msg[256];
    int64_t id = insert_plan(e, ok, PL_ARRAY_LEN(ok));

    p = from_store(e, id);
    wave_lines(p, &b);
    assert_string_equal(
        pl_buf_cstr(&b),
        "prod-ring1-prod-nightly-20260303 pilot 2026-03-03T02:00:00Z 0 2 * * * tz=UTC dur=14400 "
        "cut=1800 conc=100% fail=50 assets=prod-web-1/debian12/i-0a1b2c3d4e5f60001,prod-web-2/"
        "debian11/i-0a1b2c3d4e5f60002 packages=deb:nginx=1.24.0-2\n"
        "prod-ring1-prod-nightly-20260303-2 pilot 2026-03-03T03:00:00Z 0 2 * * * tz=UTC "
        "dur=14400 cut=1800 conc=100% fail=5 assets=prod-web-1/debian12/i-0a1b2c3d4e5f60001 "
        "packages=deb:nginx=1.24.0-3\n"
        "prod-ring0-immediately-20260302 all 2026-03-02T12:34:00Z 34 12 2 3 * tz=UTC dur=14400 "
        "cut=0 conc=100% fail=5 assets=prod-web-1/debian12/i-0a1b2c3d4e5f60001 "
        "packages=deb:nginx=1.24.0-4\n");
    pl_buf_release(&b);
    pl_handoff_plan_free(p);
    /* A node's cluster from its k8s source key, its pool and platform from tags. */
    exec_sql(e->path,
             "UPDATE assets SET kind = 'k8s-node' WHERE id = 4; "
             "INSERT INTO asset_sources VALUES (4, 'k8s', 'prod-eks/node:prod-web-2', 0, 0);"
             "INSERT INTO asset_tags (asset_id, tag) VALUES (4, 'nodepool=general'), "
             "(4, 'platform=eks')");
    p = from_store(e, id);
    assert_string_equal(p->waves[0].assets[1].kind, "k8s-node");
    assert_string_equal(p->waves[0].assets[1].cluster, "prod-eks");
    assert_string_equal(p->waves[0].assets[1].node_pool, "general");
    assert_string_equal(p->waves[0].assets[1].platform, "eks");
    assert_string_equal(p->waves[0].assets[0].cluster, "");
    pl_handoff_plan_free(p);
    id = insert_plan(e, bad_window, 1);
    snprintf(msg, sizeof(msg),
             "rollout %lld: plan %lld: wave 1: window 'nope' is not in plan file (built-in); pass "
             "--plan with the file the plan was built from",
             (long long)id, (long long)id);
    expect_error(e, id, PL_E_NOTFOUND, msg);
    id = insert_plan(e, bad_ring, 1);
    snprintf(msg, sizeof(msg),
             "rollout %lld: plan %lld: wave 1.ring: want an integer from 0 to 9, not 12",
             (long long)id, (long long)id);
    expect_error(e, id, PL_E_PARSE, msg);
    exec_sql(e->path, "UPDATE assets SET name = 'prod-web-1' || char(10) || 'x' WHERE id = 3");
    expect_error(e, 5, PL_E_PARSE,
                 "rollout 5: plan 5: wave 1.assets[0].name: control characters are not allowed");
}

/*
 * Read an inventory's host vars back: every "- {name: N, version: V" under a
 * host must be a package the host has (its store rows) at a lower version
 * than V. Returns the number of pins checked.
 */
static size_t check_inventory(struct estate *e, const char *inv)
{
    char host[256] = "", name[256], version[256];
    size_t pins = 0;

    for (const char *l = inv; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        struct pl_asset_query q = {.include_retired = true};
        struct pl_asset_info_list al = {NULL, 0};
        struct pl_package_list pk = {NULL, 0, 0};
        struct pl_error err = PL_ERROR_INIT;
        bool has = false;
        if (sscanf(l, "        \"%255[^\"]\":", host) == 1)
            continue;
        if (sscanf(l, "            - {name: \"%255[^\"]\", version: \"%255[^\"]\"", name,
                   version) != 2)
            continue;
        int64_t aid = 0;
        if (pl_store_asset_query(e->s, &q, &al, &err) != PL_OK)
            fail_msg("%s", err.msg);
        for (size_t i = 0; i < al.n; i++)
            if (strcmp(al.items[i].a.name, host) == 0)
                aid = al.items[i].a.id;
        if (aid == 0 || pl_store_package_list(e->s, aid, &pk, &err) != PL_OK)
            fail_msg("host %s: not in the store %s", host, err.msg);
        for (size_t i = 0; i < pk.n; i++) {
            int cmp = 0;
            enum pl_vscheme sch =
                strcmp(pk.items[i].ecosystem, "rpm") == 0 ? PL_VSCHEME_RPM : PL_VSCHEME_DPKG;
            if (strcmp(pk.items[i].name, name) != 0)
                continue;
            has = true;
            assert_int_equal(pl_version_cmp(sch, version, pk.items[i].version, &cmp, NULL), PL_OK);
            if (cmp <= 0)
                fail_msg("host %s: %s pinned to %s, installed %s", host, name, version,
                         pk.items[i].version);
        }
        if (!has)
            fail_msg("host %s: %s pinned but not installed", host, name);
        pl_package_list_release(&pk);
        pl_asset_info_list_release(&al);
        pins++;
    }
    return pins;
}

/*
 * A wave whose items name a package one host lacks (prod-web-2 has no
 * nginx) and a version lower than another host's (prod-web-1 has nginx
 * 1.22.1-9): each host's list holds only what it has and needs.
 */
static void per_host_never_lower(void **state)
{
    static const struct crafted lower[] = {
        {"standard", "pilot", "prod-nightly", "1", "1.20.0-1", 1, "2026-03-03T02:00:00Z"},
        {"standard", "pilot", "prod-nightly", "1", "1.24.0-2", 1, "2026-03-04T02:00:00Z"},
    };
    struct estate *e = *state;
    struct pl_handoff_plan *p;
    struct pl_handoff_out out = PL_HANDOFF_OUT_INIT;
    struct pl_error err = PL_ERROR_INIT;
    int64_t id = insert_plan(e, lower, PL_ARRAY_LEN(lower));
    const char *inv;
    size_t pins = 0;

    p = from_store(e, id);
    /* wave 1: nginx 1.20.0-1 is lower than prod-web-1's, and prod-web-2 has none */
    assert_int_equal(p->waves[0].n_assets, 2);
    assert_true(p->waves[0].assets[0].own_packages);
    assert_int_equal(p->waves[0].assets[0].n_packages, 0);
    assert_int_equal(p->waves[0].assets[1].n_packages, 0);
    assert_int_equal(pl_handoff_ansible(p, &opts, &out, &err), PL_OK);
    inv = pl_handoff_out_get(&out, "ansible/inventory/prod-ring1-prod-nightly-20260303.yml");
    assert_non_null(inv);
    assert_null(strstr(inv, "prod-web"));
    /* wave 2: only prod-web-1, from its installed version */
    inv = pl_handoff_out_get(&out, "ansible/inventory/prod-ring1-prod-nightly-20260304.yml");
    assert_non_null(strstr(inv, "\"prod-web-1\":\n          pl_pkg_module: \"apt\"\n"
                                "          pl_targets:\n            - {name: \"nginx\", "
                                "version: \"1.24.0-2\", pin: \"nginx>=1.24.0-2\", installed: "
                                "\"1.22.1-9\""));
    assert_null(strstr(inv, "prod-web-2"));
    for (size_t i = 0; i < out.n; i++)
        if (strncmp(out.files[i].name, "ansible/inventory/", 18) == 0)
            pins += check_inventory(e, pl_buf_cstr(out.files[i].body));
    assert_int_equal(pins, 1);
    pl_handoff_out_release(&out);
    pl_handoff_plan_free(p);
    /* the plan stored by 'patchline plan': every pin checked the same way */
    p = from_store(e, 1);
    assert_int_equal(pl_handoff_ansible(p, &opts, &out, &err), PL_OK);
    pins = 0;
    for (size_t i = 0; i < out.n; i++)
        if (strncmp(out.files[i].name, "ansible/inventory/", 18) == 0)
            pins += check_inventory(e, pl_buf_cstr(out.files[i].body));
    assert_int_equal(pins, 5);
    pl_handoff_out_release(&out);
    pl_handoff_plan_free(p);
}

/*
 * Approvals travel: a wave waiting for approval is left out of every
 * artefact and listed as skipped with who may approve it; once approved it
 * is emitted with its approver; the emergency lane runs before its sign-off,
 * recorded as the exception.
 */
static void approvals_travel(void **state)
{
    static const struct crafted waves[] = {
        {"standard", "pilot", "prod-nightly", "1", "1.24.0-2", 1, "2026-03-03T02:00:00Z"},
        {"standard", "pilot", "prod-nightly", "1", "1.24.0-3", 1, "2026-03-04T02:00:00Z"},
        {"emergency", "all", "immediately", NULL, "1.24.0-4", 0, "2026-03-02T12:34:00Z"},
    };
    struct estate *e = *state;
    struct pl_handoff_out out = PL_HANDOFF_OUT_INIT;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_handoff_plan *p;
    char sql[256], want[512];
    int64_t id = insert_plan(e, waves, PL_ARRAY_LEN(waves));

    snprintf(sql, sizeof(sql),
             "UPDATE waves SET needs_approval = 1 WHERE plan_id = %lld AND seq = 2; "
             "UPDATE waves SET sign_off = 'after-the-fact' WHERE plan_id = %lld AND seq = 3",
             (long long)id, (long long)id);
    exec_sql(e->path, sql);
    p = from_store(e, id);
    assert_int_equal(p->n_waves, 2);
    assert_int_equal(p->n_skipped, 1);
    assert_int_equal(p->skipped[0].seq, 2);
    assert_string_equal(p->skipped[0].id, "prod-ring1-prod-nightly-20260304");
    snprintf(want, sizeof(want),
             "an approver other than the requester 'test': patchline plan approve %lld --wave 2",
             (long long)id);
    assert_string_equal(p->skipped[0].approvers, want);
    assert_string_equal(p->waves[0].approval, "no approval needed");
    assert_non_null(strstr(p->waves[1].approval, "emergency lane: runs before sign-off (the one "
                                                 "exception)"));
    round_trip(p);
    assert_int_equal(pl_handoff_ssm(p, &opts, &out, &err), PL_OK);
    pl_handoff_approvals(p, "ssm", &out);
    for (size_t i = 0; i < out.n; i++)
        assert_null(strstr(out.files[i].name, "20260304"));
    assert_non_null(strstr(pl_handoff_out_get(&out, "ssm/approvals.json"),
                           "\"wave\": \"prod-ring1-prod-nightly-20260304\", \"starts_at\": "
                           "\"2026-03-04T02:00:00Z\", \"reason\": \"waiting for approval\""));
    pl_handoff_out_release(&out);
    pl_handoff_plan_free(p);
    /* approved: emitted, with its approver */
    assert_int_equal(pl_store_approval_insert(e->s, id, 2, "approve", "alice", NOW, &err), PL_OK);
    p = from_store(e, id);
    assert_int_equal(p->n_waves, 3);
    assert_int_equal(p->n_skipped, 0);
    assert_non_null(strstr(p->waves[1].approval, "approved by 'alice' at "));
    assert_int_equal(pl_handoff_ansible(p, &opts, &out, &err), PL_OK);
    assert_non_null(
        pl_handoff_out_get(&out, "ansible/inventory/prod-ring1-prod-nightly-20260304.yml"));
    pl_handoff_out_release(&out);
    pl_handoff_plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(waves_of_the_stored_plan),
        cmocka_unit_test(same_artefacts_as_json),
        cmocka_unit_test(ansible_syntax_check),
        cmocka_unit_test(ssm_rings_and_windows),
        cmocka_unit_test(unknown_plan),
        cmocka_unit_test(other_plan_file),
        cmocka_unit_test(checked_like_json),
        cmocka_unit_test(per_host_never_lower),
        cmocka_unit_test(approvals_travel),
        cmocka_unit_test(crafted_waves),
    };
    return cmocka_run_group_tests(tests, estate_setup, estate_teardown);
}
