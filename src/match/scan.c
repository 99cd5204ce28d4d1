/*
 * scan.c - pl_match_scan: per asset, read its packages, match each against
 * the index (loading an ecosystem's rows the first time an asset needs them),
 * then hand the candidates to the diff (diff.c), which loads the risk facts
 * of the vulnerabilities not yet seen and tiers and writes only what changed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "patchline/common.h"
#include "patchline/limits.h"

#include "eol_int.h"
#include "scan_int.h"

void pl_match_summary_init(struct pl_match_summary *s)
{
    memset(s, 0, sizeof(*s));
    pl_buf_init(&s->warnings, (size_t)1024 * 1024);
}

void pl_match_summary_release(struct pl_match_summary *s)
{
    pl_buf_release(&s->warnings);
}

pl_status pl__match_scan_need_vulns(struct pl__scan *sc, const char *const *in, size_t n_in,
                                    struct pl_error *err)
{
    const char **ids = NULL;
    size_t n = 0, base = sc->n_vf;
    struct pl_vuln_risk_list rl = {NULL, 0};
    pl_status rc = PL_OK;

    for (size_t i = 0; i < n_in; i++) {
        uint32_t at;

        if (pl__match_smap_get(&sc->vmap, in[i], strlen(in[i]), &at))
            continue;
        pl__match_smap_put(&sc->vmap, in[i], strlen(in[i]), (uint32_t)(base + n));
        ids = pl_xrealloc(ids, (n + 1) * sizeof(*ids));
        ids[n++] = in[i];
    }
    if (n && (rc = pl_store_vuln_risk_load(sc->s, ids, n, &rl, err)) == PL_OK) {
        sc->vf = pl_xrealloc(sc->vf, (base + n) * sizeof(*sc->vf));
        sc->risk = pl_xrealloc(sc->risk, (sc->n_risk_lists + 1) * sizeof(*sc->risk));
        sc->risk[sc->n_risk_lists++] = rl;
        for (size_t i = 0; rc == PL_OK && i < n; i++)
            rc = pl__match_vfacts_build(sc->s, &rl.items[i], &sc->vf[base + i], &sc->scored, err);
        sc->n_vf = base + n;
    }
    free(ids);
    return rc;
}

pl_status pl__match_scan_need_eco(struct pl__scan *sc, const char *eco, struct pl_error *err)
{
    size_t before = sc->ix.n_rows;
    uint32_t loaded;
    pl_status rc;

    if (sc->by_name || pl__match_smap_get(&sc->ix.ecos, eco, strlen(eco), &loaded))
        return PL_OK; /* by name: the asset's packages were loaded (need_asset_pkgs) */
    if ((rc = pl__match_index_load(&sc->ix, sc->s, eco, err)) != PL_OK)
        return rc;
    sc->sum->rows += sc->ix.n_rows - before;
    return PL_OK;
}

/*
 * A scan by name: load the affected rows of the asset's packages (binary and source names,
 * per ecosystem) that no earlier asset of the scan loaded, before anything reads the index.
 */
static pl_status need_asset_pkgs(struct pl__scan *sc, struct pl__asset_scan *as,
                                 struct pl_error *err)
{
    const char **names = pl_xcalloc(2 * as->n_pkgs + 1, sizeof(*names));
    bool *done = pl_xcalloc(as->n_pkgs + 1, sizeof(*done));
    size_t before = sc->ix.n_rows;
    pl_status rc = PL_OK;

    for (size_t i = 0; i < as->n_pkgs; i++) {
        struct pl__pkg *k = &as->pkgs[i];
        enum pl_vscheme scheme;

        k->eco = pl__match_package_ecosystem(k->pkg_eco, as->os_eco[0] ? as->os_eco : NULL,
                                             k->eco_buf, sizeof(k->eco_buf));
        done[i] = k->eco == NULL || !pl__match_eco_scheme(k->eco, &scheme);
    }
    /* one batch per ecosystem: the packages of the first not done, then the next */
    for (size_t i = 0; rc == PL_OK && i < as->n_pkgs; i++) {
        const char *eco = as->pkgs[i].eco;
        size_t n = 0;

        if (done[i])
            continue;
        for (size_t j = i; j < as->n_pkgs; j++) {
            const struct pl__pkg *k = &as->pkgs[j];

            if (done[j] || strcmp(k->eco, eco) != 0)
                continue;
            done[j] = true;
            names[n++] = k->name;
            if (k->src && strcmp(k->src, k->name) != 0)
                names[n++] = k->src;
        }
        rc = pl__match_index_load_named(&sc->ix, sc->s, eco, names, n, err);
    }
    sc->sum->rows += sc->ix.n_rows - before;
    free(done);
    free(names);
    return rc;
}

