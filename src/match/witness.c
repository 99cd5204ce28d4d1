/*
 * witness.c - one finding, many witnesses: what the scanners that report a
 * (package, vulnerability) said is folded into its facts (their CVSS when
 * no NVD, CNA or CISA score exists, their severity word as a band, never a
 * vendor emergency, their exploit flags), their earliest detection starts
 * the SLA clock, and VEX statements that cover a finding decide whether it
 * is not affected.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/cvss.h"
#include "patchline/limits.h"

#include "scan_int.h"

static const char *adup(struct pl_arena *a, const char *s)
{
    return s ? pl_arena_strndup(a, s, strlen(s)) : NULL;
}

void pl__match_sv_copy(struct pl_arena *arena, const struct pl_scanner_view *v, struct pl__sv *x)
{
    memset(x, 0, sizeof(*x));
    x->source = adup(arena, v->source);
    x->vuln = adup(arena, v->vuln_id);
    x->package = adup(arena, v->package ? v->package : "");
    x->installed = adup(arena, v->installed_version);
    x->fixed = adup(arena, v->fixed_version);
    x->severity = adup(arena, v->severity);
    x->title = adup(arena, v->title);
    x->status = adup(arena, v->status);
    x->resolved_at = v->resolved_at;
    x->cvss_version = adup(arena, v->cvss_version);
    x->cvss_vector = adup(arena, v->cvss_vector);
    x->cvss_source = adup(arena, v->cvss_source);
    x->vendor_severity = adup(arena, v->vendor_severity);
    x->exploit = adup(arena, v->exploit);
    x->source_package = adup(arena, v->source_package);
    x->package_ecosystem = adup(arena, v->package_ecosystem);
    x->cvss_score = v->cvss_score;
    x->has_cvss_score = v->has_cvss_score;
    x->first_seen = v->first_seen;
    x->first_detected = v->first_detected;
}

/* A scanner's report of vuln on package, or of vuln on the host without a package (a witness of
 * every package finding of vuln). */
static bool reports(const struct pl__sv *v, const char *package, const char *vuln)
{
    return v->evidence == NULL && strcmp(v->vuln, vuln) == 0 &&
           (v->package[0] == '\0' || strcmp(v->package, package) == 0);
}

bool pl__match_hostwide(const struct pl__asset_scan *as, const char *vuln)
{
    for (size_t i = 0; i < as->n_svs; i++) {
        const struct pl__sv *v = &as->svs[i];

        if (v->evidence == NULL && v->package[0] == '\0' && strcmp(v->status, "open") == 0 &&
            strcmp(v->vuln, vuln) == 0)
            return true;
    }
    return false;
}

bool pl__match_has_hostwide(const struct pl__asset_scan *as)
{
    for (size_t i = 0; i < as->n_svs; i++)
        if (as->svs[i].evidence == NULL && as->svs[i].package[0] == '\0' &&
            strcmp(as->svs[i].status, "open") == 0)
            return true;
    return false;
}

void pl__match_target_put(struct pl__asset_scan *as, const char *vuln, int64_t id)
{
    size_t n = strlen(vuln);

    if (id <= 0 || pl__match_smap_put(&as->targets, vuln, n, (uint32_t)as->n_tgt) != as->n_tgt)
        return;
    as->tgt_ids = pl_xgrow(as->tgt_ids, as->n_tgt, &as->cap_tgt, 64, sizeof(*as->tgt_ids));
    as->tgt_ids[as->n_tgt++] = id;
}

int64_t pl__match_target_get(const struct pl__asset_scan *as, const char *vuln)
{
    uint32_t at;

    return pl__match_smap_get(&as->targets, vuln, strlen(vuln), &at) && at < as->n_tgt
               ? as->tgt_ids[at]
               : 0;
}

bool pl__match_live(const char *status)
{
    switch (pl_finding_status(status)) {
    case PL_MX_OPEN:
    case PL_MX_MITIGATED:
    case PL_MX_ACCEPTED:
    case PL_MX_DISPUTED:
    case PL_MX_NOT_AFFECTED:
    case PL_MX_AWAITING_REPO:
        return true;
    default:
        return false;
    }
}

