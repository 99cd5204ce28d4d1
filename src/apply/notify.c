/*
 * notify.c - the notification hook: its argv from the config, the event as
 * JSON on its standard input. spawn.h gives children /dev/null as stdin, so
 * the event is written to a file in the job's keep folder and that file is
 * opened as the hook's stdin (posix_spawn file actions, no shell).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "patchline/escape.h"
#include "patchline/file.h"

#include "apply_int.h"

static void event_json(const struct pl__job *j, const char *event, struct pl_buf *b)
{
    char at[32];

    pl_buf_adds(b, "{\"event\": ");
    pl_escape_json_quoted(b, event);
    pl_buf_addf(b,
                ", \"at\": \"%s\", \"job\": %lld, \"asset\": ", pl_time_format(pl_clock_now(), at),
                (long long)j->id);
    pl_escape_json_quoted(b, j->asset_name ? j->asset_name : "");
    pl_buf_adds(b, ", \"root\": ");
    pl_escape_json_quoted(b, j->root);
    pl_buf_adds(b, ", \"status\": ");
    pl_escape_json_quoted(b, j->res->status[0] ? j->res->status : "running");
    pl_buf_addf(b, ", \"findings_closed\": %zu, \"packages\": [", j->res->n_fixed);
    for (size_t i = 0; i < j->n_pkgs; i++) {
        const struct pl__pkg *p = &j->pkgs[i];

        pl_buf_adds(b, i ? ", {\"name\": " : "{\"name\": ");
        pl_escape_json_quoted(b, p->name);
        pl_buf_adds(b, ", \"before\": ");
        pl_escape_json_quoted(b, p->before ? p->before : "");
        pl_buf_adds(b, ", \"after\": ");
        pl_escape_json_quoted(b, p->after ? p->after : "");
        pl_buf_adds(b, "}");
    }
    pl_buf_adds(b, "]}\n");
}

/* Spawn argv with stdin from path, stdout/stderr discarded; wait up to timeout_ms. */
static int spawn_with_stdin(char *const *argv, char *const *env, const char *path, long timeout_ms,
                            struct pl_error *err)
{
    posix_spawn_file_actions_t fa;
    struct timespec tick = {0, 20L * 1000 * 1000};
    pid_t pid;
    int rc, status = 0;
    long waited = 0;

    if (posix_spawn_file_actions_init(&fa) != 0)
        return pl_error_set(err, PL_E_IO, "notify: out of resources"), -1;
    rc = posix_spawn_file_actions_addopen(&fa, 0, path, O_RDONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (rc == 0)
        rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return pl_error_set(err, PL_E_IO, "cannot run '%s': %s", argv[0], strerror(rc)), -1;
    while ((rc = (int)waitpid(pid, &status, WNOHANG)) == 0 && waited < timeout_ms) {
        nanosleep(&tick, NULL);
        waited += 20;
    }
    if (rc == 0) {
        kill(pid, SIGKILL);
        (void)waitpid(pid, &status, 0);
        return pl_error_set(err, PL_E_IO, "'%s' timed out after %ld ms", argv[0], timeout_ms), -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Write json to path and run argv with it as stdin; the outcome goes to *code or nerr. */
static void send_event(char **argv, char *const *env, const char *path, const char *json,
                       long timeout_ms, int *code, struct pl_error *nerr)
{
    *code = -1;
    if (pl_file_write(NULL, path, json, strlen(json), 0600, nerr) == PL_OK)
        *code = spawn_with_stdin(argv, env, path, timeout_ms, nerr);
}

pl_status pl__apply_notify(struct pl__job *j, const char *event, struct pl_error *err)
{
    struct pl_buf json = PL_BUF_INIT(0), path = PL_BUF_INIT(0), shown = PL_BUF_INIT(0);
    struct pl_error nerr = PL_ERROR_INIT;
    struct pl__argv env = {NULL, 0, 0};
    int code;
    pl_status rc;

    if (j->cfg.notify == NULL)
        return PL_OK;
    pl__apply_hook_env(j, &env);
    event_json(j, event, &json);
    pl_buf_addf(&path, "%s/notify-%s.json", j->keep_dir, event);
    send_event(j->cfg.notify, env.v, pl_buf_cstr(&path), pl_buf_cstr(&json),
               j->cfg.command_timeout_ms, &code, &nerr);
    pl__apply_argv_render((const char *const *)j->cfg.notify, &shown);
    rc = pl_store_job_log(j->s, j->id, "notify", pl_buf_cstr(&shown), nerr.msg[0] == '\0', code,
                          nerr.msg[0] ? nerr.msg : pl_buf_cstr(&json), err);
    pl_buf_release(&json);
    pl_buf_release(&path);
    pl_buf_release(&shown);
    pl__apply_argv_release(&env);
    return rc;
}

pl_status pl__apply_notify_rollout(struct pl_store *s, const struct pl_apply_config *cfg,
                                   const char *dir, int64_t rollout, int64_t wave,
                                   const char *reason, struct pl_error *err)
{
    struct pl_buf json = PL_BUF_INIT(0), path = PL_BUF_INIT(0), obj = PL_BUF_INIT(0);
    struct pl_error nerr = PL_ERROR_INIT;
    struct pl__argv env = {NULL, 0, 0};
    char at[32];
    int code;
    pl_status rc;

    if (cfg->notify == NULL)
        return PL_OK;
    pl__apply_argv_push(&env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    pl__apply_argv_push(&env, "LC_ALL=C");
    pl__apply_argv_pushf(&env, "PATCHLINE_ROLLOUT=%lld", (long long)rollout);
    pl_buf_addf(&json,
                "{\"event\": \"rollout-halted\", \"at\": \"%s\", \"rollout\": %lld, "
                "\"wave\": %lld, \"reason\": ",
                pl_time_format(pl_clock_now(), at), (long long)rollout, (long long)wave);
    pl_escape_json_quoted(&json, reason);
    pl_buf_adds(&json, "}\n");
    pl_buf_addf(&path, "%s/rollout-%lld-halted.json", dir, (long long)rollout);
    send_event(cfg->notify, env.v, pl_buf_cstr(&path), pl_buf_cstr(&json), cfg->command_timeout_ms,
               &code, &nerr);
    pl_buf_addf(&obj, "rollout %lld", (long long)rollout);
    if (nerr.msg[0] == '\0') {
        pl_buf_reset(&path);
        pl_buf_addf(&path, "rollout-halted sent, exit %d", code);
    }
    rc = pl_store_audit(s, "rollout.notify", pl_buf_cstr(&obj),
                        nerr.msg[0] ? nerr.msg : pl_buf_cstr(&path), err);
    pl_buf_release(&json);
    pl_buf_release(&path);
    pl_buf_release(&obj);
    pl__apply_argv_release(&env);
    return rc;
}
