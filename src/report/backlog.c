/*
 * backlog.c - the backlog and its trend, the overdue and KEV listings,
 * exposure-days, exceptions and audit events of a report.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"

#include "report_int.h"

static void compute_backlog(const struct pl_mx_data *d, struct pl_report *r)
{
    for (size_t i = 0; i < d->n_findings; i++) {
        const struct pl_mx_finding *f = &d->findings[i];
        int row = pl__report_tier_row(f);

        if (!pl__report_open_at(f, r->to))
            continue;
        r->backlog_tier[row < 0 ? PL_ROW_UNTIERED : row]++;
        r->backlog_sev[pl__report_sev_index(f->severity)]++;
        r->backlog_open++;
        if (f->due_at != PL_MX_NONE && f->due_at < r->to)
            r->backlog_overdue++;
        if (f->kev_added != PL_MX_NONE && f->kev_added <= r->to)
            r->backlog_kev++;
        if (f->reopened_count > 0)
            r->regressions++;
        if (f->status == PL_MX_AWAITING_REPO)
            r->backlog_awaiting_repo++;
        if (f->vuln_id && strncmp(f->vuln_id, "eol:", 4) == 0 && f->fixed_version &&
            f->fixed_version[0])
            r->backlog_projects++; /* a major upgrade into another release cycle */
        if (f->fixed_version == NULL || f->fixed_version[0] == '\0') {
            r->backlog_nofix++;
            r->backlog_nofix_decided += pl_finding_marker_decided(f->marker);
        }
    }
}

static void compute_trend(const struct pl_mx_data *d, struct pl_report *r)
{
    pl_time_t qs = pl_report_quarter_start(r->to - 1);
    size_t cap = 0;

    for (size_t i = 0; i < d->n_snapshots; i++) {
        const struct pl_mx_snapshot *s = &d->snapshots[i];
        struct pl_report_trend_point *p;

        if (r->n_trend == 0 || r->trend[r->n_trend - 1].day != s->day) {
            r->trend = pl_xgrow(r->trend, r->n_trend, &cap, 64, sizeof(*r->trend));
            p = &r->trend[r->n_trend++];
            memset(p, 0, sizeof(*p));
            p->day = s->day;
        }
        p = &r->trend[r->n_trend - 1];
        p->open += s->open, p->overdue += s->overdue, p->kev += s->kev;
        if (s->day < qs) {
            if (!r->has_prev_quarter || r->prev_quarter_day != s->day) {
                memset(r->prev_quarter_sev, 0, sizeof(r->prev_quarter_sev));
                r->prev_quarter_open = 0;
            }
            r->has_prev_quarter = true;
            r->prev_quarter_day = s->day;
            r->prev_quarter_open += s->open;
            r->prev_quarter_sev[pl__report_sev_index(s->severity)] += s->open;
        }
    }
}

struct cand {
    const struct pl_mx_finding *f;
    int64_t age;
};

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;

    if (x->age != y->age)
        return x->age < y->age ? 1 : -1;
    return (x->f->id > y->f->id) - (x->f->id < y->f->id);
}

void pl__report_item_fill(struct pl_report_item *it, const struct pl_mx_finding *f,
                          const char *owner, int64_t age)
{
    it->asset = pl__report_clip(f->asset);
    it->environment = f->environment ? pl__report_clip(f->environment) : NULL;
    it->vuln_id = pl__report_clip(f->vuln_id);
    it->package = pl__report_clip(f->package);
    it->owner = owner && owner[0] ? pl__report_clip(owner) : NULL;
    it->tier = f->tier;
    it->due_at = f->due_at;
    it->age = age;
}

static void list_fill(struct pl_report_list *l, struct cand *c, size_t n,
                      const struct pl_mx_data *d, const char **owners)
{
    qsort(c, n, sizeof(*c), cmp_cand);
    l->total = (int64_t)n;
    l->n = n < PL_MAX_REPORT_ROWS ? n : PL_MAX_REPORT_ROWS;
    l->items = l->n ? pl_xcalloc(l->n, sizeof(*l->items)) : NULL;
    for (size_t i = 0; i < l->n; i++)
        pl__report_item_fill(&l->items[i], c[i].f, owners[c[i].f - d->findings], c[i].age);
}

bool pl__report_kev_incident(const struct pl_mx_finding *f, pl_time_t t)
{
    pl_time_t start = f->kev_added > f->first_seen ? f->kev_added : f->first_seen;

    return pl__report_open_at(f, t) && f->kev_added != PL_MX_NONE && f->kev_added <= t &&
           t - start > 7 * (int64_t)PL_DAY;
}

