/*
 * test_report.c - the measure stage: a deterministic 90-day history written
 * through the store, every metric recomputed here with plain loops and
 * compared for three windows; the definitions at their edges with exact
 * values; periods; the OS release table. Renderers: test_report_render.c.
 */
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/clock.h"
#include "patchline/policy.h"
#include "patchline/report.h"
#include "patchline/store.h"

#include "test_store_target.h"

#define DAY      ((int64_t)86400)
#define HOUR     ((int64_t)3600)
#define N_ASSETS 12
#define N_FIND   400
#define NONE     PL_MX_NONE
/* The row structs own their strings when loaded; the writers only read them. */
static char *W(const char *s)
{
    char *p;

    memcpy(&p, &s, sizeof(p));
    return p;
}

/* ---- the generated history ------------------------------------------- */

static const pl_time_t NOW = 1796040000; /* 2026-11-30T12:00:00Z */

struct hist {
    struct pl_mx_asset a[N_ASSETS];
    struct pl_mx_finding f[N_FIND];
    char names[N_ASSETS][32], vulns[N_FIND][24], pkgs[N_FIND][24];
    pl_time_t vuln_pub[N_FIND], vuln_seen[N_FIND];
    int asset_of[N_FIND];
    pl_time_t ev_at[40];
    int ev_sim[40];
};

static uint32_t seed = 12345;

static uint32_t rnd(uint32_t n)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
}

static const int64_t sla_days[] = {1, 7, 30, 90, 180};

static void gen_assets(struct hist *h, pl_time_t start)
{
    static const char *const envs[] = {"prod", "staging", "dev"};
    static const char *const os[][2] = {{"debian", "10"},
                                        {"debian", "12.7"},
                                        {"ubuntu", "20.04"},
                                        {"Alpine Linux", "3.22.1"},
                                        {"Windows Server", "10.0.14393"},
                                        {"rocky", "9.4"}};

    for (int i = 0; i < N_ASSETS; i++) {
        struct pl_mx_asset *a = &h->a[i];

        snprintf(h->names[i], sizeof(h->names[i]), "host-%02d", i);
        a->name = h->names[i];
        a->environment = W(i == 11 ? NULL : envs[i % 3]);
        a->owner = W(i % 5 == 4 ? NULL : "platform-team");
        a->managed = i % 5 != 4; /* covered by a source that can patch */
        a->os_name = W(os[i % 6][0]);
        a->os_version = W(os[i % 6][1]);
        a->first_seen = start - 30 * DAY;
        a->last_seen = i % 7 == 3 ? NOW - 20 * DAY : NOW - DAY;
        a->retired_at = i == 9 ? NOW - 40 * DAY : NONE;
    }
}

static void gen_outcome(struct hist *h, struct pl_mx_finding *f, int asset)
{
    int64_t sla = f->tier >= 0 ? sla_days[f->tier] * DAY : 90 * DAY;
    uint32_t o = rnd(100);

    f->status = PL_MX_OPEN;
    if (o < 40)
        f->status = PL_MX_FIXED, f->resolved_at = f->first_seen + (int64_t)rnd((uint32_t)(2 * sla));
    else if (o < 48)
        f->status = PL_MX_MITIGATED, f->resolved_at = f->first_seen + (int64_t)rnd((uint32_t)sla),
        f->mitigated_by = W(o < 44 ? "waf" : "segmentation"),
        f->mitigated_until = f->resolved_at + (int64_t)rnd(60) * DAY;
    else if (o < 53)
        f->status = PL_MX_ACCEPTED, f->resolved_at = f->first_seen + (int64_t)rnd((uint32_t)sla);
    else if (o < 56)
        f->status = PL_MX_FALSE_POSITIVE, f->resolved_at = f->first_seen + DAY;
    else if (o < 62)
        f->status = PL_MX_PACKAGE_REMOVED,
        f->resolved_at = f->first_seen + (int64_t)rnd((uint32_t)(2 * sla));
    else if (o < 67)
        f->reopened_count = 1; /* regression: fixed once, open again */
    else if (o < 71)
        f->mitigated_until =
            f->first_seen + (int64_t)rnd(20) * DAY; /* expired: back on the clock */
    if (f->resolved_at != NONE && f->resolved_at > NOW)
        f->status = PL_MX_OPEN, f->resolved_at = NONE;
    if (f->status == PL_MX_MITIGATED && f->mitigated_until > NOW + 30 * DAY)
        f->mitigated_until = NONE;
    if (asset == 9 && (f->status == PL_MX_OPEN || f->resolved_at > h->a[9].retired_at) &&
        f->first_seen < h->a[9].retired_at)
        f->status = PL_MX_ASSET_RETIRED, f->resolved_at = h->a[9].retired_at;
}

