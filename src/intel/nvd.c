/*
 * nvd.c - NVD CVE API 2.0 responses: {"format": "NVD_CVE", "vulnerabilities":
 * [{"cve": {...}}, ...]}, streamed one CVE at a time, so that a multi-GB
 * dump of concatenated pages stays in bounded memory; and the JSON lines of
 * NVD data-feed mirrors, one bare `cve` object a line (kind "nvd-cve").
 */
#include <string.h>

#include "patchline/parse.h"

#include "core_int.h"

#define NVD_SOURCE "nvd@nist.gov"

struct nvd_ctx {
    struct pl_intel_writer *w;
    struct pl_import_stats *stats;
    const struct pl_import_opts *opts;
    const char *path;
    const char *cve;
    pl_time_t newest;
};

static const struct pl__cvss_key nvd_metrics[] = {
    {"cvssMetricV40", "4.0"},
    {"cvssMetricV31", "3.1"},
    {"cvssMetricV30", "3.0"},
    {"cvssMetricV2", "2.0"},
};

static pl_status nvd_metric(struct nvd_ctx *c, const struct pl_json *m, const char *version,
                            struct pl_error *err)
{
    struct pl_cvss_entry e = {0};
    const struct pl_json *data, *score;
    pl_status rc;

    e.version = version;
    if ((rc = pl__intel_want_str(m, NULL, "source", true, &e.source, err)) != PL_OK ||
        (rc = pl__intel_want_str(m, NULL, "type", false, &e.role, err)) != PL_OK ||
        (rc = pl__intel_want(m, NULL, "cvssData", PL_JSON_OBJECT, &data, err)) != PL_OK)
        return rc;
    if (data == NULL)
        return pl_error_set(err, PL_E_PARSE, "field 'cvssData': missing");
    if ((rc = pl__intel_want_str(data, "cvssData", "vectorString", true, &e.vector, err)) !=
            PL_OK ||
        (rc = pl__intel_want(data, "cvssData", "baseScore", PL_JSON_NUMBER, &score, err)) !=
            PL_OK ||
        (rc = pl__intel_want_str(data, "cvssData", "baseSeverity", false, &e.severity, err)) !=
            PL_OK)
        return rc;
    if (e.severity == NULL &&
        (rc = pl__intel_want_str(m, NULL, "baseSeverity", false, &e.severity, err)) != PL_OK)
        return rc;
    e.has_score = score && pl_json_double(score, &e.base_score);
    e.source_type = strcmp(e.source, NVD_SOURCE) == 0 ? "nvd" : "cna";
    return pl_intel_put_cvss(c->w, c->cve, "nvd", &e, err);
}

static pl_status nvd_metrics_all(struct nvd_ctx *c, const struct pl_json *cve, struct pl_error *err)
{
    const struct pl_json *metrics, *a;
    pl_status rc;

    if ((rc = pl__intel_want(cve, NULL, "metrics", PL_JSON_OBJECT, &metrics, err)) != PL_OK ||
        metrics == NULL)
        return rc;
    for (size_t i = 0; i < PL_ARRAY_LEN(nvd_metrics); i++) {
        if ((rc = pl__intel_want(metrics, "metrics", nvd_metrics[i].key, PL_JSON_ARRAY, &a, err)) !=
            PL_OK)
            return rc;
        for (const struct pl_json *m = a ? a->child : NULL; m; m = m->next)
            if ((rc = nvd_metric(c, m, nvd_metrics[i].version, err)) != PL_OK)
                return pl__intel_prefix(rc, err, "metrics.%s", nvd_metrics[i].key);
    }
    return PL_OK;
}

static pl_status nvd_weaknesses(struct nvd_ctx *c, const struct pl_json *cve, struct pl_error *err)
{
    const struct pl_json *a, *d;
    const char *src, *v;
    pl_status rc;

    if ((rc = pl__intel_want(cve, NULL, "weaknesses", PL_JSON_ARRAY, &a, err)) != PL_OK ||
        a == NULL)
        return rc;
    for (const struct pl_json *w = a->child; w; w = w->next) {
        if ((rc = pl__intel_want_str(w, "weaknesses", "source", false, &src, err)) != PL_OK ||
            (rc = pl__intel_want(w, "weaknesses", "description", PL_JSON_ARRAY, &d, err)) != PL_OK)
            return rc;
        for (const struct pl_json *x = d ? d->child : NULL; x; x = x->next) {
            if ((rc = pl__intel_want_str(x, "weaknesses.description", "value", true, &v, err)) !=
                PL_OK)
                return rc;
            if ((rc = pl_intel_put_cwe(c->w, c->cve, "nvd", v, src, err)) != PL_OK)
                return rc;
        }
    }
    return PL_OK;
}

