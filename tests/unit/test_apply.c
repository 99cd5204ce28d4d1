/*
 * test_apply.c - the local executor: package names and versions, the config
 * file and its trust rule, roots, argv building, and real apt/dpkg runs on a
 * throwaway root (as root only: dpkg runs maintainer scripts through chroot).
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

#include "patchline/apply.h"
#include "patchline/file.h"
#include "patchline/spawn.h"

#include "apply/apply_int.h"

/* ---- helpers ------------------------------------------------------------- */

/* Run argv; returns its exit code; stdout into out (may be NULL). */
static int run(struct pl_buf *out, const char *const *argv)
{
    struct pl_spawn_result r;
    struct pl_error err = PL_ERROR_INIT;

    if (pl_spawn_run(argv, NULL, out, NULL, &r, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return r.exit_code;
}

static char *make_tmpdir(void)
{
    char tmpl[] = "/tmp/pl-apply-XXXXXX";
    char *d = mkdtemp(tmpl);

    assert_non_null(d);
    return pl_xstrdup(d);
}

static void remove_tree(char *dir)
{
    const char *argv[] = {"rm", "-rf", "--", dir, NULL};

    assert_true(strncmp(dir, "/tmp/pl-apply-", 14) == 0);
    assert_int_equal(run(NULL, argv), 0);
    free(dir);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static char *path_join(const char *a, const char *b)
{
    struct pl_buf p = PL_BUF_INIT(0);

    pl_buf_addf(&p, "%s/%s", a, b);
    return pl_buf_detach(&p, NULL);
}

/* Copy tmpl into out with its '@' replaced by path. */
static void subst(char *out, size_t size, const char *tmpl, const char *path)
{
    const char *at = strchr(tmpl, '@');

    assert_non_null(at);
    assert_true(snprintf(out, size, "%.*s%s%s", (int)(at - tmpl), tmpl, path, at + 1) < (int)size);
}

/* ---- names and versions -------------------------------------------------- */

static void names_follow_policy(void **state)
{
    static const struct {
        const char *eco, *name;
        bool ok;
    } cases[] = {
        {"dpkg", "openssl", true},
        {"dpkg", "libc6", true},
        {"dpkg", "g++-12", true},
        {"dpkg", "lib.x+y-z", true},
        {"dpkg", "a", false},
        {"dpkg", "OpenSSL", false},
        {"dpkg", "foo;rm -rf /", false},
        {"dpkg", "$(id)", false},
        {"dpkg", "-oAPT::Get::AllowUnauthenticated=1", false},
        {"dpkg", "--reinstall", false},
        {"dpkg", "foo bar", false},
        {"dpkg", "foo\nbar", false},
        {"dpkg", "foo`id`", false},
        {"dpkg", "", false},
        {"rpm", "NetworkManager", true},
        {"rpm", "python3_foo", true},
        {"rpm", "-q", false},
        {"rpm", "foo|bar", false},
        {"apk", "busybox", true},
        {"apk", "../x", false},
        {"npm", "left-pad", false},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++)
        if (pl_apply_name_valid(cases[i].eco, cases[i].name) != cases[i].ok)
            fail_msg("%s name '%s': want %d", cases[i].eco, cases[i].name, cases[i].ok);
}

static void versions_follow_schemes(void **state)
{
    static const struct {
        const char *eco, *v;
        bool ok;
    } cases[] = {
        {"dpkg", "2.0-1", true},          {"dpkg", "1:3.0.11-1~deb12u2", true},
        {"dpkg", "2.36-9+deb12u4", true}, {"dpkg", "1.0", true},
        {"dpkg", "1.0-", false},          {"dpkg", "a1.0", false},
        {"dpkg", ":1.0", false},          {"dpkg", "x:1.0", false},
        {"dpkg", "1.0;id", false},        {"dpkg", "1.0 -oFoo", false},
        {"dpkg", "1.0-1:2", false},       {"rpm", "1:2.3-4.el9", true},
        {"rpm", "2.3-4.el9_2", true},     {"rpm", "2.3-$(id)", false},
        {"apk", "1.36.1-r5", true},       {"apk", "1.36.1-r5;x", false},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++)
        if (pl_apply_version_valid(cases[i].eco, cases[i].v) != cases[i].ok)
            fail_msg("%s version '%s': want %d", cases[i].eco, cases[i].v, cases[i].ok);
}

/* ---- config file --------------------------------------------------------- */

static void config_parses_argv_and_settings(void **state)
{
    char *dir = make_tmpdir(), *path = path_join(dir, "apply.conf");
    struct pl_apply_config c;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    write_file(path,
               "# hooks\n"
               "health = [\"/usr/local/bin/healthz\", \"--url\", \"http://x/\\\"q\\\"\"]\n"
               "  snapshot=[\"/sbin/lvcreate\",\"-s\"]  \n"
               "\n"
               "health_timeout = 30s\n"
               "command_timeout = 2m\n"
               "reboot_policy = kured\n"
               "rollback_on_health = false\n",
               0644);
    assert_int_equal(pl_apply_config_load(path, false, &c, &err), PL_OK);
    assert_string_equal(c.health[0], "/usr/local/bin/healthz");
    assert_string_equal(c.health[1], "--url");
    assert_string_equal(c.health[2], "http://x/\"q\"");
    assert_null(c.health[3]);
    assert_string_equal(c.snapshot[1], "-s");
    assert_null(c.snapshot[2]);
    assert_null(c.notify);
    assert_int_equal(c.health_timeout_ms, 30000);
    assert_int_equal(c.command_timeout_ms, 120000);
    assert_int_equal(c.reboot_policy, PL_REBOOT_KURED);
    assert_false(c.rollback_on_health);
    pl_apply_config_release(&c);
    free(path);
    remove_tree(dir);
}

static void config_errors_name_line_and_key(void **state)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"health = /bin/true\n", "@:1: key 'health': want an argv array [\"/path/prog\", "
                                 "\"arg\", ...]"},
        {"\nhealth = [\"true\"]\n", "@:2: key 'health': the program must be an absolute path"},
        {"health = []\n", "@:1: key 'health': empty argv"},
        {"health = [\"/bin/x\"\n", "@:1: key 'health': want ',' or ']' after a string"},
        {"health = [\"/bin/x]\n", "@:1: key 'health': unterminated string"},
        {"health = [\"/bin/x\"] ; rm\n", "@:1: key 'health': want strings between [ and ], "
                                         "and nothing after ]"},
        {"health = [\"/bin/\\x\"]\n", "@:1: key 'health': only \\\" and \\\\ escapes are "
                                      "allowed"},
        {"healthz = [\"/bin/x\"]\n", "@:1: unknown key 'healthz'"},
        {"reboot_policy = sometimes\n", "@:1: key 'reboot_policy': want never, reboot or kured"},
        {"health_timeout = 0s\n", "@:1: key 'health_timeout': want a duration from 1s to 24h "
                                  "(e.g. 30s, 5m)"},
        {"just text\n", "@:1: want 'key = value'"},
        {"a\001\377 = 1\n", "@: not a UTF-8 text file"},
    };
    char *dir = make_tmpdir(), *path = path_join(dir, "bad.conf");
    char want[512];
    (void)state;

    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        struct pl_apply_config c;
        struct pl_error err = PL_ERROR_INIT;

        write_file(path, cases[i].text, 0644);
        assert_int_equal(pl_apply_config_load(path, false, &c, &err), PL_E_PARSE);
        subst(want, sizeof(want), cases[i].msg, path);
        assert_string_equal(err.msg, want);
    }
    free(path);
    remove_tree(dir);
}

