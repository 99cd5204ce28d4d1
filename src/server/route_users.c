/*
 * route_users.c - users and tokens through the API, as `user` and `token`
 * do on the command line: the lists (the library's cells, which the CLI
 * renders too) and the changes, each one transaction of the library's call
 * as the caller (the library checks the role admin again and audits).
 */
#include <openssl/crypto.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/escape.h"
#include "patchline/parse.h"
#include "patchline/store_auth.h"

#include "server_int.h"

/* The member key of o as a string (NULL when absent). */
static const char *json_str(yajl_val o, const char *key)
{
    const char *path[] = {key, NULL};
    yajl_val v = o ? yajl_tree_get(o, path, yajl_t_string) : NULL;

    return v ? YAJL_GET_STRING(v) : NULL;
}

static enum MHD_Result reply(struct srv_req *r, int status, struct pl_buf *b)
{
    enum MHD_Result ok = pl__server_srv_reply(r, status, "application/json", b);

    pl_buf_release(b);
    return ok;
}

/* Run fn(r, ctx) in a transaction as the caller. */
static pl_status in_tx(struct srv_req *r,
                       pl_status (*fn)(struct srv_req *, void *, struct pl_error *), void *ctx,
                       struct pl_error *err)
{
    pl_status rc;

    pl__server_srv_act_as(r);
    if ((rc = pl_store_begin(r->store, err)) == PL_OK) {
        rc = fn(r, ctx, err);
        if (rc == PL_OK)
            rc = pl_store_commit(r->store, err);
        else
            pl_store_rollback(r->store);
    }
    pl__server_srv_act_done(r);
    return rc;
}