static void gen_findings(struct hist *h, pl_time_t start)
{
    static const char *const sevs[] = {"critical", "critical", "high", "medium", "low"};

    for (int i = 0; i < N_FIND; i++) {
        struct pl_mx_finding *f = &h->f[i];
        int asset = (int)rnd(N_ASSETS);
        uint32_t t = rnd(20);

        memset(f, 0, sizeof(*f));
        snprintf(h->vulns[i], sizeof(h->vulns[i]), "CVE-2026-%05d", i);
        snprintf(h->pkgs[i], sizeof(h->pkgs[i]), "pkg%d", i % 37);
        h->asset_of[i] = asset;
        f->vuln_id = h->vulns[i];
        f->package = h->pkgs[i];
        f->tier = t < 2 ? PL_MX_TIER_UNSCORED : t < 3 ? PL_MX_TIER_UNTIERED : (int)(t % 5);
        f->first_seen = start + (int64_t)rnd(90 * DAY);
        f->resolved_at = f->kev_added = f->mitigated_until = f->due_at = NONE;
        if (f->tier != PL_MX_TIER_UNTIERED)
            f->due_at = f->first_seen + (f->tier >= 0 ? sla_days[f->tier] : 90) * DAY;
        f->severity = W(f->tier >= 0 && rnd(8) ? sevs[f->tier] : NULL);
        if (rnd(6) == 0)
            f->kev_added = f->first_seen + ((int64_t)rnd(15) - 5) * DAY;
        h->vuln_seen[i] = f->first_seen - (int64_t)rnd(3) * DAY;
        h->vuln_pub[i] = rnd(4) ? f->first_seen - (int64_t)rnd(30) * DAY : NONE;
        f->disclosed = h->vuln_pub[i] != NONE ? h->vuln_pub[i] : h->vuln_seen[i];
        gen_outcome(h, f, asset);
    }
}

static char db_path[64];

static struct pl_store *open_store(void)
{
    char *path = db_path;
    size_t size = sizeof(db_path);
    struct pl_error err = PL_ERROR_INIT;
    struct pl_store *s = NULL;
    int fd;

