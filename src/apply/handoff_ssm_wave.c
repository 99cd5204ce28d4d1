/*
 * handoff_ssm_wave.c - the ring and window artefacts of AWS Systems Manager:
 * one PatchRing tag value per environment and ring (an instance's tag says
 * its ring), one maintenance window per wave with the wave's one run (a
 * cron(...) bounded by StartDate/EndDate to the occurrence at the wave's
 * start, or a one-off at(...)), its targets the wave's instances by id and
 * its AWS-RunPatchBaseline task; the emergency lane as one-off at(...)
 * windows targeting the instances of its Tier 0 findings (and a
 * send-command body to run it now); a send-command body per wave.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/parse.h"
#include "patchline/tz.h"

#include "handoff_int.h"

#define ID_BYTES       160
#define DAY_SECS       86400
#define MAX_IDS_PER_RC 50 /* send-command InstanceIds */
/* a maintenance window target holds 50 instance ids; a window 100 targets */
#define MAX_IDS_PER_TARGET 50
#define MAX_IDS_PER_WINDOW (MAX_IDS_PER_TARGET * 100)

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

/* The wave's instances (hosts with a cloud_id), checked; *n of them into ids (cap cap). */
static pl_status wave_instances(const struct pl_handoff_wave *w, const char **ids, size_t cap,
                                size_t *n, struct pl_error *err)
{
    char id[ID_BYTES];
    pl__apply_handoff_wave_id(w, id, sizeof(id));
    *n = 0;
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
        if (*n < cap)
            ids[(*n)++] = a->cloud_id;
    }
    return PL_OK;
}

/* The ring tag value: "ENV-ringN". */
static void ring_tag(const struct pl_handoff_wave *w, char *buf, size_t size)
{
    if (snprintf(buf, size, "%s-ring%d", w->env, w->ring) < 0 && size)
        buf[0] = '\0';
}

/* ---- ring tags --------------------------------------------------------------- */

struct tagged {
    const char *instance;
    const struct pl_handoff_wave *ring; /* the first wave that puts it in its ring */
};

static bool same_ring(const struct pl_handoff_wave *a, const struct pl_handoff_wave *b)
{
    return a->ring == b->ring && strcmp(a->env, b->env) == 0;
}

/* One tags file per ring: every instance tagged whose first wave is of ring's ring. */
static void ring_tags_file(const struct tagged *t, size_t n, const struct pl_handoff_wave *ring,
                           struct pl_handoff_out *out, struct pl_buf *sh)
{
    char tag[ID_BYTES];
    struct pl_buf *b;
    bool first = true;

    ring_tag(ring, tag, sizeof(tag));
    b = pl__apply_handoff_file(out, "ssm/tags-%s.json", tag);
    pl_buf_adds(b, "{\n  \"Resources\": [");
    for (size_t j = 0; j < n; j++) {
        if (!same_ring(t[j].ring, ring))
            continue;
        pl_buf_addf(b, "%s\"%s\"", first ? "" : ", ", t[j].instance);
        first = false;
    }
    pl_buf_addf(b,
                "],\n  \"Tags\": [\n    {\"Key\": \"PatchRing\", \"Value\": \"%s\"},\n"
                "    {\"Key\": \"PatchGroup\", \"Value\": \"patchline-%s\"}\n  ]\n}\n",
                tag, ring->env);
    pl_buf_addf(sh, "aws ec2 create-tags --cli-input-json file://tags-%s.json\n", tag);
}

/* Every instance of the plan's regular waves gets its ring tag; one ring per instance. */
static pl_status ring_tags(const struct pl_handoff_plan *p, struct pl_handoff_out *out,
                           struct pl_buf *sh, struct pl_error *err)
{
    size_t cap = 0, n = 0;
    struct tagged *t = NULL;
    pl_status rc = PL_OK;

