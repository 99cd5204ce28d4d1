/*
 * reported.c - verification of a job that ran elsewhere (an agent): the
 * same rule as verify.c, on the inventory the host reported.
 */
#include <string.h>

#include "patchline/version.h"

#include "apply_int.h"

static const struct pl_package *installed_of(const struct pl_package_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].name, name) == 0)
            return &l->items[i];
    return NULL;
}

static bool wanted(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static pl_status verify_target(struct pl_store *s, int64_t job_id, const struct pl_apply_target *t,
                               const struct pl_package_list *l, bool *fixed, struct pl_error *err)
{
    const struct pl_package *p = installed_of(l, t->package);
    enum pl_vscheme scheme;
    bool changed = false;
    int cmp = -1;
    pl_status rc;

    *fixed = false;
    if (p && pl_vscheme_from_name(p->ecosystem, &scheme)) {
        if ((rc = pl_version_cmp(scheme, p->version, t->fixed_version, &cmp, err)) != PL_OK)
            return rc;
        *fixed = cmp >= 0;
    }
    if (*fixed && (rc = pl_store_finding_close(s, t->finding_id, &changed, err)) != PL_OK)
        return rc;
    return pl_store_job_finding_put(s, job_id, t->finding_id, *fixed ? "fixed" : "not-fixed",
                                    p ? p->version : NULL, err);
}

pl_status pl_apply_verify_reported(struct pl_store *s, int64_t job_id, int64_t asset_id,
                                   const int64_t *ids, size_t n, size_t *n_fixed,
                                   size_t *n_not_fixed, struct pl_error *err)
{
    struct pl_apply_target_list tl = {NULL, 0};
    struct pl_package_list l = {NULL, 0, 0};
    pl_status rc;

    *n_fixed = *n_not_fixed = 0;
    if ((rc = pl_store_apply_targets(s, asset_id, NULL, 0, &tl, err)) != PL_OK)
        return rc;
    if ((rc = pl_store_package_list(s, asset_id, &l, err)) != PL_OK) {
        pl_apply_target_list_release(&tl);
        return rc;
    }
    for (size_t i = 0; i < tl.n && rc == PL_OK; i++) {
        bool fixed = false;

        if (!wanted(ids, n, tl.items[i].finding_id))
            continue;
        rc = verify_target(s, job_id, &tl.items[i], &l, &fixed, err);
        if (rc == PL_OK)
            ++*(fixed ? n_fixed : n_not_fixed);
    }
    pl_package_list_release(&l);
    pl_apply_target_list_release(&tl);
    return rc;
}
