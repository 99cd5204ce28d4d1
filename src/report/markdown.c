/*
 * markdown.c - the Markdown rendering of a report (for tickets and wikis).
 */
#include <stdio.h>
#include <string.h>

#include "report_int.h"

/* Text in a Markdown table cell: markup characters escaped, HTML neutralised, controls dropped. */
static void md_text(struct pl_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '<')
            pl_buf_adds(b, "&lt;");
        else if (*p == '>')
            pl_buf_adds(b, "&gt;");
        else if (*p == '&')
            pl_buf_adds(b, "&amp;");
        else if (*p < 0x20 || *p == 0x7f)
            pl_buf_addch(b, ' ');
        else if (strchr("|\\`*_[]#!~", *p))
            pl_buf_addch(b, '\\'), pl_buf_addch(b, (char)*p);
        else
            pl_buf_addch(b, (char)*p);
    }
}

void pl__report_md_text(struct pl_buf *b, const char *s)
{
    md_text(b, s);
}

/* "| Emergency (Tier 0) fixed within 24 h | 97.0 % | 95 % | yes |" */
static void md_headline_tier(const struct pl_report *r, struct pl_buf *b, int t, double ratio,
                             char *pct, size_t size)
{
    int64_t sla = r->tiers[t].sla;
    char target[16];

    pl_buf_adds(b, "| ");
    md_text(b, r->tiers[t].name);
    if (sla > 0 && sla < 2 * PL_DAY && sla % 3600 == 0)
        pl_buf_addf(b, " (Tier %d) fixed within %lld h", t, (long long)(sla / 3600));
    else
        pl_buf_addf(b, " (Tier %d) fixed within %.0f days", t, (double)sla / PL_DAY);
    pl_buf_addf(
        b, " | %s | %s | %s |\n", pl__report_pct(ratio, pct, size),
        r->targets.sla[t] < 0
            ? "n/a"
            : (snprintf(target, sizeof(target), "%.0f %%", r->targets.sla[t] * 100), target),
        ratio < 0                                    ? "n/a"
        : pl__report_meets(ratio, r->targets.sla[t]) ? "yes"
                                                     : "no");
}

static void md_headline(const struct pl_report *r, struct pl_buf *b)
{
    char p1[16], p2[16], p3[16], f[16], t[16];
    double t0 = pl_report_sla_ratio(&r->sla[0]), t2 = pl_report_sla_ratio(&r->sla[2]);
    double cov = r->assets_known ? (double)r->assets_managed / (double)r->assets_known : -1;

    pl_buf_addf(b, "# Patchline %s report, %s to %s\n\n",
                r->period == PL_PERIOD_QUARTER ? "quarterly" : "monthly",
                pl_date_format(r->from, f), pl_date_format(r->to, t));
    if (r->simulated)
        pl_buf_adds(
            b, "> **Simulated store.** Every time in this report was set with --now, not "
               "taken from the real clock: it shows an exercise, not the estate's record.\n\n");
    pl_buf_adds(b, "## Summary\n\n| Measure | Value | Target | Met |\n|---|---|---|---|\n");
    md_headline_tier(r, b, 0, t0, p1, sizeof(p1));
    if (r->n_tiers > 2)
        md_headline_tier(r, b, 2, t2, p2, sizeof(p2));
    pl_buf_addf(b, "| Assets under active patching | %s | 95 %% | %s |\n",
                pl__report_pct(cov, p3, sizeof(p3)),
                cov < 0                                      ? "n/a"
                : pl__report_meets(cov, r->targets.coverage) ? "yes"
                                                             : "no");
    pl_buf_addf(b,
                "\n%lld open findings (%lld overdue); %lld known-exploited (KEV) findings "
                "unpatched for more than 7 days, %lld more mitigated, not patched.\n\n",
                (long long)r->backlog_open, (long long)r->backlog_overdue,
                (long long)r->kev_incidents.total, (long long)r->kev_mitigated.total);
    if (r->backlog_awaiting_repo)
        pl_buf_addf(b,
                    "%lld open findings: fix not yet available from your repositories "
                    "(awaiting-repo).\n\n",
                    (long long)r->backlog_awaiting_repo);
    if (r->backlog_nofix)
        pl_buf_addf(b,
                    "No fix available: %lld open findings have no fixed version (%lld of them "
                    "by the distribution's decision: no-dsa, postponed, ignored); their remedy "
                    "is a compensating control.\n\n",
                    (long long)r->backlog_nofix, (long long)r->backlog_nofix_decided);
    if (r->backlog_projects)
        pl_buf_addf(b,
                    "Upgrade projects: %lld open end-of-life findings need a major upgrade into "
                    "a supported release cycle: plan and test each as a project, not a patch in "
                    "a maintenance window.\n\n",
                    (long long)r->backlog_projects);
}

