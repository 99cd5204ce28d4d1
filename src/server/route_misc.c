/*
 * route_misc.c - the routes that read one thing whole: ping, assets, feed
 * status, the report (JSON), /metrics (Prometheus) and the OpenAPI document.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/intel.h"
#include "patchline/match.h"
#include "patchline/parse.h"
#include "patchline/policy.h"
#include "patchline/report.h"
#include "patchline/store_assets.h"
#include "patchline/store_intel.h"

#include "server_int.h"

static enum MHD_Result reply_buf(struct srv_req *r, const char *ctype, struct pl_buf *b)
{
    enum MHD_Result ok = pl__server_srv_reply(r, 200, ctype, b);

    pl_buf_release(b);
    return ok;
}

enum MHD_Result pl__server_srv_route_ping(struct srv_req *r)
{
    struct pl_buf b = PL_BUF_INIT(0);
    char roles[128];

    pl_buf_adds(&b, "{\"principal\": ");
    pl_escape_json_quoted(&b, r->who.name);
    pl_buf_adds(&b, ", \"roles\": ");
    pl_escape_json_quoted(&b, pl_auth_roles_format(r->who.roles, roles, sizeof(roles)));
    pl_buf_adds(&b, "}\n");
    return reply_buf(r, "application/json", &b);
}

enum MHD_Result pl__server_srv_route_openapi(struct srv_req *r)
{
    struct pl_buf b = PL_BUF_INIT(0);

    pl_buf_adds(&b, srv_openapi_json);
    return reply_buf(r, "application/json", &b);
}

static pl_status asset_item(void *ctx, const struct pl_asset_info *x, struct pl_error *err)
{
    struct pl_buf *b = ctx;
    struct pl_asset_cells c;

    (void)err;
    pl_asset_cells(&x->a, &c);
    pl_buf_adds(b, b->len > 1 ? ",\n  " : "\n  ");
    pl_json_row(b, pl_asset_col_names, pl_asset_col_types, c.v, PL_ASSET_N_COLS);
    return PL_OK;
}

static bool query_flag(struct srv_req *r, const char *key, bool *v)
{
    const char *q = pl__server_srv_query(r, key);

    *v = q && strcmp(q, "true") == 0;
    return q == NULL || *v || strcmp(q, "false") == 0;
}

/* The filters of `assets`: unmanaged, conflicts, retired (true/false), stale (days), select. */
enum MHD_Result pl__server_srv_route_assets(struct srv_req *r)
{
    static const char *const flags[] = {"unmanaged", "conflicts", "retired"};
    struct pl_asset_selector sel = {0};
    struct pl_asset_query q = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    const char *stale = pl__server_srv_query(r, "stale"),
               *select = pl__server_srv_query(r, "select");
    bool *to[] = {&q.unmanaged, &q.conflicts, &q.include_retired};
    pl_status rc = PL_OK;

    for (size_t i = 0; i < PL_ARRAY_LEN(flags); i++)
        if (!query_flag(r, flags[i], to[i]))
            return pl__server_srv_fail(r, PL_E_INVALID, "query parameter '%s': want true or false",
                                       flags[i]);
    if (stale && (pl_parse_i64(stale, &q.stale_days, NULL) != PL_OK || q.stale_days < 0))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'stale': want a number of days");
    q.stale = stale != NULL;
    q.now = pl_clock_now();
    if (select && (rc = pl_asset_selector_parse(select, &sel, &err)) == PL_OK)
        q.select = &sel;
    pl_buf_addch(&b, '[');
    if (rc == PL_OK)
        rc = pl_store_asset_each(r->store, &q, asset_item, &b, &err);
    pl_asset_selector_release(&sel);
    if (rc != PL_OK) {
        pl_buf_release(&b);
        return pl__server_srv_fail_err(r, &err);
    }
    pl_buf_adds(&b, b.len > 1 ? "\n]\n" : "]\n");
    return reply_buf(r, "application/json", &b);
}

