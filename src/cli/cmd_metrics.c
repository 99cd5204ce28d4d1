/*
 * cmd_metrics.c - `patchline metrics`: the report's numbers for monitoring
 * (Prometheus text format), for tools (JSON) or at a glance (table).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "patchline/match.h"
#include "patchline/policy.h"
#include "patchline/report.h"

#include "cli_int.h"

static const char metrics_usage[] =
    "usage: patchline metrics [--period month|quarter] [--from TIME --to TIME]\n"
    "                         [--policy NAME|FILE] [--format table|json|prometheus]\n"
    "Print the metrics of the period ending at --now (see docs/metrics.md).\n";

static const struct pl_col metric_cols[] = {
    {"metric", PL_COL_TEXT},
    {"key", PL_COL_TEXT},
    {"value", PL_COL_TEXT},
};

static void row(struct pl_table *t, const char *metric, const char *key, const char *fmt, ...)
    PL_PRINTF(4, 5);

static void row(struct pl_table *t, const char *metric, const char *key, const char *fmt, ...)
{
    struct pl_buf b = PL_BUF_INIT(0);
    va_list ap;

    va_start(ap, fmt);
    pl_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    pl__cli_table_cell(t, metric);
    pl__cli_table_cell(t, key);
    pl__cli_table_cell(t, pl_buf_cstr(&b));
    pl_buf_release(&b);
}

static int render_table(const struct pl_report *r)
{
    struct pl_table t;
    char p[16], key[16];
    int rc;

    pl__cli_table_init(&t, metric_cols, PL_ARRAY_LEN(metric_cols));
    for (int k = 0; k < pl_report_n_rows(r); k++) {
        int i = pl_report_row(r, k);

        if (i < PL_ROW_UNSCORED)
            snprintf(key, sizeof(key), "tier%d", i);
        else
            snprintf(key, sizeof(key), "%s", i == PL_ROW_UNSCORED ? "unscored" : "kev");
        row(&t, "sla_compliance", key, "%s (%lld/%lld)",
            pl_report_sla_ratio(&r->sla[i]) < 0
                ? "n/a"
                : (snprintf(p, sizeof(p), "%.1f%%", pl_report_sla_ratio(&r->sla[i]) * 100), p),
            (long long)r->sla[i].met, (long long)r->sla[i].due);
    }
    row(&t, "coverage", "managed/known", "%lld/%lld", (long long)r->assets_managed,
        (long long)r->assets_known);
    row(&t, "backlog", "open", "%lld", (long long)r->backlog_open);
    row(&t, "backlog", "overdue", "%lld", (long long)r->backlog_overdue);
    row(&t, "kev_incidents", "", "%lld", (long long)r->kev_incidents.total);
    row(&t, "exposure_days", "", "%.1f", r->exposure_days_total);
    for (size_t i = 0; i < r->n_exceptions; i++)
        row(&t, "exceptions_active", r->exceptions[i].name, "%lld",
            (long long)r->exceptions[i].real);
    for (size_t i = 0; i < r->n_unmanaged; i++)
        row(&t, "unmanaged_asset", r->unmanaged[i].asset, "%s",
            r->unmanaged[i].environment ? r->unmanaged[i].environment : "");
    rc = pl__cli_table_render(&t, "table", stdout);
    pl__cli_table_release(&t);
    return rc;
}

int pl__cli_cmd_metrics(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_report_opts o = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    const char *fmt = pl__cli_format(cli);
    struct pl_policy *policy = NULL;
    struct pl_report r;
    const char *pname;
    pl_status rc = PL_OK;
    int x;

    if ((x = pl__cli_report_opts(argc, argv, metrics_usage, &o, NULL, &pname)) != PL_EXIT_OK)
        return x < 0 ? PL_EXIT_OK : x;
    if (pl_match_policy_load(cli->store, pname, &policy, &err) != PL_OK)
        return pl__cli_fail(cli, "metrics", &err);
    o.policy = policy;
    rc = pl_report_build(cli->store, &o, &r, &err);
    pl_policy_free(policy);
    if (rc != PL_OK)
        return pl__cli_fail(cli, "metrics", &err);
    if (strcmp(fmt, "table") == 0) {
        x = render_table(&r);
        pl_report_release(&r);
        return x;
    }
    rc = strcmp(fmt, "json") == 0 ? pl_report_json(&r, &b, &err)
                                  : pl_report_prometheus(&r, &b, &err);
    pl_report_release(&r);
    if (rc != PL_OK)
        x = pl__cli_fail(cli, "metrics", &err);
    else if (fwrite(pl_buf_cstr(&b), 1, b.len, stdout) != b.len)
        x = PL_EXIT_ERROR;
    pl_buf_release(&b);
    return x;
}
