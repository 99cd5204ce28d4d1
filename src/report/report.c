/*
 * report.c - periods, building a report from the store, shared formatting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/parse.h"

#include "report_int.h"

static int64_t day_of(pl_time_t t)
{
    return t / PL_DAY - (t % PL_DAY < 0);
}

static pl_time_t month_start(int64_t y, unsigned m)
{
    return pl_days_from_civil(y, m, 1) * PL_DAY;
}

pl_time_t pl_report_quarter_start(pl_time_t t)
{
    int64_t y;
    unsigned m, d;

    pl_civil_from_days(day_of(t), &y, &m, &d);
    return month_start(y, (m - 1) / 3 * 3 + 1);
}

pl_time_t pl__report_period_start(enum pl_report_period p, pl_time_t t)
{
    int64_t y;
    unsigned m, d;

    if (p == PL_PERIOD_QUARTER)
        return pl_report_quarter_start(t);
    pl_civil_from_days(day_of(t), &y, &m, &d);
    return month_start(y, m);
}

void pl_report_period_range(enum pl_report_period p, pl_time_t now, pl_time_t *from, pl_time_t *to)
{
    int64_t y;
    unsigned m, d, months = p == PL_PERIOD_QUARTER ? 3 : 1;
    pl_time_t start;

    pl_civil_from_days(day_of(now), &y, &m, &d);
    if (p == PL_PERIOD_QUARTER)
        m = (m - 1) / 3 * 3 + 1;
    start = month_start(y, m);
    *to = now;
    if (start == now) { /* the first instant: report the whole preceding period */
        if (m <= months)
            y--, m += 12;
        start = month_start(y, m - months);
    }
    *from = start;
}

pl_status pl_report_build(struct pl_store *s, const struct pl_report_opts *o, struct pl_report *out,
                          struct pl_error *err)
{
    struct pl_mx_data d;
    pl_time_t from = o->from, to = o->to;
    pl_status rc;

    if (o->period != PL_PERIOD_RANGE)
        pl_report_period_range(o->period, o->now, &from, &to);
    if (from >= to)
        return pl_error_set(err, PL_E_INVALID, "report: the period is empty (from >= to)");
    /* snapshots from the start of the quarter before the one that holds `to` */
    rc = pl_store_mx_load(s, from, to, pl_report_quarter_start(pl_report_quarter_start(to - 1) - 1),
                          &d, err);
    if (rc != PL_OK)
        return rc;
    rc = pl_report_compute(&d, o, out, err);
    if (rc != PL_OK) {
        pl_mx_data_release(&d);
        return rc;
    }
    out->simulated = pl_store_simulated(s);
    pl_mx_data_release(&d);
    if ((rc = pl__report_load_past(s, out, err)) != PL_OK ||
        (rc = pl__report_load_rollouts(s, out, err)) != PL_OK) {
        pl_report_release(out);
        return rc;
    }
    return PL_OK;
}

static void aged_release(struct pl_report_aged *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(a[i].asset), free(a[i].environment), free(a[i].os);
    free(a);
}

void pl__report_list_release(struct pl_report_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].asset), free(l->items[i].environment);
        free(l->items[i].vuln_id), free(l->items[i].package), free(l->items[i].owner);
    }
    free(l->items);
}

static void counts_release(struct pl_report_count *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(c[i].name);
    free(c);
}

void pl_report_release(struct pl_report *r)
{
    aged_release(r->unmanaged, r->n_unmanaged);
    aged_release(r->aged, r->n_aged);
    aged_release(r->eol, r->n_eol);
    pl__report_list_release(&r->overdue);
    pl__report_list_release(&r->kev_incidents);
    pl__report_list_release(&r->kev_mitigated);
    pl__report_list_release(&r->controls_expiring);
    pl__report_list_release(&r->kev_arrivals);
    counts_release(r->exceptions, r->n_exceptions);
    counts_release(r->events, r->n_events);
    free(r->trend);
    free(r->by_os);
    pl__report_groups_release(r);
    pl__report_rollouts_release(r);
    memset(r, 0, sizeof(*r));
}

double pl_report_sla_ratio(const struct pl_report_sla *s)
{
    return s->due > 0 ? (double)s->met / (double)s->due : -1.0;
}

int pl_report_n_rows(const struct pl_report *r)
{
    return r->n_tiers + 2;
}