    for (size_t i = 0; i < p->n_waves; i++)
        cap += p->waves[i].n_assets;
    t = pl_xcalloc(cap + 1, sizeof(*t));
    for (size_t i = 0; rc == PL_OK && i < p->n_waves; i++) {
        const struct pl_handoff_wave *w = &p->waves[i];
        const char **ids;
        size_t m = 0;
        if (w->ring == PL_RING_EMERGENCY)
            continue; /* tagged by a window of its own */
        ids = pl_xcalloc(w->n_assets + 1, sizeof(*ids));
        rc = wave_instances(w, ids, w->n_assets, &m, err);
        for (size_t k = 0; rc == PL_OK && k < m; k++) {
            size_t j = 0;
            char tag[ID_BYTES], other[ID_BYTES];
            while (j < n && strcmp(t[j].instance, ids[k]) != 0)
                j++;
            if (j == n) {
                t[n++] = (struct tagged){ids[k], w};
            } else if (!same_ring(t[j].ring, w)) {
                ring_tag(t[j].ring, other, sizeof(other));
                ring_tag(w, tag, sizeof(tag));
                rc = pl_error_set(err, PL_E_CONFLICT,
                                  "ssm: instance %s is in ring %s and in ring %s; a PatchRing tag "
                                  "holds one ring",
                                  ids[k], other, tag);
            }
        }
        free(ids);
    }
    /* in the order rings first appear */
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        size_t k = 0;
        while (k < i && !same_ring(t[k].ring, t[i].ring))
            k++;
        if (k == i)
            ring_tags_file(t, n, t[i].ring, out, sh);
    }
    free(t);
    return rc;
}

/* ---- windows ----------------------------------------------------------------- */

/* The start of the window occurrence that holds t (t itself when none does). */
static pl_status occurrence(const struct pl_handoff_wave *w, const struct pl_cron *c,
                            const struct pl_tz *tz, pl_time_t t, pl_time_t *out,
                            struct pl_error *err)
{
    pl_time_t shift = (pl_time_t)w->window.offset_days * DAY_SECS, o = 0;
    pl_status rc = pl_cron_next(c, tz, t - shift - w->window.duration_secs, &o, err);
    if (rc != PL_OK)
        return rc;
    *out = o + shift <= t ? o + shift : t;
    return PL_OK;
}

/* Duration and cutoff in whole hours (SSM's unit), rounded up; a cutoff keeps < duration. */
static pl_status hours(const struct pl_handoff_wave *w, const char *id, int64_t *dur, int64_t *cut,
                       struct pl_error *err)
{
    *dur = (w->window.duration_secs + 3599) / 3600;
    *cut = (w->window.cutoff_secs + 3599) / 3600;
    if (*dur < 1 || *dur > 24 || *cut >= *dur)
        return pl_error_set(err, PL_E_UNSUPPORTED,
                            "ssm: %s: window '%s': a maintenance window lasts 1 to 24 hours "
                            "with a shorter cutoff, in whole hours (%lld h, cutoff %lld h)",
                            id, w->window.name, (long long)*dur, (long long)*cut);
    return PL_OK;
}

static void window_body(struct pl_buf *b, const struct pl_handoff_wave *w, const char *name,
                        const char *sched, const char *tz, pl_time_t from, pl_time_t to,
                        int64_t dur, int64_t cut)
{
    char t1[PL_TIME_STR_LEN], t2[PL_TIME_STR_LEN], tag[ID_BYTES];

    ring_tag(w, tag, sizeof(tag));
    pl_buf_addf(b, "{\n  \"Name\": \"patchline-%s\",\n  \"Schedule\": ", name);
    pl_escape_json_quoted(b, sched);
    pl_buf_addf(b, ",\n  \"ScheduleTimezone\": \"%s\",\n", tz);
    if (w->window.offset_days > 0 && w->ring != PL_RING_EMERGENCY)
        pl_buf_addf(b, "  \"ScheduleOffset\": %d,\n", w->window.offset_days);
    pl_buf_addf(b,
                "  \"StartDate\": \"%s\",\n  \"EndDate\": \"%s\",\n"
                "  \"Duration\": %lld,\n  \"Cutoff\": %lld,\n"
                "  \"AllowUnassociatedTargets\": false,\n"
                "  \"Tags\": [{\"Key\": \"PatchRing\", \"Value\": \"%s\"}]\n}\n",
                pl_time_format(from, t1), pl_time_format(to, t2), (long long)dur, (long long)cut,
                tag);
}

