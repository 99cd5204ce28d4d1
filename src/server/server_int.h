/*
 * server_int.h - private to src/server: the request, the route table, the
 * replies and the seam to principals and roles.
 */
#ifndef PATCHLINE_SERVER_INT_H
#define PATCHLINE_SERVER_INT_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>

#include "patchline/auth.h"
#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/intel.h"
#include "patchline/policy.h"
#include "patchline/server.h"
#include "patchline/store.h"

/*
 * What a route asks of its caller (the actions of the identities of
 * docs/identity.md: read, operate, approve a plan or an exception, admin).
 */
enum srv_action {
    SRV_READ,
    SRV_OPERATE,
    SRV_APPROVE_PLAN,
    SRV_APPROVE_EXCEPTION,
    SRV_ADMIN,
    SRV_AGENT, /* not a user's token: the route checks its own credential (route_agent.c) */
};

/*
 * What one thread of the pool owns: its store handle (SQLite: a connection
 * of its own, readers concurrent in WAL, writers serialised by the store's
 * lock; PostgreSQL: a connection of its own) and its copy of the deciding
 * policy. Only the thread that took it uses it (http.c: srv_worker_take).
 */
struct srv_worker {
    struct pl_store *store;
    /* the store's deciding policy, parsed once per store generation (policy_cache.c) */
    struct pl_policy *policy;
    uint64_t policy_gen;
    char policy_digest[80]; /* the deciding policy's digest ("" none), pl_store_policy_deciding */
    bool taken;             /* a thread holds it (under pl_server.mu) */
};

/*
 * The server. Requests run on a pool of threads (c.threads): what they share
 * here is read-only once the daemon runs, except the workers' taken flags
 * (under mu) and the log (one fputs per line). There is no store handle of
 * the server's own: a request uses r->store, its thread's.
 */
struct pl_server {
    struct MHD_Daemon *d;
    struct pl_server_config c;
    char url[128];
    struct pl_buf tls_cert, tls_key;
    FILE *log;
    struct srv_worker *workers; /* c.threads of them */
    size_t n_workers;
    pthread_mutex_t mu;
    bool simulated;          /* the store records simulated time (pl_store_simulated) */
    char store_path[4096];   /* the store's path or URL, for messages */
    struct srv_sched *sched; /* scheduled work (schedule.c); NULL: none */
    /*
     * The agent routes that write (enrolment, uploads, job claims and
     * results) run on this one handle, one request at a time (agent_mu), so
     * its page cache stays warm from one check-in to the next
     * (route_agent.c; docs/agent.md, "Under load").
     */
    struct pl_store *agent_store;
    pthread_mutex_t agent_mu;
};

/* At most this many files in one feed import (their bytes together within --max-body). */
#define PL_SERVER_UPLOAD_FILES_MAX 1024

/* One request, from its headers to its completion. */
struct srv_req {
    struct pl_server *srv;
    struct srv_worker *w;   /* the thread's: its store and policy */
    struct pl_store *store; /* w->store: every library call of the request goes to it */
    struct MHD_Connection *conn;
    const char *method, *path; /* borrowed from MHD for the request's life */
    struct pl_buf body;
    bool too_big; /* the body passed the cap; 413 once it is read */
    bool started; /* the handler has been called once */
    bool replied; /* a response is queued */
    int status;   /* the HTTP status sent */
    struct timespec t0;
    struct pl_principal who;
    bool authed;
    bool reading;          /* in the request's read transaction (a GET: routes.c, ui_session.c) */
    bool touch_due;        /* the token's last use to record once that transaction ends */
    const char *tok;       /* the bearer token (borrowed from MHD), for that */
    const char *params[4]; /* the {…} segments of the matched route */
    size_t n_params;
    char scratch[1024]; /* where params point (the request's own: threads share nothing) */
};

/* ---- the log and scheduled work (http.c, schedule.c) ------------------- */

