/*
 * scanner.c - vulnerabilities that scanners reported (Trivy, Grype,
 * Nessus, Qualys, ...) join the same findings, with the scanner as their
 * origin. A (package, vulnerability) the matcher also found stays one
 * finding (the matcher's). A scanner finding closes when that scanner
 * stops reporting it (its row resolved), which is the scanner's own proof.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/limits.h"

#include "scan_int.h"

static const char *adup(struct pl_arena *a, const char *s)
{
    return s ? pl_arena_strndup(a, s, strlen(s)) : NULL;
}

static pl_status add_sv(void *ctx, const struct pl_scanner_view *v, struct pl_error *err)
{
    struct pl__asset_scan *as = ctx;
    struct pl__sv *x;

    (void)err;
    as->svs = pl_xgrow(as->svs, as->n_svs, &as->cap_svs, 64, sizeof(*as->svs));
    x = &as->svs[as->n_svs++];
    x->source = adup(&as->arena, v->source);
    x->vuln = adup(&as->arena, v->vuln_id);
    x->package = adup(&as->arena, v->package ? v->package : "");
    x->installed = adup(&as->arena, v->installed_version);
    x->fixed = adup(&as->arena, v->fixed_version);
    x->severity = adup(&as->arena, v->severity);
    x->title = adup(&as->arena, v->title);
    x->status = adup(&as->arena, v->status);
    x->resolved_at = v->resolved_at;
    x->evidence = x->feed = NULL;
    return pl_arena_status(&as->arena);
}

pl_status pl__scanner_load(struct pl__scan *sc, struct pl__asset_scan *as, struct pl_error *err)
{
    const char **ids;
    pl_status rc;

    as->n_svs = 0;
    if ((rc = pl_store_scanner_vulns_each(sc->s, as->asset->id, add_sv, as, err)) != PL_OK ||
        (rc = pl__cpe_match(sc, as, err)) != PL_OK || as->n_svs == 0)
        return rc;
    ids = pl_xcalloc(as->n_svs, sizeof(*ids));
    for (size_t i = 0; i < as->n_svs; i++)
        ids[i] = as->svs[i].vuln;
    rc = pl__scan_need_vulns(sc, ids, as->n_svs, err);
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
    ch |= pl__set_str(&f->installed_version, v->installed);
    ch |= pl__set_str(&f->fixed_version, v->fixed && v->fixed[0] ? v->fixed : NULL);
    ch |= pl__set_str(&f->feed, v->feed ? v->feed : v->source);
    ch |= pl__set_str(&f->evidence, ev);
    ch |= pl__set_str(&f->vendor_severity,
                      v->severity && strcmp(v->severity, "unknown") != 0 ? v->severity : NULL);
    return ch;
}

pl_status pl__scanner_diff(struct pl__scan *sc, struct pl__asset_scan *as,
                           struct pl_finding_list *stored, bool *seen, struct pl_error *err)
{
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < as->n_svs; i++) {
        const struct pl__sv *v = &as->svs[i];
        char key[2 * PL_MAX_NAME_BYTES + 8];
        int n = snprintf(key, sizeof(key), "%s\x1f%s", v->package, v->vuln);
        struct pl_finding nf;
        uint32_t at;

        if (strcmp(v->status, "open") != 0 || n <= 0 || (size_t)n >= sizeof(key) ||
            pl__smap_get(&as->cands_map, key, (size_t)n, &at))
            continue; /* resolved, or the matcher's own finding covers it */
        if (pl__smap_get(&as->stored_map, key, (size_t)n, &at)) {
            struct pl_finding *f = &stored->items[at];
            bool dirty = false;

            if (seen[at])
                continue; /* two scanners report it: the first one wrote it */
            seen[at] = true;
            if (strcmp(f->origin, v->source) == 0)
                dirty = fill_sv(v, f);
            rc = pl__settle_seen(sc, as, f, dirty, err);
            continue;
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
        rc = pl__settle_new(sc, as, &nf, err);
        pl_finding_release(&nf);
    }
    return rc;
}

bool pl__scanner_resolved(const struct pl__asset_scan *as, const struct pl_finding *f, char *proof,
                          size_t cap)
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