static void task_file(struct pl_handoff_out *out, const struct pl_handoff_wave *w, const char *name)
{
    char conc[32];
    struct pl_buf *b = pl__apply_handoff_file(out, "ssm/task-%s.json", name);
    pl__apply_handoff_conc(w, conc, sizeof(conc));
    pl_buf_addf(b,
                "{\n  \"TaskArn\": \"%s\",\n  \"TaskType\": \"RUN_COMMAND\",\n"
                "  \"Priority\": 1,\n  \"MaxConcurrency\": \"%s\",\n  \"MaxErrors\": \"%d%%\",\n"
                "  \"Name\": \"patchline-%s\",\n"
                "  \"TaskInvocationParameters\": {\n    \"RunCommand\": {\n"
                "      \"Parameters\": {\"Operation\": [\"Install\"], \"RebootOption\": [\"%s\"]",
                pl__apply_handoff_ssm_document(w), conc, w->max_fail_pct, name,
                w->reboot ? "RebootIfNeeded" : "NoReboot");
    pl__apply_handoff_ssm_hook_params(b, w);
    pl_buf_adds(b, "},\n      \"TimeoutSeconds\": 600\n    }\n  }\n}\n");
}

static void target_and_task(struct pl_handoff_out *out, const struct pl_handoff_wave *w,
                            const char *name, const char *key, const char *value)
{
    struct pl_buf *b = pl__apply_handoff_file(out, "ssm/target-%s.json", name);
    pl_buf_addf(b,
                "{\n  \"ResourceType\": \"INSTANCE\",\n"
                "  \"Targets\": [{\"Key\": \"%s\", \"Values\": [\"%s\"]}],\n"
                "  \"Name\": \"patchline-%s\"\n}\n",
                key, value, name);
    task_file(out, w, name);
}

static void register_lines(struct pl_buf *sh, const char *name)
{
    pl_buf_addf(sh,
                "W=$(aws ssm create-maintenance-window --cli-input-json file://window-%s.json "
                "--query WindowId --output text)\n"
                "T=$(aws ssm register-target-with-maintenance-window --window-id \"$W\" "
                "--cli-input-json file://target-%s.json --query WindowTargetId --output text)\n"
                "aws ssm register-task-with-maintenance-window --window-id \"$W\" "
                "--targets \"Key=WindowTargetIds,Values=$T\" --cli-input-json "
                "file://task-%s.json\n",
                name, name, name);
}

/*
 * The window, targets and task of one part of a wave: part 1 is named by
 * the wave (window-WAVE.json), part k > 1 by WAVE-wK; its targets hold
 * ids[0..n) by id, 50 a target (target-NAME.json, target-NAME-2.json, ...).
 */
static void window_part(const struct pl_handoff_wave *w, const char *name, const char *sched,
                        const char *tz, pl_time_t from, pl_time_t to, int64_t dur, int64_t cut,
                        const char *const *ids, size_t n, struct pl_handoff_out *out,
                        struct pl_buf *sh)
{
    window_body(pl__apply_handoff_file(out, "ssm/window-%s.json", name), w, name, sched, tz, from,
                to, dur, cut);
    pl_buf_addf(sh,
                "W=$(aws ssm create-maintenance-window --cli-input-json file://window-%s.json "
                "--query WindowId --output text)\n",
                name);
    for (size_t k = 0; k < n; k += MAX_IDS_PER_TARGET) {
        size_t part = k / MAX_IDS_PER_TARGET + 1;
        char suffix[24] = "";
        struct pl_buf *b;
        if (part > 1)
            snprintf(suffix, sizeof(suffix), "-%zu", part);
        b = pl__apply_handoff_file(out, "ssm/target-%s%s.json", name, suffix);
        pl_buf_adds(b, "{\n  \"ResourceType\": \"INSTANCE\",\n"
                       "  \"Targets\": [{\"Key\": \"InstanceIds\", \"Values\": [");
        for (size_t j = k; j < n && j < k + MAX_IDS_PER_TARGET; j++)
            pl_buf_addf(b, "%s\"%s\"", j > k ? ", " : "", ids[j]);
        pl_buf_addf(b, "]}],\n  \"Name\": \"patchline-%s%s\"\n}\n", name, suffix);
        pl_buf_addf(sh,
                    "T%zu=$(aws ssm register-target-with-maintenance-window --window-id \"$W\" "
                    "--cli-input-json file://target-%s%s.json --query WindowTargetId --output "
                    "text)\n",
                    part, name, suffix);
    }
    task_file(out, w, name);
    pl_buf_adds(sh, "aws ssm register-task-with-maintenance-window --window-id \"$W\" "
                    "--targets \"Key=WindowTargetIds,Values=");
    for (size_t k = 0; k < n; k += MAX_IDS_PER_TARGET)
        pl_buf_addf(sh, "%s$T%zu", k ? "," : "", k / MAX_IDS_PER_TARGET + 1);
    pl_buf_addf(sh, "\" --cli-input-json file://task-%s.json\n", name);
}

