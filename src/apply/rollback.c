/*
 * rollback.c - put back the versions a job replaced: reinstall the kept
 * package files (never from a repository) once each passes the trust rule
 * and still has its recorded digest (kept.c), run the restore hook,
 * re-collect and check that every package is back at its old version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply_int.h"
#include "setup_int.h"

/* Packages whose installed version (after) differs from the one to restore (before). */
static bool moved(const struct pl__pkg *p)
{
    return p->after == NULL || strcmp(p->after, p->before) != 0;
}

/*
 * Whether p may be lowered to p->before: a rollback of an earlier job never
 * lowers a package installed above the version that job installed (a later
 * fix stays); the apply job undoing itself has no ceiling.
 */
static pl_status may_lower(struct pl__job *j, const struct pl__pkg *p, bool *may,
                           struct pl_error *err)
{
    bool ge = true;
    pl_status rc = PL_OK;

    if (p->ceiling && p->after)
        rc = pl__apply_version_ge(j, p->ceiling, p->after, &ge, err);
    *may = ge;
    if (rc == PL_OK && !ge)
        rc = pl__apply_job_note(j, "rollback", err,
                                "%s: installed %s is newer than %s, which job %lld installed: not "
                                "lowering it",
                                p->name, p->after, p->ceiling, (long long)j->kept_job);
    return rc;
}

/* The kept files to reinstall (of moved packages); *missing when one cannot be. */
static pl_status pick_files(struct pl__job *j, const char **files, size_t *n, bool *missing,
                            struct pl_error *err)
{
    struct pl_error verr = PL_ERROR_INIT;
    pl_status rc = PL_OK;
    bool may;

    *n = 0;
    for (size_t i = 0; rc == PL_OK && i < j->n_pkgs; i++) {
        const struct pl__pkg *p = &j->pkgs[i];

        if (!moved(p))
            continue;
        if (p->kept == NULL || (rc = may_lower(j, p, &may, err)) != PL_OK || !may) {
            *missing = true;
            continue;
        }
        if (pl__apply_kept_verify(j, p, &verr) != PL_OK) {
            /* one file that is not the one kept: reinstall none of them */
            *missing = true;
            *n = 0;
            return pl__apply_job_note(j, "rollback", err, "%s: nothing reinstalled", verr.msg);
        }
        files[(*n)++] = p->kept;
    }
    return rc;
}

pl_status pl__apply_restore(struct pl__job *j, bool *ok, struct pl_error *err)
{
    const char **files = pl_xcalloc(j->n_pkgs + 1, sizeof(*files));
    struct pl__argv a = {NULL, 0, 0};
    struct pl__ran r = {false, 0, false, NULL};
    size_t n = 0;
    bool missing = false, hook_ok = true;
    pl_status rc = PL_OK;

    *ok = false;
    rc = pl__apply_recollect(j, false, err); /* what is installed now */
    if (rc == PL_OK)
        rc = pick_files(j, files, &n, &missing, err);
    j->n_reinstalled = n;
    if (rc == PL_OK && n) {
        j->ex->reinstall(&j->ctx, files, n, &a);
        rc = pl__apply_job_run(j, "rollback", (const char *const *)a.v, false,
                               j->cfg.command_timeout_ms, &r, err);
    }
    if (rc == PL_OK && j->cfg.restore) {
        struct pl__ran h = {false, 0, false, NULL};

        rc = pl__apply_job_run(j, "restore", (const char *const *)j->cfg.restore, true,
                               j->cfg.command_timeout_ms, &h, err);
        hook_ok = h.ran && h.exit_code == 0 && !h.timed_out;
        pl__apply_ran_release(&h);
    }
    if (rc == PL_OK)
        rc = pl__apply_recollect(j, false, err);
    if (rc == PL_OK) {
        *ok = !missing && hook_ok;
        for (size_t i = 0; i < j->n_pkgs; i++) {
            bool back = !moved(&j->pkgs[i]);

            *ok = *ok && back;
            if ((rc = pl__apply_job_note(j, "rollback", err, "%s: %s %s", j->pkgs[i].name,
                                         back ? "restored" : "NOT restored, installed",
                                         j->pkgs[i].after ? j->pkgs[i].after : "(none)")) != PL_OK)
                break;
        }
    }
    pl__apply_ran_release(&r);
    pl__apply_argv_release(&a);
    free(files);
    return rc;
}

