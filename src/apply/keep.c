/*
 * keep.c - keep the package file of every version a job replaces, so that a
 * rollback never depends on a repository still offering it. In order: the
 * package manager's cache under the root, a download of that exact version,
 * a rebuild from the installed files (dpkg-repack). Each candidate is
 * checked (name and version read from the file) before it is kept; the kept
 * file is made 0600 and its SHA-256 recorded, to be checked before any
 * reinstall (kept.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "patchline/file.h"
#include "patchline/limits.h"
#include "patchline/trust.h"

#include "apply_int.h"

/* The one regular file in dir (a per-package folder), or NULL. */
static char *only_file(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *found = NULL;
    int n = 0;

    if (d == NULL)
        return NULL;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        n++;
        free(found);
        found = pl_xstrdup(e->d_name);
    }
    closedir(d);
    if (n != 1) {
        free(found);
        return NULL;
    }
    return found;
}

/* Whether file holds package p at its before version (by the package tool's reading). */
static pl_status file_matches(struct pl__job *j, const struct pl__pkg *p, const char *file,
                              bool *ok, struct pl_error *err)
{
    struct pl__argv a = {NULL, 0, 0};
    struct pl_buf want = PL_BUF_INIT(0);
    struct pl__ran r;
    pl_status rc;

    *ok = false;
    if (j->ex->file_info == NULL)
        return PL_OK;
    j->ex->file_info(file, &a);
    rc = pl__apply_job_run(j, "keep", (const char *const *)a.v, false, 60L * 1000, &r, err);
    if (rc == PL_OK && r.ran && r.exit_code == 0) {
        pl_buf_addf(&want, "%s\n%s\n", p->name, p->before);
        *ok = strcmp(r.out ? r.out : "", pl_buf_cstr(&want)) == 0;
    }
    pl__apply_ran_release(&r);
    pl__apply_argv_release(&a);
    pl_buf_release(&want);
    return rc;
}

/* Run a download/repack builder into a fresh folder; *file is the file it made, else NULL. */
static pl_status fetch_into(struct pl__job *j, const struct pl__pkg *p,
                            void (*build)(const struct pl__exec_ctx *, const struct pl__pkg *,
                                          const char *, struct pl__argv *),
                            const char *how, char **file, struct pl_error *err)
{
    struct pl_buf dir = PL_BUF_INIT(0);
    struct pl__argv a = {NULL, 0, 0};
    struct pl__ran r = {false, 0, false, NULL};
    pl_status rc = PL_OK;
    char *name;

    *file = NULL;
    pl_buf_addf(&dir, "%s/%s-%s", j->keep_dir, how, p->name);
    if ((rc = pl_trust_mkdir_private(pl_buf_cstr(&dir), err)) != PL_OK)
        goto out;
    build(&j->ctx, p, pl_buf_cstr(&dir), &a);
    rc = pl__apply_job_run(j, "keep", (const char *const *)a.v, false, j->cfg.command_timeout_ms,
                           &r, err);
    if (rc == PL_OK && r.ran && r.exit_code == 0 && (name = only_file(pl_buf_cstr(&dir)))) {
        pl_buf_addf(&dir, "/%s", name);
        *file = pl_xstrdup(pl_buf_cstr(&dir));
        free(name);
    }
out:
    pl__apply_ran_release(&r);
    pl__apply_argv_release(&a);
    pl_buf_release(&dir);
    return rc;
}

/* The cached file copied into the keep folder, or NULL. */
static pl_status from_cache(struct pl__job *j, const struct pl__pkg *p, char **file,
                            struct pl_error *err)
{
    struct pl_buf path = PL_BUF_INIT(PL_MAX_APPLY_PATH_BYTES * 2), to = PL_BUF_INIT(0);
    pl_status rc = PL_OK;

    *file = NULL;
    if (j->ex->cache_path && j->ex->cache_path(&j->ctx, p, &path) &&
        pl_path_exists(pl_buf_cstr(&path))) {
        const char *base = strrchr(pl_buf_cstr(&path), '/') + 1;
        pl_buf_addf(&to, "%s/%s", j->keep_dir, base);
        if ((rc = pl_file_copy(pl_buf_cstr(&path), pl_buf_cstr(&to), 0600, err)) == PL_OK)
            *file = pl_xstrdup(pl_buf_cstr(&to));
    }
    pl_buf_release(&path);
    pl_buf_release(&to);
    return rc;
}

static pl_status keep_one(struct pl__job *j, struct pl__pkg *p, struct pl_error *err)
{
    static const char *const hows[] = {"cache", "download", "repack"};
    pl_status rc = PL_OK;

    for (size_t i = 0; i < PL_ARRAY_LEN(hows) && p->kept == NULL && rc == PL_OK; i++) {
        char *file = NULL;
        bool ok = false;

        if (i == 0)
            rc = from_cache(j, p, &file, err);
        else if (i == 1 && j->ex->download)
            rc = fetch_into(j, p, j->ex->download, hows[i], &file, err);
        else if (i == 2 && j->ex->repack)
            rc = fetch_into(j, p, j->ex->repack, hows[i], &file, err);
        if (rc == PL_OK && file && (rc = file_matches(j, p, file, &ok, err)) == PL_OK && ok) {
            p->kept = file;
            p->kept_how = pl_xstrdup(hows[i]);
            file = NULL;
            rc = pl__apply_kept_seal(j, p, err); /* its digest, checked before any reinstall */
        }
        free(file);
    }
    if (rc != PL_OK)
        return rc;
    if (p->kept == NULL)
        return pl_error_set(err, PL_E_NOTFOUND,
                            "cannot keep %s %s for rollback: not in the cache, not downloadable, "
                            "not rebuildable",
                            p->name, p->before);
    return pl__apply_job_note(j, "keep", err, "kept %s %s (%s): %s", p->name, p->before,
                              p->kept_how, p->kept);
}

pl_status pl__apply_keep_packages(struct pl__job *j, struct pl_error *err)
{
    pl_status rc0 = pl_trust_mkdir_private(j->keep_dir, err);

    if (rc0 != PL_OK)
        return rc0;
    for (size_t i = 0; i < j->n_pkgs; i++) {
        struct pl__pkg *p = &j->pkgs[i];
        struct pl_job_package row = {p->name, p->arch, p->target, p->before,
                                     NULL,    NULL,    NULL,      NULL};
        pl_status rc;

        if ((rc = keep_one(j, p, err)) != PL_OK)
            return rc;
        row.kept_file = p->kept;
        row.kept_how = p->kept_how;
        row.kept_sha256 = p->kept_sha256;
        if ((rc = pl_store_job_package_put(j->s, j->id, &row, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}
