/*
 * svg.c - the inline SVG charts of the HTML report. Every label from the
 * store goes through pl_escape_html; numbers are formatted here.
 */
#include <stdio.h>

#include "patchline/escape.h"

#include "report_int.h"

#define W        700 /* chart width (the charts scale down to the page) */
#define LABEL    170 /* room for row labels on the left */
#define RIGHT    110 /* room for the value and its verdict on the right */
#define BAR_H    22
#define BAR_GAP  8
#define OD_LABEL 300 /* the overdue chart labels "asset CVE" */

static void svg_open(struct pl_buf *b, const char *id, const char *title, int h)
{
    pl_buf_addf(b,
                "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\"><title>%s</title>\n",
                id, W, h, W, h, title, title);
}

static void text(struct pl_buf *b, int x, int y, const char *anchor, const char *s)
{
    pl_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">", x, y, anchor);
    pl_escape_html(b, s);
    pl_buf_adds(b, "</text>\n");
}

/* One horizontal bar from x: value in [0, max] scaled to plot pixels. */
static void hbar_at(struct pl_buf *b, int x, int plot, int y, double value, double max,
                    const char *cls)
{
    int w = max > 0 ? (int)(value / max * plot + 0.5) : 0;

    pl_buf_addf(b,
                "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                "data-value=\"%.4f\"/>\n",
                cls, x, y, w, BAR_H, value);
}

static void hbar(struct pl_buf *b, int y, double value, double max, const char *cls)
{
    hbar_at(b, LABEL, W - LABEL - RIGHT, y, value, max, cls);
}

void pl__report_svg_sla(const struct pl_report *r, struct pl_buf *b)
{
    int h = pl_report_n_rows(r) * (BAR_H + BAR_GAP) + 46, plot = W - LABEL - RIGHT;
    char pct[16];

    svg_open(b, "chart-sla", "SLA compliance per tier against target", h);
    for (int k = 0; k < pl_report_n_rows(r); k++) {
        int i = pl_report_row(r, k);
        double v = pl_report_sla_ratio(&r->sla[i]), t = r->targets.sla[i];
        int y = 10 + k * (BAR_H + BAR_GAP);

        text(b, LABEL - 8, y + 16, "end", pl_report_row_name(i, false));
        if (v >= 0)
            hbar(b, y, v, 1.0, t < 0 ? "bar none" : pl__report_meets(v, t) ? "bar ok" : "bar miss");
        pl__report_pct(v, pct, sizeof(pct));
        pl_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"start\">%s%s</text>\n",
                    LABEL + plot + 6, y + 16, pct,
                    v < 0 || t < 0           ? ""
                    : pl__report_meets(v, t) ? " met"
                                             : " missed");
        if (t >= 0)
            pl_buf_addf(b, "<line class=\"target\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>\n",
                        LABEL + (int)(t * plot + 0.5), LABEL + (int)(t * plot + 0.5), y - 3,
                        y + BAR_H + 3);
    }
    text(b, LABEL, h - 22, "start", "0 %");
    text(b, LABEL + plot, h - 22, "end", "100 %");
    text(b, LABEL, h - 6, "start",
         "green: met; orange: missed; grey: no target; black bar: the target");
    pl_buf_adds(b, "</svg>\n");
}

void pl__report_svg_mttp(const struct pl_report *r, struct pl_buf *b)
{
    int rows = pl_report_n_rows(r) - 1, h = rows * (2 * BAR_H + BAR_GAP) + 30;
    int plot = W - LABEL - RIGHT;
    double max = (double)r->targets.mttp_tier1;
    char d[32];

    for (int i = 0; i < PL_REPORT_ROWS - 1; i++) {
        if (r->mttp_tier[i].first_seen.mean > max)
            max = r->mttp_tier[i].first_seen.mean;
        if (r->mttp_tier[i].disclosure.mean > max)
            max = r->mttp_tier[i].disclosure.mean;
    }
    svg_open(b, "chart-mttp", "Mean time to patch per tier, in days", h);
    for (int k = 0; k < rows; k++) {
        int i = pl_report_row(r, k);
        const struct pl_report_mttp *m = &r->mttp_tier[i];
        int y = 10 + k * (2 * BAR_H + BAR_GAP);

        text(b, LABEL - 8, y + 16, "end", pl_report_row_name(i, false));
        if (m->first_seen.n == 0) {
            text(b, LABEL + 4, y + 16, "start", "nothing fixed");
            continue;
        }
        hbar(b, y, m->first_seen.mean, max, "bar seen");
        text(b, LABEL + plot + 6, y + 16, "start", pl__report_days(m->first_seen.mean, d, 32));
        if (m->disclosure.n) {
            hbar(b, y + BAR_H, m->disclosure.mean, max, "bar disc");
            text(b, LABEL + plot + 6, y + BAR_H + 16, "start",
                 pl__report_days(m->disclosure.mean, d, 32));
        }
    }
    pl_buf_addf(b, "<line class=\"target\" x1=\"%d\" x2=\"%d\" y1=\"4\" y2=\"%d\"/>\n",
                LABEL + (int)((double)r->targets.mttp_tier1 / max * plot + 0.5),
                LABEL + (int)((double)r->targets.mttp_tier1 / max * plot + 0.5), h - 22);
    text(b, 10, h - 6, "start",
         "dark blue: from first seen; light blue: from disclosure; black bar: the 7-day target");
    pl_buf_adds(b, "</svg>\n");
}