/* Join the string elements of tags with ","; *exploit when one is "Exploit". */
static pl_status join_tags(const struct pl_json *tags, const char *exploit_tag, struct pl_buf *out,
                           bool *exploit, struct pl_error *err)
{
    pl_buf_reset(out);
    *exploit = false;
    for (const struct pl_json *t = tags ? tags->child : NULL; t; t = t->next) {
        if (t->type != PL_JSON_STRING)
            return pl_error_set(err, PL_E_PARSE,
                                "field 'references.tags': expected strings, got %s",
                                pl_json_type_name(t->type));
        if (pl_strcasecmp(t->str, exploit_tag) == 0)
            *exploit = true;
        if (out->len)
            pl_buf_addch(out, ',');
        pl_buf_adds(out, t->str);
    }
    return pl_buf_status(out);
}

static pl_status nvd_references(struct nvd_ctx *c, const struct pl_json *cve, struct pl_error *err)
{
    struct pl_buf tags = PL_BUF_INIT(PL_MAX_FIELD_BYTES);
    const struct pl_json *a, *t;
    const char *url;
    bool exploit;
    pl_status rc;

    if ((rc = pl__intel_want(cve, NULL, "references", PL_JSON_ARRAY, &a, err)) != PL_OK ||
        a == NULL)
        return rc;
    for (const struct pl_json *ref = a->child; ref && rc == PL_OK; ref = ref->next) {
        if ((rc = pl__intel_want_str(ref, "references", "url", true, &url, err)) != PL_OK ||
            (rc = pl__intel_want(ref, "references", "tags", PL_JSON_ARRAY, &t, err)) != PL_OK ||
            (rc = join_tags(t, "Exploit", &tags, &exploit, err)) != PL_OK)
            break;
        rc = pl_intel_put_ref(c->w, c->cve, "nvd", url, tags.len ? pl_buf_cstr(&tags) : NULL,
                              exploit, err);
    }
    pl_buf_release(&tags);
    return rc;
}

static pl_status nvd_cpe(struct nvd_ctx *c, const struct pl_json *m, struct pl_cpe_entry *e,
                         struct pl_error *err)
{
    static const char *const keys[] = {"criteria",
                                       "versionStartIncluding",
                                       "versionStartExcluding",
                                       "versionEndIncluding",
                                       "versionEndExcluding",
                                       "matchCriteriaId"};
    const char **dst[] = {&e->criteria,      &e->start_including, &e->start_excluding,
                          &e->end_including, &e->end_excluding,   &e->match_id};
    const struct pl_json *vul;
    pl_status rc;

    for (size_t i = 0; i < PL_ARRAY_LEN(keys); i++)
        if ((rc = pl__intel_want_str(m, "cpeMatch", keys[i], i == 0, dst[i], err)) != PL_OK)
            return rc;
    if ((rc = pl__intel_want(m, "cpeMatch", "vulnerable", PL_JSON_BOOL, &vul, err)) != PL_OK)
        return rc;
    if (vul == NULL)
        return pl_error_set(err, PL_E_PARSE, "field 'cpeMatch.vulnerable': missing");
    e->vulnerable = strcmp(vul->str, "true") == 0;
    return pl_intel_put_cpe(c->w, c->cve, "nvd", e, err);
}

static pl_status nvd_node(struct nvd_ctx *c, const struct pl_json *node, struct pl_cpe_entry *e,
                          struct pl_error *err)
{
    const struct pl_json *neg, *a;
    pl_status rc;

    if ((rc = pl__intel_want_str(node, "nodes", "operator", false, &e->node_operator, err)) !=
            PL_OK ||
        (rc = pl__intel_want(node, "nodes", "negate", PL_JSON_BOOL, &neg, err)) != PL_OK ||
        (rc = pl__intel_want(node, "nodes", "cpeMatch", PL_JSON_ARRAY, &a, err)) != PL_OK)
        return rc;
    e->negate = neg && strcmp(neg->str, "true") == 0;
    for (const struct pl_json *m = a ? a->child : NULL; m; m = m->next)
        if ((rc = nvd_cpe(c, m, e, err)) != PL_OK)
            return rc;
    return PL_OK;
}

