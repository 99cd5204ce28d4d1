/*
 * prom.c - Prometheus text exposition format (version 0.0.4): one HELP and
 * one TYPE line before the samples of each metric family; label values
 * escape backslash, double quote and line feed.
 */
#include <stdbool.h>

#include "report_int.h"

void pl_report_prom_label(struct pl_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\\')
            pl_buf_adds(b, "\\\\");
        else if (*s == '"')
            pl_buf_adds(b, "\\\"");
        else if (*s == '\n')
            pl_buf_adds(b, "\\n");
        else
            pl_buf_addch(b, *s);
    }
}

static void family(struct pl_buf *b, const char *name, const char *help)
{
    pl_buf_addf(b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/*
 * One sample; label names/values alternate in lv (NULL-terminated). A
 * simulated store's samples carry simulated="true" first.
 */
static void sample(const struct pl_report *r, struct pl_buf *b, const char *name,
                   const char *const *lv, double v)
{
    bool labels = r->simulated || (lv && lv[0]);

    pl_buf_adds(b, name);
    if (labels)
        pl_buf_adds(b, r->simulated ? "{simulated=\"true\"" : "{");
    for (size_t i = 0; lv && lv[i]; i += 2) {
        pl_buf_addf(b, "%s%s=\"", i || r->simulated ? "," : "", lv[i]);
        pl_report_prom_label(b, lv[i + 1]);
        pl_buf_addch(b, '"');
    }
    if (labels)
        pl_buf_addch(b, '}');
    pl_buf_addf(b, " %.17g\n", v);
}

/* The tier label of a row: "0".."9", "unscored", then "untiered" (backlog) or "kev". */
static const char *tier_label(int row, bool backlog)
{
    static const char *const t[PL_MAX_POLICY_TIERS] = {"0", "1", "2", "3", "4",
                                                       "5", "6", "7", "8", "9"};

    if (row >= 0 && row < PL_MAX_POLICY_TIERS)
        return t[row];
    if (row == PL_ROW_UNSCORED)
        return "unscored";
    return backlog ? "untiered" : "kev";
}

static void prom_sla(const struct pl_report *r, struct pl_buf *b)
{
    int n = pl_report_n_rows(r);

    family(b, "patchline_tier_sla_seconds", "SLA of each tier, as the deciding policy names it.");
    for (int t = 0; t < r->n_tiers; t++)
        sample(r, b, "patchline_tier_sla_seconds",
               (const char *[]){"tier", tier_label(t, false), "name", r->tiers[t].name, "policy",
                                r->policy, NULL},
               (double)r->tiers[t].sla);
    family(b, "patchline_sla_due_findings", "Findings due in the period (SLA denominator).");
    for (int k = 0; k < n; k++) {
        int i = pl_report_row(r, k);

        sample(r, b, "patchline_sla_due_findings",
               (const char *[]){"tier", tier_label(i, false), NULL}, (double)r->sla[i].due);
    }
    family(b, "patchline_sla_met_findings", "Findings fixed by their due date in the period.");
    for (int k = 0; k < n; k++) {
        int i = pl_report_row(r, k);

        sample(r, b, "patchline_sla_met_findings",
               (const char *[]){"tier", tier_label(i, false), NULL}, (double)r->sla[i].met);
    }
    family(b, "patchline_sla_compliance_ratio",
           "Fixed by the due date divided by due in the period (absent when none was due).");
    for (int k = 0; k < n; k++) {
        int i = pl_report_row(r, k);

        if (r->sla[i].due > 0)
            sample(r, b, "patchline_sla_compliance_ratio",
                   (const char *[]){"tier", tier_label(i, false), NULL},
                   pl_report_sla_ratio(&r->sla[i]));
    }
    family(b, "patchline_sla_target_ratio", "SLA compliance target.");
    for (int k = 0; k < n; k++) {
        int i = pl_report_row(r, k);

        if (r->targets.sla[i] >= 0)
            sample(r, b, "patchline_sla_target_ratio",
                   (const char *[]){"tier", tier_label(i, false), NULL}, r->targets.sla[i]);
    }
}

static void prom_mttp(const struct pl_report *r, struct pl_buf *b)
{
    static const char name[] = "patchline_mttp_seconds";

    family(b, name, "Mean time to patch of findings fixed in the period, by tier.");
    for (int k = 0; k < pl_report_n_rows(r) - 1; k++) {
        int i = pl_report_row(r, k);
        const char *t = tier_label(i, false);

        if (r->mttp_tier[i].first_seen.n)
            sample(r, b, name, (const char *[]){"tier", t, "from", "first_seen", NULL},
                   r->mttp_tier[i].first_seen.mean);
        if (r->mttp_tier[i].disclosure.n)
            sample(r, b, name, (const char *[]){"tier", t, "from", "disclosure", NULL},
                   r->mttp_tier[i].disclosure.mean);
    }
    family(b, "patchline_mttp_env_seconds",
           "Mean time to patch of findings fixed in the period, by environment.");
    for (int i = 0; i < PL_REPORT_ENVS; i++) {
        if (r->mttp_env[i].first_seen.n)
            sample(r, b, "patchline_mttp_env_seconds",
                   (const char *[]){"env", pl_report_env_names[i], "from", "first_seen", NULL},
                   r->mttp_env[i].first_seen.mean);
        if (r->mttp_env[i].disclosure.n)
            sample(r, b, "patchline_mttp_env_seconds",
                   (const char *[]){"env", pl_report_env_names[i], "from", "disclosure", NULL},
                   r->mttp_env[i].disclosure.mean);
    }
}

static void prom_assets(const struct pl_report *r, struct pl_buf *b)
{
    family(b, "patchline_assets_known", "Known (not retired) assets.");
    for (int i = 0; i < PL_REPORT_ENVS; i++)
        sample(r, b, "patchline_assets_known",
               (const char *[]){"env", pl_report_env_names[i], NULL}, (double)r->env_known[i]);
    family(b, "patchline_assets_managed",
           "Assets under active patching: owner set, not retired, seen within 7 days.");
    for (int i = 0; i < PL_REPORT_ENVS; i++)
        sample(r, b, "patchline_assets_managed",
               (const char *[]){"env", pl_report_env_names[i], NULL}, (double)r->env_managed[i]);
    family(b, "patchline_assets_unassessed", "Known assets without a package inventory.");
    sample(r, b, "patchline_assets_unassessed", NULL, (double)r->assets_unassessed);
    family(b, "patchline_findings_disputed",
           "Findings a scanner reports that the advisory data proves fixed, counted apart.");
    sample(r, b, "patchline_findings_disputed", NULL, (double)r->findings_disputed);
    if (r->assets_known) {
        family(b, "patchline_coverage_ratio", "Managed assets divided by known assets.");
        sample(r, b, "patchline_coverage_ratio", NULL,
               (double)r->assets_managed / (double)r->assets_known);
    }
    family(b, "patchline_assets_os_aged", "Assets whose OS release is more than two years old.");
    sample(r, b, "patchline_assets_os_aged", NULL, (double)r->aged_total);
}

static void prom_backlog(const struct pl_report *r, struct pl_buf *b)
{
    family(b, "patchline_backlog_open_findings", "Open findings by tier.");
    for (int k = 0; k < pl_report_n_rows(r); k++) {
        int i = pl_report_row(r, k);

        sample(r, b, "patchline_backlog_open_findings",
               (const char *[]){"tier", tier_label(i, true), NULL}, (double)r->backlog_tier[i]);
    }
    family(b, "patchline_backlog_severity_findings", "Open findings by severity.");
    for (int i = 0; i < PL_REPORT_SEVS; i++)
        sample(r, b, "patchline_backlog_severity_findings",
               (const char *[]){"severity", pl_report_sev_names[i], NULL},
               (double)r->backlog_sev[i]);
    family(b, "patchline_backlog_overdue_findings", "Open findings past their due date.");
    sample(r, b, "patchline_backlog_overdue_findings", NULL, (double)r->backlog_overdue);
    family(b, "patchline_backlog_no_fix_findings", "Open findings with no fixed version.");
    sample(r, b, "patchline_backlog_no_fix_findings", NULL, (double)r->backlog_nofix);
    family(b, "patchline_backlog_no_fix_decided_findings",
           "Open findings the distribution decided not to fix in a security update.");
    sample(r, b, "patchline_backlog_no_fix_decided_findings", NULL,
           (double)r->backlog_nofix_decided);
    family(b, "patchline_kev_incidents", "Open KEV-listed findings older than 7 days.");
    sample(r, b, "patchline_kev_incidents", NULL, (double)r->kev_incidents.total);
    family(b, "patchline_exposure_days", "Days findings were open past disclosure in the period.");
    sample(r, b, "patchline_exposure_days", NULL, r->exposure_days_total);
}

static void prom_exceptions(const struct pl_report *r, struct pl_buf *b)
{
    family(b, "patchline_exceptions_active", "Active exceptions by type.");
    for (size_t i = 0; i < r->n_exceptions; i++)
        sample(r, b, "patchline_exceptions_active",
               (const char *[]){"type", r->exceptions[i].name, NULL},
               (double)r->exceptions[i].real);
    family(b, "patchline_exceptions_expiring", "Active exceptions expiring within 14 days.");
    sample(r, b, "patchline_exceptions_expiring", NULL, (double)r->exc_expiring);
    family(b, "patchline_exceptions_expired", "Expired exceptions whose findings are open again.");
    sample(r, b, "patchline_exceptions_expired", NULL, (double)r->exc_expired_reopened);
    family(b, "patchline_audit_events", "Audit events in the period, by clock.");
    sample(r, b, "patchline_audit_events", (const char *[]){"clock", "real", NULL},
           (double)r->events_real);
    sample(r, b, "patchline_audit_events", (const char *[]){"clock", "simulated", NULL},
           (double)r->events_simulated);
}

pl_status pl_report_prometheus(const struct pl_report *r, struct pl_buf *b, struct pl_error *err)
{
    prom_sla(r, b);
    prom_mttp(r, b);
    prom_assets(r, b);
    prom_backlog(r, b);
    prom_exceptions(r, b);
    return pl__report_done(b, "metrics prometheus", err);
}
