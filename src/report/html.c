/*
 * html.c - the HTML report: one self-contained file (inline CSS, inline SVG,
 * no script, a Content-Security-Policy that forbids anything else), written
 * for a security lead (monthly detail) and a CISO (quarterly summary).
 */
#include <stdio.h>

#include "patchline/escape.h"

#include "report_int.h"

/*
 * Colours: the Okabe-Ito palette (safe for the common colour-vision
 * deficiencies), and every colour's meaning is also written in text.
 */
static const char css[] =
    "body{font:15px/1.45 system-ui,sans-serif;color:#1b1f24;max-width:980px;margin:24px auto;"
    "padding:0 16px}h1{font-size:24px;margin-bottom:2px}h2{font-size:19px;margin-top:30px;"
    "border-bottom:1px solid #d0d7de}h3{font-size:16px;margin-top:22px}.sub{color:#57606a}"
    ".cards{display:flex;gap:12px;flex-wrap:wrap}.card{flex:1 1 200px;border:1px solid #d0d7de;"
    "border-radius:8px;padding:12px}.card .v{font-size:30px;font-weight:600}.ok .v{color:#007a5a}"
    ".miss .v{color:#b34700}.na .v{color:#57606a}table{border-collapse:collapse;margin:8px 0;"
    "font-size:14px;max-width:100%}caption{text-align:left;font-weight:600;padding:2px 0}"
    "th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:right;overflow-wrap:anywhere}"
    "th:first-child,td:first-child{text-align:left}td.t{text-align:left}td.bad{color:#b34700;"
    "font-weight:600}td.good{color:#007a5a}svg{max-width:100%;height:auto;display:block}"
    "svg text{font:12px sans-serif;fill:#1b1f24}rect.ok{fill:#009e73}rect.none{fill:#999}"
    "rect.miss{fill:#d55e00}rect.seen{fill:#0072b2}rect.disc{fill:#56b4e9}line.target{stroke:"
    "#1b1f24;stroke-width:2}line.axis{stroke:#8c959f}line.grid{stroke:#d0d7de}polyline{fill:"
    "none;stroke-width:2}polyline.open{stroke:#0072b2}polyline.overdue{stroke:#d55e00;"
    "stroke-dasharray:6 3}polyline.kev{stroke:#cc79a7;stroke-dasharray:2 2}"
    ".alert{background:#fff1e6;border:1px solid #d55e00;border-radius:8px;padding:8px 12px}"
    ".simulated{background:#fff8c5;border:2px solid #9a6700;border-radius:8px;padding:8px 12px;"
    "font-weight:600}details{margin:4px 0}"
    "@page{size:A4;margin:12mm}@media print{body{max-width:none;margin:0;padding:0;"
    "font-size:11px}table{font-size:10px}th,td{padding:2px 4px}h2{break-after:avoid}"
    "tr,svg,.card{break-inside:avoid}section.group{break-before:page}.cards{gap:6px}"
    ".card .v{font-size:20px}a{color:inherit;text-decoration:none}}";

void pl__report_esc(struct pl_buf *b, const char *s)
{
    pl_escape_html(b, s ? s : "");
}

/* A headline card; title and what are escaped (a tier's name comes from the policy). */
static void card(struct pl_buf *b, const char *title, double v, double target, const char *what)
{
    char p[16], t[16];
    const char *cls = v < 0 ? "na" : pl__report_meets(v, target) ? "ok" : "miss";

    pl_buf_addf(b, "<div class=\"card %s\"><div>", cls);
    pl__report_esc(b, title);
    pl_buf_addf(b,
                "</div><div class=\"v\">%s</div>"
                "<div>target %s: %s</div><div class=\"sub\">",
                pl__report_pct(v, p, sizeof(p)), pl__report_pct(target, t, sizeof(t)),
                v < 0                         ? "nothing to measure"
                : pl__report_meets(v, target) ? "met"
                                              : "missed");
    pl__report_esc(b, what);
    pl_buf_adds(b, "</div></div>\n");
}

/* The card of tier t: "Emergency fixes in 24 h", under the policy's name and SLA. */
static void card_tier(const struct pl_report *r, struct pl_buf *b, int t)
{
    char title[160], sla[32], what[32];

    snprintf(title, sizeof(title), "%s fixes in %s", r->tiers[t].name,
             pl_report_sla_text(r->tiers[t].sla, sla, sizeof(sla)));
    snprintf(what, sizeof(what), "Tier %d", t);
    card(b, title, pl_report_sla_ratio(&r->sla[t]), r->targets.sla[t], what);
}