/*
 * One window per wave, with the wave's one run: the window's cron(...) bounded
 * to the occurrence that starts at the wave's start, or, when the wave starts
 * inside an occurrence (after a soak) or the window has an offset, a one-off
 * at(...) at the wave's start (UTC) lasting to the occurrence's end. Its
 * targets are the wave's instances by id (50 a target, 100 targets a window:
 * a wave of more than 5,000 instances gets several windows at the same
 * time, WAVE-w2, WAVE-w3, ...). An instance's PatchRing tag says its ring,
 * but a ring's waves patch different instances at different times, so the
 * windows do not target the tag. A wave with no instance has no window.
 */
static pl_status wave_window(const struct pl_handoff_wave *w, struct pl_handoff_out *out,
                             struct pl_buf *sh, struct pl_error *err)
{
    struct pl_buf sched = PL_BUF_INIT((size_t)PL_MAX_CRON_BYTES * 2);
    const char **ids = pl_xcalloc(w->n_assets + 1, sizeof(*ids));
    char id[ID_BYTES], name[ID_BYTES + 24], at[PL_TIME_STR_LEN], one[64];
    const char *expr, *tz_name;
    struct pl_cron cron;
    struct pl_tz *tz = NULL;
    pl_time_t o = 0, from, to;
    int64_t dur, cut;
    size_t n = 0;
    pl_status rc;

    pl__apply_handoff_wave_id(w, id, sizeof(id));
    if ((rc = wave_instances(w, ids, w->n_assets, &n, err)) != PL_OK || n == 0 ||
        (rc = hours(w, id, &dur, &cut, err)) != PL_OK)
        goto out;
    rc = pl_handoff_aws_cron(w->window.expression, &sched, err);
    if (rc == PL_OK)
        rc = pl_cron_parse(w->window.expression, &cron, err);
    if (rc == PL_OK)
        rc = pl_tz_load(w->window.tz, &tz, err);
    if (rc == PL_OK)
        rc = occurrence(w, &cron, tz, w->start, &o, err);
    pl_tz_free(tz);
    if (rc != PL_OK) {
        rc = pl__apply_handoff_fail(rc, err, "ssm: %s: window '%s'", id, w->window.name);
        goto out;
    }
    if (o == w->start && w->window.offset_days == 0) {
        expr = pl_buf_cstr(&sched);
        tz_name = w->window.tz;
        from = o;
        to = o + w->window.duration_secs;
    } else {
        int64_t left = (o + w->window.duration_secs - w->start) / 3600; /* whole hours left */
        dur = left < 1 ? 1 : left > 24 ? 24 : left;
        cut = cut < dur ? cut : dur - 1;
        pl_time_format(w->start, at);
        at[19] = '\0';
        snprintf(one, sizeof(one), "at(%s)", at);
        expr = one;
        tz_name = "UTC";
        from = w->start;
        to = w->start + dur * 3600;
    }
    for (size_t k = 0; k < n; k += MAX_IDS_PER_WINDOW) {
        size_t part = k / MAX_IDS_PER_WINDOW + 1;
        if (part == 1)
            snprintf(name, sizeof(name), "%s", id);
        else
            snprintf(name, sizeof(name), "%s-w%zu", id, part);
        window_part(w, name, expr, tz_name, from, to, dur, cut, ids + k,
                    n - k < MAX_IDS_PER_WINDOW ? n - k : MAX_IDS_PER_WINDOW, out, sh);
    }
out:
    pl_buf_release(&sched);
    free(ids);
    return rc;
}

/* The emergency lane: a one-off window at the wave's start, its instances by a tag of its own. */
static pl_status emergency_window(const struct pl_handoff_wave *w, struct pl_handoff_out *out,
                                  struct pl_buf *sh, struct pl_error *err)
{
    char id[ID_BYTES], at[PL_TIME_STR_LEN], sched[64];
    const char **ids = pl_xcalloc(w->n_assets + 1, sizeof(*ids));
    int64_t dur, cut;
    size_t n = 0;
    pl_status rc;

