/*
 * auth.c - the server's side of who may decide (docs/identity.md): a bearer
 * token names a user of the store (pl_store_token_verify: compared in
 * constant time, never logged); a route's action needs a role
 * (pl_auth_may); what the request changes is recorded as that user.
 */
#include "patchline/auth.h"

#include <string.h>

#include "patchline/log.h"
#include "patchline/store_auth.h"

#include "server_int.h"

pl_status pl__server_srv_authenticate(struct srv_req *r, const char *token, struct pl_principal *p,
                                      struct pl_error *err)
{
    struct pl_error why = PL_ERROR_INIT;
    pl_status rc;

    if (pl_store_token_verify(r->store, token, pl_clock_now(), p, &why) == PL_OK) {
        /*
         * last_used_at: at most one write a minute per token; a failure denies
         * nothing. In a read transaction only whether it is due is read: the
         * write comes after the transaction (routes.c).
         */
        if (r->reading)
            rc = pl_store_token_touch_due(r->store, token, pl_clock_now(), &r->touch_due, &why);
        else
            rc = pl_store_token_touch(r->store, token, pl_clock_now(), &why);
        if (rc != PL_OK)
            pl_log(PL_LOG_WARN, "server", "token last use not recorded: %s", why.msg);
        return PL_OK;
    }
    memset(p, 0, sizeof(*p));
    if (why.code != PL_E_DENIED) /* the store failed: not the client's fault */
        return pl_error_set(err, why.code, "%s", why.msg);
    return pl_error_set(err, PL_E_AUTH, "unknown, expired or revoked token");
}

void pl__server_srv_act_as(struct srv_req *r)
{
    pl_store_set_principal(r->store, &r->who);
}

void pl__server_srv_act_done(struct srv_req *r)
{
    (void)r; /* the next request sets its own principal before it acts */
}

pl_status pl__server_srv_may(const struct pl_principal *p, enum srv_action a, struct pl_error *err)
{
    static const enum pl_action act[] = {
        [SRV_READ] = PL_ACT_READ,
        [SRV_OPERATE] = PL_ACT_OPERATE,
        [SRV_APPROVE_PLAN] = PL_ACT_APPROVE_PLAN,
        [SRV_APPROVE_EXCEPTION] = PL_ACT_APPROVE_EXCEPTION,
        [SRV_ADMIN] = PL_ACT_ADMIN,
    };

    return pl_auth_may(p, act[a], NULL, err);
}
