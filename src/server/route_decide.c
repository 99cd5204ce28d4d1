/*
 * route_decide.c - exceptions and plans: the lists, and the sign-offs
 * (POST .../approve) as the request's principal.
 */
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "patchline/auth.h"
#include "patchline/exception.h"
#include "patchline/limits.h"
#include "patchline/plan.h"
#include "patchline/policy.h"

#include "server_int.h"

/*
 * The request body as a JSON object (an empty body is an empty object):
 * *out owns the tree (yajl_tree_free). 400 naming the byte for bad JSON.
 */
static pl_status body_object(struct srv_req *r, yajl_val *out, struct pl_error *err)
{
    char msg[160];
    yajl_val v;

    *out = NULL;
    if (r->body.len == 0)
        return PL_OK;
    if (memchr(pl_buf_cstr(&r->body), '\0', r->body.len))
        return pl_error_set(err, PL_E_INVALID, "request body: holds a NUL byte");
    v = yajl_tree_parse(pl_buf_cstr(&r->body), msg, sizeof(msg));
    if (v == NULL) {
        msg[strcspn(msg, "\r\n")] = '\0';
        return pl_error_set(err, PL_E_INVALID, "request body: malformed JSON: %s", msg);
    }
    if (!YAJL_IS_OBJECT(v)) {
        yajl_tree_free(v);
        return pl_error_set(err, PL_E_INVALID, "request body: want a JSON object");
    }
    /* only the fields a route knows are accepted: a typo is an error, not a default */
    *out = v;
    return PL_OK;
}

/* Check every member of o is one of names[] (n of them) with its JSON type. */
static pl_status body_fields(yajl_val o, const char *const *names, const yajl_type *types, size_t n,
                             struct pl_error *err)
{
    for (size_t i = 0; o && i < o->u.object.len; i++) {
        const char *k = o->u.object.keys[i];
        yajl_val v = o->u.object.values[i];
        size_t j = 0;

        while (j < n && strcmp(names[j], k) != 0)
            j++;
        if (j == n)
            return pl_error_set(err, PL_E_INVALID, "field '%.64s': unknown field", k);
        if (!v)
            return pl_error_set(err, PL_E_INVALID, "field '%.64s': no value", k);
        if (types[j] == yajl_t_true && (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)))
            continue;
        if (v->type != types[j] && !(types[j] == yajl_t_number && YAJL_IS_INTEGER(v)))
            return pl_error_set(err, PL_E_INVALID, "field '%s': want a %s", k,
                                types[j] == yajl_t_string   ? "string"
                                : types[j] == yajl_t_number ? "number"
                                                            : "boolean");
    }
    return PL_OK;
}

pl_status pl__server_srv_body_object(struct srv_req *r, yajl_val *out, struct pl_error *err)
{
    return body_object(r, out, err);
}

pl_status pl__server_srv_body_fields(yajl_val o, const char *const *names, const yajl_type *types,
                                     size_t n, struct pl_error *err)
{
    return body_fields(o, names, types, n, err);
}

