/*
 * scanner.c - vulnerabilities that scanners reported (Trivy, Grype,
 * Nessus, Qualys, ...) join the same findings. A (package, vulnerability)
 * the matcher also found is one finding (the matcher's) with the scanners
 * as further witnesses (witness.c). A package a scanner names that no
 * inventory lists is matched against the advisories as the scanner saw it
 * (name, version, source package). A scanner's report the advisory data
 * contradicts (the installed version at or past a fix) is a disputed
 * finding; otherwise the scanner's finding stands, with the scanner as its
 * origin, and closes when that scanner stops reporting it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/limits.h"

#include "scan_int.h"

static pl_status add_sv(void *ctx, const struct pl_scanner_view *v, struct pl_error *err)
{
    struct pl__asset_scan *as = ctx;

    (void)err;
    as->svs = pl_xgrow(as->svs, as->n_svs, &as->cap_svs, 64, sizeof(*as->svs));
    pl__match_sv_copy(&as->arena, v, &as->svs[as->n_svs++]);
    return pl_arena_status(&as->arena);
}

static const struct pl__pkg *pkg_named(const struct pl__asset_scan *as, const char *name)
{
    uint32_t at;

    return pl__match_smap_get(&as->pkg_map, name, strlen(name), &at) && at < as->n_pkgs
               ? &as->pkgs[at]
               : NULL;
}

/*
 * The packages scanners name that no inventory lists (a report without
 * --list-all-pkgs, Grype): matched as the scanner saw them.
 */
static pl_status scanner_pkgs(struct pl__scan *sc, struct pl__asset_scan *as, struct pl_error *err)
{
    size_t n = as->n_svs;
    pl_status rc = PL_OK;

    for (uint32_t i = 0; i < as->n_pkgs; i++)
        pl__match_smap_put(&as->pkg_map, as->pkgs[i].name, strlen(as->pkgs[i].name), i);
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        const struct pl__sv *v = &as->svs[i];
        struct pl__pkg *k;
        uint32_t at = (uint32_t)as->n_pkgs;

        if (v->evidence || v->package[0] == '\0' || v->installed == NULL ||
            v->package_ecosystem == NULL || strcmp(v->status, "open") != 0 ||
            as->n_pkgs >= PL_MAX_PACKAGES_PER_ASSET ||
            pl__match_smap_put(&as->pkg_map, v->package, strlen(v->package), at) != at)
            continue;
        as->pkgs = pl_xgrow(as->pkgs, as->n_pkgs, &as->cap_pkgs, 1024, sizeof(*as->pkgs));
        k = &as->pkgs[as->n_pkgs++];
        memset(k, 0, sizeof(*k));
        k->pkg_eco = v->package_ecosystem;
        k->name = v->package;
        k->version = v->installed;
        k->src = v->source_package;
        rc = pl__match_scan_match_pkg(sc, as, at, err);
    }
    return rc;
}

pl_status pl__match_scanner_load(struct pl__scan *sc, struct pl__asset_scan *as,
                                 struct pl_error *err)
{
    const char **ids;
    pl_status rc;

    as->n_svs = 0;
    if ((rc = pl_store_scanner_vulns_each(sc->s, as->asset->id, add_sv, as, err)) != PL_OK ||
        (rc = scanner_pkgs(sc, as, err)) != PL_OK ||
        (rc = pl__match_vex_load(sc, as, err)) != PL_OK ||
        (rc = pl__match_cpe_match(sc, as, err)) != PL_OK ||
        (rc = pl__match_eol_match(sc, as, err)) != PL_OK || as->n_svs == 0)
        return rc;
    ids = pl_xcalloc(as->n_svs, sizeof(*ids));
    for (size_t i = 0; i < as->n_svs; i++)
        ids[i] = as->svs[i].vuln;
    rc = pl__match_scan_need_vulns(sc, ids, as->n_svs, err);
    free(ids);
    return rc;
}

