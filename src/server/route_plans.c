/*
 * route_plans.c - plans through the API as `plan` does on the command line:
 * build one (POST /api/v1/plans), the forecast (POST /api/v1/plans/forecast),
 * a plan's waves and one wave's findings. The plan file, when the client
 * names one, is the request's body (YAML), parsed by pl_plan_config_parse;
 * no path on the server is ever read. The rows are the library's cells
 * (pl_wave_cells, pl_forecast_cells), which the CLI renders too.
 */
#include <string.h>

#include "patchline/escape.h"
#include "patchline/handoff.h"
#include "patchline/parse.h"
#include "patchline/plan.h"

#include "server_int.h"

/* The rows' JSON array: "[\n  {...},\n  {...}\n]". */
static void rows_open(struct pl_buf *b, size_t i)
{
    pl_buf_adds(b, i ? ",\n  " : "\n  ");
}

static void rows_close(struct pl_buf *b, size_t n)
{
    pl_buf_adds(b, n ? "\n]" : "]");
}

/*
 * The plan of the request: its body (YAML) named by the query's 'plan'
 * (the client's file name, used in messages and recorded as the plan's
 * source), else the built-in plan.
 */
static pl_status plan_config(struct srv_req *r, struct pl_plan_config **c, struct pl_error *err)
{
    const char *name = pl__server_srv_query(r, "plan");

    if (r->body.len == 0) {
        if (name)
            return pl_error_set(err, PL_E_INVALID,
                                "query parameter 'plan': names a plan file but the body is empty");
        return pl_plan_config_load(NULL, c, err);
    }
    if (memchr(pl_buf_cstr(&r->body), '\0', r->body.len))
        return pl_error_set(err, PL_E_INVALID, "request body: holds a NUL byte");
    return pl_plan_config_parse(name && *name ? name : "request body", pl_buf_cstr(&r->body),
                                r->body.len, c, err);
}

