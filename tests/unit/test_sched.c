/*
 * test_sched.c - the schedule in the server's configuration file
 * (docs/server.md, "Scheduled work"): keys, quoting, comments, every value
 * checked with the file, line and key named, nothing set on failure; the
 * system principal of a run.
 */
#include <dirent.h>
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

#include "patchline/sched.h"

static char path[64];

static void write_conf(const char *text)
{
    FILE *f;

    snprintf(path, sizeof(path), "/tmp/pl-test-sched-%ld.conf", (long)getpid());
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, 0600), 0); /* whatever the umask */
}

static void loads_a_schedule(void **state)
{
    struct pl_sched_config c;
    struct pl_error err = PL_ERROR_INIT;
    (void)state;

    write_conf("# the server's schedule\n"
               "\n"
               "schedule.feed-sync = \"0 3 * * *\"   # nightly\n"
               "  schedule.scan=\"30 3 * * 1-5\"\n"
               "schedule.notify-deliver = rate(5 minutes)\n"
               "schedule.timezone = \"UTC\"\n"
               "schedule.feed-kinds = \"kev, epss nvd\"\n"
               "schedule.scan-policy = default\n");
    assert_int_equal(pl_sched_config_load(path, &c, &err), PL_OK);
    assert_true(pl_sched_config_any(&c));
    assert_true(c.jobs[PL_SCHED_FEED_SYNC].set);
    assert_string_equal(c.jobs[PL_SCHED_FEED_SYNC].expr, "0 3 * * *");
    assert_int_equal(c.jobs[PL_SCHED_FEED_SYNC].line, 3);
    assert_string_equal(c.jobs[PL_SCHED_SCAN].expr, "30 3 * * 1-5");
    assert_int_equal(c.jobs[PL_SCHED_NOTIFY_DELIVER].cron.kind, PL_CRON_RATE);
    assert_false(c.jobs[PL_SCHED_SNAPSHOT].set);
    assert_int_equal(c.n_feed_kinds, 3);
    assert_string_equal(c.feed_kinds[2], "nvd");
    assert_string_equal(c.scan_policy, "default");
    unlink(path);
}

static void names_the_line_and_key(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"schedule.scan = \"* * * * *\"\nschedule.snapshot = \"0 25 * * *\"\n",
         ":2: key 'schedule.snapshot': cron: field 'hour'"},
        {"schedule.scna = \"* * * * *\"\n", ":1: unknown key 'schedule.scna'"},
        {"schedule.scan\n", ":1: want 'key = value'"},
        {"schedule.scan = \"* * * * *\n", ":1: key 'schedule.scan': unterminated string"},
        {"schedule.scan = \"* * * * *\" x\n", ":1: key 'schedule.scan': text after the closing"},
        {"schedule.scan =\n", ":1: key 'schedule.scan': empty value"},
        {"schedule.timezone = \"Mars/Olympus\"\n", ":1: key 'schedule.timezone'"},
        {"schedule.feed-kinds = \"kev nosuch\"\n", "unknown feed kind 'nosuch'"},
        {"schedule.scan-policy = \"no-such-policy\"\n", ":1: key 'schedule.scan-policy'"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pl_sched_config c;
        struct pl_error err = PL_ERROR_INIT;

        memset(&c, 0x5a, sizeof(c));
        write_conf(cases[i].text);
        assert_int_not_equal(pl_sched_config_load(path, &c, &err), PL_OK);
        if (strstr(err.msg, cases[i].want) == NULL || strstr(err.msg, path) == NULL)
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].want);
        assert_int_equal(((unsigned char *)&c)[0], 0x5a); /* nothing written */
        unlink(path);
    }
}

