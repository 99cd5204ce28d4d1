/*
 * route_notify.c - webhooks, the agents' listings and the inventory export
 * through the API, as `notify add|list|remove|deliver`, `agent list`,
 * `agent jobs` and `inventory export` do on the command line: the same
 * library calls as the caller (the library checks the role again and
 * audits), each listing row the library's cells (the CLI renders the same).
 * A webhook's secret comes in the body as hex and never leaves it: not in
 * a listing, a log or an answer.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/escape.h"
#include "patchline/fleet.h"
#include "patchline/notify.h"
#include "patchline/store_assets.h"

#include "server_int.h"

static enum MHD_Result reply(struct srv_req *r, int status, struct pl_buf *b)
{
    enum MHD_Result ok = pl__server_srv_reply(r, status, "application/json", b);

    pl_buf_release(b);
    return ok;
}

static void row(struct pl_buf *b, const char *const *names, const enum pl_cell_type *types,
                const char *const *v, size_t n)
{
    pl_buf_adds(b, b->len > 1 ? ",\n  " : "\n  ");
    pl_json_row(b, names, types, v, n);
}

static enum MHD_Result reply_list(struct srv_req *r, struct pl_buf *b)
{
    pl_buf_adds(b, b->len > 1 ? "\n]\n" : "]\n");
    return reply(r, 200, b);
}

/* The member key of o as a string (NULL when absent). */
static const char *json_str(yajl_val o, const char *key)
{
    const char *path[] = {key, NULL};
    yajl_val v = o ? yajl_tree_get(o, path, yajl_t_string) : NULL;

    return v ? YAJL_GET_STRING(v) : NULL;
}