/*
 * Load the risk facts of the vulnerabilities an asset's diff may tier: its candidates' and
 * its stored findings' (a scanner's reports load theirs in scanner.c). Facts are loaded on
 * first need, in one batch per asset, so a scan of one host reads the facts of the
 * vulnerabilities that host has, not of every row of its ecosystem's index.
 */
pl_status pl__match_scan_need_asset_vulns(struct pl__scan *sc, const struct pl__asset_scan *as,
                                          const struct pl_finding_list *stored,
                                          struct pl_error *err)
{
    const char **ids = pl_xcalloc(as->n_cands + stored->n + 1, sizeof(*ids));
    size_t n = 0;
    pl_status rc;

    for (size_t i = 0; i < as->n_cands; i++)
        ids[n++] = sc->ix.rows[as->cands[i].row].vuln;
    for (size_t i = 0; i < stored->n; i++)
        ids[n++] = stored->items[i].vuln_id;
    rc = pl__match_scan_need_vulns(sc, ids, n, err);
    free(ids);
    return rc;
}

const struct pl__vfacts *pl__match_scan_vfacts(struct pl__scan *sc, const char *vuln)
{
    uint32_t at;

    return pl__match_smap_get(&sc->vmap, vuln, strlen(vuln), &at) && at < sc->n_vf ? &sc->vf[at]
                                                                                   : NULL;
}

static const char *adup(struct pl_arena *a, const char *s)
{
    return s ? pl_arena_strndup(a, s, strlen(s)) : NULL;
}

static pl_status add_pkg(void *ctx, const struct pl_package_view *p, struct pl_error *err)
{
    struct pl__asset_scan *as = ctx;
    struct pl__pkg *k;

    if (as->n_pkgs >= PL_MAX_PACKAGES_PER_ASSET)
        return pl_error_set(err, PL_E_TOOBIG, "asset %lld: more than %d packages",
                            (long long)p->asset_id, PL_MAX_PACKAGES_PER_ASSET);
    as->pkgs = pl_xgrow(as->pkgs, as->n_pkgs, &as->cap_pkgs, 1024, sizeof(*as->pkgs));
    k = &as->pkgs[as->n_pkgs++];
    k->pkg_eco = adup(&as->arena, p->ecosystem);
    k->name = adup(&as->arena, p->name);
    k->version = adup(&as->arena, p->version);
    k->src = adup(&as->arena, p->source_name);
    k->srcver = adup(&as->arena, p->source_version);
    k->eco = NULL;
    k->skip = false;
    k->note = NULL;
    k->kernel_running = false;
    return pl_arena_status(&as->arena);
}

/* Keep one candidate per (package name, vulnerability): prefer a row with a fix. */
static void add_cand(struct pl__scan *sc, struct pl__asset_scan *as, uint32_t pkg, uint32_t row,
                     const char *kind)
{
    const struct pl__row *r = &sc->ix.rows[row];
    char key[2 * PL_MAX_NAME_BYTES + 8];
    int n = snprintf(key, sizeof(key), "%s\x1f%s", as->pkgs[pkg].name, r->vuln);
    uint32_t at;

    if (n <= 0 || (size_t)n >= sizeof(key))
        return;
    at = pl__match_smap_put(&as->cands_map, key, (size_t)n, (uint32_t)as->n_cands);
    if (at == as->n_cands) {
        as->cands = pl_xgrow(as->cands, as->n_cands, &as->cap_cands, 256, sizeof(*as->cands));
        as->cands[as->n_cands++] = (struct pl__cand){pkg, row, kind};
        return;
    }
    if (sc->ix.rows[as->cands[at].row].fixed == NULL && r->fixed && strcmp(r->status, "fixed") == 0)
        as->cands[at] = (struct pl__cand){pkg, row, kind};
}