static void summary(const struct pl_report *r, struct pl_buf *b)
{
    double cov = r->assets_known ? (double)r->assets_managed / (double)r->assets_known : -1;
    char f[16], t[16];

    pl_buf_addf(b, "<h1>Patching report: %s %s to %s</h1>\n<p class=\"sub\">",
                r->period == PL_PERIOD_QUARTER ? "quarter"
                : r->period == PL_PERIOD_MONTH ? "month"
                                               : "period",
                pl_date_format(r->from, f), pl_date_format(r->to, t));
    pl_buf_adds(b, r->period == PL_PERIOD_QUARTER
                       ? "Leadership summary: are we patching fast enough, and is it improving?"
                       : "Security team detail: what was due, what slipped, what to chase now.");
    pl_buf_adds(b, "</p>\n<h2>Executive summary</h2>\n<div class=\"cards\">\n");
    card_tier(r, b, 0);
    if (r->n_tiers > 2)
        card_tier(r, b, 2);
    card(b, "Assets under active patching", cov, r->targets.coverage,
         "owner known and seen in the last 7 days");
    pl_buf_adds(b, "</div>\n");
    if (r->kev_incidents.total > 0)
        pl_buf_addf(b,
                    "<p class=\"alert\"><b>%s incident%s:</b> known-exploited "
                    "vulnerabilities left unpatched for more than 7 days (listed below).</p>\n",
                    pl__report_n(r->kev_incidents.total), r->kev_incidents.total == 1 ? "" : "s");
    pl_buf_addf(b, "<p>%s findings are open, %s of them past their due date",
                pl__report_n(r->backlog_open), pl__report_n(r->backlog_overdue));
    if (r->has_prev_quarter)
        pl_buf_addf(b, "; at the end of the previous quarter %s were open (%s)",
                    pl__report_n(r->prev_quarter_open),
                    r->backlog_open <= r->prev_quarter_open ? "the backlog is shrinking"
                                                            : "the backlog is growing");
    pl_buf_addf(b, ". Exposure in the period: %.1f finding-days.</p>\n", r->exposure_days_total);
    if (r->backlog_awaiting_repo)
        pl_buf_addf(b,
                    "<p>%s open findings: fix not yet available from your repositories "
                    "(awaiting-repo).</p>\n",
                    pl__report_n(r->backlog_awaiting_repo));
    if (r->backlog_nofix)
        pl_buf_addf(b,
                    "<p><b>No fix available:</b> %s open findings have no fixed version (%s "
                    "of them by the distribution's decision: no-dsa, postponed, ignored); their "
                    "remedy is a compensating control.</p>\n",
                    pl__report_n(r->backlog_nofix), pl__report_n(r->backlog_nofix_decided));
    if (r->backlog_projects)
        pl_buf_addf(b,
                    "<p><b>Upgrade projects:</b> %s open end-of-life findings need a major "
                    "upgrade into a supported release cycle: plan and test each as a project, "
                    "not a patch in a maintenance window.</p>\n",
                    pl__report_n(r->backlog_projects));
}

static void sla_table(const struct pl_report *r, struct pl_buf *b)
{
    pl_buf_adds(b, "<h2>SLA compliance per tier</h2>\n");
    pl__report_svg_sla(r, b);
    pl_buf_adds(b, "<table><tr><th>Tier</th><th>Due</th><th>Fixed on time</th><th>Mitigated"
                   "</th><th>Accepted</th><th>Missed</th><th>Excluded</th><th>Compliance</th>"
                   "<th>Target</th></tr>\n");
    for (int k = 0; k < pl_report_n_rows(r); k++) {
        int i = pl_report_row(r, k);
        const struct pl_report_sla *s = &r->sla[i];
        char c[16], t[16], label[PL_REPORT_LABEL];

        pl_buf_addf(b, "<tr><td>%s ", pl_report_row_name(i, false));
        pl__report_esc(b, pl__report_row_label(r, i, label, sizeof(label)));
        pl_buf_addf(b,
                    "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                    "<td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                    pl__report_n(s->due), pl__report_n(s->met), pl__report_n(s->mitigated),
                    pl__report_n(s->accepted), pl__report_n(s->missed), pl__report_n(s->excluded),
                    pl__report_pct(pl_report_sla_ratio(s), c, sizeof(c)),
                    pl__report_pct(r->targets.sla[i], t, sizeof(t)));
    }
    pl_buf_adds(b, "</table>\n<p class=\"sub\">Mitigated and accepted findings are handled but "
                   "not patched; they do not count as fixed. Findings whose package was removed "
                   "or whose asset was retired before the due date are excluded.</p>\n");
}