static pl_status nvd_configurations(struct nvd_ctx *c, const struct pl_json *cve,
                                    struct pl_error *err)
{
    const struct pl_json *a, *nodes;
    struct pl_cpe_entry e;
    pl_status rc;
    int ci = 0;

    if ((rc = pl__intel_want(cve, NULL, "configurations", PL_JSON_ARRAY, &a, err)) != PL_OK ||
        a == NULL)
        return rc;
    for (const struct pl_json *cfg = a->child; cfg; cfg = cfg->next, ci++) {
        int ni = 0;

        memset(&e, 0, sizeof(e));
        e.config = ci;
        if ((rc = pl__intel_want_str(cfg, "configurations", "operator", false, &e.config_operator,
                                     err)) != PL_OK ||
            (rc = pl__intel_want(cfg, "configurations", "nodes", PL_JSON_ARRAY, &nodes, err)) !=
                PL_OK)
            return rc;
        for (const struct pl_json *n = nodes ? nodes->child : NULL; n; n = n->next, ni++) {
            e.node = ni;
            if ((rc = nvd_node(c, n, &e, err)) != PL_OK)
                return rc;
        }
    }
    return PL_OK;
}

/* The English description, else the first one. */
static pl_status nvd_summary(const struct pl_json *cve, const char **out, struct pl_error *err)
{
    const struct pl_json *a;
    const char *lang, *v;
    pl_status rc;

    *out = NULL;
    if ((rc = pl__intel_want(cve, NULL, "descriptions", PL_JSON_ARRAY, &a, err)) != PL_OK ||
        a == NULL)
        return rc;
    for (const struct pl_json *d = a->child; d; d = d->next) {
        if ((rc = pl__intel_want_str(d, "descriptions", "lang", false, &lang, err)) != PL_OK ||
            (rc = pl__intel_want_str(d, "descriptions", "value", true, &v, err)) != PL_OK)
            return rc;
        if (*out == NULL || (lang && strcmp(lang, "en") == 0 && *out != v))
            *out = v;
        if (lang && strcmp(lang, "en") == 0)
            break;
    }
    return PL_OK;
}

static pl_status nvd_head(struct nvd_ctx *c, const struct pl_json *cve, struct pl_vuln_record *v,
                          struct pl_error *err)
{
    const char *status;
    pl_status rc;

    v->origin = "nvd";
    if ((rc = pl__intel_want_str(cve, NULL, "sourceIdentifier", false, &v->assigner, err)) !=
            PL_OK ||
        (rc = pl__intel_want_time(cve, NULL, "published", false, &v->published, err)) != PL_OK ||
        (rc = pl__intel_want_time(cve, NULL, "lastModified", true, &v->modified, err)) != PL_OK ||
        (rc = pl__intel_want_str(cve, NULL, "vulnStatus", false, &status, err)) != PL_OK ||
        (rc = pl__intel_want_time(cve, NULL, "cisaExploitAdd", false, &v->kev_date_added, err)) !=
            PL_OK ||
        (rc = pl__intel_want_str(cve, NULL, "cisaVulnerabilityName", false, &v->kev_reference,
                                 err)) != PL_OK ||
        (rc = nvd_summary(cve, &v->summary, err)) != PL_OK)
        return rc;
    v->rejected = status && strcmp(status, "Rejected") == 0;
    if (v->modified > c->newest)
        c->newest = v->modified;
    return PL_OK;
}

/* One `cve` object: the record and, when it changed, its facts. */
static pl_status nvd_cve(struct nvd_ctx *c, const struct pl_json *cve, struct pl_error *err)
{
    struct pl_vuln_record v = {0};
    enum pl_intel_outcome o;
    pl_status rc;

    if ((rc = pl__intel_want_str(cve, "cve", "id", true, &v.cve, err)) != PL_OK)
        return rc;
    if (!pl__intel_cve_valid(v.cve))
        return pl_error_set(err, PL_E_PARSE, "field 'cve.id': '%.40s' is not a CVE id", v.cve);
    c->cve = v.cve;
    if ((rc = nvd_head(c, cve, &v, err)) != PL_OK ||
        (rc = pl_intel_put_record(c->w, &v, &o, err)) != PL_OK)
        return pl__intel_prefix(rc, err, "%s", v.cve);
    if (o != PL_INTEL_UNCHANGED && ((rc = nvd_metrics_all(c, cve, err)) != PL_OK ||
                                    (rc = nvd_weaknesses(c, cve, err)) != PL_OK ||
                                    (rc = nvd_references(c, cve, err)) != PL_OK ||
                                    (rc = nvd_configurations(c, cve, err)) != PL_OK))
        return pl__intel_prefix(rc, err, "%s", v.cve);
    pl__intel_count(c->stats, o);
    c->stats->withdrawn += v.rejected && o != PL_INTEL_UNCHANGED;
    c->stats->records++;
    pl__intel_progress(c->opts, c->path, c->stats->records);
    return PL_OK;
}