/* One log line: {"ts","level","module":"server","msg"} and extra (JSON members, may be NULL). */
void pl__server_log(struct pl_server *s, const char *level, const char *msg, const char *extra);
/* Start the schedule of s->c.schedule (nothing when none); stop it, waiting for runs in flight. */
PL_NODISCARD pl_status pl__server_sched_start(struct pl_server *s, struct pl_error *err);
void pl__server_sched_stop(struct pl_server *s);
/*
 * Run the scheduled job name now, on the request's thread and store, as its
 * caller, audited (schedule.run) as a timer's run is: PL_E_NOTFOUND for a
 * name that is no job or not in the schedule, PL_E_CONFLICT while the job
 * runs; the run's error when it failed. out gets {"job", "principal",
 * "start", "end", "outcome", "summary"}.
 */
PL_NODISCARD pl_status pl__server_sched_run_now(struct srv_req *r, const char *name,
                                                struct pl_buf *out, struct pl_error *err);

/* ---- replies (reply.c) --------------------------------------------------- */

/*
 * Send body (may be NULL) with status, content type, the headers of every
 * response (nosniff, no-store) and headers: {name, value} pairs ended by
 * {NULL, NULL} (a NULL value leaves its header out).
 */
enum MHD_Result pl__server_srv_send(struct srv_req *r, int status, const char *ctype,
                                    const struct pl_buf *b, const char *const (*headers)[2]);
/* Send body (may be NULL) with status and content type, and the API's security headers. */
enum MHD_Result pl__server_srv_reply(struct srv_req *r, int status, const char *ctype,
                                     const struct pl_buf *b);
/* {"error":{"code":"E_…","status":"Not Found","message":"…"}} with the code's HTTP status. */
enum MHD_Result pl__server_srv_fail(struct srv_req *r, pl_status code, const char *fmt, ...)
    PL_PRINTF(3, 4);
/* The same from an error the library returned. */
enum MHD_Result pl__server_srv_fail_err(struct srv_req *r, const struct pl_error *err);
/* HTTP reason phrase ("Not Found"). */
const char *pl__server_srv_reason(int status);

/* ---- routes (routes.c) --------------------------------------------------- */

typedef enum MHD_Result (*srv_handler)(struct srv_req *r);

struct srv_route {
    const char *method;
    const char *pattern; /* "/api/v1/exceptions/{id}/approve" */
    enum srv_action need;
    srv_handler fn;
    const char *summary;
};

extern const struct srv_route srv_routes[];
extern const size_t srv_n_routes;

/* Find the route, check the token and role, run it. */
enum MHD_Result pl__server_srv_dispatch(struct srv_req *r);

/*
 * Does path match pattern? Fills r->params with the {…} segments, copied
 * into scratch (cap bytes); false when they do not fit.
 */
bool pl__server_srv_match(const char *pattern, const char *path, struct srv_req *r, char *scratch,
                          size_t cap);
/* Query parameter (NULL when absent). */
const char *pl__server_srv_query(struct srv_req *r, const char *key);
/* A positive id from route parameter i; false when it is not one. */
bool pl__server_srv_param_id(struct srv_req *r, size_t i, int64_t *id);

/*
 * The cursor of a findings page (the API's cursor, the dashboard's
 * after): the sort key of its last finding (pl_finding_sort_key) as
 * "T.D.I". Parse: false when text is not one.
 */
bool pl__server_srv_cursor_parse(const char *text, int64_t key[3]);
void pl__server_srv_cursor_add(struct pl_buf *b, const int64_t key[3]);

/* ---- principals (auth.c: the seam to the identities of the store) ------ */

/*
 * The principal a bearer token names: PL_OK and *p, or PL_E_AUTH. The
 * token is compared in constant time and never logged.
 */
PL_NODISCARD pl_status pl__server_srv_authenticate(struct srv_req *r, const char *token,
                                                   struct pl_principal *p, struct pl_error *err);
/* Record what the store does from now on as the request's principal; pl__server_srv_act_done ends
 * it. */
void pl__server_srv_act_as(struct srv_req *r);
void pl__server_srv_act_done(struct srv_req *r);
/* May p do a? PL_OK, or PL_E_DENIED naming the principal and the action. */
PL_NODISCARD pl_status pl__server_srv_may(const struct pl_principal *p, enum srv_action a,
                                          struct pl_error *err);