    snprintf(path, size, "/tmp/pl-test-report-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    if (pl_store_open(pl_test_store(path), PL_STORE_CREATE, &s, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return s;
}

static void add_event(pl_time_t at, int sim, const char *action)
{
    sqlite3 *db;
    char sql[256];

    snprintf(sql, sizeof(sql),
             "INSERT INTO audit_events (at, at_real, simulated, actor, action) VALUES "
             "(%lld, %lld, %d, 'test', '%s')",
             (long long)at, (long long)at, sim, action);
    if (pl_test_store_is_pg()) {
        assert_int_equal(pl_test_store_psql(db_path, sql), 0);
        return;
    }
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void write_history(struct pl_store *s, struct hist *h, pl_time_t start)
{
    struct pl_error err = PL_ERROR_INIT;

    for (int i = 0; i < N_ASSETS; i++)
        assert_int_equal(pl_store_mx_put_asset(s, &h->a[i], &err), PL_OK);
    for (int i = 0; i < N_FIND; i++) {
        h->f[i].asset_id = h->a[h->asset_of[i]].id;
        assert_int_equal(
            pl_store_mx_put_vuln(s, h->vulns[i], h->vuln_pub[i], h->vuln_seen[i], &err), PL_OK);
        assert_int_equal(pl_store_mx_put_finding(s, &h->f[i], &err), PL_OK);
    }
    for (int d = 0; d <= 90; d++)
        assert_int_equal(pl_store_mx_snapshot(s, start + d * DAY + 23 * HOUR, NULL, &err), PL_OK);
    for (int i = 0; i < 40; i++) {
        h->ev_at[i] = start + (int64_t)rnd(95 * DAY);
        h->ev_sim[i] = (int)rnd(2);
        add_event(h->ev_at[i], h->ev_sim[i], i % 3 ? "finding.fix" : "plan.apply");
    }
}

/* ---- the metrics again, by plain loops over the arrays ---------------- */

/* The report's row of a test row: tiers 0..4, then 5 unscored and 6 KEV/untiered. */
static int rrow(int k)
{
    return k < 5 ? k : PL_ROW_UNSCORED + (k - 5);
}

static int row_of(const struct pl_mx_finding *f)
{
    return f->tier == PL_MX_TIER_UNSCORED ? 5 : f->tier;
}

static int is_open(const struct pl_mx_finding *f, pl_time_t t)
{
    return f->status != PL_MX_FALSE_POSITIVE && f->first_seen <= t &&
           (f->resolved_at == NONE || f->resolved_at > t);
}

static void expect_sla(const struct hist *h, const struct pl_report *r)
{
    for (int row = 0; row < 7; row++) {
        int64_t due = 0, met = 0, mit = 0, acc = 0, missed = 0, excl = 0;

        for (int i = 0; i < N_FIND; i++) {
            const struct pl_mx_finding *f = &h->f[i];
            int in_row = row == 6 ? f->kev_added != NONE && f->kev_added <= r->to
                                  : f->tier != PL_MX_TIER_UNTIERED && row_of(f) == row;
            int ontime;

            if (!in_row || f->status == PL_MX_FALSE_POSITIVE || f->due_at == NONE ||
                f->due_at < r->from || f->due_at >= r->to)
                continue;
            ontime = f->resolved_at != NONE && f->resolved_at <= f->due_at;
            if (ontime &&
                (f->status == PL_MX_PACKAGE_REMOVED || f->status == PL_MX_ASSET_RETIRED)) {
                excl++;
                continue;
            }
            due++;
            if (ontime && f->status == PL_MX_FIXED)
                met++;
            else if (ontime && f->status == PL_MX_MITIGATED)
                mit++;
            else if (ontime && f->status == PL_MX_ACCEPTED)
                acc++;
            else
                missed++;
        }
        assert_int_equal(r->sla[rrow(row)].due, due);
        assert_int_equal(r->sla[rrow(row)].met, met);
        assert_int_equal(r->sla[rrow(row)].mitigated, mit);
        assert_int_equal(r->sla[rrow(row)].accepted, acc);
        assert_int_equal(r->sla[rrow(row)].missed, missed);
        assert_int_equal(r->sla[rrow(row)].excluded, excl);
    }
}

static void sort64(int64_t *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            int64_t t = v[j];
            v[j] = v[j - 1], v[j - 1] = t;
        }
}

static void check_stat(int64_t *v, int n, const struct pl_report_stat *st)
{
    int64_t sum = 0;
    int mid, rank;

    assert_int_equal(st->n, n);
    if (n == 0)
        return;
    sort64(v, n);
    for (int i = 0; i < n; i++)
        sum += v[i];
    assert_true(st->mean == (double)sum / n);
    mid = n / 2;
    rank = (9 * n + 9) / 10;
    assert_true(st->median == (n % 2 ? (double)v[mid] : ((double)v[mid - 1] + (double)v[mid]) / 2));
    assert_true(st->p90 == (double)v[rank - 1]);
}

/* group: 0..5 a tier row, 10..13 an environment */
static void expect_mttp_group(const struct hist *h, const struct pl_report *r, int group)
{
    static const char *const envs[] = {"prod", "staging", "dev"};
    int64_t dis[N_FIND], fs[N_FIND];
    int nd = 0, nf = 0;

    for (int i = 0; i < N_FIND; i++) {
        const struct pl_mx_finding *f = &h->f[i];
        const char *env = h->a[h->asset_of[i]].environment;
        int match;

        if (f->status != PL_MX_FIXED || f->resolved_at < r->from || f->resolved_at >= r->to)
            continue;
        if (group < 10)
            match = f->tier != PL_MX_TIER_UNTIERED && row_of(f) == group;
        else if (group == 13)
            match = env == NULL;
        else
            match = env && strcmp(env, envs[group - 10]) == 0;
        if (!match)
            continue;
        fs[nf++] = f->resolved_at - f->first_seen < 0 ? 0 : f->resolved_at - f->first_seen;
        dis[nd++] = f->resolved_at - f->disclosed < 0 ? 0 : f->resolved_at - f->disclosed;
    }
    const struct pl_report_mttp *m =
        group < 10 ? &r->mttp_tier[rrow(group)] : &r->mttp_env[group - 10];
    check_stat(fs, nf, &m->first_seen);
    check_stat(dis, nd, &m->disclosure);
}

static void expect_assets(const struct hist *h, const struct pl_report *r)
{
    int64_t known = 0, managed = 0, aged = 0;

    for (int i = 0; i < N_ASSETS; i++) {
        const struct pl_mx_asset *a = &h->a[i];

        if (a->retired_at != NONE && a->retired_at <= r->to)
            continue;
        known++;
        if (a->managed && a->last_seen >= r->to - 7 * DAY)
            managed++;
        /* by 2026-11-30 only alpine 3.22 (2025-05-30) is younger than two years */
        if (i % 6 != 3)
            aged++;
    }
    assert_int_equal(r->assets_known, known);
    assert_int_equal(r->assets_managed, managed);
    assert_int_equal(r->aged_total, aged);
    assert_int_equal((int64_t)r->n_unmanaged, known - managed);
}

static void expect_backlog(const struct hist *h, const struct pl_report *r)
{
    static const char *const sevs[] = {"critical", "high", "medium", "low", "none"};
    int64_t tier[7] = {0}, sev[6] = {0}, open = 0, overdue = 0, kev = 0, reg = 0;

    for (int i = 0; i < N_FIND; i++) {
        const struct pl_mx_finding *f = &h->f[i];
        int s = 5;

        if (!is_open(f, r->to))
            continue;
        tier[f->tier == PL_MX_TIER_UNTIERED ? 6 : row_of(f)]++;
        for (int k = 0; k < 5; k++)
            if (f->severity && strcmp(f->severity, sevs[k]) == 0)
                s = k;
        sev[s]++, open++;
        overdue += f->due_at != NONE && f->due_at < r->to;
        kev += f->kev_added != NONE && f->kev_added <= r->to;
        reg += f->reopened_count > 0;
    }
    for (int k = 0; k < 7; k++)
        assert_int_equal(r->backlog_tier[rrow(k)], tier[k]);
    for (int k = 0; k < 6; k++)
        assert_int_equal(r->backlog_sev[k], sev[k]);
    assert_int_equal(r->backlog_open, open);
    assert_int_equal(r->backlog_overdue, overdue);
    assert_int_equal(r->backlog_kev, kev);
    assert_int_equal(r->regressions, reg);
    assert_true(open > 0 && overdue > 0 && reg > 0);
}

static void expect_trend(const struct hist *h, const struct pl_report *r, pl_time_t start,
                         pl_time_t snap_from, pl_time_t qstart)
{
    size_t n = 0;
    int64_t prev = -1;

    for (int d = 0; d <= 90; d++) {
        pl_time_t t = start + d * DAY + 23 * HOUR, day = t - t % DAY;
        int64_t open = 0, over = 0;

        if (day < snap_from || day >= r->to)
            continue;
        for (int i = 0; i < N_FIND; i++)
            if (is_open(&h->f[i], t)) {
                open++;
                over += h->f[i].due_at != NONE && h->f[i].due_at < t;
            }
        assert_true(n < r->n_trend);
        assert_int_equal(r->trend[n].day, day);
        assert_int_equal(r->trend[n].open, open);
        assert_int_equal(r->trend[n].overdue, over);
        n++;
        if (day < qstart)
            prev = open;
    }
    assert_int_equal(r->n_trend, n);
    assert_int_equal(r->has_prev_quarter, prev >= 0);
    if (prev >= 0)
        assert_int_equal(r->prev_quarter_open, prev);
}

static void expect_lists(const struct hist *h, const struct pl_report *r)
{
    int64_t n_over = 0, n_kev = 0, max_over = -1, max_kev = -1;

    for (int i = 0; i < N_FIND; i++) {
        const struct pl_mx_finding *f = &h->f[i];
        pl_time_t st;

        if (!is_open(f, r->to))
            continue;
        if (f->due_at != NONE && f->due_at < r->to) {
            n_over++;
            if (r->to - f->due_at > max_over)
                max_over = r->to - f->due_at;
        }
        if (f->kev_added == NONE || f->kev_added > r->to)
            continue;
        st = f->kev_added > f->first_seen ? f->kev_added : f->first_seen;
        if (r->to - st > 7 * DAY) {
            n_kev++;
            if (r->to - st > max_kev)
                max_kev = r->to - st;
        }
    }
    assert_int_equal(r->overdue.total, n_over);
    assert_int_equal(r->kev_incidents.total, n_kev);
    assert_true(n_kev > 0);
    assert_int_equal(r->overdue.items[0].age, max_over);
    assert_int_equal(r->kev_incidents.items[0].age, max_kev);
    for (size_t i = 1; i < r->kev_incidents.n; i++)
        assert_true(r->kev_incidents.items[i - 1].age >= r->kev_incidents.items[i].age);
}

static void expect_exposure(const struct hist *h, const struct pl_report *r)
{
    double total = 0, tier[7] = {0};

    for (int i = 0; i < N_FIND; i++) {
        const struct pl_mx_finding *f = &h->f[i];
        pl_time_t a = f->first_seen, b = r->to;
        int ends = f->status == PL_MX_FIXED || f->status == PL_MX_PACKAGE_REMOVED ||
                   f->status == PL_MX_ASSET_RETIRED || f->status == PL_MX_MITIGATED;

        if (f->status == PL_MX_FALSE_POSITIVE || f->first_seen > r->to)
            continue;
        if (f->disclosed < a)
            a = f->disclosed;
        if (ends && f->resolved_at < b)
            b = f->resolved_at;
        if (a < r->from)
            a = r->from;
        if (b <= a)
            continue;
        total += (double)(b - a) / DAY;
        if (f->tier != PL_MX_TIER_UNTIERED)
            tier[row_of(f)] += (double)(b - a) / DAY;
        if (f->kev_added != NONE && f->kev_added <= r->to)
            tier[6] += (double)(b - a) / DAY;
    }
    if (r->exposure_days_total > total + 1e-6 || r->exposure_days_total < total - 1e-6)
        fail_msg("exposure %.6f want %.6f", r->exposure_days_total, total);
    assert_true(total > 0);
    for (int k = 0; k < 7; k++)
        assert_true(r->exposure_days[rrow(k)] > tier[k] - 1e-6 &&
                    r->exposure_days[rrow(k)] < tier[k] + 1e-6);
}

static void expect_exceptions(const struct hist *h, const struct pl_report *r)
{
    int64_t active = 0, expiring = 0, reopened = 0, waf = 0;

    for (int i = 0; i < N_FIND; i++) {
        const struct pl_mx_finding *f = &h->f[i];

        if (f->first_seen > r->to || (f->resolved_at != NONE && f->resolved_at > r->to))
            continue;
        if (f->status == PL_MX_OPEN && f->mitigated_until != NONE && f->mitigated_until <= r->to)
            reopened++;
        if ((f->status == PL_MX_MITIGATED || f->status == PL_MX_ACCEPTED ||
             f->status == PL_MX_FALSE_POSITIVE) &&
            (f->mitigated_until == NONE || f->mitigated_until > r->to)) {
            active++;
            waf += f->mitigated_by && strcmp(f->mitigated_by, "waf") == 0;
            expiring += f->mitigated_until != NONE && f->mitigated_until <= r->to + 14 * DAY;
        }
    }
    assert_true(reopened > 0 && expiring > 0 && waf > 0);
    assert_int_equal(r->exc_active, active);
    assert_int_equal(r->exc_expiring, expiring);
    assert_int_equal(r->exc_expired_reopened, reopened);
    for (size_t k = 0; k < r->n_exceptions; k++)
        if (strcmp(r->exceptions[k].name, "waf") == 0)
            assert_int_equal(r->exceptions[k].real, waf);
}

static void expect_events(const struct hist *h, const struct pl_report *r)
{
    int64_t real = 0, sim = 0;

    for (int i = 0; i < 40; i++)
        if (h->ev_at[i] >= r->from && h->ev_at[i] < r->to)
            *(h->ev_sim[i] ? &sim : &real) += 1;
    assert_int_equal(r->events_real, real);
    assert_int_equal(r->events_simulated, sim);
}

static struct hist H;

static void check_period(struct pl_store *s, enum pl_report_period p, pl_time_t from, pl_time_t to)
{
    struct pl_report_opts o = {.period = p, .now = NOW, .from = from, .to = to};
    struct pl_error err = PL_ERROR_INIT;
    pl_time_t start = NOW - 90 * DAY, qs;
    struct pl_report r;

    assert_int_equal(pl_report_build(s, &o, &r, &err), PL_OK);
    if (p != PL_PERIOD_RANGE)
        assert_int_equal(r.to, NOW);
    qs = pl_report_quarter_start(r.to - 1);
    expect_sla(&H, &r);
    for (int g = 0; g < 6; g++)
        expect_mttp_group(&H, &r, g);
    for (int g = 10; g < 14; g++)
        expect_mttp_group(&H, &r, g);
    expect_assets(&H, &r);
    expect_backlog(&H, &r);
    expect_trend(&H, &r, start, pl_report_quarter_start(qs - 1), qs);
    expect_lists(&H, &r);
    expect_exposure(&H, &r);
    expect_exceptions(&H, &r);
    expect_events(&H, &r);
    pl_report_release(&r);
}

static void history_metrics_match(void **state)
{
    struct pl_store *s = open_store();
    pl_time_t start = NOW - 90 * DAY;
    (void)state;

    seed = 12345;
    gen_assets(&H, start);
    gen_findings(&H, start);
    write_history(s, &H, start);
    /* the whole estate of metrics, for three different windows */
    check_period(s, PL_PERIOD_MONTH, 0, 0);
    check_period(s, PL_PERIOD_QUARTER, 0, 0);
    check_period(s, PL_PERIOD_RANGE, start + 10 * DAY, start + 70 * DAY);
    pl_store_close(s);
    unlink(db_path);
}

static void periods_are_calendar_aligned(void **state)
{
    pl_time_t from, to, t;
    struct pl_error err = PL_ERROR_INIT;
    char a[PL_TIME_STR_LEN], b[PL_TIME_STR_LEN];
    (void)state;

    assert_int_equal(pl_time_parse("2026-11-29T10:00:00Z", &t, &err), PL_OK);
    pl_report_period_range(PL_PERIOD_MONTH, t, &from, &to);
    assert_string_equal(pl_time_format(from, a), "2026-11-01T00:00:00Z");
    assert_string_equal(pl_time_format(to, b), "2026-11-29T10:00:00Z");
    pl_report_period_range(PL_PERIOD_QUARTER, t, &from, &to);
    assert_string_equal(pl_time_format(from, a), "2026-10-01T00:00:00Z");
    assert_int_equal(pl_time_parse("2027-01-01", &t, &err), PL_OK);
    pl_report_period_range(PL_PERIOD_MONTH, t, &from, &to);
    assert_string_equal(pl_time_format(from, a), "2026-12-01T00:00:00Z");
    pl_report_period_range(PL_PERIOD_QUARTER, t, &from, &to);
    assert_string_equal(pl_time_format(from, a), "2026-10-01T00:00:00Z");
    assert_string_equal(pl_time_format(to, b), "2027-01-01T00:00:00Z");
}

static void os_release_table(void **state)
{
    pl_time_t t;
    char label[64], d[16];
    (void)state;

    assert_true(pl_report_os_release(NULL, "Debian GNU/Linux", "12 (bookworm)", &t, label, 64));
    assert_string_equal(label, "debian 12");
    assert_string_equal(pl_date_format(t, d), "2023-06-10");
    assert_true(pl_report_os_release("windows", "Microsoft Windows Server 2022 Datacenter",
                                     "10.0.20348", &t, label, 64));
    assert_string_equal(label, "windows-server 2022");
    assert_true(pl_report_os_release("linux", "ubuntu", "22.04.5", &t, label, 64));
    assert_string_equal(label, "ubuntu 22.04");
    assert_true(pl_report_os_release(NULL, "alpine", "3.15.11", &t, label, 64));
    assert_string_equal(pl_date_format(t, d), "2021-11-24");
    assert_false(pl_report_os_release(NULL, "debian", "9", &t, label, 64));
    assert_false(pl_report_os_release(NULL, "plan9", "4", &t, label, 64));
    assert_false(pl_report_os_release(NULL, NULL, "12", &t, label, 64));
}

/* ---- the definitions at their edges, with exact expected values -------- */

static void put(struct pl_store *s, int64_t asset, const char *vuln, int tier, enum pl_mx_status st,
                pl_time_t first, pl_time_t resolved, pl_time_t due, pl_time_t kev)
{
    struct pl_mx_finding f = {.asset_id = asset,
                              .vuln_id = W(vuln),
                              .package = W(vuln),
                              .status = st,
                              .tier = tier,
                              .first_seen = first,
                              .resolved_at = resolved,
                              .due_at = due,
                              .kev_added = kev,
                              .mitigated_until = NONE};
    struct pl_error err = PL_ERROR_INIT;

    assert_int_equal(pl_store_mx_put_finding(s, &f, &err), PL_OK);
}

static void definitions_at_the_edges(void **state)
{
    struct pl_store *s = open_store();
    struct pl_error err = PL_ERROR_INIT;
    struct pl_mx_asset a = {.name = W("web-01"),
                            .owner = W("web"),
                            .environment = W("prod"),
                            .first_seen = NOW - 90 * DAY,
                            .last_seen = NOW - 7 * DAY,
                            .retired_at = NONE,
                            .managed = true};
    struct pl_report_opts o = {.period = PL_PERIOD_MONTH, .now = NOW};
    pl_time_t due = NOW - 10 * DAY;
    struct pl_report r;
    (void)state;

    assert_int_equal(pl_store_mx_put_asset(s, &a, &err), PL_OK);
    assert_int_equal(pl_store_mx_put_vuln(s, "V1", due - 40 * DAY, due - 41 * DAY, &err), PL_OK);
    put(s, a.id, "V1", 2, PL_MX_FIXED, due - 30 * DAY, due, due, NONE);           /* met */
    put(s, a.id, "V2", 2, PL_MX_FIXED, due - 30 * DAY, due + 1, due, NONE);       /* missed */
    put(s, a.id, "V3", 2, PL_MX_MITIGATED, due - 30 * DAY, due - DAY, due, NONE); /* mitigated */
    put(s, a.id, "V4", 2, PL_MX_ACCEPTED, due - 30 * DAY, due + DAY, due, NONE);  /* missed */
    put(s, a.id, "V5", 2, PL_MX_PACKAGE_REMOVED, due - 30 * DAY, due, due, NONE); /* excluded */
    put(s, a.id, "V6", 2, PL_MX_PACKAGE_REMOVED, due - 30 * DAY, due + 1, due, NONE); /* missed */
    put(s, a.id, "V7", 2, PL_MX_OPEN, due - 30 * DAY, NONE, due, NONE);               /* missed */
    put(s, a.id, "V8", 2, PL_MX_FALSE_POSITIVE, due - 30 * DAY, due, due, NONE);      /* ignored */
    put(s, a.id, "V9", 2, PL_MX_FIXED, due - 30 * DAY, due, NOW - 30 * DAY - 12 * HOUR - 1,
        NONE); /* due 2026-10-31T23:59:59Z: before the month */
    put(s, a.id, "K1", 0, PL_MX_OPEN, NOW - 10 * DAY, NONE, NOW - 9 * DAY, NOW - 7 * DAY);
    put(s, a.id, "K2", 0, PL_MX_OPEN, NOW - 10 * DAY, NONE, NOW - 9 * DAY, NOW - 7 * DAY - 1);
    put(s, a.id, "K3", 0, PL_MX_OPEN, NOW - 3 * DAY, NONE, NOW - 2 * DAY, NOW - 30 * DAY);
    assert_int_equal(pl_report_build(s, &o, &r, &err), PL_OK);
    assert_int_equal(r.from, NOW - 29 * DAY - 12 * HOUR);
    assert_int_equal(r.sla[2].due, 6);
    assert_int_equal(r.sla[2].met, 1);
    assert_int_equal(r.sla[2].mitigated, 1);
    assert_int_equal(r.sla[2].accepted, 0);
    assert_int_equal(r.sla[2].missed, 4);
    assert_int_equal(r.sla[2].excluded, 1);
    assert_true(pl_report_sla_ratio(&r.sla[2]) == 1.0 / 6.0);
    /* V1, V2 and V9 were fixed in the month (V9 due before it) */
    assert_int_equal(r.mttp_tier[2].first_seen.n, 3);
    assert_true(r.mttp_tier[2].first_seen.mean == (double)(90 * DAY + 1) / 3);
    assert_true(r.mttp_tier[2].first_seen.median == 30.0 * DAY);
    assert_true(r.mttp_tier[2].first_seen.p90 == 30.0 * DAY + 1);
    assert_int_equal(r.mttp_tier[2].disclosure.n, 1); /* V2 has no vulnerability row */
    assert_true(r.mttp_tier[2].disclosure.mean == 40.0 * DAY);
    assert_int_equal(r.kev_incidents.total, 1); /* K1 is exactly 7 days old; K3 seen 3 days */
    assert_string_equal(r.kev_incidents.items[0].vuln_id, "K2");
    assert_int_equal(r.kev_incidents.items[0].age, 7 * DAY + 1);
    assert_int_equal(r.assets_managed, 1); /* seen exactly 7 days ago still counts */
    assert_int_equal(r.backlog_open, 4);   /* V7, K1, K2, K3 */
    assert_int_equal(r.backlog_overdue, 4);
    pl_report_release(&r);
    pl_store_close(s);
    unlink(db_path);
}

/* A policy with seven tiers: every rendering shows seven tier rows, named and timed by it. */
static void seven_tiers_from_the_policy(void **state)
{
    static const char yaml[] = "policy: seven\n"
                               "tiers:\n"
                               "  - {tier: 0, name: Now, sla: 12h}\n"
                               "  - {tier: 1, name: Urgent, sla: 3d}\n"
                               "  - {tier: 2, name: Soon, sla: 14d}\n"
                               "  - {tier: 3, name: Planned, sla: 30d}\n"
                               "  - {tier: 4, name: Routine, sla: 60d}\n"
                               "  - {tier: 5, name: Later, sla: 120d}\n"
                               "  - {tier: 6, name: Some.day, sla: 365d}\n"
                               "rules:\n"
                               "  - {name: kev, tier: 0, when: {kev: true}}\n";
    struct pl_store *s = open_store();
    struct pl_error err = PL_ERROR_INIT;
    struct pl_mx_asset a = {.name = W("db-01"),
                            .environment = W("prod"),
                            .first_seen = NOW - 90 * DAY,
                            .last_seen = NOW,
                            .retired_at = NONE,
                            .managed = true};
    struct pl_policy *p = NULL;
    struct pl_report_opts o = {.period = PL_PERIOD_MONTH, .now = NOW};
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_report r;
    (void)state;

    if (pl_policy_parse("seven.yaml", yaml, strlen(yaml), &p, &err) != PL_OK)
        fail_msg("%s", err.msg);
    o.policy = p;
    assert_int_equal(pl_store_mx_put_asset(s, &a, &err), PL_OK);
    put(s, a.id, "V5", 5, PL_MX_OPEN, NOW - 20 * DAY, NONE, NOW + 100 * DAY, NONE);
    put(s, a.id, "V6", 6, PL_MX_FIXED, NOW - 20 * DAY, NOW - DAY, NOW - 2 * DAY, NONE);
    assert_int_equal(pl_report_build(s, &o, &r, &err), PL_OK);
    assert_int_equal(r.n_tiers, 7);
    assert_int_equal(pl_report_n_rows(&r), 9);
    assert_int_equal(pl_report_row(&r, 6), 6);
    assert_int_equal(pl_report_row(&r, 7), PL_ROW_UNSCORED);
    assert_int_equal(pl_report_row(&r, 8), PL_ROW_KEV);
    assert_string_equal(r.policy, "seven");
    assert_string_equal(r.tiers[5].name, "Later");
    assert_int_equal(r.tiers[6].sla, 365 * DAY);
    assert_int_equal(r.backlog_tier[5], 1);
    assert_int_equal(r.sla[6].due, 1);
    assert_int_equal(r.sla[6].missed, 1);
    assert_int_equal(r.mttp_tier[6].first_seen.n, 1);

    assert_int_equal(pl_report_markdown(&r, &b, &err), PL_OK);
    assert_non_null(strstr(pl_buf_cstr(&b), "| Tier 5 Later (120 d) | 0 |"));
    assert_non_null(strstr(pl_buf_cstr(&b), "| Tier 6 Some.day (365 d) | 1 |"));
    assert_non_null(strstr(pl_buf_cstr(&b), "| Now (Tier 0) fixed within 12 h |"));
    assert_non_null(strstr(pl_buf_cstr(&b), "| Tier 5 | 1 |\n"));
    assert_null(strstr(pl_buf_cstr(&b), "Tier 7"));
    pl_buf_reset(&b);
    assert_int_equal(pl_report_html(&r, &b, &err), PL_OK);
    assert_non_null(strstr(pl_buf_cstr(&b), "<tr><td>Tier 6 Some.day (365 d)</td>"));
    pl_buf_reset(&b);
    assert_int_equal(pl_report_json(&r, &b, &err), PL_OK);
    assert_non_null(strstr(pl_buf_cstr(&b), "\"policy\":\"seven\",\"tiers\":[{\"tier\":0,"));
    assert_non_null(
        strstr(pl_buf_cstr(&b), "{\"tier\":6,\"name\":\"Some.day\",\"sla_s\":31536000}]"));
    assert_non_null(strstr(pl_buf_cstr(&b), "{\"row\":\"Tier 6\",\"due\":1,"));
    assert_non_null(strstr(pl_buf_cstr(&b), "\"Tier 5\":1,\"Tier 6\":0,\"Unscored\":0"));
    pl_buf_reset(&b);
    assert_int_equal(pl_report_prometheus(&r, &b, &err), PL_OK);
    assert_non_null(strstr(pl_buf_cstr(&b), "patchline_backlog_open_findings{tier=\"5\"} 1\n"));
    assert_non_null(strstr(pl_buf_cstr(&b), "patchline_sla_due_findings{tier=\"6\"} 1\n"));
    assert_non_null(strstr(pl_buf_cstr(&b),
                           "patchline_tier_sla_seconds{tier=\"6\",name=\"Some.day\","
                           "policy=\"seven\"} 31536000\n"));
    assert_null(strstr(pl_buf_cstr(&b), "tier=\"7\""));
    pl_report_release(&r);

    /* the default policy has five tiers; a finding of tier 5 still gets its row */
    o.policy = NULL;
    assert_int_equal(pl_report_build(s, &o, &r, &err), PL_OK);
    assert_int_equal(r.n_tiers, 7);
    assert_string_equal(r.tiers[4].name, "Low");
    assert_string_equal(r.tiers[5].name, "Tier 5 (not in the policy)");
    assert_int_equal(r.backlog_tier[5], 1);
    pl_report_release(&r);
    pl_buf_release(&b);
    pl_policy_free(p);
    pl_store_close(s);
    unlink(db_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seven_tiers_from_the_policy),
        cmocka_unit_test(periods_are_calendar_aligned),
        cmocka_unit_test(os_release_table),
        cmocka_unit_test(definitions_at_the_edges),
        cmocka_unit_test(history_metrics_match),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