static void mttp_table(const struct pl_report *r, struct pl_buf *b)
{
    pl_buf_adds(b, "<h2>Mean time to patch</h2>\n");
    pl__report_svg_mttp(r, b);
    pl_buf_adds(b, "<table><tr><th>Days</th><th>Fixed</th><th>Mean from disclosure</th>"
                   "<th>Median</th><th>p90</th><th>Mean from first seen</th><th>Median</th>"
                   "<th>p90</th></tr>\n");
    /* the leadership summary keeps the tiers; the team's detail adds environments */
    int tiers = pl_report_n_rows(r) - 1;
    int rows = tiers + (r->period == PL_PERIOD_QUARTER ? 0 : PL_REPORT_ENVS);

    for (int k = 0; k < rows; k++) {
        bool tier = k < tiers;
        int i = tier ? pl_report_row(r, k) : k - tiers;
        const struct pl_report_mttp *m = tier ? &r->mttp_tier[i] : &r->mttp_env[i];
        char a[32], c[32], d[32], e[32], f[32], g[32];

        if (m->first_seen.n == 0)
            continue;
        pl_buf_addf(b,
                    "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                    "<td>%s</td><td>%s</td></tr>\n",
                    tier ? pl_report_row_name(i, false) : pl_report_env_names[i],
                    pl__report_n(m->first_seen.n), pl__report_days(m->disclosure.mean, a, 32),
                    pl__report_days(m->disclosure.median, c, 32),
                    pl__report_days(m->disclosure.p90, d, 32),
                    pl__report_days(m->first_seen.mean, e, 32),
                    pl__report_days(m->first_seen.median, f, 32),
                    pl__report_days(m->first_seen.p90, g, 32));
    }
    pl_buf_adds(b, "</table>\n");
}

static void item_table(struct pl_buf *b, const char *title, const struct pl_report_list *l,
                       const char *age)
{
    pl_buf_addf(b, "<h2>%s (%s)</h2>\n", title, pl__report_n(l->total));
    if (l->n == 0) {
        pl_buf_adds(b, "<p>None.</p>\n");
        return;
    }
    pl_buf_addf(b,
                "<table><tr><th>Asset</th><th>Owner</th><th>Env</th><th>Vulnerability</th>"
                "<th>Package</th><th>Tier</th><th>%s</th></tr>\n",
                age);
    for (size_t i = 0; i < l->n; i++) {
        char d[32];

        pl_buf_adds(b, "<tr><td>");
        pl__report_esc(b, l->items[i].asset);
        pl_buf_adds(b, "</td><td class=\"t\">");
        pl__report_esc(b, l->items[i].owner ? l->items[i].owner : PL_REPORT_NO_OWNER);
        pl_buf_adds(b, "</td><td class=\"t\">");
        pl__report_esc(b, l->items[i].environment);
        pl_buf_adds(b, "</td><td class=\"t\">");
        pl__report_esc(b, l->items[i].vuln_id);
        pl_buf_adds(b, "</td><td class=\"t\">");
        pl__report_esc(b, l->items[i].package);
        pl_buf_addf(b, "</td><td>%d</td><td>%s</td></tr>\n", l->items[i].tier,
                    pl__report_days((double)l->items[i].age, d, sizeof(d)));
    }
    pl_buf_adds(b, "</table>\n");
    if (l->total > (int64_t)l->n)
        pl_buf_addf(b, "<p class=\"sub\">and %s more.</p>\n",
                    pl__report_n((l->total - (int64_t)l->n)));
}

