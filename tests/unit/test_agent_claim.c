/*
 * test_agent_claim.c - job claims racing (issue 14, item 5): two processes
 * claim the same 200 queued jobs of one agent at once, through the library's
 * claim function; every job is claimed exactly once, every lost race is a
 * conflict (PL_E_CONFLICT), and the store then holds every job claimed. On
 * SQLite the claimers take turns on the file's lock; in the PostgreSQL pass
 * (PL_TEST_BACKEND=postgresql) the claim's row lock is FOR UPDATE SKIP LOCKED
 * (pl__db_sql_skip_locked): half the claims run in the store's write
 * transactions (as pl_fleet_job_claim does), half on their own, where only
 * the row locks keep the claimers apart. Then the job lists of every agent
 * and of one agent, with and without a state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/store.h"
#include "patchline/store_agents.h"

#include "store/db.h"
#include "test_store_target.h"

#define N_JOBS 200
#define T0     1772448000

static char dir[] = "/tmp/pl-test-claim-XXXXXX";

static void cleanup(void)
{
    const char *const argv[] = {"rm", "-rf", dir, NULL};
    struct pl_spawn_result res;
    struct pl_error err = PL_ERROR_INIT;

    if (pl_spawn_run(argv, NULL, NULL, NULL, &res, &err) != PL_OK)
        fprintf(stderr, "cannot remove %s: %s\n", dir, err.msg);
}

static void exec_ok(struct pl_db *db, const char *sql)
{
    if (pl__db_exec(db, sql) != PL_DB_OK)
        fail_msg("%s: %s", sql, pl__db_errmsg(db));
}

/* One claimer: every job, in order; writes "ID\n" for each it won to fd. */
static int claimer(const char *target, int fd, int who)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_store *s = NULL;
    char line[32];

    if (pl_store_open(target, 0, &s, &err) != PL_OK) {
        fprintf(stderr, "claimer %d: %s\n", who, err.msg);
        return 1;
    }
    for (int64_t id = 1; id <= N_JOBS; id++) {
        bool tx = id % 2 == 0;
        pl_status rc = tx ? pl_store_begin(s, &err) : PL_OK;

        if (rc == PL_OK)
            rc = pl_store_agent_job_claim(s, 1, id, T0, T0 + 3600, &err);
        if (tx && rc == PL_OK)
            rc = pl_store_commit(s, &err);
        else if (tx && rc != PL_OK)
            pl_store_rollback(s);
        if (rc == PL_OK) {
            int n = snprintf(line, sizeof(line), "%lld\n", (long long)id);

            if (write(fd, line, (size_t)n) != n)
                return 1;
        } else if (rc != PL_E_CONFLICT) {
            fprintf(stderr, "claimer %d, job %lld: %s\n", who, (long long)id, err.msg);
            pl_store_close(s);
            return 1;
        }
    }
    pl_store_close(s);
    return 0;
}

/* How many jobs pl_store_agent_jobs lists for agent_id (0: every agent) in state (NULL: any). */
static size_t count_jobs(struct pl_store *s, int64_t agent_id, const char *state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_agent_job *jobs = NULL;
    size_t n = 0;

    if (pl_store_agent_jobs(s, agent_id, state, &jobs, &n, &err) != PL_OK)
        fail_msg("agent jobs: %s", err.msg);
    for (size_t i = 0; i < n; i++) {
        if (agent_id)
            assert_int_equal(jobs[i].agent_id, agent_id);
        if (state)
            assert_string_equal(jobs[i].state, state);
        if (i)
            assert_true(jobs[i - 1].id < jobs[i].id);
    }
    pl_agent_jobs_release(jobs, n);
    return n;
}

