/*
 * handoff_windows.c - Windows hand-offs: WSUS approval scripts (one computer
 * group per wave, install deadlines) and Intune update rings as Microsoft
 * Graph windowsUpdateForBusinessConfiguration JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/escape.h"

#include "handoff_int.h"

#define ID_BYTES          160
#define DAY_SECS          86400
#define MAX_DEFER_QUALITY 30
#define MAX_DEADLINE      30

static bool is_windows(const struct pl_handoff_asset *a)
{
    return (strcmp(a->kind, "host") == 0 || strcmp(a->kind, "endpoint") == 0) &&
           strcmp(a->os_family, "windows") == 0;
}

static bool has_windows(const struct pl_handoff_wave *w)
{
    for (size_t i = 0; i < w->n_assets; i++)
        if (is_windows(&w->assets[i]))
            return true;
    return false;
}

static pl_status ps_list(struct pl_buf *b, const struct pl_handoff_wave *w, const char *id,
                         struct pl_error *err)
{
    pl_buf_adds(b, "$computers = @(\n");
    for (size_t i = 0; i < w->n_assets; i++) {
        const struct pl_handoff_asset *a = &w->assets[i];
        if (!is_windows(a))
            continue;
        if (pl__apply_handoff_has_ctl(a->name) || a->name[0] == '\0')
            return pl_error_set(err, PL_E_PARSE,
                                "wsus: %s: asset %zu: a computer name with control characters "
                                "cannot be represented safely",
                                id, i);
        pl_buf_adds(b, "    ");
        pl__apply_handoff_ps_quote(b, a->name);
        pl_buf_adds(b, "\n");
    }
    pl_buf_adds(b, ")\n");
    return PL_OK;
}

static void wsus_body(struct pl_buf *b, const struct pl_handoff_wave *w, pl_time_t deadline)
{
    char when[PL_TIME_STR_LEN];
    pl_time_format(deadline, when);
    when[19] = '\0'; /* drop the Z: the kind says UTC */
    pl_buf_adds(b, "foreach ($name in $computers) {\n"
                   "    Get-WsusComputer -NameIncludes $name |\n"
                   "        Where-Object { $_.FullDomainName -eq $name } |\n"
                   "        Add-WsusComputer -TargetGroupName $groupName\n"
                   "}\n");
    pl_buf_addf(b,
                "$deadline = [datetime]::SpecifyKind([datetime]::ParseExact('%s', "
                "'yyyy-MM-ddTHH:mm:ss', $null), [System.DateTimeKind]::Utc)\n",
                when);
    pl_buf_adds(b, "$updates = @(\n");
    for (size_t k = 0; k < w->n_packages; k++)
        if (strcmp(w->packages[k].ecosystem, "kb") == 0) {
            pl_buf_adds(b, "    ");
            pl__apply_handoff_ps_quote(b, w->packages[k].name);
            pl_buf_adds(b, "\n");
        }
    pl_buf_adds(b,
                ")\n"
                "foreach ($kb in $updates) {\n"
                "    $found = @($wsus.SearchUpdates($kb.Substring(2)))\n"
                "    if ($found.Count -eq 0) { Write-Warning ('update ' + $kb + ' not found'); "
                "continue }\n"
                "    foreach ($u in $found) {\n"
                "        if ($u.RequiresLicenseAgreementAcceptance) { $u.AcceptLicenseAgreement() "
                "}\n"
                "        $null = $u.Approve([Microsoft.UpdateServices.Administration."
                "UpdateApprovalAction]::Install, $group, $deadline)\n"
                "    }\n"
                "}\n");
}

/*
 * The ring's classification auto-approval rule: new Critical and Security
 * updates are approved for the ring's group with an install deadline of
 * days after approval (03:00 on the server). Not for the emergency ring:
 * Tier 0 approves exactly its KBs, with no deferral.
 */
