/*
 * test_report_account.c - accountability: the report's metrics per owner and
 * per environment. A crafted history with exact expected values (the league
 * order, SLA, MTTP, KEV incidents, exceptions, the most overdue), a generated
 * history recounted here with plain loops, and the renderings (escaping of an
 * owner's name, every format carries the tables).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "patchline/report.h"
#include "patchline/store.h"

#define DAY  ((int64_t)86400)
#define HOUR ((int64_t)3600)
#define NONE PL_MX_NONE

static const pl_time_t NOW = 1796040000; /* 2026-11-30T12:00:00Z: the month from 11-01 */

static char *W(const char *s)
{
    char *p;

    memcpy(&p, &s, sizeof(p));
    return p;
}

static struct pl_mx_asset asset(int64_t id, const char *name, const char *owner, const char *env)
{
    return (struct pl_mx_asset){.id = id,
                                .name = W(name),
                                .owner = W(owner),
                                .environment = W(env),
                                .first_seen = NOW - 200 * DAY,
                                .last_seen = NOW - DAY,
                                .retired_at = NONE,
                                .managed = owner != NULL,
                                .assessed = true};
}

static struct pl_mx_finding finding(int64_t id, int64_t asset_id, const char *env, int tier,
                                    enum pl_mx_status st, pl_time_t first, pl_time_t resolved,
                                    pl_time_t due)
{
    return (struct pl_mx_finding){.id = id,
                                  .asset_id = asset_id,
                                  .asset = W("a"),
                                  .environment = W(env),
                                  .vuln_id = W("CVE-2026-0001"),
                                  .package = W("pkg"),
                                  .status = st,
                                  .tier = tier,
                                  .first_seen = first,
                                  .resolved_at = resolved,
                                  .due_at = due,
                                  .kev_added = NONE,
                                  .mitigated_until = NONE,
                                  .disclosed = NONE};
}

static const struct pl_report_group *group(const struct pl_report_group *g, size_t n,
                                           const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(g[i].name, name) == 0)
            return &g[i];
    static const struct pl_report_group missing;

    fail_msg("no group '%s'", name);
    return &missing; /* not reached: fail_msg ends the test */
}

/*
 * web (prod): two overdue Tier 0 findings (one a KEV incident), one fixed on
 * time in 2 days, one active WAF exception ending in 10 days.
 * data (staging): one overdue Tier 1, one Tier 2 fixed late after 40 days, five
 * overdue Tier 3 (more overdue than web, fewer urgent: web leads the league).
 * nobody (dev): one open Tier 4, not due.
 */
