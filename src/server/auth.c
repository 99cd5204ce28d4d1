/*
 * auth.c - the seam between the server and the identities of the store:
 * a bearer token names a principal with roles; a route's action needs a
 * role. The tokens and users live in the store (docs/identity.md).
 */
#include <string.h>

#include "server_int.h"

pl_status srv_authenticate(struct pl_server *s, const char *token, struct srv_principal *p,
                           struct pl_error *err)
{
    (void)s;
    (void)token;
    memset(p, 0, sizeof(*p));
    return pl_error_set(err, PL_E_AUTH, "unknown, expired or revoked token");
}

void srv_act_as(struct srv_req *r)
{
    (void)r;
}

void srv_act_done(struct srv_req *r)
{
    (void)r;
}

static const char *const action_names[] = {
    [SRV_READ] = "read",
    [SRV_OPERATE] = "operate",
    [SRV_APPROVE_PLAN] = "approve a plan",
    [SRV_APPROVE_EXCEPTION] = "approve an exception",
    [SRV_ADMIN] = "administer",
};

pl_status srv_may(const struct srv_principal *p, enum srv_action a, struct pl_error *err)
{
    static const unsigned need[] = {
        [SRV_READ] = 0x1f,        [SRV_OPERATE] = 0x2 | 0x10,
        [SRV_APPROVE_PLAN] = 0x4, [SRV_APPROVE_EXCEPTION] = 0x4 | 0x8,
        [SRV_ADMIN] = 0x10,
    };

    if (p->roles & need[a])
        return PL_OK;
    return pl_error_set(err, PL_E_DENIED, "'%s' may not %s", p->name, action_names[a]);
}