/* GET /api/v1/notifiers (admin): `notify list`, pl_notify_list; never a secret. */
enum MHD_Result pl__server_srv_route_notifiers(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_notifier_row *rows = NULL;
    struct pl_buf b = PL_BUF_INIT(0);
    size_t n = 0;

    if (pl_notify_list(r->store, &rows, &n, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addch(&b, '[');
    for (size_t i = 0; i < n; i++) {
        struct pl_notifier_cells c;

        pl_notifier_cells(&rows[i], &c);
        row(&b, pl_notifier_col_names, pl_notifier_col_types, c.v, PL_NOTIFIER_N_COLS);
    }
    pl_notifier_rows_release(rows, n);
    return reply_list(r, &b);
}

/* The notifier of the body {"url", "secret_hex", "events", "expiring_days"} into a. */
static pl_status add_body(yajl_val o, struct pl_notify_add *a, uint8_t *secret, size_t cap,
                          struct pl_error *err)
{
    static const char *const names[] = {"url", "secret_hex", "events", "expiring_days"};
    static const yajl_type types[] = {yajl_t_string, yajl_t_string, yajl_t_string, yajl_t_number};
    const char *dp[] = {"expiring_days", NULL};
    const char *hex, *events;
    yajl_val d;
    pl_status rc;

    if ((rc = pl__server_srv_body_fields(o, names, types, PL_ARRAY_LEN(names), err)) != PL_OK)
        return rc;
    a->url = json_str(o, "url");
    hex = json_str(o, "secret_hex");
    events = json_str(o, "events");
    d = o ? yajl_tree_get(o, dp, yajl_t_number) : NULL;
    if (a->url == NULL || *a->url == '\0')
        return pl_error_set(err, PL_E_INVALID, "field 'url': the webhook's URL is needed");
    if (hex == NULL || strlen(hex) % 2 != 0 || strlen(hex) / 2 > cap ||
        !pl_auth_unhex(hex, secret, strlen(hex) / 2))
        return pl_error_set(err, PL_E_INVALID,
                            "field 'secret_hex': want the secret (%d to %d bytes) in hex",
                            PL_NOTIFY_SECRET_MIN, PL_NOTIFY_SECRET_MAX);
    a->secret = secret;
    a->secret_len = strlen(hex) / 2;
    if (events && pl_notify_events_parse(events, &a->events, err) != PL_OK)
        return pl_error_prefix(err, "field 'events'");
    if (d && (!YAJL_IS_INTEGER(d) || YAJL_GET_INTEGER(d) < 1 || YAJL_GET_INTEGER(d) > 365))
        return pl_error_set(err, PL_E_INVALID, "field 'expiring_days': want 1 to 365");
    a->expiring_days = d ? (int)YAJL_GET_INTEGER(d) : 0;
    return PL_OK;
}

/* Overwrite the strings of the tree o (a secret in it) before it is freed. */
static void cleanse_tree(yajl_val o)
{
    for (size_t i = 0; o && YAJL_IS_OBJECT(o) && i < o->u.object.len; i++)
        if (YAJL_IS_STRING(o->u.object.values[i]))
            OPENSSL_cleanse(o->u.object.values[i]->u.string,
                            strlen(o->u.object.values[i]->u.string));
}

/* POST /api/v1/notifiers (admin): `notify add`, pl_notify_add as the caller, one transaction. */
enum MHD_Result pl__server_srv_route_notifier_add(struct srv_req *r)
{
    uint8_t secret[PL_NOTIFY_SECRET_MAX + 2];
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_notify_add a = {0};
    char names[96];
    yajl_val o = NULL;
    int64_t id = 0;
    pl_status rc;

    if ((rc = pl__server_srv_body_object(r, &o, &err)) == PL_OK)
        rc = add_body(o, &a, secret, sizeof(secret), &err);
    if (rc == PL_OK) {
        pl__server_srv_act_as(r);
        if ((rc = pl_store_begin(r->store, &err)) == PL_OK) {
            rc = pl_notify_add(r->store, &a, pl_clock_now(), &id, &err);
            if (rc == PL_OK)
                rc = pl_store_commit(r->store, &err);
            else
                pl_store_rollback(r->store);
        }
        pl__server_srv_act_done(r);
    }
    OPENSSL_cleanse(secret, sizeof(secret));
    cleanse_tree(o);
    yajl_tree_free(o);
    if (r->body.buf)
        OPENSSL_cleanse(r->body.buf, r->body.len);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addf(
        &b, "{\"id\": %lld, \"events\": \"%s\"}\n", (long long)id,
        pl_notify_events_format(a.events ? a.events : PL_NOTIFY_EV_ALL, names, sizeof(names)));
    return reply(r, 201, &b);
}

/* POST /api/v1/notifiers/{id}/remove (admin): `notify remove ID`, one transaction. */
enum MHD_Result pl__server_srv_route_notifier_remove(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    int64_t id = 0;
    pl_status rc;

    if (!pl__server_srv_param_id(r, 0, &id))
        return pl__server_srv_fail(r, PL_E_INVALID, "path: want a notifier id (a number)");
    pl__server_srv_act_as(r);
    if ((rc = pl_store_begin(r->store, &err)) == PL_OK) {
        rc = pl_notify_remove(r->store, id, pl_clock_now(), &err);
        if (rc == PL_OK)
            rc = pl_store_commit(r->store, &err);
        else
            pl_store_rollback(r->store);
    }
    pl__server_srv_act_done(r);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addf(&b, "{\"id\": %lld, \"status\": \"removed\"}\n", (long long)id);
    return reply(r, 200, &b);
}

/*
 * POST /api/v1/notifiers/deliver (operator): `notify deliver`, from the
 * server (which holds the outbox and the key that opens the secrets), as
 * the caller; body {"max": N} or none.
 */
enum MHD_Result pl__server_srv_route_notify_deliver(struct srv_req *r)
{
    static const char *const names[] = {"max"};
    static const yajl_type types[] = {yajl_t_number};
    const char *mp[] = {"max", NULL};
    struct pl_notify_deliver_opts opts = {.now = pl_clock_now()};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_notify_summary sum;
    yajl_val o = NULL, m;
    pl_status rc;

    if ((rc = pl__server_srv_body_object(r, &o, &err)) == PL_OK)
        rc = pl__server_srv_body_fields(o, names, types, 1, &err);
    m = o ? yajl_tree_get(o, mp, yajl_t_number) : NULL;
    if (rc == PL_OK && m &&
        (!YAJL_IS_INTEGER(m) || YAJL_GET_INTEGER(m) < 1 || YAJL_GET_INTEGER(m) > 10000))
        rc = pl_error_set(&err, PL_E_INVALID, "field 'max': want 1 to 10000");
    if (m && rc == PL_OK)
        opts.max = (size_t)YAJL_GET_INTEGER(m);
    yajl_tree_free(o);
    if (rc == PL_OK) {
        pl__server_srv_act_as(r);
        rc = pl_notify_deliver(r->store, &opts, &sum, &err);
        pl__server_srv_act_done(r);
    }
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addf(&b,
                "{\"enqueued\": %lld, \"delivered\": %lld, \"retrying\": %lld, \"dead\": %lld}\n",
                (long long)sum.enqueued, (long long)sum.delivered, (long long)sum.retrying,
                (long long)sum.dead);
    return reply(r, 200, &b);
}

/* GET /api/v1/agents (admin): `agent list`, pl_fleet_list. */
enum MHD_Result pl__server_srv_route_agents(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_agent_row *rows = NULL;
    struct pl_buf b = PL_BUF_INIT(0);
    size_t n = 0;

    if (pl_fleet_list(r->store, &rows, &n, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addch(&b, '[');
    for (size_t i = 0; i < n; i++) {
        struct pl_agent_cells c;

        pl_agent_cells(&rows[i], &c);
        row(&b, pl_agent_col_names, pl_agent_col_types, c.v, PL_AGENT_N_COLS);
    }
    pl_agent_rows_release(rows, n);
    return reply_list(r, &b);
}

/* GET /api/v1/agents/jobs (admin): `agent jobs`, pl_fleet_jobs. */
enum MHD_Result pl__server_srv_route_agents_jobs(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_agent_job *jobs = NULL;
    struct pl_buf b = PL_BUF_INIT(0);
    size_t n = 0;

    if (pl_fleet_jobs(r->store, &jobs, &n, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addch(&b, '[');
    for (size_t i = 0; i < n; i++) {
        struct pl_agent_job_cells c;

        pl_agent_job_cells(&jobs[i], &c);
        row(&b, pl_agent_job_col_names, pl_agent_job_col_types, c.v, PL_AGENT_JOB_N_COLS);
        pl_agent_job_cells_release(&c);
    }
    pl_agent_jobs_release(jobs, n);
    return reply_list(r, &b);
}

struct export
{
    struct pl_store *s;
    struct pl_buf *b;
};

static pl_status export_row(void *ctx, const struct pl_asset_info *x, struct pl_error *err)
{
    struct export *e = ctx;
    struct pl_asset_export_cells c;
    pl_status rc;

    if ((rc = pl_asset_export_cells(e->s, x, &c, err)) == PL_OK)
        row(e->b, pl_asset_export_col_names, pl_asset_export_col_types, c.v,
            PL_ASSET_EXPORT_N_COLS);
    pl_asset_export_cells_release(&c);
    return rc;
}

/* GET /api/v1/inventory/export[?select=SEL]: `inventory export`, pl_asset_export_cells. */
enum MHD_Result pl__server_srv_route_inventory_export(struct srv_req *r)
{
    struct pl_asset_selector sel = {0};
    struct pl_asset_query q = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct export e = {r->store, &b};
    const char *select = pl__server_srv_query(r, "select");
    pl_status rc = PL_OK;

    if (select && (rc = pl_asset_selector_parse(select, &sel, &err)) != PL_OK)
        return pl__server_srv_fail(r, err.code, "query parameter 'select': %s", err.msg);
    q.select = select ? &sel : NULL;
    q.now = pl_clock_now();
    pl_buf_addch(&b, '[');
    rc = pl_store_asset_each(r->store, &q, export_row, &e, &err);
    pl_asset_selector_release(&sel);
    if (rc != PL_OK) {
        pl_buf_release(&b);
        return pl__server_srv_fail_err(r, &err);
    }
    return reply_list(r, &b);
}