/* Count a KEV arrival by where it stands at `to`; its age: time to its fix, or open so far. */
static int64_t kev_arrival(const struct pl_mx_finding *f, struct pl_report *r)
{
    pl_time_t start = f->kev_added > f->first_seen ? f->kev_added : f->first_seen;
    bool resolved = f->resolved_at != PL_MX_NONE && f->resolved_at <= r->to;

    if (!resolved) {
        r->kev_open++;
        return r->to - start;
    }
    if (f->status == PL_MX_FIXED && f->resolved_at - start <= PL_DAY)
        r->kev_fixed_24h++;
    else if (f->status == PL_MX_FIXED)
        r->kev_fixed_late++;
    else if (f->status == PL_MX_MITIGATED || f->status == PL_MX_ACCEPTED)
        r->kev_mitigated_n++;
    return f->resolved_at > start ? f->resolved_at - start : 0;
}

static void compute_lists(const struct pl_mx_data *d, struct pl_report *r)
{
    struct cand *over = pl_xcalloc(d->n_findings + 1, sizeof(*over));
    struct cand *kev = pl_xcalloc(d->n_findings + 1, sizeof(*kev));
    struct cand *mit = pl_xcalloc(d->n_findings + 1, sizeof(*mit));
    struct cand *exp = pl_xcalloc(d->n_findings + 1, sizeof(*exp));
    struct cand *arr = pl_xcalloc(d->n_findings + 1, sizeof(*arr));
    size_t n_over = 0, n_kev = 0, n_mit = 0, n_exp = 0, n_arr = 0;
    const char **owners = pl__report_owners_of(d);

    for (size_t i = 0; i < d->n_findings; i++) {
        const struct pl_mx_finding *f = &d->findings[i];
        pl_time_t start;

        if (f->status == PL_MX_MITIGATED && f->first_seen <= r->to &&
            (f->mitigated_until == PL_MX_NONE || f->mitigated_until > r->to)) {
            /* a control covers it now: not patched; its end is near, or it is a KEV incident */
            if (f->mitigated_until != PL_MX_NONE && f->mitigated_until <= r->to + 14 * PL_DAY)
                exp[n_exp++] = (struct cand){f, r->to - f->mitigated_until}; /* soonest first */
            start = f->kev_added > f->first_seen ? f->kev_added : f->first_seen;
            if (f->kev_added != PL_MX_NONE && f->kev_added <= r->to &&
                r->to - start > 7 * (int64_t)PL_DAY)
                mit[n_mit++] = (struct cand){f, r->to - start};
        }
        if (f->kev_added != PL_MX_NONE && f->kev_added >= r->from && f->kev_added < r->to &&
            f->first_seen <= r->to && f->status != PL_MX_FALSE_POSITIVE)
            arr[n_arr++] = (struct cand){f, kev_arrival(f, r)};
        if (!pl__report_open_at(f, r->to))
            continue;
        if (f->due_at != PL_MX_NONE && f->due_at < r->to)
            over[n_over++] = (struct cand){f, r->to - f->due_at};
        if (f->kev_added == PL_MX_NONE || f->kev_added > r->to)
            continue;
        start = f->kev_added > f->first_seen ? f->kev_added : f->first_seen;
        if (r->to - start > 7 * (int64_t)PL_DAY)
            kev[n_kev++] = (struct cand){f, r->to - start};
    }
    list_fill(&r->overdue, over, n_over, d, owners);
    list_fill(&r->kev_incidents, kev, n_kev, d, owners);
    list_fill(&r->kev_mitigated, mit, n_mit, d, owners);
    list_fill(&r->controls_expiring, exp, n_exp, d, owners);
    list_fill(&r->kev_arrivals, arr, n_arr, d, owners);
    for (size_t i = 0; i < r->kev_arrivals.n; i++) { /* where each stands at the end */
        struct pl_report_item *it = &r->kev_arrivals.items[i];
        const struct pl_mx_finding *f = arr[i].f;
        bool resolved = f->resolved_at != PL_MX_NONE && f->resolved_at <= r->to;

        it->status = resolved ? f->status : PL_MX_OPEN;
        it->resolved_at = resolved ? f->resolved_at : PL_MX_NONE;
    }
    free(arr);
    for (size_t i = 0; i < r->controls_expiring.n; i++) { /* due: its end; age: time left */
        struct pl_report_item *it = &r->controls_expiring.items[i];

        it->due_at = r->to - it->age;
        it->age = -it->age;
    }
    free(owners);
    free(over);
    free(kev);
    free(mit);
    free(exp);
}

