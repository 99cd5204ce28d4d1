/*
 * routes.c - the route table (every route of the API, each with what it
 * asks of its caller), matching, and the bearer token check in front of
 * every handler. docs/openapi.json lists the same routes; a test holds the
 * two together.
 */
#include <string.h>

#include "patchline/log.h"
#include "patchline/parse.h"
#include "patchline/store_auth.h"

#include "server_int.h"

const struct srv_route srv_routes[] = {
    {"GET", "/api/v1/ping", SRV_READ, pl__server_srv_route_ping,
     "no-op: the caller's name and roles"},
    {"GET", "/api/v1/findings", SRV_READ, pl__server_srv_route_findings,
     "findings, most urgent first"},
    {"GET", "/api/v1/findings/{id}/explain", SRV_READ, pl__server_srv_route_explain,
     "why a finding has its tier"},
    {"GET", "/api/v1/assets", SRV_READ, pl__server_srv_route_assets, "the assets"},
    {"GET", "/api/v1/assets/show", SRV_READ, pl__server_srv_route_asset_show,
     "one asset: its facts, attributes and sources (assets show)"},
    {"POST", "/api/v1/assets/set", SRV_OPERATE, pl__server_srv_route_asset_curate,
     "set, pin or unpin an asset's attributes and tags (assets set)"},
    {"POST", "/api/v1/assets/retire", SRV_OPERATE, pl__server_srv_route_asset_curate,
     "retire an asset (assets retire)"},
    {"POST", "/api/v1/assets/merge", SRV_OPERATE, pl__server_srv_route_asset_curate,
     "merge another asset's sources into an asset (assets merge)"},
    {"POST", "/api/v1/assets/split", SRV_OPERATE, pl__server_srv_route_asset_curate,
     "split a source's observations off an asset (assets split)"},
    {"POST", "/api/v1/assets/livepatch", SRV_OPERATE, pl__server_srv_route_asset_livepatch,
     "record the kernel fixes a live patch applied (the report is the body)"},
    {"POST", "/api/v1/assets/precedence", SRV_OPERATE, pl__server_srv_route_asset_precedence,
     "load a precedence file (the body) or the default; every asset resolved again"},
    {"GET", "/api/v1/audit", SRV_ADMIN, pl__server_srv_route_audit,
     "the last audit events (audit [--limit N])"},
    {"GET", "/api/v1/audit/verify", SRV_READ, pl__server_srv_route_audit_verify,
     "check the audit chain against its key (audit verify)"},
    {"GET", "/api/v1/audit/export", SRV_ADMIN, pl__server_srv_route_audit_export,
     "every audit event as JSON lines, then the chain's head (audit export)"},
    {"GET", "/api/v1/packages", SRV_READ, pl__server_srv_route_packages,
     "the installed packages of one asset (packages ASSET)"},
    {"GET", "/api/v1/software", SRV_READ, pl__server_srv_route_software,
     "the third-party software of the assets, or the names no rule maps (software)"},
    {"GET", "/api/v1/vulns/{id}", SRV_READ, pl__server_srv_route_vuln,
     "everything the feeds say of one vulnerability (vuln ID)"},
    {"GET", "/api/v1/feeds", SRV_READ, pl__server_srv_route_feeds,
     "the last import of every feed kind"},
    {"GET", "/api/v1/exceptions", SRV_READ, pl__server_srv_route_exceptions, "exceptions"},
    {"POST", "/api/v1/exceptions", SRV_OPERATE, pl__server_srv_route_exception_add,
     "request an exception (pending until another user signs it off)"},
    {"GET", "/api/v1/exceptions/{id}", SRV_READ, pl__server_srv_route_exception_show,
     "an exception and the findings in its scope"},
    {"POST", "/api/v1/exceptions/{id}/approve", SRV_APPROVE_EXCEPTION,
     pl__server_srv_route_exception_approve, "sign off a pending exception"},
    {"POST", "/api/v1/exceptions/{id}/revoke", SRV_OPERATE, pl__server_srv_route_exception_revoke,
     "revoke an exception; its findings are back on their clocks"},
    {"GET", "/api/v1/plans/{id}", SRV_READ, pl__server_srv_route_plans,
     "a plan (or 'latest') with its waves and their approvals"},
    {"POST", "/api/v1/plans/{id}/approve", SRV_APPROVE_PLAN, pl__server_srv_route_plan_approve,
     "approve a plan (or one wave)"},
    {"POST", "/api/v1/plans/{id}/reject", SRV_APPROVE_PLAN, pl__server_srv_route_plan_reject,
     "reject a plan's waiting waves (or one wave), with a reason"},
    {"POST", "/api/v1/plans", SRV_OPERATE, pl__server_srv_route_plan_create,
     "build and store a plan (the plan file, if any, is the body)"},
    {"POST", "/api/v1/plans/forecast", SRV_READ, pl__server_srv_route_plan_forecast,
     "the findings that will miss their due date (nothing stored)"},
    {"GET", "/api/v1/plans/{id}/waves", SRV_READ, pl__server_srv_route_plan_waves,
     "a plan (or 'latest') and its waves, as plan show"},
    {"GET", "/api/v1/plans/{id}/waves/{wave}", SRV_READ, pl__server_srv_route_plan_wave,
     "the findings of one wave, as plan show --wave"},
    {"GET", "/api/v1/plans/{id}/handoff", SRV_READ, pl__server_srv_route_plan_handoff,
     "what handoff --rollout hands off: the plan with its holds, as a JSON plan file"},
    {"POST", "/api/v1/plans/{id}/handoff", SRV_READ, pl__server_srv_route_plan_handoff,
     "the same under a plan file (the body); nothing stored"},
    {"POST", "/api/v1/plans/{id}/handoff/results", SRV_OPERATE,
     pl__server_srv_route_handoff_results,
     "import a tool's results for a handed-off wave (the file is the body)"},
    {"POST", "/api/v1/soak-waivers", SRV_OPERATE, pl__server_srv_route_soak_waive,
     "waive the staging soak of a package version (plan waive-soak)"},
    {"GET", "/api/v1/jobs", SRV_READ, pl__server_srv_route_jobs, "apply and rollback jobs"},
    {"GET", "/api/v1/jobs/{id}", SRV_READ, pl__server_srv_route_job, "one job with its log"},
    {"POST", "/api/v1/feeds/import", SRV_OPERATE, pl__server_srv_route_feed_import,
     "import a feed file (the body)"},
    {"POST", "/api/v1/feeds/sync", SRV_OPERATE, pl__server_srv_route_feed_sync,
     "fetch feeds from the server's sources and import them (feed sync)"},
    {"POST", "/api/v1/schedule/{job}/run", SRV_OPERATE, pl__server_srv_route_schedule_run,
     "run a job of the server's schedule now, as the caller"},
    {"POST", "/api/v1/inventory/import", SRV_OPERATE, pl__server_srv_route_inventory_import,
     "import a discovery source's file (the body)"},
    {"POST", "/api/v1/snapshot", SRV_OPERATE, pl__server_srv_route_snapshot,
     "record today's backlog and close the periods that ended"},
    {"POST", "/api/v1/housekeeping", SRV_OPERATE, pl__server_srv_route_housekeeping,
     "record what time alone changes (exceptions' expiry, scopes)"},
    {"POST", "/api/v1/scan", SRV_OPERATE, pl__server_srv_route_scan,
     "match the assets (or the named ones) against the advisories and tier the findings"},
    {"GET", "/api/v1/users", SRV_READ, pl__server_srv_route_users,
     "users, their roles and scopes (user list)"},
    {"POST", "/api/v1/users", SRV_ADMIN, pl__server_srv_route_user_add, "add a user (user add)"},
    {"POST", "/api/v1/users/{name}/disable", SRV_ADMIN, pl__server_srv_route_user_disable,
     "disable a user; its tokens are revoked"},
    {"POST", "/api/v1/users/{name}/roles", SRV_ADMIN, pl__server_srv_route_user_roles,
     "replace a user's roles"},
    {"GET", "/api/v1/tokens", SRV_ADMIN, pl__server_srv_route_tokens,
     "tokens (never the tokens themselves)"},
    {"POST", "/api/v1/tokens", SRV_ADMIN, pl__server_srv_route_token_create,
     "create a token for a user (answered once)"},
    {"POST", "/api/v1/tokens/{id}/revoke", SRV_ADMIN, pl__server_srv_route_token_revoke,
     "revoke a token"},
    {"GET", "/api/v1/report", SRV_READ, pl__server_srv_route_report, "the report as JSON"},
    {"POST", "/api/v1/report", SRV_READ, pl__server_srv_route_report,
     "the report under a policy file (the body); stores nothing"},
    {"GET", "/api/v1/openapi.json", SRV_READ, pl__server_srv_route_openapi,
     "this API as OpenAPI 3"},
    {"GET", "/metrics", SRV_READ, pl__server_srv_route_metrics, "the report as Prometheus text"},
    {"POST", "/metrics", SRV_READ, pl__server_srv_route_metrics,
     "the report as Prometheus text under a policy file (the body; nothing stored)"},
    {"POST", "/api/v1/agents/enroll", SRV_AGENT, pl__server_srv_route_agent_enroll,
     "enrol a host with a one-time token; answers its credential"},
    {"POST", "/api/v1/agents/tokens", SRV_ADMIN, pl__server_srv_route_agent_token,
     "make a single-use enrolment token (agent token create)"},
    {"POST", "/api/v1/agents/{host}/revoke", SRV_ADMIN, pl__server_srv_route_agent_revoke,
     "revoke an enrolled host's credential (agent revoke)"},
    {"POST", "/api/v1/agents/{host}/inventory", SRV_AGENT, pl__server_srv_route_agent_inventory,
     "the host's inventory (a delta since the last accepted upload)"},
    {"GET", "/api/v1/agents/{host}/jobs", SRV_AGENT, pl__server_srv_route_agent_jobs,
     "the host's queued jobs"},
    {"POST", "/api/v1/agents/{host}/jobs/{id}/claim", SRV_AGENT, pl__server_srv_route_agent_claim,
     "claim a job with a lease"},
    {"POST", "/api/v1/agents/{host}/jobs/{id}/result", SRV_AGENT, pl__server_srv_route_agent_result,
     "a job's result and log"},
    /* route_notify.c */
    {"GET", "/api/v1/notifiers", SRV_ADMIN, pl__server_srv_route_notifiers,
     "webhooks and their outbox counts, never their secrets (notify list)"},
    {"POST", "/api/v1/notifiers", SRV_ADMIN, pl__server_srv_route_notifier_add,
     "add a webhook; the secret is in the body (notify add)"},
    {"POST", "/api/v1/notifiers/{id}/remove", SRV_ADMIN, pl__server_srv_route_notifier_remove,
     "remove a webhook (notify remove)"},
    {"POST", "/api/v1/notifiers/deliver", SRV_OPERATE, pl__server_srv_route_notify_deliver,
     "send the events due from the server (notify deliver)"},
    {"GET", "/api/v1/agents", SRV_ADMIN, pl__server_srv_route_agents,
     "the enrolled hosts (agent list)"},
    {"GET", "/api/v1/agents/jobs", SRV_ADMIN, pl__server_srv_route_agents_jobs,
     "every agent job (agent jobs)"},
    {"GET", "/api/v1/inventory/export", SRV_READ, pl__server_srv_route_inventory_export,
     "the assets as the rows of the CMDB export (inventory export)"},
};
const size_t srv_n_routes = PL_ARRAY_LEN(srv_routes);