static void md_sla(const struct pl_report *r, struct pl_buf *b)
{
    pl_buf_adds(
        b, "## SLA compliance\n\n| Row | Due | Fixed on time | Mitigated | Accepted | "
           "Missed | Excluded | Compliance | Target |\n|---|---|---|---|---|---|---|---|---|\n");
    for (int k = 0; k < pl_report_n_rows(r); k++) {
        int i = pl_report_row(r, k);
        const struct pl_report_sla *s = &r->sla[i];
        char c[16], t[16], label[PL_REPORT_LABEL];

        pl_buf_addf(b, "| %s ", pl_report_row_name(i, false));
        md_text(b, pl__report_row_label(r, i, label, sizeof(label)));
        pl_buf_addf(b, " | %lld | %lld | %lld | %lld | %lld | %lld | %s | %s |\n",
                    (long long)s->due, (long long)s->met, (long long)s->mitigated,
                    (long long)s->accepted, (long long)s->missed, (long long)s->excluded,
                    pl__report_pct(pl_report_sla_ratio(s), c, sizeof(c)),
                    pl__report_pct(r->targets.sla[i], t, sizeof(t)));
    }
    pl_buf_adds(b, "\n## Mean time to patch (days)\n\n| Row | Fixed | Mean from disclosure | "
                   "Median | p90 | Mean from first seen | Median | p90 |\n"
                   "|---|---|---|---|---|---|---|---|\n");
    for (int k = 0; k < pl_report_n_rows(r) - 1 + PL_REPORT_ENVS; k++) {
        bool tier = k < pl_report_n_rows(r) - 1;
        int i = tier ? pl_report_row(r, k) : k - (pl_report_n_rows(r) - 1);
        const struct pl_report_mttp *m = tier ? &r->mttp_tier[i] : &r->mttp_env[i];
        char a[32], b1[32], c[32], d[32], e[32], f[32];

        if (m->first_seen.n == 0)
            continue;
        pl_buf_addf(b, "| %s | %lld | %s | %s | %s | %s | %s | %s |\n",
                    tier ? pl_report_row_name(i, false) : pl_report_env_names[i],
                    (long long)m->first_seen.n, pl__report_days(m->disclosure.mean, a, 32),
                    pl__report_days(m->disclosure.median, b1, 32),
                    pl__report_days(m->disclosure.p90, c, 32),
                    pl__report_days(m->first_seen.mean, d, 32),
                    pl__report_days(m->first_seen.median, e, 32),
                    pl__report_days(m->first_seen.p90, f, 32));
    }
}

static void md_list(struct pl_buf *b, const char *title, const struct pl_report_list *l,
                    const char *age)
{
    pl_buf_addf(b, "\n## %s (%lld)\n\n", title, (long long)l->total);
    if (l->n == 0) {
        pl_buf_adds(b, "None.\n");
        return;
    }
    pl_buf_addf(b,
                "| Asset | Owner | Env | Vulnerability | Package | Tier | %s |\n"
                "|---|---|---|---|---|---|---|\n",
                age);
    for (size_t i = 0; i < l->n; i++) {
        char d[32];

        pl_buf_adds(b, "| ");
        md_text(b, l->items[i].asset);
        pl_buf_adds(b, " | ");
        md_text(b, l->items[i].owner ? l->items[i].owner : PL_REPORT_NO_OWNER);
        pl_buf_adds(b, " | ");
        md_text(b, l->items[i].environment ? l->items[i].environment : "-");
        pl_buf_adds(b, " | ");
        md_text(b, l->items[i].vuln_id);
        pl_buf_adds(b, " | ");
        md_text(b, l->items[i].package);
        pl_buf_addf(b, " | %d | %s |\n", l->items[i].tier,
                    pl__report_days((double)l->items[i].age, d, sizeof(d)));
    }
}

