/*
 * test_handoff_tools.c - hand-off artefacts checked by the real tools:
 * ansible-playbook --syntax-check on every generated playbook and awscli
 * parameter validation of every SSM file and of ssm/apply.sh. Each test
 * skips when its tool is absent. (A separate executable from
 * test_handoff.c so that these slow checks run beside the other tests.)
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

#include "patchline/file.h"
#include "patchline/handoff.h"
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

static bool have(const char *path)
{
    return access(path, X_OK) == 0;
}

static int run(const char *const *argv, const char *const *env, struct pl_buf *out)
{
    struct pl_spawn_opts so = {.env = env, .timeout_ms = 120000};
    struct pl_spawn_result res = {0};
    struct pl_buf errout = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    if (pl_spawn_run(argv, &so, out, &errout, &res, &err) != PL_OK)
        fail_msg("%s", err.msg);
    pl_buf_add(out, errout.buf ? errout.buf : "", errout.len);
    pl_buf_release(&errout);
    return res.exit_code;
}

static void write_tmp(const struct pl_handoff_out *out, char *dir)
{
    struct pl_error err = PL_ERROR_INIT;
    snprintf(dir, 64, "/tmp/pl-handoff-XXXXXX");
    assert_non_null(mkdtemp(dir));
    if (pl_handoff_out_write(out, dir, &err) != PL_OK)
        fail_msg("%s", err.msg);
}

static void cleanup(const char *dir)
{
    const char *argv[] = {"rm", "-rf", "--", dir, NULL};
    struct pl_buf b = PL_BUF_INIT(0);
    assert_int_equal(run(argv, NULL, &b), 0);
    pl_buf_release(&b);
}

/* ansible-playbook --syntax-check on the playbook with every inventory, both modes. */
static void ansible_syntax_check(void **state)
{
    struct pl_handoff_plan *p = load("plan.json");
    (void)state;
    if (!have("/usr/bin/ansible-playbook")) {
        pl_handoff_plan_free(p);
        skip();
    }
    for (int mode = 0; mode < 2; mode++) {
        struct pl_handoff_opts o = opts;
        struct pl_handoff_out out = PL_HANDOFF_OUT_INIT;
        struct pl_error err = PL_ERROR_INIT;
        char dir[64], book[128], inv[512];
        size_t checked = 0;
        o.dpkg_root = mode == 1;
        assert_int_equal(pl_handoff_ansible(p, &o, &out, &err), PL_OK);
        write_tmp(&out, dir);
        snprintf(book, sizeof(book), "%s/ansible/patch.yml", dir);
        for (size_t i = 0; i < out.n; i++) {
            struct pl_buf res = PL_BUF_INIT(0);
            if (strncmp(out.files[i].name, "ansible/inventory/", 18) != 0)
                continue;
            snprintf(inv, sizeof(inv), "%s/%s", dir, out.files[i].name);
            const char *argv[] = {"ansible-playbook", "--syntax-check", "-i", inv, book, NULL};
            if (run(argv, NULL, &res) != 0)
                fail_msg("syntax check of %s failed: %s", out.files[i].name, pl_buf_cstr(&res));
            assert_non_null(strstr(pl_buf_cstr(&res), "playbook: "));
            pl_buf_release(&res);
            checked++;
        }
        assert_int_equal(checked, 3);
        cleanup(dir);
        pl_handoff_out_release(&out);
    }
    pl_handoff_plan_free(p);
}

static int aws_validate(const char *file, const char *path, struct pl_buf *res)
{
    static const char *const env[] = {
        "PATH=/usr/bin:/bin",        "HOME=/tmp",
        "AWS_ACCESS_KEY_ID=x",       "AWS_SECRET_ACCESS_KEY=x",
        "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
        "AWS_MAX_ATTEMPTS=1",        NULL};
    const char *argv[24] = {"/usr/bin/aws", "ssm"};
    char input[4200];
    size_t k = 2;

    snprintf(input, sizeof(input), "file://%s", path);
    if (strstr(file, "baseline-")) {
        argv[k++] = "create-patch-baseline";
    } else if (strstr(file, "window-")) {
        argv[k++] = "create-maintenance-window";
    } else if (strstr(file, "send-command-")) {
        argv[k++] = "send-command";
    } else if (strstr(file, "target-")) {
        argv[k++] = "register-target-with-maintenance-window";
        argv[k++] = "--window-id";
        argv[k++] = "mw-0123456789abcdef0";
    } else if (strstr(file, "task-")) {
        argv[k++] = "register-task-with-maintenance-window";
        argv[k++] = "--window-id";
        argv[k++] = "mw-0123456789abcdef0";
        argv[k++] = "--targets";
        argv[k++] = "Key=WindowTargetIds,Values=e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE";
    } else if (strstr(file, "hook-")) {
        argv[k++] = "create-document";
    } else if (strstr(file, "tags-")) {
        argv[1] = "ec2";
        argv[k++] = "create-tags";
    } else {
        fail_msg("no awscli operation for %s", file);
    }
    const char *tail[] = {"--cli-input-json",
                          input,
                          "--region",
                          "us-east-1",
                          "--endpoint-url",
                          "http://127.0.0.1:9",
                          "--cli-connect-timeout",
                          "2",
                          NULL};
    for (size_t i = 0; tail[i]; i++)
        argv[k++] = tail[i];
    argv[k] = NULL;
    return run(argv, env, res);
}