/* The match fields of a scanner report into f; returns whether any changed. */
static bool fill_sv(const struct pl__sv *v, struct pl_finding *f)
{
    char ev[512];
    bool ch = false;

    if (v->evidence)
        snprintf(ev, sizeof(ev), "%s", v->evidence);
    else
        snprintf(ev, sizeof(ev), "reported by %s%s%.300s", v->source, v->title ? ": " : "",
                 v->title ? v->title : "");
    ch |= pl__match_set_str(&f->installed_version, v->installed);
    ch |= pl__match_set_str(&f->fixed_version, v->fixed && v->fixed[0] ? v->fixed : NULL);
    ch |= pl__match_set_str(&f->feed, v->feed ? v->feed : v->source);
    ch |= pl__match_set_str(&f->evidence, ev);
    ch |= pl__match_set_str(&f->source_package, v->source_package);
    /* a scanner's severity word is a witness's fact (witness.c), not the vendor's severity */
    ch |= pl__match_set_str(&f->vendor_severity, NULL);
    return ch;
}

/*
 * The advisory data's proof that the scanner's package is at or past a fix
 * of its vulnerability; for a report without a package (no package finding
 * of it stands), that an installed package the advisories name for it is.
 */
static bool disputed(struct pl__scan *sc, const struct pl__asset_scan *as, const struct pl__sv *v,
                     char *proof, size_t cap)
{
    const struct pl__pkg *k = v->evidence ? NULL : pkg_named(as, v->package);

    if (v->evidence == NULL && v->package[0] == '\0') {
        for (size_t i = 0; i < as->n_pkgs; i++)
            if (pl__match_pkg_fix_proven(sc, &as->pkgs[i], v->vuln, NULL, NULL, proof, cap))
                return true;
        return false;
    }
    return k && pl__match_pkg_fix_proven(sc, k, v->vuln, NULL, NULL, proof, cap);
}

/*
 * A scanner's report without a package of a vulnerability a live package
 * finding of the asset has: a witness of that finding (tiering and explain
 * read it there); its own stored finding, when live, is folded into it.
 */
static pl_status witness_only(struct pl__scan *sc, struct pl__asset_scan *as,
                              const struct pl__sv *v, int64_t into, struct pl_finding_list *stored,
                              bool *seen, struct pl_error *err)
{
    char key[PL_MAX_NAME_BYTES + 8], detail[256];
    int n = snprintf(key, sizeof(key), "\x1f%s", v->vuln);
    struct pl_finding *f;
    uint32_t at;
    pl_status rc;

    if (n <= 0 || (size_t)n >= sizeof(key) ||
        !pl__match_smap_get(&as->stored_map, key, (size_t)n, &at) || seen[at])
        return PL_OK;
    seen[at] = true;
    f = &stored->items[at];
    if (f->package[0] != '\0' || !pl__match_live(f->status))
        return PL_OK; /* adopted by a package this scan, or closed: its history stays */
    snprintf(detail, sizeof(detail),
             "finding %lld (%.60s, without a package) folded in: %.60s a "
             "witness of this finding",
             (long long)f->id, f->origin, f->origin);
    if ((rc = pl_findings_event(sc->w, into, sc->o->now, "witnessed", NULL, NULL, -1, 0, detail,
                                err)) != PL_OK ||
        (rc = pl_findings_merge(sc->w, f->id, into, err)) != PL_OK)
        return rc;
    sc->sum->written++;
    pl__match_set_str(&f->status, "merged"); /* gone: not counted */
    return PL_OK;
}

/* The evidence's status for f (VEX, dispute), moved when it differs. */
static pl_status judge(struct pl__scan *sc, struct pl__asset_scan *as, struct pl_finding *f,
                       const char *proof, bool *dirty, struct pl_error *err)
{
    char why[1024];
    const char *to = pl__match_verdict(as, f, proof, why, sizeof(why));
    bool moved = false;
    pl_status rc = pl__match_move_status(sc, f, to, why, &moved, err);

    *dirty |= moved;
    return rc;
}

