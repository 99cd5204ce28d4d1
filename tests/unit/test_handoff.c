/*
 * test_handoff.c - hand-off artefacts: golden files for every target from
 * one plan, ansible-playbook --syntax-check on every generated playbook,
 * awscli parameter validation of every SSM JSON, hostile names, schedule
 * translations, the plan loader's errors, Ansible results and the Trivy gate.
 * Set PL_UPDATE_GOLDEN=1 to rewrite the golden files.
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
#include "patchline/handoff.h"
#include "patchline/match.h"
#include "patchline/policy.h"
#include "patchline/spawn.h"

static char fix[1024];

static const char *fixture(const char *name)
{
    static char path[2048];
    if (snprintf(path, sizeof(path), "%s/%s", fix, name) >= (int)sizeof(path))
        fail_msg("path too long");
    return path;
}

static struct pl_handoff_plan *load(const char *name)
{
    struct pl_handoff_plan *p = NULL;
    struct pl_error err = PL_ERROR_INIT;
    if (pl_handoff_plan_load(fixture(name), &p, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return p;
}

static const struct pl_handoff_opts opts = {
    .deploy_days = 14, .awx_inventory = 1, .awx_project = 1, .deadline_days = 2, .lock_ttl = "30m"};

static pl_status gen(const char *target, const struct pl_handoff_plan *p,
                     const struct pl_handoff_opts *o, struct pl_handoff_out *out,
                     struct pl_error *err)
{
    if (strcmp(target, "ansible") == 0)
        return pl_handoff_ansible(p, o, out, err);
    if (strcmp(target, "ssm") == 0)
        return pl_handoff_ssm(p, o, out, err);
    if (strcmp(target, "wsus") == 0)
        return pl_handoff_wsus(p, o, out, err);
    if (strcmp(target, "intune") == 0)
        return pl_handoff_intune(p, o, out, err);
    if (strcmp(target, "k8s") == 0)
        return pl_handoff_k8s(p, o, out, err);
    if (strcmp(target, "kured") == 0)
        return pl_handoff_kured(p, o, out, err);
    if (strcmp(target, "images") == 0)
        return pl_handoff_images(p, o, out, err);
    return pl_handoff_cloud_pools(target, p, o, out, err);
}

static const char *const targets[] = {"ansible", "ssm", "wsus", "intune", "k8s",
                                      "kured",   "eks", "aks",  "gke",    "images"};

/* Every target from the same plan, file by file against tests/fixtures/handoff/golden. */
static void golden_files(void **state)
{
    struct pl_handoff_plan *p = load("plan.json");
    struct pl_handoff_out out = PL_HANDOFF_OUT_INIT;
    struct pl_error err = PL_ERROR_INIT;
    char dir[1100];
    (void)state;

    for (size_t t = 0; t < sizeof(targets) / sizeof(*targets); t++)
        if (gen(targets[t], p, &opts, &out, &err) != PL_OK)
            fail_msg("%s: %s", targets[t], err.msg);
    assert_int_equal(out.n, 42);
    snprintf(dir, sizeof(dir), "%s/golden", fix);
    if (getenv("PL_UPDATE_GOLDEN"))
        assert_int_equal(pl_handoff_out_write(&out, dir, &err), PL_OK);
    for (size_t i = 0; i < out.n; i++) {
        struct pl_buf want = PL_BUF_INIT(0);
        char path[2048];
        if (snprintf(path, sizeof(path), "%s/%s", dir, out.files[i].name) >= (int)sizeof(path))
            fail_msg("path too long");
        if (pl_file_read(path, 0, &want, &err) != PL_OK)
            fail_msg("%s", err.msg);
        if (strcmp(pl_buf_cstr(&want), pl_buf_cstr(out.files[i].body)) != 0)
            fail_msg("%s differs from its golden file", out.files[i].name);
        pl_buf_release(&want);
    }
    pl_handoff_out_release(&out);
    pl_handoff_plan_free(p);
}

/* A one-wave plan built in code, for hostile names. */
static void one_wave(struct pl_handoff_plan *p, struct pl_handoff_wave *w,
                     struct pl_handoff_asset *a, struct pl_handoff_package *pk)
{
    memset(p, 0, sizeof(*p));
    memset(w, 0, sizeof(*w));
    p->name = "t";
    p->policy = "default";
    p->waves = w;
    p->n_waves = 1;
    w->env = "prod";
    w->ring = 1;
    w->window = (struct pl_handoff_window){"w", "0 2 * * 0", "UTC", 3600, 0, 0};
    w->max_concurrency = 1;
    w->assets = a;
    w->n_assets = 1;
    w->packages = pk;
    w->n_packages = 1;
}