static void backlog(const struct pl_report *r, struct pl_buf *b)
{
    pl_buf_adds(b, "<h2>Backlog</h2>\n");
    pl__report_svg_trend(r, b);
    pl__report_trend_table(r, b);
    pl_buf_adds(b, "<table><tr><th>Severity</th><th>Open now</th><th>End of previous quarter"
                   "</th></tr>\n");
    for (int i = 0; i < PL_REPORT_SEVS; i++) {
        pl_buf_addf(b, "<tr><td>%s</td><td>%s</td>", pl_report_sev_names[i],
                    pl__report_n(r->backlog_sev[i]));
        if (r->has_prev_quarter)
            pl_buf_addf(b, "<td>%s</td></tr>\n", pl__report_n(r->prev_quarter_sev[i]));
        else
            pl_buf_adds(b, "<td>no snapshot</td></tr>\n");
    }
    pl_buf_adds(b, "</table>\n<table><tr><th>Tier</th><th>Open now</th></tr>\n");
    for (int k = 0; k < pl_report_n_rows(r); k++)
        pl_buf_addf(b, "<tr><td>%s</td><td>%s</td></tr>\n",
                    pl_report_row_name(pl_report_row(r, k), true),
                    pl__report_n(r->backlog_tier[pl_report_row(r, k)]));
    pl_buf_addf(b,
                "</table>\n<p>%s open findings were fixed before and came back "
                "(regressions).</p>\n",
                pl__report_n(r->regressions));
}

static void exceptions(const struct pl_report *r, struct pl_buf *b)
{
    pl_buf_addf(b,
                "<h2>Exceptions</h2>\n<p>%s active; %s expire within 14 days; %s "
                "expired and are back on the clock.</p>\n",
                pl__report_n(r->exc_active), pl__report_n(r->exc_expiring),
                pl__report_n(r->exc_expired_reopened));
    if (r->n_exceptions == 0)
        return;
    pl_buf_adds(b, "<table><tr><th>Type</th><th>Active</th></tr>\n");
    for (size_t i = 0; i < r->n_exceptions; i++) {
        pl_buf_adds(b, "<tr><td>");
        pl__report_esc(b, r->exceptions[i].name);
        pl_buf_addf(b, "</td><td>%s</td></tr>\n", pl__report_n(r->exceptions[i].real));
    }
    pl_buf_adds(b, "</table>\n");
}

/* A list of assets (two or three columns); nothing when empty. */
static void asset_list(struct pl_buf *b, const char *head, const struct pl_report_aged *a, size_t n,
                       int64_t total, const char *when)
{
    if (n == 0)
        return;
    pl_buf_addf(b, "<table><tr><th>%s</th><th>Env</th>", head);
    if (a[0].os)
        pl_buf_addf(b, "<th>OS</th><th>%s</th>", when);
    pl_buf_adds(b, "</tr>\n");
    for (size_t i = 0; i < n; i++) {
        char d[16];

        pl_buf_adds(b, "<tr><td>");
        pl__report_esc(b, a[i].asset);
        pl_buf_adds(b, "</td><td class=\"t\">");
        pl__report_esc(b, a[i].environment);
        if (a[i].os) {
            pl_buf_adds(b, "</td><td class=\"t\">");
            pl__report_esc(b, a[i].os);
            pl_buf_addf(b, "</td><td>%s", pl_date_format(a[i].released, d));
        }
        pl_buf_adds(b, "</td></tr>\n");
    }
    pl_buf_adds(b, "</table>\n");
    if (total > (int64_t)n)
        pl_buf_addf(b, "<p class=\"sub\">and %s more.</p>\n", pl__report_n((total - (int64_t)n)));
}

