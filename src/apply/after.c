/*
 * after.c - after the install: re-collect and verify, health check,
 * rollback when it fails, reboot decision, and the end of a job.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/file.h"

#include "apply_int.h"

pl_status pl__apply_finish(struct pl__job *j, const char *status, const char *error,
                           struct pl_error *err)
{
    pl_status rc;

    snprintf(j->res->status, sizeof(j->res->status), "%s", status);
    if (j->res->health[0] == '\0')
        snprintf(j->res->health, sizeof(j->res->health), "none");
    rc = pl_store_job_finish(j->s, j->id, status, j->res->health,
                             j->res->reboot[0] ? j->res->reboot : NULL, error, err);
    if (rc == PL_OK && error)
        rc = pl__apply_job_note(j, "end", err, "%s: %s", status, error);
    else if (rc == PL_OK)
        rc = pl__apply_job_note(j, "end", err, "%s", status);
    if (rc == PL_OK)
        pl__apply_job_say(j, "job %lld %s%s%s", (long long)j->id, status, error ? ": " : "",
                          error ? error : "");
    return rc;
}

static bool reboot_required(const struct pl__job *j)
{
    static const char *const flags[] = {"var/run/reboot-required", "run/reboot-required"};
    char path[4200];

    for (size_t i = 0; i < PL_ARRAY_LEN(flags); i++) {
        if (snprintf(path, sizeof(path), "%s/%s", j->ctx.host ? "" : j->root, flags[i]) <
                (int)sizeof(path) &&
            pl_path_exists(path))
            return true;
    }
    return false;
}

/* Record (and for policy reboot, act on) whether the root needs a reboot. */
static pl_status reboot_decision(struct pl__job *j, struct pl_error *err)
{
    struct pl_apply_result *res = j->res;
    struct pl__ran r = {false, 0, false, NULL};
    pl_status rc = PL_OK;

    if (!reboot_required(j))
        snprintf(res->reboot, sizeof(res->reboot), "not required");
    else if (j->cfg.reboot_policy == PL_REBOOT_NEVER)
        snprintf(res->reboot, sizeof(res->reboot), "required: recorded (policy never)");
    else if (j->cfg.reboot_policy == PL_REBOOT_KURED)
        snprintf(res->reboot, sizeof(res->reboot), "required: left to kured");
    else if (j->cfg.reboot == NULL)
        snprintf(res->reboot, sizeof(res->reboot), "required: no reboot command configured");
    else if ((rc = pl__apply_job_run(j, "reboot", (const char *const *)j->cfg.reboot, true,
                                     j->cfg.command_timeout_ms, &r, err)) == PL_OK)
        snprintf(res->reboot, sizeof(res->reboot), "required: reboot command %s (exit %d)",
                 r.ran && r.exit_code == 0 ? "ran" : "failed", r.exit_code);
    pl__apply_ran_release(&r);
    if (rc == PL_OK)
        rc = pl__apply_job_note(j, "reboot", err, "reboot %s", res->reboot);
    return rc;
}

static pl_status health_check(struct pl__job *j, struct pl_error *err)
{
    struct pl__ran r = {false, 0, false, NULL};
    const char *h = "none";
    pl_status rc = PL_OK;

    if (j->cfg.health) {
        rc = pl__apply_job_run(j, "health", (const char *const *)j->cfg.health, true,
                               j->cfg.health_timeout_ms, &r, err);
        h = r.timed_out ? "timeout" : (r.ran && r.exit_code == 0) ? "passed" : "failed";
    }
    pl__apply_ran_release(&r);
    snprintf(j->res->health, sizeof(j->res->health), "%s", h);
    return rc;
}

pl_status pl__apply_after_install(struct pl__job *j, struct pl_error *err)
{
    struct pl_buf msg = PL_BUF_INIT(256);
    bool restored = false;
    pl_status rc;

    if ((rc = pl__apply_recollect(j, true, err)) != PL_OK ||
        (rc = pl__apply_verify_findings(j, err)) != PL_OK)
        return rc;
    pl__apply_job_say(j, "%zu findings closed, %zu still open", j->res->n_fixed,
                      j->res->n_not_fixed);
    if ((rc = health_check(j, err)) != PL_OK)
        return rc;
    if (strcmp(j->res->health, "passed") != 0 && strcmp(j->res->health, "none") != 0 &&
        j->cfg.rollback_on_health) {
        pl__apply_job_say(j, "health check %s: rolling back", j->res->health);
        if ((rc = pl__apply_restore(j, &restored, err)) != PL_OK ||
            (rc = pl__apply_reopen_findings(j, j->id, err)) != PL_OK)
            return rc;
        j->res->n_not_fixed += j->res->n_fixed; /* closed, then reopened by the rollback */
        j->res->n_fixed = 0;
        pl_buf_addf(&msg, "the health check %s", j->res->health);
        rc = pl__apply_finish(j, restored ? "rolled-back" : "rollback-failed", pl_buf_cstr(&msg),
                              err);
        if (rc == PL_OK)
            rc = pl__apply_notify(j, "rollback", err);
        pl_buf_release(&msg);
        return rc;
    }
    if ((rc = reboot_decision(j, err)) != PL_OK)
        return rc;
    if (strcmp(j->res->health, "passed") != 0 && strcmp(j->res->health, "none") != 0)
        pl_buf_addf(&msg, "the health check %s (rollback_on_health is false)", j->res->health);
    else if (j->res->n_not_fixed)
        pl_buf_addf(&msg, "%zu findings still open after the update", j->res->n_not_fixed);
    rc = pl__apply_finish(j, msg.len ? "failed" : "succeeded", msg.len ? pl_buf_cstr(&msg) : NULL,
                          err);
    pl_buf_release(&msg);
    return rc;
}
