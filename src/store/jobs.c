/*
 * jobs.c - apply jobs: their packages, verified findings and log, and the
 * finding state changes that apply makes (close as fixed, reopen).
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/store_jobs.h"

#include "store_int.h"

/* Run one prepared write and finalize it. */
static pl_status step_done(struct pl_store *s, struct pl_stmt *st, const char *what,
                           struct pl_error *err)
{
    pl_status rc = PL_OK;

    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, what);
    pl__db_finalize(st);
    return rc;
}

static void target_release(struct pl_apply_target *t)
{
    free(t->vuln_id);
    free(t->package);
    free(t->installed_version);
    free(t->fixed_version);
}

void pl_apply_target_list_release(struct pl_apply_target_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        target_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

/* Check one requested finding id: an open finding of the asset with a fixed version. */
static pl_status check_target_id(struct pl_store *s, int64_t asset_id, int64_t id,
                                 struct pl_error *err)
{
    static const char sql[] =
        "SELECT fixed_version IS NOT NULL FROM findings WHERE id = ? AND asset_id = ? AND "
        "status IN ('open', 'awaiting-repo')";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    pl__db_bind_int64(st, 2, asset_id);
    step = pl__db_step(st);
    if (step == PL_DB_DONE)
        rc = pl_error_set(err, PL_E_NOTFOUND, "finding %lld is not an open finding of asset %lld",
                          (long long)id, (long long)asset_id);
    else if (step != PL_DB_ROW)
        rc = pl__store_fail(s, err, "apply targets");
    else if (pl__db_column_int(st, 0) == 0)
        rc = pl_error_set(err, PL_E_INVALID, "finding %lld has no fixed version", (long long)id);
    pl__db_finalize(st);
    return rc;
}

static bool id_wanted(const int64_t *ids, size_t n, int64_t id)
{
    if (n == 0)
        return true;
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

pl_status pl_store_apply_targets(struct pl_store *s, int64_t asset_id, const int64_t *ids,
                                 size_t n_ids, struct pl_apply_target_list *out,
                                 struct pl_error *err)
{
    static const char sql[] =
        "SELECT id, vuln_id, package, installed_version, fixed_version, coalesce(tier, -1), "
        "status = 'awaiting-repo' "
        "FROM findings WHERE asset_id = ? AND status IN ('open', 'awaiting-repo') "
        "AND fixed_version IS NOT NULL "
        "ORDER BY package, id";
    struct pl_apply_target_list l = {NULL, 0};
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    for (size_t i = 0; i < n_ids; i++)
        if ((rc = check_target_id(s, asset_id, ids[i], err)) != PL_OK)
            return rc;
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_apply_target *t;

        if (!id_wanted(ids, n_ids, pl__db_column_int64(st, 0)))
            continue;
        l.items = pl_xgrow(l.items, l.n, &cap, 8, sizeof(*l.items));
        t = &l.items[l.n++];
        t->finding_id = pl__db_column_int64(st, 0);
        t->vuln_id = pl__store_col_strdup(st, 1);
        t->package = pl__store_col_strdup(st, 2);
        t->installed_version = pl__store_col_strdup(st, 3);
        t->fixed_version = pl__store_col_strdup(st, 4);
        t->tier = pl__db_column_int(st, 5);
        t->awaiting = pl__db_column_int(st, 6) != 0;
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "apply targets");
    pl__db_finalize(st);
    if (rc != PL_OK) {
        pl_apply_target_list_release(&l);
        return rc;
    }
    *out = l;
    return PL_OK;
}

pl_status pl_store_job_create(struct pl_store *s, const struct pl_job_new *j, int64_t *id,
                              struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO jobs (kind, asset_id, executor, root, parent_id, rollout_id, wave, status, "
        "actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?) RETURNING id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, j->kind);
    pl__db_bind_int64(st, 2, j->asset_id);
    pl__store_bind_text(st, 3, j->executor);
    pl__store_bind_text(st, 4, j->root);
    pl__store_bind_opt_i64(st, 5, j->parent_id, j->parent_id == 0);
    pl__store_bind_opt_i64(st, 6, j->rollout_id, j->rollout_id == 0);
    pl__store_bind_opt_i64(st, 7, j->wave, j->rollout_id == 0);
    pl__store_bind_text(st, 8, pl_store_actor());
    pl__db_bind_int64(st, 9, pl_clock_now());
    rc = pl__store_step_id(s, st, "job create", id, err);
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_job_set_keep_dir(struct pl_store *s, int64_t job_id, const char *dir,
                                    struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, "UPDATE jobs SET keep_dir = ? WHERE id = ?", &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, dir);
    pl__db_bind_int64(st, 2, job_id);
    return step_done(s, st, "job keep dir", err);
}

pl_status pl_store_job_finish(struct pl_store *s, int64_t job_id, const char *status,
                              const char *health, const char *reboot, const char *error,
                              struct pl_error *err)
{
    static const char sql[] =
        "UPDATE jobs SET status = ?, health = coalesce(?, health), reboot = coalesce(?, reboot), "
        "error = coalesce(?, error), finished_at = coalesce(finished_at, ?) WHERE id = ?";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, status);
    pl__store_bind_text(st, 2, health);
    pl__store_bind_text(st, 3, reboot);
    pl__store_bind_text(st, 4, error);
    pl__db_bind_int64(st, 5, pl_clock_now());
    pl__db_bind_int64(st, 6, job_id);
    return step_done(s, st, "job finish", err);
}

pl_status pl_store_job_log(struct pl_store *s, int64_t job_id, const char *step, const char *argv,
                           bool has_exit, int exit_code, const char *message, struct pl_error *err)
{
    static const char sql[] = "INSERT INTO job_log (job_id, at, step, argv, exit_code, message) "
                              "VALUES (?, ?, ?, ?, ?, ?)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, job_id);
    pl__db_bind_int64(st, 2, pl_clock_now());
    pl__store_bind_text(st, 3, step);
    pl__store_bind_text(st, 4, argv);
    pl__store_bind_opt_i64(st, 5, exit_code, !has_exit);
    pl__store_bind_text(st, 6, message);
    return step_done(s, st, "job log", err);
}

pl_status pl_store_job_package_put(struct pl_store *s, int64_t job_id,
                                   const struct pl_job_package *p, struct pl_error *err)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO job_packages (job_id, package, arch, target_version, "
        "before_version, after_version, kept_file, kept_how, kept_sha256) VALUES (?, ?, ?, ?, ?, "
        "?, ?, ?, ?)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, job_id);
    pl__store_bind_text(st, 2, p->package);
    pl__store_bind_text(st, 3, p->arch ? p->arch : "");
    pl__store_bind_text(st, 4, p->target_version);
    pl__store_bind_text(st, 5, p->before_version);
    pl__store_bind_text(st, 6, p->after_version);
    pl__store_bind_text(st, 7, p->kept_file);
    pl__store_bind_text(st, 8, p->kept_how);
    pl__store_bind_text(st, 9, p->kept_sha256);
    return step_done(s, st, "job package", err);
}

pl_status pl_store_job_finding_put(struct pl_store *s, int64_t job_id, int64_t finding_id,
                                   const char *outcome, const char *version_seen,
                                   struct pl_error *err)
{
    static const char sql[] = "INSERT OR REPLACE INTO job_findings (job_id, finding_id, outcome, "
                              "version_seen) VALUES (?, ?, ?, ?)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, job_id);
    pl__db_bind_int64(st, 2, finding_id);
    pl__store_bind_text(st, 3, outcome);
    pl__store_bind_text(st, 4, version_seen);
    return step_done(s, st, "job finding", err);
}

static pl_status finding_update(struct pl_store *s, const char *sql, int64_t finding_id,
                                bool with_time, bool *changed, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, finding_id);
    if (with_time)
        pl__db_bind_int64(st, 2, pl_clock_now());
    if ((rc = step_done(s, st, "finding update", err)) == PL_OK)
        *changed = pl__db_changes(s->db) > 0;
    return rc;
}

pl_status pl_store_finding_close(struct pl_store *s, int64_t finding_id, bool *changed,
                                 struct pl_error *err)
{
    return finding_update(s,
                          "UPDATE findings SET status = 'fixed', resolved_at = ?2 WHERE id = ?1 "
                          "AND status = 'open'",
                          finding_id, true, changed, err);
}

pl_status pl_store_finding_reopen(struct pl_store *s, int64_t finding_id, bool *changed,
                                  struct pl_error *err)
{
    return finding_update(s,
                          "UPDATE findings SET status = 'open', resolved_at = NULL WHERE id = ?1 "
                          "AND status = 'fixed'",
                          finding_id, false, changed, err);
}

pl_status pl_store_finding_await_repo(struct pl_store *s, int64_t finding_id, bool awaiting,
                                      bool *changed, struct pl_error *err)
{
    return finding_update(s,
                          awaiting ? "UPDATE findings SET status = 'awaiting-repo' WHERE id = ?1 "
                                     "AND status = 'open'"
                                   : "UPDATE findings SET status = 'open' WHERE id = ?1 "
                                     "AND status = 'awaiting-repo'",
                          finding_id, false, changed, err);
}