static void md_rest(const struct pl_report *r, struct pl_buf *b)
{
    pl_buf_addf(b, "\n## Backlog\n\n%lld open", (long long)r->backlog_open);
    if (r->has_prev_quarter)
        pl_buf_addf(b, " (end of previous quarter: %lld)", (long long)r->prev_quarter_open);
    pl_buf_adds(b, ".\n\n| Severity | Open |\n|---|---|\n");
    for (int i = 0; i < PL_REPORT_SEVS; i++)
        pl_buf_addf(b, "| %s | %lld |\n", pl_report_sev_names[i], (long long)r->backlog_sev[i]);
    pl_buf_adds(b, "\n| Tier | Open |\n|---|---|\n");
    for (int k = 0; k < pl_report_n_rows(r); k++)
        pl_buf_addf(b, "| %s | %lld |\n", pl_report_row_name(pl_report_row(r, k), true),
                    (long long)r->backlog_tier[pl_report_row(r, k)]);
    md_list(b, "Unpatched KEV older than 7 days", &r->kev_incidents, "Age (days)");
    md_list(b, "KEV older than 7 days, mitigated, not patched", &r->kev_mitigated, "Age (days)");
    md_list(b, "Compensating controls expiring within 14 days", &r->controls_expiring, "Days left");
    md_list(b, "Top overdue findings", &r->overdue, "Overdue (days)");
    pl_buf_addf(b, "\n## Exposure\n\n%.1f exposure-days in the period.\n", r->exposure_days_total);
    pl_buf_addf(b,
                "\n## Exceptions\n\n%lld active, %lld expiring within 14 days, %lld expired "
                "and back on the clock.\n\n",
                (long long)r->exc_active, (long long)r->exc_expiring,
                (long long)r->exc_expired_reopened);
    for (size_t i = 0; i < r->n_exceptions; i++) {
        pl_buf_adds(b, "- ");
        md_text(b, r->exceptions[i].name);
        pl_buf_addf(b, ": %lld\n", (long long)r->exceptions[i].real);
    }
    pl_buf_addf(b, "\n## Assets\n\nCoverage: %lld of %lld known assets under active patching.\n",
                (long long)r->assets_managed, (long long)r->assets_known);
    pl_buf_addf(b,
                "Unassessed: %lld known assets have no package inventory (never counted as "
                "clean). Disputed: %lld findings (a scanner says vulnerable, the advisory data "
                "says fixed), counted apart.\n",
                (long long)r->assets_unassessed, (long long)r->findings_disputed);
    for (size_t i = 0; i < r->n_unmanaged; i++) {
        pl_buf_adds(b, "- unmanaged: ");
        md_text(b, r->unmanaged[i].asset);
        pl_buf_addch(b, '\n');
    }
    if (r->n_by_os)
        pl_buf_adds(b,
                    "\n| OS | assets | open findings | of them no fix |\n|---|---:|---:|---:|\n");
    for (size_t i = 0; i < r->n_by_os; i++) {
        pl_buf_adds(b, "| ");
        md_text(b, r->by_os[i].os);
        pl_buf_addf(b, " | %s | %s | %s |\n", pl__report_n(r->by_os[i].assets),
                    pl__report_n(r->by_os[i].open), pl__report_n(r->by_os[i].no_fix));
    }
    pl_buf_addf(b, "\n%lld assets run an OS released more than two years ago (table of %s).\n",
                (long long)r->aged_total, pl_report_os_table_date);
    for (size_t i = 0; i < r->n_aged; i++) {
        pl_buf_adds(b, "- ");
        md_text(b, r->aged[i].asset);
        pl_buf_adds(b, ": ");
        md_text(b, r->aged[i].os);
        pl_buf_addch(b, '\n');
    }
    pl_buf_addf(b,
                "\n%lld assets run an OS past the end of its security support (endoflife.date "
                "data of %s).\n",
                (long long)r->eol_total, pl_report_eol_table_date);
    for (size_t i = 0; i < r->n_eol; i++) {
        char d1[16], d2[16];

        pl_buf_adds(b, "- end of life: ");
        md_text(b, r->eol[i].asset);
        pl_buf_adds(b, ": ");
        md_text(b, r->eol[i].os);
        pl_buf_addf(b, " (support ended %s", pl_date_format(r->eol[i].released, d1));
        if (r->eol[i].extended)
            pl_buf_addf(b, "; extended support until %s", pl_date_format(r->eol[i].extended, d2));
        pl_buf_adds(b, ")\n");
    }
    pl_buf_addf(b, "\n## Audit events\n\n%lld audit events",
                (long long)(r->events_real + r->events_simulated));
    if (!r->simulated && r->events_simulated > 0)
        pl_buf_addf(b, " (%lld of them backdated with --now before the store's mode was fixed)",
                    (long long)r->events_simulated);
    pl_buf_adds(b, ".\n");
}