int pl_report_row(const struct pl_report *r, int i)
{
    return i < r->n_tiers ? i : PL_ROW_UNSCORED + (i - r->n_tiers);
}

const char *pl_report_row_name(int row, bool backlog)
{
    static const char *const names[PL_MAX_POLICY_TIERS] = {
        "Tier 0", "Tier 1", "Tier 2", "Tier 3", "Tier 4",
        "Tier 5", "Tier 6", "Tier 7", "Tier 8", "Tier 9",
    };

    if (row >= 0 && row < PL_MAX_POLICY_TIERS)
        return names[row];
    if (row == PL_ROW_UNSCORED)
        return "Unscored";
    return backlog ? "Untiered" : "KEV";
}

char *pl_report_sla_text(int64_t secs, char *buf, size_t size)
{
    if (secs > 0 && secs < 2 * PL_DAY && secs % 3600 == 0)
        snprintf(buf, size, "%lld h", (long long)(secs / 3600));
    else if (secs % PL_DAY == 0)
        snprintf(buf, size, "%lld d", (long long)(secs / PL_DAY));
    else
        snprintf(buf, size, "%.1f d", (double)secs / PL_DAY);
    return buf;
}

char *pl__report_row_label(const struct pl_report *r, int row, char *buf, size_t size)
{
    char sla[32];

    if (row >= 0 && row < r->n_tiers && r->tiers[row].sla > 0)
        snprintf(buf, size, "%s (%s)", r->tiers[row].name,
                 pl_report_sla_text(r->tiers[row].sla, sla, sizeof(sla)));
    else if (row >= 0 && row < r->n_tiers)
        snprintf(buf, size, "%s", r->tiers[row].name);
    else if (row == PL_ROW_UNSCORED)
        snprintf(buf, size, "No score (%s)", pl_report_sla_text(r->unscored_sla, sla, sizeof(sla)));
    else
        snprintf(buf, size, "Known exploited");
    return buf;
}

const char *pl__report_period_name(enum pl_report_period p)
{
    return p == PL_PERIOD_MONTH ? "month" : p == PL_PERIOD_QUARTER ? "quarter" : "range";
}

char *pl__report_pct(double ratio, char *buf, size_t size)
{
    if (ratio < 0) {
        if (snprintf(buf, size, "n/a") >= (int)size)
            buf[0] = '\0';
    } else if (snprintf(buf, size, "%.1f %%", ratio * 100.0) >= (int)size) {
        buf[0] = '\0';
    }
    return buf;
}

char *pl__report_int(int64_t v, char *buf, size_t size)
{
    char digits[32];
    unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    int n = snprintf(digits, sizeof(digits), "%llu", mag);
    size_t o = 0;

    if (size < 32) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    if (v < 0)
        buf[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

const char *pl__report_n(int64_t v)
{
    static _Thread_local char ring[16][32];
    static _Thread_local unsigned next;

    return pl__report_int(v, ring[next++ % 16], sizeof(ring[0]));
}

char *pl__report_days(double secs, char *buf, size_t size)
{
    if (snprintf(buf, size, "%.1f", secs / PL_DAY) >= (int)size)
        buf[0] = '\0';
    return buf;
}

bool pl__report_meets(double value, double target)
{
    /* 1e-9 absorbs the rounding of met/due (e.g. 19/20 against 0.95) */
    return target >= 0 && value >= 0 && value + 1e-9 >= target;
}

pl_status pl__report_done(struct pl_buf *b, const char *what, struct pl_error *err)
{
    if (pl_buf_status(b) != PL_OK)
        return pl_error_set(err, pl_buf_status(b), "%s: %s", what, pl_status_str(pl_buf_status(b)));
    return PL_OK;
}

char *pl__report_clip(const char *s)
{
    struct pl_buf b = PL_BUF_INIT(0);
    const unsigned char *p = (const unsigned char *)(s ? s : "");

    while (*p) {
        size_t n = pl_utf8_seq((const char *)p, 4);

        if (b.len + (n ? n : 3) > PL_REPORT_TEXT_MAX) {
            pl_buf_adds(&b, "\xe2\x80\xa6"); /* U+2026: the text was cut here */
            break;
        }
        if (n == 0)
            pl_buf_adds(&b, "\xef\xbf\xbd"), p++; /* U+FFFD for a byte that is not UTF-8 */
        else
            pl_buf_add(&b, p, n), p += n;
    }
    return pl_buf_detach(&b, NULL);
}
