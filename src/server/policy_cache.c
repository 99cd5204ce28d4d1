/*
 * policy_cache.c - the store's deciding policy for the readers of the
 * server (findings?tier=, the report, the dashboard): parsing it costs
 * more than serving most requests, so it is parsed once and kept while
 * the store's generation (pl_store_generation) stays the same, and when
 * the store has changed but its deciding policy has not (the same digest:
 * a check-in, a sign-off, a token's last use), kept too. Each thread of
 * the pool keeps its own (struct srv_worker): a policy is never shared.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/match.h"
#include "patchline/store_findings.h"

#include "server_int.h"

pl_status pl__server_srv_policy(struct srv_req *r, const struct pl_policy **out,
                                struct pl_error *err)
{
    struct srv_worker *s = r->w;

    struct pl_policy *p = NULL;
    char digest[sizeof(s->policy_digest)];
    uint64_t gen;
    pl_status rc;

    if ((rc = pl_store_generation(s->store, &gen, err)) != PL_OK)
        return rc;
    if (s->policy == NULL || gen != s->policy_gen) {
        /* the digest is read before the policy: a change between the two moves gen again */
        if ((rc = pl_store_policy_deciding(s->store, digest, sizeof(digest), err)) != PL_OK)
            return rc;
        if (s->policy == NULL || strcmp(digest, s->policy_digest) != 0) {
            if ((rc = pl_match_policy_load(s->store, NULL, &p, err)) != PL_OK)
                return rc;
            pl_policy_free(s->policy);
            s->policy = p;
            snprintf(s->policy_digest, sizeof(s->policy_digest), "%s", digest);
        }
        s->policy_gen = gen;
    }
    *out = s->policy;
    return PL_OK;
}