/* The score of a scanner's CVSS: computed from its vector, else the published one. */
static bool sv_score(const struct pl__sv *v, double *score)
{
    struct pl_cvss_score sc;
    struct pl_error e = PL_ERROR_INIT;

    if (v->cvss_vector && pl_cvss_score(v->cvss_vector, &sc, &e) == PL_OK) {
        *score = sc.base;
        return true;
    }
    if (v->has_cvss_score) {
        *score = v->cvss_score;
        return true;
    }
    return false;
}

static int sev_rank(const char *s)
{
    static const char *const order[] = {"none", "low", "medium", "high", "critical"};

    for (int i = 0; s && i < (int)PL_ARRAY_LEN(order); i++)
        if (strcmp(s, order[i]) == 0)
            return i;
    return -1;
}

void pl__match_witness_facts(const struct pl__sv *svs, size_t n, const char *package,
                             const char *vuln, struct pl_facts *facts, char *note, size_t cap)
{
    const struct pl__sv *cv = NULL, *sev = NULL;
    double cv_score = 0, s;

    for (size_t i = 0; i < n; i++) {
        const struct pl__sv *v = &svs[i];

        if (!reports(v, package, vuln) || strcmp(v->status, "open") != 0)
            continue;
        if (cv == NULL && sv_score(v, &s)) {
            cv = v;
            cv_score = s;
        }
        if (sev_rank(v->severity) >= 0 &&
            (sev == NULL || sev_rank(v->severity) > sev_rank(sev->severity)))
            sev = v;
        if (v->exploit && facts->exploit_refs != PL_TRI_YES) {
            facts->exploit_refs = PL_TRI_YES;
            facts->exploit_prov = (struct pl_prov){v->source, v->exploit, NULL};
        }
    }
    if (sev) {
        facts->scanner_severity = sev->severity;
        facts->scanner_prov = (struct pl_prov){sev->source, sev->vendor_severity, NULL};
    }
    if (cv == NULL || facts->has_cvss)
        return;
    facts->has_cvss = true;
    facts->cvss = cv_score;
    facts->cvss_version = cv->cvss_version ? cv->cvss_version : "3.1";
    facts->cvss_vector = cv->cvss_vector;
    facts->cvss_prov = (struct pl_prov){cv->source, cv->cvss_source, NULL};
    if (note && cap)
        snprintf(note, cap, "CVSS %s reported by %s (%s's score%s): %.1f%s", facts->cvss_version,
                 cv->source, cv->cvss_source ? cv->cvss_source : cv->source,
                 cv->has_cvss_score ? "" : ", no published score", cv_score,
                 cv->cvss_vector ? " from the vector" : " as published");
}

pl_time_t pl__match_witness_first(const struct pl__sv *svs, size_t n, const char *package,
                                  const char *vuln, const char **source)
{
    pl_time_t best = 0;

    for (size_t i = 0; i < n; i++) {
        const struct pl__sv *v = &svs[i];
        pl_time_t t;

        if (!reports(v, package, vuln))
            continue;
        t = v->first_detected && v->first_detected < v->first_seen ? v->first_detected
                                                                   : v->first_seen;
        if (t > 0 && (best == 0 || t < best)) {
            best = t;
            if (source)
                *source = v->source;
        }
    }
    return best;
}

bool pl__match_witness_clock(const struct pl__asset_scan *as, struct pl_finding *f)
{
    pl_time_t t = pl__match_witness_first(as->svs, as->n_svs, f->package, f->vuln_id, NULL);

    if (t == 0 || (f->first_seen && t >= f->first_seen))
        return false;
    f->first_seen = t;
    f->tiered_at = 0; /* the due date follows the earlier clock */
    return true;
}

/* ---- VEX ---------------------------------------------------------------- */

static pl_status add_vex(void *ctx, const struct pl_vex_view *v, struct pl_error *err)
{
    struct pl__asset_scan *as = ctx;
    struct pl__vex *x;

    (void)err;
    as->vex = pl_xgrow(as->vex, as->n_vex, &as->cap_vex, 16, sizeof(*as->vex));
    x = &as->vex[as->n_vex++];
    x->id = v->id;
    x->asset_id = v->asset_id;
    x->source = adup(&as->arena, v->source);
    x->vuln = adup(&as->arena, v->vuln_id);
    x->product = adup(&as->arena, v->product);
    x->version = adup(&as->arena, v->version);
    x->state = adup(&as->arena, v->state);
    x->justification = adup(&as->arena, v->justification);
    x->detail = adup(&as->arena, v->detail);
    x->stated_at = v->stated_at;
    return pl_arena_status(&as->arena);
}

