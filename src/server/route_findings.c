/*
 * route_findings.c - GET /api/v1/findings (the filters of `patchline
 * findings`, pages by cursor) and GET /api/v1/findings/{id}/explain.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/match.h"
#include "patchline/parse.h"
#include "patchline/policy.h"
#include "patchline/report.h"
#include "patchline/store_findings.h"

#include "server_int.h"

/* A boolean query parameter: absent, "true"/"1" or "false"/"0". */
static pl_status query_bool(struct srv_req *r, const char *key, bool *out, struct pl_error *err)
{
    const char *v = pl__server_srv_query(r, key);

    if (v == NULL)
        return PL_OK;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || v[0] == '\0')
        *out = true;
    else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
        *out = false;
    else
        return pl_error_set(err, PL_E_INVALID, "query parameter '%s': want true or false", key);
    return PL_OK;
}

bool pl__server_srv_cursor_parse(const char *text, int64_t key[3])
{
    const char *p = text;
    char *end;

    for (int i = 0; i < 3; i++) {
        key[i] = strtoll(p, &end, 10);
        if (end == p || *end != (i < 2 ? '.' : '\0'))
            return false;
        p = end + 1;
    }
    return true;
}

void pl__server_srv_cursor_add(struct pl_buf *b, const int64_t key[3])
{
    pl_buf_addf(b, "%" PRId64 ".%" PRId64 ".%" PRId64, key[0], key[1], key[2]);
}

static pl_status parse_tier(struct srv_req *r, const char *text, int *tier, struct pl_error *err)
{
    const struct pl_policy *p;
    pl_status rc;

    /* the deciding policy, as pl_match_tier_parse picks it, parsed once per store generation */
    if ((rc = pl__server_srv_policy(r, &p, err)) != PL_OK)
        return rc;
    rc = pl_policy_tier_parse(p, text, tier, err);
    return rc == PL_OK ? rc : pl_error_prefix(err, "query parameter 'tier'");
}

static pl_status parse_filter(struct srv_req *r, struct pl_finding_filter *f, struct pl_error *err)
{
    const char *v;
    int64_t n;
    pl_status rc = PL_OK;

    if ((v = pl__server_srv_query(r, "tier")) && (rc = parse_tier(r, v, &f->tier, err)) != PL_OK)
        return rc;
    if ((v = pl__server_srv_query(r, "asset")) &&
        (rc = pl_store_asset_resolve(r->store, v, &f->asset_id, err)) != PL_OK)
        return pl_error_prefix(err, "query parameter 'asset'");
    if ((v = pl__server_srv_query(r, "status"))) {
        if (!pl_report_finding_status_known(v))
            return pl_error_set(err, PL_E_INVALID, "query parameter 'status': unknown status");
        f->status = v;
    }
    if ((rc = query_bool(r, "overdue", &f->overdue, err)) != PL_OK ||
        (rc = query_bool(r, "kev", &f->kev, err)) != PL_OK ||
        (rc = query_bool(r, "unscored", &f->unscored, err)) != PL_OK)
        return rc;
    f->limit = PL_SERVER_PAGE_DEFAULT;
    if ((v = pl__server_srv_query(r, "limit"))) {
        if (pl_parse_i64(v, &n, NULL) != PL_OK || n < 1 || n > PL_SERVER_PAGE_MAX)
            return pl_error_set(err, PL_E_INVALID,
                                "query parameter 'limit': want a number from 1 to %d",
                                PL_SERVER_PAGE_MAX);
        f->limit = (size_t)n;
    }
    if ((v = pl__server_srv_query(r, "cursor"))) {
        if (!pl__server_srv_cursor_parse(v, f->after_key))
            return pl_error_set(
                err, PL_E_INVALID,
                "query parameter 'cursor': not a cursor of this API (use 'next' as given)");
        f->after = true;
    }
    return PL_OK;
}

struct page {
    struct pl_buf *b;
    size_t n, limit;
    pl_time_t now;
    int64_t last[3];
    bool more;
};

static pl_status item(void *ctx, const struct pl_finding *f, struct pl_error *err)
{
    struct page *pg = ctx;

    (void)err;
    if (pg->n == pg->limit) { /* the one past the page: there is a next one */
        pg->more = true;
        return PL_OK;
    }
    pl_buf_adds(pg->b, pg->n++ ? ",\n  " : "\n  ");
    pl_report_finding_json(f, pg->now, pg->b);
    pl_finding_sort_key(f, pg->last);
    return PL_OK;
}

enum MHD_Result pl__server_srv_route_findings(struct srv_req *r)
{
    struct pl_finding_filter f = {.tier = -1, .now = pl_clock_now()};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct page pg = {&b, 0, 0, f.now, {0, 0, 0}, false};
    enum MHD_Result ok;

    if (parse_filter(r, &f, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pg.limit = f.limit;
    f.limit++; /* one more, to know whether a next page exists */
    pl_buf_adds(&b, "{\"items\": [");
    if (pl_store_findings_rows_each(r->store, &f, item, &pg, &err) != PL_OK) {
        pl_buf_release(&b);
        return pl__server_srv_fail_err(r, &err);
    }
    pl_buf_adds(&b, pg.n ? "\n], \"next\": " : "], \"next\": ");
    if (pg.more) {
        pl_buf_addch(&b, '"');
        pl__server_srv_cursor_add(&b, pg.last);
        pl_buf_addch(&b, '"');
    } else {
        pl_buf_adds(&b, "null");
    }
    pl_buf_adds(&b, "}\n");
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

enum MHD_Result pl__server_srv_route_explain(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT((size_t)4 * 1024 * 1024);
    struct pl_policy *p = NULL;
    struct pl_product_map *products = NULL;
    const char *pname = pl__server_srv_query(r, "policy"),
               *format = pl__server_srv_query(r, "format");
    enum MHD_Result ok;
    int64_t id;

    if (!pl__server_srv_param_id(r, 0, &id))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "want a finding id (a positive number) in the path");
    if (format == NULL)
        format = "json";
    if (strcmp(format, "json") != 0 && strcmp(format, "text") != 0)
        return pl__server_srv_fail(r, PL_E_INVALID, "query parameter 'format': want json or text");
    /* a what-if policy is one of the built-in ones: the server reads no file a client names */
    if (pname && pl_policy_load_builtin(pname, &p, &err) != PL_OK)
        return pl__server_srv_fail(r, PL_E_INVALID, "query parameter 'policy': %s", err.msg);
    /* the product map of the server's environment, as the CLI's explain reads it */
    if (pl_product_map_load(getenv("PATCHLINE_PRODUCT_MAP"), &products, &err) != PL_OK ||
        pl_match_explain(r->store, p, products, id, pl_clock_now(), format, &b, &err) != PL_OK)
        ok = pl__server_srv_fail_err(r, &err);
    else
        ok = pl__server_srv_reply(
            r, 200, format[0] == 'j' ? "application/json" : "text/plain; charset=utf-8", &b);
    pl_product_map_free(products);
    pl_policy_free(p);
    pl_buf_release(&b);
    return ok;
}
