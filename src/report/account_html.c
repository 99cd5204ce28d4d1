/*
 * account_html.c - the accountability section of the HTML report: a league
 * table per owner and per environment, then each one's own section (one
 * printed page each).
 */
#include <stdio.h>

#include "report_int.h"

static void num(struct pl_buf *b, int64_t v)
{
    pl_buf_addf(b, "<td>%s</td>", pl__report_n(v));
}

static void league(const struct pl_report *r, struct pl_buf *b, const char *what,
                   const struct pl_report_group *g, size_t n, const char *anchor)
{
    pl_buf_addf(b,
                "<table class=\"league\"><caption>League table by %s: most overdue Tier 0&#8211;1 "
                "findings first</caption>\n<tr><th>#</th><th>%s</th><th>Assets</th>"
                "<th>Overdue Tier 0&#8211;1</th><th>Overdue</th><th>Open</th>"
                "<th>KEV incidents</th><th>SLA met</th><th>MTTP (days)</th>"
                "<th>Exceptions</th></tr>\n",
                what, what);
    for (size_t i = 0; i < n; i++) {
        char p[16], d[32];

        pl_buf_addf(b, "<tr><td>%zu</td><td class=\"t\"><a href=\"#%s-%zu\">", i + 1, anchor, i);
        pl__report_esc(b, g[i].name);
        pl_buf_adds(b, "</a></td>");
        num(b, g[i].assets);
        pl_buf_addf(b, "<td%s>%s</td>", g[i].overdue_urgent ? " class=\"bad\"" : "",
                    pl__report_int(g[i].overdue_urgent, d, sizeof(d)));
        num(b, g[i].overdue);
        num(b, g[i].open_total);
        num(b, g[i].kev_incidents);
        pl_buf_addf(b, "<td>%s</td><td>%s</td>",
                    pl__report_pct(pl__report_group_sla(r, &g[i]), p, 16),
                    g[i].mttp.n ? pl__report_days(g[i].mttp.mean, d, sizeof(d)) : "n/a");
        num(b, g[i].exceptions);
        pl_buf_adds(b, "</tr>\n");
    }
    pl_buf_adds(b, "</table>\n");
}

/* One group's own section: per tier, then its most overdue findings. */
static void section(const struct pl_report *r, struct pl_buf *b, const struct pl_report_group *g,
                    const char *what, const char *anchor, size_t idx)
{
    char a[32], c[32], d[32], p[16], t[16];

    pl_buf_addf(b, "<section class=\"group\" id=\"%s-%zu\"><h3>%s: ", anchor, idx, what);
    pl__report_esc(b, g->name);
    pl_buf_addf(b, "</h3>\n<p>%s assets (%s under active patching); %s open findings, ",
                pl__report_int(g->assets, a, sizeof(a)), pl__report_int(g->managed, c, sizeof(c)),
                pl__report_int(g->open_total, d, sizeof(d)));
    pl_buf_addf(b, "%s overdue (%s in Tier 0&#8211;1); ", pl__report_int(g->overdue, a, sizeof(a)),
                pl__report_int(g->overdue_urgent, c, sizeof(c)));
    pl_buf_addf(b, "%s KEV incidents; %s active exceptions (%s ending within 14 days). ",
                pl__report_int(g->kev_incidents, a, sizeof(a)),
                pl__report_int(g->exceptions, c, sizeof(c)),
                pl__report_int(g->exc_expiring, d, sizeof(d)));
    if (g->mttp.n)
        pl_buf_addf(b, "Mean time to patch %s days over %s fixes.</p>\n",
                    pl__report_days(g->mttp.mean, a, sizeof(a)),
                    pl__report_int(g->mttp.n, c, sizeof(c)));
    else
        pl_buf_adds(b, "Nothing was fixed in the period.</p>\n");
    pl_buf_adds(b, "<table><tr><th>Tier</th><th>Open</th><th>Overdue</th><th>Due in period</th>"
                   "<th>Fixed on time</th><th>SLA met</th><th>Target</th></tr>\n");
    for (int k = 0; k < pl_report_n_rows(r); k++) {
        int i = pl_report_row(r, k);
        char label[PL_REPORT_LABEL];
        bool kev = i == PL_ROW_KEV;

        pl_buf_adds(b, "<tr><td>");
        pl__report_esc(b, pl__report_row_label(r, i, label, sizeof(label)));
        pl_buf_adds(b, "</td>");
        if (kev) { /* the backlog's last row is Untiered: KEV open counts are the incidents' */
            pl_buf_adds(b, "<td>&#8212;</td><td>&#8212;</td>");
        } else {
            num(b, g->open[i]);
            num(b, g->overdue_tier[i]);
        }
        num(b, g->sla[i].due);
        num(b, g->sla[i].met);
        pl_buf_addf(b, "<td>%s</td><td>%s</td></tr>\n",
                    pl__report_pct(pl_report_sla_ratio(&g->sla[i]), p, sizeof(p)),
                    pl__report_pct(r->targets.sla[i], t, sizeof(t)));
    }
    pl_buf_adds(b, "</table>\n");
    if (g->overdue_items.n == 0) {
        pl_buf_adds(b, "<p>No overdue findings.</p>\n</section>\n");
        return;
    }
    pl_buf_adds(b, "<table><tr><th>Most overdue</th><th>Vulnerability</th><th>Package</th>"
                   "<th>Tier</th><th>Days overdue</th></tr>\n");
    for (size_t i = 0; i < g->overdue_items.n; i++) {
        const struct pl_report_item *it = &g->overdue_items.items[i];

        pl_buf_adds(b, "<tr><td>");
        pl__report_esc(b, it->asset);
        pl_buf_adds(b, "</td><td class=\"t\">");
        pl__report_esc(b, it->vuln_id);
        pl_buf_adds(b, "</td><td class=\"t\">");
        pl__report_esc(b, it->package);
        pl_buf_addf(b, "</td><td>%d</td><td>%s</td></tr>\n", it->tier,
                    pl__report_days((double)it->age, a, sizeof(a)));
    }
    pl_buf_adds(b, "</table>\n");
    if (g->overdue_items.total > (int64_t)g->overdue_items.n)
        pl_buf_addf(
            b, "<p class=\"sub\">and %s more overdue.</p>\n",
            pl__report_int(g->overdue_items.total - (int64_t)g->overdue_items.n, a, sizeof(a)));
    pl_buf_adds(b, "</section>\n");
}

void pl__report_html_groups(const struct pl_report *r, struct pl_buf *b)
{
    char n[32];

    pl_buf_adds(b, "<h2 id=\"accountability\">Accountability</h2>\n<p>Who owns what is open, "
                   "and who is late. SLA met: fixed by the due date over all findings due in "
                   "the period (every tier); MTTP: mean days from first seen to fixed.</p>\n");
    league(r, b, "owner", r->owners, r->n_owners, "owner");
    if (r->owners_total > (int64_t)r->n_owners)
        pl_buf_addf(b, "<p class=\"sub\">%s owners in all; the first %zu are shown.</p>\n",
                    pl__report_int(r->owners_total, n, sizeof(n)), r->n_owners);
    league(r, b, "environment", r->envs, r->n_envs, "env");
    for (size_t i = 0; i < r->n_owners; i++)
        section(r, b, &r->owners[i], "Owner", "owner", i);
    for (size_t i = 0; i < r->n_envs; i++)
        section(r, b, &r->envs[i], "Environment", "env", i);
}