static void each_job_claimed_once(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_store *s = NULL;
    struct pl_db *db = NULL;
    struct pl_stmt *st;
    char path[96], sql[512];
    int fds[2][2], won[N_JOBS + 1] = {0}, total = 0;
    pid_t pid[2];
    const char *target;

    (void)state;
    snprintf(path, sizeof(path), "%s/store.db", dir);
    target = pl_test_store(path);
    if (pl_store_open(target, PL_STORE_CREATE | PL_STORE_SIMULATED, &s, &err) != PL_OK)
        fail_msg("open: %s", err.msg);
    pl_store_close(s);
    if (pl__db_open(target, 0, &db, &err) != PL_OK)
        fail_msg("open: %s", err.msg);
    exec_ok(db, "INSERT INTO agent_enrolments (lookup, hash, tags, created_by, created_at, "
                "expires_at) VALUES ('e1', 'h', '', 'test', 1, 2)");
    exec_ok(db, "INSERT INTO assets (name, first_seen, last_seen) VALUES ('host-1', 1, 1)");
    exec_ok(db, "INSERT INTO agents (host, enrolment_id, lookup, hash, tags, asset_id, "
                "created_at) VALUES ('host-1', 1, 'a1', 'h', '', 1, 1)");
    exec_ok(db, "INSERT INTO plans (created_at, requester, source, sha256, horizon_secs, "
                "n_findings, n_misses) VALUES (1, 'test', 'test', 'x', 0, 0, 0)");
    snprintf(sql, sizeof(sql),
             "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < %d) "
             "INSERT INTO agent_jobs (agent_id, asset_id, plan_id, wave, lane, packages, "
             "findings, window_start, window_end, reboot, state, created_at) SELECT 1, 1, 1, i, "
             "'standard', 'p=1', '', %d, %d, 0, 'queued', 1 FROM g",
             N_JOBS, T0 - 60, T0 + 86400);
    exec_ok(db, sql);
    for (int c = 0; c < 2; c++) {
        assert_int_equal(pipe(fds[c]), 0);
        pid[c] = fork();
        assert_true(pid[c] >= 0);
        if (pid[c] == 0) {
            close(fds[c][0]);
            _exit(claimer(target, fds[c][1], c));
        }
        close(fds[c][1]);
    }
    for (int c = 0; c < 2; c++) {
        FILE *f = fdopen(fds[c][0], "r");
        long long id;
        int status;

        assert_non_null(f);
        while (fscanf(f, "%lld", &id) == 1) {
            assert_true(id >= 1 && id <= N_JOBS);
            won[id]++;
            total++;
        }
        fclose(f);
        assert_int_equal(waitpid(pid[c], &status, 0), pid[c]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    for (int id = 1; id <= N_JOBS; id++)
        if (won[id] != 1)
            fail_msg("job %d claimed %d times", id, won[id]);
    assert_int_equal(total, N_JOBS);
    assert_int_equal(pl__db_prepare(db,
                                    "SELECT count(*) FROM agent_jobs WHERE state = 'claimed' "
                                    "AND claimed_at = ? AND lease_until = ?",
                                    &st),
                     PL_DB_OK);
    pl__db_bind_int64(st, 1, T0);
    pl__db_bind_int64(st, 2, T0 + 3600);
    assert_int_equal(pl__db_step(st), PL_DB_ROW);
    assert_int_equal(pl__db_column_int64(st, 0), N_JOBS);
    pl__db_finalize(st);
    /* a second agent's queued job: the job lists by agent and state keep them apart */
    exec_ok(db, "INSERT INTO agents (host, enrolment_id, lookup, hash, tags, asset_id, "
                "created_at) VALUES ('host-2', 1, 'a2', 'h', '', 1, 1)");
    exec_ok(db, "INSERT INTO agent_jobs (agent_id, asset_id, plan_id, wave, lane, packages, "
                "findings, window_start, window_end, reboot, state, created_at) VALUES (2, 1, 1, "
                "1000, 'standard', 'p=1', '', 1, 2, 0, 'queued', 1)");
    pl__db_close(db);
    if (pl_store_open(target, 0, &s, &err) != PL_OK)
        fail_msg("open: %s", err.msg);
    assert_int_equal(count_jobs(s, 0, NULL), N_JOBS + 1);
    assert_int_equal(count_jobs(s, 0, "queued"), 1);
    assert_int_equal(count_jobs(s, 1, NULL), N_JOBS);
    assert_int_equal(count_jobs(s, 1, "claimed"), N_JOBS);
    assert_int_equal(count_jobs(s, 1, "queued"), 0);
    assert_int_equal(count_jobs(s, 2, NULL), 1);
    assert_int_equal(count_jobs(s, 2, "queued"), 1);
    assert_int_equal(count_jobs(s, 3, NULL), 0);
    pl_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_job_claimed_once),
    };

    if (mkdtemp(dir) == NULL)
        return 1;
    atexit(cleanup);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
