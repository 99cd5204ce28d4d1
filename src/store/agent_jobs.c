/*
 * agent_jobs.c - the per-host jobs of approved waves (store_agents.h):
 * what is due, the queue, the lease, and the one end of each job.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/store_agents.h"

#include "store_int.h"

pl_status pl_store_agent_wave_items(struct pl_store *s, int64_t asset_id, pl_time_t now,
                                    struct pl_agent_wave_item **out, size_t *n,
                                    struct pl_error *err)
{
    /* approved: the wave needs none, or an approval covers it (its own or the plan's) */
    static const char sql[] =
        "SELECT w.plan_id, w.seq, i.finding_id, w.lane, i.package, i.fixed_version, w.starts_at, "
        "w.ends_at FROM wave_items i JOIN waves w ON w.id = i.wave_id "
        "WHERE i.asset_id = ?1 AND w.starts_at <= ?2 AND w.ends_at > ?2 "
        "AND (w.needs_approval = 0 OR EXISTS (SELECT 1 FROM approvals a WHERE a.plan_id = "
        "w.plan_id AND a.kind = 'approve' AND (a.wave_seq IS NULL OR a.wave_seq = w.seq))) "
        "AND NOT EXISTS (SELECT 1 FROM agent_jobs j WHERE j.plan_id = w.plan_id AND j.wave = "
        "w.seq AND j.asset_id = i.asset_id) ORDER BY w.plan_id, w.seq, i.package, i.finding_id";
    struct pl_agent_wave_item *l = NULL;
    size_t cap = 0, k = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__db_bind_int64(st, 2, now);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_agent_wave_item *it;

        l = pl_xgrow(l, k, &cap, 16, sizeof(*l));
        it = &l[k++];
        it->plan_id = pl__db_column_int64(st, 0);
        it->wave = pl__db_column_int64(st, 1);
        it->finding_id = pl__db_column_int64(st, 2);
        it->lane = pl__store_col_strdup(st, 3);
        it->package = pl__store_col_strdup(st, 4);
        it->fixed_version = pl__store_col_strdup(st, 5);
        it->starts_at = pl__db_column_int64(st, 6);
        it->ends_at = pl__db_column_int64(st, 7);
    }
    pl__db_finalize(st);
    if (step != PL_DB_DONE) {
        pl_agent_wave_items_release(l, k);
        return pl__store_fail(s, err, "agent jobs");
    }
    *out = l;
    *n = k;
    return PL_OK;
}

void pl_agent_wave_items_release(struct pl_agent_wave_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].lane);
        free(items[i].package);
        free(items[i].fixed_version);
    }
    free(items);
}

pl_status pl_store_agent_wave_halted(struct pl_store *s, int64_t plan_id, int64_t wave, int64_t *by,
                                     struct pl_error *err)
{
    static const char sql[] =
        "SELECT w.seq FROM waves w WHERE w.plan_id = ?1 AND w.seq < ?2 AND w.halt_failure_rate "
        "IS NOT NULL AND (SELECT count(*) FROM agent_jobs j WHERE j.plan_id = w.plan_id AND "
        "j.wave = w.seq AND j.state IN ('failed', 'rolled-back', 'refused', 'interrupted', "
        "'expired')) > w.halt_failure_rate * (SELECT count(*) FROM agent_jobs j WHERE j.plan_id "
        "= w.plan_id AND j.wave = w.seq) ORDER BY w.seq LIMIT 1";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    *by = 0;
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, plan_id);
    pl__db_bind_int64(st, 2, wave);
    step = pl__db_step(st);
    if (step == PL_DB_ROW)
        *by = pl__db_column_int64(st, 0);
    else if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "agent wave halted");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_agent_job_add(struct pl_store *s, const struct pl_agent_job_new *j,
                                 pl_time_t now, int64_t *id, struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO agent_jobs (agent_id, asset_id, plan_id, wave, lane, packages, findings, "
        "window_start, window_end, reboot, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, 'queued', ?) ON CONFLICT (plan_id, wave, asset_id) DO NOTHING RETURNING id";
    struct pl_stmt *st;
    pl_status rc;

    *id = 0;
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, j->agent_id);
    pl__db_bind_int64(st, 2, j->asset_id);
    pl__db_bind_int64(st, 3, j->plan_id);
    pl__db_bind_int64(st, 4, j->wave);
    pl__store_bind_text(st, 5, j->lane);
    pl__store_bind_text(st, 6, j->packages);
    pl__store_bind_text(st, 7, j->findings);
    pl__db_bind_int64(st, 8, j->window_start);
    pl__db_bind_int64(st, 9, j->window_end);
    pl__db_bind_int(st, 10, j->reboot ? 1 : 0);
    pl__db_bind_int64(st, 11, now);
    rc = pl__store_step_id(s, st, "agent job", id, err);
    pl__db_finalize(st);
    if (rc == PL_E_NOTFOUND) { /* the job exists already */
        *id = 0;
        return PL_OK;
    }
    return rc;
}

