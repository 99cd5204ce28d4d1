/*
 * facts.c - struct pl_facts from the store: the vulnerability's risk facts
 * (KEV, CVSS chosen by precedence and scored from its vector, EPSS, SSVC,
 * exploit references), the asset's and the finding's.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "patchline/clock.h"
#include "patchline/cvss.h"

#include "eol_int.h"
#include "match_int.h"

/* Precedence of CVSS versions, then of source types within a version. */
static const char *const cvss_versions[] = {"3.1", "4.0", "3.0", "2.0"};
static const char *const cvss_sources[] = {"nvd", "cna", "adp"};

/* A published score further than this from the computed one is a disagreement. */
#define CVSS_TOLERANCE 0.05

static void date_of(pl_time_t t, char *buf)
{
    if (t > 0)
        pl_date_format(t, buf);
    else
        buf[0] = '\0';
}

static const char *opt(const char *s)
{
    return s && s[0] ? s : NULL;
}

/*
 * Score every vector from its text, write back computed scores that are
 * missing or wrong, and pick the first valid vector by precedence.
 */
static pl_status choose_cvss(struct pl_store *s, const struct pl_vuln_risk *r, struct pl__vfacts *v,
                             uint64_t *scored, struct pl_error *err)
{
    const struct pl_risk_cvss *best = NULL;
    double best_score = 0;
    int best_rank = 1 << 20;

    for (size_t i = 0; i < r->n_cvss; i++) {
        const struct pl_risk_cvss *c = &r->cvss[i];
        struct pl_cvss_score sc;
        struct pl_error e = PL_ERROR_INIT;
        int rank = 0;
        pl_status rc;

        if (pl_cvss_score(c->vector, &sc, &e) != PL_OK)
            continue; /* a vector that does not parse is not trusted */
        if (s && (!c->has_computed || fabs(c->computed - sc.base) > 1e-9)) {
            if ((rc = pl_store_cvss_set_computed(s, c->row_id, sc.base, err)) != PL_OK)
                return rc;
            if (scored)
                (*scored)++;
        }
        for (size_t k = 0; k < PL_ARRAY_LEN(cvss_versions); k++)
            if (strcmp(c->version, cvss_versions[k]) == 0)
                rank = (int)k * 8;
        for (size_t k = 0; k < PL_ARRAY_LEN(cvss_sources); k++)
            if (strcmp(c->source_type, cvss_sources[k]) == 0)
                rank += (int)k;
        if (rank < best_rank) {
            best = c;
            best_rank = rank;
            best_score = sc.base;
        }
    }
    if (best == NULL)
        return PL_OK;
    v->f.has_cvss = true;
    v->f.cvss = best_score;
    v->f.cvss_version = best->version;
    v->f.cvss_vector = best->vector;
    v->f.cvss_prov = (struct pl_prov){best->source, best->version, v->cvss_date};
    date_of(best->feed_date, v->cvss_date);
    v->disagree = best->has_published && fabs(best->published - best_score) > CVSS_TOLERANCE;
    if (best->has_published)
        snprintf(v->cvss_note, sizeof(v->cvss_note),
                 "CVSS %s from %s (%s): published %.1f, computed %.1f from the vector%s",
                 best->version, best->source, best->source_type, best->published, best_score,
                 v->disagree ? ": they disagree, the computed score is used" : "");
    else
        snprintf(v->cvss_note, sizeof(v->cvss_note),
                 "CVSS %s from %s (%s): no published score, computed %.1f from the vector",
                 best->version, best->source, best->source_type, best_score);
    return PL_OK;
}

static void ssvc(const struct pl_vuln_risk *r, struct pl__vfacts *v)
{
    const char *e = r->ssvc_exploitation, *a = r->ssvc_automatable, *t = r->ssvc_technical_impact;

    if (r->ssvc_origin == NULL)
        return;
    if (e)
        v->f.exploitation = strcmp(e, "active") == 0 ? PL_EXPLOIT_ACTIVE
                            : strcmp(e, "poc") == 0  ? PL_EXPLOIT_POC
                                                     : PL_EXPLOIT_NONE;
    if (a)
        v->f.automatable = strcmp(a, "yes") == 0 ? PL_TRI_YES : PL_TRI_NO;
    if (t)
        v->f.technical_impact = strcmp(t, "total") == 0 ? PL_TI_TOTAL : PL_TI_PARTIAL;
    date_of(r->ssvc_date, v->ssvc_date);
    v->f.ssvc_prov = (struct pl_prov){"vulnrichment", r->ssvc_origin, opt(v->ssvc_date)};
}

