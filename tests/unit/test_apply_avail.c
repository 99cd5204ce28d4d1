/*
 * test_apply_avail.c - install what exists: on a throwaway apt root whose
 * repository (tests/apply/mkrepo_avail.sh) holds a version superseding the
 * fix, a binNMU of the fix and no fix at all for a third package, apply
 * installs the candidates apt offers (1.0-3, 2.0-2+b1), never the advisory's
 * fixed versions, and the third finding becomes 'awaiting-repo' with no job
 * installing it; it is reopened and fixed once the repository catches up.
 * The report counts it on its own line. Runs as root only (dpkg runs through
 * chroot); skips otherwise or when the tools are absent.
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
#include "patchline/clock.h"
#include "patchline/inventory.h"
#include "patchline/spawn.h"
#include "patchline/store.h"

#include "apply/apply_int.h"

struct world {
    char dir[64], repo[128], root[128], db[128], aptconf[128];
    struct pl_store *s;
    struct pl_buf said; /* the progress lines of the last run */
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

static char *script(const char *name)
{
    static char path[4096];
    const char *src = getenv("PL_SOURCE_DIR");

    assert_true(snprintf(path, sizeof(path), "%s/tests/apply/%s", src ? src : ".", name) <
                (int)sizeof(path));
    return path;
}

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