/* The packages of the apply job: restore each to its before version from its kept file. */
static pl_status load_job(struct pl__job *j, const struct pl_job_detail *d, struct pl_error *err)
{
    if (strcmp(d->job.kind, "apply") != 0)
        return pl_error_set(err, PL_E_INVALID, "job %lld is a %s job: only apply jobs roll back",
                            (long long)d->job.id, d->job.kind);
    if (strcmp(d->job.status, "succeeded") != 0 && strcmp(d->job.status, "failed") != 0)
        return pl_error_set(err, PL_E_CONFLICT, "job %lld is %s: nothing to roll back",
                            (long long)d->job.id, d->job.status);
    if (strcmp(d->job.executor, j->ex->name) != 0)
        return pl_error_set(err, PL_E_CONFLICT, "job %lld ran %s, the root now holds %s",
                            (long long)d->job.id, d->job.executor, j->ex->name);
    j->pkgs = pl_xcalloc(d->n_packages + 1, sizeof(*j->pkgs));
    for (size_t i = 0; i < d->n_packages; i++) {
        const struct pl_job_package *p = &d->packages[i];
        struct pl__pkg *q = &j->pkgs[j->n_pkgs++];

        q->name = pl_xstrdup(p->package);
        q->arch = pl_xstrdup(p->arch ? p->arch : "");
        q->target = pl_xstrdup(p->before_version ? p->before_version : "");
        q->before = pl_xstrdup(p->before_version ? p->before_version : "");
        q->kept = p->kept_file ? pl_xstrdup(p->kept_file) : NULL;
        q->kept_how = p->kept_how ? pl_xstrdup(p->kept_how) : NULL;
        q->kept_sha256 = p->kept_sha256 ? pl_xstrdup(p->kept_sha256) : NULL;
        /* what the job installed: never lowered from above it */
        q->ceiling = p->after_version    ? pl_xstrdup(p->after_version)
                     : p->target_version ? pl_xstrdup(p->target_version)
                                         : NULL;
    }
    return PL_OK;
}

/* A rollback job's rows: target = the version restored, before = what the apply installed. */
static pl_status record_rows(struct pl__job *j, const struct pl_job_detail *d, bool done,
                             struct pl_error *err)
{
    pl_status rc = PL_OK;

    for (size_t i = 0; i < j->n_pkgs && rc == PL_OK; i++) {
        const struct pl__pkg *p = &j->pkgs[i];
        struct pl_job_package row = {p->name,
                                     p->arch,
                                     p->target,
                                     d->packages[i].after_version,
                                     done ? p->after : NULL,
                                     p->kept,
                                     p->kept_how,
                                     p->kept_sha256};

        rc = pl_store_job_package_put(j->s, j->id, &row, err);
    }
    return rc;
}

pl_status pl_apply_rollback(struct pl_store *s, int64_t job_id, const struct pl_apply_opts *o,
                            struct pl_apply_result *res, struct pl_error *err)
{
    struct pl_job_detail d;
    struct pl__job j;
    char asset[32];
    bool ok = false;
    pl_status rc;

    if ((rc = pl_store_job_get(s, job_id, &d, err)) != PL_OK)
        return rc;
    if (snprintf(asset, sizeof(asset), "%lld", (long long)d.job.asset_id) < 0)
        asset[0] = '\0';
    rc = pl__apply_job_setup(&j, s, o, asset, o->root ? o->root : d.job.root, res, err);
    if (rc == PL_OK)
        rc = load_job(&j, &d, err);
    /* every kept file checked before the job exists: a refusal changes nothing */
    j.kept_job = job_id;
    for (size_t i = 0; rc == PL_OK && i < j.n_pkgs; i++)
        if (j.pkgs[i].kept)
            rc = pl__apply_kept_verify(&j, &j.pkgs[i], err);
    if (rc == PL_OK && (rc = pl__apply_job_start(&j, "rollback", job_id, err)) == PL_OK) {
        res->job_id = j.id;
        res->n_packages = j.n_pkgs;
        rc = record_rows(&j, &d, false, err);
        if (rc == PL_OK)
            rc = pl__apply_restore(&j, &ok, err);
        if (rc == PL_OK)
            rc = record_rows(&j, &d, true, err);
        if (rc == PL_OK && ok)
            rc = pl__apply_reopen_findings(&j, job_id, err);
        if (rc == PL_OK && ok)
            rc = pl_store_job_finish(s, job_id, "rolled-back", NULL, NULL, NULL, err);
        if (rc == PL_OK)
            rc = pl__apply_finish(&j, ok ? "succeeded" : "failed",
                                  ok ? NULL : "some packages were not restored", err);
        if (rc == PL_OK)
            rc = pl__apply_notify(&j, "rollback", err);
    }
    pl__apply_job_release(&j);
    pl_job_detail_release(&d);
    return rc;
}
