/*
 * route_scan.c - POST /api/v1/scan: `patchline scan` through the API, as
 * the caller, by the library's pl_scan_run (committed between batches as
 * on the command line). The query carries the options (asset, repeated;
 * policy; fail_on; batch; full); a policy file is the request's body
 * (YAML) named by 'policy' (the client's file name): no path on the
 * server is ever read. The answer holds the scan's counts and the tier
 * names, which the client prints as the local command does.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/match.h"
#include "patchline/parse.h"
#include "patchline/policy.h"

#include "server_int.h"

/* The query's 'asset' values, in order. */
struct scan_assets {
    const char *v[PL_SCAN_MAX_ASSETS];
    size_t n;
    bool too_many;
};

static enum MHD_Result on_asset(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    struct scan_assets *a = cls;

    (void)kind;
    if (strcmp(key, "asset") == 0 && value) {
        if (a->n == PL_SCAN_MAX_ASSETS)
            a->too_many = true;
        else
            a->v[a->n++] = value;
    }
    return MHD_YES;
}

/* The policy of the request: its body (YAML) named by 'policy', else the built-in 'policy'. */
static pl_status scan_policy(struct srv_req *r, struct pl_policy **p, struct pl_error *err)
{
    const char *name = pl__server_srv_query(r, "policy");

    if (r->body.len == 0)
        return pl_policy_load_builtin(name && *name ? name : "default", p, err);
    if (memchr(pl_buf_cstr(&r->body), '\0', r->body.len))
        return pl_error_set(err, PL_E_INVALID, "request body: holds a NUL byte");
    return pl_policy_parse(name && *name ? name : "request body", pl_buf_cstr(&r->body),
                           r->body.len, p, err);
}

static void counts(struct pl_buf *b, const char *key, const struct pl_match_counts *c)
{
    pl_buf_addf(b, ", \"%s\": [", key);
    for (size_t i = 0; i <= PL_MATCH_TIERS; i++)
        pl_buf_addf(b, "%s%llu", i ? ", " : "", (unsigned long long)c->n[i]);
    pl_buf_addch(b, ']');
}

/* The answer: the counts of the scan, its warnings, the policy's tier names and the gate. */
static void scan_json(struct pl_buf *b, const struct pl_scan_result *s, const struct pl_policy *p)
{
    const struct pl_match_summary *m = &s->match;
    const struct pl_exception_apply_summary *x = &s->exceptions;

    pl_buf_adds(b, "{\"tiers\": [");
    for (int t = 0; t < pl_policy_n_tiers(p) && t < PL_MATCH_TIERS; t++) {
        pl_buf_adds(b, t ? ", " : "");
        pl_escape_json_quoted(b, pl_policy_tier_name(p, t));
    }
    pl_buf_addf(
        b,
        "], \"assets\": %llu, \"packages\": %llu, \"skipped\": %llu, \"partial\": %llu, "
        "\"eol_only\": %llu, \"distinct_versions\": %llu, \"rows\": %llu, \"removed\": %llu, \"retired\": "
        "%llu, \"unproven\": %llu, \"provisional\": %llu, \"disputed\": %llu, "
        "\"not_affected\": %llu, \"unassessed\": %llu",
        (unsigned long long)m->assets, (unsigned long long)m->packages,
        (unsigned long long)m->skipped, (unsigned long long)m->partial,
        (unsigned long long)m->eol_only, (unsigned long long)m->distinct_versions,
        (unsigned long long)m->rows, (unsigned long long)m->removed, (unsigned long long)m->retired,
        (unsigned long long)m->unproven, (unsigned long long)m->provisional,
        (unsigned long long)m->disputed, (unsigned long long)m->not_affected,
        (unsigned long long)m->unassessed);
    counts(b, "new", &m->new_);
    counts(b, "still_open", &m->still_open);
    counts(b, "fixed", &m->fixed);
    counts(b, "regressed", &m->regressed);
    counts(b, "open", &m->open);
    pl_buf_addf(b,
                ", \"exceptions\": {\"covered\": %zu, \"released\": %zu, \"expired\": %zu, "
                "\"reviewed\": %zu}, \"warnings\": ",
                x->covered, x->released, x->expired, x->reviewed);
    pl_escape_json_quoted(b, pl_buf_cstr(&m->warnings));
    pl_buf_addf(b, ", \"gate_failed\": %s}\n", s->gate_failed ? "true" : "false");
}

enum MHD_Result pl__server_srv_route_scan(struct srv_req *r)
{
    struct scan_assets *a = calloc(1, sizeof(*a));
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *policy = NULL;
    struct pl_buf b = PL_BUF_INIT(0);
    const char *fail_on = pl__server_srv_query(r, "fail_on"),
               *batch = pl__server_srv_query(r, "batch"), *full = pl__server_srv_query(r, "full");
    struct pl_scan_result res;
    int64_t n_batch = 100;
    int tier = -1;
    enum MHD_Result ok;
    pl_status rc = PL_OK;

    if (a == NULL)
        return pl__server_srv_fail(r, PL_E_NOMEM, "out of memory");
    pl_scan_result_init(&res);
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, on_asset, a);
    if (a->too_many)
        rc = pl_error_set(&err, PL_E_INVALID, "query parameter 'asset': more than %d",
                          PL_SCAN_MAX_ASSETS);
    else if (batch && (pl_parse_i64(batch, &n_batch, NULL) != PL_OK || n_batch < 0))
        rc = pl_error_set(&err, PL_E_INVALID, "query parameter 'batch': want a number of assets");
    else if (full && strcmp(full, "true") != 0 && strcmp(full, "false") != 0)
        rc = pl_error_set(&err, PL_E_INVALID, "query parameter 'full': want true or false");
    if (rc == PL_OK)
        rc = scan_policy(r, &policy, &err);
    if (rc == PL_OK && fail_on && pl_policy_tier_parse(policy, fail_on, &tier, &err) != PL_OK) {
        err.code = PL_E_INVALID;
        rc = pl_error_prefix(&err, "query parameter 'fail_on'");
    }
    if (rc == PL_OK) {
        const struct pl_scan_opts o = {policy,
                                       a->v,
                                       a->n,
                                       pl_clock_now(),
                                       (size_t)n_batch,
                                       getenv("PATCHLINE_PRODUCT_MAP"),
                                       tier,
                                       full && strcmp(full, "true") == 0};

        pl__server_srv_act_as(r);
        if ((rc = pl_store_begin(r->store, &err)) == PL_OK) {
            rc = pl_scan_run(r->store, &o, &res, &err);
            if (rc == PL_OK)
                rc = pl_store_commit(r->store, &err);
            else
                pl_store_rollback(r->store);
        }
        pl__server_srv_act_done(r);
    }
    if (rc == PL_OK) {
        scan_json(&b, &res, policy);
        ok = pl__server_srv_reply(r, 200, "application/json", &b);
    } else {
        ok = pl__server_srv_fail_err(r, &err);
    }
    pl_buf_release(&b);
    pl_scan_result_release(&res);
    pl_policy_free(policy);
    free(a);
    return ok;
}
