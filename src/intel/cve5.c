/*
 * cve5.c - CVE JSON 5 records: one document or JSON lines (the CISA
 * Vulnrichment export). The CNA container gives the description, dates,
 * CVSS, CWEs and references; the CISA ADP container adds SSVC decision
 * points, the "kev" metric and CVSS of its own. REJECTED records are
 * marked withdrawn.
 */
#include <string.h>

#include "patchline/parse.h"

#include "core_int.h"

struct cve5_ctx {
    struct pl_intel_writer *w;
    struct pl_import_stats *stats;
    const struct pl_import_opts *opts;
    const char *path;
    const char *cve;
    struct pl_buf tags;
    pl_time_t newest;
};

static const struct pl__cvss_key cve5_metrics[] = {
    {"cvssV4_0", "4.0"},
    {"cvssV3_1", "3.1"},
    {"cvssV3_0", "3.0"},
    {"cvssV2_0", "2.0"},
};

/* A container's short name: providerMetadata.shortName. */
static pl_status short_name(const struct pl_json *ctr, const char **out, struct pl_error *err)
{
    const struct pl_json *pm;
    pl_status rc;

    *out = NULL;
    if ((rc = pl__intel_want(ctr, NULL, "providerMetadata", PL_JSON_OBJECT, &pm, err)) != PL_OK ||
        pm == NULL)
        return rc;
    return pl__intel_want_str(pm, "providerMetadata", "shortName", false, out, err);
}

/* Lower-case SSVC value, checked against its allowed set. */
static pl_status ssvc_value(const char *name, const struct pl_json *v, const char *const *allowed,
                            char *out, size_t size, const char **dst, struct pl_error *err)
{
    if (v->type != PL_JSON_STRING)
        return pl_error_set(err, PL_E_PARSE, "ssvc '%s': expected a string, got %s", name,
                            pl_json_type_name(v->type));
    for (; *allowed; allowed++) {
        if (pl_strcasecmp(v->str, *allowed) == 0) {
            if (snprintf(out, size, "%s", *allowed) >= (int)size)
                PL_BUG("ssvc value");
            *dst = out;
            return PL_OK;
        }
    }
    return pl_error_set(err, PL_E_PARSE, "ssvc '%s': unknown value '%.40s'", name, v->str);
}

static pl_status cve5_ssvc(struct cve5_ctx *c, const struct pl_json *content, struct pl_error *err)
{
    static const char *const expl[] = {"none", "poc", "active", NULL};
    static const char *const autom[] = {"yes", "no", NULL};
    static const char *const ti[] = {"partial", "total", NULL};
    struct pl_ssvc_entry e = {0};
    char b1[16], b2[16], b3[16];
    const struct pl_json *opts;
    pl_status rc = PL_OK;

    if ((rc = pl__intel_want_str(content, "ssvc", "role", false, &e.role, err)) != PL_OK ||
        (rc = pl__intel_want_str(content, "ssvc", "version", false, &e.version, err)) != PL_OK ||
        (rc = pl__intel_want_time(content, "ssvc", "timestamp", false, &e.assessed, err)) !=
            PL_OK ||
        (rc = pl__intel_want(content, "ssvc", "options", PL_JSON_ARRAY, &opts, err)) != PL_OK)
        return rc;
    for (const struct pl_json *o = opts ? opts->child : NULL; o && rc == PL_OK; o = o->next) {
        for (const struct pl_json *kv = o->child; kv && rc == PL_OK; kv = kv->next) {
            if (o->type != PL_JSON_OBJECT)
                break;
            if (pl_strcasecmp(kv->key, "Exploitation") == 0)
                rc = ssvc_value(kv->key, kv, expl, b1, sizeof(b1), &e.exploitation, err);
            else if (pl_strcasecmp(kv->key, "Automatable") == 0)
                rc = ssvc_value(kv->key, kv, autom, b2, sizeof(b2), &e.automatable, err);
            else if (pl_strcasecmp(kv->key, "Technical Impact") == 0)
                rc = ssvc_value(kv->key, kv, ti, b3, sizeof(b3), &e.technical_impact, err);
        }
    }
    if (rc != PL_OK)
        return rc;
    return pl_intel_put_ssvc(c->w, c->cve, "cve5", &e, err);
}