static void md_league(const struct pl_report *r, struct pl_buf *b, const char *what,
                      const struct pl_report_group *g, size_t n)
{
    pl_buf_addf(b,
                "\n### League table by %s\n\n| # | %s | Assets | Overdue Tier 0-1 | Overdue | "
                "Open | KEV incidents | SLA met | MTTP (days) | Exceptions |\n"
                "|---|---|---|---|---|---|---|---|---|---|\n",
                what, what);
    for (size_t i = 0; i < n; i++) {
        char a[32], c[32], d[32], e[32], f[32], p[16], m[32], x[32];

        pl_buf_addf(b, "| %zu | ", i + 1);
        md_text(b, g[i].name);
        pl_buf_addf(b, " | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                    pl__report_int(g[i].assets, a, 32), pl__report_int(g[i].overdue_urgent, c, 32),
                    pl__report_int(g[i].overdue, d, 32), pl__report_int(g[i].open_total, e, 32),
                    pl__report_int(g[i].kev_incidents, f, 32),
                    pl__report_pct(pl__report_group_sla(r, &g[i]), p, sizeof(p)),
                    g[i].mttp.n ? pl__report_days(g[i].mttp.mean, m, sizeof(m)) : "n/a",
                    pl__report_int(g[i].exceptions, x, 32));
    }
}

static void md_group(const struct pl_report *r, struct pl_buf *b, const char *what,
                     const struct pl_report_group *g)
{
    char a[32], c[32], p[16];

    pl_buf_addf(b, "\n### %s: ", what);
    md_text(b, g->name);
    pl_buf_addf(b, "\n\n| Tier | Open | Overdue | Due in period | Fixed on time | SLA met |\n"
                   "|---|---|---|---|---|---|\n");
    for (int k = 0; k < pl_report_n_rows(r) - 1; k++) {
        int i = pl_report_row(r, k);
        char label[PL_REPORT_LABEL], o[32], d[32];

        pl_buf_adds(b, "| ");
        md_text(b, pl__report_row_label(r, i, label, sizeof(label)));
        pl_buf_addf(b, " | %s | %s | %s | %s | %s |\n", pl__report_int(g->open[i], o, 32),
                    pl__report_int(g->overdue_tier[i], d, 32), pl__report_int(g->sla[i].due, a, 32),
                    pl__report_int(g->sla[i].met, c, 32),
                    pl__report_pct(pl_report_sla_ratio(&g->sla[i]), p, sizeof(p)));
    }
    for (size_t i = 0; i < g->overdue_items.n; i++) {
        const struct pl_report_item *it = &g->overdue_items.items[i];

        pl_buf_adds(b, i ? "- " : "\nMost overdue:\n\n- ");
        md_text(b, it->asset);
        pl_buf_adds(b, " ");
        md_text(b, it->vuln_id);
        pl_buf_adds(b, " (");
        md_text(b, it->package);
        pl_buf_addf(b, ", Tier %d): %s days overdue\n", it->tier,
                    pl__report_days((double)it->age, a, sizeof(a)));
    }
}