static void crafted_history(void **state)
{
    struct pl_mx_asset a[] = {
        asset(1, "web-01", "web", "prod"),
        asset(2, "db-01", "data", "staging"),
        asset(3, "dev-01", NULL, "dev"),
    };
    struct pl_mx_finding f[16];
    size_t n = 0;
    struct pl_mx_data d;
    struct pl_report_opts o = {.period = PL_PERIOD_MONTH, .now = NOW};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_report r;
    const struct pl_report_group *web, *data, *none, *prod;
    (void)state;

    f[n] = finding(1, 1, "prod", 0, PL_MX_OPEN, NOW - 20 * DAY, NONE, NOW - 19 * DAY);
    f[n++].kev_added = NOW - 20 * DAY; /* KEV, 20 days unpatched: an incident */
    f[n++] = finding(2, 1, "prod", 0, PL_MX_OPEN, NOW - 3 * DAY, NONE, NOW - 2 * DAY);
    f[n++] = finding(3, 1, "prod", 0, PL_MX_FIXED, NOW - 10 * DAY, NOW - 8 * DAY, NOW - 7 * DAY);
    f[n] = finding(4, 1, "prod", 2, PL_MX_MITIGATED, NOW - 40 * DAY, NOW - 30 * DAY, NOW + DAY);
    f[n].mitigated_by = W("waf");
    f[n++].mitigated_until = NOW + 10 * DAY;
    f[n++] = finding(5, 2, "staging", 1, PL_MX_OPEN, NOW - 9 * DAY, NONE, NOW - 2 * DAY);
    f[n++] =
        finding(6, 2, "staging", 2, PL_MX_FIXED, NOW - 50 * DAY, NOW - 10 * DAY, NOW - 20 * DAY);
    for (int i = 0; i < 5; i++)
        f[n++] = finding(7 + i, 2, "staging", 3, PL_MX_OPEN, NOW - 100 * DAY, NONE,
                         NOW - (10 - i) * DAY);
    f[n++] = finding(12, 3, "dev", 4, PL_MX_OPEN, NOW - 5 * DAY, NONE, NOW + 175 * DAY);
    d = (struct pl_mx_data){.findings = f, .n_findings = n, .assets = a, .n_assets = 3};

    assert_int_equal(pl_report_compute(&d, &o, &r, &err), PL_OK);
    assert_int_equal(r.owners_total, 3);
    assert_int_equal(r.n_owners, 3);
    /* the league: web (2 urgent overdue), data (1 urgent, 6 overdue), nobody */
    assert_string_equal(r.owners[0].name, "web");
    assert_string_equal(r.owners[1].name, "data");
    assert_string_equal(r.owners[2].name, PL_REPORT_NO_OWNER);
    web = &r.owners[0], data = &r.owners[1], none = &r.owners[2];

    assert_int_equal(web->assets, 1);
    assert_int_equal(web->managed, 1);
    assert_int_equal(web->open_total, 2);
    assert_int_equal(web->open[0], 2);
    assert_int_equal(web->overdue, 2);
    assert_int_equal(web->overdue_urgent, 2);
    assert_int_equal(web->kev_incidents, 1);
    assert_int_equal(web->exceptions, 1);
    assert_int_equal(web->exc_expiring, 1);
    /* due in November: #1, #2 (open: missed), #3 (met) */
    assert_int_equal(web->sla[0].due, 3);
    assert_int_equal(web->sla[0].met, 1);
    assert_int_equal(web->sla[PL_ROW_KEV].due, 1);
    assert_int_equal(web->sla[PL_ROW_KEV].met, 0);
    assert_int_equal(web->mttp.n, 1);
    assert_true(web->mttp.mean == 2.0 * DAY);
    assert_int_equal(web->overdue_items.total, 2);
    assert_int_equal(web->overdue_items.items[0].age, 19 * DAY); /* the longest overdue first */
    assert_string_equal(web->overdue_items.items[0].owner, "web");

    assert_int_equal(data->overdue, 6);
    assert_int_equal(data->overdue_urgent, 1);
    assert_int_equal(data->overdue_tier[3], 5);
    assert_int_equal(data->sla[2].due, 1);
    assert_int_equal(data->sla[2].missed, 1);
    assert_int_equal(data->mttp.n, 1);
    assert_true(data->mttp.mean == 40.0 * DAY);
    assert_int_equal(data->kev_incidents, 0);
    assert_int_equal(data->exceptions, 0);

    assert_int_equal(none->assets, 1);
    assert_int_equal(none->managed, 0);
    assert_int_equal(none->open[4], 1);
    assert_int_equal(none->overdue, 0);

    /* environments: all four, in league order; prod first */
    assert_int_equal(r.n_envs, 4);
    assert_string_equal(r.envs[0].name, "prod");
    prod = group(r.envs, r.n_envs, "prod");
    assert_int_equal(prod->overdue_urgent, 2);
    assert_int_equal(group(r.envs, r.n_envs, "staging")->overdue, 6);
    assert_int_equal(group(r.envs, r.n_envs, "unknown")->assets, 0);
    /* the report's overdue listing names the owner; nobody's findings have none */
    assert_int_equal(r.overdue.total, 8);
    for (size_t i = 0; i < r.overdue.n; i++)
        assert_non_null(r.overdue.items[i].owner);
    pl_report_release(&r);
}

/* ---- a generated history, recounted with plain loops -------------------- */

#define G_ASSETS 40
#define G_FIND   1500

static uint32_t seed = 777;

static uint32_t rnd(uint32_t n)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
}