static pl_status cve5_cvss(struct cve5_ctx *c, const struct pl_json *data, const char *version,
                           const char *source, const char *type, struct pl_error *err)
{
    struct pl_cvss_entry e = {0};
    const struct pl_json *score;
    pl_status rc;

    e.version = version;
    e.source = source ? source : "unknown";
    e.source_type = type;
    if ((rc = pl__intel_want_str(data, "metrics", "vectorString", true, &e.vector, err)) != PL_OK ||
        (rc = pl__intel_want(data, "metrics", "baseScore", PL_JSON_NUMBER, &score, err)) != PL_OK ||
        (rc = pl__intel_want_str(data, "metrics", "baseSeverity", false, &e.severity, err)) !=
            PL_OK)
        return rc;
    e.has_score = score && pl_json_double(score, &e.base_score);
    return pl_intel_put_cvss(c->w, c->cve, "cve5", &e, err);
}

/* metrics[].other: {type: "ssvc"|"kev", content: {...}} */
static pl_status cve5_other(struct cve5_ctx *c, const struct pl_json *other,
                            struct pl_vuln_record *v, struct pl_error *err)
{
    const struct pl_json *content;
    const char *type;
    pl_status rc;

    if ((rc = pl__intel_want_str(other, "other", "type", false, &type, err)) != PL_OK ||
        (rc = pl__intel_want(other, "other", "content", PL_JSON_OBJECT, &content, err)) != PL_OK ||
        type == NULL || content == NULL)
        return rc;
    if (strcmp(type, "ssvc") == 0)
        return cve5_ssvc(c, content, err);
    if (strcmp(type, "kev") == 0 && v) {
        if ((rc = pl__intel_want_time(content, "kev", "dateAdded", true, &v->kev_date_added,
                                      err)) != PL_OK)
            return rc;
        return pl__intel_want_str(content, "kev", "reference", false, &v->kev_reference, err);
    }
    return PL_OK;
}

/*
 * A container's metrics: CVSS and SSVC (the ADP "kev" metric belongs to the
 * record row and was taken before it was written, by cve5_adp_kev).
 */
static pl_status cve5_metrics_all(struct cve5_ctx *c, const struct pl_json *ctr, const char *source,
                                  const char *type, struct pl_error *err)
{
    const struct pl_json *a, *x;
    pl_status rc;

    if ((rc = pl__intel_want(ctr, NULL, "metrics", PL_JSON_ARRAY, &a, err)) != PL_OK || a == NULL)
        return rc;
    for (const struct pl_json *m = a->child; m; m = m->next) {
        for (size_t i = 0; i < PL_ARRAY_LEN(cve5_metrics); i++) {
            if ((rc = pl__intel_want(m, "metrics", cve5_metrics[i].key, PL_JSON_OBJECT, &x, err)) !=
                PL_OK)
                return rc;
            if (x && (rc = cve5_cvss(c, x, cve5_metrics[i].version, source, type, err)) != PL_OK)
                return rc;
        }
        if ((rc = pl__intel_want(m, "metrics", "other", PL_JSON_OBJECT, &x, err)) != PL_OK ||
            (x && (rc = cve5_other(c, x, NULL, err)) != PL_OK))
            return rc;
    }
    return PL_OK;
}

static pl_status cve5_problems(struct cve5_ctx *c, const struct pl_json *ctr, const char *source,
                               struct pl_error *err)
{
    const struct pl_json *a, *d;
    const char *cwe;
    pl_status rc;

    if ((rc = pl__intel_want(ctr, NULL, "problemTypes", PL_JSON_ARRAY, &a, err)) != PL_OK ||
        a == NULL)
        return rc;
    for (const struct pl_json *p = a->child; p; p = p->next) {
        if ((rc = pl__intel_want(p, "problemTypes", "descriptions", PL_JSON_ARRAY, &d, err)) !=
            PL_OK)
            return rc;
        for (const struct pl_json *x = d ? d->child : NULL; x; x = x->next) {
            if ((rc = pl__intel_want_str(x, "problemTypes.descriptions", "cweId", false, &cwe,
                                         err)) != PL_OK)
                return rc;
            if (cwe && (rc = pl_intel_put_cwe(c->w, c->cve, "cve5", cwe, source, err)) != PL_OK)
                return rc;
        }
    }
    return PL_OK;
}