/* ssm/apply.sh run with a stand-in `aws` that validates every command line. */
static void run_apply_sh(const char *dir)
{
    char bin[128], link[160], script[128], log[128], path_env[200], log_env[160];
    struct pl_buf res = PL_BUF_INIT(0), got = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;

    snprintf(bin, sizeof(bin), "%s/bin", dir);
    snprintf(link, sizeof(link), "%s/aws", bin);
    snprintf(script, sizeof(script), "%s/ssm/apply.sh", dir);
    snprintf(log, sizeof(log), "%s/aws.log", dir);
    snprintf(path_env, sizeof(path_env), "PATH=%s:/usr/bin:/bin", bin);
    snprintf(log_env, sizeof(log_env), "FAKE_AWS_LOG=%s", log);
    assert_int_equal(mkdir(bin, 0755), 0);
    assert_int_equal(symlink(fixture("fake-aws.sh"), link), 0);
    const char *env[] = {path_env, log_env, NULL};
    const char *argv[] = {"sh", "-c", "cd \"$(dirname \"$0\")\" && sh ./apply.sh", script, NULL};
    if (run(argv, env, &res) != 0)
        fail_msg("apply.sh failed: %s", pl_buf_cstr(&res));
    assert_int_equal(pl_file_read(log, 0, &got, &err), PL_OK);
    /*
     * 5 baselines + 5 patch groups, 1 tags, 2 hook documents, then the one
     * wave with an instance (web01): its window, target and task. The waves
     * without an instance id (ring 2, staging) get no window.
     */
    size_t lines = 0;
    for (const char *c = pl_buf_cstr(&got); *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 16);
    pl_buf_release(&res);
    pl_buf_release(&got);
}

/* Every SSM JSON passes awscli's parameter validation (and only the connection fails). */
static void ssm_awscli_validation(void **state)
{
    struct pl_handoff_plan *p = load("plan.json");
    struct pl_handoff_out out = PL_HANDOFF_OUT_INIT;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf res = PL_BUF_INIT(0);
    char dir[64], path[512];
    size_t checked = 0;
    (void)state;
    if (!have("/usr/bin/aws")) {
        pl_handoff_plan_free(p);
        skip();
    }
    assert_int_equal(pl_handoff_ssm(p, &opts, &out, &err), PL_OK);
    write_tmp(&out, dir);
    for (size_t i = 0; i < out.n; i++) {
        const char *n = out.files[i].name;
        if (strcmp(n, "ssm/apply.sh") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, n);
        pl_buf_reset(&res);
        assert_int_not_equal(aws_validate(n, path, &res), 0);
        if (strstr(pl_buf_cstr(&res), "Parameter validation failed"))
            fail_msg("%s: %s", n, pl_buf_cstr(&res));
        assert_non_null(strstr(pl_buf_cstr(&res), "Could not connect to the endpoint URL"));
        checked++;
    }
    assert_int_equal(checked, 12);
    run_apply_sh(dir);
    cleanup(dir);
    pl_handoff_out_release(&out);
    /* ApproveUntilDate instead of ApproveAfterDays */
    struct pl_handoff_opts o = opts;
    assert_int_equal(pl_time_parse("2026-12-31", &o.approve_until, &err), PL_OK);
    assert_int_equal(pl_handoff_ssm(p, &o, &out, &err), PL_OK);
    assert_non_null(strstr(pl_handoff_out_get(&out, "ssm/baseline-prod-DEBIAN.json"),
                           "\"ApproveUntilDate\": \"2026-12-31\""));
    write_tmp(&out, dir);
    snprintf(path, sizeof(path), "%s/ssm/baseline-prod-DEBIAN.json", dir);
    pl_buf_reset(&res);
    assert_int_not_equal(aws_validate("baseline-prod-DEBIAN.json", path, &res), 0);
    assert_non_null(strstr(pl_buf_cstr(&res), "Could not connect to the endpoint URL"));
    /* the check can fail: a misspelt field is named by awscli */
    snprintf(path, sizeof(path), "%s/ssm/baseline-bad.json", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("{\"Nme\": \"x\", \"OperatingSystem\": \"DEBIAN\"}\n", fp);
    fclose(fp);
    pl_buf_reset(&res);
    assert_int_not_equal(aws_validate("baseline-bad.json", path, &res), 0);
    assert_non_null(strstr(pl_buf_cstr(&res), "Parameter validation failed"));
    assert_non_null(strstr(pl_buf_cstr(&res), "Unknown parameter in input: \"Nme\""));
    cleanup(dir);
    pl_buf_release(&res);
    pl_handoff_out_release(&out);
    pl_handoff_plan_free(p);
}

int main(void)
{
    const char *src = getenv("PL_SOURCE_DIR");
    snprintf(fix, sizeof(fix), "%s/tests/fixtures/handoff", src ? src : ".");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ansible_syntax_check),
        cmocka_unit_test(ssm_awscli_validation),
    };
    return cmocka_run_group_tests_name("handoff_tools", tests, NULL, NULL);
}