static void generated_history(void **state)
{
    static const char *const owners[] = {"web", "data", "platform", "payments", NULL};
    static const char *const envs[] = {"prod", "staging", "dev"};
    static const int64_t sla[] = {1, 7, 30, 90, 180};
    static struct pl_mx_asset a[G_ASSETS];
    static struct pl_mx_finding f[G_FIND];
    static char names[G_ASSETS][16];
    struct pl_mx_data d;
    struct pl_report_opts o = {.period = PL_PERIOD_QUARTER, .now = NOW};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_report r;
    (void)state;

    for (int i = 0; i < G_ASSETS; i++) {
        snprintf(names[i], sizeof(names[i]), "h%02d", i);
        a[i] = asset(i + 1, names[i], owners[rnd(5)], envs[rnd(3)]);
        if (rnd(10) == 0)
            a[i].retired_at = NOW - (int64_t)rnd(60) * DAY;
    }
    for (int i = 0; i < G_FIND; i++) {
        int as = (int)rnd(G_ASSETS), tier = (int)rnd(5);
        pl_time_t first = NOW - (int64_t)rnd(150 * DAY);
        uint32_t o2 = rnd(10);

        f[i] = finding(i + 1, as + 1, a[as].environment, tier, PL_MX_OPEN, first, NONE,
                       first + sla[tier] * DAY);
        if (o2 < 4 && first + 3 * DAY < NOW)
            f[i].status = PL_MX_FIXED,
            f[i].resolved_at = first + (int64_t)rnd((uint32_t)(NOW - first));
        else if (o2 == 4)
            f[i].status = PL_MX_ACCEPTED, f[i].resolved_at = first,
            f[i].mitigated_until = first + (int64_t)rnd(120) * DAY;
        if (rnd(7) == 0)
            f[i].kev_added = first - DAY + (int64_t)rnd(20) * DAY;
    }
    d = (struct pl_mx_data){.findings = f, .n_findings = G_FIND, .assets = a, .n_assets = G_ASSETS};
    assert_int_equal(pl_report_compute(&d, &o, &r, &err), PL_OK);
    assert_int_equal(r.owners_total, 5);
    for (size_t g = 0; g < r.n_owners; g++) {
        const struct pl_report_group *x = &r.owners[g];
        int64_t open = 0, over = 0, urgent = 0, kev = 0, exc = 0, due0 = 0, met0 = 0, fixes = 0;

        if (g > 0) /* league order */
            assert_true(r.owners[g - 1].overdue_urgent >= x->overdue_urgent);
        for (int i = 0; i < G_FIND; i++) {
            const struct pl_mx_asset *as = &a[f[i].asset_id - 1];
            const char *ow = as->owner ? as->owner : PL_REPORT_NO_OWNER;
            bool is_open = f[i].resolved_at == NONE || f[i].resolved_at > r.to;
            pl_time_t start = f[i].kev_added > f[i].first_seen ? f[i].kev_added : f[i].first_seen;

            if (strcmp(ow, x->name) != 0)
                continue;
            if (is_open) {
                open++;
                over += f[i].due_at < r.to;
                urgent += f[i].due_at < r.to && f[i].tier <= 1;
                kev += f[i].kev_added != NONE && f[i].kev_added <= r.to && r.to - start > 7 * DAY;
            }
            exc += f[i].status == PL_MX_ACCEPTED && f[i].mitigated_until > r.to;
            if (f[i].tier == 0 && f[i].due_at >= r.from && f[i].due_at < r.to) {
                due0++;
                met0 += f[i].status == PL_MX_FIXED && f[i].resolved_at <= f[i].due_at;
            }
            fixes += f[i].status == PL_MX_FIXED && f[i].resolved_at >= r.from;
        }
        assert_int_equal(x->open_total, open);
        assert_int_equal(x->overdue, over);
        assert_int_equal(x->overdue_urgent, urgent);
        assert_int_equal(x->kev_incidents, kev);
        assert_int_equal(x->exceptions, exc);
        assert_int_equal(x->sla[0].due, due0);
        assert_int_equal(x->sla[0].met, met0);
        assert_int_equal(x->mttp.n, fixes);
        assert_int_equal(x->overdue_items.total, over);
    }
    {
        int64_t sum = 0;

        for (size_t g = 0; g < r.n_envs; g++)
            sum += r.envs[g].open_total;
        assert_int_equal(sum, r.backlog_open); /* every open finding has one environment */
        sum = 0;
        for (size_t g = 0; g < r.n_owners; g++)
            sum += r.owners[g].overdue;
        assert_int_equal(sum, r.backlog_overdue);
    }
    pl_report_release(&r);
}

/* Every rendering carries the tables; an owner's name is escaped for each. */
static void renderings(void **state)
{
    struct pl_mx_asset a[] = {asset(1, "web-01", "<b>ops|team</b>\"", "prod")};
    struct pl_mx_finding f[] = {
        finding(1, 1, "prod", 0, PL_MX_OPEN, NOW - 20 * DAY, NONE, NOW - 19 * DAY)};
    struct pl_mx_data d = {.findings = f, .n_findings = 1, .assets = a, .n_assets = 1};
    struct pl_report_opts o = {.period = PL_PERIOD_MONTH, .now = NOW};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_report r;
    (void)state;

    assert_int_equal(pl_report_compute(&d, &o, &r, &err), PL_OK);
    assert_int_equal(pl_report_html(&r, &b, &err), PL_OK);
    assert_non_null(strstr(pl_buf_cstr(&b), "League table by owner"));
    assert_non_null(strstr(pl_buf_cstr(&b), "&lt;b&gt;ops|team&lt;/b&gt;&quot;"));
    assert_null(strstr(pl_buf_cstr(&b), "<b>ops"));
    assert_non_null(strstr(pl_buf_cstr(&b), "<section class=\"group\" id=\"owner-0\">"));
    pl_buf_reset(&b);
    assert_int_equal(pl_report_markdown(&r, &b, &err), PL_OK);
    assert_non_null(strstr(pl_buf_cstr(&b), "### League table by owner"));
    assert_non_null(strstr(pl_buf_cstr(&b), "&lt;b&gt;ops\\|team&lt;/b&gt;"));
    pl_buf_reset(&b);
    assert_int_equal(pl_report_json(&r, &b, &err), PL_OK);
    assert_non_null(strstr(pl_buf_cstr(&b), "\"accountability\":{\"owners_total\":1,"
                                            "\"owners\":[{\"name\":\"<b>ops|team</b>\\\"\","));
    assert_non_null(strstr(pl_buf_cstr(&b), "\"overdue_tier0_1\":1"));
    pl_buf_reset(&b);
    assert_int_equal(pl_report_csv(&r, &b, &err), PL_OK);
    assert_non_null(strstr(pl_buf_cstr(&b), "owner,overdue_tier0_1,\"<b>ops|team</b>\"\"\",1"));
    pl_buf_release(&b);
    pl_report_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crafted_history),
        cmocka_unit_test(generated_history),
        cmocka_unit_test(renderings),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