static void md_periods(const struct pl_report *r, struct pl_buf *b, const char *kind,
                       const struct pl_mx_period *past, size_t n)
{
    struct pl__report_trend t;
    char f[16];

    pl__report_trend_cols(r, past, n, &t);
    pl_buf_addf(b, "\n### By %s (closed %ss as recorded when they closed)\n\n| Measure |", kind,
                kind);
    for (size_t c = 0; c < t.n; c++)
        pl_buf_addf(b, " %s%s |", c + 1 == t.n ? "this period from " : "",
                    pl_date_format(t.cols[c]->from, f));
    pl_buf_adds(b, " Target |\n|---|");
    for (size_t c = 0; c <= t.n; c++)
        pl_buf_adds(b, "---|");
    pl_buf_addch(b, '\n');
    for (int i = 0; i < PL_REPORT_MEASURES; i++) {
        pl_buf_addf(b, "| %s |", pl__report_measure_names[i]);
        for (size_t c = 0; c < t.n; c++) {
            const struct pl__report_measure *m = &t.m[c][i];
            char v[32];

            pl_buf_addf(b, " %s%s |", pl__report_measure_text(i, m->value, v, sizeof(v)),
                        m->met < 0 ? ""
                        : m->met   ? " (met)"
                                   : " (missed)");
        }
        pl_buf_addf(b, " %s |\n", pl__report_measure_targets[i]);
    }
}

static void md_arrivals(const struct pl_report *r, struct pl_buf *b)
{
    const struct pl_report_list *l = &r->kev_arrivals;

    pl_buf_adds(b, "\n## The six measures against their targets\n");
    if (r->period == PL_PERIOD_QUARTER)
        md_periods(r, b, "quarter", r->past_quarters, r->n_past_quarters);
    md_periods(r, b, "month", r->past_months, r->n_past_months);
    pl_buf_addf(b,
                "\n## KEV arrivals in the period (%lld)\n\n%lld fixed within 24 h, %lld fixed "
                "late, %lld mitigated or accepted, %lld still open.\n\n",
                (long long)l->total, (long long)r->kev_fixed_24h, (long long)r->kev_fixed_late,
                (long long)r->kev_mitigated_n, (long long)r->kev_open);
    for (size_t i = 0; i < l->n; i++) {
        char st[64];

        pl_buf_adds(b, "- ");
        md_text(b, l->items[i].asset);
        pl_buf_adds(b, " (");
        md_text(b, l->items[i].owner ? l->items[i].owner : PL_REPORT_NO_OWNER);
        pl_buf_adds(b, ") ");
        md_text(b, l->items[i].vuln_id);
        pl_buf_addf(b, ": %s\n", pl__report_arrival_status(&l->items[i], st, sizeof(st)));
    }
}

static void md_groups(const struct pl_report *r, struct pl_buf *b)
{
    pl_buf_adds(b, "\n## Accountability\n");
    md_league(r, b, "owner", r->owners, r->n_owners);
    md_league(r, b, "environment", r->envs, r->n_envs);
    for (size_t i = 0; i < r->n_owners; i++)
        md_group(r, b, "Owner", &r->owners[i]);
    for (size_t i = 0; i < r->n_envs; i++)
        md_group(r, b, "Environment", &r->envs[i]);
}

pl_status pl_report_markdown(const struct pl_report *r, struct pl_buf *b, struct pl_error *err)
{
    md_headline(r, b);
    md_arrivals(r, b);
    md_sla(r, b);
    md_rest(r, b);
    md_groups(r, b);
    pl__report_md_rollouts(r, b);
    return pl__report_done(b, "report markdown", err);
}