static void config_trust_rule_as_root(void **state)
{
    char *dir, *path;
    struct pl_apply_config c;
    struct pl_error err = PL_ERROR_INIT;
    char want[512];

    (void)state;
    if (geteuid() != 0)
        skip(); /* files of another owner need root to create */
    dir = make_tmpdir();
    path = path_join(dir, "apply.conf");
    write_file(path, "health = [\"/bin/true\"]\n", 0664);
    assert_int_equal(pl_apply_config_load(path, true, &c, &err), PL_E_INVALID);
    snprintf(want, sizeof(want),
             "config '%s' is writable by its group (mode 0664): refusing it when running as root",
             path);
    assert_string_equal(err.msg, want);
    assert_int_equal(chmod(path, 0646), 0);
    assert_int_equal(pl_apply_config_load(path, true, &c, &err), PL_E_INVALID);
    snprintf(want, sizeof(want),
             "config '%s' is writable by others (mode 0646): refusing it when running as root",
             path);
    assert_string_equal(err.msg, want);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(chown(path, 65534, 0), 0);
    assert_int_equal(pl_apply_check_trusted("store", path, &err), PL_E_INVALID);
    snprintf(want, sizeof(want),
             "store '%s' is owned by uid 65534, not root: refusing it when running as root", path);
    assert_string_equal(err.msg, want);
    assert_int_equal(chown(path, 0, 0), 0);
    assert_int_equal(pl_apply_config_load(path, true, &c, &err), PL_OK);
    pl_apply_config_release(&c);
    free(path);
    remove_tree(dir);
}

/* ---- roots and argv ------------------------------------------------------ */

/*
 * The demo's canary sandbox: never the host's / nor a folder of other files (nothing
 * removed); as root, a root whose dpkg database has tar at the release version.
 */