static pl_status nvd_record(const struct pl_json *rec, uint64_t index, void *data,
                            struct pl_error *err)
{
    struct nvd_ctx *c = data;
    const struct pl_json *cve;
    pl_status rc;

    (void)index;
    if ((rc = pl__intel_want(rec, NULL, "cve", PL_JSON_OBJECT, &cve, err)) != PL_OK)
        return rc;
    if (cve == NULL)
        return pl_error_set(err, PL_E_PARSE, "field 'cve': missing");
    return nvd_cve(c, cve, err);
}

/* A line of an NVD data-feed mirror: the bare `cve` object, or {"cve": {...}}. */
static pl_status nvd_line(const struct pl_json *rec, uint64_t index, void *data,
                          struct pl_error *err)
{
    struct nvd_ctx *c = data;

    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "want a CVE object, not %s",
                            pl_json_type_name(rec->type));
    if (pl_json_get(rec, "cve") != NULL)
        return nvd_record(rec, index, data, err);
    return nvd_cve(c, rec, err);
}

static pl_status nvd_rest(const struct pl_json *doc, uint64_t index, void *data,
                          struct pl_error *err)
{
    struct nvd_ctx *c = data;
    const char *format, *version;
    pl_status rc;

    (void)index;
    if ((rc = pl__intel_want_str(doc, NULL, "format", false, &format, err)) != PL_OK ||
        (rc = pl__intel_want_str(doc, NULL, "version", false, &version, err)) != PL_OK ||
        (rc = pl__intel_want_time(doc, NULL, "timestamp", false, &c->stats->released, err)) !=
            PL_OK)
        return pl__intel_prefix(rc, err, "%s", c->path);
    if (format && strcmp(format, "NVD_CVE") != 0)
        return pl_error_set(err, PL_E_PARSE, "%s: field 'format': '%.40s', want 'NVD_CVE'", c->path,
                            format);
    if (version && snprintf(c->stats->version, sizeof(c->stats->version), "%s", version) >=
                       (int)sizeof(c->stats->version))
        return pl_error_set(err, PL_E_TOOBIG, "%s: field 'version': too long", c->path);
    return PL_OK;
}

pl_status pl_intel_import_nvd(struct pl_store *s, struct pl_reader *r,
                              const struct pl_import_opts *opts, struct pl_import_stats *stats,
                              struct pl_error *err)
{
    struct nvd_ctx c = {NULL, stats, opts, pl_reader_path(r), NULL, 0};
    struct pl_json_stream_opts jo = {0};
    pl_status rc;

    if ((rc = pl_intel_writer_open(s, opts->feed_id, "nvd", &c.w, err)) != PL_OK)
        return rc;
    jo.records_path = "vulnerabilities";
    jo.on_record = nvd_record;
    jo.on_rest = nvd_rest;
    jo.data = &c;
    rc = pl_json_stream(r, &jo, err);
    if (rc == PL_OK && stats->released == 0)
        stats->released = c.newest;
    pl_intel_writer_close(c.w);
    return rc;
}

pl_status pl_intel_import_nvd_lines(struct pl_store *s, struct pl_reader *r,
                                    const struct pl_import_opts *opts,
                                    struct pl_import_stats *stats, struct pl_error *err)
{
    struct nvd_ctx c = {NULL, stats, opts, pl_reader_path(r), NULL, 0};
    struct pl_json_stream_opts jo = {0};
    pl_status rc;

    if ((rc = pl_intel_writer_open(s, opts->feed_id, "nvd", &c.w, err)) != PL_OK)
        return rc;
    jo.lines = true;
    jo.on_record = nvd_line;
    jo.data = &c;
    rc = pl_json_stream(r, &jo, err);
    if (rc == PL_OK)
        stats->released = c.newest;
    pl_intel_writer_close(c.w);
    return rc;
}
