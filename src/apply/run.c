/*
 * run.c - pl_apply_run: one apply job from targets to health check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/inventory.h"
#include "patchline/limits.h"

#include "apply_int.h"
#include "setup_int.h"

static struct pl__pkg *pkg_find(struct pl__job *j, const char *name)
{
    for (size_t i = 0; i < j->n_pkgs; i++)
        if (strcmp(j->pkgs[i].name, name) == 0)
            return &j->pkgs[i];
    return NULL;
}

static pl_status check_pkg(const struct pl__job *j, const char *what, const char *name,
                           const char *version, struct pl_error *err)
{
    const char *eco = j->ex->ecosystem;

    if (!pl_apply_name_valid(eco, name))
        return pl_error_set(err, PL_E_INVALID, "%s: '%s' is not a valid %s package name", what,
                            name, eco);
    if (!pl_apply_version_valid(eco, version))
        return pl_error_set(err, PL_E_INVALID, "%s: '%s' is not a valid %s version", what, version,
                            eco);
    return PL_OK;
}

static struct pl__pkg *pkg_add(struct pl__job *j, const char *name, const char *version)
{
    struct pl__pkg *p;

    j->pkgs = pl_xrealloc(j->pkgs, (j->n_pkgs + 1) * sizeof(*j->pkgs));
    p = &j->pkgs[j->n_pkgs++];
    memset(p, 0, sizeof(*p));
    p->name = pl_xstrdup(name);
    p->target = pl_xstrdup(version);
    return p;
}

/* Packages and target versions: explicit, or the highest fixed version per package. */
static pl_status collect_targets(struct pl__job *j, struct pl_error *err)
{
    const struct pl_apply_opts *o = j->opts;
    char what[64];
    pl_status rc;

    if (o->n_packages > PL_MAX_APPLY_PACKAGES)
        return pl_error_set(err, PL_E_TOOBIG, "more than %d packages", PL_MAX_APPLY_PACKAGES);
    for (size_t i = 0; i < o->n_packages; i++) {
        if ((rc = check_pkg(j, "--package", o->packages[i].name, o->packages[i].version, err)))
            return rc;
        if (pkg_find(j, o->packages[i].name))
            return pl_error_set(err, PL_E_INVALID, "--package: '%s' given twice",
                                o->packages[i].name);
        pkg_add(j, o->packages[i].name, o->packages[i].version);
    }
    if (o->n_packages)
        return PL_OK;
    if ((rc = pl_store_apply_targets(j->s, j->asset_id, o->finding_ids, o->n_findings, &j->targets,
                                     err)) != PL_OK)
        return rc;
    if (j->targets.n == 0)
        return pl_error_set(err, PL_E_NOTFOUND,
                            "asset '%s' has no open finding with a fixed version", j->asset_name);
    for (size_t i = 0; i < j->targets.n; i++) {
        const struct pl_apply_target *t = &j->targets.items[i];

        if (snprintf(what, sizeof(what), "finding %lld", (long long)t->finding_id) < 0)
            what[0] = '\0';
        if ((rc = check_pkg(j, what, t->package, t->fixed_version, err)) != PL_OK)
            return rc;
    }
    for (size_t i = 0; i < j->targets.n; i++) {
        const struct pl_apply_target *t = &j->targets.items[i];
        struct pl__pkg *p = pkg_find(j, t->package);
        bool ge = false;

        if (p == NULL) {
            pkg_add(j, t->package, t->fixed_version);
        } else if ((rc = pl__apply_version_ge(j, p->target, t->fixed_version, &ge, err)) != PL_OK) {
            return rc;
        } else if (!ge) {
            free(p->target);
            p->target = pl_xstrdup(t->fixed_version);
        }
    }
    return PL_OK;
}