static void sandbox_refuses_foreign_folders(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    char tmpl[] = "/tmp/pl-sandbox-XXXXXX", path[256];
    const char *rm[] = {"rm", "-rf", "--", NULL, NULL};
    struct pl_buf out = PL_BUF_INIT(0), errout = PL_BUF_INIT(0);
    struct pl_spawn_result res;

    (void)state;
    assert_int_not_equal(pl_apply_sandbox_make("/", "x", &err), PL_OK);
    if (geteuid() != 0) {
        assert_int_equal(err.code, PL_E_DENIED);
        assert_non_null(strstr(err.msg, "needs root"));
        return;
    }
    assert_int_equal(err.code, PL_E_INVALID);
    assert_non_null(strstr(err.msg, "never the host's /"));
    assert_non_null(mkdtemp(tmpl));
    snprintf(path, sizeof(path), "%s/precious", tmpl);
    assert_int_equal(pl_file_write(NULL, path, "x", 1, 0644, &err), PL_OK);
    assert_int_equal(pl_apply_sandbox_make(tmpl, "canary-01", &err), PL_E_INVALID);
    assert_non_null(strstr(err.msg, "not a sandbox made here"));
    assert_true(pl_path_exists(path));
    assert_int_equal(unlink(path), 0);
    if (access("/usr/bin/dpkg-deb", X_OK) == 0 && access("/usr/bin/dpkg-scanpackages", X_OK) == 0) {
        char admin[300];
        const char *q[] = {"dpkg-query", admin, "-W", "-f", "${Version}", "tar", NULL};

        assert_int_equal(pl_apply_sandbox_make(tmpl, "canary-01", &err), PL_OK);
        /* made twice: the first is replaced */
        assert_int_equal(pl_apply_sandbox_make(tmpl, "canary-01", &err), PL_OK);
        snprintf(admin, sizeof(admin), "--admindir=%s/root/var/lib/dpkg", tmpl);
        assert_int_equal(pl_spawn_run(q, NULL, &out, &errout, &res, &err), PL_OK);
        assert_int_equal(res.exit_code, 0);
        assert_string_equal(pl_buf_cstr(&out), "1.34+dfsg-1.2");
    }
    rm[3] = tmpl;
    assert_int_equal(pl_spawn_run(rm, NULL, NULL, NULL, &res, &err), PL_OK);
    pl_buf_release(&out);
    pl_buf_release(&errout);
}

static void roots_never_alias_the_host(void **state)
{
    static const struct {
        const char *root, *msg;
    } cases[] = {
        {"//", "--root '//' is this host's / : pass --root / to patch this host"},
        {"/tmp/..", "--root '/tmp/..' is this host's / : pass --root / to patch this host"},
        {"tmp", "--root 'tmp': give an absolute path"},
        {"/tmp/x;rm -rf", "--root '/tmp/x;rm -rf': only letters, digits and /._+-@,= are "
                          "allowed"},
        {"/tmp/\"q", "--root '/tmp/\"q': only letters, digits and /._+-@,= are allowed"},
        {"/nonexistent-pl", "--root '/nonexistent-pl': No such file or directory"},
    };
    char *out = NULL;
    bool host = false;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        assert_int_not_equal(pl__apply_root_resolve(cases[i].root, &out, &host, &err), PL_OK);
        assert_string_equal(err.msg, cases[i].msg);
    }
    assert_int_equal(pl__apply_root_resolve("/", &out, &host, &err), PL_OK);
    assert_true(host);
    assert_string_equal(out, "/");
    free(out);
    assert_int_equal(pl__apply_root_resolve("/tmp///", &out, &host, &err), PL_OK);
    assert_false(host);
    assert_string_equal(out, "/tmp");
    free(out);
}

static void render(struct pl__argv *a, const char *want)
{
    struct pl_buf b = PL_BUF_INIT(0);

    pl__apply_argv_render((const char *const *)a->v, &b);
    assert_string_equal(pl_buf_cstr(&b), want);
    pl_buf_release(&b);
    pl__apply_argv_release(a);
}