#define JOB_COLS                                                                        \
    "j.id, j.agent_id, j.asset_id, j.plan_id, j.wave, COALESCE(j.job_id, 0), j.lane, "  \
    "j.packages, j.findings, j.state, j.detail, a.host, j.window_start, j.window_end, " \
    "COALESCE(j.lease_until, 0), j.created_at, COALESCE(j.finished_at, 0), j.reboot "   \
    "FROM agent_jobs j JOIN agents a ON a.id = j.agent_id "

static void read_job(struct pl_stmt *st, struct pl_agent_job *j)
{
    char **text[] = {&j->lane, &j->packages, &j->findings, &j->state, &j->detail, &j->host};
    int64_t *num[] = {&j->id, &j->agent_id, &j->asset_id, &j->plan_id, &j->wave, &j->job_id};

    for (size_t i = 0; i < PL_ARRAY_LEN(num); i++)
        *num[i] = pl__db_column_int64(st, (int)i);
    for (size_t i = 0; i < PL_ARRAY_LEN(text); i++)
        *text[i] = pl__store_col_strdup(st, (int)(i + PL_ARRAY_LEN(num)));
    j->window_start = pl__db_column_int64(st, 12);
    j->window_end = pl__db_column_int64(st, 13);
    j->lease_until = pl__db_column_int64(st, 14);
    j->created_at = pl__db_column_int64(st, 15);
    j->finished_at = pl__db_column_int64(st, 16);
    j->reboot = pl__db_column_int(st, 17) != 0;
}

void pl_agent_job_release(struct pl_agent_job *j)
{
    char *text[] = {j->lane, j->packages, j->findings, j->state, j->detail, j->host};

    for (size_t i = 0; i < PL_ARRAY_LEN(text); i++)
        free(text[i]);
    memset(j, 0, sizeof(*j));
}

void pl_agent_jobs_release(struct pl_agent_job *j, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pl_agent_job_release(&j[i]);
    free(j);
}

pl_status pl_store_agent_jobs(struct pl_store *s, int64_t agent_id, const char *state,
                              struct pl_agent_job **out, size_t *n, struct pl_error *err)
{
    /*
     * One agent's jobs (a poll) by index agent_jobs_agent, never a scan of
     * every job; each statement names both parameters (PostgreSQL types them).
     */
    static const char q_all[] = "SELECT " JOB_COLS "WHERE ?1 = 0 AND (CAST(?2 AS TEXT) IS NULL OR "
                                "j.state = ?2) ORDER BY j.id";
    static const char q_agent[] =
        "SELECT " JOB_COLS "WHERE j.agent_id = ?1 AND CAST(?2 AS TEXT) IS NULL ORDER BY j.id";
    static const char q_agent_state[] =
        "SELECT " JOB_COLS "WHERE j.agent_id = ?1 AND j.state = ?2 ORDER BY j.id";
    struct pl_agent_job *l = NULL;
    size_t cap = 0, k = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s,
                                agent_id == 0 ? q_all
                                : state       ? q_agent_state
                                              : q_agent,
                                &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, agent_id);
    pl__store_bind_text(st, 2, state);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        l = pl_xgrow(l, k, &cap, 8, sizeof(*l));
        memset(&l[k], 0, sizeof(l[k]));
        read_job(st, &l[k++]);
    }
    pl__db_finalize(st);
    if (step != PL_DB_DONE) {
        pl_agent_jobs_release(l, k);
        return pl__store_fail(s, err, "agent jobs");
    }
    *out = l;
    *n = k;
    return PL_OK;
}

