/*
 * test_apply_real.c - the local executor for real: apt and dpkg patch a
 * throwaway root built by tests/apply/ (two versions of a package with a
 * dependency and a postinst), the finding closes, a rollback restores v1
 * from the kept file after the repository dropped it, a failing health check
 * rolls back, hostile names and untrusted files are refused, a rollout halts
 * and resumes. Runs as root
 * only (dpkg runs maintainer scripts through chroot); skips otherwise.
 */
#include <setjmp.h>
#include <sqlite3.h>
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
#include "patchline/clock.h"
#include "patchline/file.h"
#include "patchline/inventory.h"
#include "patchline/spawn.h"
#include "patchline/store.h"

#include "apply/apply_int.h"

/* One throwaway world: repository, root, store. */
struct world {
    char dir[64];
    char repo[128], root[128], db[128], conf[128], aptconf[128];
    struct pl_store *s;
};

static int run_env(struct pl_buf *out, const char *const *env, const char *const *argv)
{
    struct pl_spawn_opts o = {env, 0, 0, 120L * 1000};
    struct pl_spawn_result r;
    struct pl_error err = PL_ERROR_INIT;

    if (pl_spawn_run(argv, &o, out, NULL, &r, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return r.exit_code;
}

static int run(struct pl_buf *out, const char *const *argv)
{
    return run_env(out, NULL, argv);
}

static bool have(const char *prog)
{
    const char *argv[] = {"sh", "-c", "command -v \"$0\" >/dev/null", prog, NULL};

    return run(NULL, argv) == 0;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static char *script(const char *name)
{
    static char path[4096];
    const char *src = getenv("PL_SOURCE_DIR");

    assert_true(snprintf(path, sizeof(path), "%s/tests/apply/%s", src ? src : ".", name) <
                (int)sizeof(path));
    return path;
}

/* SQL run by the test on the store file (the store API has no finding writer yet). */
static void sql(const struct world *w, const char *q, char *out, size_t size)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    size_t len = 0;

    assert_int_equal(sqlite3_open(w->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    if (out)
        out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; out && i < sqlite3_column_count(st); i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            int n = snprintf(out + len, size - len, "%s%s", i ? "|" : (len ? ";" : ""),
                             t ? (const char *)t : "NULL");

            assert_true(n >= 0 && (size_t)n < size - len);
            len += (size_t)n;
        }
    }
    assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
    sqlite3_close(db);
}

/* The root's installed packages as "name version;..." (dpkg-query on its admin dir). */
static void installed(const struct world *w, char *out, size_t size)
{
    char admindir[160];
    struct pl_buf b = PL_BUF_INIT(0);
    const char *argv[] = {"dpkg-query", admindir, "-W", "-f=${Package} ${Version};", NULL};

    snprintf(admindir, sizeof(admindir), "--admindir=%s/var/lib/dpkg", w->root);
    assert_int_equal(run(&b, argv), 0);
    assert_true(snprintf(out, size, "%s", pl_buf_cstr(&b)) < (int)size);
    pl_buf_release(&b);
}

static void marker(const struct world *w, const char *want)
{
    char path[200];
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;

    snprintf(path, sizeof(path), "%s/var/lib/pltest/marker", w->root);
    assert_int_equal(pl_file_read(path, 4096, &b, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&b), want);
    pl_buf_release(&b);
}

/* apt-get on the root as the set-up does it (not through Patchline). */
static void apt_at(const char *root, const char *aptconf, const char *a1, const char *a2)
{
    char o1[200], o2[200], o3[200], env_cfg[200];
    const char *env[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND=noninteractive",
                         env_cfg, NULL};
    const char *argv[] = {"apt-get", "-q", "-y", o1, o2, o3, "-oAPT::Sandbox::User=root",
                          a1,        a2,   NULL};

    snprintf(o1, sizeof(o1), "-oDir=%s/", root);
    snprintf(o2, sizeof(o2), "-oDir::State::status=%s/var/lib/dpkg/status", root);
    snprintf(o3, sizeof(o3), "-oDPkg::Options::=--root=%s", root);
    snprintf(env_cfg, sizeof(env_cfg), "APT_CONFIG=%s", aptconf);
    assert_int_equal(run_env(NULL, env, argv), 0);
}

static void apt_root(const struct world *w, const char *a1, const char *a2)
{
    apt_at(w->root, w->aptconf, a1, a2);
}

static bool world_make(struct world *w, bool with_v1)
{
    const char *tools[] = {"apt-get", "dpkg-deb", "dpkg-scanpackages", "fakeroot", "busybox"};
    struct pl_collect_opts co = {NULL, NULL};
    struct pl_collect_summary sum;
    struct pl_error err = PL_ERROR_INIT;
    char tmpl[] = "/tmp/pl-apply-XXXXXX", text[300], srcs[200];

    if (geteuid() != 0) {
        print_message("skipping: dpkg runs maintainer scripts through chroot, which needs root\n");
        return false;
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(tools); i++)
        if (!have(tools[i])) {
            print_message("skipping: %s is not installed (scripts/install-deps)\n", tools[i]);
            return false;
        }
    memset(w, 0, sizeof(*w));
    assert_non_null(mkdtemp(tmpl));
    snprintf(w->dir, sizeof(w->dir), "%s", tmpl);
    snprintf(w->repo, sizeof(w->repo), "%s/r", w->dir);
    snprintf(w->root, sizeof(w->root), "%s/root", w->dir);
    snprintf(w->db, sizeof(w->db), "%s/store.db", w->dir);
    snprintf(w->conf, sizeof(w->conf), "%s/apply.conf", w->dir);
    snprintf(w->aptconf, sizeof(w->aptconf), "%s/apt.conf", w->dir);
    snprintf(srcs, sizeof(srcs), "%s/sources.list", w->repo);
    /* the one rule every test here keeps: never the host's / */
    assert_true(strncmp(w->root, "/tmp/pl-apply-", 14) == 0 && strcmp(w->root, "/") != 0);
    {
        const char *mkrepo[] = {script("mkrepo.sh"), w->repo, NULL};

        assert_int_equal(run(NULL, mkrepo), 0);
    }
    {
        const char *mkroot[] = {script("mkroot.sh"), w->root, srcs, NULL};

        assert_int_equal(run(NULL, mkroot), 0);
    }
    snprintf(text, sizeof(text), "Dir \"%s/\";\n", w->root);
    write_file(w->aptconf, text, 0644);
    apt_root(w, "update", NULL);
    if (with_v1)
        apt_root(w, "install", "pltest-app=1.0-1");
    /* a simulated store (the clock is set), collected before the first case's time */
    pl_clock_set(1772323200 - 86400);
    assert_int_equal(pl_store_open(w->db, PL_STORE_CREATE, &w->s, &err), PL_OK);
    co.root = w->root;
    assert_int_equal(pl_inventory_collect(w->s, &co, &sum, &err), PL_OK);
    assert_int_equal(sum.asset_id, 1);
    return true;
}

static void world_free(struct world *w)
{
    const char *argv[] = {"rm", "-rf", "--", w->dir, NULL};

    pl_store_close(w->s);
    assert_true(strncmp(w->dir, "/tmp/pl-apply-", 14) == 0);
    assert_int_equal(run(NULL, argv), 0);
    pl_clock_unset();
}

static void add_finding_to(struct world *w, int asset, const char *package)
{
    char q[512];

    snprintf(q, sizeof(q),
             "INSERT INTO findings (asset_id, vuln_id, package, installed_version, "
             "fixed_version, first_seen, tier) VALUES (%d, 'CVE-2026-0001', '%s', '1.0-1', "
             "'2.0-1', 0, 0)",
             asset, package);
    sql(w, q, NULL, 0);
}

static void add_finding(struct world *w, const char *package)
{
    add_finding_to(w, 1, package);
}

/* Drop v1 from the repository and from the root's package lists. */
static void repo_drop_v1(struct world *w)
{
    char deb[200], q[300];
    const char *argv[] = {"sh", "-c", "cd \"$0\" && dpkg-scanpackages -m . /dev/null >Packages",
                          NULL, NULL};

    snprintf(deb, sizeof(deb), "%s/repo/pltest-app_1.0-1_all.deb", w->repo);
    assert_int_equal(unlink(deb), 0);
    snprintf(q, sizeof(q), "%s/repo", w->repo);
    argv[3] = q;
    assert_int_equal(run(NULL, argv), 0);
    apt_root(w, "update", NULL);
}

static void apply_opts(struct pl_apply_opts *o, const struct world *w)
{
    memset(o, 0, sizeof(*o));
    o->asset = "plapply-test";
    o->root = w->root;
}

static void upgrade_then_rollback_from_kept_file(struct world *w)
{
    struct pl_apply_opts o;
    struct pl_apply_result res;
    struct pl_error err = PL_ERROR_INIT;
    char got[512];

    apply_opts(&o, w);
    pl_clock_set(1772323200); /* 2026-03-01T00:00:00Z */
    assert_int_equal(pl_apply_run(w->s, &o, &res, &err), PL_OK);
    assert_string_equal(res.status, "succeeded");
    assert_int_equal(res.job_id, 1);
    assert_int_equal(res.n_packages, 1);
    assert_int_equal(res.n_fixed, 1);
    assert_string_equal(res.health, "none");
    assert_string_equal(res.reboot, "not required");
    installed(w, got, sizeof(got));
    assert_string_equal(got, "pltest-app 2.0-1;pltest-lib 1.0-1;");
    marker(w, "configured 2.0-1 (was 1.0-1)\n");
    sql(w, "SELECT status, resolved_at FROM findings", got, sizeof(got));
    assert_string_equal(got, "fixed|1772323200");
    sql(w, "SELECT job_id, outcome, version_seen FROM job_findings", got, sizeof(got));
    assert_string_equal(got, "1|fixed|2.0-1");
    sql(w, "SELECT before_version, after_version, kept_how FROM job_packages", got, sizeof(got));
    assert_string_equal(got, "1.0-1|2.0-1|download");

    repo_drop_v1(w);
    pl_clock_set(1772409600); /* 2026-03-02 */
    assert_int_equal(pl_apply_rollback(w->s, 1, &o, &res, &err), PL_OK);
    assert_string_equal(res.status, "succeeded");
    assert_int_equal(res.job_id, 2);
    installed(w, got, sizeof(got));
    assert_string_equal(got, "pltest-app 1.0-1;pltest-lib 1.0-1;");
    marker(w, "configured 1.0-1 (was 2.0-1)\n");
    sql(w, "SELECT status, resolved_at FROM findings", got, sizeof(got));
    assert_string_equal(got, "open|NULL");
    sql(w, "SELECT id, kind, status, coalesce(parent_id, '-') FROM jobs ORDER BY id", got,
        sizeof(got));
    assert_string_equal(got, "1|apply|rolled-back|-;2|rollback|succeeded|1");
}

static void health_failure_rolls_back(struct world *w, bool repack)
{
    struct pl_apply_opts o;
    struct pl_apply_result res;
    struct pl_error err = PL_ERROR_INIT;
    char got[1024], text[600];

    snprintf(text, sizeof(text),
             "health = [\"/bin/false\"]\nnotify = [\"/usr/bin/tee\", \"%s/notified.json\"]\n",
             w->dir);
    write_file(w->conf, text, 0644);
    apply_opts(&o, w);
    o.config_path = w->conf;
    pl_clock_set(1772496000); /* 2026-03-03 */
    assert_int_equal(pl_apply_run(w->s, &o, &res, &err), PL_OK);
    installed(w, got, sizeof(got));
    assert_string_equal(got, "pltest-app 1.0-1;pltest-lib 1.0-1;");
    sql(w, "SELECT status, resolved_at FROM findings", got, sizeof(got));
    assert_string_equal(got, "open|NULL");
    if (!repack) { /* v1 is gone from the repository and cannot be rebuilt: nothing runs */
        assert_string_equal(res.status, "failed");
        sql(w, "SELECT error FROM jobs WHERE id = 3", got, sizeof(got));
        assert_string_equal(got, "cannot keep pltest-app 1.0-1 for rollback: not in the cache, "
                                 "not downloadable, not rebuildable");
        return;
    }
    assert_string_equal(res.status, "rolled-back");
    assert_string_equal(res.health, "failed");
    assert_int_equal(res.n_fixed, 0);
    assert_int_equal(res.n_not_fixed, 1);
    marker(w, "configured 1.0-1 (was 2.0-1)\n");
    sql(w, "SELECT before_version, after_version, kept_how FROM job_packages WHERE job_id = 3", got,
        sizeof(got));
    assert_string_equal(got, "1.0-1|2.0-1|repack");
    sql(w, "SELECT outcome, version_seen FROM job_findings WHERE job_id = 3", got, sizeof(got));
    assert_string_equal(got, "reopened|2.0-1");
    sql(w, "SELECT status, health, error FROM jobs WHERE id = 3", got, sizeof(got));
    assert_string_equal(got, "rolled-back|failed|the health check failed");
    snprintf(text, sizeof(text), "%s/notified.json", w->dir);
    {
        struct pl_buf b = PL_BUF_INIT(0);

        assert_int_equal(pl_file_read(text, 4096, &b, &err), PL_OK);
        snprintf(text, sizeof(text),
                 "{\"event\": \"rollback\", \"at\": \"2026-03-03T00:00:00Z\", \"job\": 3, "
                 "\"asset\": \"plapply-test\", \"root\": \"%s\", \"status\": \"rolled-back\", "
                 "\"findings_closed\": 0, \"packages\": [{\"name\": \"pltest-app\", \"before\": "
                 "\"1.0-1\", \"after\": \"1.0-1\"}]}\n",
                 w->root);
        assert_string_equal(pl_buf_cstr(&b), text);
        pl_buf_release(&b);
    }
}

/* Through the command line: snapshot hook, passing health check, reboot by policy. */
static void cli_apply_with_hooks(struct world *w)
{
    const char *bin = getenv("PL_BINARY");
    char conf[600], flag[200], got[1024];
    struct pl_buf out = PL_BUF_INIT(0);
    const char *apply[] = {bin,     "--db",     w->db,          "--now",  "2026-03-04T00:00:00Z",
                           "apply", "--asset",  "plapply-test", "--root", w->root,
                           "--all", "--config", w->conf,        NULL};
    const char *jobs[] = {bin, "--db", w->db, "jobs", "--format", "csv", NULL};
    const char *show[] = {bin, "--db", w->db, "jobs", "show", "4", NULL};

    if (bin == NULL) {
        print_message("skipping the command-line phase: PL_BINARY is not set\n");
        return;
    }
    snprintf(conf, sizeof(conf),
             "snapshot = [\"/usr/bin/touch\", \"%s/snapshot-taken\"]\nhealth = [\"/bin/true\"]\n"
             "reboot_policy = reboot\nreboot = [\"/usr/bin/touch\", \"%s/rebooted\"]\n",
             w->dir, w->dir);
    write_file(w->conf, conf, 0600);
    snprintf(flag, sizeof(flag), "%s/var/run", w->root);
    assert_int_equal(mkdir(flag, 0755), 0);
    snprintf(flag, sizeof(flag), "%s/var/run/reboot-required", w->root);
    write_file(flag, "", 0644);
    assert_int_equal(run(&out, apply), 0);
    assert_string_equal(pl_buf_cstr(&out),
                        "1 findings closed, 0 still open\n"
                        "job 4 succeeded\n"
                        "job 4 succeeded: 1 packages, 1 findings closed, 0 still open, health "
                        "passed, reboot required: reboot command ran (exit 0)\n");
    installed(w, got, sizeof(got));
    assert_string_equal(got, "pltest-app 2.0-1;pltest-lib 1.0-1;");
    snprintf(flag, sizeof(flag), "%s/snapshot-taken", w->dir);
    assert_true(pl_path_exists(flag));
    snprintf(flag, sizeof(flag), "%s/rebooted", w->dir);
    assert_true(pl_path_exists(flag));
    assert_int_equal(run(&out, show), 0);
    assert_non_null(strstr(pl_buf_cstr(&out), "\nstatus: succeeded\nhealth: passed; reboot: "
                                              "required: reboot command ran (exit 0)\n"));
    assert_non_null(
        strstr(pl_buf_cstr(&out), "\n  pltest-app: 1.0-1 -> 2.0-1 (target 2.0-1), kept: repack "));
    assert_non_null(strstr(pl_buf_cstr(&out), "\n  1 CVE-2026-0001: fixed (version seen 2.0-1)\n"));
    assert_non_null(strstr(pl_buf_cstr(&out), " snapshot: $ /usr/bin/touch "));
    assert_int_equal(run(&out, jobs), 0); /* CSV: RFC 4180 line ends */
    assert_string_equal(
        pl_buf_cstr(&out),
        "id,kind,asset,executor,status,health,parent,created,finished\r\n"
        "4,apply,plapply-test,apt,succeeded,passed,,2026-03-04T00:00:00Z,2026-03-04T00:00:00Z\r\n"
        "3,apply,plapply-test,apt,rolled-back,failed,,2026-03-03T00:00:00Z,2026-03-03T00:00:00Z\r\n"
        "2,rollback,plapply-test,apt,succeeded,none,1,2026-03-02T00:00:00Z,2026-03-02T00:00:00Z\r\n"
        "1,apply,plapply-test,apt,rolled-back,none,,2026-03-01T00:00:00Z,2026-03-01T00:00:00Z\r\n");
    pl_buf_release(&out);
}

static void real_apt_upgrade_verify_rollback(void **state)
{
    struct world w;

    (void)state;
    if (!world_make(&w, true))
        skip();
    add_finding(&w, "pltest-app");
    upgrade_then_rollback_from_kept_file(&w);
    health_failure_rolls_back(&w, have("dpkg-repack"));
    if (have("dpkg-repack"))
        cli_apply_with_hooks(&w);
    world_free(&w);
}

static void expect_refused(struct world *w, const struct pl_apply_opts *o, pl_status code,
                           const char *msg)
{
    struct pl_apply_result res;
    struct pl_error err = PL_ERROR_INIT;
    char got[64];

    assert_int_equal(pl_apply_run(w->s, o, &res, &err), code);
    assert_string_equal(err.msg, msg);
    sql(w, "SELECT count(*) FROM jobs", got, sizeof(got));
    assert_string_equal(got, "0");
}

/* A version the repository does not have: apt fails, nothing moved, the job says so. */
static void install_failure_changes_nothing(struct world *w)
{
    struct pl_apply_pkg pkg = {"pltest-app", "9.9-1"};
    struct pl_apply_opts o;
    struct pl_apply_result res;
    struct pl_error err = PL_ERROR_INIT;
    char got[256];

    assert_int_equal(chmod(w->db, 0644), 0);
    apply_opts(&o, w);
    o.packages = &pkg;
    o.n_packages = 1;
    assert_int_equal(pl_apply_run(w->s, &o, &res, &err), PL_OK);
    assert_string_equal(res.status, "failed");
    installed(w, got, sizeof(got));
    assert_string_equal(got, "pltest-app 1.0-1;pltest-lib 1.0-1;");
    sql(w, "SELECT status, error FROM jobs", got, sizeof(got));
    assert_string_equal(got, "failed|the install command failed: nothing was changed");
    sql(w, "SELECT exit_code FROM job_log WHERE step = 'install'", got, sizeof(got));
    assert_string_equal(got, "100");
}

static void real_hostile_and_untrusted_refused(void **state)
{
    static const char *const names[] = {"pltest-app;touch /tmp/pl-apply-pwned", "$(id)",
                                        "-oAPT::Get::Trivial-Only=false"};
    struct pl_apply_pkg pkg = {NULL, "2.0-1"};
    struct pl_apply_opts o;
    struct world w;
    char msg[512];

    (void)state;
    if (!world_make(&w, true))
        skip();
    apply_opts(&o, &w);
    o.packages = &pkg;
    o.n_packages = 1;
    for (size_t i = 0; i < PL_ARRAY_LEN(names); i++) {
        pkg.name = names[i];
        snprintf(msg, sizeof(msg), "--package: '%s' is not a valid dpkg package name", names[i]);
        expect_refused(&w, &o, PL_E_INVALID, msg);
    }
    pkg.name = "pltest-app";
    pkg.version = "2.0-1 -oDebug::pkgProblemResolver=1";
    expect_refused(&w, &o, PL_E_INVALID,
                   "--package: '2.0-1 -oDebug::pkgProblemResolver=1' is not a valid dpkg version");
    /* a hostile name arriving through a finding (a feed) is refused the same way */
    o.n_packages = 0;
    add_finding(&w, "pltest-app;touch /tmp/pl-apply-pwned");
    expect_refused(&w, &o, PL_E_INVALID,
                   "finding 1: 'pltest-app;touch /tmp/pl-apply-pwned' is not a valid dpkg "
                   "package name");
    assert_false(pl_path_exists("/tmp/pl-apply-pwned"));
    /* untrusted config and store: refused before anything runs */
    write_file(w.conf, "health = [\"/bin/true\"]\n", 0664);
    o.config_path = w.conf;
    snprintf(msg, sizeof(msg),
             "config '%s' is writable by its group (mode 0664): refusing it when running as root",
             w.conf);
    expect_refused(&w, &o, PL_E_INVALID, msg);
    assert_int_equal(chmod(w.db, 0664), 0);
    snprintf(msg, sizeof(msg),
             "store '%s' is writable by its group (mode 0664): refusing it when running as root",
             w.db);
    expect_refused(&w, &o, PL_E_INVALID, msg);
    assert_int_equal(chmod(w.db, 0644), 0);
    /* a keep folder others can write (they could plant a package file) */
    o.config_path = NULL;
    o.packages = &pkg;
    o.n_packages = 1;
    pkg.version = "2.0-1";
    snprintf(msg, sizeof(msg), "%s.jobs", w.db);
    assert_int_equal(mkdir(msg, 0700), 0);
    assert_int_equal(chmod(msg, 0777), 0);
    {
        char want[700];

        snprintf(want, sizeof(want),
                 "keep folder '%s' is writable by others (mode 0777): refusing it when running as "
                 "root",
                 msg);
        expect_refused(&w, &o, PL_E_INVALID, want);
    }
    assert_int_equal(chmod(msg, 0700), 0);
    install_failure_changes_nothing(&w);
    world_free(&w);
}

/* A second throwaway root with v1 installed, recorded as asset 2 "plapply-two". */
static void second_root(struct world *w, char *root2, size_t size)
{
    char srcs[200], conf[200], text[300];
    struct pl_collect_opts co = {root2, NULL};
    struct pl_collect_summary sum;
    struct pl_error err = PL_ERROR_INIT;
    const char *mkroot[] = {script("mkroot.sh"), root2, srcs, NULL};

    snprintf(root2, size, "%s/root2", w->dir);
    snprintf(srcs, sizeof(srcs), "%s/sources.list", w->repo);
    snprintf(conf, sizeof(conf), "%s/apt2.conf", w->dir);
    assert_int_equal(run(NULL, mkroot), 0);
    snprintf(text, sizeof(text), "%s/etc/hostname", root2); /* another machine */
    write_file(text, "plapply-two\n", 0644);
    snprintf(text, sizeof(text), "Dir \"%s/\";\n", root2);
    write_file(conf, text, 0644);
    apt_at(root2, conf, "update", NULL);
    apt_at(root2, conf, "install", "pltest-app=1.0-1");
    assert_int_equal(pl_inventory_collect(w->s, &co, &sum, &err), PL_OK);
    assert_int_equal(sum.asset_id, 2);
}

static void rollout_run(struct world *w, const struct pl_rollout *r, pl_time_t now,
                        const char *conf, struct pl_rollout_result *res)
{
    struct pl_apply_opts o;
    struct pl_error err = PL_ERROR_INIT;

    apply_opts(&o, w);
    o.config_path = w->conf;
    write_file(w->conf, conf, 0644);
    pl_clock_set(now);
    assert_int_equal(pl_apply_rollout(w->s, r, &o, 0, res, &err), PL_OK);
}

/*
 * Two waves (staging: asset 2; prod pilot: asset 1). A failing health check
 * halts at wave 1 (failure rate), then a failing staging regression test
 * halts again, then the rollout resumes and completes without patching asset
 * 2 twice, and a last run does nothing.
 */
static void real_rollout_halts_and_resumes(void **state)
{
    static const int64_t f1[] = {1}, f2[] = {2};
    struct world w;
    char root2[160], got[512], conf[600], want[600];
    struct pl_rollout_asset a1 = {"plapply-test", NULL, f1, 1}, a2 = {"plapply-two", root2, f2, 1};
    struct pl_rollout_wave waves[] = {
        {1, "staging", "all", 0.0, &a2, 1, 0, false, NULL, NULL, NULL},
        {2, "prod", "pilot", 0.0, &a1, 1, 0, false, NULL, NULL, NULL}};
    struct pl_rollout r = {7, waves, 2};
    struct pl_rollout_result res;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);

    (void)state;
    if (!world_make(&w, true))
        skip();
    a1.root = w.root;
    second_root(&w, root2, sizeof(root2));
    add_finding_to(&w, 1, "pltest-app");
    add_finding_to(&w, 2, "pltest-app");
    snprintf(conf, sizeof(conf),
             "health = [\"/bin/sleep\", \"5\"]\nhealth_timeout = 1s\n"
             "notify = [\"/usr/bin/tee\", \"%s/event.json\"]\n",
             w.dir);
    rollout_run(&w, &r, 1772323200, conf, &res);
    assert_string_equal(res.state, "halted");
    assert_int_equal(res.halted_wave, 1);
    assert_string_equal(res.reason, "staging ring all: 1 of 1 assets failed (100% > 0%)");
    assert_int_equal(res.failed, 1);
    snprintf(got, sizeof(got), "%s/event.json", w.dir);
    assert_int_equal(pl_file_read(got, 4096, &b, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&b),
                        "{\"event\": \"rollout-halted\", \"at\": \"2026-03-01T00:00:00Z\", "
                        "\"rollout\": 7, \"wave\": 1, \"reason\": \"staging ring all: 1 of 1 "
                        "assets failed (100% > 0%)\"}\n");
    pl_buf_release(&b);

    snprintf(conf, sizeof(conf),
             "health = [\"/bin/true\"]\nregression_staging = [\"/bin/false\"]\n");
    rollout_run(&w, &r, 1772409600, conf, &res);
    assert_string_equal(res.state, "halted");
    assert_string_equal(res.reason, "regression test of staging failed (exited with status 1)");
    assert_int_equal(res.applied, 1);

    snprintf(conf, sizeof(conf),
             "health = [\"/bin/true\"]\nregression_staging = [\"/bin/true\"]\n");
    rollout_run(&w, &r, 1772496000, conf, &res);
    assert_string_equal(res.state, "completed");
    assert_int_equal(res.skipped, 1);
    assert_int_equal(res.applied, 1);
    rollout_run(&w, &r, 1772582400, conf, &res);
    assert_string_equal(res.state, "completed");
    assert_int_equal(res.applied + res.skipped + res.failed, 0);

    sql(&w, "SELECT asset_id, wave, status, health FROM jobs ORDER BY id", got, sizeof(got));
    assert_string_equal(got, "2|1|rolled-back|timeout;2|1|succeeded|passed;1|2|succeeded|passed");
    sql(&w, "SELECT rollout_id, wave, asset_id, state, attempts FROM rollout_assets ORDER BY wave",
        got, sizeof(got));
    assert_string_equal(got, "7|1|2|succeeded|2;7|2|1|succeeded|1");
    sql(&w, "SELECT state, halted_wave, reason FROM rollouts", got, sizeof(got));
    assert_string_equal(got, "completed|NULL|NULL");
    sql(&w, "SELECT group_concat(status) FROM findings", got, sizeof(got));
    assert_string_equal(got, "fixed,fixed");
    snprintf(want, sizeof(want), "%s", "pltest-app 2.0-1;pltest-lib 1.0-1;");
    installed(&w, got, sizeof(got));
    assert_string_equal(got, want);
    world_free(&w);
}

/* Run `patchline apply --rollout 5` at `now` with config text; returns the exit code. */
static int cli_rollout(struct world *w, const char *now, const char *conf, struct pl_buf *out)
{
    char root_map[200];
    const char *argv[] = {
        getenv("PL_BINARY"), "--db",   w->db,      "--now", now, "apply", "--rollout", "5",
        "--asset-root",      root_map, "--config", w->conf, NULL};

    snprintf(root_map, sizeof(root_map), "plapply-test=%s", w->root);
    write_file(w->conf, conf, 0644);
    return run(out, argv);
}

/* A stored plan run from the command line: window, approval, command trust, completion. */
static void real_rollout_from_plan(void **state)
{
    struct world w;
    struct pl_buf out = PL_BUF_INIT(0);
    const char *ok_conf = "health = [\"/bin/true\"]\nregression_prod = [\"/bin/true\"]\n";
    char got[256];

    (void)state;
    if (getenv("PL_BINARY") == NULL || !world_make(&w, true))
        skip();
    add_finding(&w, "pltest-app");
    sql(&w,
        "INSERT INTO plans (id, created_at, requester, source, sha256, horizon_secs, n_findings, "
        "n_misses) VALUES (5, 0, 'test', 'test', '', 0, 1, 0)",
        NULL, 0);
    sql(&w,
        "INSERT INTO waves (plan_id, seq, lane, environment, ring, ring_name, window_name, starts_at, ends_at, tier, "
        "needs_approval, sign_off, watch_secs, halt_failure_rate, health_check, regression_test) "
        "VALUES (5, 1, 'standard', 'prod', 1, 'pilot', 'sun', 1772323200, 1772330400, 2, 1, "
        "'none', 0, 0.0, '[\"/bin/true\"]', '[\"/bin/true\"]')",
        NULL, 0);
    sql(&w, "INSERT INTO wave_items VALUES ((SELECT id FROM waves), 1, 1, 'pltest-app', '2.0-1')",
        NULL, 0);
    assert_int_equal(cli_rollout(&w, "2026-02-28T00:00:00Z", ok_conf, &out), 0);
    assert_string_equal(pl_buf_cstr(&out),
                        "rollout 5 waits: wave 1 opens at 2026-03-01T00:00:00Z\n"
                        "rollout 5 waiting: 0 applied, 0 already done, 0 failed: wave 1 opens at "
                        "2026-03-01T00:00:00Z\n");
    assert_int_equal(cli_rollout(&w, "2026-03-01T00:30:00Z", ok_conf, &out), 3);
    assert_non_null(strstr(pl_buf_cstr(&out), "\nrollout 5 halted: 0 applied, 0 already done, 0 "
                                              "failed: wave 1 needs approval (patchline plan "
                                              "approve)\n"));
    sql(&w,
        "INSERT INTO approvals (plan_id, wave_seq, kind, actor, at, at_real) VALUES (5, 1, "
        "'approve', 'sec-lead', 0, 0)",
        NULL, 0);
    assert_int_equal(cli_rollout(&w, "2026-03-01T00:30:00Z", "health = [\"/bin/true\"]\n", &out),
                     3);
    assert_non_null(strstr(pl_buf_cstr(&out),
                           "wave 1: the plan's command [\"/bin/true\"] is not the config's "
                           "regression_prod; commands run as root come from the apply config "
                           "only\n"));
    assert_int_equal(cli_rollout(&w, "2026-03-01T00:30:00Z", ok_conf, &out), 0);
    assert_non_null(
        strstr(pl_buf_cstr(&out), "\nrollout 5 completed: 1 applied, 0 already done, 0 failed\n"));
    installed(&w, got, sizeof(got));
    assert_string_equal(got, "pltest-app 2.0-1;pltest-lib 1.0-1;");
    assert_int_equal(cli_rollout(&w, "2026-03-01T01:00:00Z", ok_conf, &out), 0);
    assert_string_equal(pl_buf_cstr(&out), "rollout 5 is already completed\n"
                                           "rollout 5 completed: 0 applied, 0 already done, 0 "
                                           "failed\n");
    sql(&w, "SELECT rollout_id, wave, status FROM jobs", got, sizeof(got));
    assert_string_equal(got, "5|1|succeeded");
    pl_buf_release(&out);
    world_free(&w);
}

/* A rollback refused before anything runs: no job added, pltest-app still at 2.0-1. */
static void expect_rollback_refused(struct world *w, const char *msg, bool prefix)
{
    struct pl_apply_opts o;
    struct pl_apply_result res;
    struct pl_error err = PL_ERROR_INIT;
    char got[256];

    apply_opts(&o, w);
    assert_int_equal(pl_apply_rollback(w->s, 1, &o, &res, &err), PL_E_INVALID);
    if (prefix)
        assert_int_equal(strncmp(err.msg, msg, strlen(msg)), 0);
    else
        assert_string_equal(err.msg, msg);
    sql(w, "SELECT count(*) FROM jobs", got, sizeof(got));
    assert_string_equal(got, "1");
    installed(w, got, sizeof(got));
    assert_string_equal(got, "pltest-app 2.0-1;pltest-lib 1.0-1;");
}

/* Plant a file at dir/rel (folders made 0777), as the user nobody would. */
static void plant(const char *dir, const char *rel)
{
    char path[400];
    const char *argv[] = {"sh", "-c", "mkdir -p \"$(dirname \"$0\")\" && echo planted >\"$0\"",
                          path, NULL};

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    assert_int_equal(run(NULL, argv), 0);
}

/*
 * Issue 11 items 1 and 2: an apply through a relative store path records
 * absolute kept files; rollback run from a folder another user controls
 * never picks up files there; a kept file that was changed, moved out of
 * its job folder, given away, left in a folder others can write, or has no
 * recorded digest is refused; a rollback never lowers a package above the
 * version its job installed, and apply never lowers a version.
 */
static void real_kept_files_trusted(void **state)
{
    struct pl_apply_pkg down = {"pltest-app", "1.0-1"};
    struct pl_apply_opts o;
    struct pl_apply_result res;
    struct pl_error err = PL_ERROR_INIT;
    char cwd[4096], kept[512], sha[80], jobdir[200], evil[200], q[700], msg[900], got[512];
    struct pl_buf bytes = PL_BUF_INIT(0);
    struct world w;

    (void)state;
    if (!world_make(&w, true))
        skip();
    add_finding(&w, "pltest-app");
    /* the store opened through a relative path */
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    pl_store_close(w.s);
    assert_int_equal(chdir(w.dir), 0);
    assert_int_equal(pl_store_open("store.db", 0, &w.s, &err), PL_OK);
    apply_opts(&o, &w);
    pl_clock_set(1772323200);
    assert_int_equal(pl_apply_run(w.s, &o, &res, &err), PL_OK);
    assert_string_equal(res.status, "succeeded");
    snprintf(jobdir, sizeof(jobdir), "%s/store.db.jobs/1", w.dir);
    sql(&w, "SELECT keep_dir FROM jobs WHERE id = 1", got, sizeof(got));
    assert_string_equal(got, jobdir);
    sql(&w, "SELECT kept_file FROM job_packages", kept, sizeof(kept));
    assert_int_equal(strncmp(kept, jobdir, strlen(jobdir)), 0);
    sql(&w, "SELECT kept_sha256 FROM job_packages", sha, sizeof(sha));
    assert_int_equal(strlen(sha), 64);

    /* rollback runs from a folder another user controls, with files planted there */
    snprintf(evil, sizeof(evil), "%s/evil", w.dir);
    assert_int_equal(mkdir(evil, 0777), 0);
    assert_int_equal(chmod(evil, 0777), 0);
    plant(evil, kept + strlen(w.dir) + 1);
    plant(evil, "patchline-jobs/1/pltest-app_1.0-1_all.deb");
    assert_int_equal(chdir(evil), 0);

    /* the kept file changed after it was kept */
    assert_int_equal(pl_file_read(kept, 0, &bytes, &err), PL_OK);
    assert_int_equal(pl_file_write(NULL, kept, "tampered\n", 9, 0600, &err), PL_OK);
    snprintf(msg, sizeof(msg), "kept file '%s' has changed since it was kept", kept);
    expect_rollback_refused(&w, msg, true);
    assert_int_equal(pl_file_write(NULL, kept, bytes.buf, bytes.len, 0600, &err), PL_OK);
    /* a job row pointing at a file of another user in a world-writable folder */
    snprintf(q, sizeof(q), "UPDATE job_packages SET kept_file = '%s/x.deb'", evil);
    sql(&w, q, NULL, 0);
    snprintf(msg, sizeof(msg),
             "kept file '%s/x.deb' is not in the folder of job 1 ('%s'): refusing it", evil,
             jobdir);
    expect_rollback_refused(&w, msg, false);
    snprintf(q, sizeof(q), "UPDATE job_packages SET kept_file = '%s'", kept);
    sql(&w, q, NULL, 0);
    /* the kept file given to another user */
    assert_int_equal(chown(kept, 65534, 65534), 0);
    snprintf(msg, sizeof(msg),
             "kept file '%s' is owned by uid 65534, not root: refusing it when running as root",
             kept);
    expect_rollback_refused(&w, msg, false);
    assert_int_equal(chown(kept, 0, 0), 0);
    /* its job folder writable by a group */
    assert_int_equal(chmod(jobdir, 0770), 0);
    snprintf(msg, sizeof(msg),
             "folder '%s' is writable by its group (mode 0770): refusing it when running as root",
             jobdir);
    expect_rollback_refused(&w, msg, false);
    assert_int_equal(chmod(jobdir, 0700), 0);
    /* no digest recorded */
    sql(&w, "UPDATE job_packages SET kept_sha256 = NULL", NULL, 0);
    snprintf(msg, sizeof(msg),
             "kept file '%s' has no recorded digest (kept before digests were recorded): "
             "refusing it",
             kept);
    expect_rollback_refused(&w, msg, false);
    snprintf(q, sizeof(q), "UPDATE job_packages SET kept_sha256 = '%s'", sha);
    sql(&w, q, NULL, 0);

    /* the job installed 1.5-1 (say): 2.0-1 installed since is not lowered */
    sql(&w, "UPDATE job_packages SET after_version = '1.5-1'", NULL, 0);
    pl_clock_set(1772409600);
    assert_int_equal(pl_apply_rollback(w.s, 1, &o, &res, &err), PL_OK);
    assert_string_equal(res.status, "failed");
    installed(&w, got, sizeof(got));
    assert_string_equal(got, "pltest-app 2.0-1;pltest-lib 1.0-1;");
    sql(&w, "SELECT message FROM job_log WHERE job_id = 2 AND message LIKE '%lowering%'", got,
        sizeof(got));
    assert_string_equal(got, "pltest-app: installed 2.0-1 is newer than 1.5-1, which job 1 "
                             "installed: not lowering it");
    sql(&w, "UPDATE job_packages SET after_version = '2.0-1' WHERE job_id = 1", NULL, 0);

    /* the real rollback, still from the attacker's folder: the kept file, nothing planted */
    assert_int_equal(pl_apply_rollback(w.s, 1, &o, &res, &err), PL_OK);
    assert_string_equal(res.status, "succeeded");
    installed(&w, got, sizeof(got));
    assert_string_equal(got, "pltest-app 1.0-1;pltest-lib 1.0-1;");
    marker(&w, "configured 1.0-1 (was 2.0-1)\n");
    sql(&w, "SELECT group_concat(argv, ' ') FROM job_log WHERE job_id = 3 AND step = 'rollback'",
        got, sizeof(got));
    assert_non_null(strstr(got, kept));
    assert_null(strstr(got, evil));

    /* apply never lowers: an explicit older version installs nothing */
    assert_int_equal(pl_apply_run(w.s, &o, &res, &err), PL_OK); /* back to 2.0-1 */
    o.packages = &down;
    o.n_packages = 1;
    assert_int_equal(pl_apply_run(w.s, &o, &res, &err), PL_OK);
    assert_int_equal(res.n_packages, 0);
    installed(&w, got, sizeof(got));
    assert_string_equal(got, "pltest-app 2.0-1;pltest-lib 1.0-1;");
    assert_int_equal(chdir(cwd), 0);
    pl_buf_release(&bytes);
    world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_apt_upgrade_verify_rollback),
        cmocka_unit_test(real_hostile_and_untrusted_refused),
        cmocka_unit_test(real_rollout_halts_and_resumes),
        cmocka_unit_test(real_rollout_from_plan),
        cmocka_unit_test(real_kept_files_trusted),
    };
    return cmocka_run_group_tests_name("apply_real", tests, NULL, NULL);
}