static void executors_build_exact_argv(void **state)
{
    const struct pl__executor *apt = pl__apply_executor_find("apt"),
                              *dnf = pl__apply_executor_find("dnf");
    struct pl__exec_ctx root = {"/srv/r", false, "/srv/j/apt.conf"}, host = {"/", true, NULL};
    char n0[] = "openssl", n1[] = "libc6", arch[] = "amd64", t0[] = "3.0.13-1", b0[] = "3.0.11-1";
    char t1[] = "1:2.36-9", b1[] = "1:2.36-8";
    struct pl__pkg p[2] = {{n0, arch, t0, b0, NULL, NULL, NULL, NULL, NULL},
                           {n1, arch, t1, b1, NULL, NULL, NULL, NULL, NULL}};
    const char *files[] = {"/k/a b.deb"};
    struct pl__argv a = {NULL, 0, 0};
    struct pl_buf b = PL_BUF_INIT(0);

    (void)state;
    assert_non_null(apt);
    apt->install(&root, p, 2, &a);
    render(&a, "apt-get -q -y -oDir=/srv/r/ -oDir::State::status=/srv/r/var/lib/dpkg/status "
               "-oDPkg::Options::=--root=/srv/r -oAPT::Sandbox::User=root "
               "-oDpkg::Options::=--force-confold -oDpkg::Options::=--force-confdef "
               "--no-install-recommends --only-upgrade install openssl=3.0.13-1 "
               "libc6=1:2.36-9");
    apt->install(&host, p, 1, &a);
    render(&a, "apt-get -q -y -oDpkg::Options::=--force-confold "
               "-oDpkg::Options::=--force-confdef --no-install-recommends --only-upgrade "
               "install openssl=3.0.13-1");
    apt->reinstall(&root, files, 1, &a);
    render(&a, "dpkg --root=/srv/r --force-confold --force-confdef --install -- '/k/a b.deb'");
    apt->download(&root, &p[1], "/k", &a);
    render(&a, "env -C /k apt-get -q -y -oDir=/srv/r/ "
               "-oDir::State::status=/srv/r/var/lib/dpkg/status -oDPkg::Options::=--root=/srv/r "
               "-oAPT::Sandbox::User=root download libc6=1:2.36-8");
    assert_true(apt->cache_path(&root, &p[1], &b));
    assert_string_equal(pl_buf_cstr(&b),
                        "/srv/r/var/cache/apt/archives/libc6_1%3a2.36-8_amd64.deb");
    dnf->install(&root, p, 1, &a);
    render(&a, "dnf -y -q --installroot=/srv/r --setopt=install_weak_deps=False upgrade "
               "openssl-3.0.13-1");
    dnf->reinstall(&root, files, 1, &a);
    render(&a, "rpm --root /srv/r --dbpath /var/lib/rpm --upgrade --oldpackage --replacepkgs -- "
               "'/k/a b.deb'");
    pl__apply_exec_env(&root, &a);
    assert_string_equal(a.v[a.n - 1], "APT_CONFIG=/srv/j/apt.conf");
    assert_string_equal(a.v[2], "DEBIAN_FRONTEND=noninteractive");
    pl__apply_argv_release(&a);
    pl_buf_release(&b);
}

/* Two stores in one folder never share a job folder: STORE.jobs/ID (issue 11 item 3). */
static void job_folders_are_per_store(void **state)
{
    char *d = make_tmpdir(), a[128], b[128], want[160];
    struct pl_store *sa = NULL, *sb = NULL;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf dir = PL_BUF_INIT(0);

    (void)state;
    snprintf(a, sizeof(a), "%s/a.db", d);
    snprintf(b, sizeof(b), "%s/b.db", d);
    assert_int_equal(pl_store_open(a, PL_STORE_CREATE, &sa, &err), PL_OK);
    assert_int_equal(pl_store_open(b, PL_STORE_CREATE, &sb, &err), PL_OK);
    assert_int_equal(pl__apply_job_dir(sa, 1, &dir, &err), PL_OK);
    snprintf(want, sizeof(want), "%s/a.db.jobs/1", d);
    assert_string_equal(pl_buf_cstr(&dir), want);
    assert_int_equal(pl__apply_job_dir(sb, 1, &dir, &err), PL_OK);
    snprintf(want, sizeof(want), "%s/b.db.jobs/1", d);
    assert_string_equal(pl_buf_cstr(&dir), want);
    assert_int_equal(pl__apply_job_dir(sb, 0, &dir, &err), PL_OK);
    snprintf(want, sizeof(want), "%s/b.db.jobs", d);
    assert_string_equal(pl_buf_cstr(&dir), want);
    pl_buf_release(&dir);
    pl_store_close(sa);
    pl_store_close(sb);
    remove_tree(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_follow_policy),
        cmocka_unit_test(versions_follow_schemes),
        cmocka_unit_test(config_parses_argv_and_settings),
        cmocka_unit_test(config_errors_name_line_and_key),
        cmocka_unit_test(config_trust_rule_as_root),
        cmocka_unit_test(roots_never_alias_the_host),
        cmocka_unit_test(sandbox_refuses_foreign_folders),
        cmocka_unit_test(executors_build_exact_argv),
        cmocka_unit_test(job_folders_are_per_store),
    };
    return cmocka_run_group_tests_name("apply", tests, NULL, NULL);
}
