/*
 * route_agent.c - the agent routes (docs/agent.md). Their bearer is not a
 * user's token: enrolment takes a one-time enrolment token, every other
 * route a host credential, which reaches only the routes of its own host
 * (403 for another). The rules are the fleet module's (fleet.h).
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "patchline/auth.h"
#include "patchline/escape.h"
#include "patchline/fleet.h"

#include "server_int.h"

static const char *agent_bearer(struct srv_req *r)
{
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");

    if (h == NULL || strncmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return *h ? h : NULL;
}

/*
 * The agent routes that write run on the server's one agent handle, one
 * request at a time: writers are serialised by the store anyway, and a
 * handle drops its page cache whenever another handle has committed (WAL),
 * so one handle doing every check-in's writes keeps its cache; the request
 * threads' own handles are left to the reads (docs/agent.md, "Under load").
 * From take to give, r->store is that handle.
 */
static void agent_writer_take(struct srv_req *r)
{
    pthread_mutex_lock(&r->srv->agent_mu);
    r->store = r->srv->agent_store;
}

static void agent_writer_give(struct srv_req *r)
{
    r->store = r->w->store;
    pthread_mutex_unlock(&r->srv->agent_mu);
}

/* Act as "agent:HOST" for what the request records (audit, job actor). */
static void act_as_agent(struct srv_req *r, const char *host)
{
    memset(&r->who, 0, sizeof(r->who));
    r->who.kind = PL_PRINCIPAL_USER;
    if (snprintf(r->who.name, sizeof(r->who.name), "agent:%s", host) < 0)
        r->who.name[0] = '\0';
    snprintf(r->who.os_user, sizeof(r->who.os_user), "%s", "-");
    r->who.by_token = true;
    r->authed = true;
    pl__server_srv_act_as(r);
}

static enum MHD_Result reply_json(struct srv_req *r, pl_status rc, struct pl_buf *b,
                                  const struct pl_error *err)
{
    enum MHD_Result ok = rc == PL_OK ? pl__server_srv_reply(r, 200, "application/json", b)
                                     : pl__server_srv_fail_err(r, err);

    pl_buf_release(b);
    return ok;
}

/*
 * A user's live token on an agent route: 403 (it is not a host's
 * credential); anything else that is not one of ours: 401. True when a
 * reply was sent.
 */
static bool refuse_other(struct srv_req *r, const char *tok, const char *prefix,
                         enum MHD_Result *ok)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_principal p;

    if (strncmp(tok, prefix, 4) == 0 && strlen(tok) == PL_FLEET_TOKEN_LEN)
        return false;
    if (pl__server_srv_authenticate(r, tok, &p, &err) == PL_OK)
        *ok = pl__server_srv_fail(r, PL_E_DENIED,
                                  "'%s' is a user: agent routes take a host's "
                                  "credential",
                                  p.name);
    else
        *ok = pl__server_srv_fail(r, PL_E_AUTH, "%s",
                                  prefix[2] == 'e' ? "unknown, used or expired enrolment "
                                                     "token"
                                                   : "unknown or revoked agent credential");
    return true;
}

/* The host credential of the request, for host parameter 0: PL_OK, else a reply was sent. */
static bool authenticate(struct srv_req *r, struct pl_agent_row *a, enum MHD_Result *ok)
{
    struct pl_error err = PL_ERROR_INIT;
    const char *tok = agent_bearer(r);

    if (tok == NULL) {
        *ok = pl__server_srv_fail(r, PL_E_AUTH,
                                  "this route needs an 'Authorization: Bearer "
                                  "CREDENTIAL' header");
        return false;
    }
    if (refuse_other(r, tok, "pla_", ok))
        return false;
    if (pl_fleet_auth(r->store, tok, a, &err) != PL_OK) {
        *ok = pl__server_srv_fail_err(r, &err);
        return false;
    }
    act_as_agent(r, a->host);
    if (r->n_params < 1 || strcmp(r->params[0], a->host) != 0) {
        *ok = pl__server_srv_fail(r, PL_E_DENIED,
                                  "the credential of host '%s' reaches only "
                                  "its own routes",
                                  a->host);
        pl_agent_row_release(a);
        return false;
    }
    return true;
}

