/*
 * test_spawn.c - running programs from an argv array: capture, caps,
 * exit status, missing programs, environment override, timeout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "patchline/spawn.h"

static void spawn_captures_stdout(void **state)
{
    const char *argv[] = {"printf", "a%sb|%s", "x y", "$HOME;`id`", NULL};
    struct pl_buf out = PL_BUF_INIT(0), errout = PL_BUF_INIT(0);
    struct pl_spawn_result res;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    assert_int_equal(pl_spawn_run(argv, NULL, &out, &errout, &res, &err), PL_OK);
    /* arguments reach the program verbatim: no shell expands them */
    assert_string_equal(pl_buf_cstr(&out), "ax yb|$HOME;`id`");
    assert_string_equal(pl_buf_cstr(&errout), "");
    assert_int_equal(res.exit_code, 0);
    assert_int_equal(res.signal, 0);
    assert_false(res.timed_out);
    assert_false(res.out_truncated);
    pl_buf_release(&out);
    pl_buf_release(&errout);
}

static void spawn_reports_exit_and_stderr(void **state)
{
    const char *argv[] = {"cat", "/nonexistent/patchline-spawn-test", NULL};
    struct pl_buf out = PL_BUF_INIT(0), errout = PL_BUF_INIT(0);
    struct pl_spawn_result res;
    struct pl_error err = PL_ERROR_INIT;
    char why[64];

    (void)state;
    assert_int_equal(pl_spawn_run(argv, NULL, &out, &errout, &res, &err), PL_OK);
    assert_int_equal(res.exit_code, 1);
    assert_string_equal(pl_buf_cstr(&out), "");
    assert_non_null(strstr(pl_buf_cstr(&errout), "/nonexistent/patchline-spawn-test"));
    assert_string_equal(pl_spawn_describe(&res, NULL, why, sizeof(why)), "exited with status 1");
    pl_buf_release(&out);
    pl_buf_release(&errout);
}

static void spawn_missing_program(void **state)
{
    const char *argv[] = {"patchline-no-such-program", "x", NULL};
    const char *empty[] = {NULL};
    struct pl_spawn_result res;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    assert_int_equal(pl_spawn_run(argv, NULL, NULL, NULL, &res, &err), PL_E_NOTFOUND);
    assert_string_equal(err.msg, "cannot run 'patchline-no-such-program': not found");
    assert_int_equal(pl_spawn_run(empty, NULL, NULL, NULL, &res, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "pl_spawn_run: empty argv");
}

static void spawn_caps_output(void **state)
{
    const char *argv[] = {"head", "-c", "300000", "/dev/zero", NULL};
    struct pl_spawn_opts opts = {NULL, 1000, 0, 0};
    struct pl_buf out = PL_BUF_INIT(0), small = PL_BUF_INIT(101);
    struct pl_spawn_result res;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    assert_int_equal(pl_spawn_run(argv, &opts, &out, NULL, &res, &err), PL_OK);
    assert_int_equal(out.len, 1000);
    assert_true(res.out_truncated);
    assert_int_equal(res.exit_code, 0); /* the rest was drained, so head finished normally */
    /* the buffer's own cap also bounds what is kept, without a sticky error */
    assert_int_equal(pl_spawn_run(argv, NULL, &small, NULL, &res, &err), PL_OK);
    assert_int_equal(small.len, 100);
    assert_int_equal(pl_buf_status(&small), PL_OK);
    assert_true(res.out_truncated);
    pl_buf_release(&out);
    pl_buf_release(&small);
}

static void spawn_env_override(void **state)
{
    const char *env[] = {"PATCHLINE_SPAWN_TEST=yes", NULL};
    const char *argv[] = {"/usr/bin/env", NULL};
    struct pl_spawn_opts opts = {env, 0, 0, 0};
    struct pl_buf out = PL_BUF_INIT(0);
    struct pl_spawn_result res;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    assert_int_equal(pl_spawn_run(argv, &opts, &out, NULL, &res, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&out), "PATCHLINE_SPAWN_TEST=yes\n");
    pl_buf_release(&out);
}

static void spawn_timeout_kills(void **state)
{
    const char *argv[] = {"sleep", "30", NULL};
    struct pl_spawn_opts opts = {NULL, 0, 0, 100};
    struct pl_spawn_result res;
    struct pl_error err = PL_ERROR_INIT;
    char why[64];

    (void)state;
    assert_int_equal(pl_spawn_run(argv, &opts, NULL, NULL, &res, &err), PL_OK);
    assert_true(res.timed_out);
    assert_int_equal(res.exit_code, -1);
    assert_int_equal(res.signal, 9);
    assert_string_equal(pl_spawn_describe(&res, &opts, why, sizeof(why)), "timed out after 100 ms");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spawn_captures_stdout), cmocka_unit_test(spawn_reports_exit_and_stderr),
        cmocka_unit_test(spawn_missing_program), cmocka_unit_test(spawn_caps_output),
        cmocka_unit_test(spawn_env_override),    cmocka_unit_test(spawn_timeout_kills),
    };
    return cmocka_run_group_tests_name("spawn", tests, NULL, NULL);
}