static void assets_and_events(const struct pl_report *r, struct pl_buf *b)
{
    bool detail = r->period != PL_PERIOD_QUARTER; /* lists for the team, counts for leadership */

    pl_buf_addf(b,
                "<h2>Assets</h2>\n<p>%s of %s known assets are under active patching."
                "</p>\n<p>%s known assets have no package inventory (unassessed, never counted "
                "as clean); %s findings are disputed (a scanner says vulnerable, the advisory "
                "data says fixed), counted apart.</p>\n",
                pl__report_n(r->assets_managed), pl__report_n(r->assets_known),
                pl__report_n(r->assets_unassessed), pl__report_n(r->findings_disputed));
    if (detail)
        asset_list(b, "Not under active patching", r->unmanaged, r->n_unmanaged,
                   r->assets_known - r->assets_managed, "Released");
    pl_buf_addf(b,
                "<p>%s assets run an operating system released more than two years ago "
                "(release table of %s).</p>\n",
                pl__report_n(r->aged_total), pl_report_os_table_date);
    if (detail)
        asset_list(b, "Old operating system", r->aged, r->n_aged, r->aged_total, "Released");
    pl_buf_addf(b,
                "<p>%s assets run an operating system past the end of its security support "
                "(endoflife.date data of %s).</p>\n",
                pl__report_n(r->eol_total), pl_report_eol_table_date);
    if (detail)
        asset_list(b, "Operating system past end of life", r->eol, r->n_eol, r->eol_total,
                   "Support ended");
    pl_buf_addf(b, "<h2>Audit events</h2>\n<p>%s audit events",
                pl__report_n((r->events_real + r->events_simulated)));
    if (!r->simulated && r->events_simulated > 0)
        pl_buf_addf(b, " (%s of them backdated with --now before the store's mode was fixed)",
                    pl__report_n(r->events_simulated));
    pl_buf_adds(b, ".</p>\n");
    if (!detail || r->n_events == 0)
        return;
    pl_buf_adds(b, "<table><tr><th>Action</th><th>Events</th></tr>\n");
    for (size_t i = 0; i < r->n_events; i++) {
        pl_buf_adds(b, "<tr><td>");
        pl__report_esc(b, r->events[i].name);
        pl_buf_addf(b, "</td><td>%s</td></tr>\n",
                    pl__report_n((r->events[i].real + r->events[i].simulated)));
    }
    pl_buf_adds(b, "</table>\n");
}

const char *pl_report_html_css(void)
{
    return css;
}

void pl_report_html_body(const struct pl_report *r, struct pl_buf *b)
{
    if (r->simulated)
        pl_buf_adds(b, "<p class=\"simulated\" role=\"alert\">Simulated store: every time in this "
                       "report was set with --now, not taken from the real clock. It shows an "
                       "exercise, not the estate's record.</p>\n");
    summary(r, b);
    if (r->period == PL_PERIOD_QUARTER) { /* leadership: the measures, their trend, the risks */
        pl__report_html_measures(r, b);
        pl__report_html_top_risks(r, b);
        sla_table(r, b);
        item_table(b, "Unpatched known-exploited (KEV) findings older than 7 days",
                   &r->kev_incidents, "Age (days)");
        pl__report_html_kev_arrivals(r, b);
        backlog(r, b);
        pl_buf_addf(b, "<h2>Top overdue findings (%s overdue)</h2>\n",
                    pl__report_n(r->overdue.total));
        pl__report_svg_overdue(r, b);
        item_table(b, "The chart's data: overdue findings, longest first", &r->overdue,
                   "Days overdue");
        mttp_table(r, b);
        exceptions(r, b);
        item_table(b, "Compensating controls expiring within 14 days", &r->controls_expiring,
                   "Days left");
        pl__report_html_rollouts(r, b);
        pl__report_html_groups(r, b);
    } else { /* the security team: what is overdue, who owns it, what expires, what arrived */
        pl_buf_addf(b, "<h2>Top overdue findings (%s overdue)</h2>\n",
                    pl__report_n(r->overdue.total));
        pl__report_svg_overdue(r, b);
        item_table(b, "Overdue findings and who owns them", &r->overdue, "Days overdue");
        item_table(b, "What expires next: compensating controls ending within 14 days",
                   &r->controls_expiring, "Days left");
        pl__report_html_kev_arrivals(r, b);
        item_table(b, "Unpatched known-exploited (KEV) findings older than 7 days",
                   &r->kev_incidents, "Age (days)");
        item_table(b, "Known-exploited (KEV) findings older than 7 days: mitigated, not patched",
                   &r->kev_mitigated, "Age (days)");
        sla_table(r, b);
        pl__report_html_measures(r, b);
        backlog(r, b);
        mttp_table(r, b);
        pl__report_html_groups(r, b);
        exceptions(r, b);
        pl__report_html_rollouts(r, b);
    }
    assets_and_events(r, b);
}

pl_status pl_report_html(const struct pl_report *r, struct pl_buf *b, struct pl_error *err)
{
    char g[PL_TIME_STR_LEN];

    pl_buf_addf(b,
                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                "style-src 'unsafe-inline'; img-src data:\">\n"
                "<title>Patchline report</title>\n<style>%s</style></head><body>\n",
                css);
    pl_report_html_body(r, b);
    pl_buf_addf(b,
                "<p class=\"sub\">Generated by Patchline at %s. Definitions: docs/metrics.md."
                "</p>\n</body></html>\n",
                pl_time_format(r->generated, g));
    return pl__report_done(b, "report html", err);
}