enum MHD_Result pl__server_srv_route_users(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_user_row *rows = NULL;
    struct pl_buf b = PL_BUF_INIT(0);
    size_t n = 0;

    if (pl_store_user_list(r->store, pl_clock_now(), &rows, &n, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addch(&b, '[');
    for (size_t i = 0; i < n; i++) {
        struct pl_user_cells c;

        pl_user_cells(&rows[i], &c);
        pl_buf_adds(&b, i ? ",\n  " : "\n  ");
        pl_json_row(&b, pl_user_col_names, pl_user_col_types, c.v, PL_USER_N_COLS);
    }
    pl_buf_adds(&b, n ? "\n]\n" : "]\n");
    pl_user_rows_release(rows, n);
    return reply(r, 200, &b);
}

enum MHD_Result pl__server_srv_route_tokens(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_token_row *rows = NULL;
    struct pl_buf b = PL_BUF_INIT(0);
    pl_time_t now = pl_clock_now();
    size_t n = 0;

    if (pl_store_token_list(r->store, &rows, &n, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addch(&b, '[');
    for (size_t i = 0; i < n; i++) {
        struct pl_token_cells c;

        pl_token_cells(&rows[i], now, &c);
        pl_buf_adds(&b, i ? ",\n  " : "\n  ");
        pl_json_row(&b, pl_token_col_names, pl_token_col_types, c.v, PL_TOKEN_N_COLS);
    }
    pl_buf_adds(&b, n ? "\n]\n" : "]\n");
    pl_token_rows_release(rows, n);
    return reply(r, 200, &b);
}

/* The roles of the array a (role names) into *roles; PL_E_INVALID naming the field. */
static pl_status roles_of(yajl_val a, unsigned *roles, struct pl_error *err)
{
    unsigned one;

    *roles = 0;
    for (size_t i = 0; a && i < a->u.array.len; i++) {
        if (!YAJL_IS_STRING(a->u.array.values[i]))
            return pl_error_set(err, PL_E_INVALID, "field 'roles': want an array of role names");
        if (pl_auth_role_parse(YAJL_GET_STRING(a->u.array.values[i]), &one, err) != PL_OK)
            return pl_error_prefix(err, "field 'roles'");
        *roles |= one;
    }
    if (*roles == 0)
        return pl_error_set(err, PL_E_INVALID, "field 'roles': at least one role");
    return PL_OK;
}

struct user_add {
    struct pl_user_spec u;
    const char *scopes[PL_AUTH_SCOPES_MAX];
    char scope_text[PL_AUTH_SCOPES_MAX][PL_AUTH_NAME_MAX];
    int64_t id;
};

static pl_status do_user_add(struct srv_req *r, void *ctx, struct pl_error *err)
{
    struct user_add *a = ctx;

    return pl_store_user_add(r->store, &a->u, pl_clock_now(), &a->id, err);
}

/* POST /api/v1/users {"name", "roles": [...], "scopes": ["owner=X"...], "os_user"}. */
enum MHD_Result pl__server_srv_route_user_add(struct srv_req *r)
{
    static const char *const names[] = {"name", "roles", "scopes", "os_user"};
    static const yajl_type types[] = {yajl_t_string, yajl_t_array, yajl_t_array, yajl_t_string};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct user_add a;
    yajl_val o = NULL, sc;
    char roles[96];
    pl_status rc;

    memset(&a, 0, sizeof(a));
    if ((rc = pl__server_srv_body_object(r, &o, &err)) == PL_OK)
        rc = pl__server_srv_body_fields(o, names, types, 4, &err);
    if (rc == PL_OK && (a.u.name = json_str(o, "name")) == NULL)
        rc = pl_error_set(&err, PL_E_INVALID, "field 'name': the user's name is needed");
    if (rc == PL_OK) {
        const char *rp[] = {"roles", NULL};

        rc = roles_of(yajl_tree_get(o, rp, yajl_t_array), &a.u.roles, &err);
    }
    if (rc == PL_OK) {
        const char *sp[] = {"scopes", NULL};

        sc = yajl_tree_get(o, sp, yajl_t_array);
        for (size_t i = 0; sc && i < sc->u.array.len && rc == PL_OK; i++) {
            yajl_val x = sc->u.array.values[i];

            if (i == PL_AUTH_SCOPES_MAX)
                rc = pl_error_set(&err, PL_E_INVALID, "field 'scopes': at most %d",
                                  PL_AUTH_SCOPES_MAX);
            else if (!YAJL_IS_STRING(x))
                rc = pl_error_set(&err, PL_E_INVALID, "field 'scopes': want an array of strings");
            else if (pl_auth_scope_parse(YAJL_GET_STRING(x), a.scope_text[i], &err) != PL_OK)
                rc = pl_error_prefix(&err, "field 'scopes'");
            else
                a.scopes[a.u.n_scopes++] = a.scope_text[i];
        }
        a.u.scopes = a.scopes;
        a.u.os_user = json_str(o, "os_user");
    }
    if (rc == PL_OK)
        rc = in_tx(r, do_user_add, &a, &err);
    if (rc != PL_OK) {
        yajl_tree_free(o);
        return pl__server_srv_fail_err(r, &err);
    }
    pl_buf_addf(&b, "{\"id\": %lld, \"name\": ", (long long)a.id);
    pl_escape_json_quoted(&b, a.u.name);
    pl_buf_adds(&b, ", \"roles\": ");
    pl_escape_json_quoted(&b, pl_auth_roles_format(a.u.roles, roles, sizeof(roles)));
    pl_buf_addf(&b, ", \"scoped\": %s, \"os_user\": ", a.u.n_scopes ? "true" : "false");
    if (a.u.os_user)
        pl_escape_json_quoted(&b, a.u.os_user);
    else
        pl_buf_adds(&b, "null");
    pl_buf_adds(&b, "}\n");
    yajl_tree_free(o);
    return reply(r, 201, &b);
}

static pl_status do_user_disable(struct srv_req *r, void *ctx, struct pl_error *err)
{
    (void)ctx;
    return pl_store_user_disable(r->store, r->params[0], pl_clock_now(), err);
}

enum MHD_Result pl__server_srv_route_user_disable(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);

    if (in_tx(r, do_user_disable, NULL, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_adds(&b, "{\"name\": ");
    pl_escape_json_quoted(&b, r->params[0]);
    pl_buf_adds(&b, ", \"status\": \"disabled\"}\n");
    return reply(r, 200, &b);
}

static pl_status do_user_roles(struct srv_req *r, void *ctx, struct pl_error *err)
{
    return pl_store_user_roles(r->store, r->params[0], *(unsigned *)ctx, err);
}

/* POST /api/v1/users/{name}/roles {"roles": [...]}: the roles replace the user's. */
enum MHD_Result pl__server_srv_route_user_roles(struct srv_req *r)
{
    static const char *const names[] = {"roles"};
    static const yajl_type types[] = {yajl_t_array};
    const char *rp[] = {"roles", NULL};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    unsigned roles = 0;
    yajl_val o = NULL;
    char text[96];
    pl_status rc;

    if ((rc = pl__server_srv_body_object(r, &o, &err)) == PL_OK)
        rc = pl__server_srv_body_fields(o, names, types, 1, &err);
    if (rc == PL_OK)
        rc = roles_of(o ? yajl_tree_get(o, rp, yajl_t_array) : NULL, &roles, &err);
    yajl_tree_free(o);
    if (rc == PL_OK)
        rc = in_tx(r, do_user_roles, &roles, &err);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_adds(&b, "{\"name\": ");
    pl_escape_json_quoted(&b, r->params[0]);
    pl_buf_adds(&b, ", \"roles\": ");
    pl_escape_json_quoted(&b, pl_auth_roles_format(roles, text, sizeof(text)));
    pl_buf_adds(&b, "}\n");
    return reply(r, 200, &b);
}

struct token_create {
    const char *user;
    int64_t life, id;
    char tok[PL_TOKEN_LEN + 1];
};

static pl_status do_token_create(struct srv_req *r, void *ctx, struct pl_error *err)
{
    struct token_create *t = ctx;

    return pl_store_token_create(r->store, t->user, t->life, pl_clock_now(), t->tok, &t->id, err);
}

/*
 * POST /api/v1/tokens {"user", "expires"}: 201 with the token, the only
 * time it leaves the store's process (the store keeps its hash; the log
 * never has a body).
 */
enum MHD_Result pl__server_srv_route_token_create(struct srv_req *r)
{
    static const char *const names[] = {"user", "expires"};
    static const yajl_type types[] = {yajl_t_string, yajl_t_string};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct token_create t;
    char until[PL_TIME_STR_LEN];
    enum MHD_Result ok;
    yajl_val o = NULL;
    pl_status rc;

    memset(&t, 0, sizeof(t));
    if ((rc = pl__server_srv_body_object(r, &o, &err)) == PL_OK)
        rc = pl__server_srv_body_fields(o, names, types, 2, &err);
    if (rc == PL_OK && (t.user = json_str(o, "user")) == NULL)
        rc = pl_error_set(&err, PL_E_INVALID, "field 'user': the token's user is needed");
    if (rc == PL_OK && pl_auth_token_lifetime(json_str(o, "expires"), &t.life, &err) != PL_OK)
        rc = pl_error_prefix(&err, "field 'expires'");
    if (rc == PL_OK)
        rc = in_tx(r, do_token_create, &t, &err);
    if (rc != PL_OK) {
        yajl_tree_free(o);
        return pl__server_srv_fail_err(r, &err);
    }
    pl_buf_addf(&b, "{\"id\": %lld, \"user\": ", (long long)t.id);
    pl_escape_json_quoted(&b, t.user);
    pl_buf_addf(&b, ", \"expires\": \"%s\", \"token\": \"%s\"}\n",
                pl_time_format(pl_clock_now() + t.life, until), t.tok);
    yajl_tree_free(o);
    OPENSSL_cleanse(t.tok, sizeof(t.tok));
    ok = pl__server_srv_reply(r, 201, "application/json", &b); /* copied by libmicrohttpd */
    if (b.buf)
        OPENSSL_cleanse(b.buf, b.len);
    pl_buf_release(&b);
    return ok;
}

static pl_status do_token_revoke(struct srv_req *r, void *ctx, struct pl_error *err)
{
    return pl_store_token_revoke(r->store, *(int64_t *)ctx, pl_clock_now(), err);
}

enum MHD_Result pl__server_srv_route_token_revoke(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    int64_t id;

    if (!pl__server_srv_param_id(r, 0, &id))
        return pl__server_srv_fail(r, PL_E_NOTFOUND, "no token with this id");
    if (in_tx(r, do_token_revoke, &id, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addf(&b, "{\"id\": %lld, \"status\": \"revoked\"}\n", (long long)id);
    return reply(r, 200, &b);
}