/*
 * The policy a reader uses (pl_match_policy_load with no name): parsed
 * again only when the store has changed since (pl_store_generation).
 * Borrowed from the request's thread until its next call.
 */
PL_NODISCARD pl_status pl__server_srv_policy(struct srv_req *r, const struct pl_policy **out,
                                             struct pl_error *err);

/* ---- request bodies (route_decide.c) ------------------------------------ */

/*
 * The request body as a JSON object (an empty body: *out NULL, PL_OK);
 * *out owns the tree (yajl_tree_free). PL_E_INVALID naming the byte for
 * bad JSON.
 */
PL_NODISCARD pl_status pl__server_srv_body_object(struct srv_req *r, yajl_val *out,
                                                  struct pl_error *err);
/* Every member of o is one of names[] (n of them) with its JSON type; else PL_E_INVALID naming it.
 */
PL_NODISCARD pl_status pl__server_srv_body_fields(yajl_val o, const char *const *names,
                                                  const yajl_type *types, size_t n,
                                                  struct pl_error *err);
/* A feed notice (removed rows, a forced import) as a JSON object appended to data (a struct
 * pl_buf): the feed import and feed sync routes' notices. */
void pl__server_srv_feed_notice(enum pl_feed_notice what, const char *kind, const char *text,
                                void *data);

/* ---- sign-offs (route_decide.c), for the API and the dashboard ---------- */

struct pl_exception_row;
/*
 * Exception id into *x (the caller releases it), when the request's
 * principal is not its requester; else PL_E_DENIED (403: a sign-off is
 * another person's) or the store's error, and *x is not held.
 */
PL_NODISCARD pl_status pl__server_srv_exception_to_sign(struct srv_req *r, int64_t id,
                                                        struct pl_exception_row *x,
                                                        struct pl_error *err);
/* Approve plan id (wave 0: every wave waiting) as the request's principal, in one transaction. */
PL_NODISCARD pl_status pl__server_srv_plan_approve(struct srv_req *r, int64_t id, int wave,
                                                   struct pl_error *err);
/* Reject plan id (wave 0: every wave waiting) with reason, likewise; *n_waves the waves rejected.
 */
PL_NODISCARD pl_status pl__server_srv_plan_reject(struct srv_req *r, int64_t id, int wave,
                                                  const char *reason, size_t *n_waves,
                                                  struct pl_error *err);

