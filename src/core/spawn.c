/*
 * spawn.c - posix_spawnp with captured, capped output and a timeout.
 */
#include "patchline/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "patchline/limits.h"

extern char **environ;

/* One captured stream: its pipe end, its buffer (may be NULL) and whether it overflowed. */
struct stream {
    int fd;
    struct pl_buf *buf;
    size_t cap;
    size_t len;
    bool truncated;
};

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static int cloexec_pipe(int fds[2])
{
    if (pipe(fds) != 0)
        return -1;
    if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    return 0;
}

/* Read what is available on s; closes the fd at end of stream. */
static void drain(struct stream *s)
{
    char chunk[16384];
    ssize_t n = read(s->fd, chunk, sizeof(chunk));

    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        close_fd(&s->fd);
        return;
    }
    size_t keep = (size_t)n;
    if (s->len + keep > s->cap) {
        keep = s->cap > s->len ? s->cap - s->len : 0;
        s->truncated = true;
    }
    if (s->buf && keep)
        pl_buf_add(s->buf, chunk, keep);
    s->len += keep;
}

/* Pump both pipes until they close or the deadline passes; true on timeout. */
static bool pump(struct stream *st, long timeout_ms)
{
    long deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0;

    while (st[0].fd >= 0 || st[1].fd >= 0) {
        struct pollfd pf[2] = {{st[0].fd, POLLIN, 0}, {st[1].fd, POLLIN, 0}};
        int wait = -1;

        if (deadline) {
            long left = deadline - now_ms();
            if (left <= 0)
                return true;
            wait = left > 1000 ? 1000 : (int)left;
        }
        if (poll(pf, 2, wait) < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        for (int i = 0; i < 2; i++)
            if (st[i].fd >= 0 && (pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
                drain(&st[i]);
    }
    return false;
}

static pl_status start(const char *const *argv, const char *const *env, int out_w, int err_w,
                       pid_t *pid, struct pl_error *err)
{
    posix_spawn_file_actions_t fa;
    int rc;

    if (posix_spawn_file_actions_init(&fa) != 0)
        return pl_error_set(err, PL_E_IO, "cannot run '%s': out of resources", argv[0]);
    rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, out_w, 1);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, err_w, 2);
    /* posix_spawnp takes char *const[] but does not modify the strings */
    union {
        const char *const *in;
        char *const *out;
    } a = {argv}, e = {env};
    if (rc == 0)
        rc = posix_spawnp(pid, argv[0], &fa, NULL, a.out, env ? e.out : environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc == ENOENT)
        return pl_error_set(err, PL_E_NOTFOUND, "cannot run '%s': not found", argv[0]);
    if (rc != 0)
        return pl_error_set(err, PL_E_IO, "cannot run '%s': %s", argv[0], strerror(rc));
    return PL_OK;
}

static pl_status reap(pid_t pid, struct pl_spawn_result *res, const char *name,
                      struct pl_error *err)
{
    int status;

    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return pl_error_set(err, PL_E_IO, "waiting for '%s': %s", name, strerror(errno));
    }
    if (WIFEXITED(status)) {
        res->exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        res->exit_code = -1;
        res->signal = WTERMSIG(status);
    }
    return PL_OK;
}

/* Set up a capture stream on fd into buf (may be NULL): reset buf, cap by opt and buf->max. */
static struct stream capture(int fd, struct pl_buf *buf, size_t opt_max)
{
    size_t cap = opt_max ? opt_max : PL_MAX_SPAWN_OUTPUT_BYTES;

    if (buf) {
        pl_buf_reset(buf);
        if (buf->max && buf->max - 1 < cap)
            cap = buf->max - 1;
    }
    return (struct stream){fd, buf, cap, 0, false};
}

/* Two close-on-exec pipes (stdout, stderr), all four ends open on success. */
static pl_status open_pipes(int po[2], int pe[2], const char *name, struct pl_error *err)
{
    if (cloexec_pipe(po) != 0)
        return pl_error_set(err, PL_E_IO, "cannot run '%s': pipe: %s", name, strerror(errno));
    if (cloexec_pipe(pe) != 0) {
        close(po[0]);
        close(po[1]);
        return pl_error_set(err, PL_E_IO, "cannot run '%s': pipe: %s", name, strerror(errno));
    }
    return PL_OK;
}

pl_status pl_spawn_run(const char *const *argv, const struct pl_spawn_opts *opts,
                       struct pl_buf *out, struct pl_buf *errout, struct pl_spawn_result *res,
                       struct pl_error *err)
{
    static const struct pl_spawn_opts defaults = {NULL, 0, 0, 0};
    struct pl_spawn_result r = {0, 0, false, false, false};
    struct stream st[2];
    int po[2] = {-1, -1}, pe[2] = {-1, -1};
    pid_t pid = -1;
    pl_status rc;

    if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0')
        return pl_error_set(err, PL_E_INVALID, "pl_spawn_run: empty argv");
    if (opts == NULL)
        opts = &defaults;
    if ((rc = open_pipes(po, pe, argv[0], err)) != PL_OK)
        return rc;
    rc = start(argv, opts->env, po[1], pe[1], &pid, err);
    close(po[1]);
    close(pe[1]);
    if (rc == PL_OK && pid <= 0)
        rc = pl_error_set(err, PL_E_INTERNAL, "cannot run '%s': no process id", argv[0]);
    if (rc != PL_OK) {
        close(po[0]);
        close(pe[0]);
        return rc;
    }
    st[0] = capture(po[0], out, opts->out_max);
    st[1] = capture(pe[0], errout, opts->err_max);
    if (pump(st, opts->timeout_ms)) {
        r.timed_out = true;
        kill(pid, SIGKILL);
    }
    close_fd(&st[0].fd);
    close_fd(&st[1].fd);
    r.out_truncated = st[0].truncated;
    r.err_truncated = st[1].truncated;
    rc = reap(pid, &r, argv[0], err);
    if (rc == PL_OK)
        *res = r;
    return rc;
}

char *pl_spawn_describe(const struct pl_spawn_result *res, const struct pl_spawn_opts *opts,
                        char *buf, size_t size)
{
    int n;

    if (res->timed_out)
        n = snprintf(buf, size, "timed out after %ld ms", opts ? opts->timeout_ms : 0L);
    else if (res->signal)
        n = snprintf(buf, size, "killed by signal %d", res->signal);
    else
        n = snprintf(buf, size, "exited with status %d", res->exit_code);
    if (n < 0 && size)
        buf[0] = '\0';
    return buf;
}
