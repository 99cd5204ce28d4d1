/*
 * close.c - closing an open finding the scan no longer matched. A finding
 * is closed only on evidence from the inventory: the asset is retired, the
 * package is gone, or the installed version is at or past a fixed version
 * the advisories name. Otherwise (an advisory changed its mind, a feed went
 * missing) it stays open and is counted as unproven.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/limits.h"

#include "scan_int.h"

static const struct pl__pkg *find_pkg(const struct pl__asset_scan *as, const char *name)
{
    for (size_t i = 0; i < as->n_pkgs; i++)
        if (strcmp(as->pkgs[i].name, name) == 0)
            return &as->pkgs[i];
    return NULL;
}

bool pl__match_pkg_fix_proven(struct pl__scan *sc, const struct pl__pkg *k, const char *vuln,
                              const char *recorded_fix, const char *recorded_src, char *proof,
                              size_t cap)
{
    enum pl_vscheme scheme;
    int c;

    if (k->eco == NULL)
        return false;
    if (pl__match_index_fix_proven(&sc->ix, k->eco, "source", k->src ? k->src : k->name, vuln,
                                   k->srcver ? k->srcver : k->version, proof, cap) ||
        pl__match_index_fix_proven(&sc->ix, k->eco, "binary", k->name, vuln, k->version, proof,
                                   cap))
        return true;
    /* the advisory row is gone: the fixed version recorded at match time still proves it */
    if (recorded_fix && pl__match_eco_scheme(k->eco, &scheme)) {
        const char *v = k->srcver && recorded_src && k->src && strcmp(recorded_src, k->src) == 0
                            ? k->srcver
                            : k->version;

        if (pl_version_cmp(scheme, v, recorded_fix, &c, NULL) == PL_OK && c >= 0) {
            snprintf(proof, cap, "%s %s >= fixed %s (%s order, recorded fix)",
                     recorded_src ? recorded_src : k->name, v, recorded_fix,
                     pl_vscheme_name(scheme));
            return true;
        }
    }
    return false;
}

static size_t slot(const struct pl_finding *f)
{
    if (f->unscored || f->tier < 0)
        return PL_MATCH_TIERS;
    return f->tier < PL_MATCH_TIERS ? (size_t)f->tier : PL_MATCH_TIERS - 1;
}

/* Not matched, not proven fixed: an open finding stays open (counted); an excepted one stays. */
static pl_status unproven(struct pl__scan *sc, const struct pl_finding *f)
{
    if (pl_finding_status(f->status) == PL_MX_OPEN) {
        sc->sum->unproven++;
        sc->sum->open.n[slot(f)]++;
    }
    return PL_OK;
}

/*
 * The advisory data proves the package at or past the fix, but a scanner
 * still reports the vulnerability on the asset without naming a package:
 * disputed (or not affected under VEX), never silently fixed.
 */
static pl_status witness_disputes(struct pl__scan *sc, const struct pl__asset_scan *as,
                                  struct pl_finding *f, const struct pl__pkg *k, const char *proof,
                                  struct pl_error *err)
{
    char why[1024];
    const char *to = pl__match_verdict(as, f, proof, why, sizeof(why));
    bool moved = false;
    pl_status rc = pl__match_move_status(sc, f, to, why, &moved, err);

    if (rc != PL_OK || !moved)
        return rc;
    pl__match_set_str(&f->installed_version, k->version);
    f->last_seen = sc->o->now;
    sc->sum->written++;
    return pl_findings_update(sc->w, f, err);
}

pl_status pl__match_scan_close(struct pl__scan *sc, struct pl__asset_scan *as, struct pl_finding *f,
                               struct pl_error *err)
{
    char proof[3 * PL_MAX_VERSION_BYTES];
    const struct pl__pkg *k = NULL;
    const char *to;
    pl_status rc;