/* ---- handlers (route_*.c) ------------------------------------------------ */
enum MHD_Result pl__server_srv_route_findings(struct srv_req *r);
enum MHD_Result pl__server_srv_route_explain(struct srv_req *r);
enum MHD_Result pl__server_srv_route_assets(struct srv_req *r);
enum MHD_Result pl__server_srv_route_feeds(struct srv_req *r);
enum MHD_Result pl__server_srv_route_exceptions(struct srv_req *r);
enum MHD_Result pl__server_srv_route_exception_approve(struct srv_req *r);
enum MHD_Result pl__server_srv_route_exception_add(struct srv_req *r);
enum MHD_Result pl__server_srv_route_snapshot(struct srv_req *r);
enum MHD_Result pl__server_srv_route_soak_waive(struct srv_req *r);
enum MHD_Result pl__server_srv_route_housekeeping(struct srv_req *r);
enum MHD_Result pl__server_srv_route_scan(struct srv_req *r);
/* route_assets.c: set, retire, merge and split, by the path's last segment */
enum MHD_Result pl__server_srv_route_asset_curate(struct srv_req *r);
enum MHD_Result pl__server_srv_route_asset_show(struct srv_req *r);
/* route_agent.c: agent token create, agent revoke (admin) */
enum MHD_Result pl__server_srv_route_agent_token(struct srv_req *r);
enum MHD_Result pl__server_srv_route_agent_revoke(struct srv_req *r);
/* route_audit.c */
enum MHD_Result pl__server_srv_route_audit(struct srv_req *r);
enum MHD_Result pl__server_srv_route_audit_verify(struct srv_req *r);
enum MHD_Result pl__server_srv_route_audit_export(struct srv_req *r);
/* route_reads.c */
enum MHD_Result pl__server_srv_route_vuln(struct srv_req *r);
enum MHD_Result pl__server_srv_route_software(struct srv_req *r);
enum MHD_Result pl__server_srv_route_packages(struct srv_req *r);
/* route_imports.c: assets precedence (the file is the body) */
enum MHD_Result pl__server_srv_route_asset_precedence(struct srv_req *r);
enum MHD_Result pl__server_srv_route_asset_livepatch(struct srv_req *r);
/* route_users.c */
enum MHD_Result pl__server_srv_route_users(struct srv_req *r);
enum MHD_Result pl__server_srv_route_user_add(struct srv_req *r);
enum MHD_Result pl__server_srv_route_user_disable(struct srv_req *r);
enum MHD_Result pl__server_srv_route_user_roles(struct srv_req *r);
enum MHD_Result pl__server_srv_route_tokens(struct srv_req *r);
enum MHD_Result pl__server_srv_route_token_create(struct srv_req *r);
enum MHD_Result pl__server_srv_route_token_revoke(struct srv_req *r);
enum MHD_Result pl__server_srv_route_exception_show(struct srv_req *r);
enum MHD_Result pl__server_srv_route_exception_revoke(struct srv_req *r);
enum MHD_Result pl__server_srv_route_plans(struct srv_req *r);
enum MHD_Result pl__server_srv_route_plan_approve(struct srv_req *r);
enum MHD_Result pl__server_srv_route_plan_reject(struct srv_req *r);
enum MHD_Result pl__server_srv_route_report(struct srv_req *r);
/* route_plans.c, route_jobs.c, route_imports.c */
enum MHD_Result pl__server_srv_route_plan_create(struct srv_req *r);
enum MHD_Result pl__server_srv_route_plan_forecast(struct srv_req *r);
enum MHD_Result pl__server_srv_route_plan_waves(struct srv_req *r);
enum MHD_Result pl__server_srv_route_plan_wave(struct srv_req *r);
enum MHD_Result pl__server_srv_route_plan_handoff(struct srv_req *r);
/* route_imports.c: handoff results import (the results file is the body) */
enum MHD_Result pl__server_srv_route_handoff_results(struct srv_req *r);
enum MHD_Result pl__server_srv_route_jobs(struct srv_req *r);
enum MHD_Result pl__server_srv_route_job(struct srv_req *r);
enum MHD_Result pl__server_srv_route_feed_import(struct srv_req *r);
enum MHD_Result pl__server_srv_route_inventory_import(struct srv_req *r);
enum MHD_Result pl__server_srv_route_metrics(struct srv_req *r);
enum MHD_Result pl__server_srv_route_openapi(struct srv_req *r);
enum MHD_Result pl__server_srv_route_ping(struct srv_req *r);
enum MHD_Result pl__server_srv_route_agent_enroll(struct srv_req *r);
enum MHD_Result pl__server_srv_route_agent_inventory(struct srv_req *r);
enum MHD_Result pl__server_srv_route_agent_jobs(struct srv_req *r);
enum MHD_Result pl__server_srv_route_agent_claim(struct srv_req *r);
enum MHD_Result pl__server_srv_route_agent_result(struct srv_req *r);
/* route_sync.c: feed sync, a scheduled job started by hand */
enum MHD_Result pl__server_srv_route_feed_sync(struct srv_req *r);
enum MHD_Result pl__server_srv_route_schedule_run(struct srv_req *r);

/* route_notify.c: notify add|list|remove|deliver, agent list|jobs, inventory export */
enum MHD_Result pl__server_srv_route_notifiers(struct srv_req *r);
enum MHD_Result pl__server_srv_route_notifier_add(struct srv_req *r);
enum MHD_Result pl__server_srv_route_notifier_remove(struct srv_req *r);
enum MHD_Result pl__server_srv_route_notify_deliver(struct srv_req *r);
enum MHD_Result pl__server_srv_route_agents(struct srv_req *r);
enum MHD_Result pl__server_srv_route_agents_jobs(struct srv_req *r);
enum MHD_Result pl__server_srv_route_inventory_export(struct srv_req *r);

/* The OpenAPI document (generated from docs/openapi.json at build time). */
extern const char srv_openapi_json[];

#endif /* PATCHLINE_SERVER_INT_H */