/* {"host": NAME} and nothing else; *tree owns the string. */
static pl_status enrol_body(struct srv_req *r, yajl_val *tree, const char **host,
                            struct pl_error *err)
{
    const char *path[] = {"host", NULL};
    char msg[160];
    yajl_val v;

    *tree = NULL;
    *host = NULL;
    if (r->body.len == 0 || memchr(pl_buf_cstr(&r->body), '\0', r->body.len))
        return pl_error_set(err, PL_E_INVALID, "request body: want {\"host\": NAME}");
    if ((*tree = yajl_tree_parse(pl_buf_cstr(&r->body), msg, sizeof(msg))) == NULL) {
        msg[strcspn(msg, "\r\n")] = '\0';
        return pl_error_set(err, PL_E_INVALID, "request body: malformed JSON: %s", msg);
    }
    if (!YAJL_IS_OBJECT(*tree) || (*tree)->u.object.len != 1 ||
        (v = yajl_tree_get(*tree, path, yajl_t_string)) == NULL)
        return pl_error_set(err, PL_E_INVALID, "request body: want {\"host\": NAME}");
    *host = v->u.string;
    return PL_OK;
}

enum MHD_Result pl__server_srv_route_agent_enroll(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    const char *tok = agent_bearer(r), *host = NULL;
    char cred[PL_FLEET_TOKEN_LEN + 1];
    yajl_val tree = NULL;
    enum MHD_Result ok;
    pl_status rc;

    if (tok == NULL)
        return pl__server_srv_fail(r, PL_E_AUTH,
                                   "enrolment needs 'Authorization: Bearer "
                                   "ENROLMENT-TOKEN'");
    if (refuse_other(r, tok, "ple_", &ok))
        return ok;
    if ((rc = enrol_body(r, &tree, &host, &err)) == PL_OK && !pl_fleet_host_valid(host))
        rc = pl_error_set(&err, PL_E_INVALID, "field 'host': want letters, digits and ._-");
    if (rc == PL_OK) {
        agent_writer_take(r);
        act_as_agent(r, host);
        rc = pl_fleet_enrol(r->store, tok, host, pl_clock_now(), cred, &err);
        agent_writer_give(r);
    }
    if (rc == PL_OK) {
        pl_buf_adds(&b, "{\"host\": \"");
        pl_buf_adds(&b, host); /* checked: letters, digits and ._- */
        pl_buf_addf(&b, "\", \"credential\": \"%s\"}\n", cred);
        memset(cred, 0, sizeof(cred));
    }
    ok = reply_json(r, rc, &b, &err);
    yajl_tree_free(tree);
    return ok;
}

enum MHD_Result pl__server_srv_route_agent_inventory(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_agent_row a;
    char digest[PL_FLEET_DIGEST_HEX_LEN + 1];
    enum MHD_Result ok;
    pl_status rc;

    agent_writer_take(r);
    if (!authenticate(r, &a, &ok)) {
        agent_writer_give(r);
        return ok;
    }
    rc = pl_fleet_inventory_accept(r->store, &a, pl_buf_cstr(&r->body), r->body.len, pl_clock_now(),
                                   digest, &err);
    agent_writer_give(r);
    if (rc == PL_OK)
        pl_buf_addf(&b, "{\"digest\": \"%s\"}\n", digest);
    pl_agent_row_release(&a);
    return reply_json(r, rc, &b, &err);
}

enum MHD_Result pl__server_srv_route_agent_jobs(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_agent_row a;
    enum MHD_Result ok;
    pl_status rc;

    if (!authenticate(r, &a, &ok))
        return ok;
    rc = pl_fleet_jobs_due(r->store, &a, pl_clock_now(), &b, &err);
    pl_agent_row_release(&a);
    return reply_json(r, rc, &b, &err);
}

static enum MHD_Result job_route(struct srv_req *r, bool claim)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_agent_row a;
    enum MHD_Result ok;
    int64_t id = 0;
    pl_status rc;

    agent_writer_take(r);
    if (!authenticate(r, &a, &ok)) {
        agent_writer_give(r);
        return ok;
    }
    if (!pl__server_srv_param_id(r, 1, &id))
        rc = pl_error_set(&err, PL_E_NOTFOUND, "no such job");
    else if (claim)
        rc = pl_fleet_job_claim(r->store, &a, id, pl_clock_now(), &b, &err);
    else
        rc = pl_fleet_job_result(r->store, &a, id, pl_buf_cstr(&r->body), r->body.len,
                                 pl_clock_now(), &b, &err);
    agent_writer_give(r);
    pl_agent_row_release(&a);
    return reply_json(r, rc, &b, &err);
}

