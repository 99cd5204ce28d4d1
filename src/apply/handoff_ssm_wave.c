/*
 * handoff_ssm_wave.c - the per-wave AWS Systems Manager artefacts: the
 * maintenance window, its target (instances tagged PatchRing=WAVE) and
 * AWS-RunPatchBaseline task, the EC2 tags that put instances in the wave and
 * patch group, and the one-off send-command body.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/parse.h"

#include "handoff_int.h"

#define ID_BYTES 160

static pl_status window(struct pl_handoff_out *out, const struct pl_handoff_wave *w,
                        struct pl_error *err)
{
    char id[ID_BYTES];
    struct pl_buf sched = PL_BUF_INIT((size_t)PL_MAX_CRON_BYTES * 2);
    int64_t hours = (w->window.duration_secs + 3599) / 3600;
    int64_t cutoff = w->window.cutoff_secs / 3600;
    struct pl_buf *b;

    handoff_wave_id(w, id, sizeof(id));
    pl_status rc = pl_handoff_aws_cron(w->window.expression, &sched, err);
    if (rc != PL_OK) {
        pl_buf_release(&sched);
        return handoff_fail(rc, err, "ssm: %s: window '%s'", id, w->window.name);
    }
    if (hours < 1 || hours > 24 || cutoff >= hours) {
        pl_buf_release(&sched);
        return pl_error_set(err, PL_E_UNSUPPORTED,
                            "ssm: %s: window '%s': a maintenance window lasts 1 to 24 hours "
                            "with a shorter cutoff",
                            id, w->window.name);
    }
    b = handoff_file(out, "ssm/window-%s.json", id);
    pl_buf_addf(b, "{\n  \"Name\": \"patchline-%s\",\n  \"Schedule\": ", id);
    pl_escape_json_quoted(b, pl_buf_cstr(&sched));
    pl_buf_addf(b, ",\n  \"ScheduleTimezone\": \"%s\",\n", w->window.tz);
    if (w->window.offset_days > 0)
        pl_buf_addf(b, "  \"ScheduleOffset\": %d,\n", w->window.offset_days);
    pl_buf_addf(b,
                "  \"Duration\": %lld,\n  \"Cutoff\": %lld,\n"
                "  \"AllowUnassociatedTargets\": false,\n"
                "  \"Tags\": [{\"Key\": \"PatchRing\", \"Value\": \"%s\"}]\n}\n",
                (long long)hours, (long long)cutoff, id);
    pl_buf_release(&sched);
    return PL_OK;
}

static void run_command(struct pl_handoff_out *out, const struct pl_handoff_wave *w)
{
    char id[ID_BYTES], conc[32];
    struct pl_buf *b;

    handoff_wave_id(w, id, sizeof(id));
    handoff_conc(w, conc, sizeof(conc));
    b = handoff_file(out, "ssm/send-command-%s.json", id);
    pl_buf_addf(b,
                "{\n  \"DocumentName\": \"AWS-RunPatchBaseline\",\n"
                "  \"Targets\": [{\"Key\": \"tag:PatchRing\", \"Values\": [\"%s\"]}],\n"
                "  \"Parameters\": {\n    \"Operation\": [\"Install\"],\n"
                "    \"RebootOption\": [\"%s\"]\n  },\n"
                "  \"MaxConcurrency\": \"%s\",\n  \"MaxErrors\": \"%d%%\",\n"
                "  \"TimeoutSeconds\": 600,\n"
                "  \"Comment\": \"Patchline wave %s (ring %d, %s)\"\n}\n",
                id, w->reboot ? "RebootIfNeeded" : "NoReboot", conc, w->max_fail_pct, id, w->ring,
                pl_handoff_wave_ring(w));
}

static void target_and_task(struct pl_handoff_out *out, const struct pl_handoff_wave *w,
                            const char *id)
{
    char conc[32];
    struct pl_buf *b = handoff_file(out, "ssm/target-%s.json", id);
    handoff_conc(w, conc, sizeof(conc));
    pl_buf_addf(b,
                "{\n  \"ResourceType\": \"INSTANCE\",\n"
                "  \"Targets\": [{\"Key\": \"tag:PatchRing\", \"Values\": [\"%s\"]}],\n"
                "  \"Name\": \"patchline-%s\"\n}\n",
                id, id);
    b = handoff_file(out, "ssm/task-%s.json", id);
    pl_buf_addf(
        b,
        "{\n  \"TaskArn\": \"AWS-RunPatchBaseline\",\n  \"TaskType\": \"RUN_COMMAND\",\n"
        "  \"Priority\": 1,\n  \"MaxConcurrency\": \"%s\",\n  \"MaxErrors\": \"%d%%\",\n"
        "  \"Name\": \"patchline-%s\",\n"
        "  \"TaskInvocationParameters\": {\n    \"RunCommand\": {\n"
        "      \"Parameters\": {\"Operation\": [\"Install\"], \"RebootOption\": [\"%s\"]},\n"
        "      \"TimeoutSeconds\": 600\n    }\n  }\n}\n",
        conc, w->max_fail_pct, id, w->reboot ? "RebootIfNeeded" : "NoReboot");
}

/* EC2 instance ids (i-xxxxxxxx, i-xxxxxxxxxxxxxxxxx) and SSM managed instances (mi-...). */
static bool instance_id(const char *s)
{
    size_t n, hex;
    if (pl_starts_with(s, "i-"))
        s += 2;
    else if (pl_starts_with(s, "mi-"))
        s += 3;
    else
        return false;
    n = strlen(s);
    hex = strspn(s, "0123456789abcdef");
    return hex == n && (n == 8 || n == 17);
}

