/*
 * handoff_windows.c - Windows hand-offs: WSUS approval scripts (one computer
 * group per wave, install deadlines) and Intune update rings as Microsoft
 * Graph windowsUpdateForBusinessConfiguration JSON.
 */
#include <stdio.h>
#include <string.h>

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

static void intune_file(struct pl_handoff_out *out, const struct pl_handoff_plan *p,
                        const struct pl_handoff_wave *w, const char *id, int defer, const char *day,
                        int hour, int minute, int deadline)
{
    static const int feature_defer[] = {0, 0, 30, 60};
    struct pl_buf text = PL_BUF_INIT(512), *b = pl__apply_handoff_file(out, "intune/%s.json", id);

    pl_buf_adds(b, "{\n  \"@odata.type\": "
                   "\"#microsoft.graph.windowsUpdateForBusinessConfiguration\",\n"
                   "  \"displayName\": ");
    pl_buf_addf(&text, "Patchline %s", id);
    pl_escape_json_quoted(b, pl_buf_cstr(&text));
    pl_buf_reset(&text);
    pl_buf_addf(&text, "Rollout %s: ring %d (%s), window %s", p->name, w->ring,
                pl_handoff_wave_ring(w), w->window.name);
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
                defer, feature_defer[w->ring < 4 ? w->ring : 3], deadline, deadline, day, hour,
                minute);
}

pl_status pl_handoff_intune(const struct pl_handoff_plan *p, const struct pl_handoff_opts *o,
                            struct pl_handoff_out *out, struct pl_error *err)
{
    static const char *const days[] = {"sunday",   "monday", "tuesday", "wednesday",
                                       "thursday", "friday", "saturday"};
    pl_time_t first = p->waves[0].start;
    char id[ID_BYTES];

    for (size_t i = 1; i < p->n_waves; i++)
        if (p->waves[i].start < first)
            first = p->waves[i].start;
    for (size_t i = 0; i < p->n_waves; i++) {
        const struct pl_handoff_wave *w = &p->waves[i];
        int hour, minute, day = 0, n_days = 0;
        uint8_t wd;
        if (!has_windows(w))
            continue;
        pl__apply_handoff_wave_id(w, id, sizeof(id));
        /*
         * An out-of-cycle wave's window is one date ("30 14 2 4 *"): Intune has
         * no one-time install, so the ring installs every day at that time of
         * day; its deferral (0 for the emergency ring) and deadline say when.
         */
        if (pl__apply_handoff_one_time(&w->window, &hour, &minute)) {
            wd = 0x7f;
        } else {
            pl_status rc = pl__apply_handoff_weekly_time("intune", "a scheduled install",
                                                         &w->window, &hour, &minute, &wd, err);
            if (rc != PL_OK)
                return rc;
        }
        for (int d = 0; d < 7; d++)
            if (wd & (1u << d)) {
                day = d;
                n_days++;
            }
        if (n_days != 1 && n_days != 7)
            return pl_error_set(err, PL_E_UNSUPPORTED,
                                "intune: %s: window '%s': Intune installs every day or on one "
                                "weekday, not on %d",
                                id, w->window.name, n_days);
        /* later rings defer by the days between the plan's first wave and theirs */
        int defer = w->ring == PL_RING_EMERGENCY
                        ? 0
                        : clamp((w->start - first) / DAY_SECS, 0, MAX_DEFER_QUALITY);
        /* Tier 0 (the emergency ring): no deferral and a 1-day deadline (its 24-hour SLA) */
        intune_file(out, p, w, id, defer, n_days == 7 ? "everyday" : days[day], hour, minute,
                    w->ring == PL_RING_EMERGENCY ? clamp(o->deadline_days, 0, 1)
                                                 : clamp(o->deadline_days, 0, MAX_DEADLINE));
    }
    return pl__apply_handoff_out_status(out, err);
}