static void wsus_rule(struct pl_buf *b, const char *group, int days)
{
    pl_buf_adds(b, "# Classification rule: Critical and Security updates approved for the ring\n"
                   "$ruleName = ");
    pl__apply_handoff_ps_quote(b, group);
    pl_buf_addf(b,
                "\n$rule = $wsus.GetInstallApprovalRules() | Where-Object { $_.Name -eq "
                "$ruleName }\n"
                "if (-not $rule) { $rule = $wsus.CreateInstallApprovalRule($ruleName) }\n"
                "$classes = New-Object "
                "Microsoft.UpdateServices.Administration.UpdateClassificationCollection\n"
                "$wsus.GetUpdateClassifications() | Where-Object { $_.Title -in @('Critical "
                "Updates', 'Security Updates') } | ForEach-Object { $null = $classes.Add($_) }\n"
                "$rule.SetUpdateClassifications($classes)\n"
                "$groups = New-Object "
                "Microsoft.UpdateServices.Administration.ComputerTargetGroupCollection\n"
                "$null = $groups.Add($group)\n"
                "$rule.SetComputerTargetGroups($groups)\n"
                "$ruleDeadline = New-Object "
                "Microsoft.UpdateServices.Administration.AutomaticUpdateApprovalDeadline\n"
                "$ruleDeadline.DayOffset = %d\n"
                "$ruleDeadline.MinutesAfterMidnight = 180\n"
                "$rule.Deadline = $ruleDeadline\n"
                "$rule.Enabled = $true\n"
                "$rule.Save()\n",
                days);
}

pl_status pl_handoff_wsus(const struct pl_handoff_plan *p, const struct pl_handoff_opts *o,
                          struct pl_handoff_out *out, struct pl_error *err)
{
    char id[ID_BYTES];
    for (size_t i = 0; i < p->n_waves; i++) {
        const struct pl_handoff_wave *w = &p->waves[i];
        struct pl_buf group = PL_BUF_INIT(256), *b;
        if (!has_windows(w))
            continue;
        pl__apply_handoff_wave_id(w, id, sizeof(id));
        b = pl__apply_handoff_file(out, "wsus/%s.ps1", id);
        /* the computer group is the ring: every window of the ring approves into it */
        pl_buf_addf(&group, "patchline-%s-ring%d", w->env, w->ring);
        pl_buf_addf(b,
                    "# Patchline hand-off: WSUS approvals for wave %s (ring %d, %s).\n"
                    "# Every value is a single-quoted literal. Run on the WSUS server.\n"
                    "#Requires -Modules UpdateServices\n"
                    "$ErrorActionPreference = 'Stop'\n"
                    "$wsus = Get-WsusServer\n"
                    "$groupName = ",
                    id, w->ring, pl_handoff_wave_ring(w));
        pl__apply_handoff_ps_quote(b, pl_buf_cstr(&group));
        pl_buf_adds(b, "\n$group = $wsus.GetComputerTargetGroups() | Where-Object { $_.Name "
                       "-eq $groupName }\n"
                       "if (-not $group) { $group = $wsus.CreateComputerTargetGroup($groupName) "
                       "}\n");
        if (ps_list(b, w, id, err) != PL_OK) {
            pl_buf_release(&group);
            return PL_E_PARSE;
        }
        /* Tier 0 (the emergency ring): no deferral, the deadline within the 24-hour SLA */
        wsus_body(b, w,
                  w->start + (int64_t)(w->ring == PL_RING_EMERGENCY && o->deadline_days > 1
                                           ? 1
                                           : o->deadline_days) *
                                 DAY_SECS);
        if (w->ring != PL_RING_EMERGENCY)
            wsus_rule(b, pl_buf_cstr(&group),
                      o->rule_deadline_days > 0 ? o->rule_deadline_days : 7);
        pl_buf_release(&group);
    }
    return pl__apply_handoff_out_status(out, err);
}

static int clamp(int64_t v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : (int)v;
}

/* One Intune update ring: the waves of one environment and ring that hold Windows hosts. */
struct intune_ring {
    const struct pl_handoff_wave *first; /* its first wave (plan order) */
    const struct pl_handoff_wave *last;  /* the wave that ends last */
    pl_time_t start, end;                /* first start, last end */
    size_t n_waves;
    int day, hour, minute; /* day 7: every day */
};

static const char *const intune_days[] = {"sunday",   "monday", "tuesday",  "wednesday",
                                          "thursday", "friday", "saturday", "everyday"};