enum MHD_Result pl__server_srv_route_exceptions(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_exception_list l = {NULL, 0};
    struct pl_buf b = PL_BUF_INIT(0);
    const char *status = pl__server_srv_query(r, "status");
    const char *expiring = pl__server_srv_query(r, "expiring");
    pl_time_t now = pl_clock_now(), before = 0;
    enum MHD_Result ok;
    int64_t d;
    size_t n = 0;

    if (status && !pl_exception_status_known(status))
        return pl__server_srv_fail(
            r, PL_E_INVALID,
            "query parameter 'status': want pending, active, expired, revoked or "
            "needs-review");
    /* as exception list --expiring: those whose expiry falls before now + the duration */
    if (expiring && pl_duration_parse(expiring, &d, NULL) != PL_OK)
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "query parameter 'expiring': want a duration (14d)");
    if (expiring)
        before = now + d;
    if (pl_store_exception_list(r->store, NULL, before, &l, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addch(&b, '[');
    for (size_t i = 0; i < l.n; i++) {
        struct pl_exception_cells c;

        if (status && strcmp(pl_exception_status_at(&l.items[i], now), status) != 0)
            continue;
        pl_exception_cells(&l.items[i], now, &c);
        pl_buf_adds(&b, n++ ? ",\n  " : "\n  ");
        pl_json_row(&b, pl_exception_col_names, pl_exception_col_types, c.v, PL_EXCEPTION_N_COLS);
    }
    pl_buf_adds(&b, n ? "\n]\n" : "]\n");
    pl_exception_list_release(&l);
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

/* The policy of {"policy": NAME} (a built-in), else the built-in default. */
static pl_status approve_policy(struct srv_req *r, struct pl_policy **p, struct pl_error *err)
{
    static const char *const names[] = {"policy"};
    static const yajl_type types[] = {yajl_t_string};
    const char *path[] = {"policy", NULL};
    yajl_val o, v;
    pl_status rc;

    if ((rc = body_object(r, &o, err)) != PL_OK)
        return rc;
    if ((rc = body_fields(o, names, types, 1, err)) == PL_OK) {
        v = o ? yajl_tree_get(o, path, yajl_t_string) : NULL;
        if ((rc = pl_policy_load_builtin(v ? YAJL_GET_STRING(v) : "default", p, err)) != PL_OK)
            rc = pl_error_set(err, PL_E_INVALID, "field 'policy': not a built-in policy");
    }
    yajl_tree_free(o);
    return rc;
}

pl_status pl__server_srv_exception_to_sign(struct srv_req *r, int64_t id,
                                           struct pl_exception_row *x, struct pl_error *err)
{
    pl_status rc;

    if ((rc = pl_store_exception_get(r->store, id, x, err)) != PL_OK)
        return rc;
    /* a sign-off is another person's: one's own request is refused as a permission (403) */
    if (pl_auth_same_person(&r->who, x->requester)) {
        pl_exception_row_release(x);
        return pl_error_set(err, PL_E_DENIED,
                            "exception %lld was requested by '%s': another person signs it off",
                            (long long)id, r->who.name);
    }
    return PL_OK;
}

/* The exception's row as `exception list` shows it, answered with status (200, 201). */
static enum MHD_Result exception_reply(struct srv_req *r, int status, int64_t id)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_exception_row x;
    struct pl_exception_cells c;
    struct pl_buf b = PL_BUF_INIT(0);
    enum MHD_Result ok;

    if (pl_store_exception_get(r->store, id, &x, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_exception_cells(&x, pl_clock_now(), &c);
    pl_json_row(&b, pl_exception_col_names, pl_exception_col_types, c.v, PL_EXCEPTION_N_COLS);
    pl_buf_addch(&b, '\n');
    pl_exception_row_release(&x);
    ok = pl__server_srv_reply(r, status, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

enum MHD_Result pl__server_srv_route_exception_approve(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *p = NULL;
    struct pl_exception_row x;
    pl_status rc;
    int64_t id;

    if (!pl__server_srv_param_id(r, 0, &id))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "want an exception id (a positive number) in the path");
    if (pl__server_srv_exception_to_sign(r, id, &x, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_exception_row_release(&x);
    if (approve_policy(r, &p, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl__server_srv_act_as(r);
    rc = pl_exception_approve(r->store, p, id, pl_clock_now(), &err);
    pl__server_srv_act_done(r);
    pl_policy_free(p);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    return exception_reply(r, 200, id);
}

/*
 * GET /api/v1/exceptions/{id}: `exception show` as {"exception": {...},
 * "findings": [...]}, the library's cells of both (a read: the status is
 * computed at now, nothing recorded).
 */
enum MHD_Result pl__server_srv_route_exception_show(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_exception_findings fs = {NULL, 0};
    struct pl_exception_show_cells xc;
    struct pl_exception_row x;
    struct pl_buf b = PL_BUF_INIT(0);
    pl_time_t now = pl_clock_now();
    enum MHD_Result ok;
    int64_t id;

    if (!pl__server_srv_param_id(r, 0, &id))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "want an exception id (a positive number) in the path");
    if (pl_store_exception_get(r->store, id, &x, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    if (pl_store_exception_scope(r->store, id, &fs, &err) != PL_OK) {
        pl_exception_row_release(&x);
        return pl__server_srv_fail_err(r, &err);
    }
    pl_exception_show_cells(&x, now, &xc);
    pl_buf_adds(&b, "{\"exception\": ");
    pl_json_row(&b, pl_exception_show_col_names, pl_exception_show_col_types, xc.v,
                PL_EXCEPTION_SHOW_N_COLS);
    pl_buf_adds(&b, ", \"findings\": [");
    for (size_t i = 0; i < fs.n; i++) {
        struct pl_exception_scope_cells c;

        pl_exception_scope_cells(&fs.items[i], id, now, &c);
        pl_buf_adds(&b, i ? ",\n  " : "\n  ");
        pl_json_row(&b, pl_exception_scope_col_names, pl_exception_scope_col_types, c.v,
                    PL_EXCEPTION_SCOPE_N_COLS);
    }
    pl_buf_adds(&b, fs.n ? "\n]}\n" : "]}\n");
    pl_exception_findings_release(&fs);
    pl_exception_row_release(&x);
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

/* The string member key of o, or NULL (its type is checked by body_fields). */
static const char *body_str(yajl_val o, const char *key)
{
    const char *path[] = {key, NULL};
    yajl_val v = o ? yajl_tree_get(o, path, yajl_t_string) : NULL;

    return v ? YAJL_GET_STRING(v) : NULL;
}

/*
 * POST /api/v1/exceptions: the request of `exception add` as a JSON object
 * ({"type", "finding", "cve", "select", "assets": [...], "justification",
 * "expires", "policy"}), stored by pl_exception_add as the caller; 201 with
 * the exception's row.
 */
enum MHD_Result pl__server_srv_route_exception_add(struct srv_req *r)
{
    static const char *const names[] = {"type",   "finding",       "cve",     "select",
                                        "assets", "justification", "expires", "policy"};
    static const yajl_type types[] = {yajl_t_string, yajl_t_number, yajl_t_string, yajl_t_string,
                                      yajl_t_array,  yajl_t_string, yajl_t_string, yajl_t_string};
    const char *fp[] = {"finding", NULL}, *ap[] = {"assets", NULL};
    struct pl_exception_request q = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *p = NULL;
    const char **assets = NULL;
    yajl_val o = NULL, v;
    int64_t id = 0;
    pl_status rc;

    if ((rc = body_object(r, &o, &err)) == PL_OK)
        rc = body_fields(o, names, types, PL_ARRAY_LEN(names), &err);
    if (rc == PL_OK && o == NULL)
        rc = pl_error_set(&err, PL_E_INVALID, "request body: want the exception's fields");
    if (rc == PL_OK && (v = yajl_tree_get(o, fp, yajl_t_number)) != NULL) {
        if (!YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) <= 0)
            rc = pl_error_set(&err, PL_E_INVALID, "field 'finding': want a finding id");
        else
            q.finding_id = YAJL_GET_INTEGER(v);
    }
    if (rc == PL_OK && (v = yajl_tree_get(o, ap, yajl_t_array)) != NULL) {
        if (v->u.array.len > PL_MAX_EXCEPTION_ASSETS)
            rc = pl_error_set(&err, PL_E_INVALID, "field 'assets': more than %d assets",
                              PL_MAX_EXCEPTION_ASSETS);
        assets = pl_xcalloc(v->u.array.len + 1, sizeof(*assets));
        for (size_t i = 0; rc == PL_OK && i < v->u.array.len; i++) {
            if (!YAJL_IS_STRING(v->u.array.values[i]))
                rc = pl_error_set(&err, PL_E_INVALID, "field 'assets': want strings");
            else
                assets[q.n_assets++] = YAJL_GET_STRING(v->u.array.values[i]);
        }
        q.assets = assets;
    }
    if (rc == PL_OK) {
        q.type = body_str(o, "type");
        q.vuln_id = body_str(o, "cve");
        q.selector = body_str(o, "select");
        q.justification = body_str(o, "justification");
        q.expires = body_str(o, "expires");
        if (q.type == NULL)
            rc = pl_error_set(&err, PL_E_INVALID, "field 'type': required");
    }
    if (rc == PL_OK &&
        pl_policy_load_builtin(body_str(o, "policy") ? body_str(o, "policy") : "default", &p,
                               &err) != PL_OK)
        rc = pl_error_set(&err, PL_E_INVALID, "field 'policy': not a built-in policy");
    if (rc == PL_OK) {
        pl__server_srv_act_as(r);
        rc = pl_exception_add(r->store, p, &q, pl_clock_now(), &id, &err);
        pl__server_srv_act_done(r);
    }
    pl_policy_free(p);
    free(assets);
    yajl_tree_free(o);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    return exception_reply(r, 201, id);
}

/* POST /api/v1/exceptions/{id}/revoke {"reason": TEXT}: `exception revoke`; 200 with the row. */
enum MHD_Result pl__server_srv_route_exception_revoke(struct srv_req *r)
{
    static const char *const names[] = {"reason"};
    static const yajl_type types[] = {yajl_t_string};
    struct pl_error err = PL_ERROR_INIT;
    yajl_val o = NULL;
    int64_t id;
    pl_status rc;

    if (!pl__server_srv_param_id(r, 0, &id))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "want an exception id (a positive number) in the path");
    if ((rc = body_object(r, &o, &err)) == PL_OK &&
        (rc = body_fields(o, names, types, 1, &err)) == PL_OK) {
        pl__server_srv_act_as(r);
        rc = pl_exception_revoke(r->store, id, body_str(o, "reason"), pl_clock_now(), &err);
        pl__server_srv_act_done(r);
    }
    yajl_tree_free(o);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    return exception_reply(r, 200, id);
}

static void json_time(struct pl_buf *b, const char *key, pl_time_t t, bool is_null)
{
    char s[PL_TIME_STR_LEN];

    pl_buf_addf(b, ", \"%s\": ", key);
    if (is_null)
        pl_buf_adds(b, "null");
    else
        pl_escape_json_quoted(b, pl_time_format(t, s));
}

static void json_str(struct pl_buf *b, const char *key, const char *v)
{
    pl_buf_addf(b, ", \"%s\": ", key);
    if (v)
        pl_escape_json_quoted(b, v);
    else
        pl_buf_adds(b, "null");
}

static void wave_json(struct pl_buf *b, const struct pl_wave_row *w)
{
    pl_buf_addf(b, "{\"wave\": %d", w->seq);
    json_str(b, "lane", w->lane);
    json_str(b, "environment", w->environment);
    json_str(b, "ring", w->ring_name);
    json_str(b, "window", w->window_name);
    json_time(b, "starts_at", w->starts_at, false);
    json_time(b, "ends_at", w->ends_at, false);
    pl_buf_addf(b, ", \"tier\": %d, \"assets\": %lld, \"findings\": %lld", w->tier,
                (long long)w->n_assets, (long long)w->n_findings);
    json_str(b, "packages", w->packages);
    pl_buf_addf(b, ", \"needs_approval\": %s", w->needs_approval ? "true" : "false");
    json_str(b, "approved_by", w->approved_by);
    json_time(b, "approved_at", w->approved_at, w->approved_by == NULL);
    json_str(b, "sign_off", w->sign_off);
    json_str(b, "signed_off_by", w->signed_off_by);
    json_str(b, "rejected_by", w->rejected_by);
    json_time(b, "rejected_at", w->rejected_at, w->rejected_by == NULL);
    json_str(b, "reason", w->reject_reason);
    pl_buf_adds(b, "}");
}

/* The plan with its waves and their approvals, as JSON; extra (may be NULL): members first. */
static pl_status plan_json(struct pl_store *s, int64_t id, struct pl_buf *b, const char *extra,
                           struct pl_error *err)
{
    struct pl_plan_row p = {0};
    struct pl_wave_row *w = NULL;
    size_t n = 0;
    pl_status rc;

    if ((rc = pl_store_plan_get(s, id, &p, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_wave_list(s, p.id, &w, &n, err)) == PL_OK) {
        pl_buf_addf(b, "{%s\"id\": %lld", extra ? extra : "", (long long)p.id);
        json_time(b, "created_at", p.created_at, false);
        json_str(b, "requester", p.requester);
        pl_buf_addf(b, ", \"findings\": %lld, \"misses\": %lld, \"waves\": [",
                    (long long)p.n_findings, (long long)p.n_misses);
        for (size_t i = 0; i < n; i++) {
            pl_buf_adds(b, i ? ",\n  " : "\n  ");
            wave_json(b, &w[i]);
        }
        pl_buf_adds(b, n ? "\n]}\n" : "]}\n");
        pl_wave_rows_release(w, n);
    }
    pl_plan_row_release(&p);
    return rc;
}

enum MHD_Result pl__server_srv_route_plans(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    enum MHD_Result ok;
    int64_t id;

    if (!pl__server_srv_param_id(r, 0, &id) && strcmp(r->params[0], "latest") != 0)
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "want a plan id (a positive number) or 'latest'");
    if (r->n_params && strcmp(r->params[0], "latest") == 0)
        id = 0;
    if (plan_json(r->store, id, &b, NULL, &err) != PL_OK)
        ok = pl__server_srv_fail_err(r, &err);
    else
        ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}

/*
 * Approve (or sign off after the fact) or, given a reason, reject as the
 * request's principal, in one transaction; *n_waves the waves recorded.
 */
static pl_status plan_decide_as(struct srv_req *r, int64_t id, int wave, enum pl_plan_approval kind,
                                const char *reason, size_t *n_waves, struct pl_error *err)
{
    pl_status rc;

    *n_waves = 0;
    pl__server_srv_act_as(r);
    if ((rc = pl_store_begin(r->store, err)) == PL_OK) {
        rc = reason ? pl_plan_reject(r->store, id, wave, reason, pl_clock_now(), n_waves, err)
                    : pl_plan_approve(r->store, id, wave, kind, pl_clock_now(), n_waves, err);
        if (rc == PL_OK)
            rc = pl_store_commit(r->store, err);
        else
            pl_store_rollback(r->store);
    }
    pl__server_srv_act_done(r);
    return rc;
}

pl_status pl__server_srv_plan_approve(struct srv_req *r, int64_t id, int wave, struct pl_error *err)
{
    size_t n_waves = 0;

    return plan_decide_as(r, id, wave, PL_PLAN_APPROVE, NULL, &n_waves, err);
}

pl_status pl__server_srv_plan_reject(struct srv_req *r, int64_t id, int wave, const char *reason,
                                     size_t *n_waves, struct pl_error *err)
{
    return plan_decide_as(r, id, wave, PL_PLAN_APPROVE, reason, n_waves, err);
}

/* The body's optional "wave" (1, 2, ...) into *wave (0 when absent). */
static pl_status body_wave(yajl_val o, int64_t *wave, struct pl_error *err)
{
    const char *path[] = {"wave", NULL};
    yajl_val v = o ? yajl_tree_get(o, path, yajl_t_number) : NULL;

    *wave = 0;
    if (v == NULL)
        return PL_OK;
    *wave = YAJL_IS_INTEGER(v) ? YAJL_GET_INTEGER(v) : -1;
    if (*wave < 1 || *wave > 100000)
        return pl_error_set(err, PL_E_INVALID, "field 'wave': want a wave number (1, 2, ...)");
    return PL_OK;
}

/*
 * The answer to an approval or rejection: how many waves it recorded (under
 * the key `count`), as whom, then the plan; or the error.
 */
static enum MHD_Result plan_decided_reply(struct srv_req *r, int64_t id, pl_status rc,
                                          const char *count, size_t n_waves, struct pl_error *err)
{
    struct pl_buf b = PL_BUF_INIT(0), extra = PL_BUF_INIT(0);
    enum MHD_Result ok;

    pl_buf_addf(&extra, "\"%s\": %zu, \"as\": ", count, n_waves);
    pl_escape_json_quoted(&extra, r->who.name);
    pl_buf_adds(&extra, ", ");
    if (rc != PL_OK || plan_json(r->store, id, &b, pl_buf_cstr(&extra), err) != PL_OK)
        ok = pl__server_srv_fail_err(r, err);
    else
        ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    pl_buf_release(&extra);
    return ok;
}

enum MHD_Result pl__server_srv_route_plan_approve(struct srv_req *r)
{
    static const char *const names[] = {"wave", "after_the_fact"};
    static const yajl_type types[] = {yajl_t_number, yajl_t_true};
    const char *aft[] = {"after_the_fact", NULL};
    struct pl_error err = PL_ERROR_INIT;
    yajl_val o = NULL;
    int64_t id, wave = 0;
    bool after = false;
    size_t n_waves = 0;
    pl_status rc;

    if (!pl__server_srv_param_id(r, 0, &id))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "want a plan id (a positive number) in the path");
    if ((rc = body_object(r, &o, &err)) == PL_OK &&
        (rc = body_fields(o, names, types, 2, &err)) == PL_OK && o)
        after = YAJL_IS_TRUE(yajl_tree_get(o, aft, yajl_t_any));
    if (rc == PL_OK)
        rc = body_wave(o, &wave, &err);
    yajl_tree_free(o);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    rc = plan_decide_as(r, id, (int)wave, after ? PL_PLAN_AFTER_THE_FACT : PL_PLAN_APPROVE, NULL,
                        &n_waves, &err);
    return plan_decided_reply(r, id, rc, "approved", n_waves, &err);
}

/*
 * POST /api/v1/plans/{id}/reject {"wave": N (optional), "reason": TEXT}:
 * `plan reject`; 200 with {"rejected": N, "as": NAME} and the plan.
 */
enum MHD_Result pl__server_srv_route_plan_reject(struct srv_req *r)
{
    static const char *const names[] = {"wave", "reason"};
    static const yajl_type types[] = {yajl_t_number, yajl_t_string};
    struct pl_error err = PL_ERROR_INIT;
    yajl_val o = NULL;
    int64_t id, wave = 0;
    size_t n_waves = 0;
    pl_status rc;

    if (!pl__server_srv_param_id(r, 0, &id))
        return pl__server_srv_fail(r, PL_E_INVALID,
                                   "want a plan id (a positive number) in the path");
    if ((rc = body_object(r, &o, &err)) == PL_OK &&
        (rc = body_fields(o, names, types, 2, &err)) == PL_OK &&
        (o == NULL || body_str(o, "reason") == NULL))
        rc = pl_error_set(&err, PL_E_INVALID, "field 'reason': required");
    if (rc == PL_OK)
        rc = body_wave(o, &wave, &err);
    if (rc == PL_OK) /* the reason lives in the tree, freed after the call */
        rc = plan_decide_as(r, id, (int)wave, PL_PLAN_APPROVE, body_str(o, "reason"), &n_waves,
                            &err);
    yajl_tree_free(o);
    return plan_decided_reply(r, id, rc, "rejected", n_waves, &err);
}

/*
 * POST /api/v1/soak-waivers {"package", "version", "reason"}: `plan
 * waive-soak`, recorded as the caller in one transaction; 201 with
 * {"package", "version", "by"}.
 */
enum MHD_Result pl__server_srv_route_soak_waive(struct srv_req *r)
{
    static const char *const names[] = {"package", "version", "reason"};
    static const yajl_type types[] = {yajl_t_string, yajl_t_string, yajl_t_string};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    const char *pkg = NULL, *ver = NULL;
    yajl_val o = NULL;
    enum MHD_Result ok;
    pl_status rc;

    if ((rc = body_object(r, &o, &err)) == PL_OK &&
        (rc = body_fields(o, names, types, PL_ARRAY_LEN(names), &err)) == PL_OK) {
        pkg = body_str(o, "package");
        ver = body_str(o, "version");
        if (pkg == NULL || ver == NULL)
            rc = pl_error_set(&err, PL_E_INVALID, "field '%s': required",
                              pkg == NULL ? "package" : "version");
    }
    if (rc == PL_OK && (rc = pl_store_begin(r->store, &err)) == PL_OK) {
        pl__server_srv_act_as(r);
        rc = pl_plan_waive_soak(r->store, pkg, ver, body_str(o, "reason"), &err);
        if (rc == PL_OK)
            rc = pl_store_commit(r->store, &err);
        else
            pl_store_rollback(r->store);
        pl__server_srv_act_done(r);
    }
    if (rc != PL_OK) {
        yajl_tree_free(o);
        return pl__server_srv_fail_err(r, &err);
    }
    pl_buf_adds(&b, "{\"package\": ");
    pl_escape_json_quoted(&b, pkg);
    pl_buf_adds(&b, ", \"version\": ");
    pl_escape_json_quoted(&b, ver);
    pl_buf_adds(&b, ", \"by\": ");
    pl_escape_json_quoted(&b, r->who.name);
    pl_buf_adds(&b, "}\n");
    yajl_tree_free(o);
    ok = pl__server_srv_reply(r, 201, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}
