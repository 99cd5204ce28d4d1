/*
 * gate.c - the CI gate: tier every vulnerability of a Trivy JSON report
 * with the policy engine, streaming one Results entry at a time (beside the
 * other scanner code that match tiers: scanner.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/json.h"
#include "patchline/match.h"
#include "patchline/parse.h"
#include "patchline/policy.h"

struct gate {
    const char *path;
    const struct pl_policy *policy;
    int fail_on;
    struct pl_gate_result *res;
    size_t cap;
};

static void copy(char *dst, size_t size, const char *s)
{
    if (snprintf(dst, size, "%s", s ? s : "") < 0)
        dst[0] = '\0';
}

/* CVSS from the report's CVSS block: nvd first, then redhat (v3 only). */
static void cvss_facts(const struct pl_json *v, struct pl_facts *f)
{
    static const char *const sources[] = {"nvd", "redhat"};
    const struct pl_json *cvss = pl_json_get(v, "CVSS");
    for (size_t i = 0; cvss && i < PL_ARRAY_LEN(sources); i++) {
        const struct pl_json *s = pl_json_get(cvss, sources[i]);
        double score;
        if (s == NULL || !pl_json_double(pl_json_get(s, "V3Score"), &score) || score < 0 ||
            score > 10)
            continue;
        f->has_cvss = true;
        f->cvss = score;
        f->cvss_version = "3";
        f->cvss_vector = pl_json_get_string(s, "V3Vector");
        f->cvss_prov.source = sources[i];
        return;
    }
}

static pl_status add_hit(struct gate *g, const struct pl_json *v, const char *target,
                         const struct pl_decision *d, const char *sev)
{
    struct pl_gate_result *r = g->res;
    struct pl_gate_finding *h;
    if (r->n_hits == PL_MAX_GATE_HITS)
        return PL_E_TOOBIG;
    r->hits = pl_xgrow(r->hits, r->n_hits, &g->cap, 64, sizeof(*r->hits));
    h = &r->hits[r->n_hits++];
    copy(h->id, sizeof(h->id), pl_json_get_string(v, "VulnerabilityID"));
    copy(h->target, sizeof(h->target), target);
    copy(h->pkg, sizeof(h->pkg), pl_json_get_string(v, "PkgName"));
    copy(h->installed, sizeof(h->installed), pl_json_get_string(v, "InstalledVersion"));
    copy(h->fixed, sizeof(h->fixed), pl_json_get_string(v, "FixedVersion"));
    copy(h->severity, sizeof(h->severity), sev);
    h->score = d->score;
    h->tier = d->tier;
    return PL_OK;
}

static pl_status on_result(const struct pl_json *rec, uint64_t index, void *data,
                           struct pl_error *err)
{
    struct gate *g = data;
    const struct pl_json *vulns = pl_json_get(rec, "Vulnerabilities");
    const char *target = pl_json_get_string(rec, "Target");
    uint64_t k = 0;

    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: Results[%llu]: want an object", g->path,
                            (unsigned long long)index);
    if (vulns == NULL || vulns->type == PL_JSON_NULL)
        return PL_OK;
    if (vulns->type != PL_JSON_ARRAY)
        return pl_error_set(err, PL_E_PARSE, "%s: Results[%llu].Vulnerabilities: want an array",
                            g->path, (unsigned long long)index);
    for (const struct pl_json *v = vulns->child; v; v = v->next, k++) {
        struct pl_facts f = {0};
        struct pl_decision d;
        const char *sev = pl_json_get_string(v, "Severity");
        const char *fixed = pl_json_get_string(v, "FixedVersion");
        if (v->type != PL_JSON_OBJECT || pl_json_get_string(v, "VulnerabilityID") == NULL)
            return pl_error_set(err, PL_E_PARSE,
                                "%s: Results[%llu].Vulnerabilities[%llu]: want an object with "
                                "a VulnerabilityID",
                                g->path, (unsigned long long)index, (unsigned long long)k);
        cvss_facts(v, &f);
        if (sev && pl_strcasecmp(sev, "UNKNOWN") != 0) {
            f.vendor_severity = sev;
            f.vendor_prov.source = "trivy";
        }
        f.fix_available = fixed && fixed[0] ? PL_TRI_YES : PL_TRI_NO;
        pl_policy_evaluate(g->policy, &f, &d);
        g->res->total++;
        g->res->per_tier[d.tier == PL_TIER_UNSCORED ? PL_MAX_POLICY_TIERS : d.tier]++;
        if (d.tier != PL_TIER_UNSCORED && d.tier <= g->fail_on &&
            add_hit(g, v, target, &d, sev) != PL_OK)
            return pl_error_set(err, PL_E_TOOBIG, "%s: more than %d findings at or above tier %d",
                                g->path, PL_MAX_GATE_HITS, g->fail_on);
    }
    return PL_OK;
}

static pl_status on_rest(const struct pl_json *doc, uint64_t index, void *data,
                         struct pl_error *err)
{
    struct gate *g = data;
    const struct pl_json *results = pl_json_get(doc, "Results");
    (void)index;
    if (doc->type != PL_JSON_OBJECT || pl_json_get(doc, "SchemaVersion") == NULL ||
        (results && results->type != PL_JSON_ARRAY))
        return pl_error_set(err, PL_E_PARSE,
                            "%s: not a Trivy JSON report (no SchemaVersion and Results)", g->path);
    copy(g->res->artifact, sizeof(g->res->artifact), pl_json_get_string(doc, "ArtifactName"));
    return PL_OK;
}

pl_status pl_gate_trivy(const char *path, const struct pl_policy *p, int fail_on,
                        struct pl_gate_result *out, struct pl_error *err)
{
    struct gate g = {.path = path, .policy = p, .fail_on = fail_on, .res = out};
    struct pl_json_stream_opts so = {
        .records_path = "Results", .on_record = on_result, .on_rest = on_rest, .data = &g};
    struct pl_reader *r = NULL;
    pl_status rc;

    memset(out, 0, sizeof(*out));
    rc = pl_reader_open(path, PL_MAX_TRIVY_REPORT_BYTES, &r, err);
    if (rc == PL_OK)
        rc = pl_json_stream(r, &so, err);
    pl_reader_close(r);
    if (rc != PL_OK)
        pl_gate_result_release(out);
    return rc;
}

void pl_gate_result_release(struct pl_gate_result *r)
{
    free(r->hits);
    r->hits = NULL;
    r->n_hits = 0;
}