/* apt-get on the root as the set-up does it (not through Patchline). */
static void apt_root(const struct world *w, const char *const *args, size_t n)
{
    char o1[200], o2[200], o3[200], env_cfg[200];
    const char *env[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND=noninteractive",
                         env_cfg, NULL};
    const char *argv[16] = {"apt-get", "-q", "-y", o1, o2, o3, "-oAPT::Sandbox::User=root"};

    assert_true(n < 8);
    for (size_t i = 0; i < n; i++)
        argv[7 + i] = args[i];
    snprintf(o1, sizeof(o1), "-oDir=%s/", w->root);
    snprintf(o2, sizeof(o2), "-oDir::State::status=%s/var/lib/dpkg/status", w->root);
    snprintf(o3, sizeof(o3), "-oDPkg::Options::=--root=%s", w->root);
    snprintf(env_cfg, sizeof(env_cfg), "APT_CONFIG=%s", w->aptconf);
    assert_int_equal(run_env(NULL, env, argv), 0);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static bool world_make(struct world *w)
{
    const char *tools[] = {"apt-get",           "apt-cache", "dpkg-deb",
                           "dpkg-scanpackages", "fakeroot",  "busybox"};
    const char *update[] = {"update"};
    const char *install[] = {"install", "plavail-a=1.0-1", "plavail-b=2.0-1", "plavail-c=3.0-1"};
    struct pl_collect_opts co = {NULL, NULL};
    struct pl_collect_summary sum;
    struct pl_error err = PL_ERROR_INIT;
    char tmpl[] = "/tmp/pl-avail-XXXXXX", text[300], srcs[200];

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
    snprintf(w->aptconf, sizeof(w->aptconf), "%s/apt.conf", w->dir);
    snprintf(srcs, sizeof(srcs), "%s/sources.list", w->repo);
    /* never the host's / */
    assert_true(strncmp(w->root, "/tmp/pl-avail-", 14) == 0 && strcmp(w->root, "/") != 0);
    {
        const char *mkrepo[] = {script("mkrepo_avail.sh"), w->repo, NULL};

        assert_int_equal(run(NULL, mkrepo), 0);
    }
    {
        const char *mkroot[] = {script("mkroot.sh"), w->root, srcs, NULL};

        assert_int_equal(run(NULL, mkroot), 0);
    }
    snprintf(text, sizeof(text), "Dir \"%s/\";\n", w->root);
    write_file(w->aptconf, text);
    apt_root(w, update, 1);
    apt_root(w, install, 4);
    pl_clock_set(1772323200 - 86400);
    assert_int_equal(pl_store_open(w->db, PL_STORE_CREATE, &w->s, &err), PL_OK);
    co.root = w->root;
    assert_int_equal(pl_inventory_collect(w->s, &co, &sum, &err), PL_OK);
    assert_int_equal(sum.asset_id, 1);
    {
        struct pl_buf b = PL_BUF_INIT(0);

        w->said = b;
    }
    return true;
}

static void world_free(struct world *w)
{
    const char *argv[] = {"rm", "-rf", "--", w->dir, NULL};

    pl_store_close(w->s);
    pl_buf_release(&w->said);
    assert_true(strncmp(w->dir, "/tmp/pl-avail-", 14) == 0);
    assert_int_equal(run(NULL, argv), 0);
    pl_clock_unset();
}

static void say(void *data, const char *line)
{
    struct pl_buf *b = data;

    pl_buf_adds(b, line);
    pl_buf_addch(b, '\n');
}

static void apply(struct world *w, bool dry, struct pl_apply_result *res)
{
    struct pl_apply_opts o;
    struct pl_error err = PL_ERROR_INIT;

    memset(&o, 0, sizeof(o));
    o.asset = "plapply-test";
    o.root = w->root;
    o.dry_run = dry;
    o.print = say;
    o.print_data = &w->said;
    pl_buf_reset(&w->said);
    if (pl_apply_run(w->s, &o, res, &err) != PL_OK)
        fail_msg("apply: %s", err.msg);
}

static void has_line(const struct world *w, const char *line)
{
    if (strstr(pl_buf_cstr(&w->said), line) == NULL)
        fail_msg("no line '%s' in:\n%s", line, pl_buf_cstr(&w->said));
}

static void report_counts(const struct world *w, const char *want)
{
    const char *bin = getenv("PL_BINARY");
    struct pl_buf out = PL_BUF_INIT(0);
    const char *argv[] = {bin,        "--db", w->db,    "--now", "2026-03-02T00:00:00Z",
                          "--format", "json", "report", NULL};

    if (bin == NULL)
        return; /* run outside CTest */
    assert_int_equal(run(&out, argv), 0);
    if (strstr(pl_buf_cstr(&out), want) == NULL)
        fail_msg("the report has no '%s'", want);
    pl_buf_release(&out);
}

static void installs_what_exists(void **state)
{
    struct world w;
    struct pl_apply_result res;
    char got[1024];
    const char *update[] = {"update"};

    (void)state;
    if (!world_make(&w)) {
        skip();
        return;
    }
    sql(&w,
        "INSERT INTO findings (asset_id, vuln_id, package, installed_version, fixed_version, "
        "first_seen, tier) VALUES (1, 'CVE-2026-0101', 'plavail-a', '1.0-1', '1.0-2', 0, 1), "
        "(1, 'CVE-2026-0102', 'plavail-b', '2.0-1', '2.0-2', 0, 1), "
        "(1, 'CVE-2026-0103', 'plavail-c', '3.0-1', '3.0-2', 0, 1)",
        NULL, 0);
    pl_clock_set(1772323200); /* 2026-03-01 */

    /* a dry run shows the candidates and writes nothing */
    apply(&w, true, &res);
    has_line(&w, "would upgrade plavail-a 1.0-1 -> 1.0-3\n");
    has_line(&w, "would upgrade plavail-b 2.0-1 -> 2.0-2+b1\n");
    has_line(&w, "fix not yet available from your repositories: finding 3 CVE-2026-0103 "
                 "plavail-c (fixed in 3.0-2; they offer 3.0-1+deb12u1)\n");
    assert_null(strstr(pl_buf_cstr(&w.said), "plavail-c=")); /* no install of it */
    assert_null(strstr(pl_buf_cstr(&w.said), "plavail-a=1.0-2"));
    assert_non_null(strstr(pl_buf_cstr(&w.said), "install plavail-a=1.0-3 plavail-b=2.0-2+b1\n"));
    assert_int_equal(res.n_packages, 2);
    assert_int_equal(res.n_awaiting, 1);
    sql(&w, "SELECT group_concat(status) FROM findings", got, sizeof(got));
    assert_string_equal(got, "open,open,open");
    sql(&w, "SELECT count(*) FROM jobs", got, sizeof(got));
    assert_string_equal(got, "0");

    /* the real run installs exactly those; the third awaits its repository */
    apply(&w, false, &res);
    assert_string_equal(res.status, "succeeded");
    assert_int_equal(res.n_packages, 2);
    assert_int_equal(res.n_fixed, 2);
    assert_int_equal(res.n_not_fixed, 0);
    assert_int_equal(res.n_awaiting, 1);
    installed(&w, got, sizeof(got));
    assert_string_equal(got, "plavail-a 1.0-3;plavail-b 2.0-2+b1;plavail-c 3.0-1;");
    sql(&w, "SELECT package, status FROM findings ORDER BY id", got, sizeof(got));
    assert_string_equal(got, "plavail-a|fixed;plavail-b|fixed;plavail-c|awaiting-repo");
    sql(&w, "SELECT package, target_version FROM job_packages ORDER BY package", got, sizeof(got));
    assert_string_equal(got, "plavail-a|1.0-3;plavail-b|2.0-2+b1");
    report_counts(&w, "\"awaiting_repo\":1");

    /* nothing else to do: the next run asks again, starts no install */
    apply(&w, false, &res);
    assert_string_equal(res.status, "succeeded");
    assert_int_equal(res.n_packages, 0);
    assert_int_equal(res.n_awaiting, 1);
    sql(&w, "SELECT count(*) FROM job_packages WHERE package = 'plavail-c'", got, sizeof(got));
    assert_string_equal(got, "0");

    /* the repository catches up (a binNMU of the fix): reopened, installed, fixed */
    {
        const char *more[] = {script("mkrepo_avail.sh"), w.repo, "plavail-c=3.0-2+b1", NULL};

        assert_int_equal(run(NULL, more), 0);
    }
    apt_root(&w, update, 1);
    pl_clock_set(1772409600); /* 2026-03-02 */
    apply(&w, false, &res);
    assert_string_equal(res.status, "succeeded");
    assert_int_equal(res.n_fixed, 1);
    assert_int_equal(res.n_awaiting, 0);
    installed(&w, got, sizeof(got));
    assert_string_equal(got, "plavail-a 1.0-3;plavail-b 2.0-2+b1;plavail-c 3.0-2+b1;");
    sql(&w, "SELECT group_concat(status) FROM findings", got, sizeof(got));
    assert_string_equal(got, "fixed,fixed,fixed");
    report_counts(&w, "\"awaiting_repo\":0");
    world_free(&w);
}

/* The apt-cache policy parser on its own. */
static void candidate_parse(void **state)
{
    static const char policy[] = "plavail-a:\n"
                                 "  Installed: 1.0-1\n"
                                 "  Candidate: 1.0-3\n"
                                 "  Version table:\n"
                                 "     1.0-3 500\n"
                                 "        500 file:/r ./ Packages\n"
                                 "plavail-ab:\n"
                                 "  Installed: (none)\n"
                                 "  Candidate: (none)\n"
                                 "libfoo:amd64:\n"
                                 "  Installed: 1:2.0-1\n"
                                 "  Candidate: 1:2.0-1+b1\n";
    char out[64];

    (void)state;
    pl__apply_candidate_of(policy, "plavail-a", out, sizeof(out));
    assert_string_equal(out, "1.0-3");
    pl__apply_candidate_of(policy, "plavail-ab", out, sizeof(out));
    assert_string_equal(out, "");
    pl__apply_candidate_of(policy, "libfoo", out, sizeof(out));
    assert_string_equal(out, "1:2.0-1+b1");
    pl__apply_candidate_of(policy, "nosuch", out, sizeof(out));
    assert_string_equal(out, "");
    pl__apply_candidate_of(policy, "plavail-a", out, 4); /* too long for the buffer: none */
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(candidate_parse),
        cmocka_unit_test(installs_what_exists),
    };
    return cmocka_run_group_tests_name("apply_avail", tests, NULL, NULL);
}