/* The scheduled install of w: one weekday (0-6) or every day (7), at hour:minute. */
static pl_status intune_schedule(const struct pl_handoff_wave *w, const char *id, int *day,
                                 int *hour, int *minute, struct pl_error *err)
{
    int n_days = 0;
    uint8_t wd;
    /*
     * An out-of-cycle wave's window is one date ("30 14 2 4 *"): Intune has
     * no one-time install, so the ring installs every day at that time of
     * day; its deferral (0 for the emergency ring) and deadline say when.
     */
    if (pl__apply_handoff_one_time(&w->window, hour, minute)) {
        wd = 0x7f;
    } else {
        pl_status rc = pl__apply_handoff_weekly_time("intune", "a scheduled install", &w->window,
                                                     hour, minute, &wd, err);
        if (rc != PL_OK)
            return rc;
    }
    for (int d = 0; d < 7; d++)
        if (wd & (1u << d)) {
            *day = d;
            n_days++;
        }
    if (n_days != 1 && n_days != 7)
        return pl_error_set(err, PL_E_UNSUPPORTED,
                            "intune: %s: window '%s': Intune installs every day or on one "
                            "weekday, not on %d",
                            id, w->window.name, n_days);
    if (n_days == 7)
        *day = 7;
    return PL_OK;
}

static const struct pl_handoff_group *intune_group(const struct pl_handoff_opts *o,
                                                   const char *ring)
{
    for (size_t i = 0; o->intune_groups && i < o->intune_groups->n; i++)
        if (strcmp(o->intune_groups->v[i].ring, ring) == 0)
            return &o->intune_groups->v[i];
    return NULL;
}

static void intune_file(struct pl_handoff_out *out, const struct pl_handoff_plan *p,
                        const struct intune_ring *r, const char *ring,
                        const struct pl_handoff_group *g, int defer, int deadline)
{
    static const int feature_defer[] = {0, 0, 30, 60};
    const struct pl_handoff_wave *w = r->first;
    char first[ID_BYTES], last[ID_BYTES];
    struct pl_buf text = PL_BUF_INIT(512), *b = pl__apply_handoff_file(out, "intune/%s.json", ring);

    pl__apply_handoff_wave_id(r->first, first, sizeof(first));
    pl__apply_handoff_wave_id(r->last, last, sizeof(last));
    pl_buf_adds(b, "{\n  \"@odata.type\": "
                   "\"#microsoft.graph.windowsUpdateForBusinessConfiguration\",\n"
                   "  \"displayName\": ");
    pl_buf_addf(&text, "Patchline %s", ring);
    pl_escape_json_quoted(b, pl_buf_cstr(&text));
    pl_buf_reset(&text);
    pl_buf_addf(&text, "Rollout %s: ring %d (%s), %zu wave%s from %s", p->name, w->ring,
                pl_handoff_wave_ring(w), r->n_waves, r->n_waves == 1 ? "" : "s", first);
    if (r->n_waves > 1)
        pl_buf_addf(&text, " to %s", last);
    if (g)
        pl_buf_addf(&text, "; assigned to group '%s' (%s)", g->name[0] ? g->name : g->id, g->id);
    pl_buf_adds(b, ",\n  \"description\": ");
    pl_escape_json_quoted(b, pl_buf_cstr(&text));
    pl_buf_release(&text);
    pl_buf_addf(b,
                ",\n  \"qualityUpdatesDeferralPeriodInDays\": %d,\n"
                "  \"featureUpdatesDeferralPeriodInDays\": %d,\n"
                "  \"deadlineForQualityUpdatesInDays\": %d,\n"
                "  \"deadlineForFeatureUpdatesInDays\": %d,\n"
                "  \"deadlineGracePeriodInDays\": 1,\n"
                "  \"qualityUpdatesPaused\": false,\n  \"featureUpdatesPaused\": false,\n"
                "  \"microsoftUpdateServiceAllowed\": true,\n  \"driversExcluded\": false,\n"
                "  \"businessReadyUpdatesOnly\": \"all\",\n"
                "  \"automaticUpdateMode\": \"autoInstallAndRebootAtScheduledTime\",\n"
                "  \"installationSchedule\": {\n"
                "    \"@odata.type\": \"#microsoft.graph.windowsUpdateScheduledInstall\",\n"
                "    \"scheduledInstallDay\": \"%s\",\n"
                "    \"scheduledInstallTime\": \"%02d:%02d:00.0000000\"\n  }\n}\n",
                defer, feature_defer[w->ring < 4 ? w->ring : 3], deadline, deadline,
                intune_days[r->day], r->hour, r->minute);
    if (g == NULL)
        return;
    /* POST /deviceManagement/deviceConfigurations/{id}/assign */
    b = pl__apply_handoff_file(out, "intune/%s.assign.json", ring);
    pl_buf_adds(b, "{\n  \"assignments\": [\n    {\n"
                   "      \"@odata.type\": \"#microsoft.graph.deviceConfigurationAssignment\",\n"
                   "      \"target\": {\n"
                   "        \"@odata.type\": \"#microsoft.graph.groupAssignmentTarget\",\n"
                   "        \"groupId\": ");
    pl_escape_json_quoted(b, g->id);
    pl_buf_adds(b, "\n      }\n    }\n  ]\n}\n");
}

