/*
 * test_apply_rpm.c - the rpm side of the local executor, as far as Debian's
 * rpm tooling allows (no dnf): packages built with rpmbuild, installed into a
 * throwaway root with rpm, rolled back with the executor's reinstall argv.
 * Runs as root only (rpm runs scriptlets through chroot); skips otherwise.
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

#include "patchline/file.h"
#include "patchline/inventory.h"
#include "patchline/spawn.h"

#include "apply/apply_int.h"

static int run(struct pl_buf *out, const char *const *argv)
{
    struct pl_spawn_opts o = {NULL, 0, 0, 120L * 1000};
    struct pl_spawn_result r;
    struct pl_error err = PL_ERROR_INIT;

    if (pl_spawn_run(argv, &o, out, NULL, &r, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return r.exit_code;
}

static bool have(const char *prog)
{
    const char *argv[] = {"sh", "-c", "command -v \"$0\" >/dev/null", prog, NULL};

    return run(NULL, argv) == 0;
}

static char *script(const char *name)
{
    static char path[4096];
    const char *src = getenv("PL_SOURCE_DIR");

    assert_true(snprintf(path, sizeof(path), "%s/tests/apply/%s", src ? src : ".", name) <
                (int)sizeof(path));
    return path;
}

static void marker_is(const char *root, const char *want)
{
    char path[200];
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;

    snprintf(path, sizeof(path), "%s/var/lib/pltest/marker", root);
    assert_int_equal(pl_file_read(path, 4096, &b, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&b), want);
    pl_buf_release(&b);
}

/* rpm reads name and version from a kept file, through the executor's builder. */
static void rpm_tool_checks(const struct pl__executor *dnf, const char *v1)
{
    struct pl__argv a = {NULL, 0, 0};
    struct pl_buf out = PL_BUF_INIT(0);

    dnf->file_info(v1, &a);
    assert_int_equal(run(&out, (const char *const *)a.v), 0);
    assert_string_equal(pl_buf_cstr(&out), "pltest-app\n1.0-1\n");
    pl__apply_argv_release(&a);
    pl_buf_release(&out);
}

/*
 * rpm: Debian has rpm and rpmbuild but no dnf, so the install step (dnf)
 * cannot run here. What runs for real: v1 and v2 built with rpmbuild,
 * installed into a root with `rpm --root -U` (dependencies checked,
 * scriptlets run through chroot with the root's busybox), then the executor's rollback argv
 * reinstalls v1 from its file, and the inventory collector sees it.
 */
static void real_rpm_rollback(void **state)
{
    const struct pl__executor *dnf = pl__apply_executor_find("dnf");
    char tmpl[] = "/tmp/pl-apply-XXXXXX", root[128], v1[160], v2[160], pk[128];
    struct pl__exec_ctx ctx = {root, false, NULL};
    struct pl_collect_opts co = {root, NULL};
    struct pl_host_facts f;
    struct pl_error err = PL_ERROR_INIT;
    struct pl__argv a = {NULL, 0, 0};
    const char *files[1] = {v1};

    (void)state;
    if (geteuid() != 0 || !have("rpm") || !have("rpmbuild") || !have("busybox")) {
        print_message("skipping: needs root, rpm, rpmbuild and busybox\n");
        skip();
    }
    assert_non_null(mkdtemp(tmpl));
    snprintf(root, sizeof(root), "%s/root", tmpl);
    snprintf(pk, sizeof(pk), "%s/pk", tmpl);
    snprintf(v1, sizeof(v1), "%s/pltest-app-1.0-1.noarch.rpm", pk);
    snprintf(v2, sizeof(v2), "%s/pltest-app-2.0-1.noarch.rpm", pk);
    {
        const char *mk[] = {script("mkrpm.sh"), pk, NULL};

        assert_int_equal(run(NULL, mk), 0);
    }
    {
        const char *mk[] = {script("mkroot.sh"), root, "/dev/null", NULL};
        const char *init[] = {"rpm", "--root", root, "--dbpath", "/var/lib/rpm", "--initdb", NULL};
        char sh[160], dpkgdb[160];
        const char *up0[] = {"rpm", "--root", root, "--dbpath", "/var/lib/rpm", "-U", sh, NULL};
        const char *up1[] = {"rpm", "--root", root, "--dbpath", "/var/lib/rpm", "-U", v1, NULL};
        const char *up2[] = {"rpm", "--root", root, "--dbpath", "/var/lib/rpm", "-U", v2, NULL};
        const char *nodpkg[] = {"rm", "-rf", "--", dpkgdb, NULL};

        assert_int_equal(run(NULL, mk), 0);
        snprintf(dpkgdb, sizeof(dpkgdb), "%s/var/lib/dpkg", root); /* an rpm root only */
        assert_int_equal(run(NULL, nodpkg), 0);
        assert_int_equal(run(NULL, init), 0);
        snprintf(sh, sizeof(sh), "%s/pltest-sh-1.0-1.noarch.rpm", pk);
        assert_int_equal(run(NULL, up0), 0);
        assert_int_equal(run(NULL, up1), 0);
        assert_int_equal(run(NULL, up2), 0);
    }
    assert_true(strcmp(root, "/") != 0);
    assert_ptr_equal(pl__apply_executor_detect(root), dnf);
    dnf->reinstall(&ctx, files, 1, &a);
    assert_int_equal(run(NULL, (const char *const *)a.v), 0);
    pl__apply_argv_release(&a);
    assert_int_equal(pl_host_collect(&co, &f, &err), PL_OK);
    assert_string_equal(f.ecosystem, "rpm");
    assert_int_equal(f.packages.n, 2);
    assert_string_equal(f.packages.items[0].name, "pltest-sh"); /* rpm -qa: database order */
    assert_string_equal(f.packages.items[1].name, "pltest-app");
    assert_string_equal(f.packages.items[1].version, "1.0-1");
    pl_host_facts_release(&f);
    marker_is(root, "configured 1.0-1\n");
    rpm_tool_checks(dnf, v1);
    {
        const char *rm[] = {"rm", "-rf", "--", tmpl, NULL};

        assert_int_equal(run(NULL, rm), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_rpm_rollback),
    };
    return cmocka_run_group_tests_name("apply_rpm", tests, NULL, NULL);
}