enum MHD_Result pl__server_srv_route_agent_claim(struct srv_req *r)
{
    return job_route(r, true);
}

enum MHD_Result pl__server_srv_route_agent_result(struct srv_req *r)
{
    return job_route(r, false);
}

/*
 * POST /api/v1/agents/tokens {"expires": "7d", "tags": ["k=v"...]} (admin):
 * `agent token create`, pl_fleet_token_create as the caller (its own
 * transaction, audited); answers the token once, never logged.
 */
enum MHD_Result pl__server_srv_route_agent_token(struct srv_req *r)
{
    static const char *const names[] = {"expires", "tags"};
    static const yajl_type types[] = {yajl_t_string, yajl_t_array};
    const char *ep[] = {"expires", NULL}, *tp[] = {"tags", NULL};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    const char *tags[32];
    char tok[PL_FLEET_TOKEN_LEN + 1], until[PL_TIME_STR_LEN];
    int64_t life = PL_FLEET_ENROL_DEFAULT, id = 0;
    size_t n_tags = 0;
    enum MHD_Result ok;
    yajl_val o = NULL, e, t;
    pl_status rc;

    if ((rc = pl__server_srv_body_object(r, &o, &err)) == PL_OK)
        rc = pl__server_srv_body_fields(o, names, types, 2, &err);
    e = rc == PL_OK ? yajl_tree_get(o, ep, yajl_t_string) : NULL;
    t = rc == PL_OK ? yajl_tree_get(o, tp, yajl_t_array) : NULL;
    if (rc == PL_OK && e && pl_auth_token_lifetime(YAJL_GET_STRING(e), &life, &err) != PL_OK)
        rc = pl_error_set(&err, PL_E_INVALID, "field 'expires': %s", err.msg);
    for (size_t i = 0; rc == PL_OK && t && i < t->u.array.len; i++) {
        if (!YAJL_IS_STRING(t->u.array.values[i]))
            rc = pl_error_set(&err, PL_E_INVALID, "field 'tags': want strings");
        else if (n_tags == PL_ARRAY_LEN(tags))
            rc = pl_error_set(&err, PL_E_INVALID, "field 'tags': at most 32");
        else
            tags[n_tags++] = YAJL_GET_STRING(t->u.array.values[i]);
    }
    if (rc == PL_OK) {
        pl__server_srv_act_as(r);
        rc = pl_fleet_token_create(r->store, life, tags, n_tags, pl_clock_now(), tok, &id, &err);
        pl__server_srv_act_done(r);
    }
    yajl_tree_free(o);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addf(&b, "{\"id\": %lld, \"expires\": \"%s\", \"token\": \"%s\"}\n", (long long)id,
                pl_time_format(pl_clock_now() + life, until), tok);
    OPENSSL_cleanse(tok, sizeof(tok));
    ok = pl__server_srv_reply(r, 201, "application/json", &b); /* copied by libmicrohttpd */
    if (b.buf)
        OPENSSL_cleanse(b.buf, b.len);
    pl_buf_release(&b);
    return ok;
}

/* POST /api/v1/agents/{host}/revoke (admin): `agent revoke HOST`, pl_fleet_revoke as the caller. */
enum MHD_Result pl__server_srv_route_agent_revoke(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    enum MHD_Result ok;
    pl_status rc;

    pl__server_srv_act_as(r);
    rc = pl_fleet_revoke(r->store, r->params[0], pl_clock_now(), &err);
    pl__server_srv_act_done(r);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_adds(&b, "{\"host\": ");
    pl_escape_json_quoted(&b, r->params[0]);
    pl_buf_adds(&b, ", \"status\": \"revoked\"}\n");
    ok = pl__server_srv_reply(r, 200, "application/json", &b);
    pl_buf_release(&b);
    return ok;
}
