/*
 * state.c - the agent's state folder: its credential (mode 0600, owned by
 * the agent's user, checked on every start), written atomically.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patchline/file.h"

#include "agent_int.h"

pl_status pl__agent_write(const char *path, const char *data, size_t len, struct pl_error *err)
{
    char tmp[4200];
    int fd;
    ssize_t w = 0;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        return pl_error_set(err, PL_E_INVALID, "'%s': path too long", path);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return pl_error_set(err, PL_E_IO, "'%s': %s", tmp, strerror(errno));
    for (size_t off = 0; off < len && w >= 0; off += (size_t)w)
        w = write(fd, data + off, len - off);
    if (w < 0 || fchmod(fd, 0600) != 0 || fsync(fd) != 0) {
        int e = errno;

        close(fd);
        unlink(tmp);
        return pl_error_set(err, PL_E_IO, "'%s': %s", tmp, strerror(e));
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        int e = errno;

        unlink(tmp);
        return pl_error_set(err, PL_E_IO, "'%s': %s", path, strerror(e));
    }
    return PL_OK;
}

pl_status pl__agent_state_dir(const char *state, struct pl_error *err)
{
    struct stat st;

    if (state[0] != '/')
        return pl_error_set(err, PL_E_INVALID, "--state '%s': want an absolute path", state);
    if (mkdir(state, 0700) != 0 && errno != EEXIST)
        return pl_error_set(err, PL_E_IO, "state folder '%s': %s", state, strerror(errno));
    if (lstat(state, &st) != 0 || !S_ISDIR(st.st_mode))
        return pl_error_set(err, PL_E_IO, "state folder '%s': not a folder", state);
    if (st.st_uid != geteuid() || (st.st_mode & 077) != 0)
        return pl_error_set(err, PL_E_DENIED,
                            "state folder '%s': want mode 0700 and owner uid %u (it has %04o, "
                            "uid %u)",
                            state, (unsigned)geteuid(), (unsigned)(st.st_mode & 07777),
                            (unsigned)st.st_uid);
    return PL_OK;
}

static void put(struct pl_buf *b, const char *key, const char *val)
{
    pl_buf_addf(b, "%s=%s\n", key, val);
}

pl_status pl__agent_cred_save(const char *state, const struct pl__agent_cred *c,
                              struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(0);
    char path[4096];
    pl_status rc;

    if (snprintf(path, sizeof(path), "%s/credential", state) >= (int)sizeof(path))
        return pl_error_set(err, PL_E_INVALID, "--state: path too long");
    put(&b, "server", c->server);
    put(&b, "host", c->host);
    put(&b, "credential", c->credential);
    put(&b, "pin", c->pin);
    put(&b, "ca_file", c->ca_file);
    rc = pl__agent_write(path, pl_buf_cstr(&b), b.len, err);
    if (b.buf)
        memset(b.buf, 0, b.len);
    pl_buf_release(&b);
    return rc;
}

static bool take(const char *line, const char *key, char *out, size_t size)
{
    size_t n = strlen(key);

    if (strncmp(line, key, n) != 0 || line[n] != '=')
        return false;
    return snprintf(out, size, "%s", line + n + 1) < (int)size;
}

pl_status pl__agent_cred_load(const char *state, struct pl__agent_cred *c, struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(16384);
    char path[4096];
    struct stat st;
    pl_status rc;

    memset(c, 0, sizeof(*c));
    if (snprintf(path, sizeof(path), "%s/credential", state) >= (int)sizeof(path))
        return pl_error_set(err, PL_E_INVALID, "--state: path too long");
    if (lstat(path, &st) != 0)
        return pl_error_set(err, PL_E_NOTFOUND, "'%s': %s (enrol first: patchline-agent enroll)",
                            path, strerror(errno));
    if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0)
        return pl_error_set(err, PL_E_DENIED,
                            "credential '%s': want a file of mode 0600 owned by uid %u (it has "
                            "%04o, uid %u): refusing it",
                            path, (unsigned)geteuid(), (unsigned)(st.st_mode & 07777),
                            (unsigned)st.st_uid);
    if ((rc = pl_file_read(path, 16384, &b, err)) != PL_OK)
        return rc;
    for (char *line = b.buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        if ((nl = strchr(line, '\n')) != NULL)
            *nl = '\0';
        (void)(take(line, "server", c->server, sizeof(c->server)) ||
               take(line, "host", c->host, sizeof(c->host)) ||
               take(line, "credential", c->credential, sizeof(c->credential)) ||
               take(line, "pin", c->pin, sizeof(c->pin)) ||
               take(line, "ca_file", c->ca_file, sizeof(c->ca_file)));
    }
    if (b.buf)
        memset(b.buf, 0, b.len);
    pl_buf_release(&b);
    if (!c->server[0] || !c->host[0] || strlen(c->credential) != PL_FLEET_TOKEN_LEN)
        return pl_error_set(err, PL_E_INVALID,
                            "credential '%s': server, host or credential "
                            "missing",
                            path);
    return PL_OK;
}