static pl_status cve5_refs(struct cve5_ctx *c, const struct pl_json *ctr, struct pl_error *err)
{
    const struct pl_json *a, *tags;
    const char *url;
    bool exploit;
    pl_status rc;

    if ((rc = pl__intel_want(ctr, NULL, "references", PL_JSON_ARRAY, &a, err)) != PL_OK ||
        a == NULL)
        return rc;
    for (const struct pl_json *ref = a->child; ref; ref = ref->next) {
        pl_buf_reset(&c->tags);
        exploit = false;
        if ((rc = pl__intel_want_str(ref, "references", "url", true, &url, err)) != PL_OK ||
            (rc = pl__intel_want(ref, "references", "tags", PL_JSON_ARRAY, &tags, err)) != PL_OK)
            return rc;
        for (const struct pl_json *t = tags ? tags->child : NULL; t; t = t->next) {
            if (t->type != PL_JSON_STRING)
                return pl_error_set(err, PL_E_PARSE,
                                    "field 'references.tags': expected strings, got %s",
                                    pl_json_type_name(t->type));
            exploit = exploit || pl_strcasecmp(t->str, "exploit") == 0;
            if (c->tags.len)
                pl_buf_addch(&c->tags, ',');
            pl_buf_adds(&c->tags, t->str);
        }
        if (pl_buf_status(&c->tags) != PL_OK)
            return pl_error_set(err, PL_E_TOOBIG, "field 'references.tags': too long");
        if ((rc = pl_intel_put_ref(c->w, c->cve, "cve5", url,
                                   c->tags.len ? pl_buf_cstr(&c->tags) : NULL, exploit, err)) !=
            PL_OK)
            return rc;
    }
    return PL_OK;
}

static pl_status cve5_container(struct cve5_ctx *c, const struct pl_json *ctr, const char *name,
                                const char *type, struct pl_error *err)
{
    pl_status rc;

    if ((rc = cve5_metrics_all(c, ctr, name, type, err)) != PL_OK ||
        (rc = cve5_problems(c, ctr, name, err)) != PL_OK || (rc = cve5_refs(c, ctr, err)) != PL_OK)
        return rc;
    return PL_OK;
}

/* Every container's facts, after the record itself was written. */
static pl_status cve5_facts(struct cve5_ctx *c, const struct pl_json *cna,
                            const struct pl_json *adp, const char *assigner, struct pl_error *err)
{
    const char *name;
    pl_status rc;

    if (cna) {
        if ((rc = short_name(cna, &name, err)) != PL_OK ||
            (rc = cve5_container(c, cna, name ? name : assigner, "cna", err)) != PL_OK)
            return pl__intel_prefix(rc, err, "containers.cna");
    }
    for (const struct pl_json *a = adp ? adp->child : NULL; a; a = a->next) {
        if ((rc = short_name(a, &name, err)) != PL_OK ||
            (rc = cve5_container(c, a, name ? name : "ADP", "adp", err)) != PL_OK)
            return pl__intel_prefix(rc, err, "containers.adp");
    }
    return PL_OK;
}

/* The ADP "kev" metric belongs to the record row: find it before writing. */
static pl_status cve5_adp_kev(struct cve5_ctx *c, const struct pl_json *adp,
                              struct pl_vuln_record *v, struct pl_error *err)
{
    const struct pl_json *a, *other;
    const char *type;
    pl_status rc;

    for (const struct pl_json *ctr = adp ? adp->child : NULL; ctr; ctr = ctr->next) {
        if ((rc = pl__intel_want(ctr, "containers.adp", "metrics", PL_JSON_ARRAY, &a, err)) !=
            PL_OK)
            return rc;
        for (const struct pl_json *m = a ? a->child : NULL; m; m = m->next) {
            other = pl_json_get(m, "other");
            type = pl_json_get_string(other, "type");
            if (type && strcmp(type, "kev") == 0 && (rc = cve5_other(c, other, v, err)) != PL_OK)
                return pl__intel_prefix(rc, err, "containers.adp.metrics");
        }
    }
    return PL_OK;
}

static pl_status cve5_summary(const struct pl_json *cna, const char **out, struct pl_error *err)
{
    const struct pl_json *a;
    const char *lang, *v;
    pl_status rc;

    *out = NULL;
    if ((rc = pl__intel_want(cna, "containers.cna", "descriptions", PL_JSON_ARRAY, &a, err)) !=
            PL_OK ||
        a == NULL)
        return rc;
    for (const struct pl_json *d = a->child; d; d = d->next) {
        if ((rc = pl__intel_want_str(d, "descriptions", "lang", false, &lang, err)) != PL_OK ||
            (rc = pl__intel_want_str(d, "descriptions", "value", true, &v, err)) != PL_OK)
            return rc;
        if (*out == NULL || (lang && pl_starts_with(lang, "en")))
            *out = v;
        if (lang && pl_starts_with(lang, "en"))
            break;
    }
    return PL_OK;
}