pl_status pl_store_agent_job_get(struct pl_store *s, int64_t agent_id, int64_t id,
                                 struct pl_agent_job *out, struct pl_error *err)
{
    static const char sql[] = "SELECT " JOB_COLS "WHERE j.id = ? AND j.agent_id = ?";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    memset(out, 0, sizeof(*out));
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    pl__db_bind_int64(st, 2, agent_id);
    step = pl__db_step(st);
    if (step == PL_DB_ROW)
        read_job(st, out);
    else if (step == PL_DB_DONE)
        rc = pl_error_set(err, PL_E_NOTFOUND, "no job %lld for this host", (long long)id);
    else
        rc = pl__store_fail(s, err, "agent job");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_agent_jobs_expire(struct pl_store *s, int64_t agent_id, pl_time_t now, size_t *n,
                                     struct pl_error *err)
{
    static const char sql[] =
        "UPDATE agent_jobs SET state = 'expired', finished_at = ?1, detail = 'the lease ended "
        "without a result' WHERE agent_id = ?2 AND state = 'claimed' AND lease_until < ?1 "
        "RETURNING id";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    *n = 0;
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, now);
    pl__db_bind_int64(st, 2, agent_id);
    while ((step = pl__db_step(st)) == PL_DB_ROW)
        (*n)++;
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "agent jobs expire");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_agent_job_claim(struct pl_store *s, int64_t agent_id, int64_t id, pl_time_t now,
                                   pl_time_t lease_until, struct pl_error *err)
{
    struct pl_buf sql = PL_BUF_INIT(0);
    struct pl_stmt *st;
    int64_t got = 0;
    pl_status rc;

    /* the job's row locked by the subquery (PostgreSQL: a job another claimer holds is skipped) */
    pl_buf_adds(&sql, "UPDATE agent_jobs SET state = 'claimed', claimed_at = ?1, lease_until = ?2 "
                      "WHERE state = 'queued' AND id = (SELECT j.id FROM agent_jobs j WHERE j.id = "
                      "?3 AND j.agent_id = ?4 AND j.state = 'queued'");
    pl__db_sql_skip_locked(s->db, &sql, "j");
    pl_buf_adds(&sql, ") RETURNING id");
    if (pl_buf_status(&sql) != PL_OK) {
        pl_buf_release(&sql);
        return pl_error_set(err, PL_E_NOMEM, "agent job claim: out of memory");
    }
    rc = pl__store_prepare(s, pl_buf_cstr(&sql), &st, err);
    pl_buf_release(&sql);
    if (rc != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, now);
    pl__db_bind_int64(st, 2, lease_until);
    pl__db_bind_int64(st, 3, id);
    pl__db_bind_int64(st, 4, agent_id);
    rc = pl__store_step_id(s, st, "agent job claim", &got, err);
    pl__db_finalize(st);
    if (rc == PL_E_NOTFOUND)
        return pl_error_set(err, PL_E_CONFLICT, "job %lld is not queued", (long long)id);
    return rc;
}

pl_status pl_store_agent_job_end(struct pl_store *s, int64_t agent_id, int64_t id,
                                 const char *state, const char *detail, const char *log,
                                 int64_t job_id, pl_time_t now, struct pl_error *err)
{
    static const char sql[] =
        "UPDATE agent_jobs SET state = ?, detail = ?, log = ?, job_id = ?, finished_at = ? "
        "WHERE id = ? AND agent_id = ? AND state = 'claimed' RETURNING id";
    struct pl_stmt *st;
    int64_t got = 0;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, state);
    pl__store_bind_text(st, 2, detail);
    pl__store_bind_text(st, 3, log);
    pl__store_bind_opt_i64(st, 4, job_id, job_id == 0);
    pl__db_bind_int64(st, 5, now);
    pl__db_bind_int64(st, 6, id);
    pl__db_bind_int64(st, 7, agent_id);
    rc = pl__store_step_id(s, st, "agent job result", &got, err);
    pl__db_finalize(st);
    if (rc == PL_E_NOTFOUND)
        return pl_error_set(err, PL_E_CONFLICT, "job %lld is not claimed (it has ended)",
                            (long long)id);
    return rc;
}
