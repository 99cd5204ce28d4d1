/*
 * run.c - the scan workflow: one entry point (pl_scan_run) that the CLI's
 * `scan` and the server call alike. Match and tier, then the exceptions,
 * then the audit record and the gate.
 */
#include <stdio.h>
#include <stdlib.h>

#include "patchline/match.h"
#include "patchline/store_notify.h"

void pl_scan_result_init(struct pl_scan_result *r)
{
    pl_match_summary_init(&r->match);
    r->exceptions = (struct pl_exception_apply_summary){0};
    r->gate_failed = false;
}

void pl_scan_result_release(struct pl_scan_result *r)
{
    pl_match_summary_release(&r->match);
}

/* One line for the audit log: what the scan changed. */
static char *audit_detail(const struct pl_match_summary *m)
{
    struct pl_buf b = PL_BUF_INIT(4096);
    uint64_t n[4] = {0};

    for (size_t i = 0; i <= PL_MATCH_TIERS; i++) {
        n[0] += m->new_.n[i];
        n[1] += m->open.n[i];
        n[2] += m->fixed.n[i];
        n[3] += m->regressed.n[i];
    }
    pl_buf_addf(&b,
                "%llu assets, %llu new, %llu open, %llu fixed, %llu regressed, %llu removed, "
                "%llu retired, %llu rows written",
                (unsigned long long)m->assets, (unsigned long long)n[0], (unsigned long long)n[1],
                (unsigned long long)n[2], (unsigned long long)n[3], (unsigned long long)m->removed,
                (unsigned long long)m->retired, (unsigned long long)m->written);
    return pl_buf_detach(&b, NULL);
}

static pl_status resolve_assets(struct pl_store *s, const struct pl_scan_opts *o, int64_t **ids,
                                struct pl_error *err)
{
    *ids = NULL;
    if (o->n_assets == 0)
        return PL_OK;
    if (o->n_assets > PL_SCAN_MAX_ASSETS)
        return pl_error_set(err, PL_E_INVALID, "scan: at most %d assets by name",
                            PL_SCAN_MAX_ASSETS);
    *ids = pl_xcalloc(o->n_assets, sizeof(**ids));
    for (size_t i = 0; i < o->n_assets; i++) {
        pl_status rc = pl_store_asset_resolve(s, o->assets[i], &(*ids)[i], err);

        if (rc != PL_OK) {
            free(*ids);
            *ids = NULL;
            return rc;
        }
    }
    return PL_OK;
}

pl_status pl_scan_run(struct pl_store *s, const struct pl_scan_opts *opts, struct pl_scan_result *r,
                      struct pl_error *err)
{
    struct pl_product_map *products = NULL;
    int64_t *ids = NULL;
    char *detail;
    pl_status rc;

    if (opts->policy == NULL)
        return pl_error_set(err, PL_E_INVALID, "scan: no policy");
    if (opts->fail_on >= pl_policy_n_tiers(opts->policy))
        return pl_error_set(err, PL_E_INVALID, "scan: the policy '%s' has no tier %d",
                            pl_policy_name(opts->policy), opts->fail_on);
    if ((rc = resolve_assets(s, opts, &ids, err)) != PL_OK)
        return rc;
    if ((rc = pl_product_map_load(opts->product_map, &products, err)) != PL_OK) {
        free(ids);
        return rc;
    }
    {
        struct pl_match_opts mo = {opts->policy, ids,      opts->n_assets, opts->now, 0,
                                   opts->batch,  products, opts->full};

        rc = pl_match_scan(s, &mo, &r->match, err);
    }
    pl_product_map_free(products);
    free(ids);
    /* exceptions cover the new findings in their scope, and end at expiry */
    if (rc == PL_OK)
        rc = pl_exceptions_apply(s, opts->now, &r->exceptions, err);
    if (rc != PL_OK)
        return rc;
    /* webhooks: Tier 0 findings opened and SLAs breached, with this scan's commit */
    if ((rc = pl_store_notify_enqueue(s, opts->now, NULL, err)) != PL_OK)
        return rc;
    detail = audit_detail(&r->match);
    rc = pl_store_audit(s, "scan", pl_policy_name(opts->policy), detail, err);
    free(detail);
    for (int t = 0; rc == PL_OK && t <= opts->fail_on && t < PL_MATCH_TIERS; t++)
        if (r->match.open.n[t])
            r->gate_failed = true;
    return rc;
}
