/*
 * setup.c - what apply and rollback check before a job exists: the trust
 * rule for the store and the config, the root, the executor, the asset, and
 * every package name and version that will reach a command line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patchline/file.h"
#include "patchline/inventory.h"
#include "patchline/limits.h"
#include "patchline/trust.h"

#include "apply_int.h"
#include "setup_int.h"

static pl_status asset_name(struct pl_store *s, int64_t id, char **out, struct pl_error *err)
{
    struct pl_asset_list l = {NULL, 0};
    pl_status rc;

    if ((rc = pl_store_asset_list(s, &l, err)) != PL_OK)
        return rc;
    *out = NULL;
    for (size_t i = 0; i < l.n && *out == NULL; i++)
        if (l.items[i].id == id)
            *out = pl_xstrdup(l.items[i].name);
    pl_asset_list_release(&l);
    if (*out == NULL)
        return pl_error_set(err, PL_E_NOTFOUND, "asset %lld is retired", (long long)id);
    return PL_OK;
}

/*
 * The root must be the asset's machine: collect its inventory as `inventory
 * collect` would and compare the asset it maps to. Kept (the inventory before
 * the job) when it matches and this is no dry run; undone otherwise.
 */
static pl_status same_machine(struct pl__job *j, bool dry_run, struct pl_error *err)
{
    struct pl_collect_opts co = {j->ctx.host ? NULL : j->root, j->asset_name};
    struct pl_collect_summary sum;
    pl_status rc;

    if ((rc = pl_store_begin(j->s, err)) != PL_OK)
        return rc;
    if ((rc = pl_inventory_collect(j->s, &co, &sum, err)) != PL_OK) {
        pl_store_rollback(j->s);
        return rc;
    }
    if (sum.asset_id != j->asset_id) {
        pl_store_rollback(j->s);
        return pl_error_set(err, PL_E_CONFLICT,
                            "'%s' is not asset %lld (%s): its inventory is %s; collect it and "
                            "apply to its own asset",
                            j->root, (long long)j->asset_id, j->asset_name,
                            sum.created ? "no known asset" : "another asset");
    }
    if (dry_run) {
        pl_store_rollback(j->s);
        return PL_OK;
    }
    return pl_store_commit(j->s, err);
}

pl_status pl__apply_job_setup(struct pl__job *j, struct pl_store *s, const struct pl_apply_opts *o,
                              const char *asset, const char *root, struct pl_apply_result *res,
                              struct pl_error *err)
{
    bool as_root = geteuid() == 0;
    pl_status rc;

    memset(j, 0, sizeof(*j));
    memset(res, 0, sizeof(*res));
    j->s = s;
    j->opts = o;
    j->res = res;
    pl_apply_config_init(&j->cfg);
    /* the CLI checked before SQLite read the store (PL_STORE_TRUSTED); library callers here
       (a database has no file: its job folders pass the trust rule in pl__apply_job_start) */
    if (as_root && !pl_store_target_is_url(pl_store_path(s)) &&
        (rc = pl_trust_check_store(pl_store_path(s), 0, err)) != PL_OK)
        return rc;
    if (o->config_path &&
        (rc = pl_apply_config_load(o->config_path, as_root, &j->cfg, err)) != PL_OK)
        return rc;
    if ((rc = pl__apply_root_resolve(root, &j->root, &j->ctx.host, err)) != PL_OK)
        return rc;
    j->ctx.root = j->root;
    if ((j->ex = pl__apply_executor_detect(j->root)) == NULL)
        return pl_error_set(err, PL_E_NOTFOUND,
                            "no package database under '%s' (looked for var/lib/dpkg/status, "
                            "lib/apk/db/installed, var/lib/rpm)",
                            j->root);
    if ((rc = pl_store_asset_resolve(s, asset, &j->asset_id, err)) != PL_OK)
        return rc;
    if ((rc = asset_name(s, j->asset_id, &j->asset_name, err)) != PL_OK)
        return rc;
    return same_machine(j, o->dry_run, err);
}

/* mkdir 0700 whatever the umask (an existing folder is fine); it must pass the trust rule. */
static pl_status keep_folder(const char *path, struct pl_error *err)
{
    pl_status rc = pl_trust_mkdir_private(path, err);

    return rc != PL_OK ? rc : pl_trust_check("keep folder", path, pl_trust_owner(), err);
}

pl_status pl__apply_job_start(struct pl__job *j, const char *kind, int64_t parent,
                              struct pl_error *err)
{
    struct pl_job_new row = {kind, j->ex->name, j->root, j->asset_id, parent, 0, 0};
    struct pl_buf dir = PL_BUF_INIT(PL_MAX_APPLY_PATH_BYTES * 2);
    struct pl_error kerr = PL_ERROR_INIT;
    pl_status rc;

    /* the job folders belong to one store: STORE.jobs/ID beside it (absolute: pl_store_path),
       or a database's stand-in folder (pl_store_files_base) */
    rc = pl__apply_job_dir(j->s, 0, &dir, err);
    if (rc == PL_OK)
        rc = keep_folder(pl_buf_cstr(&dir), err);
    row.rollout_id = j->opts->rollout_id;
    row.wave = j->opts->wave;
    if (rc == PL_OK)
        rc = pl_store_job_create(j->s, &row, &j->id, err);
    if (rc != PL_OK) {
        pl_buf_release(&dir);
        return rc;
    }
    if ((rc = pl__apply_job_dir(j->s, j->id, &dir, err)) != PL_OK) {
        pl_buf_release(&dir);
        return rc;
    }
    j->keep_dir = pl_xstrdup(pl_buf_cstr(&dir));
    if (strcmp(kind, "apply") == 0)
        j->kept_job = j->id;
    pl_buf_release(&dir);
    if (keep_folder(j->keep_dir, &kerr) != PL_OK ||
        pl_store_job_set_keep_dir(j->s, j->id, j->keep_dir, &kerr) != PL_OK ||
        (!j->ctx.host && pl__apply_write_apt_config(j, &kerr) != PL_OK)) {
        /* the job exists: end it rather than leave it running */
        if (pl_store_job_finish(j->s, j->id, "failed", NULL, NULL, kerr.msg, err) != PL_OK)
            return err ? err->code : PL_E_STORE;
        return pl_error_set(err, kerr.code, "%s", kerr.msg);
    }
    return PL_OK;
}

/* apt under a root reads ROOT/etc/apt only: APT_CONFIG names this file. */
pl_status pl__apply_write_apt_config(struct pl__job *j, struct pl_error *err)
{
    struct pl_buf path = PL_BUF_INIT(0);
    FILE *fp;
    pl_status rc = PL_OK;

    if (strcmp(j->ex->name, "apt") != 0)
        return PL_OK;
    pl_buf_addf(&path, "%s/apt.conf", j->keep_dir);
    if ((rc = pl_file_create(pl_buf_cstr(&path), 0600, &fp, err)) == PL_OK) {
        /* the root holds only characters pl__apply_root_resolve allows: no quote, no newline */
        fprintf(fp, "Dir \"%s/\";\n", j->root);
        if (fclose(fp) != 0)
            rc = pl_error_set(err, PL_E_IO, "cannot write '%s'", pl_buf_cstr(&path));
    }
    if (rc == PL_OK) {
        j->apt_config = pl_xstrdup(pl_buf_cstr(&path));
        j->ctx.apt_config = j->apt_config;
    }
    pl_buf_release(&path);
    return rc;
}
