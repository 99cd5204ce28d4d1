/*
 * periods.c - closed reporting periods: their figures recorded once, when
 * `patchline snapshot` sees the period has ended, and read back by the
 * reports' trends (never recomputed: a later policy change leaves them). A
 * period before the estate (no asset, nothing open, no snapshot) is not
 * recorded.
 */
#include <stdio.h>
#include <string.h>

#include "report_int.h"

void pl_report_period_figures(const struct pl_report *r, struct pl_mx_period *p)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->period, sizeof(p->period), "%s", pl__report_period_name(r->period));
    p->from = r->from, p->to = r->to, p->taken_at = r->generated;
    snprintf(p->policy, sizeof(p->policy), "%s", r->policy);
    p->sla0_due = r->sla[0].due, p->sla0_met = r->sla[0].met;
    p->sla2_due = r->sla[2].due, p->sla2_met = r->sla[2].met;
    p->kev_due = r->sla[PL_ROW_KEV].due, p->kev_met = r->sla[PL_ROW_KEV].met;
    p->mttp1_n = r->mttp_tier[1].first_seen.n;
    p->mttp1_mean = r->mttp_tier[1].first_seen.n ? r->mttp_tier[1].first_seen.mean : 0;
    p->assets_known = r->assets_known, p->assets_managed = r->assets_managed;
    p->backlog_open = r->backlog_open, p->backlog_overdue = r->backlog_overdue;
    p->kev_incidents = r->kev_incidents.total;
    p->exceptions_active = r->exc_active;
}

/* Close the period of kind p that ended last before now, unless it is recorded. */
static pl_status close_one(struct pl_store *s, enum pl_report_period p, pl_time_t now,
                           const struct pl_policy *policy, int *closed, struct pl_error *err)
{
    struct pl_report_opts o = {.period = PL_PERIOD_RANGE, .now = now, .policy = policy};
    struct pl_report r;
    struct pl_mx_period fig;
    struct pl_buf body = PL_BUF_INIT(0);
    char what[96], f[16];
    bool has = false;
    int added = 0;
    pl_status rc;

    /* the period before the one holding now: the whole one that ends at its start */
    pl_report_period_range(p, pl__report_period_start(p, now), &o.from, &o.to);
    if (o.to > now || o.from >= o.to)
        return PL_OK;
    if ((rc = pl_store_period_has(s, pl__report_period_name(p), o.from, &has, err)) != PL_OK || has)
        return rc;
    if ((rc = pl_report_build(s, &o, &r, err)) != PL_OK)
        return rc;
    r.period = p;
    if (r.assets_known == 0 && r.backlog_open == 0 && r.n_trend == 0) {
        pl_report_release(&r); /* before the estate: nothing to record */
        return PL_OK;
    }
    pl_report_period_figures(&r, &fig);
    rc = pl_report_json(&r, &body, err);
    if (rc == PL_OK)
        rc = pl_store_period_put(s, &fig, pl_buf_cstr(&body), &added, err);
    if (rc == PL_OK && added) {
        snprintf(what, sizeof(what), "%s from %s", pl__report_period_name(p),
                 pl_date_format(o.from, f));
        rc = pl_store_audit(s, "period.close", what, NULL, err);
        (*closed)++;
    }
    pl_buf_release(&body);
    pl_report_release(&r);
    return rc;
}

pl_status pl_report_close_periods(struct pl_store *s, pl_time_t now, const struct pl_policy *policy,
                                  int *closed, struct pl_error *err)
{
    int n = 0;
    pl_status rc = close_one(s, PL_PERIOD_MONTH, now, policy, &n, err);

    if (rc == PL_OK)
        rc = close_one(s, PL_PERIOD_QUARTER, now, policy, &n, err);
    if (closed)
        *closed = n;
    return rc;
}

pl_status pl__report_load_past(struct pl_store *s, struct pl_report *r, struct pl_error *err)
{
    pl_status rc = pl_store_period_list(s, "month", r->to, r->past_months, PL_REPORT_PAST,
                                        &r->n_past_months, err);

    if (rc == PL_OK)
        rc = pl_store_period_list(s, "quarter", r->to, r->past_quarters, PL_REPORT_PAST,
                                  &r->n_past_quarters, err);
    return rc;
}
