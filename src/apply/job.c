/*
 * job.c - running one command of a job: spawn it from its argv, capture its
 * output, and log argv, exit and output to the job.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"

#include "apply_int.h"

void pl__apply_ran_release(struct pl__ran *r)
{
    free(r->out);
    r->out = NULL;
}

/* Hooks see the job through the environment, never through their argv. */
void pl__apply_hook_env(const struct pl__job *j, struct pl__argv *env)
{
    pl__apply_argv_push(env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    pl__apply_argv_push(env, "LC_ALL=C");
    pl__apply_argv_pushf(env, "PATCHLINE_JOB=%lld", (long long)j->id);
    pl__apply_argv_pushf(env, "PATCHLINE_ROOT=%s", j->root);
    pl__apply_argv_pushf(env, "PATCHLINE_ASSET=%s", j->asset_name ? j->asset_name : "");
    if (j->keep_dir)
        pl__apply_argv_pushf(env, "PATCHLINE_KEEP_DIR=%s", j->keep_dir);
}

/* stdout then stderr, each capped; the message of the log line. */
static void join_output(const struct pl_buf *out, const struct pl_buf *errout,
                        const struct pl_spawn_result *sr, struct pl_buf *msg)
{
    pl_buf_add(msg, out->buf ? out->buf : "", out->len);
    if (sr->out_truncated)
        pl_buf_adds(msg, "\n[stdout truncated]\n");
    if (errout->len) {
        if (msg->len && msg->buf[msg->len - 1] != '\n')
            pl_buf_addch(msg, '\n');
        pl_buf_add(msg, errout->buf, errout->len);
    }
    if (sr->err_truncated)
        pl_buf_adds(msg, "\n[stderr truncated]\n");
}

pl_status pl__apply_job_run(struct pl__job *j, const char *step, const char *const *argv, bool hook,
                            long timeout_ms, struct pl__ran *r, struct pl_error *err)
{
    struct pl_buf out = PL_BUF_INIT(PL_MAX_JOB_LOG_BYTES),
                  errout = PL_BUF_INIT(PL_MAX_JOB_LOG_BYTES);
    struct pl_buf shown = PL_BUF_INIT(0), msg = PL_BUF_INIT(2 * PL_MAX_JOB_LOG_BYTES + 64);
    struct pl__argv env = {NULL, 0, 0};
    struct pl_spawn_opts so = {NULL, 0, 0, timeout_ms};
    struct pl_spawn_result sr = {0, 0, false, false, false};
    struct pl_error serr = PL_ERROR_INIT;
    pl_status rc;

    memset(r, 0, sizeof(*r));
    if (hook)
        pl__apply_hook_env(j, &env);
    else
        pl__apply_exec_env(&j->ctx, &env);
    so.env = (const char *const *)env.v;
    pl__apply_argv_render(argv, &shown);
    if (pl_spawn_run(argv, &so, &out, &errout, &sr, &serr) != PL_OK) {
        r->ran = false;
        r->exit_code = 127;
        rc = pl_store_job_log(j->s, j->id, step, pl_buf_cstr(&shown), false, 0, serr.msg, err);
    } else {
        r->ran = true;
        r->exit_code = sr.timed_out ? -1 : sr.exit_code;
        r->timed_out = sr.timed_out;
        r->out = pl_xstrdup(pl_buf_cstr(&out));
        join_output(&out, &errout, &sr, &msg);
        if (sr.timed_out)
            pl_buf_addf(&msg, "%s[timed out after %ld ms]", msg.len ? "\n" : "", timeout_ms);
        else if (sr.signal)
            pl_buf_addf(&msg, "%s[killed by signal %d]", msg.len ? "\n" : "", sr.signal);
        rc = pl_store_job_log(j->s, j->id, step, pl_buf_cstr(&shown), !sr.timed_out, r->exit_code,
                              msg.len ? pl_buf_cstr(&msg) : NULL, err);
    }
    pl_buf_release(&out);
    pl_buf_release(&errout);
    pl_buf_release(&shown);
    pl_buf_release(&msg);
    pl__apply_argv_release(&env);
    if (rc != PL_OK)
        pl__apply_ran_release(r);
    return rc;
}

pl_status pl__apply_job_note(struct pl__job *j, const char *step, struct pl_error *err,
                             const char *fmt, ...)
{
    struct pl_buf b = PL_BUF_INIT(PL_MAX_JOB_LOG_BYTES);
    va_list ap;
    pl_status rc;

    va_start(ap, fmt);
    pl_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    rc = pl_store_job_log(j->s, j->id, step, NULL, false, 0, pl_buf_cstr(&b), err);
    pl_buf_release(&b);
    return rc;
}

void pl__apply_job_say(struct pl__job *j, const char *fmt, ...)
{
    struct pl_buf b = PL_BUF_INIT(PL_MAX_JOB_LOG_BYTES);
    va_list ap;

    if (j->opts == NULL || j->opts->print == NULL)
        return;
    va_start(ap, fmt);
    pl_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    j->opts->print(j->opts->print_data, pl_buf_cstr(&b));
    pl_buf_release(&b);
}

pl_status pl__apply_version_ge(struct pl__job *j, const char *a, const char *b, bool *ge,
                               struct pl_error *err)
{
    enum pl_vscheme scheme;
    int cmp = 0;
    pl_status rc;

    if (!pl__apply_vscheme_of(j->ex->ecosystem, &scheme))
        return pl_error_set(err, PL_E_INTERNAL, "no version scheme for %s", j->ex->ecosystem);
    if ((rc = pl_version_cmp(scheme, a, b, &cmp, err)) != PL_OK)
        return rc;
    *ge = cmp >= 0;
    return PL_OK;
}

static void pkg_release(struct pl__pkg *p)
{
    free(p->name);
    free(p->arch);
    free(p->target);
    free(p->before);
    free(p->after);
    free(p->kept);
    free(p->kept_how);
    free(p->kept_sha256);
    free(p->ceiling);
}

void pl__apply_job_release(struct pl__job *j)
{
    for (size_t i = 0; i < j->n_pkgs; i++)
        pkg_release(&j->pkgs[i]);
    free(j->pkgs);
    free(j->asset_name);
    free(j->root);
    free(j->keep_dir);
    free(j->apt_config);
    pl_apply_target_list_release(&j->targets);
    pl_apply_target_list_release(&j->awaiting);
    pl_apply_config_release(&j->cfg);
    memset(j, 0, sizeof(*j));
}
