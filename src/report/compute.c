/*
 * compute.c - every metric of a report from plain rows. The definitions are
 * those of docs/metrics.md; a change here is a change there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/policy.h"

#include "report_int.h"

const char *const pl_report_env_names[PL_REPORT_ENVS] = {"prod", "staging", "dev", "unknown"};
const char *const pl_report_sev_names[PL_REPORT_SEVS] = {"critical", "high", "medium",
                                                         "low",      "none", "unknown"};

void pl_report_targets_default(struct pl_report_targets *t)
{
    for (int i = 0; i < PL_REPORT_ROWS; i++)
        t->sla[i] = -1;
    t->sla[0] = 0.95;
    t->sla[PL_ROW_KEV] = 0.95;
    t->sla[2] = 0.90;
    t->coverage = 0.95;
    t->mttp_tier1 = 7 * (int64_t)PL_DAY;
}

int pl__report_env_index(const char *env)
{
    for (int i = 0; i < PL_REPORT_ENVS - 1; i++)
        if (env && strcmp(env, pl_report_env_names[i]) == 0)
            return i;
    return PL_REPORT_ENVS - 1;
}

int pl__report_sev_index(const char *sev)
{
    for (int i = 0; i < PL_REPORT_SEVS - 1; i++)
        if (sev && strcmp(sev, pl_report_sev_names[i]) == 0)
            return i;
    return PL_REPORT_SEVS - 1;
}

int pl__report_tier_row(const struct pl_mx_finding *f)
{
    if (f->tier == PL_MX_TIER_UNSCORED)
        return PL_ROW_UNSCORED;
    return f->tier >= 0 && f->tier < PL_MAX_POLICY_TIERS ? f->tier : -1;
}

bool pl__report_open_at(const struct pl_mx_finding *f, pl_time_t t)
{
    return f->status != PL_MX_FALSE_POSITIVE && f->first_seen <= t &&
           (f->resolved_at == PL_MX_NONE || f->resolved_at > t);
}

void pl__report_sla_count(struct pl_report_sla *s, const struct pl_mx_finding *f)
{
    bool on_time = f->resolved_at != PL_MX_NONE && f->resolved_at <= f->due_at;

    if ((f->status == PL_MX_PACKAGE_REMOVED || f->status == PL_MX_ASSET_RETIRED) && on_time) {
        s->excluded++;
        return;
    }
    s->due++;
    if (on_time && f->status == PL_MX_FIXED)
        s->met++;
    else if (on_time && f->status == PL_MX_MITIGATED)
        s->mitigated++;
    else if (on_time && f->status == PL_MX_ACCEPTED)
        s->accepted++;
    else
        s->missed++;
}

static void compute_sla(const struct pl_mx_data *d, struct pl_report *r)
{
    for (size_t i = 0; i < d->n_findings; i++) {
        const struct pl_mx_finding *f = &d->findings[i];
        int row = pl__report_tier_row(f);

        if (f->status == PL_MX_FALSE_POSITIVE || f->due_at == PL_MX_NONE || f->due_at < r->from ||
            f->due_at >= r->to)
            continue;
        if (row >= 0)
            pl__report_sla_count(&r->sla[row], f);
        if (f->kev_added != PL_MX_NONE && f->kev_added <= r->to)
            pl__report_sla_count(&r->sla[PL_ROW_KEV], f);
    }
}

void pl__report_durs_add(struct pl__report_durs *d, int64_t v)
{
    d->v = pl_xgrow(d->v, d->n, &d->cap, 16, sizeof(*d->v));
    d->v[d->n++] = v < 0 ? 0 : v;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

void pl__report_durs_stat(struct pl__report_durs *d, struct pl_report_stat *st)
{
    int64_t sum = 0;
    size_t rank, mid;

    st->n = (int64_t)d->n;
    if (d->n > 0) {
        qsort(d->v, d->n, sizeof(*d->v), cmp_i64);
        for (size_t i = 0; i < d->n; i++)
            sum += d->v[i];
        st->mean = (double)sum / (double)d->n;
        mid = d->n / 2;
        st->median =
            d->n % 2 ? (double)d->v[mid] : ((double)d->v[mid - 1] + (double)d->v[mid]) / 2.0;
        rank = (d->n * 9 + 9) / 10; /* ceil(0.9 n), 1-based */
        st->p90 = (double)d->v[rank - 1];
    }
    free(d->v);
    memset(d, 0, sizeof(*d));
}

static void compute_mttp(const struct pl_mx_data *d, struct pl_report *r)
{
    struct pl__report_durs tier_dis[PL_REPORT_ROWS - 1] = {0}, tier_fs[PL_REPORT_ROWS - 1] = {0};
    struct pl__report_durs env_dis[PL_REPORT_ENVS] = {0}, env_fs[PL_REPORT_ENVS] = {0};

    for (size_t i = 0; i < d->n_findings; i++) {
        const struct pl_mx_finding *f = &d->findings[i];
        int row = pl__report_tier_row(f), env = pl__report_env_index(f->environment);

        if (f->status != PL_MX_FIXED || f->resolved_at == PL_MX_NONE || f->resolved_at < r->from ||
            f->resolved_at >= r->to)
            continue;
        if (row >= 0) {
            pl__report_durs_add(&tier_fs[row], f->resolved_at - f->first_seen);
            if (f->disclosed != PL_MX_NONE)
                pl__report_durs_add(&tier_dis[row], f->resolved_at - f->disclosed);
        }
        pl__report_durs_add(&env_fs[env], f->resolved_at - f->first_seen);
        if (f->disclosed != PL_MX_NONE)
            pl__report_durs_add(&env_dis[env], f->resolved_at - f->disclosed);
    }
    for (int i = 0; i < PL_REPORT_ROWS - 1; i++) {
        pl__report_durs_stat(&tier_dis[i], &r->mttp_tier[i].disclosure);
        pl__report_durs_stat(&tier_fs[i], &r->mttp_tier[i].first_seen);
    }
    for (int i = 0; i < PL_REPORT_ENVS; i++) {
        pl__report_durs_stat(&env_dis[i], &r->mttp_env[i].disclosure);
        pl__report_durs_stat(&env_fs[i], &r->mttp_env[i].first_seen);
    }
}