size_t pl_server_route_count(void)
{
    return srv_n_routes;
}

void pl_server_route(size_t i, const char **method, const char **pattern)
{
    *method = srv_routes[i].method;
    *pattern = srv_routes[i].pattern;
}

bool pl__server_srv_match(const char *pattern, const char *path, struct srv_req *r, char *scratch,
                          size_t cap)
{
    const char *p = pattern, *q = path;
    size_t used = 0;

    r->n_params = 0;
    while (*p && *q) {
        if (*p == '{') {
            size_t n = strcspn(q, "/");

            if (n == 0 || used + n + 1 > cap || r->n_params == PL_ARRAY_LEN(r->params))
                return false;
            memcpy(scratch + used, q, n);
            scratch[used + n] = '\0';
            r->params[r->n_params++] = scratch + used;
            used += n + 1;
            q += n;
            p = strchr(p, '}') + 1;
        } else if (*p++ != *q++) {
            return false;
        }
    }
    return *p == '\0' && *q == '\0';
}

const char *pl__server_srv_query(struct srv_req *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

bool pl__server_srv_param_id(struct srv_req *r, size_t i, int64_t *id)
{
    return i < r->n_params && pl_parse_i64(r->params[i], id, NULL) == PL_OK && *id > 0;
}

/* The token of "Authorization: Bearer TOKEN", or NULL. */
static const char *bearer(struct srv_req *r)
{
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");

    if (h == NULL || strncmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return *h ? h : NULL;
}

/* Check the token and the role, and run the route. */
static enum MHD_Result run(struct srv_req *r, const struct srv_route *hit, const char *tok)
{
    struct pl_error err = PL_ERROR_INIT;

    if (pl__server_srv_authenticate(r, tok, &r->who, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    r->authed = true;
    if (pl__server_srv_may(&r->who, hit->need, &err) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    return hit->fn(r);
}

enum MHD_Result pl__server_srv_dispatch(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    const struct srv_route *hit = NULL;
    bool path_known = false;
    enum MHD_Result ok;
    const char *tok;

    for (size_t i = 0; i < srv_n_routes && hit == NULL; i++) {
        if (!pl__server_srv_match(srv_routes[i].pattern, r->path, r, r->scratch,
                                  sizeof(r->scratch)))
            continue;
        path_known = true;
        if (strcmp(srv_routes[i].method, r->method) == 0)
            hit = &srv_routes[i];
    }
    if (hit == NULL)
        return path_known ? pl__server_srv_fail(r, PL_E_UNSUPPORTED,
                                                "%s is not a method of this route", r->method)
                          : pl__server_srv_fail(r, PL_E_NOTFOUND, "no route for this path");
    if (hit->need == SRV_AGENT) /* host credentials, not users' tokens */
        return hit->fn(r);
    if ((tok = bearer(r)) == NULL)
        return pl__server_srv_fail(r, PL_E_AUTH,
                                   "this route needs an 'Authorization: Bearer TOKEN' header");
    /*
     * A read (GET) runs in one read transaction of the thread's store handle:
     * its token, its user and every row it answers are one snapshot, and it
     * writes nothing. The token's last use, when due (once a minute), is
     * written after it.
     */
    if (strcmp(r->method, "GET") == 0) {
        if (pl_store_read_begin(r->store, &err) != PL_OK)
            return pl__server_srv_fail_err(r, &err);
        r->reading = true;
        r->tok = tok;
    }
    ok = run(r, hit, tok);
    if (r->reading) {
        pl_store_read_end(r->store);
        r->reading = false;
    }
    if (r->touch_due && pl_store_token_touch(r->store, r->tok, pl_clock_now(), &err) != PL_OK)
        pl_log(PL_LOG_WARN, "server", "token last use not recorded: %s", err.msg);
    r->touch_due = false;
    return ok;
}