/* Collect the plan's Intune rings (environment x ring), in plan order, into r (n_waves slots). */
static pl_status intune_rings(const struct pl_handoff_plan *p, struct intune_ring *r, size_t *n,
                              struct pl_error *err)
{
    char id[ID_BYTES], other[ID_BYTES];
    *n = 0;
    for (size_t i = 0; i < p->n_waves; i++) {
        const struct pl_handoff_wave *w = &p->waves[i];
        int day = 0, hour = 0, minute = 0; /* set by intune_schedule on PL_OK */
        size_t k;
        if (!has_windows(w))
            continue;
        pl__apply_handoff_wave_id(w, id, sizeof(id));
        pl_status rc = intune_schedule(w, id, &day, &hour, &minute, err);
        if (rc != PL_OK)
            return rc;
        for (k = 0; k < *n; k++)
            if (strcmp(r[k].first->env, w->env) == 0 && r[k].first->ring == w->ring)
                break;
        pl_time_t end = w->start + w->window.duration_secs;
        if (k == *n) {
            r[(*n)++] = (struct intune_ring){w, w, w->start, end, 1, day, hour, minute};
            continue;
        }
        /* one update ring per group: the ring's waves share its install schedule */
        if (w->ring != PL_RING_EMERGENCY &&
            (r[k].day != day || r[k].hour != hour || r[k].minute != minute)) {
            pl__apply_handoff_wave_id(r[k].first, other, sizeof(other));
            return pl_error_set(err, PL_E_UNSUPPORTED,
                                "intune: %s: installs %s at %02d:%02d, but %s of the same ring "
                                "%s at %02d:%02d; an Intune update ring has one schedule",
                                id, intune_days[day], hour, minute, other, intune_days[r[k].day],
                                r[k].hour, r[k].minute);
        }
        r[k].n_waves++;
        if (w->start < r[k].start)
            r[k].start = w->start;
        if (end > r[k].end) {
            r[k].end = end;
            r[k].last = w;
        }
    }
    return PL_OK;
}

pl_status pl_handoff_intune(const struct pl_handoff_plan *p, const struct pl_handoff_opts *o,
                            struct pl_handoff_out *out, struct pl_error *err)
{
    pl_time_t first = p->waves[0].start;
    struct intune_ring *r = pl_xcalloc(p->n_waves ? p->n_waves : 1, sizeof(*r));
    size_t n;
    char ring[ID_BYTES];
    pl_status rc;

    for (size_t i = 1; i < p->n_waves; i++)
        if (p->waves[i].start < first)
            first = p->waves[i].start;
    if ((rc = intune_rings(p, r, &n, err)) != PL_OK)
        goto out;
    for (size_t k = 0; k < n; k++) {
        const struct pl_handoff_wave *w = r[k].first;
        snprintf(ring, sizeof(ring), "%s-ring%d", w->env, w->ring);
        const struct pl_handoff_group *g = intune_group(o, ring);
        if (o->intune_groups && g == NULL) {
            rc = pl_error_set(err, PL_E_NOTFOUND,
                              "intune: ring %s has no group in the group mapping (%s: {id: "
                              "GROUP-OBJECT-ID})",
                              ring, ring);
            goto out;
        }
        /*
         * The ring is offered its updates when its first wave starts (deferral:
         * whole days from the plan's first wave, which hold the soak) and must
         * install them by the end of its last wave (deadline: whole days,
         * rounded up, at least --deadline-days). Tier 0 (the emergency ring):
         * no deferral and at most a 1-day deadline, its 24-hour SLA.
         */
        int defer = w->ring == PL_RING_EMERGENCY
                        ? 0
                        : clamp((r[k].start - first) / DAY_SECS, 0, MAX_DEFER_QUALITY);
        int64_t span = (r[k].end - r[k].start + DAY_SECS - 1) / DAY_SECS;
        int deadline =
            w->ring == PL_RING_EMERGENCY
                ? clamp(o->deadline_days, 0, 1)
                : clamp(span > o->deadline_days ? span : o->deadline_days, 0, MAX_DEADLINE);
        intune_file(out, p, &r[k], ring, g, defer, deadline);
    }
    rc = pl__apply_handoff_out_status(out, err);
out:
    free(r);
    return rc;
}