static bool exposure_ends(enum pl_mx_status st)
{
    return st == PL_MX_FIXED || st == PL_MX_PACKAGE_REMOVED || st == PL_MX_ASSET_RETIRED ||
           st == PL_MX_MITIGATED;
}

static void compute_exposure(const struct pl_mx_data *d, struct pl_report *r)
{
    for (size_t i = 0; i < d->n_findings; i++) {
        const struct pl_mx_finding *f = &d->findings[i];
        pl_time_t start = f->first_seen, end = r->to;
        int row = pl__report_tier_row(f);
        double days;

        if (f->status == PL_MX_FALSE_POSITIVE || f->first_seen > r->to)
            continue;
        if (f->disclosed != PL_MX_NONE && f->disclosed < start)
            start = f->disclosed;
        if (exposure_ends(f->status) && f->resolved_at != PL_MX_NONE && f->resolved_at < end)
            end = f->resolved_at;
        if (start < r->from)
            start = r->from;
        if (end <= start)
            continue;
        days = (double)(end - start) / PL_DAY;
        r->exposure_days_total += days;
        if (row >= 0)
            r->exposure_days[row] += days;
        if (f->kev_added != PL_MX_NONE && f->kev_added <= r->to)
            r->exposure_days[PL_ROW_KEV] += days;
    }
}

/* Add count to the count named `name` in a sorted list, capped at PL_MAX_REPORT_ROWS names. */
static void count_add(struct pl_report_count **list, size_t *n, const char *raw, bool sim,
                      int64_t count)
{
    char *name = pl__report_clip(raw); /* compare as shown: long names that agree merge */
    size_t i = 0;

    while (i < *n && strcmp((*list)[i].name, name) < 0)
        i++;
    if (i < *n && strcmp((*list)[i].name, name) == 0) {
        free(name);
    } else {
        if (*n >= PL_MAX_REPORT_ROWS) {
            free(name);
            return;
        }
        *list = pl_xrealloc(*list, (*n + 1) * sizeof(**list));
        memmove(&(*list)[i + 1], &(*list)[i], (*n - i) * sizeof(**list));
        (*list)[i] = (struct pl_report_count){name, 0, 0};
        (*n)++;
    }
    if (sim)
        (*list)[i].simulated += count;
    else
        (*list)[i].real += count;
}

static void compute_exceptions(const struct pl_mx_data *d, struct pl_report *r)
{
    for (size_t i = 0; i < d->n_findings; i++) {
        const struct pl_mx_finding *f = &d->findings[i];
        bool excepted = f->status == PL_MX_MITIGATED || f->status == PL_MX_ACCEPTED ||
                        f->status == PL_MX_FALSE_POSITIVE;
        bool expired = f->mitigated_until != PL_MX_NONE && f->mitigated_until <= r->to;

        if (f->first_seen > r->to || (f->resolved_at != PL_MX_NONE && f->resolved_at > r->to))
            continue;
        if (f->status == PL_MX_OPEN && expired)
            r->exc_expired_reopened++;
        if (!excepted)
            continue;
        if (expired) {
            if (f->status != PL_MX_FALSE_POSITIVE)
                r->exc_expired_pending++;
            continue;
        }
        r->exc_active++;
        count_add(&r->exceptions, &r->n_exceptions,
                  f->mitigated_by ? f->mitigated_by : pl_mx_status_name(f->status), false, 1);
        if (f->mitigated_until != PL_MX_NONE && f->mitigated_until <= r->to + 14 * (int64_t)PL_DAY)
            r->exc_expiring++;
    }
}

static void compute_events(const struct pl_mx_data *d, struct pl_report *r)
{
    for (size_t i = 0; i < d->n_events; i++) {
        const struct pl_mx_event_count *e = &d->events[i];

        count_add(&r->events, &r->n_events, e->action ? e->action : "", e->simulated, e->count);
        if (e->simulated)
            r->events_simulated += e->count;
        else
            r->events_real += e->count;
    }
}

void pl__report_compute_rest(const struct pl_mx_data *d, struct pl_report *r)
{
    compute_backlog(d, r);
    compute_trend(d, r);
    compute_lists(d, r);
    compute_exposure(d, r);
    compute_exceptions(d, r);
    compute_events(d, r);
}
