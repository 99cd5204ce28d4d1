/*
 * route_tasks.c - the store's routine work through the API, as the caller:
 * POST /api/v1/snapshot (`patchline snapshot`) and POST
 * /api/v1/housekeeping (`patchline housekeeping`), each one transaction of
 * the library's calls.
 */
#include "patchline/exception.h"
#include "patchline/match.h"
#include "patchline/policy.h"
#include "patchline/report.h"

#include "server_int.h"

static enum MHD_Result reply_json(struct srv_req *r, struct pl_buf *b)
{
    enum MHD_Result ok = pl__server_srv_reply(r, 200, "application/json", b);

    pl_buf_release(b);
    return ok;
}

/* The backlog of the day of now, and the periods that ended before it: {"day", "open", "closed"}.
 */
enum MHD_Result pl__server_srv_route_snapshot(struct srv_req *r)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *policy = NULL;
    struct pl_buf b = PL_BUF_INIT(0);
    pl_time_t now = pl_clock_now();
    char day[PL_TIME_STR_LEN];
    int64_t open = 0;
    int closed = 0;
    pl_status rc;

    if ((rc = pl_store_begin(r->store, &err)) != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl__server_srv_act_as(r);
    if ((rc = pl_match_policy_load(r->store, NULL, &policy, &err)) == PL_OK)
        rc = pl_report_snapshot_day(r->store, now, policy, &open, &closed, &err);
    pl_policy_free(policy);
    if (rc == PL_OK)
        rc = pl_store_commit(r->store, &err);
    else
        pl_store_rollback(r->store);
    pl__server_srv_act_done(r);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addf(&b, "{\"day\": \"%s\", \"open\": %lld, \"closed\": %d}\n", pl_date_format(now, day),
                (long long)open, closed);
    return reply_json(r, &b);
}

/* What time alone changes, recorded at now: the counts of pl_exceptions_apply. */
enum MHD_Result pl__server_srv_route_housekeeping(struct srv_req *r)
{
    struct pl_exception_apply_summary ex = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    pl_status rc;

    pl__server_srv_act_as(r);
    rc = pl_exceptions_apply(r->store, pl_clock_now(), &ex, &err);
    pl__server_srv_act_done(r);
    if (rc != PL_OK)
        return pl__server_srv_fail_err(r, &err);
    pl_buf_addf(&b,
                "{\"expired\": %zu, \"reviewed\": %zu, \"rescoped\": %zu, \"covered\": %zu, "
                "\"released\": %zu}\n",
                ex.expired, ex.reviewed, ex.rescoped, ex.covered, ex.released);
    return reply_json(r, &b);
}