static pl_status tags(struct pl_handoff_out *out, const struct pl_handoff_wave *w, const char *id,
                      struct pl_buf *sh, struct pl_error *err)
{
    struct pl_buf *b = NULL;
    for (size_t i = 0; i < w->n_assets; i++) {
        const struct pl_handoff_asset *a = &w->assets[i];
        if (strcmp(a->kind, "host") != 0 || a->cloud_id[0] == '\0')
            continue;
        if (!instance_id(a->cloud_id)) {
            struct pl_buf e = PL_BUF_INIT(1200);
            pl_escape_terminal(&e, a->cloud_id);
            pl_error_set(err, PL_E_PARSE,
                         "ssm: %s: asset '%s': cloud_id '%s' is not an instance id (i-... or "
                         "mi-...)",
                         id, a->name, pl_buf_cstr(&e));
            pl_buf_release(&e);
            return PL_E_PARSE;
        }
        if (b == NULL) {
            b = handoff_file(out, "ssm/tags-%s.json", id);
            pl_buf_adds(b, "{\n  \"Resources\": [");
        } else {
            pl_buf_adds(b, ", ");
        }
        pl_buf_addf(b, "\"%s\"", a->cloud_id);
    }
    if (b != NULL) {
        pl_buf_addf(b,
                    "],\n  \"Tags\": [\n    {\"Key\": \"PatchRing\", \"Value\": \"%s\"},\n"
                    "    {\"Key\": \"PatchGroup\", \"Value\": \"patchline-%s\"}\n  ]\n}\n",
                    id, w->env);
        pl_buf_addf(sh, "aws ec2 create-tags --cli-input-json file://tags-%s.json\n", id);
    }
    return PL_OK;
}

pl_status handoff_ssm_wave(struct pl_handoff_out *out, const struct pl_handoff_wave *w,
                           struct pl_buf *sh, struct pl_error *err)
{
    char id[ID_BYTES];
    pl_status rc;

    handoff_wave_id(w, id, sizeof(id));
    if ((rc = tags(out, w, id, sh, err)) != PL_OK || (rc = window(out, w, err)) != PL_OK)
        return rc;
    target_and_task(out, w, id);
    run_command(out, w);
    pl_buf_addf(sh,
                "W=$(aws ssm create-maintenance-window --cli-input-json file://window-%s.json "
                "--query WindowId --output text)\n"
                "T=$(aws ssm register-target-with-maintenance-window --window-id \"$W\" "
                "--cli-input-json file://target-%s.json --query WindowTargetId --output text)\n"
                "aws ssm register-task-with-maintenance-window --window-id \"$W\" "
                "--targets \"Key=WindowTargetIds,Values=$T\" --cli-input-json "
                "file://task-%s.json\n",
                id, id, id);
    return PL_OK;
}