pl_status pl__match_vfacts_build(struct pl_store *s, const struct pl_vuln_risk *r,
                                 struct pl__vfacts *v, uint64_t *scored, struct pl_error *err)
{
    memset(v, 0, sizeof(*v));
    if (r->kev) {
        v->f.kev = true;
        v->f.kev_ransomware = r->kev_ransomware;
        v->f.kev_added = r->kev_added;
        date_of(r->kev_added, v->kev_date);
        v->f.kev_prov = (struct pl_prov){"cisa-kev", opt(r->kev_feed_version), opt(v->kev_date)};
    }
    if (r->vendor_exploited) {
        v->f.vendor_exploited = true;
        date_of(r->vendor_exploited_date, v->vendor_date);
        v->f.vendor_exploited_prov =
            (struct pl_prov){"msrc", opt(r->vendor_exploited_doc), opt(v->vendor_date)};
    }
    if (r->has_epss) {
        v->f.has_epss = true;
        v->f.epss = r->epss;
        v->f.epss_percentile = r->epss_percentile;
        v->f.epss_date = r->epss_date;
        date_of(r->epss_date, v->epss_date);
        v->f.epss_prov = (struct pl_prov){"epss", NULL, opt(v->epss_date)};
    }
    ssvc(r, v);
    v->published = r->published;
    v->published_origin = r->published_origin;
    if (r->exploit_refs > 0) {
        v->f.exploit_refs = PL_TRI_YES;
        date_of(r->exploit_date, v->exploit_date);
        v->f.exploit_prov =
            (struct pl_prov){r->exploit_origin, "exploit-tagged reference", opt(v->exploit_date)};
    } else if (r->n_cvss > 0) {
        v->f.exploit_refs = PL_TRI_NO; /* the record is known and tags no exploit */
    }
    return choose_cvss(s, r, v, scored, err);
}

void pl__match_facts_asset(const struct pl_match_asset *a, struct pl_facts *f, char *date,
                           size_t cap)
{
    const char *x = a->exposure, *e = a->environment, *c = a->criticality;

    f->exposure = x && strcmp(x, "yes") == 0  ? PL_TRI_YES
                  : x && strcmp(x, "no") == 0 ? PL_TRI_NO
                                              : PL_TRI_UNKNOWN;
    f->environment = e == NULL                   ? PL_ENV_UNKNOWN
                     : strcmp(e, "prod") == 0    ? PL_ENV_PROD
                     : strcmp(e, "staging") == 0 ? PL_ENV_STAGING
                     : strcmp(e, "dev") == 0     ? PL_ENV_DEV
                                                 : PL_ENV_UNKNOWN;
    f->criticality = c == NULL                    ? PL_CRIT_UNKNOWN
                     : strcmp(c, "low") == 0      ? PL_CRIT_LOW
                     : strcmp(c, "medium") == 0   ? PL_CRIT_MEDIUM
                     : strcmp(c, "high") == 0     ? PL_CRIT_HIGH
                     : strcmp(c, "critical") == 0 ? PL_CRIT_CRITICAL
                                                  : PL_CRIT_UNKNOWN;
    f->kind = a->kind;
    f->tags = (const char *const *)a->tags;
    f->n_tags = a->n_tags;
    if (cap >= 11 && a->last_seen > 0)
        pl_date_format(a->last_seen, date);
    else if (cap)
        date[0] = '\0';
    f->asset_prov = (struct pl_prov){"inventory", a->name, opt(date)};
}

/* Debian urgencies that are a vendor severity (the tracker's own, not NVD's "**"). */
static const char *vendor_severity(const char *sev)
{
    size_t n;

    if (sev == NULL || sev[0] == '\0')
        return NULL;
    n = strlen(sev);
    if (n >= 2 && strcmp(sev + n - 2, "**") == 0)
        return NULL;
    if (strcmp(sev, "not yet assigned") == 0 || strcmp(sev, "end-of-life") == 0 ||
        strcmp(sev, "unknown") == 0)
        return NULL;
    return sev;
}

void pl__match_facts_finding(const struct pl_finding *fnd, struct pl_facts *f)
{
    f->fix_available = fnd->fixed_version ? PL_TRI_YES : PL_TRI_NO;
    f->fix_prov = (struct pl_prov){fnd->feed, fnd->advisory, NULL};
    f->distro_decision =
        fnd->fixed_version || !pl_finding_marker_decided(fnd->marker) ? NULL : fnd->marker;
    if (fnd->fixed_version && fnd->marker && strcmp(fnd->marker, "ubuntu-pro") == 0)
        f->fix_available = PL_TRI_NO; /* the fix needs an Ubuntu Pro subscription */
    f->vendor_severity = vendor_severity(fnd->vendor_severity);
    if (f->vendor_severity)
        f->vendor_prov = (struct pl_prov){fnd->feed, fnd->advisory, NULL};
}