    pl__apply_handoff_wave_id(w, id, sizeof(id));
    if ((rc = hours(w, id, &dur, &cut, err)) != PL_OK ||
        (rc = wave_instances(w, ids, w->n_assets, &n, err)) != PL_OK) {
        free(ids);
        return rc;
    }
    if (n > 0) {
        struct pl_buf *b = pl__apply_handoff_file(out, "ssm/tags-%s.json", id);
        pl_buf_adds(b, "{\n  \"Resources\": [");
        for (size_t k = 0; k < n; k++)
            pl_buf_addf(b, "%s\"%s\"", k ? ", " : "", ids[k]);
        pl_buf_addf(
            b, "],\n  \"Tags\": [{\"Key\": \"PatchEmergency-%s\", \"Value\": \"tier0\"}]\n}\n", id);
        pl_buf_addf(sh, "aws ec2 create-tags --cli-input-json file://tags-%s.json\n", id);
    }
    free(ids);
    pl_time_format(w->start, at);
    at[19] = '\0'; /* at(yyyy-mm-ddThh:mm:ss), in ScheduleTimezone */
    if (snprintf(sched, sizeof(sched), "at(%s)", at) < 0)
        return PL_E_INTERNAL;
    window_body(pl__apply_handoff_file(out, "ssm/window-%s.json", id), w, id, sched, "UTC",
                w->start, w->start + w->window.duration_secs, dur, cut);
    {
        char key[ID_BYTES + 32];
        if (snprintf(key, sizeof(key), "tag:PatchEmergency-%s", id) < 0)
            return PL_E_INTERNAL;
        target_and_task(out, w, id, key, "tier0");
    }
    register_lines(sh, id);
    return PL_OK;
}

/* send-command-WAVE.json: the wave's own instances at once (50 a body, -2, -3, ... after). */
static pl_status run_command(struct pl_handoff_out *out, const struct pl_handoff_wave *w,
                             struct pl_error *err)
{
    char id[ID_BYTES], conc[32];
    const char **ids = pl_xcalloc(w->n_assets + 1, sizeof(*ids));
    size_t n = 0;
    pl_status rc = wave_instances(w, ids, w->n_assets, &n, err);

    pl__apply_handoff_wave_id(w, id, sizeof(id));
    pl__apply_handoff_conc(w, conc, sizeof(conc));
    for (size_t k = 0; rc == PL_OK && k < n; k += MAX_IDS_PER_RC) {
        struct pl_buf *b = k == 0 ? pl__apply_handoff_file(out, "ssm/send-command-%s.json", id)
                                  : pl__apply_handoff_file(out, "ssm/send-command-%s-%zu.json", id,
                                                           k / MAX_IDS_PER_RC + 1);
        pl_buf_addf(b, "{\n  \"DocumentName\": \"%s\",\n  \"InstanceIds\": [",
                    pl__apply_handoff_ssm_document(w));
        for (size_t j = k; j < n && j < k + MAX_IDS_PER_RC; j++)
            pl_buf_addf(b, "%s\"%s\"", j > k ? ", " : "", ids[j]);
        pl_buf_addf(b,
                    "],\n  \"Parameters\": {\n    \"Operation\": [\"Install\"],\n"
                    "    \"RebootOption\": [\"%s\"]",
                    w->reboot ? "RebootIfNeeded" : "NoReboot");
        pl__apply_handoff_ssm_hook_params(b, w);
        pl_buf_addf(b,
                    "\n  },\n"
                    "  \"MaxConcurrency\": \"%s\",\n  \"MaxErrors\": \"%d%%\",\n"
                    "  \"TimeoutSeconds\": 600,\n"
                    "  \"Comment\": \"Patchline wave %s (ring %d, %s)\"\n}\n",
                    conc, w->max_fail_pct, id, w->ring, pl_handoff_wave_ring(w));
    }
    free(ids);
    return rc;
}

pl_status pl__apply_handoff_ssm_waves(struct pl_handoff_out *out, const struct pl_handoff_plan *p,
                                      struct pl_buf *sh, struct pl_error *err)
{
    pl_status rc = ring_tags(p, out, sh, err);

    for (size_t i = 0; rc == PL_OK && i < p->n_waves; i++) {
        const struct pl_handoff_wave *w = &p->waves[i];
        pl__apply_handoff_ssm_hooks(out, w, sh);
        if (w->ring == PL_RING_EMERGENCY) {
            rc = emergency_window(w, out, sh, err);
        } else {
            rc = wave_window(w, out, sh, err);
        }
        if (rc == PL_OK)
            rc = run_command(out, w, err);
    }
    return rc;
}