static void aged_push(struct pl_report_aged **list, size_t *n, const struct pl_mx_asset *a,
                      const char *os, pl_time_t released)
{
    struct pl_report_aged *x;

    if (*n >= PL_MAX_REPORT_ROWS)
        return;
    *list = pl_xrealloc(*list, (*n + 1) * sizeof(**list));
    x = &(*list)[(*n)++];
    x->asset = pl__report_clip(a->name);
    x->environment = a->environment ? pl__report_clip(a->environment) : NULL;
    x->os = os ? pl__report_clip(os) : NULL;
    x->released = released;
    x->extended = 0;
}

/* Two calendar years before t (29 February falls back to 28). */
static pl_time_t two_years_before(pl_time_t t)
{
    int64_t y, day = t / PL_DAY - (t % PL_DAY < 0);
    unsigned m, dd;

    pl_civil_from_days(day, &y, &m, &dd);
    if (m == 2 && dd == 29)
        dd = 28;
    return pl_days_from_civil(y - 2, m, dd) * PL_DAY + (t - day * PL_DAY);
}

static void compute_assets(const struct pl_mx_data *d, struct pl_report *r)
{
    pl_time_t cutoff = two_years_before(r->to);

    for (size_t i = 0; i < d->n_assets; i++) {
        const struct pl_mx_asset *a = &d->assets[i];
        int env = pl__report_env_index(a->environment);
        bool managed;
        pl_time_t rel, ext;
        char os[64];

        if (a->first_seen > r->to || (a->retired_at != PL_MX_NONE && a->retired_at <= r->to))
            continue;
        managed = a->managed && a->last_seen >= r->to - 7 * (int64_t)PL_DAY;
        r->assets_known++, r->env_known[env]++;
        r->assets_unassessed += !a->assessed;
        r->findings_disputed += a->disputed;
        if (managed)
            r->assets_managed++, r->env_managed[env]++;
        else
            aged_push(&r->unmanaged, &r->n_unmanaged, a, NULL, PL_MX_NONE);
        if (pl_report_os_release(a->os_family, a->os_name, a->os_version, &rel, os, sizeof(os)) &&
            rel < cutoff) {
            r->aged_total++;
            aged_push(&r->aged, &r->n_aged, a, os, rel);
        }
        if (pl_report_os_eol(a->os_family, a->os_name, a->os_version, &rel, &ext, os, sizeof(os)) &&
            rel <= r->to) {
            size_t before = r->n_eol;

            r->eol_total++;
            aged_push(&r->eol, &r->n_eol, a, os, rel);
            if (r->n_eol > before)
                r->eol[before].extended = ext;
        }
    }
}

/*
 * The tiers shown: the policy's, then any higher tier a finding carries (a
 * policy with more tiers decided it), so that no finding drops out of the
 * per-tier tables.
 */
static void tiers_from_policy(const struct pl_policy *p, const struct pl_mx_data *d,
                              struct pl_report *r)
{
    int n = pl_policy_n_tiers(p);

    snprintf(r->policy, sizeof(r->policy), "%s", pl_policy_name(p));
    if (n > PL_MAX_POLICY_TIERS)
        n = PL_MAX_POLICY_TIERS;
    for (int t = 0; t < n; t++) {
        snprintf(r->tiers[t].name, sizeof(r->tiers[t].name), "%s", pl_policy_tier_name(p, t));
        r->tiers[t].sla = pl_policy_tier_sla(p, t);
    }
    r->unscored_sla = pl_policy_tier_sla(p, PL_TIER_UNSCORED);
    r->n_tiers = n;
    for (size_t i = 0; i < d->n_findings; i++) {
        int t = d->findings[i].tier;

        if (t >= r->n_tiers && t < PL_MAX_POLICY_TIERS)
            r->n_tiers = t + 1;
    }
    for (int t = n; t < r->n_tiers; t++)
        snprintf(r->tiers[t].name, sizeof(r->tiers[t].name), "Tier %d (not in the policy)", t);
}

pl_status pl_report_compute(const struct pl_mx_data *d, const struct pl_report_opts *o,
                            struct pl_report *r, struct pl_error *err)
{
    struct pl_policy *own = NULL;
    pl_status rc;

    memset(r, 0, sizeof(*r));
    if (o->policy == NULL && (rc = pl_policy_load_builtin("default", &own, err)) != PL_OK)
        return rc;
    tiers_from_policy(o->policy ? o->policy : own, d, r);
    pl_policy_free(own);
    r->period = o->period;
    r->generated = o->now;
    if (o->period == PL_PERIOD_RANGE)
        r->from = o->from, r->to = o->to;
    else
        pl_report_period_range(o->period, o->now, &r->from, &r->to);
    if (o->targets)
        r->targets = *o->targets;
    else
        pl_report_targets_default(&r->targets);
    compute_sla(d, r);
    compute_mttp(d, r);
    compute_assets(d, r);
    pl__report_compute_by_os(d, r);
    pl__report_compute_rest(d, r);
    pl__report_compute_groups(d, r);
    return PL_OK;
}