/* A round step for about `ticks` intervals up to max: 1, 2 or 5 times a power of ten. */
static int64_t nice_step(int64_t max, int ticks)
{
    int64_t raw = (max + ticks - 1) / ticks, p = 1;

    while (p * 10 <= raw)
        p *= 10;
    if (raw <= p)
        return p;
    if (raw <= 2 * p)
        return 2 * p;
    if (raw <= 5 * p)
        return 5 * p;
    return 10 * p;
}

void pl__report_svg_trend(const struct pl_report *r, struct pl_buf *b)
{
    int h = 240, top = 20, bottom = 190, left = 80, right = W - 20;
    int64_t max = 1, step, top_v;
    char d[16];

    for (size_t i = 0; i < r->n_trend; i++)
        if (r->trend[i].open > max)
            max = r->trend[i].open;
    step = nice_step(max, 4);
    top_v = (max + step - 1) / step * step;
    svg_open(b, "chart-backlog", "Open findings per day (daily snapshots)", h);
    for (int64_t v = 0; v <= top_v; v += step) { /* round ticks with separators */
        int y = bottom - (int)((double)v / (double)top_v * (bottom - top));

        pl_buf_addf(b, "<line class=\"%s\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>\n",
                    v ? "grid" : "axis", left, right, y, y);
        text(b, left - 6, y + 4, "end", pl__report_n(v));
    }
    if (r->n_trend < 2) {
        text(b, (left + right) / 2, h / 2, "middle",
             "not enough daily snapshots yet (run patchline snapshot)");
        pl_buf_adds(b, "</svg>\n");
        return;
    }
    for (int line = 0; line < 3; line++) {
        static const char *const cls[] = {"open", "overdue", "kev"};

        pl_buf_addf(b, "<polyline class=\"%s\" points=\"", cls[line]);
        for (size_t i = 0; i < r->n_trend; i++) {
            int64_t v = line == 0   ? r->trend[i].open
                        : line == 1 ? r->trend[i].overdue
                                    : r->trend[i].kev;
            int x = left + (int)((double)i / (double)(r->n_trend - 1) * (right - left));
            int y = bottom - (int)((double)v / (double)top_v * (bottom - top));

            pl_buf_addf(b, "%s%d,%d", i ? " " : "", x, y);
        }
        pl_buf_adds(b, "\"/>\n");
    }
    text(b, left, bottom + 16, "start", pl_date_format(r->trend[0].day, d));
    text(b, right, bottom + 16, "end", pl_date_format(r->trend[r->n_trend - 1].day, d));
    text(b, (left + right) / 2, h - 8, "middle",
         "solid blue: open; dashed orange: overdue; dotted pink: known-exploited");
    pl_buf_adds(b, "</svg>\n");
}

void pl__report_trend_table(const struct pl_report *r, struct pl_buf *b)
{
    size_t stride = r->n_trend > 12 ? (r->n_trend + 11) / 12 : 1;
    char d[16];

    if (r->n_trend == 0)
        return;
    pl_buf_adds(b, "<table class=\"data\"><caption>The chart's data (one row per snapshot");
    if (stride > 1)
        pl_buf_addf(b, ", every %zu days, and the last", stride);
    pl_buf_adds(b, ")</caption><tr><th>Day</th><th>Open</th><th>Overdue</th>"
                   "<th>Known-exploited</th></tr>\n");
    for (size_t i = 0; i < r->n_trend; i++) {
        if (i % stride != 0 && i + 1 != r->n_trend)
            continue;
        pl_buf_addf(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                    pl_date_format(r->trend[i].day, d), pl__report_n(r->trend[i].open),
                    pl__report_n(r->trend[i].overdue), pl__report_n(r->trend[i].kev));
    }
    pl_buf_adds(b, "</table>\n");
}

void pl__report_svg_overdue(const struct pl_report *r, struct pl_buf *b)
{
    size_t n = r->overdue.n < 10 ? r->overdue.n : 10;
    int h = (int)n * (BAR_H + BAR_GAP) + 20;
    double max = n ? (double)r->overdue.items[0].age : 1;
    char d[32];

    svg_open(b, "chart-overdue", "Top overdue findings, days past due", n ? h : 40);
    if (n == 0)
        text(b, W / 2, 24, "middle", "no overdue findings");
    for (size_t i = 0; i < n; i++) {
        const struct pl_report_item *it = &r->overdue.items[i];
        int y = 10 + (int)i * (BAR_H + BAR_GAP);
        struct pl_buf label = PL_BUF_INIT(0);

        pl_buf_addf(&label, "%.20s %.16s", it->asset, it->vuln_id);
        text(b, OD_LABEL - 8, y + 16, "end", pl_buf_cstr(&label));
        pl_buf_release(&label);
        hbar_at(b, OD_LABEL, W - OD_LABEL - 70, y, (double)it->age, max, "bar miss");
        text(b, W - 64, y + 16, "start", pl__report_days((double)it->age, d, sizeof(d)));
    }
    pl_buf_adds(b, "</svg>\n");
}