enum MHD_Result pl__server_srv_route_plan_create(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_config *c = NULL;
    struct pl_plan_result res = {0};
    struct pl_plan_row p = {0};
    struct pl_buf b = PL_BUF_INIT(0);
    const char *h = pl__server_srv_query(r, "horizon");
    int64_t horizon = (int64_t)30 * 86400, id = 0;
    enum MHD_Result ok;
    pl_status rc;

    if (h && (pl_parse_i64(h, &horizon, NULL) != PL_OK || horizon <= 0 ||
              horizon > (int64_t)PL_PLAN_SEARCH_DAYS * 86400))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'horizon': want seconds, up to %d days",
                                   PL_PLAN_SEARCH_DAYS);
    if (plan_config(r, &c, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl__server_srv_act_as(r);
    if ((rc = pl_store_begin(r->store, &err)) == PL_OK) {
        rc = pl_plan_build(r->store, c, pl_clock_now(), horizon, &id, &res, &err);
        if (rc == PL_OK)
            rc = pl_store_plan_get(r->store, id, &p, &err);
        if (rc == PL_OK)
            rc = pl_store_commit(r->store, &err);
        else
            pl_store_rollback(r->store);
    }
    pl__server_srv_act_done(r);
    pl_plan_config_free(c);
    if (rc != PL_OK) {
        pl_plan_result_release(&res);
        pl_plan_row_release(&p);
        return pl__server_srv_fail_err(r, &err);
    }
    pl_buf_addf(&b,
                "{\"id\": %lld, \"waves\": %lld, \"findings\": %lld, \"horizon\": %lld, "
                "\"misses\": %zu, \"open\": %zu}\n",
                (long long)id, (long long)p.n_waves, (long long)p.n_findings, (long long)horizon,
                res.n_misses, res.n_slots);
    pl_plan_result_release(&res);
    pl_plan_row_release(&p);
    ok = pl__server_srv_reply(r, 201, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

enum MHD_Result pl__server_srv_route_plan_forecast(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_config *c = NULL;
    struct pl_plan_forecast f;
    struct pl_buf b = PL_BUF_INIT(0);
    enum MHD_Result ok;
    size_t n = 0;

    if (plan_config(r, &c, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    if (pl_plan_forecast(r->store, c, pl_clock_now(), &f, &err) != PL_OK) {
        pl_plan_config_free(c);
        return pl__server_srv_fail_err(r, &err);
    }
    pl_plan_config_free(c);
    pl_buf_adds(&b, "{\"items\": [");
    for (size_t i = 0; i < f.r.n_slots; i++) {
        struct pl_forecast_cells cells;

        if (!f.r.slots[i].miss)
            continue;
        pl_forecast_cells(&f, i, &cells);
        rows_open(&b, n++);
        pl_json_row(&b, pl_forecast_col_names, pl_forecast_col_types, cells.v, PL_FORECAST_N_COLS);
    }
    rows_close(&b, n);
    pl_buf_addf(&b, ", \"misses\": %zu, \"open\": %zu}\n", f.r.n_misses, f.r.n_slots);
    pl_plan_forecast_release(&f);
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

/* The plan of route parameter 0 (an id or "latest") into *p. */
static pl_status plan_of(struct srv_req *r, struct pl_plan_row *p, struct pl_error *err)
{
    int64_t id = 0;

    if (!pl__server_srv_param_id(r, 0, &id) && strcmp(r->params[0], "latest") != 0)
        return pl_error_set(err, PL_E_INVALID, "want a plan id (a positive number) or 'latest'");
    return pl_store_plan_get(r->store, id, p, err);
}

static void member_str(struct pl_buf *b, const char *key, const char *v)
{
    pl_buf_addf(b, ", \"%s\": ", key);
    pl_escape_json_quoted(b, v ? v : "");
}

enum MHD_Result pl__server_srv_route_plan_waves(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_row p = {0};
    struct pl_wave_row *w = NULL;
    struct pl_buf b = PL_BUF_INIT(0);
    char at[PL_TIME_STR_LEN];
    enum MHD_Result ok;
    size_t n = 0;

    if (plan_of(r, &p, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    if (pl_store_wave_list(r->store, p.id, &w, &n, &err) != PL_OK) {
        pl_plan_row_release(&p);
        return pl__server_srv_fail_err(r, &err);
    }
    pl_buf_addf(&b, "{\"plan\": {\"id\": %lld", (long long)p.id);
    member_str(&b, "created_at", pl_time_format(p.created_at, at));
    member_str(&b, "requester", p.requester);
    member_str(&b, "source", p.source);
    pl_buf_addf(&b, ", \"horizon\": %lld, \"findings\": %lld, \"misses\": %lld},\n\"waves\": [",
                (long long)p.horizon_secs, (long long)p.n_findings, (long long)p.n_misses);
    for (size_t i = 0; i < n; i++) {
        struct pl_wave_cells c;

        pl_wave_cells(&w[i], &c);
        rows_open(&b, i);
        pl_json_row(&b, pl_wave_col_names, pl_wave_col_types, c.v, PL_WAVE_N_COLS);
    }
    rows_close(&b, n);
    pl_buf_adds(&b, "}\n");
    pl_wave_rows_release(w, n);
    pl_plan_row_release(&p);
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

enum MHD_Result pl__server_srv_route_plan_wave(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_row p = {0};
    struct pl_wave_item_row *it = NULL;
    struct pl_buf b = PL_BUF_INIT(0);
    enum MHD_Result ok;
    int64_t seq;
    size_t n = 0;
    pl_status rc;

    if (!pl__server_srv_param_id(r, 1, &seq) || seq > 1000000)
        return pl__server_srv_fail(r, PL_E_INVALID, "want a wave number (1, 2, ...) in the path");
    if (plan_of(r, &p, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    rc = pl_plan_wave_items(r->store, p.id, (int)seq, &it, &n, &err);
    pl_plan_row_release(&p);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addch(&b, '[');
    for (size_t i = 0; i < n; i++) {
        struct pl_wave_item_cells c;

        pl_wave_item_cells(&it[i], &c);
        rows_open(&b, i);
        pl_json_row(&b, pl_wave_item_col_names, pl_wave_item_col_types, c.v, PL_WAVE_ITEM_N_COLS);
    }
    rows_close(&b, n);
    pl_buf_addch(&b, '\n');
    pl_wave_item_rows_release(it, n);
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

/*
 * GET /api/v1/plans/{id}/handoff (the built-in plan file), or POST with the
 * plan file as the body named by 'plan': what `handoff --rollout ID`
 * hands off, the stored plan with the release gate's holds at the server's
 * time (pl_handoff_plan_stored), as the JSON plan file `handoff --plan-json`
 * reads (pl_handoff_plan_json). A read, as plan show is: any role, every
 * wave, in one read transaction; the client writes the artefacts.
 */
enum MHD_Result pl__server_srv_route_plan_handoff(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_plan_config *c = NULL;
    struct pl_handoff_plan *p = NULL;
    struct pl_buf b = PL_BUF_INIT(0);
    bool own_read = !r->reading;
    enum MHD_Result ok;
    int64_t id = 0;
    pl_status rc;

    if (!pl__server_srv_param_id(r, 0, &id) && strcmp(r->params[0], "latest") != 0)
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "want a plan id (a positive number) or 'latest'");
    if (strcmp(r->method, "GET") == 0 && pl__server_srv_query(r, "plan"))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'plan': a plan file is POSTed as the body");
    if (plan_config(r, &c, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    rc = own_read ? pl_store_read_begin(r->store, &err) : PL_OK;
    if (rc == PL_OK) {
        rc = pl_handoff_plan_stored(r->store, id, c, pl_clock_now(), &p, &err);
        if (own_read)
            pl_store_read_end(r->store);
    }
    pl_plan_config_free(c);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_handoff_plan_json(p, &b);
    pl_handoff_plan_free(p);
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}