static void hostile_names(void **state)
{
    struct pl_handoff_plan p;
    struct pl_handoff_wave w;
    struct pl_handoff_asset a = {"web01'; Remove-Item -Recurse C:\\ #",
                                 "host",
                                 "windows",
                                 "",
                                 "",
                                 "",
                                 "",
                                 "",
                                 "",
                                 "",
                                 false,
                                 NULL,
                                 0,
                                 0};
    struct pl_handoff_package pk = {"KB5034441", "", "kb", "", ""};
    struct pl_handoff_out out = PL_HANDOFF_OUT_INIT;
    struct pl_error err = PL_ERROR_INIT;
    (void)state;

    one_wave(&p, &w, &a, &pk);
    /* PowerShell: escaped, one literal */
    assert_int_equal(pl_handoff_wsus(&p, &opts, &out, &err), PL_OK);
    assert_non_null(strstr(pl_handoff_out_get(&out, "wsus/prod-ring1-w.ps1"),
                           "\n    'web01''; Remove-Item -Recurse C:\\ #'\n"));
    pl_handoff_out_release(&out);
    /* typographic quotes end PowerShell strings too: doubled */
    a.name = "a\xe2\x80\x99"
             "b";
    assert_int_equal(pl_handoff_wsus(&p, &opts, &out, &err), PL_OK);
    assert_non_null(strstr(pl_handoff_out_get(&out, "wsus/prod-ring1-w.ps1"),
                           "'a\xe2\x80\x99\xe2\x80\x99"
                           "b'"));
    pl_handoff_out_release(&out);
    /* a control character cannot be represented safely: refused */
    a.name = "win\r01";
    assert_int_equal(pl_handoff_wsus(&p, &opts, &out, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "wsus: prod-ring1-w: asset 0: a computer name with control "
                                 "characters cannot be represented safely");
    pl_handoff_out_release(&out);
    /* Ansible inventories cannot carry it: refused */
    a.name = "web01'; Remove-Item -Recurse C:\\ #";
    a.os_family = "debian";
    pk = (struct pl_handoff_package){"openssl", "3.0.15-1", "deb", "", ""};
    assert_int_equal(pl_handoff_ansible(&p, &opts, &out, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "ansible: prod-ring1-w: asset 'web01'; Remove-Item -Recurse "
                                 "C:\\ #': name is not a valid host name (letters, digits, '.', "
                                 "'-', '_')");
    pl_handoff_out_release(&out);
    /* a node name with a newline: refused, shown escaped */
    a = (struct pl_handoff_asset){"a\nb", "k8s-node", "", "",    "",   "c1", "p1",
                                  "",     "",         "", false, NULL, 0,    0};
    assert_int_equal(pl_handoff_k8s(&p, &opts, &out, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "k8s: prod-ring1-w: asset 'a\\x0ab': name is not a valid "
                                 "Kubernetes name (RFC 1123: a-z, 0-9, '-', '.')");
    pl_handoff_out_release(&out);
    /* a pool name that would be an option */
    a = (struct pl_handoff_asset){"n1",  "k8s-node", "", "",    "",   "c1", "--all",
                                  "eks", "",         "", false, NULL, 0,    0};
    assert_int_equal(pl_handoff_cloud_pools("eks", &p, &opts, &out, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "eks: prod-ring1-w: asset '--all': node_pool is not a valid "
                                 "host name (letters, digits, '.', '-', '_')");
    pl_handoff_out_release(&out);
    /* an image reference with shell syntax */
    a = (struct pl_handoff_asset){"i", "container-image", "", "",    "",   "", "",
                                  "",  "$(reboot)",       "", false, NULL, 0,  0};
    assert_int_equal(pl_handoff_images(&p, &opts, &out, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "images: prod-ring1-w: image '$(reboot)' is not an image "
                                 "reference");
    pl_handoff_out_release(&out);
}

/*
 * SSM: a window holds 100 targets of 50 instance ids, so a wave of 5,101
 * instances gets two windows with the same schedule (WAVE and WAVE-w2),
 * 100 + 3 targets, every instance exactly once, each window's task on all
 * of its targets; the send-command bodies still take 50 ids each.
 */
static void ssm_large_wave(void **state)
{
    enum { N = 5101 };
    struct pl_handoff_plan p;
    struct pl_handoff_wave w;
    struct pl_handoff_asset *a = calloc(N, sizeof(*a));
    char(*names)[32] = calloc(N, sizeof(*names)), (*ids)[32] = calloc(N, sizeof(*ids));
    unsigned char *seen = calloc(N, 1);
    struct pl_handoff_package pk = {"openssl", "3.0.15-1~deb12u1", "deb", "", ""};
    struct pl_handoff_out out = PL_HANDOFF_OUT_INIT;
    struct pl_error err = PL_ERROR_INIT;
    size_t n_targets = 0;
    (void)state;

    assert_true(a && names && ids && seen);
    one_wave(&p, &w, a, &pk);
    assert_int_equal(pl_time_parse("2026-12-06T02:00:00Z", &w.start, &err), PL_OK); /* a Sunday */
    w.n_assets = N;
    for (size_t i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "h%zu", i);
        snprintf(ids[i], sizeof(ids[i]), "i-%017zx", i + 1);
        a[i] = (struct pl_handoff_asset){.name = names[i],
                                         .kind = "host",
                                         .os_family = "debian",
                                         .os_version = "12",
                                         .cloud_id = ids[i]};
    }
    assert_int_equal(pl_handoff_ssm(&p, &opts, &out, &err), PL_OK);
    const char *w1 = pl_handoff_out_get(&out, "ssm/window-prod-ring1-w.json");
    const char *w2 = pl_handoff_out_get(&out, "ssm/window-prod-ring1-w-w2.json");
    assert_non_null(w1);
    assert_non_null(w2);
    assert_null(pl_handoff_out_get(&out, "ssm/window-prod-ring1-w-w3.json"));
    assert_non_null(strstr(w1, "\"Schedule\": \"cron(0 2 ? * 1 *)\""));
    assert_non_null(strstr(w2, "\"Schedule\": \"cron(0 2 ? * 1 *)\""));
    assert_non_null(strstr(w1, "\"StartDate\": \"2026-12-06T02:00:00Z\""));
    assert_non_null(strstr(w2, "\"StartDate\": \"2026-12-06T02:00:00Z\""));
    assert_non_null(pl_handoff_out_get(&out, "ssm/task-prod-ring1-w.json"));
    assert_non_null(pl_handoff_out_get(&out, "ssm/task-prod-ring1-w-w2.json"));
    assert_non_null(pl_handoff_out_get(&out, "ssm/target-prod-ring1-w-100.json"));
    assert_null(pl_handoff_out_get(&out, "ssm/target-prod-ring1-w-101.json"));
    assert_non_null(pl_handoff_out_get(&out, "ssm/target-prod-ring1-w-w2-3.json"));
    assert_null(pl_handoff_out_get(&out, "ssm/target-prod-ring1-w-w2-4.json"));
    for (size_t f = 0; f < out.n; f++) {
        const char *body = pl_buf_cstr(out.files[f].body);
        size_t in_file = 0;
        if (strncmp(out.files[f].name, "ssm/target-", 11) != 0)
            continue;
        n_targets++;
        for (const char *c = strstr(body, "\"i-"); c; c = strstr(c + 1, "\"i-")) {
            size_t i = (size_t)strtoull(c + 3, NULL, 16) - 1;
            assert_true(i < N);
            assert_int_equal(seen[i], 0);
            seen[i] = 1;
            in_file++;
        }
        assert_true(in_file >= 1 && in_file <= 50);
    }
    assert_int_equal(n_targets, 103);
    for (size_t i = 0; i < N; i++)
        assert_int_equal(seen[i], 1);
    const char *sh = pl_handoff_out_get(&out, "ssm/apply.sh");
    assert_non_null(strstr(sh, "Values=$T1,$T2,"));
    assert_non_null(strstr(sh, ",$T100\" --cli-input-json file://task-prod-ring1-w.json\n"));
    assert_non_null(strstr(sh, "Values=$T1,$T2,$T3\" --cli-input-json "
                               "file://task-prod-ring1-w-w2.json\n"));
    assert_non_null(pl_handoff_out_get(&out, "ssm/send-command-prod-ring1-w-103.json"));
    pl_handoff_out_release(&out);
    free(a);
    free(names);
    free(ids);
    free(seen);
}

/* A percentage concurrency: EKS takes it as such, batches are a share of the pool. */
static void concurrency_percent(void **state)
{
    struct pl_handoff_plan p;
    struct pl_handoff_wave w;
    struct pl_handoff_asset a[3] = {
        {"n1", "k8s-node", "", "", "", "c1", "p1", "eks", "", "", false, NULL, 0, 0},
        {"n2", "k8s-node", "", "", "", "c1", "p1", "eks", "", "", false, NULL, 0, 0},
        {"n3", "k8s-node", "", "", "", "c1", "p1", "eks", "", "", false, NULL, 0, 0},
    };
    struct pl_handoff_package pk = {"openssl", "3.0.15-1", "deb", "", ""};
    struct pl_handoff_out out = PL_HANDOFF_OUT_INIT;
    struct pl_error err = PL_ERROR_INIT;
    (void)state;

    one_wave(&p, &w, a, &pk);
    w.n_assets = 3;
    w.max_concurrency = 34;
    w.concurrency_pct = true;
    assert_int_equal(pl_handoff_cloud_pools("eks", &p, &opts, &out, &err), PL_OK);
    assert_non_null(strstr(pl_handoff_out_get(&out, "eks/prod-ring1-w.sh"),
                           "--update-config maxUnavailablePercentage=34\n"));
    assert_int_equal(pl_handoff_k8s(&p, &opts, &out, &err), PL_OK);
    /* 34% of 3 nodes rounds up to 2: n1 and n2 together, then n3 */
    assert_non_null(strstr(pl_handoff_out_get(&out, "k8s/prod-ring1-w.sh"),
                           "# pool c1/p1\nkubectl --context c1 cordon n1\n"
                           "kubectl --context c1 cordon n2\nkubectl --context c1 drain n1"));
    assert_non_null(strstr(pl_handoff_out_get(&out, "k8s/prod-ring1-w.sh"),
                           "uncordon n2\n# pool c1/p1\nkubectl --context c1 cordon n3\n"));
    pl_handoff_out_release(&out);
}

static void load_errors(void **state)
{
    static const struct {
        const char *file, *msg;
    } cases[] = {
        {"hostile-pkg.json",
         "waves[0].packages[1].name: '$(reboot)' is not a valid deb package name"},
        {"bad-cron.json", "waves[0].window.expression: cron: field 'day-of-week': '9' "
                          "out of range 0-7"},
        {"bad-types.json", "waves[0].max_concurrency: want a count or a percentage like 25%"},
        {"bad-ctl.json", "waves[0].assets[0].name: control characters are not allowed"},
        {"bad-version.json", "waves[0].packages[0].version: 'x y' is not a valid deb version"},
        {"truncated.json", "parse error"},
        {"bad-encoding.json", "byte 167: lexical error: invalid bytes in UTF8 string"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        struct pl_handoff_plan *p = NULL;
        struct pl_error err = PL_ERROR_INIT;
        assert_int_not_equal(pl_handoff_plan_load(fixture(cases[i].file), &p, &err), PL_OK);
        assert_null(p);
        if (strstr(err.msg, cases[i].msg) == NULL)
            fail_msg("%s: got '%s'", cases[i].file, err.msg);
    }
}

static void aws_cron(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"0 2 * * 0", "cron(0 2 ? * 1 *)"},
        {"30 22 * * 1-5", "cron(30 22 ? * 2-6 *)"},
        {"0 3 * * 2#2", "cron(0 3 ? * 3#2 *)"},
        {"0 1 L * *", "cron(0 1 L * ? *)"},
        {"*/15 * * * *", "cron(0,15,30,45 * * * ? *)"},
        {"0 4 1,15 1-6 *", "cron(0 4 1,15 1-6 ? *)"},
        {"0 5 * * 5L", "cron(0 5 ? * 6L *)"},
        {"cron(0 2 ? * SUN#1 *)", "cron(0 2 ? * SUN#1 *)"},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        pl_buf_reset(&b);
        assert_int_equal(pl_handoff_aws_cron(cases[i].in, &b, &err), PL_OK);
        assert_string_equal(pl_buf_cstr(&b), cases[i].out);
    }
    assert_int_equal(pl_handoff_aws_cron("0 2 1 * 1", &b, &err), PL_E_UNSUPPORTED);
    assert_string_equal(err.msg, "cron '0 2 1 * 1': AWS cron() cannot restrict both "
                                 "day-of-month and day-of-week");
    pl_buf_release(&b);
}

static void ansible_results(void **state)
{
    struct pl_handoff_job *jobs = NULL;
    size_t n = 0;
    struct pl_error err = PL_ERROR_INIT;
    (void)state;
    assert_int_equal(pl_handoff_ansible_results(fixture("ansible-results.json"), &jobs, &n, &err),
                     PL_OK);
    assert_int_equal(n, 2);
    assert_string_equal(jobs[0].host, "db01");
    assert_int_equal(jobs[0].failed, 1);
    assert_int_equal(jobs[0].ok, 1);
    assert_string_equal(jobs[1].host, "web01");
    assert_int_equal(jobs[1].ok, 3);
    assert_int_equal(jobs[1].changed, 1);
    assert_int_equal(jobs[1].unreachable, 0);
    free(jobs);
    assert_int_equal(pl_handoff_ansible_results(fixture("plan.json"), &jobs, &n, &err), PL_E_PARSE);
    assert_non_null(strstr(err.msg, "no 'stats' object: not the output of the json callback"));
}

static void images_cycle(void **state)
{
    struct pl_handoff_plan *p = load("images-cycle.json");
    struct pl_handoff_out out = PL_HANDOFF_OUT_INIT;
    struct pl_error err = PL_ERROR_INIT;
    (void)state;
    assert_int_equal(pl_handoff_images(p, &opts, &out, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "images: 'r.example/a:1' is part of a base-image cycle");
    pl_handoff_out_release(&out);
    pl_handoff_plan_free(p);
}

static void gate_trivy(void **state)
{
    const char *shared = getenv("PL_SHARED_DATA");
    struct pl_policy *pol = NULL;
    struct pl_gate_result r;
    struct pl_error err = PL_ERROR_INIT;
    char path[2048];
    (void)state;
    assert_int_equal(pl_policy_load_builtin("default", &pol, &err), PL_OK);
    assert_int_equal(pl_gate_trivy(fixture("trivy-small.json"), pol, 1, &r, &err), PL_OK);
    assert_int_equal(r.total, 3);
    assert_int_equal(r.n_hits, 1);
    assert_string_equal(r.hits[0].id, "CVE-2024-0001");
    assert_int_equal(r.hits[0].tier, 1);
    assert_int_equal(r.per_tier[PL_MAX_POLICY_TIERS], 1); /* UNKNOWN, no CVSS: unscored */
    pl_gate_result_release(&r);
    if (shared == NULL || access(shared, R_OK) != 0) {
        pl_policy_free(pol);
        skip();
    }
    if (snprintf(path, sizeof(path), "%s/tool_outputs/trivy/alpine-39.json", shared) >=
        (int)sizeof(path))
        fail_msg("path too long");
    assert_int_equal(pl_gate_trivy(path, pol, 0, &r, &err), PL_OK);
    assert_int_equal(r.total, 6);
    assert_int_equal(r.n_hits, 2);
    assert_string_equal(r.hits[0].id, "CVE-2019-14697");
    assert_string_equal(r.hits[0].pkg, "musl");
    assert_int_equal(r.per_tier[0], 2);
    /* MEDIUM 5.3 on an image whose environment is unknown: counted as production (fail-safe) */
    assert_int_equal(r.per_tier[3], 4);
    pl_gate_result_release(&r);
    pl_policy_free(pol);
}

int main(void)
{
    const char *src = getenv("PL_SOURCE_DIR");
    snprintf(fix, sizeof(fix), "%s/tests/fixtures/handoff", src ? src : ".");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_files),    cmocka_unit_test(hostile_names),
        cmocka_unit_test(ssm_large_wave),  cmocka_unit_test(concurrency_percent),
        cmocka_unit_test(load_errors),     cmocka_unit_test(aws_cron),
        cmocka_unit_test(ansible_results), cmocka_unit_test(images_cycle),
        cmocka_unit_test(gate_trivy),
    };
    return cmocka_run_group_tests_name("handoff", tests, NULL, NULL);
}
