/*
 * file_out.c - creating output files without following links planted at
 * their paths (file.h, issue 11).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patchline/file.h"

/* openat name (in dfd) for writing: no link followed, no hard-linked file truncated. */
static pl_status create_at(int dfd, const char *name, const char *shown, unsigned mode, FILE **out,
                           struct pl_error *err)
{
    int fd =
        openat(dfd, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, (mode_t)mode);
    struct stat st;
    FILE *fp;

    if (fd < 0)
        return errno == ELOOP
                   ? pl_error_set(err, PL_E_IO,
                                  "cannot write '%s': it is a symbolic link (refusing "
                                  "to follow it)",
                                  shown)
                   : pl_error_set(err, PL_E_IO, "cannot write '%s': %s", shown, strerror(errno));
    if (fstat(fd, &st) != 0) {
        pl_status rc = pl_error_set(err, PL_E_IO, "cannot write '%s': %s", shown, strerror(errno));
        close(fd);
        return rc;
    }
    if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
        close(fd);
        return pl_error_set(err, PL_E_IO,
                            "cannot write '%s': it has %lu hard links (refusing to write through "
                            "them)",
                            shown, (unsigned long)st.st_nlink);
    }
    if ((S_ISREG(st.st_mode) && ftruncate(fd, 0) != 0) ||
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 ||
        (fp = fdopen(fd, "wb")) == NULL) {
        pl_status rc = pl_error_set(err, PL_E_IO, "cannot write '%s': %s", shown, strerror(errno));
        close(fd);
        return rc;
    }
    *out = fp;
    return PL_OK;
}

pl_status pl_file_create(const char *path, unsigned mode, FILE **out, struct pl_error *err)
{
    if (path == NULL || *path == '\0')
        return pl_error_set(err, PL_E_INVALID, "pl_file_create: no path");
    return create_at(AT_FDCWD, path, path, mode, out, err);
}

/* Enter (creating it when missing) folder name of dfd without following a link. */
static pl_status enter_dir(int *dfd, const char *name, const char *shown, struct pl_error *err)
{
    int fd;

    if (mkdirat(*dfd, name, 0755) != 0 && errno != EEXIST)
        return pl_error_set(err, PL_E_IO, "cannot create '%s': %s", shown, strerror(errno));
    fd = openat(*dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return pl_error_set(err, PL_E_IO, "cannot write under '%s': %s", shown,
                            errno == ELOOP || errno == ENOTDIR
                                ? "it is a symbolic link or no folder (refusing to follow it)"
                                : strerror(errno));
    close(*dfd);
    *dfd = fd;
    return PL_OK;
}

/* mkdir -p dir (the folder the user named: followed as given), 0755 less the umask. */
static pl_status make_dir(const char *dir, struct pl_error *err)
{
    char *d = pl_xstrdup(dir);
    pl_status rc = PL_OK;

    for (char *p = d + 1;; p++) {
        bool end = *p == '\0';

        if (*p != '/' && !end)
            continue;
        *p = '\0';
        if (mkdir(d, 0755) != 0 && errno != EEXIST) {
            rc = pl_error_set(err, PL_E_IO, "cannot create '%s': %s", d, strerror(errno));
            break;
        }
        if (end)
            break;
        *p = '/';
    }
    free(d);
    return rc;
}

pl_status pl_file_create_under(const char *dir, const char *rel, unsigned mode, FILE **out,
                               struct pl_error *err)
{
    size_t dlen = strlen(dir);
    char *shown = NULL, *comp, *next;
    int dfd;
    pl_status rc = PL_OK;

    if (*rel == '\0' || *rel == '/')
        return pl_error_set(err, PL_E_INVALID, "bad output name '%s'", rel);
    if (*dir == '\0' || (rc = make_dir(dir, err)) != PL_OK)
        return rc != PL_OK ? rc : pl_error_set(err, PL_E_INVALID, "no output folder");
    if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return pl_error_set(err, PL_E_IO, "cannot write under '%s': %s", dir, strerror(errno));
    shown = pl_xmalloc(dlen + strlen(rel) + 2);
    memcpy(shown, dir, dlen);
    shown[dlen] = '/';
    memcpy(shown + dlen + 1, rel, strlen(rel) + 1);
    for (comp = shown + dlen + 1; rc == PL_OK; comp = next) {
        next = strchr(comp, '/');
        if (next)
            *next = '\0';
        if (*comp == '\0' || strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0)
            rc = pl_error_set(err, PL_E_INVALID, "bad output name '%s'", rel);
        else if (next == NULL)
            rc = create_at(dfd, comp, shown, mode, out, err);
        else
            rc = enter_dir(&dfd, comp, shown, err);
        if (next == NULL)
            break;
        *next++ = '/';
    }
    close(dfd);
    free(shown);
    return rc;
}

pl_status pl_file_write(const char *dir, const char *path, const void *data, size_t len,
                        unsigned mode, struct pl_error *err)
{
    FILE *fp = NULL;
    pl_status rc = dir ? pl_file_create_under(dir, path, mode, &fp, err)
                       : pl_file_create(path, mode, &fp, err);
    bool ok;

    if (rc != PL_OK)
        return rc;
    ok = fwrite(data, 1, len, fp) == len;
    if (fclose(fp) != 0)
        ok = false;
    if (!ok)
        return pl_error_set(err, PL_E_IO, "cannot write '%s%s%s': %s", dir ? dir : "",
                            dir ? "/" : "", path, strerror(errno));
    return PL_OK;
}

pl_status pl_file_copy(const char *from, const char *to, unsigned mode, struct pl_error *err)
{
    struct pl_buf tmp = PL_BUF_INIT(0);
    char chunk[65536];
    FILE *out = NULL;
    ssize_t n = 0;
    pl_status rc;
    int in;

    if ((in = open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return pl_error_set(err, errno == ENOENT ? PL_E_NOTFOUND : PL_E_IO, "cannot open '%s': %s",
                            from, strerror(errno));
    pl_buf_addf(&tmp, "%s.tmp", to);
    if ((rc = pl_file_create(pl_buf_cstr(&tmp), mode, &out, err)) == PL_OK) {
        while ((n = read(in, chunk, sizeof(chunk))) > 0)
            if (fwrite(chunk, 1, (size_t)n, out) != (size_t)n)
                break;
        if (n < 0)
            rc = pl_error_set(err, PL_E_IO, "cannot read '%s': %s", from, strerror(errno));
        else if (n > 0 || fflush(out) != 0 || fsync(fileno(out)) != 0)
            rc = pl_error_set(err, PL_E_IO, "cannot write '%s': %s", to, strerror(errno));
        if (fclose(out) != 0 && rc == PL_OK)
            rc = pl_error_set(err, PL_E_IO, "cannot write '%s': %s", to, strerror(errno));
        if (rc == PL_OK && rename(pl_buf_cstr(&tmp), to) != 0)
            rc = pl_error_set(err, PL_E_IO, "cannot write '%s': %s", to, strerror(errno));
        if (rc != PL_OK)
            (void)unlink(pl_buf_cstr(&tmp));
    }
    close(in);
    pl_buf_release(&tmp);
    return rc;
}