enum MHD_Result pl__server_srv_route_feeds(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_feed_row *rows = NULL;
    struct pl_buf b = PL_BUF_INIT(0);
    size_t n = 0;

    if (pl_store_feed_latest(r->store, &rows, &n, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addch(&b, '[');
    for (size_t i = 0; i < pl_feed_kind_count(); i++) {
        const char *kind = pl_feed_kind_name(i);
        const struct pl_feed_row *row = NULL;
        struct pl_feed_status_cells c;

        for (size_t k = 0; k < n && row == NULL; k++)
            if (strcmp(rows[k].kind, kind) == 0)
                row = &rows[k];
        pl_feed_status_cells(kind, row, pl_clock_now(), &c);
        pl_buf_adds(&b, i ? ",\n  " : "\n  ");
        pl_json_row(&b, pl_feed_status_col_names, pl_feed_status_col_types, c.v,
                    PL_FEED_STATUS_N_COLS);
    }
    pl_buf_adds(&b, b.len > 1 ? "\n]\n" : "]\n");
    free(rows);
    return reply_buf(r, "application/json", &b);
}

/*
 * The policy of a report: the body (a policy file, YAML, POST) named by
 * 'policy', else the built-in 'policy', else the deciding policy (*own
 * NULL: borrowed from the thread's cache). *own is freed by the caller.
 */
static pl_status report_policy(struct srv_req *r, const struct pl_policy **p,
                               struct pl_policy **own, struct pl_error *err)
{
    const char *name = pl__server_srv_query(r, "policy");
    pl_status rc;

    *own = NULL;
    if (r->body.len) {
        if (memchr(pl_buf_cstr(&r->body), '\0', r->body.len))
            return pl_error_set(err, PL_E_INVALID, "request body: holds a NUL byte");
        rc = pl_policy_parse(name && *name ? name : "request body", pl_buf_cstr(&r->body),
                             r->body.len, own, err);
    } else if (name) {
        rc = pl_policy_load_builtin(name, own, err);
    } else {
        /* the deciding policy, as pl_match_policy_load picks it, parsed once per store generation
         */
        return pl__server_srv_policy(r, p, err);
    }
    *p = *own;
    return rc;
}

/* A time of the query (from, to) into *t; false when it is not one. */
static bool query_time(struct srv_req *r, const char *key, pl_time_t *t, bool *given)
{
    const char *v = pl__server_srv_query(r, key);

    *given = v != NULL;
    return v == NULL || pl_time_parse(v, t, NULL) == PL_OK;
}

/*
 * The report of ?period=month|quarter or ?from=T&to=T (&format=json|md|csv|html,
 * &policy=NAME) under the deciding policy, or the policy named or sent.
 */
static enum MHD_Result report(struct srv_req *r, bool prom)
{
    struct pl_report_opts o = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    const struct pl_policy *policy = NULL;
    struct pl_policy *own = NULL;
    struct pl_report rep;
    const char *period = pl__server_srv_query(r, "period");
    const char *format = prom ? "prometheus" : pl__server_srv_query(r, "format");
    bool from = false, to = false;
    pl_status rc;

    o.period = PL_PERIOD_MONTH;
    o.now = pl_clock_now();
    if (period && strcmp(period, "month") != 0 && strcmp(period, "quarter") != 0)
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'period': want month or quarter");
    if (period && strcmp(period, "quarter") == 0)
        o.period = PL_PERIOD_QUARTER;
    if (!query_time(r, "from", &o.from, &from) || !query_time(r, "to", &o.to, &to))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter '%s': want a time (2026-03-01T00:00:00Z)",
                                   query_time(r, "from", &o.from, &from) ? "to" : "from");
    if (from != to)
        return pl__server_srv_fail(r, PL_E_INVALID, "query parameters 'from' and 'to' go together");
    if (from && o.from >= o.to)
        return pl__server_srv_fail(r, PL_E_INVALID, "query parameter 'from': must be before 'to'");
    if (from)
        o.period = PL_PERIOD_RANGE;
    if (format == NULL)
        format = "json";
    if (!prom && strcmp(format, "json") != 0 && strcmp(format, "md") != 0 &&
        strcmp(format, "csv") != 0 && strcmp(format, "html") != 0)
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'format': want json, md, csv or html");
    if (report_policy(r, &policy, &own, &err) != PL_OK) {
        pl_policy_free(own);
        return pl__server_srv_fail_err(r, &err);
    }
    o.policy = policy;
    rc = pl_report_build(r->store, &o, &rep, &err);
    pl_policy_free(own);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    if (prom)
        rc = pl_report_prometheus(&rep, &b, &err);
    else if (strcmp(format, "md") == 0)
        rc = pl_report_markdown(&rep, &b, &err);
    else if (strcmp(format, "csv") == 0)
        rc = pl_report_csv(&rep, &b, &err);
    else if (strcmp(format, "html") == 0)
        rc = pl_report_html(&rep, &b, &err);
    else
        rc = pl_report_json(&rep, &b, &err);
    pl_report_release(&rep);
    if (rc != PL_OK) {
        pl_buf_release(&b);
        return pl__server_srv_fail_err(r, &err);
    }
    if (prom)
        return reply_buf(r, "text/plain; version=0.0.4; charset=utf-8", &b);
    return reply_buf(r,
                     strcmp(format, "md") == 0     ? "text/markdown; charset=utf-8"
                     : strcmp(format, "csv") == 0  ? "text/csv; charset=utf-8"
                     : strcmp(format, "html") == 0 ? "text/html; charset=utf-8"
                                                   : "application/json",
                     &b);
}

enum MHD_Result pl__server_srv_route_report(struct srv_req *r)
{
    return report(r, false);
}

enum MHD_Result pl__server_srv_route_metrics(struct srv_req *r)
{
    return report(r, true);
}