/* "cpe VENDOR:PRODUCT VERSION ..." (a CPE finding's evidence, cpe.c) and the part of its criteria.
 */
static bool evidence_product(const char *ev, char *part, char *buf, size_t cap)
{
    const char *p, *crit;
    size_t n;

    if (ev == NULL)
        return false;
    p = strncmp(ev, "cpe ", 4) == 0 ? ev : strstr(ev, "' is cpe ");
    crit = strstr(ev, ": cpe:2.3:");
    if (p == NULL || crit == NULL || crit[10] == '\0' || crit[11] != ':')
        return false;
    p = strstr(p, "cpe ") + 4;
    n = strcspn(p, " ");
    if (n == 0 || n >= cap || memchr(p, ':', n) == NULL)
        return false;
    memcpy(buf, p, n);
    buf[n] = '\0';
    *part = crit[10];
    return true;
}

void pl__match_facts_product(const struct pl_product_map *m, const struct pl_finding *fnd,
                             struct pl_facts *f, char *buf, size_t cap)
{
    char part, vendor[128];
    const struct pl_product *prod;
    const char *colon;

    f->package = fnd->package;
    f->end_of_life = strncmp(fnd->vuln_id, "eol:", 4) == 0;
    f->minor_lag = strncmp(fnd->vuln_id, "lag:", 4) == 0;
    f->product = NULL;
    f->product_class = NULL;
    f->product_prov = (struct pl_prov){"inventory", fnd->package, NULL};
    if (f->end_of_life || f->minor_lag) {
        f->product = fnd->package;
        f->product_class = pl__match_eol_class(fnd->package);
        f->product_prov = (struct pl_prov){"endoflife.date", fnd->package, pl__match_eol_source()};
        return;
    }
    if (!pl__match_cpe_feed(fnd->feed) || !evidence_product(fnd->evidence, &part, buf, cap))
        return;
    f->product = buf;
    colon = strchr(buf, ':');
    if ((size_t)(colon - buf) >= sizeof(vendor))
        return;
    memcpy(vendor, buf, (size_t)(colon - buf));
    vendor[colon - buf] = '\0';
    prod = pl_product_by_cpe(m, part, vendor, colon + 1);
    f->product_class = prod ? prod->class_ : NULL;
    f->product_prov = (struct pl_prov){"product map", buf, NULL};
}

void pl__match_facts_release(struct pl_store *s, const struct pl_finding *fnd,
                             const struct pl__vfacts *vf, pl_time_t now, struct pl_facts *f,
                             struct pl__release_bufs *rb)
{
    const char *product =
        f->end_of_life || f->minor_lag ? fnd->package : pl__match_eol_cpe_product(f->product);
    struct pl__eol_date d;
    pl_time_t t;

    f->has_release_age = false;
    f->release_age = 0;
    f->fix_released = 0;
    memset(&f->release_prov, 0, sizeof(f->release_prov));
    memset(&f->fix_release_prov, 0, sizeof(f->fix_release_prov));
    if (product && pl__match_eol_released(s, product, fnd->installed_version, true, &d) &&
        pl_time_parse(d.date, &t, NULL) == PL_OK) {
        memcpy(rb->age_date, d.date, sizeof(rb->age_date));
        memcpy(rb->age_what, d.what, sizeof(rb->age_what));
        memcpy(rb->age_src, d.source, sizeof(rb->age_src));
        f->has_release_age = true;
        f->release_age = now > t ? (double)(now - t) / 86400.0 : 0.0;
        f->release_prov = (struct pl_prov){rb->age_src, rb->age_what, rb->age_date};
    }
    if (fnd->fixed_version == NULL)
        return;
    if (product && pl__match_eol_released(s, product, fnd->fixed_version, false, &d) &&
        pl_time_parse(d.date, &t, NULL) == PL_OK) {
        memcpy(rb->fix_date, d.date, sizeof(d.date));
        memcpy(rb->fix_what, d.what, sizeof(rb->fix_what));
        memcpy(rb->fix_src, d.source, sizeof(rb->fix_src));
        f->fix_released = t;
    } else if (vf && vf->published > 0) {
        pl_time_format(vf->published, rb->fix_date);
        snprintf(rb->fix_what, sizeof(rb->fix_what), "%s published (no release date of %s)",
                 fnd->vuln_id, fnd->fixed_version);
        snprintf(rb->fix_src, sizeof(rb->fix_src), "%s",
                 vf->published_origin ? vf->published_origin : "advisory");
        f->fix_released = vf->published;
    } else {
        return;
    }
    f->fix_release_prov = (struct pl_prov){rb->fix_src, rb->fix_what, rb->fix_date};
}
