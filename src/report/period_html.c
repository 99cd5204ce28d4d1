/*
 * period_html.c - the sections that make the two reports: for the security
 * team's month, this month's KEV arrivals and where each stands; for
 * leadership's quarter, the six measures against their targets with their
 * trend over the closed periods (as recorded when each closed), and the top
 * risks.
 */
#include <stdio.h>

#include "report_int.h"

const char *pl__report_arrival_status(const struct pl_report_item *it, char *buf, size_t size)
{
    char d[32];

    if (it->status == PL_MX_OPEN || it->status == PL_MX_AWAITING_REPO)
        snprintf(buf, size, "open for %s days", pl__report_days((double)it->age, d, sizeof(d)));
    else if (it->status == PL_MX_FIXED && it->age <= PL_DAY)
        snprintf(buf, size, "fixed in %lld h (within 24 h)", (long long)(it->age / 3600));
    else if (it->status == PL_MX_FIXED)
        snprintf(buf, size, "fixed late, in %s days", pl__report_days((double)it->age, d, 32));
    else
        snprintf(buf, size, "%s", pl_mx_status_name(it->status));
    return buf;
}

void pl__report_html_kev_arrivals(const struct pl_report *r, struct pl_buf *b)
{
    const struct pl_report_list *l = &r->kev_arrivals;
    char a[32], c[32], d[32], e[32], t[32];

    pl_buf_addf(b,
                "<h2 id=\"kev-arrivals\">Known-exploited vulnerabilities that arrived this "
                "period (%s)</h2>\n<p>Findings whose vulnerability CISA added to its KEV catalog "
                "in the period: %s fixed within 24 h, %s fixed late, %s mitigated or accepted, "
                "%s still open.</p>\n",
                pl__report_int(l->total, t, sizeof(t)), pl__report_int(r->kev_fixed_24h, a, 32),
                pl__report_int(r->kev_fixed_late, c, 32), pl__report_int(r->kev_mitigated_n, d, 32),
                pl__report_int(r->kev_open, e, 32));
    if (l->n == 0)
        return;
    pl_buf_adds(b, "<table><tr><th>Asset</th><th>Owner</th><th>Vulnerability</th><th>Package</th>"
                   "<th>Status at the end of the period</th></tr>\n");
    for (size_t i = 0; i < l->n; i++) {
        char st[64];

        pl_buf_addf(b, "<tr class=\"%s\"><td>", l->items[i].status == PL_MX_OPEN ? "late" : "done");
        pl__report_esc(b, l->items[i].asset);
        pl_buf_adds(b, "</td><td class=\"t\">");
        pl__report_esc(b, l->items[i].owner ? l->items[i].owner : PL_REPORT_NO_OWNER);
        pl_buf_adds(b, "</td><td class=\"t\">");
        pl__report_esc(b, l->items[i].vuln_id);
        pl_buf_adds(b, "</td><td class=\"t\">");
        pl__report_esc(b, l->items[i].package);
        pl_buf_addf(b, "</td><td class=\"t\">%s</td></tr>\n",
                    pl__report_arrival_status(&l->items[i], st, sizeof(st)));
    }
    pl_buf_adds(b, "</table>\n");
    if (l->total > (int64_t)l->n)
        pl_buf_addf(b, "<p class=\"sub\">and %s more.</p>\n",
                    pl__report_int(l->total - (int64_t)l->n, t, sizeof(t)));
}

/* The six measures of one period, from a report or from a closed period's record. */
static void measures(const struct pl_mx_period *p, const struct pl_mx_period *prev,
                     struct pl__report_measure m[PL_REPORT_MEASURES])
{
    m[0].value = p->kev_due ? (double)p->kev_met / (double)p->kev_due : -1;
    m[1].value = p->sla2_due ? (double)p->sla2_met / (double)p->sla2_due : -1;
    m[2].value = p->mttp1_n ? p->mttp1_mean : -1;
    m[3].value = p->assets_known ? (double)p->assets_managed / (double)p->assets_known : -1;
    m[4].value = (double)p->backlog_open;
    m[5].value = (double)p->kev_incidents;
    for (int i = 0; i < PL_REPORT_MEASURES; i++)
        m[i].met = -1;
    if (m[0].value >= 0)
        m[0].met = pl__report_meets(m[0].value, 0.95);
    if (m[1].value >= 0)
        m[1].met = pl__report_meets(m[1].value, 0.90);
    if (m[2].value >= 0)
        m[2].met = m[2].value < 7.0 * PL_DAY;
    if (m[3].value >= 0)
        m[3].met = pl__report_meets(m[3].value, 0.95);
    if (prev)
        m[4].met = p->backlog_open <= prev->backlog_open;
    m[5].met = p->kev_incidents == 0;
}

void pl__report_trend_cols(const struct pl_report *r, const struct pl_mx_period *past, size_t n,
                           struct pl__report_trend *t)
{
    t->n = 0;
    for (size_t i = n; i-- > 0;) /* oldest first */
        if (past[i].to <= r->to && !(past[i].from == r->from && past[i].to == r->to))
            t->cols[t->n++] = &past[i];
    pl_report_period_figures(r, &t->cur);
    t->cols[t->n++] = &t->cur;
    for (size_t c = 0; c < t->n; c++)
        measures(t->cols[c], c ? t->cols[c - 1] : NULL, t->m[c]);
}

