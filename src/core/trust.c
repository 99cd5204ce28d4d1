/*
 * trust.c - the trust rule for the store, its folder and companions, and
 * the files kept under it (trust.h).
 */
#include "patchline/trust.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patchline/buf.h"
#include "patchline/sha256.h"

uid_t pl_trust_owner(void)
{
    return geteuid();
}

pl_status pl_trust_judge(const char *what, const char *path, const struct stat *st, uid_t owner,
                         struct pl_error *err)
{
    char whom[32];

    if (owner == 0)
        snprintf(whom, sizeof(whom), "root");
    else
        snprintf(whom, sizeof(whom), "uid %u", (unsigned)owner);
    if (st->st_uid != owner)
        return pl_error_set(err, PL_E_INVALID,
                            "%s '%s' is owned by uid %u, not %s: refusing it when running as %s",
                            what, path, (unsigned)st->st_uid, whom, whom);
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return pl_error_set(err, PL_E_INVALID,
                            "%s '%s' is writable by %s (mode %04o): refusing it when running as %s",
                            what, path, (st->st_mode & S_IWOTH) ? "others" : "its group",
                            (unsigned)(st->st_mode & 07777), whom);
    return PL_OK;
}

static pl_status refuse_link(const char *what, const char *path, struct pl_error *err)
{
    return pl_error_set(err, PL_E_INVALID, "%s '%s' is a symbolic link: refusing it", what, path);
}

pl_status pl_trust_check(const char *what, const char *path, uid_t owner, struct pl_error *err)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return pl_error_set(err, PL_E_IO, "%s '%s': %s", what, path, strerror(errno));
    if (S_ISLNK(st.st_mode))
        return refuse_link(what, path, err);
    return pl_trust_judge(what, path, &st, owner, err);
}

pl_status pl_trust_check_store(const char *path, uid_t owner, struct pl_error *err)
{
    static const char *const companions[] = {"-wal", "-shm", "-journal"};
    const char *slash = strrchr(path, '/');
    struct pl_buf b = PL_BUF_INIT(0);
    struct stat st;
    pl_status rc;

    if (slash == NULL)
        return pl_error_set(err, PL_E_INTERNAL, "store path '%s' is not absolute", path);
    pl_buf_add(&b, path, slash == path ? 1 : (size_t)(slash - path));
    rc = pl_trust_check("store folder", pl_buf_cstr(&b), owner, err);
    if (rc == PL_OK)
        rc = pl_trust_check("store", path, owner, err);
    for (size_t i = 0; rc == PL_OK && i < sizeof(companions) / sizeof(companions[0]); i++) {
        pl_buf_reset(&b);
        pl_buf_addf(&b, "%s%s", path, companions[i]);
        if (lstat(pl_buf_cstr(&b), &st) != 0) {
            if (errno != ENOENT)
                rc = pl_error_set(err, PL_E_IO, "store '%s': %s", pl_buf_cstr(&b), strerror(errno));
        } else if (S_ISLNK(st.st_mode)) {
            rc = refuse_link("store", pl_buf_cstr(&b), err);
        } else {
            rc = pl_trust_judge("store", pl_buf_cstr(&b), &st, owner, err);
        }
    }
    pl_buf_release(&b);
    return rc;
}

/* openat one component without following it; a symlink is named as such. */
static pl_status open_step(int dfd, const char *name, int flags, const char *what,
                           const char *shown, int *out, struct pl_error *err)
{
    int fd = openat(dfd, name, flags | O_NOFOLLOW | O_CLOEXEC), e = errno;
    struct stat st;

    /* a link gives ELOOP, or ENOTDIR with O_DIRECTORY */
    if (fd < 0 && (e == ELOOP || e == ENOTDIR) &&
        fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
        return refuse_link(what, shown, err);
    if (fd < 0)
        return pl_error_set(err, PL_E_IO, "%s '%s': %s", what, shown, strerror(e));
    *out = fd;
    return PL_OK;
}

static pl_status judge_fd(int fd, const char *what, const char *shown, bool want_file, uid_t owner,
                          struct pl_error *err)
{
    struct stat st;

    if (fstat(fd, &st) != 0)
        return pl_error_set(err, PL_E_IO, "%s '%s': %s", what, shown, strerror(errno));
    if (want_file && !S_ISREG(st.st_mode))
        return pl_error_set(err, PL_E_INVALID, "%s '%s' is not a regular file: refusing it", what,
                            shown);
    return pl_trust_judge(what, shown, &st, owner, err);
}

pl_status pl_trust_open_under(const char *what, const char *base, const char *path, uid_t owner,
                              int *fd_out, struct pl_error *err)
{
    size_t blen = strlen(base);
    char *shown, *comp, *next;
    int dfd = -1, fd = -1;
    pl_status rc;

    if (blen == 0 || base[0] != '/' || strncmp(path, base, blen) != 0 || path[blen] != '/' ||
        path[blen + 1] == '\0')
        return pl_error_set(err, PL_E_INVALID, "%s '%s' is not under '%s': refusing it", what, path,
                            base);
    shown = pl_xstrdup(path);
    shown[blen] = '\0';
    rc = open_step(AT_FDCWD, shown, O_RDONLY | O_DIRECTORY, "folder", shown, &dfd, err);
    if (rc == PL_OK)
        rc = judge_fd(dfd, "folder", shown, false, owner, err);
    for (comp = shown + blen + 1; rc == PL_OK; comp = next) {
        bool last;

        shown[comp - shown - 1] = '/'; /* shown: the path up to and with this component */
        next = strchr(comp, '/');
        last = next == NULL;
        if (!last)
            *next++ = '\0';
        if (*comp == '\0' || strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0) {
            rc = pl_error_set(err, PL_E_INVALID, "%s '%s': an empty, '.' or '..' component", what,
                              path);
            break;
        }
        rc = open_step(dfd, comp, last ? O_RDONLY | O_NONBLOCK : O_RDONLY | O_DIRECTORY,
                       last ? what : "folder", shown, &fd, err);
        if (rc == PL_OK)
            rc = judge_fd(fd, last ? what : "folder", shown, last, owner, err);
        close(dfd);
        dfd = fd;
        fd = -1;
        if (last)
            break;
    }
    free(shown);
    if (rc != PL_OK) {
        if (dfd >= 0)
            close(dfd);
        return rc;
    }
    *fd_out = dfd;
    return PL_OK;
}

pl_status pl_trust_fd_sha256(int fd, char hex[65], struct pl_error *err)
{
    unsigned char chunk[65536];
    struct pl_sha256 c;
    ssize_t n;

    pl_sha256_init(&c);
    for (;;) {
        n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            pl_sha256_release(&c);
            return pl_error_set(err, PL_E_IO, "cannot read for its digest: %s", strerror(errno));
        }
        if (n == 0)
            break;
        pl_sha256_update(&c, chunk, (size_t)n);
    }
    pl_sha256_hex(&c, hex);
    return PL_OK;
}

pl_status pl_trust_mkdir_private(const char *path, struct pl_error *err)
{
    struct stat st;

    if (mkdir(path, 0700) == 0) {
        if (chmod(path, 0700) != 0)
            return pl_error_set(err, PL_E_IO, "cannot set the mode of '%s': %s", path,
                                strerror(errno));
        return PL_OK;
    }
    if (errno != EEXIST)
        return pl_error_set(err, PL_E_IO, "cannot create '%s': %s", path, strerror(errno));
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return pl_error_set(err, PL_E_IO, "cannot create '%s': it exists and is not a folder",
                            path);
    return PL_OK;
}
