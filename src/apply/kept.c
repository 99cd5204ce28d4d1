/*
 * kept.c - the job folders beside the store and the trust rule for the
 * package files kept in them: a rollback, often run as root, installs these
 * files, so each one must still be the file that was kept, in a folder
 * nobody else can write (docs/security.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patchline/trust.h"

#include "apply_int.h"

pl_status pl__apply_job_dir(struct pl_store *s, int64_t id, struct pl_buf *out,
                            struct pl_error *err)
{
    pl_status rc = pl_store_files_base(s, out, err);

    if (rc != PL_OK)
        return rc;
    pl_buf_adds(out, ".jobs");
    if (id > 0)
        pl_buf_addf(out, "/%lld", (long long)id);
    return pl_buf_status(out) == PL_OK ? PL_OK
                                       : pl_error_set(err, PL_E_TOOBIG, "store path too long");
}

/* The folder that holds the store's files (pl_store_files_base: absolute). */
static pl_status store_dir(struct pl_store *s, char **out, struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(0);
    const char *path, *slash;
    pl_status rc = pl_store_files_base(s, &b, err);

    if (rc == PL_OK) {
        path = pl_buf_cstr(&b);
        slash = strrchr(path, '/');
        *out = pl_xstrndup(path, slash == NULL || slash == path ? 1 : (size_t)(slash - path));
    }
    pl_buf_release(&b);
    return rc;
}

/* Open the kept file through the trust rule and digest it. */
static pl_status digest(struct pl__job *j, const char *file, char hex[65], struct pl_error *err)
{
    char *base = NULL;
    int fd = -1;
    pl_status rc = store_dir(j->s, &base, err);

    if (rc == PL_OK)
        rc = pl_trust_open_under("kept file", base, file, pl_trust_owner(), &fd, err);

    if (rc == PL_OK) {
        rc = pl_trust_fd_sha256(fd, hex, err);
        if (rc != PL_OK)
            pl_error_prefix(err, "kept file '%s'", file);
        close(fd);
    }
    free(base);
    return rc;
}

pl_status pl__apply_kept_seal(struct pl__job *j, struct pl__pkg *p, struct pl_error *err)
{
    int fd = open(p->kept, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    char hex[65];
    pl_status rc;

    /* the tools that made it (cache copy, download, repack) follow the umask */
    if (fd < 0 || fchmod(fd, 0600) != 0) {
        rc = pl_error_set(err, PL_E_IO, "kept file '%s': %s", p->kept, strerror(errno));
        if (fd >= 0)
            close(fd);
        return rc;
    }
    close(fd);
    if ((rc = digest(j, p->kept, hex, err)) != PL_OK)
        return rc;
    free(p->kept_sha256);
    p->kept_sha256 = pl_xstrdup(hex);
    return PL_OK;
}

pl_status pl__apply_kept_verify(struct pl__job *j, const struct pl__pkg *p, struct pl_error *err)
{
    struct pl_buf dir = PL_BUF_INIT(0);
    char hex[65];
    bool under;
    pl_status rc;

    if ((rc = pl__apply_job_dir(j->s, j->kept_job, &dir, err)) != PL_OK) {
        pl_buf_release(&dir);
        return rc;
    }
    pl_buf_addch(&dir, '/');
    under = strncmp(p->kept, pl_buf_cstr(&dir), dir.len) == 0;
    if (!under)
        rc = pl_error_set(err, PL_E_INVALID,
                          "kept file '%s' is not in the folder of job %lld ('%.*s'): refusing it",
                          p->kept, (long long)j->kept_job, (int)(dir.len - 1), pl_buf_cstr(&dir));
    else if (p->kept_sha256 == NULL)
        rc = pl_error_set(err, PL_E_INVALID,
                          "kept file '%s' has no recorded digest (kept before digests were "
                          "recorded): refusing it",
                          p->kept);
    else if ((rc = digest(j, p->kept, hex, err)) == PL_OK && strcmp(hex, p->kept_sha256) != 0)
        rc = pl_error_set(err, PL_E_INVALID,
                          "kept file '%s' has changed since it was kept (SHA-256 %.16s..., "
                          "recorded %.16s...): refusing it",
                          p->kept, hex, p->kept_sha256);
    pl_buf_release(&dir);
    return rc;
}