const char *const pl__report_measure_names[PL_REPORT_MEASURES] = {
    "Known-exploited (KEV) fixed within SLA",
    "High (Tier 2) fixed within SLA",
    "Mean time to patch, Critical (Tier 1)",
    "Assets under active patching",
    "Open findings (backlog)",
    "Unpatched KEV older than 7 days",
};
const char *const pl__report_measure_targets[PL_REPORT_MEASURES] = {
    "95 %", "90 %", "under 7 days", "95 %", "smaller than the period before", "none",
};

char *pl__report_measure_text(int i, double v, char *buf, size_t size)
{
    if (v < 0)
        snprintf(buf, size, "n/a");
    else if (i == 2)
        snprintf(buf, size, "%.1f d", v / PL_DAY);
    else if (i >= 4)
        pl__report_int((int64_t)v, buf, size);
    else
        pl__report_pct(v, buf, size);
    return buf;
}

static const char *mark(int met)
{
    return met < 0 ? "" : met ? " &#10003; met" : " &#10007; missed";
}

static void trend_table(const struct pl_report *r, struct pl_buf *b, const char *kind,
                        const struct pl_mx_period *past, size_t n)
{
    struct pl__report_trend t;
    char f[16];

    pl__report_trend_cols(r, past, n, &t);
    pl_buf_addf(b,
                "<table class=\"trend\"><caption>By %s: closed %ss as recorded when they "
                "closed, then this period</caption>\n<tr><th>Measure</th>",
                kind, kind);
    for (size_t c = 0; c < t.n; c++)
        pl_buf_addf(b, "<th>%s%s</th>", c + 1 == t.n ? "this period from " : "",
                    pl_date_format(t.cols[c]->from, f));
    pl_buf_adds(b, "<th>Target</th></tr>\n");
    for (int i = 0; i < PL_REPORT_MEASURES; i++) {
        pl_buf_addf(b, "<tr><td>%s</td>", pl__report_measure_names[i]);
        for (size_t c = 0; c < t.n; c++) {
            const struct pl__report_measure *m = &t.m[c][i];
            char v[32];

            pl_buf_addf(b, "<td class=\"%s\">%s%s</td>",
                        m->met < 0 ? ""
                        : m->met   ? "good"
                                   : "bad",
                        pl__report_measure_text(i, m->value, v, sizeof(v)), mark(m->met));
        }
        pl_buf_addf(b, "<td class=\"t\">%s</td></tr>\n", pl__report_measure_targets[i]);
    }
    pl_buf_adds(b, "</table>\n");
    if (t.n == 1)
        pl_buf_addf(b,
                    "<p class=\"sub\">No closed %s recorded yet: `patchline snapshot` "
                    "records each one when it ends.</p>\n",
                    kind);
}

void pl__report_html_measures(const struct pl_report *r, struct pl_buf *b)
{
    pl_buf_adds(b, "<h2 id=\"measures\">The six measures against their targets</h2>\n"
                   "<p>Each closed period's figures are the ones recorded when it closed, under "
                   "the policy of that day; they are never recomputed.</p>\n");
    if (r->period == PL_PERIOD_QUARTER)
        trend_table(r, b, "quarter", r->past_quarters, r->n_past_quarters);
    trend_table(r, b, "month", r->past_months, r->n_past_months);
}

void pl__report_html_top_risks(const struct pl_report *r, struct pl_buf *b)
{
    size_t shown = 0;
    char d[32];

    pl_buf_adds(b, "<h2 id=\"top-risks\">Top risks</h2>\n<p>Known-exploited vulnerabilities "
                   "unpatched for more than 7 days first, then the longest overdue Emergency and "
                   "Critical (Tier 0&#8211;1) findings.</p>\n<table><tr><th>Risk</th><th>Asset"
                   "</th><th>Owner</th><th>Vulnerability</th><th>Days</th></tr>\n");
    for (int pass = 0; pass < 2; pass++) {
        const struct pl_report_list *l = pass ? &r->overdue : &r->kev_incidents;

        for (size_t i = 0; i < l->n && shown < 10; i++) {
            const struct pl_report_item *it = &l->items[i];

            if (pass && (it->tier < 0 || it->tier > 1))
                continue;
            shown++;
            pl_buf_addf(b, "<tr><td class=\"t\">%s</td><td>",
                        pass ? "overdue Tier 0&#8211;1" : "KEV unpatched &gt; 7 days");
            pl__report_esc(b, it->asset);
            pl_buf_adds(b, "</td><td class=\"t\">");
            pl__report_esc(b, it->owner ? it->owner : PL_REPORT_NO_OWNER);
            pl_buf_adds(b, "</td><td class=\"t\">");
            pl__report_esc(b, it->vuln_id);
            pl_buf_addf(b, "</td><td>%s</td></tr>\n",
                        pl__report_days((double)it->age, d, sizeof(d)));
        }
    }
    if (shown == 0)
        pl_buf_adds(b, "<tr><td class=\"t\" colspan=\"5\">none</td></tr>\n");
    pl_buf_adds(b, "</table>\n");
}