pl_status pl__match_scan_match_pkg(struct pl__scan *sc, struct pl__asset_scan *as, uint32_t i,
                                   struct pl_error *err)
{
    struct pl__pkg *k = &as->pkgs[i];
    const uint32_t *hits;
    uint32_t n;
    enum pl_vscheme scheme;
    pl_status rc;

    if (k->skip)
        return PL_OK;
    k->eco = pl__match_package_ecosystem(k->pkg_eco, as->os_eco[0] ? as->os_eco : NULL, k->eco_buf,
                                         sizeof(k->eco_buf));
    if (k->eco == NULL || !pl__match_eco_scheme(k->eco, &scheme)) {
        sc->sum->unsupported++;
        return PL_OK;
    }
    if ((rc = pl__match_scan_need_eco(sc, k->eco, err)) != PL_OK)
        return rc;
    pl__match_index_match(&sc->ix, k->eco, "binary", k->name, k->version, &hits, &n);
    for (uint32_t h = 0; h < n; h++)
        add_cand(sc, as, i, hits[h], "binary");
    pl__match_index_match(&sc->ix, k->eco, "source", k->src ? k->src : k->name,
                          k->srcver ? k->srcver : k->version, &hits, &n);
    for (uint32_t h = 0; h < n; h++)
        add_cand(sc, as, i, hits[h], "source");
    return PL_OK;
}

static void asset_reset(struct pl__asset_scan *as)
{
    pl__match_smap_clear(&as->cands_map);
    pl__match_smap_clear(&as->stored_map);
    pl__match_smap_clear(&as->pkg_map);
    pl__match_smap_clear(&as->only);
    pl__match_smap_clear(&as->targets);
    pl__match_smap_clear(&as->livepatch);
    as->livepatch_note = NULL;
    as->kernel_pkg = -1;
    as->n_only = 0;
    as->n_tgt = 0;
    as->partial = false;
    as->n_vex = 0;
    pl_arena_reset(&as->arena);
    as->n_pkgs = as->n_cands = 0;
    as->cpe_have = NULL;
    as->eol_have = NULL;
    as->eol_runs = NULL;
    as->feeds_moved = as->eol_passed = false;
    as->eol_lo = 0;
    as->eol_hi = INT64_MAX;
}

/* Add each "name\n" line of list to the partial scan's set: all, or those the feed delta names. */
static void only_lines(const struct pl__scan *sc, struct pl__asset_scan *as, const char *list,
                       bool all)
{
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, "\n");
        char name[PL_MAX_NAME_BYTES + 1];

        if (n > 0 && n < sizeof(name)) {
            memcpy(name, p, n);
            name[n] = '\0';
            if (all || pl__match_delta_eol(sc, name))
                pl__match_delta_only(as, name);
        }
        p += n + (p[n] == '\n');
    }
}

/*
 * A partial scan: the packages the scanners report are diffed too, then the named ones
 * matched. The end-of-life findings (eol.c) of a product are checked again when the feed
 * delta names the product (an imported table changed its cycles or release dates), and all of
 * them when an end-of-life date the asset depends on passed: those of every product it runs
 * (a cycle of its version known or not: a finding whose cycle a table no longer knows is
 * closed as a whole scan closes it) and of the sources Debian ended early. The eol findings
 * open at now are scanner-like reports (as->svs) and diffed in any case.
 */
static pl_status match_partial(struct pl__scan *sc, struct pl__asset_scan *as, uint32_t n_inv,
                               struct pl_error *err)
{
    pl_status rc = PL_OK;

    /* a scanner's finding without a package is stored under '': diffed with the rest */
    for (size_t i = 0; i < as->n_svs; i++)
        pl__match_delta_only(as, as->svs[i].package ? as->svs[i].package : "");
    only_lines(sc, as, as->eol_runs, as->eol_passed);
    for (uint32_t i = 0; rc == PL_OK && i < n_inv; i++)
        if (pl__match_delta_wants(as, as->pkgs[i].name))
            rc = pl__match_scan_match_pkg(sc, as, i, err);
    return rc == PL_OK ? pl_arena_status(&as->arena) : rc;
}