static pl_status cve5_meta(struct cve5_ctx *c, const struct pl_json *rec, struct pl_vuln_record *v,
                           struct pl_error *err)
{
    const struct pl_json *meta;
    const char *state, *type;
    pl_status rc;

    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "expected an object, got %s",
                            pl_json_type_name(rec->type));
    if ((rc = pl__intel_want_str(rec, NULL, "dataType", false, &type, err)) != PL_OK)
        return rc;
    if (type && strcmp(type, "CVE_RECORD") != 0)
        return pl_error_set(err, PL_E_PARSE, "field 'dataType': '%.40s', want 'CVE_RECORD'", type);
    if ((rc = pl__intel_want(rec, NULL, "cveMetadata", PL_JSON_OBJECT, &meta, err)) != PL_OK)
        return rc;
    if (meta == NULL)
        return pl_error_set(err, PL_E_PARSE, "field 'cveMetadata': missing");
    if ((rc = pl__intel_want_str(meta, "cveMetadata", "cveId", true, &v->cve, err)) != PL_OK)
        return rc;
    if (!pl__intel_cve_valid(v->cve))
        return pl_error_set(err, PL_E_PARSE, "field 'cveMetadata.cveId': '%.40s' is not a CVE id",
                            v->cve);
    c->cve = v->cve;
    if ((rc = pl__intel_want_str(meta, "cveMetadata", "state", true, &state, err)) != PL_OK ||
        (rc = pl__intel_want_str(meta, "cveMetadata", "assignerShortName", false, &v->assigner,
                                 err)) != PL_OK ||
        (rc = pl__intel_want_time(meta, "cveMetadata", "datePublished", false, &v->published,
                                  err)) != PL_OK ||
        (rc = pl__intel_want_time(meta, "cveMetadata", "dateUpdated", false, &v->modified, err)) !=
            PL_OK)
        return pl__intel_prefix(rc, err, "%s", v->cve);
    if (strcmp(state, "PUBLISHED") != 0 && strcmp(state, "REJECTED") != 0)
        return pl_error_set(err, PL_E_PARSE, "%s: field 'cveMetadata.state': unknown state '%.40s'",
                            v->cve, state);
    v->rejected = strcmp(state, "REJECTED") == 0;
    if (v->modified == 0)
        v->modified = v->published;
    return PL_OK;
}

static pl_status cve5_record(const struct pl_json *rec, uint64_t index, void *data,
                             struct pl_error *err)
{
    struct cve5_ctx *c = data;
    struct pl_vuln_record v = {0};
    const struct pl_json *ctrs = NULL, *cna = NULL, *adp = NULL;
    enum pl_intel_outcome o;
    pl_status rc;

    (void)index;
    v.origin = "cve5";
    if ((rc = cve5_meta(c, rec, &v, err)) != PL_OK)
        return rc;
    if ((rc = pl__intel_want(rec, NULL, "containers", PL_JSON_OBJECT, &ctrs, err)) != PL_OK ||
        (rc = pl__intel_want(ctrs, "containers", "cna", PL_JSON_OBJECT, &cna, err)) != PL_OK ||
        (rc = pl__intel_want(ctrs, "containers", "adp", PL_JSON_ARRAY, &adp, err)) != PL_OK ||
        (rc = cve5_summary(cna, &v.summary, err)) != PL_OK ||
        (rc = cve5_adp_kev(c, adp, &v, err)) != PL_OK)
        return pl__intel_prefix(rc, err, "%s", v.cve);
    if ((rc = pl_intel_put_record(c->w, &v, &o, err)) != PL_OK)
        return rc;
    if (o != PL_INTEL_UNCHANGED && (rc = cve5_facts(c, cna, adp, v.assigner, err)) != PL_OK)
        return pl__intel_prefix(rc, err, "%s", v.cve);
    if (v.modified > c->newest)
        c->newest = v.modified;
    pl__intel_count(c->stats, o);
    c->stats->withdrawn += v.rejected && o != PL_INTEL_UNCHANGED;
    c->stats->records++;
    pl__intel_progress(c->opts, c->path, c->stats->records);
    return PL_OK;
}

pl_status pl_intel_import_cve5(struct pl_store *s, struct pl_reader *r,
                               const struct pl_import_opts *opts, struct pl_import_stats *stats,
                               struct pl_error *err)
{
    struct cve5_ctx c = {NULL, stats, opts, pl_reader_path(r), NULL, PL_BUF_INIT(0), 0};
    struct pl_json_stream_opts jo = {0};
    pl_status rc;

    pl_buf_init(&c.tags, PL_MAX_FIELD_BYTES);
    if ((rc = pl_intel_writer_open(s, opts->feed_id, opts->kind ? opts->kind : "cve5", &c.w,
                                   err)) != PL_OK)
        return rc;
    jo.lines = true;
    jo.on_record = cve5_record;
    jo.data = &c;
    rc = pl_json_stream(r, &jo, err);
    if (rc == PL_OK && stats->records == 0)
        rc = pl_error_set(err, PL_E_PARSE, "%s: no CVE records", c.path);
    /* the newest record date stands for the export's date */
    if (rc == PL_OK)
        stats->released = c.newest;
    pl_intel_writer_close(c.w);
    pl_buf_release(&c.tags);
    return rc;
}
