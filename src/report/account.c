/*
 * account.c - accountability: the report's metrics per owner (team) and per
 * environment, ordered as a league table by overdue Tier 0-1 findings. The
 * definitions are those of docs/metrics.md ("Accountability").
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"

#include "report_int.h"

struct asset_key {
    int64_t id;
    const char *owner;
};

static int cmp_key(const void *a, const void *b)
{
    const struct asset_key *x = a, *y = b;

    return (x->id > y->id) - (x->id < y->id);
}

const char **pl__report_owners_of(const struct pl_mx_data *d)
{
    struct asset_key *keys = pl_xcalloc(d->n_assets + 1, sizeof(*keys));
    const char **owners = pl_xcalloc(d->n_findings + 1, sizeof(*owners));

    for (size_t i = 0; i < d->n_assets; i++)
        keys[i] = (struct asset_key){d->assets[i].id, d->assets[i].owner};
    qsort(keys, d->n_assets, sizeof(*keys), cmp_key);
    for (size_t i = 0; i < d->n_findings; i++) {
        struct asset_key k = {d->findings[i].asset_id, NULL}, *hit;

        hit = d->n_assets ? bsearch(&k, keys, d->n_assets, sizeof(*keys), cmp_key) : NULL;
        owners[i] = hit && hit->owner && hit->owner[0] ? hit->owner : NULL;
    }
    free(keys);
    return owners;
}

/* A group while it is being counted: the report's group and its gatherings. */
struct acc {
    struct pl_report_group g;
    struct pl__report_durs fixes;
    const struct pl_mx_finding **over; /* its overdue findings */
    size_t n_over, cap_over;
};

/* Groups by name: a sorted array searched by bisection. */
struct accs {
    struct acc *a;
    size_t n, cap;
};

static struct acc *acc_get(struct accs *s, const char *raw)
{
    char *name = pl__report_clip(raw); /* compare as shown: long names that agree merge */
    size_t lo = 0, hi = s->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(s->a[mid].g.name, name);