pl_status pl__match_vex_load(struct pl__scan *sc, struct pl__asset_scan *as, struct pl_error *err)
{
    as->n_vex = 0;
    return pl_store_vex_each(sc->s, as->asset->id, add_vex, as, err);
}

/* "pkg:TYPE/NS/NAME@VERSION?..." -> NAME and VERSION; a BOM-Link's "#pkg:..." part too. */
static bool purl_parts(const char *p, char *name, size_t ncap, char *ver, size_t vcap)
{
    const char *hash = strstr(p, "#pkg:");
    const char *end, *at, *slash;

    if (hash)
        p = hash + 1;
    if (strncmp(p, "pkg:", 4) != 0)
        return false;
    end = p + strcspn(p, "?#");
    at = memchr(p, '@', (size_t)(end - p));
    slash = p;
    for (const char *c = p; c < (at ? at : end); c++)
        if (*c == '/')
            slash = c;
    if (slash == p || (size_t)((at ? at : end) - slash - 1) >= ncap)
        return false;
    snprintf(name, ncap, "%.*s", (int)((at ? at : end) - slash - 1), slash + 1);
    if (at && (size_t)(end - at - 1) < vcap)
        snprintf(ver, vcap, "%.*s", (int)(end - at - 1), at + 1);
    else
        ver[0] = '\0';
    return name[0] != '\0';
}

/*
 * Whether statement x covers finding f: same vulnerability, and a product
 * that names the package (by purl or name; the source package too) at the
 * installed version when it gives one, or a statement about this asset
 * whose product is the asset itself.
 */
static bool covers(const struct pl__asset_scan *as, const struct pl__vex *x,
                   const struct pl_finding *f)
{
    char name[PL_MAX_NAME_BYTES], ver[PL_MAX_VERSION_BYTES + 1];
    const char *want_ver = x->version;
    bool named;

    if (strcmp(x->vuln, f->vuln_id) != 0)
        return false;
    if (purl_parts(x->product, name, sizeof(name), ver, sizeof(ver))) {
        named = strcmp(name, f->package) == 0 ||
                (f->source_package && strcmp(name, f->source_package) == 0);
        if (want_ver == NULL && ver[0])
            want_ver = ver;
    } else {
        named = strcmp(x->product, f->package) == 0 ||
                (f->source_package && strcmp(x->product, f->source_package) == 0);
        if (!named && x->asset_id == as->asset->id)
            return want_ver == NULL; /* the asset is the product */
    }
    if (!named)
        return false;
    return want_ver == NULL ||
           (f->installed_version && strcmp(want_ver, f->installed_version) == 0);
}

const char *pl__match_verdict(const struct pl__asset_scan *as, const struct pl_finding *f,
                              const char *dispute_proof, char *why, size_t cap)
{
    const struct pl__vex *last = NULL;
    char date[16];

    if (pl_finding_status(f->status) != PL_MX_OPEN &&
        pl_finding_status(f->status) != PL_MX_DISPUTED &&
        pl_finding_status(f->status) != PL_MX_NOT_AFFECTED)
        return f->status;
    for (size_t i = 0; i < as->n_vex; i++) /* oldest first: the last one that covers it speaks */
        if (covers(as, &as->vex[i], f) && strcmp(as->vex[i].state, "in_triage") != 0 &&
            strcmp(as->vex[i].state, "unknown") != 0)
            last = &as->vex[i];
    if (last &&
        (strcmp(last->state, "not_affected") == 0 || strcmp(last->state, "false_positive") == 0)) {
        snprintf(why, cap, "VEX %s%s%s%s by %s (%s)%s%.300s", last->state,
                 last->justification ? " (" : "", last->justification ? last->justification : "",
                 last->justification ? ")" : "", last->source,
                 last->stated_at ? pl_date_format(last->stated_at, date) : "undated",
                 last->detail ? ": " : "", last->detail ? last->detail : "");
        return "not-affected";
    }
    if (dispute_proof) {
        snprintf(why, cap, "the scanner reports it, the advisory data proves it fixed: %s",
                 dispute_proof);
        return "disputed";
    }
    if (last && pl_finding_status(f->status) == PL_MX_NOT_AFFECTED)
        snprintf(why, cap, "VEX %s by %s (%s) reopens it", last->state, last->source,
                 last->stated_at ? pl_date_format(last->stated_at, date) : "undated");
    else
        why[0] = '\0';
    return "open";
}
