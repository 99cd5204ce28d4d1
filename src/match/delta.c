/*
 * delta.c - incremental scans after a feed import. The imports record what
 * they changed (match_delta, 0025): affected rows per (ecosystem, package),
 * vulnerabilities whose facts changed, EPSS scores with their old values.
 * An asset unchanged since its last scan but for the feeds is re-matched
 * only for the packages the delta touches and the packages of its findings
 * whose facts moved (an EPSS move counts when it crosses a threshold a rule
 * of the policy reads), plus the packages its scanners report; the findings
 * of those packages are diffed and tiered as a whole scan would, and the
 * rest stand as stored. An imported end-of-life table records the products whose cycles
 * or release dates it changed: their findings are checked again on the assets running them.
 * docs/internals/match.md, "Incremental scans".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/limits.h"

#include "scan_int.h"

struct delta_ctx {
    struct pl__scan *sc;
    const char **vulns;
    size_t n_vulns, cap_vulns;
};

static void add_vuln(struct delta_ctx *d, const char *id)
{
    d->vulns = pl_xgrow(d->vulns, d->n_vulns, &d->cap_vulns, 256, sizeof(*d->vulns));
    d->vulns[d->n_vulns++] = pl_arena_strndup(&d->sc->delta_arena, id, strlen(id));
}

static pl_status on_delta(void *ctx, const struct pl_match_delta_view *v, struct pl_error *err)
{
    struct delta_ctx *d = ctx;
    struct pl__scan *sc = d->sc;
    char key[2 * PL_MAX_NAME_BYTES + 8];
    int n;

    (void)err;
    if (strcmp(v->kind, "all") == 0) {
        sc->delta = PL__DELTA_ALL;
    } else if (strcmp(v->kind, "package") == 0) {
        n = snprintf(key, sizeof(key), "%s\x1f%s", v->ecosystem, v->name);
        if (n > 0 && (size_t)n < sizeof(key))
            pl__match_smap_put(&sc->delta_pkgs, key, (size_t)n, 0);
    } else if (strcmp(v->kind, "vuln") == 0) {
        add_vuln(d, v->name);
    } else if (strcmp(v->kind, "epss") == 0 &&
               (pl_policy_field_moves(sc->o->policy, "epss", v->has_old, v->old_score, v->has_cur,
                                      v->cur_score) ||
                pl_policy_field_moves(sc->o->policy, "epss_percentile", v->has_old, v->old_pct,
                                      v->has_cur, v->cur_pct))) {
        add_vuln(d, v->name);
    }
    return pl_arena_status(&sc->delta_arena);
}

pl_status pl__match_delta_load(struct pl__scan *sc, struct pl_error *err)
{
    struct delta_ctx d = {sc, NULL, 0, 0};
    pl_status rc;

    if (sc->delta != PL__DELTA_NONE)
        return PL_OK;
    pl_arena_init(&sc->delta_arena, 0);
    pl__match_smap_init(&sc->delta_pkgs, &sc->delta_arena);
    sc->delta = PL__DELTA_LOADED;
    rc = pl_store_match_delta_each(sc->s, pl__match_state_oldest(sc), on_delta, &d, err);
    if (rc == PL_OK)
        rc = pl_store_match_hit_vulns(sc->s, d.vulns, d.n_vulns, err);
    sc->delta_vulns = d.n_vulns;
    free(d.vulns);
    return rc;
}

void pl__match_delta_release(struct pl__scan *sc)
{
    if (sc->delta == PL__DELTA_NONE)
        return;
    pl__match_smap_release(&sc->delta_pkgs);
    pl_arena_release(&sc->delta_arena);
    sc->delta = PL__DELTA_NONE;
}

bool pl__match_delta_wants(const struct pl__asset_scan *as, const char *name)
{
    uint32_t at;

    return !as->partial || pl__match_smap_get(&as->only, name, strlen(name), &at);
}

void pl__match_delta_only(struct pl__asset_scan *as, const char *name)
{
    size_t n = strlen(name);

    if (pl__match_smap_put(&as->only, name, n, (uint32_t)as->n_only) != as->n_only)
        return;
    as->only_names =
        pl_xgrow(as->only_names, as->n_only, &as->cap_only, 64, sizeof(*as->only_names));
    as->only_names[as->n_only++] = pl_arena_strndup(&as->arena, name, n);
}

static bool touched(const struct pl__scan *sc, const char *eco, const char *name)
{
    char key[2 * PL_MAX_NAME_BYTES + 8];
    int n = snprintf(key, sizeof(key), "%s\x1f%s", eco, name);
    uint32_t at;

    return n > 0 && (size_t)n < sizeof(key) &&
           pl__match_smap_get(&sc->delta_pkgs, key, (size_t)n, &at);
}

bool pl__match_delta_eol(const struct pl__scan *sc, const char *product)
{
    /* `feed import eol` records a product whose cycles or release dates it changed as a
     * package row of ecosystem "eol" (src/store/eol_cycles.c), which no advisory uses */
    return sc->delta != PL__DELTA_NONE && touched(sc, "eol", product);
}

static pl_status hit_package(void *ctx, const char *name, struct pl_error *err)
{
    (void)err;
    pl__match_delta_only(ctx, name);
    return PL_OK;
}

pl_status pl__match_delta_select(struct pl__scan *sc, struct pl__asset_scan *as,
                                 struct pl_error *err)
{
    pl_status rc = PL_OK;

    for (uint32_t i = 0; rc == PL_OK && i < as->n_pkgs; i++) {
        struct pl__pkg *k = &as->pkgs[i];
        enum pl_vscheme scheme;

        k->eco = pl__match_package_ecosystem(k->pkg_eco, as->os_eco[0] ? as->os_eco : NULL,
                                             k->eco_buf, sizeof(k->eco_buf));
        if (k->eco == NULL || !pl__match_eco_scheme(k->eco, &scheme))
            continue;
        if ((rc = pl__match_scan_need_eco(sc, k->eco, err)) != PL_OK)
            break;
        if (touched(sc, k->eco, k->name) || (k->src && touched(sc, k->eco, k->src)))
            pl__match_delta_only(as, k->name);
    }
    if (rc == PL_OK && sc->delta_vulns)
        rc = pl_store_findings_hit_packages(sc->s, as->asset->id, hit_package, as, err);
    return rc == PL_OK ? pl_arena_status(&as->arena) : rc;
}