static pl_status scan_asset(struct pl__scan *sc, struct pl__asset_scan *as,
                            const struct pl_match_asset *a, struct pl_error *err)
{
    struct pl_match_counts before = sc->sum->open;
    uint64_t prov_before = sc->sum->provisional, counts[PL_MATCH_TIERS + 2];
    bool feeds = false, eol = false;
    enum pl__asset_plan plan = pl__match_state_plan(sc, a, counts, &feeds, &eol);
    pl_status rc = PL_OK;

    if (plan == PL__PLAN_SKIP)
        return PL_OK;
    if (plan == PL__PLAN_DELTA && feeds && (rc = pl__match_delta_load(sc, err)) != PL_OK)
        return rc;
    if (plan == PL__PLAN_DELTA && feeds && sc->delta == PL__DELTA_ALL)
        plan = PL__PLAN_WHOLE;
    asset_reset(as);
    as->asset = a;
    as->partial = plan == PL__PLAN_DELTA;
    as->feeds_moved = as->partial && feeds;
    as->eol_passed = as->partial && eol;
    if (!pl_match_os_ecosystem(a->os_name, a->os_family, a->os_version, a->os_codename, as->os_eco,
                               sizeof(as->os_eco)))
        as->os_eco[0] = '\0';
    if (!a->retired) {
        bool kernel;

        rc = pl_store_packages_each(sc->s, a->id, add_pkg, as, err);
        /* a Debian or Ubuntu kernel moves onto its meta-package (source and version the
         * kernel's) before the delta selects packages, so a delta touching the kernel's
         * source re-matches the meta-package; an asset whose kernel changed has changed
         * packages and is matched whole anyway */
        kernel = rc == PL_OK && pl__match_kernel_prepare(as);
        if (rc == PL_OK && sc->by_name)
            rc = need_asset_pkgs(sc, as, err);
        if (rc == PL_OK && kernel)
            rc = pl__match_kernel_livepatch(sc, as, err);
        if (as->partial) {
            uint32_t n_inv = (uint32_t)as->n_pkgs;

            /* only an end-of-life date passed: no advisory data moved, the end-of-life
             * software alone is checked again (match_partial) */
            if (rc == PL_OK && as->feeds_moved)
                rc = pl__match_delta_select(sc, as, err);
            if (rc == PL_OK)
                rc = pl__match_scanner_load(sc, as, err);
            /* a scanner's report without a package witnesses the asset's findings of its
             * vulnerability, whatever their package: the asset is diffed whole */
            if (rc == PL_OK && pl__match_has_hostwide(as)) {
                as->partial = false;
                as->n_cands = 0; /* matched again in the order of a whole scan */
                pl__match_smap_clear(&as->cands_map);
                for (uint32_t i = 0; rc == PL_OK && i < as->n_pkgs; i++)
                    rc = pl__match_scan_match_pkg(sc, as, i, err);
            } else if (rc == PL_OK) {
                rc = match_partial(sc, as, n_inv, err);
                if (as->feeds_moved)
                    sc->sum->partial++;
                else
                    sc->sum->eol_only++;
            }
        } else {
            for (uint32_t i = 0; rc == PL_OK && i < as->n_pkgs; i++)
                rc = pl__match_scan_match_pkg(sc, as, i, err);
            if (rc == PL_OK)
                rc = pl__match_scanner_load(sc, as, err);
        }
        sc->sum->packages += as->n_pkgs;
    } else {
        as->n_svs = 0;
        as->cpe_have = NULL;
        as->eol_have = NULL;
        as->eol_runs = NULL;
    }
    if (rc == PL_OK)
        rc = pl__match_scan_diff(sc, as, counts, err);
    if (rc == PL_OK)
        rc = pl__match_state_put(sc, as, &before, prov_before, err);
    return rc;
}