/* Installed versions before: from the package database under the root. */
static pl_status read_before(struct pl__job *j, struct pl_error *err)
{
    struct pl_collect_opts co = {j->ctx.host ? NULL : j->root, j->asset_name};
    struct pl_host_facts f;
    pl_status rc;
    size_t keep = 0;

    if ((rc = pl_host_collect(&co, &f, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < j->n_pkgs && rc == PL_OK; i++) {
        struct pl__pkg *p = &j->pkgs[i];

        for (size_t k = 0; k < f.packages.n && p->before == NULL; k++)
            if (strcmp(f.packages.items[k].name, p->name) == 0) {
                p->before = pl_xstrdup(f.packages.items[k].version);
                p->arch = pl_xstrdup(f.packages.items[k].arch ? f.packages.items[k].arch : "");
            }
        if (p->before == NULL)
            rc = pl_error_set(err, PL_E_NOTFOUND, "package '%s' is not installed under '%s'",
                              p->name, j->root);
    }
    pl_host_facts_release(&f);
    /* already at or above the target: nothing to install for it */
    for (size_t i = 0; i < j->n_pkgs && rc == PL_OK; i++) {
        bool ge = false;

        rc = pl__apply_version_ge(j, j->pkgs[i].before, j->pkgs[i].target, &ge, err);
        if (rc == PL_OK && ge) {
            struct pl__pkg done = j->pkgs[i];

            free(done.name);
            free(done.arch);
            free(done.target);
            free(done.before);
        } else if (rc == PL_OK) {
            j->pkgs[keep++] = j->pkgs[i];
        }
    }
    if (rc == PL_OK)
        j->n_pkgs = keep;
    return rc;
}

/* A dry run reads the package lists as they are; unanswered, the fixed versions stand. */
static pl_status resolve_dry(struct pl__job *j, struct pl_error *err)
{
    struct pl_error rerr = PL_ERROR_INIT;

    if (pl__apply_resolve_available(j, false, &rerr) == PL_OK) {
        j->res->n_packages = j->n_pkgs;
        return PL_OK;
    }
    if (rerr.code == PL_E_STORE)
        return pl_error_set(err, rerr.code, "%s", rerr.msg);
    pl__apply_job_say(j, "%s: the targets shown are the fixed versions", rerr.msg);
    return PL_OK;
}

static void argv_print(struct pl__job *j, const char *label, struct pl__argv *a)
{
    struct pl_buf b = PL_BUF_INIT(0);

    pl__apply_argv_render((const char *const *)a->v, &b);
    pl__apply_job_say(j, "%s: %s", label, pl_buf_cstr(&b));
    pl_buf_release(&b);
}

static void dry_run(struct pl__job *j)
{
    struct pl__argv a = {NULL, 0, 0};

    for (size_t i = 0; i < j->n_pkgs; i++)
        pl__apply_job_say(j, "would upgrade %s %s -> %s", j->pkgs[i].name, j->pkgs[i].before,
                          j->pkgs[i].target);
    if (j->ex->refresh) {
        j->ex->refresh(&j->ctx, &a);
        argv_print(j, "would run", &a);
        pl__apply_argv_release(&a);
    }
    if (j->n_pkgs) {
        j->ex->install(&j->ctx, j->pkgs, j->n_pkgs, &a);
        argv_print(j, "would run", &a);
        pl__apply_argv_release(&a);
    }
    snprintf(j->res->status, sizeof(j->res->status), "dry-run");
}

/* Run an optional hook; *ok is false when it is configured and fails. */
static pl_status hook(struct pl__job *j, const char *step, char **argv, long timeout, bool *ok,
                      bool *timed_out, struct pl_error *err)
{
    struct pl__ran r;
    pl_status rc;

    *ok = true;
    if (timed_out)
        *timed_out = false;
    if (argv == NULL)
        return PL_OK;
    rc = pl__apply_job_run(j, step, (const char *const *)argv, true, timeout, &r, err);
    *ok = rc == PL_OK && r.ran && r.exit_code == 0 && !r.timed_out;
    if (timed_out)
        *timed_out = r.timed_out;
    pl__apply_ran_release(&r);
    return rc;
}

/* Run a package-manager step built by fn; *ok when it exits 0. */
static pl_status pm_step(struct pl__job *j, const char *step, struct pl__argv *a, bool *ok,
                         struct pl_error *err)
{
    struct pl__ran r;
    pl_status rc = pl__apply_job_run(j, step, (const char *const *)a->v, false,
                                     j->cfg.command_timeout_ms, &r, err);

    *ok = rc == PL_OK && r.ran && r.exit_code == 0 && !r.timed_out;
    pl__apply_ran_release(&r);
    pl__apply_argv_release(a);
    return rc;
}

/* Keep, snapshot, refresh, install; then the checks of pl__apply_after_install. */
static pl_status execute(struct pl__job *j, struct pl_error *err)
{
    struct pl__argv a = {NULL, 0, 0};
    struct pl_error kerr = PL_ERROR_INIT;
    bool ok = true;
    pl_status rc;

    /* the lists first: what the repositories offer decides the targets */
    if (j->ex->refresh) {
        j->ex->refresh(&j->ctx, &a);
        if ((rc = pm_step(j, "refresh", &a, &ok, err)) != PL_OK)
            return rc;
        if (!ok)
            return pl__apply_finish(j, "failed",
                                    "refreshing the package lists failed: nothing was "
                                    "changed",
                                    err);
    }
    if (pl__apply_resolve_available(j, true, &kerr) != PL_OK) {
        if (kerr.code == PL_E_STORE)
            return pl_error_set(err, kerr.code, "%s", kerr.msg);
        return pl__apply_finish(j, "failed", kerr.msg, err);
    }
    j->res->n_packages = j->n_pkgs;
    if (j->n_pkgs == 0 && j->targets.n == 0)
        return pl__apply_finish(j, "succeeded", NULL, err); /* every fix awaits the repositories */
    for (size_t i = 0; i < j->n_pkgs; i++) {
        struct pl_job_package row = {j->pkgs[i].name,
                                     j->pkgs[i].arch,
                                     j->pkgs[i].target,
                                     j->pkgs[i].before,
                                     NULL,
                                     NULL,
                                     NULL,
                                     NULL};

        if ((rc = pl_store_job_package_put(j->s, j->id, &row, err)) != PL_OK)
            return rc;
    }
    if (pl__apply_keep_packages(j, &kerr) != PL_OK) {
        if (kerr.code == PL_E_STORE)
            return pl_error_set(err, kerr.code, "%s", kerr.msg);
        return pl__apply_finish(j, "failed", kerr.msg, err);
    }
    if ((rc = hook(j, "snapshot", j->cfg.snapshot, j->cfg.command_timeout_ms, &ok, NULL, err)))
        return rc;
    if (!ok)
        return pl__apply_finish(j, "failed", "the snapshot hook failed: nothing was changed", err);
    if (j->n_pkgs) {
        j->ex->install(&j->ctx, j->pkgs, j->n_pkgs, &a);
        if ((rc = pm_step(j, "install", &a, &ok, err)) != PL_OK)
            return rc;
    }
    if (!ok) {
        bool restored = false;

        if ((rc = pl__apply_restore(j, &restored, err)) != PL_OK)
            return rc;
        if (restored && j->n_reinstalled == 0)
            return pl__apply_finish(j, "failed", "the install command failed: nothing was changed",
                                    err);
        return pl__apply_finish(j, restored ? "rolled-back" : "rollback-failed",
                                "the install command failed", err);
    }
    return pl__apply_after_install(j, err);
}

pl_status pl_apply_run(struct pl_store *s, const struct pl_apply_opts *o,
                       struct pl_apply_result *res, struct pl_error *err)
{
    struct pl__job j;
    pl_status rc;

    if (o == NULL || o->asset == NULL)
        return pl_error_set(err, PL_E_INVALID, "pl_apply_run: asset required");
    if ((rc = pl__apply_job_setup(&j, s, o, o->asset, o->root, res, err)) == PL_OK &&
        (rc = collect_targets(&j, err)) == PL_OK && (rc = read_before(&j, err)) == PL_OK) {
        res->n_packages = j.n_pkgs;
        if (o->dry_run && (rc = resolve_dry(&j, err)) == PL_OK)
            dry_run(&j);
        else if ((rc = pl__apply_job_start(&j, "apply", 0, err)) == PL_OK)
            rc = execute(&j, err);
        res->job_id = j.id;
    }
    pl__apply_job_release(&j);
    return rc;
}