static void a_config_others_may_write_is_refused(void **state)
{
    struct pl_sched_config c;
    struct pl_error err = PL_ERROR_INIT;
    (void)state;

    write_conf("schedule.scan = \"* * * * *\"\n");
    assert_int_equal(chmod(path, 0664), 0);
    assert_int_equal(pl_sched_config_load(path, &c, &err), PL_E_INVALID);
    assert_non_null(strstr(err.msg, "writable by its group (mode 0664)"));
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(pl_sched_config_load(path, &c, &err), PL_OK);
    unlink(path);
}

static void a_missing_file_is_named(void **state)
{
    struct pl_sched_config c;
    struct pl_error err = PL_ERROR_INIT;
    (void)state;

    assert_int_not_equal(pl_sched_config_load("/nonexistent/serve.conf", &c, &err), PL_OK);
    assert_non_null(strstr(err.msg, "/nonexistent/serve.conf"));
}

static void the_system_principal(void **state)
{
    struct pl_principal p;
    struct pl_error err = PL_ERROR_INIT;
    (void)state;

    pl_sched_principal(PL_SCHED_NOTIFY_DELIVER, &p);
    assert_string_equal(p.name, "schedule:notify-deliver");
    assert_int_equal(pl_auth_may(&p, PL_ACT_OPERATE, NULL, &err), PL_OK);
    assert_int_equal(pl_auth_may(&p, PL_ACT_ADMIN, NULL, &err), PL_E_DENIED);
    assert_int_equal(pl_auth_may(&p, PL_ACT_APPROVE_PLAN, NULL, &err), PL_E_DENIED);
    assert_int_equal(pl_auth_may(&p, PL_ACT_APPROVE_EXCEPTION, NULL, &err), PL_E_DENIED);
    assert_string_equal(pl_sched_job_name(PL_SCHED_FEED_SYNC), "feed-sync");
}

static void job_names(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    enum pl_sched_job j = PL_SCHED_SCAN;
    (void)state;

    assert_int_equal(pl_sched_job_parse("notify-deliver", &j, &err), PL_OK);
    assert_int_equal(j, PL_SCHED_NOTIFY_DELIVER);
    assert_int_equal(pl_sched_job_parse("feed_sync", &j, &err), PL_E_NOTFOUND);
    assert_non_null(strstr(err.msg, "no job 'feed_sync' (feed-sync, scan, snapshot"));
}

/* dir and the files in it (a store's: the database and its companions). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char f[512];

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(f, sizeof(f), "%s/%s", dir, e->d_name);
        assert_int_equal(unlink(f), 0);
    }
    closedir(d);
    assert_int_equal(rmdir(dir), 0);
}

/* A run started by hand acts as its caller, who must be allowed to operate. */
static void a_run_by_hand_needs_an_operator(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_sched_config c;
    struct pl_principal p;
    struct pl_buf sum = PL_BUF_INIT(0);
    struct pl_store *s = NULL;
    char dir[64], db[96];
    (void)state;

    snprintf(dir, sizeof(dir), "/tmp/pl-test-sched-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/store.db", dir);
    assert_int_equal(pl_store_open(db, PL_STORE_CREATE | PL_STORE_SIMULATED, &s, &err), PL_OK);
    pl_sched_config_init(&c);
    memset(&p, 0, sizeof(p));
    p.kind = PL_PRINCIPAL_USER;
    snprintf(p.name, sizeof(p.name), "bob");
    p.roles = PL_ROLE_VIEWER;
    assert_int_equal(pl_sched_run_as(s, PL_SCHED_SNAPSHOT, &c, &p, &sum, &err), PL_E_DENIED);
    assert_non_null(strstr(err.msg, "bob"));
    assert_int_equal(sum.len, 0);
    pl_store_close(s);
    pl_buf_release(&sum);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_a_schedule),
        cmocka_unit_test(names_the_line_and_key),
        cmocka_unit_test(a_config_others_may_write_is_refused),
        cmocka_unit_test(a_missing_file_is_named),
        cmocka_unit_test(the_system_principal),
        cmocka_unit_test(job_names),
        cmocka_unit_test(a_run_by_hand_needs_an_operator),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