        if (c == 0) {
            free(name);
            return &s->a[mid];
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    s->a = pl_xgrow(s->a, s->n, &s->cap, 16, sizeof(*s->a));
    if (s->n > lo)
        memmove(&s->a[lo + 1], &s->a[lo], (s->n - lo) * sizeof(*s->a));
    memset(&s->a[lo], 0, sizeof(*s->a));
    s->a[lo].g.name = name;
    s->n++;
    return &s->a[lo];
}

static void count_asset(struct acc *a, const struct pl_mx_asset *x, pl_time_t to)
{
    if (x->first_seen > to || (x->retired_at != PL_MX_NONE && x->retired_at <= to))
        return;
    a->g.assets++;
    a->g.managed += x->managed && x->last_seen >= to - 7 * (int64_t)PL_DAY;
}

static bool excepted(const struct pl_mx_finding *f)
{
    return f->status == PL_MX_MITIGATED || f->status == PL_MX_ACCEPTED ||
           f->status == PL_MX_FALSE_POSITIVE;
}

static void count_finding(struct acc *a, const struct pl_mx_finding *f, const struct pl_report *r)
{
    int row = pl__report_tier_row(f);
    pl_time_t to = r->to;

    if (f->status != PL_MX_FALSE_POSITIVE && f->due_at != PL_MX_NONE && f->due_at >= r->from &&
        f->due_at < to) {
        if (row >= 0)
            pl__report_sla_count(&a->g.sla[row], f);
        if (f->kev_added != PL_MX_NONE && f->kev_added <= to)
            pl__report_sla_count(&a->g.sla[PL_ROW_KEV], f);
    }
    if (f->status == PL_MX_FIXED && f->resolved_at != PL_MX_NONE && f->resolved_at >= r->from &&
        f->resolved_at < to && row >= 0)
        pl__report_durs_add(&a->fixes, f->resolved_at - f->first_seen);
    if (f->first_seen <= to && (f->resolved_at == PL_MX_NONE || f->resolved_at <= to) &&
        excepted(f) && (f->mitigated_until == PL_MX_NONE || f->mitigated_until > to)) {
        a->g.exceptions++;
        a->g.exc_expiring +=
            f->mitigated_until != PL_MX_NONE && f->mitigated_until <= to + 14 * (int64_t)PL_DAY;
    }
    if (!pl__report_open_at(f, to))
        return;
    a->g.open[row < 0 ? PL_ROW_UNTIERED : row]++;
    a->g.open_total++;
    a->g.kev_incidents += pl__report_kev_incident(f, to);
    if (f->due_at == PL_MX_NONE || f->due_at >= to)
        return;
    a->g.overdue++;
    a->g.overdue_tier[row < 0 ? PL_ROW_UNTIERED : row]++;
    a->g.overdue_urgent += f->tier == 0 || f->tier == 1;
    a->over = pl_xgrow(a->over, a->n_over, &a->cap_over, 16, sizeof(*a->over));
    a->over[a->n_over++] = f;
}

static int cmp_over(const void *a, const void *b)
{
    const struct pl_mx_finding *x = *(const struct pl_mx_finding *const *)a;
    const struct pl_mx_finding *y = *(const struct pl_mx_finding *const *)b;

    if (x->due_at != y->due_at)
        return x->due_at < y->due_at ? -1 : 1; /* the longest overdue first */
    return (x->id > y->id) - (x->id < y->id);
}

static int cmp_league(const void *a, const void *b)
{
    const struct pl_report_group *x = a, *y = b;

    if (x->overdue_urgent != y->overdue_urgent)
        return x->overdue_urgent < y->overdue_urgent ? 1 : -1;
    if (x->overdue != y->overdue)
        return x->overdue < y->overdue ? 1 : -1;
    if (x->kev_incidents != y->kev_incidents)
        return x->kev_incidents < y->kev_incidents ? 1 : -1;
    if (x->open_total != y->open_total)
        return x->open_total < y->open_total ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* Close the gatherings of each group, order them, keep at most `keep`. */
static struct pl_report_group *finish(struct accs *s, const struct pl_mx_data *d,
                                      const char **owners, pl_time_t to, size_t keep, size_t *n_out)
{
    struct pl_report_group *g = pl_xcalloc(s->n + 1, sizeof(*g));

    for (size_t i = 0; i < s->n; i++) {
        struct acc *a = &s->a[i];
        struct pl_report_list *l = &a->g.overdue_items;

        pl__report_durs_stat(&a->fixes, &a->g.mttp);
        if (a->n_over)
            qsort(a->over, a->n_over, sizeof(*a->over), cmp_over);
        l->total = (int64_t)a->n_over;
        l->n = a->n_over < PL_REPORT_GROUP_ITEMS ? a->n_over : PL_REPORT_GROUP_ITEMS;
        l->items = l->n ? pl_xcalloc(l->n, sizeof(*l->items)) : NULL;
        for (size_t k = 0; k < l->n; k++)
            pl__report_item_fill(&l->items[k], a->over[k], owners[a->over[k] - d->findings],
                                 to - a->over[k]->due_at);
        free(a->over);
        g[i] = a->g;
    }
    if (s->n)
        qsort(g, s->n, sizeof(*g), cmp_league);
    for (size_t i = keep; i < s->n; i++) {
        free(g[i].name);
        pl__report_list_release(&g[i].overdue_items);
    }
    *n_out = s->n < keep ? s->n : keep;
    free(s->a);
    return g;
}

void pl__report_compute_groups(const struct pl_mx_data *d, struct pl_report *r)
{
    struct accs own = {0}, env = {0};
    const char **owners = pl__report_owners_of(d);

    for (int i = 0; i < PL_REPORT_ENVS; i++)
        acc_get(&env, pl_report_env_names[i]);
    for (size_t i = 0; i < d->n_assets; i++) {
        const struct pl_mx_asset *x = &d->assets[i];

        if (x->first_seen > r->to)
            continue;
        count_asset(acc_get(&own, x->owner && x->owner[0] ? x->owner : PL_REPORT_NO_OWNER), x,
                    r->to);
        count_asset(acc_get(&env, pl_report_env_names[pl__report_env_index(x->environment)]), x,
                    r->to);
    }
    for (size_t i = 0; i < d->n_findings; i++) {
        const struct pl_mx_finding *f = &d->findings[i];

        count_finding(acc_get(&own, owners[i] ? owners[i] : PL_REPORT_NO_OWNER), f, r);
        count_finding(acc_get(&env, pl_report_env_names[pl__report_env_index(f->environment)]), f,
                      r);
    }
    r->owners_total = (int64_t)own.n;
    r->owners = finish(&own, d, owners, r->to, PL_MAX_REPORT_ROWS, &r->n_owners);
    r->envs = finish(&env, d, owners, r->to, PL_REPORT_ENVS, &r->n_envs);
    free(owners);
}

double pl__report_group_sla(const struct pl_report *r, const struct pl_report_group *g)
{
    struct pl_report_sla sum = {0};

    for (int k = 0; k < pl_report_n_rows(r) - 1; k++) {
        int i = pl_report_row(r, k);

        sum.due += g->sla[i].due, sum.met += g->sla[i].met;
    }
    return pl_report_sla_ratio(&sum);
}

static void groups_free(struct pl_report_group *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(g[i].name);
        pl__report_list_release(&g[i].overdue_items);
    }
    free(g);
}

void pl__report_groups_release(struct pl_report *r)
{
    groups_free(r->owners, r->n_owners);
    groups_free(r->envs, r->n_envs);
}
