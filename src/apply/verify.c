/*
 * verify.c - after an update: re-collect the inventory of the root, and
 * close each targeted finding whose fixed version is now installed, with the
 * proof (job, version seen) recorded in the job. After a rollback: reopen
 * what the job had closed.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/inventory.h"

#include "apply_int.h"

/* The installed version of name in l (first arch), or NULL. */
static const char *installed(const struct pl_package_list *l, const char *eco, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].ecosystem, eco) == 0 && strcmp(l->items[i].name, name) == 0)
            return l->items[i].version;
    return NULL;
}

pl_status pl__apply_recollect(struct pl__job *j, bool record, struct pl_error *err)
{
    struct pl_collect_opts co = {j->ctx.host ? NULL : j->root, j->asset_name};
    struct pl_collect_summary sum;
    struct pl_package_list l = {NULL, 0, 0};
    pl_status rc;

    if ((rc = pl_store_begin(j->s, err)) != PL_OK)
        return rc;
    if ((rc = pl_inventory_collect(j->s, &co, &sum, err)) != PL_OK) {
        pl_store_rollback(j->s);
        return rc;
    }
    if ((rc = pl_store_commit(j->s, err)) != PL_OK)
        return rc;
    if (sum.asset_id != j->asset_id)
        return pl_error_set(err, PL_E_CONFLICT,
                            "the root '%s' was recorded as asset %lld, not asset %lld", j->root,
                            (long long)sum.asset_id, (long long)j->asset_id);
    if ((rc = pl_store_package_list(j->s, j->asset_id, &l, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < j->n_pkgs; i++) {
        const char *v = installed(&l, j->ex->ecosystem, j->pkgs[i].name);

        free(j->pkgs[i].after);
        j->pkgs[i].after = v ? pl_xstrdup(v) : NULL;
    }
    for (size_t i = 0; record && i < j->n_pkgs && rc == PL_OK; i++) {
        const struct pl__pkg *p = &j->pkgs[i];
        struct pl_job_package row = {p->name,  p->arch, p->target,   p->before,
                                     p->after, p->kept, p->kept_how, p->kept_sha256};

        rc = pl_store_job_package_put(j->s, j->id, &row, err);
    }
    if (rc == PL_OK)
        rc = pl__apply_job_note(j, "verify", err, "inventory re-collected: %zu %s packages",
                                sum.n_packages, sum.ecosystem);
    pl_package_list_release(&l);
    return rc;
}

static const char *after_of(const struct pl__job *j, const char *name)
{
    for (size_t i = 0; i < j->n_pkgs; i++)
        if (strcmp(j->pkgs[i].name, name) == 0)
            return j->pkgs[i].after;
    return NULL;
}

static pl_status verify_one(struct pl__job *j, const struct pl_apply_target *t, bool *tier0,
                            struct pl_error *err)
{
    const char *seen = after_of(j, t->package);
    bool ge = false, changed = false;
    pl_status rc;

    if (seen && (rc = pl__apply_version_ge(j, seen, t->fixed_version, &ge, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_begin(j->s, err)) != PL_OK)
        return rc;
    if (ge)
        rc = pl_store_finding_close(j->s, t->finding_id, &changed, err);
    if (rc == PL_OK)
        rc = pl_store_job_finding_put(j->s, j->id, t->finding_id, ge ? "fixed" : "not-fixed", seen,
                                      err);
    if (rc == PL_OK)
        rc = pl__apply_job_note(j, "verify", err, "finding %lld (%s, %s): %s %s, fixed in %s",
                                (long long)t->finding_id, t->vuln_id, t->package,
                                ge ? "closed: installed" : "still open: installed",
                                seen ? seen : "(none)", t->fixed_version);
    if (rc != PL_OK) {
        pl_store_rollback(j->s);
        return rc;
    }
    if ((rc = pl_store_commit(j->s, err)) != PL_OK)
        return rc;
    if (ge) {
        j->res->n_fixed++;
        if (t->tier == 0)
            *tier0 = true;
    } else {
        j->res->n_not_fixed++;
    }
    return PL_OK;
}

pl_status pl__apply_verify_findings(struct pl__job *j, struct pl_error *err)
{
    bool tier0 = false;

    for (size_t i = 0; i < j->targets.n; i++) {
        pl_status rc = verify_one(j, &j->targets.items[i], &tier0, err);

        if (rc != PL_OK)
            return rc;
    }
    if (tier0)
        return pl__apply_notify(j, "tier0-applied", err);
    return PL_OK;
}

pl_status pl__apply_reopen_findings(struct pl__job *j, int64_t closed_by, struct pl_error *err)
{
    struct pl_job_detail d;
    pl_status rc;

    if ((rc = pl_store_job_get(j->s, closed_by, &d, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_begin(j->s, err)) != PL_OK) {
        pl_job_detail_release(&d);
        return rc;
    }
    for (size_t i = 0; i < d.n_findings && rc == PL_OK; i++) {
        const struct pl_job_finding *f = &d.findings[i];
        bool changed = false;

        if (strcmp(f->outcome, "fixed") != 0)
            continue;
        rc = pl_store_finding_reopen(j->s, f->finding_id, &changed, err);
        if (rc == PL_OK)
            rc = pl_store_job_finding_put(j->s, closed_by, f->finding_id, "reopened",
                                          f->version_seen, err);
        if (rc == PL_OK && closed_by != j->id)
            rc = pl_store_job_finding_put(j->s, j->id, f->finding_id, "reopened", NULL, err);
        if (rc == PL_OK)
            rc = pl__apply_job_note(j, "rollback", err, "finding %lld (%s) reopened",
                                    (long long)f->finding_id, f->vuln_id);
    }
    if (rc != PL_OK)
        pl_store_rollback(j->s);
    else
        rc = pl_store_commit(j->s, err);
    pl_job_detail_release(&d);
    return rc;
}
