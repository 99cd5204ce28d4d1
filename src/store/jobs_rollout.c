/*
 * jobs_rollout.c - rollout progress: the state of a rollout and of each
 * asset in each wave, so that runs resume and never redo a success.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/store_jobs.h"

#include "store_int.h"

static void copy_text(char *dst, size_t size, const unsigned char *src)
{
    if (snprintf(dst, size, "%s", src ? (const char *)src : "") < 0)
        dst[0] = '\0';
}

pl_status pl_store_rollout_start(struct pl_store *s, int64_t id, struct pl_rollout_state *was,
                                 struct pl_error *err)
{
    static const char get[] = "SELECT state, coalesce(halted_wave, 0), reason FROM rollouts "
                              "WHERE id = ?";
    static const char ins[] = "INSERT INTO rollouts (id, state, started_at, updated_at) VALUES "
                              "(?1, 'running', ?2, ?2)";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    memset(was, 0, sizeof(*was));
    if ((rc = pl__store_prepare(s, get, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    step = pl__db_step(st);
    if (step == PL_DB_ROW) {
        copy_text(was->state, sizeof(was->state), pl__db_column_text(st, 0));
        was->halted_wave = pl__db_column_int64(st, 1);
        copy_text(was->reason, sizeof(was->reason), pl__db_column_text(st, 2));
    } else if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "rollout");
    }
    pl__db_finalize(st);
    if (rc != PL_OK)
        return rc;
    if (was->state[0])
        return strcmp(was->state, "halted") == 0
                   ? pl_store_rollout_set(s, id, "running", 0, NULL, err)
                   : PL_OK;
    if ((rc = pl__store_prepare(s, ins, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    pl__db_bind_int64(st, 2, pl_clock_now());
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "rollout start");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_rollout_set(struct pl_store *s, int64_t id, const char *state,
                               int64_t halted_wave, const char *reason, struct pl_error *err)
{
    static const char sql[] = "UPDATE rollouts SET state = ?, halted_wave = ?, reason = ?, "
                              "updated_at = ? WHERE id = ?";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, state);
    pl__store_bind_opt_i64(st, 2, halted_wave, halted_wave == 0);
    pl__store_bind_text(st, 3, reason);
    pl__db_bind_int64(st, 4, pl_clock_now());
    pl__db_bind_int64(st, 5, id);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "rollout set");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_rollout_asset_state(struct pl_store *s, int64_t id, int64_t wave,
                                       int64_t asset_id, char state[16], struct pl_error *err)
{
    static const char sql[] = "SELECT state FROM rollout_assets WHERE rollout_id = ? AND wave = ? "
                              "AND asset_id = ?";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    state[0] = '\0';
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    pl__db_bind_int64(st, 2, wave);
    pl__db_bind_int64(st, 3, asset_id);
    step = pl__db_step(st);
    if (step == PL_DB_ROW)
        copy_text(state, 16, pl__db_column_text(st, 0));
    else if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "rollout asset");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_rollout_asset_put(struct pl_store *s, int64_t id, int64_t wave, int64_t asset_id,
                                     const char *state, int64_t job_id, const char *detail,
                                     struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO rollout_assets (rollout_id, wave, asset_id, state, job_id, attempts, detail, "
        "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7) ON CONFLICT (rollout_id, wave, "
        "asset_id) DO UPDATE SET state = ?4, job_id = coalesce(?5, job_id), attempts = attempts "
        "+ 1, detail = ?6, updated_at = ?7";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    pl__db_bind_int64(st, 2, wave);
    pl__db_bind_int64(st, 3, asset_id);
    pl__store_bind_text(st, 4, state);
    pl__store_bind_opt_i64(st, 5, job_id, job_id == 0);
    pl__store_bind_text(st, 6, detail);
    pl__db_bind_int64(st, 7, pl_clock_now());
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "rollout asset put");
    pl__db_finalize(st);
    return rc;
}
