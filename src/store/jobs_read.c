/*
 * jobs_read.c - listing apply jobs and reading one job with its packages,
 * verified findings and log.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/store_jobs.h"

#include "store_int.h"

#define JOB_COLS                                                                                \
    "j.id, j.asset_id, coalesce(j.parent_id, 0), coalesce(j.rollout_id, 0), "                   \
    "coalesce(j.wave, 0), j.kind, j.executor, j.root, j.status, j.health, j.reboot, "           \
    "j.keep_dir, j.error, j.actor, a.name, j.created_at, coalesce(j.finished_at, 0) FROM jobs " \
    "j JOIN assets a ON a.id = j.asset_id"

static void job_row(struct pl_stmt *st, struct pl_job *j)
{
    j->id = pl__db_column_int64(st, 0);
    j->asset_id = pl__db_column_int64(st, 1);
    j->parent_id = pl__db_column_int64(st, 2);
    j->rollout_id = pl__db_column_int64(st, 3);
    j->wave = pl__db_column_int64(st, 4);
    j->kind = pl__store_col_strdup(st, 5);
    j->executor = pl__store_col_strdup(st, 6);
    j->root = pl__store_col_strdup(st, 7);
    j->status = pl__store_col_strdup(st, 8);
    j->health = pl__store_col_strdup(st, 9);
    j->reboot = pl__store_col_strdup(st, 10);
    j->keep_dir = pl__store_col_strdup(st, 11);
    j->error = pl__store_col_strdup(st, 12);
    j->actor = pl__store_col_strdup(st, 13);
    j->asset_name = pl__store_col_strdup(st, 14);
    j->created_at = pl__db_column_int64(st, 15);
    j->finished_at = pl__db_column_int64(st, 16);
}

void pl_job_release(struct pl_job *j)
{
    free(j->kind);
    free(j->executor);
    free(j->root);
    free(j->status);
    free(j->health);
    free(j->reboot);
    free(j->keep_dir);
    free(j->error);
    free(j->actor);
    free(j->asset_name);
    memset(j, 0, sizeof(*j));
}

void pl_job_list_release(struct pl_job_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        pl_job_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

pl_status pl_store_job_list(struct pl_store *s, size_t limit, struct pl_job_list *out,
                            struct pl_error *err)
{
    static const char sql[] = "SELECT " JOB_COLS " ORDER BY j.id DESC LIMIT ?";
    struct pl_job_list l = {NULL, 0};
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, (int64_t)limit);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        l.items = pl_xgrow(l.items, l.n, &cap, 16, sizeof(*l.items));
        job_row(st, &l.items[l.n++]);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "job list");
    pl__db_finalize(st);
    if (rc != PL_OK)
        pl_job_list_release(&l);
    else
        *out = l;
    return rc;
}

/* Grow an array of elem-sized items by one zeroed item; returns it. */
static void *grow(void **items, size_t *n, size_t elem)
{
    char *p = pl_xrealloc(*items, (*n + 1) * elem);

    memset(p + *n * elem, 0, elem);
    *items = p;
    return p + (*n)++ * elem;
}

static pl_status read_packages(struct pl_store *s, struct pl_job_detail *d, struct pl_error *err)
{
    static const char sql[] =
        "SELECT package, arch, target_version, before_version, after_version, kept_file, "
        "kept_how, kept_sha256 FROM job_packages WHERE job_id = ? ORDER BY package, arch";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, d->job.id);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_job_package *p =
            grow((void **)&d->packages, &d->n_packages, sizeof(*d->packages));

        p->package = pl__store_col_strdup(st, 0);
        p->arch = pl__store_col_strdup(st, 1);
        p->target_version = pl__store_col_strdup(st, 2);
        p->before_version = pl__store_col_strdup(st, 3);
        p->after_version = pl__store_col_strdup(st, 4);
        p->kept_file = pl__store_col_strdup(st, 5);
        p->kept_how = pl__store_col_strdup(st, 6);
        p->kept_sha256 = pl__store_col_strdup(st, 7);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "job packages");
    pl__db_finalize(st);
    return rc;
}

static pl_status read_findings(struct pl_store *s, struct pl_job_detail *d, struct pl_error *err)
{
    static const char sql[] =
        "SELECT jf.finding_id, f.vuln_id, jf.outcome, jf.version_seen FROM job_findings jf "
        "JOIN findings f ON f.id = jf.finding_id WHERE jf.job_id = ? ORDER BY jf.finding_id";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, d->job.id);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_job_finding *f =
            grow((void **)&d->findings, &d->n_findings, sizeof(*d->findings));

        f->finding_id = pl__db_column_int64(st, 0);
        f->vuln_id = pl__store_col_strdup(st, 1);
        f->outcome = pl__store_col_strdup(st, 2);
        f->version_seen = pl__store_col_strdup(st, 3);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "job findings");
    pl__db_finalize(st);
    return rc;
}

static pl_status read_log(struct pl_store *s, struct pl_job_detail *d, struct pl_error *err)
{
    static const char sql[] = "SELECT id, at, step, argv, exit_code, message FROM job_log "
                              "WHERE job_id = ? ORDER BY id";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, d->job.id);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_job_log_line *l = grow((void **)&d->log, &d->n_log, sizeof(*d->log));

        l->id = pl__db_column_int64(st, 0);
        l->at = pl__db_column_int64(st, 1);
        l->step = pl__store_col_strdup(st, 2);
        l->argv = pl__store_col_strdup(st, 3);
        l->has_exit = pl__db_column_type(st, 4) != PL_DB_NULL;
        l->exit_code = pl__db_column_int(st, 4);
        l->message = pl__store_col_strdup(st, 5);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "job log");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_job_get(struct pl_store *s, int64_t job_id, struct pl_job_detail *out,
                           struct pl_error *err)
{
    static const char sql[] = "SELECT " JOB_COLS " WHERE j.id = ?";
    struct pl_job_detail d;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    memset(&d, 0, sizeof(d));
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, job_id);
    step = pl__db_step(st);
    if (step == PL_DB_ROW)
        job_row(st, &d.job);
    else if (step == PL_DB_DONE)
        rc = pl_error_set(err, PL_E_NOTFOUND, "no job %lld", (long long)job_id);
    else
        rc = pl__store_fail(s, err, "job get");
    pl__db_finalize(st);
    if (rc == PL_OK && (rc = read_packages(s, &d, err)) == PL_OK &&
        (rc = read_findings(s, &d, err)) == PL_OK)
        rc = read_log(s, &d, err);
    if (rc != PL_OK) {
        pl_job_detail_release(&d);
        return rc;
    }
    *out = d;
    return PL_OK;
}

void pl_job_detail_release(struct pl_job_detail *d)
{
    pl_job_release(&d->job);
    for (size_t i = 0; i < d->n_packages; i++) {
        struct pl_job_package *p = &d->packages[i];

        free(p->package);
        free(p->arch);
        free(p->target_version);
        free(p->before_version);
        free(p->after_version);
        free(p->kept_file);
        free(p->kept_how);
        free(p->kept_sha256);
    }
    for (size_t i = 0; i < d->n_findings; i++) {
        free(d->findings[i].vuln_id);
        free(d->findings[i].outcome);
        free(d->findings[i].version_seen);
    }
    for (size_t i = 0; i < d->n_log; i++) {
        free(d->log[i].step);
        free(d->log[i].argv);
        free(d->log[i].message);
    }
    free(d->packages);
    free(d->findings);
    free(d->log);
    memset(d, 0, sizeof(*d));
}