static pl_status one_sv(struct pl__scan *sc, struct pl__asset_scan *as, const struct pl__sv *v,
                        struct pl_finding_list *stored, bool *seen, struct pl_error *err)
{
    char key[2 * PL_MAX_NAME_BYTES + 8], proof[3 * PL_MAX_VERSION_BYTES];
    int n = snprintf(key, sizeof(key), "%s\x1f%s", v->package, v->vuln);
    const char *why = NULL;
    struct pl_finding nf;
    uint32_t at;
    pl_status rc;

    if (strcmp(v->status, "open") != 0 || n <= 0 || (size_t)n >= sizeof(key) ||
        pl__match_smap_get(&as->cands_map, key, (size_t)n, &at))
        return PL_OK; /* resolved, or the matcher's own finding covers it */
    if (v->evidence == NULL && v->package[0] == '\0' && pl__match_target_get(as, v->vuln))
        return witness_only(sc, as, v, pl__match_target_get(as, v->vuln), stored, seen, err);
    if (disputed(sc, as, v, proof, sizeof(proof)))
        why = proof;
    if (pl__match_smap_get(&as->stored_map, key, (size_t)n, &at)) {
        struct pl_finding *f = &stored->items[at];
        bool dirty = false;

        if (seen[at])
            return PL_OK; /* two scanners report it: the first one wrote it */
        seen[at] = true;
        if (strcmp(f->origin, v->source) == 0)
            dirty = fill_sv(v, f);
        dirty |= pl__match_witness_clock(as, f);
        if ((rc = judge(sc, as, f, why, &dirty, err)) != PL_OK ||
            (rc = pl__match_settle_seen(sc, as, f, dirty, err)) != PL_OK)
            return rc;
        if (f->package[0] != '\0' && pl__match_live(f->status))
            pl__match_target_put(as, f->vuln_id, f->id);
        return PL_OK;
    }
    memset(&nf, 0, sizeof(nf));
    nf.tier = -1;
    nf.asset_id = as->asset->id;
    nf.vuln_id = pl_xstrdup(v->vuln);
    nf.package = pl_xstrdup(v->package);
    nf.origin = pl_xstrdup(v->source);
    nf.status = pl_xstrdup("open");
    nf.first_seen = sc->o->now;
    fill_sv(v, &nf);
    (void)pl__match_witness_clock(as, &nf);
    {
        char text[1024];
        const char *to = pl__match_verdict(as, &nf, why, text, sizeof(text));

        if (strcmp(to, "open") != 0) {
            pl__match_set_str(&nf.status, to);
            pl__match_set_str(&nf.fix_proof, text);
            sc->sum->disputed += strcmp(to, "disputed") == 0;
            sc->sum->not_affected += strcmp(to, "not-affected") == 0;
        }
    }
    rc = pl__match_settle_new(sc, as, &nf, err);
    if (rc == PL_OK && nf.package[0] != '\0' && pl__match_live(nf.status))
        pl__match_target_put(as, nf.vuln_id, nf.id);
    pl_finding_release(&nf);
    return rc;
}

pl_status pl__match_scanner_diff(struct pl__scan *sc, struct pl__asset_scan *as,
                                 struct pl_finding_list *stored, bool *seen, bool hostwide,
                                 struct pl_error *err)
{
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < as->n_svs; i++)
        if ((as->svs[i].evidence == NULL && as->svs[i].package[0] == '\0') == hostwide)
            rc = one_sv(sc, as, &as->svs[i], stored, seen, err);
    return rc;
}

bool pl__match_scanner_resolved(const struct pl__asset_scan *as, const struct pl_finding *f,
                                char *proof, size_t cap)
{
    for (size_t i = 0; i < as->n_svs; i++) {
        const struct pl__sv *v = &as->svs[i];
        char date[16];

        if (strcmp(v->source, f->origin) != 0 || strcmp(v->vuln, f->vuln_id) != 0 ||
            strcmp(v->package, f->package) != 0)
            continue;
        if (strcmp(v->status, "resolved") != 0)
            return false;
        snprintf(proof, cap, "%s no longer reports it (resolved %s)", v->source,
                 v->resolved_at ? pl_date_format(v->resolved_at, date) : "at its last run");
        return true;
    }
    return false;
}