static void scan_release(struct pl__scan *sc, struct pl__asset_scan *as)
{
    pl__match_smap_release(&as->cands_map);
    pl__match_smap_release(&as->stored_map);
    pl__match_smap_release(&as->pkg_map);
    pl__match_smap_release(&as->only);
    pl__match_smap_release(&as->targets);
    pl__match_smap_release(&as->livepatch);
    free(as->only_names);
    free(as->tgt_ids);
    pl__match_delta_release(sc);
    free(as->vex);
    pl_arena_release(&as->arena);
    free(as->pkgs);
    free(as->cands);
    free(as->svs);
    for (size_t i = 0; i < sc->n_risk_lists; i++)
        pl_vuln_risk_list_release(&sc->risk[i]);
    free(sc->risk);
    free(sc->vf);
    pl__match_smap_release(&sc->vmap);
    pl__match_index_release(&sc->ix);
    pl_findings_writer_close(sc->w);
    pl_match_asset_list_release(&sc->assets);
    free(sc->states);
    pl_product_map_free(sc->own_products);
}

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Scan the assets in batches, each committed whole (opts->batch 0: one batch). */
static pl_status scan_assets(struct pl__scan *sc, struct pl__asset_scan *as, struct pl_error *err)
{
    size_t batch = sc->o->batch, in_batch = 0;
    int64_t since = mono_ms();
    pl_status rc = PL_OK;

    /* batches beside other scans' on PostgreSQL, each asset locked (docs/store.md) */
    if (batch)
        rc = pl_store_scan_shared(sc->s, true, err);
    for (size_t i = 0; rc == PL_OK && i < sc->assets.n; i++) {
        bool locked = false, yielded = false;

        if (batch && in_batch && (in_batch >= batch || mono_ms() - since >= PL_MATCH_BATCH_MS)) {
            if ((rc = pl_store_yield(sc->s, err)) != PL_OK)
                break;
            in_batch = 0;
            since = mono_ms();
        }
        if ((rc = pl_store_asset_lock(sc->s, sc->assets.items[i].id, &locked, &yielded, err)) !=
            PL_OK)
            break;
        if (yielded) {
            in_batch = 0;
            since = mono_ms();
        }
        /* another scan may have scanned it since the states were read */
        if (locked && (rc = pl__match_state_refresh(sc, sc->assets.items[i].id, err)) != PL_OK)
            break;
        rc = scan_asset(sc, as, &sc->assets.items[i], err);
        sc->sum->assets++;
        in_batch++;
    }
    /* the scan's closing writes (warnings, the delta prune, exceptions, audit) run alone */
    if (rc == PL_OK)
        rc = pl_store_scan_shared(sc->s, false, err);
    else
        pl_store_scan_shared_abort(sc->s);
    return rc;
}

pl_status pl_match_scan(struct pl_store *s, const struct pl_match_opts *opts,
                        struct pl_match_summary *sum, struct pl_error *err)
{
    struct pl__scan sc = {.s = s, .o = opts, .sum = sum};
    struct pl__asset_scan as = {0};
    pl_status rc;

    if (opts == NULL || opts->policy == NULL)
        return pl_error_set(err, PL_E_INVALID, "match: no policy");
    pl__match_index_init(&sc.ix);
    pl__match_smap_init(&sc.vmap, &sc.ix.arena);
    pl_arena_init(&as.arena, 0);
    pl__match_smap_init(&as.cands_map, &as.arena);
    pl__match_smap_init(&as.stored_map, &as.arena);
    pl__match_smap_init(&as.pkg_map, &as.arena);
    pl__match_smap_init(&as.only, &as.arena);
    pl__match_smap_init(&as.targets, &as.arena);
    pl__match_smap_init(&as.livepatch, &as.arena);
    sc.by_name = opts->n_assets > 0 && opts->n_assets <= PL__MATCH_BY_NAME_ASSETS;
    sc.products = opts->products;
    rc = sc.products ? PL_OK : pl_product_map_load(NULL, &sc.own_products, err);
    if (sc.products == NULL)
        sc.products = sc.own_products;
    if (rc == PL_OK) /* end-of-life cycles imported by `feed import eol` win over the shipped */
        rc = pl__match_eol_load(s, err);
    if (rc == PL_OK)
        rc = pl_store_match_assets(s, opts->asset_ids, opts->n_assets, &sc.assets, err);
    if (rc == PL_OK)
        rc = pl__match_state_load(&sc, err);
    if (rc == PL_OK)
        rc = pl_findings_writer_open(s, &sc.w, err);
    if (rc == PL_OK)
        rc = scan_assets(&sc, &as, err);
    if (rc == PL_OK)
        rc = pl__match_scan_warnings(&sc, err);
    if (rc == PL_OK) /* the delta rows every scan state is past */
        rc = pl_store_match_delta_prune(s, err);
    sum->distinct_versions = sc.ix.distinct;
    scan_release(&sc, &as);
    pl__match_eol_release();
    return rc;
}