    proof[0] = '\0';
    if (as->asset->retired) {
        to = "asset-retired";
        snprintf(proof, sizeof(proof), "asset %s retired", as->asset->name);
        sc->sum->retired++;
    } else if (strcmp(f->origin, "match") != 0) {
        if (!pl__match_scanner_resolved(as, f, proof, sizeof(proof)))
            return unproven(sc, f);
        to = "fixed";
        sc->sum->fixed.n[slot(f)]++;
    } else if (pl__match_cpe_feed(f->feed)) { /* software known by CPE */
        if (pl__match_cpe_still_there(as, f->package, proof, sizeof(proof))) {
            to = "fixed";
            sc->sum->fixed.n[slot(f)]++;
        } else {
            to = "package-removed";
            snprintf(proof, sizeof(proof), "no CPE of %s is known for the asset any more",
                     f->package);
            sc->sum->removed++;
        }
    } else if (f->feed && strcmp(f->feed, "eol") == 0 && strncmp(f->vuln_id, "lag:", 4) == 0) {
        const char *cycle = strrchr(f->vuln_id, ':') + 1; /* lag:PRODUCT:CYCLE (eol.c) */

        if (pl__match_eol_lag_gone(as, f->package, cycle, proof, sizeof(proof))) {
            to = "fixed";
            sc->sum->fixed.n[slot(f)]++;
        } else if (as->eol_have && strstr(as->eol_have, f->package)) {
            return unproven(sc, f); /* still there, behind: the data no longer says so */
        } else {
            to = "package-removed";
            snprintf(proof, sizeof(proof), "%s is no longer known for the asset", f->package);
            sc->sum->removed++;
        }
    } else if (f->feed && strcmp(f->feed, "eol") == 0) { /* end of life (eol.c) */
        if (pl__match_eol_still_there(as, f->package, sc->o->now, proof, sizeof(proof))) {
            to = "fixed";
            sc->sum->fixed.n[slot(f)]++;
        } else {
            to = "package-removed";
            snprintf(proof, sizeof(proof), "%s is no longer known for the asset", f->package);
            sc->sum->removed++;
        }
    } else if ((k = find_pkg(as, f->package)) == NULL) {
        to = "package-removed";
        snprintf(proof, sizeof(proof), "%s is no longer installed", f->package);
        sc->sum->removed++;
    } else if (k->skip) { /* a kernel not running, or matched through its meta-package */
        to = "fixed";
        snprintf(proof, sizeof(proof), "%s", k->note ? k->note : "kernel matched otherwise");
        sc->sum->fixed.n[slot(f)]++;
    } else if (pl__match_pkg_fix_proven(sc, k, f->vuln_id, f->fixed_version, f->source_package,
                                        proof, sizeof(proof))) {
        if (pl__match_hostwide(as, f->vuln_id))
            return witness_disputes(sc, as, f, k, proof, err);
        to = "fixed";
        sc->sum->fixed.n[slot(f)]++;
    } else if (k->eco &&
               (pl__match_index_not_affected(&sc->ix, k->eco, "source", k->src ? k->src : k->name,
                                             f->vuln_id, proof, sizeof(proof)) ||
                pl__match_index_not_affected(&sc->ix, k->eco, "binary", k->name, f->vuln_id, proof,
                                             sizeof(proof)))) {
        /* the distribution now states the package is not affected: the finding closes */
        if (pl_finding_status(f->status) == PL_MX_NOT_AFFECTED)
            return PL_OK; /* closed so already (by this statement or a VEX one) */
        to = "not-affected";
        sc->sum->not_affected++;
    } else {
        return unproven(sc, f);
    }
    if ((rc = pl_findings_event(sc->w, f->id, sc->o->now, to, f->status, to, f->tier, f->due_at,
                                proof, err)) != PL_OK)
        return rc;
    free(f->status);
    f->status = pl_xstrdup(to);
    free(f->fix_proof);
    f->fix_proof = pl_xstrdup(proof);
    if (k) {
        free(f->installed_version);
        f->installed_version = pl_xstrdup(k->version);
    }
    f->resolved_at = sc->o->now;
    f->last_seen = sc->o->now;
    sc->sum->written++;
    return pl_findings_update(sc->w, f, err);
}
