/*
 * cyclonedx.c - import a CycloneDX JSON BOM (spec 1.2 to 1.6). The
 * subject (metadata.component) is the asset; every component with a
 * package URL is one of its packages (ecosystem from the purl type);
 * components are streamed one top-level component at a time, nested ones
 * included. vulnerabilities[] with an analysis are VEX statements; without
 * one (a scanner's CycloneDX output) they are scanner vulnerabilities of
 * source "cyclonedx" on the subject. BOMs with no software at all (CBOM,
 * HBOM, services-only SaaSBOM) are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/parse.h"

#include "scan_int.h"

/* A bom-ref and what it names. */
struct ref {
    char *ref, *name, *version, *purl;
};

struct cdx {
    struct scan sc;
    struct scan_pkgs pkgs;
    struct ref *refs;
    size_t n_refs, cap_refs;
    uint64_t n_comp, n_purl, n_crypto, n_device;
    char *os_name, *os_version;
};

static void keep_ref(struct cdx *c, const char *ref, const char *name, const char *version,
                     const char *purl)
{
    struct ref *r;

    c->refs = pl_xgrow(c->refs, c->n_refs, &c->cap_refs, 64, sizeof(*c->refs));
    r = &c->refs[c->n_refs++];
    r->ref = pl_xstrdup(ref);
    r->name = name ? pl_xstrdup(name) : NULL;
    r->version = version ? pl_xstrdup(version) : NULL;
    r->purl = purl ? pl_xstrdup(purl) : NULL;
}

static const struct ref *find_ref(const struct cdx *c, const char *ref)
{
    for (size_t i = 0; i < c->n_refs; i++)
        if (strcmp(c->refs[i].ref, ref) == 0)
            return &c->refs[i];
    return NULL;
}

static pl_status component(struct cdx *c, const char *where, const struct pl_json *v, int depth,
                           struct pl_error *err);

static pl_status children(struct cdx *c, const char *where, const struct pl_json *v, int depth,
                          struct pl_error *err)
{
    const struct pl_json *kids = pl_json_get(v, "components");
    char place[256];
    size_t i = 0;
    pl_status rc;

    if ((rc = pl__inventory_scan_type(&c->sc, where, v, "components", PL_JSON_ARRAY, true, err)) !=
            PL_OK ||
        kids == NULL)
        return rc;
    for (const struct pl_json *k = kids->child; k; k = k->next, i++) {
        if (snprintf(place, sizeof(place), "%s.components[%zu]", where, i) < 0)
            place[0] = '\0';
        if ((rc = component(c, place, k, depth + 1, err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

static pl_status component(struct cdx *c, const char *where, const struct pl_json *v, int depth,
                           struct pl_error *err)
{
    const char *type, *name, *version, *purl, *ref;
    struct scan_purl pu;
    const char *eco;
    pl_status rc;

    if (v->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", c->sc.path, where,
                            pl_json_type_name(v->type));
    if ((rc = pl__inventory_scan_str(&c->sc, where, v, "type", SCAN_TOKEN, &type, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&c->sc, where, v, "name", SCAN_PACKAGE, &name, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&c->sc, where, v, "version", SCAN_PACKAGE, &version, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&c->sc, where, v, "purl", SCAN_NAME, &purl, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&c->sc, where, v, "bom-ref", SCAN_NAME, &ref, err)) != PL_OK)
        return rc;
    c->n_comp++;
    if (type && strcmp(type, "cryptographic-asset") == 0)
        c->n_crypto++;
    if (type && strcmp(type, "device") == 0)
        c->n_device++;
    if (type && strcmp(type, "operating-system") == 0 && c->os_name == NULL && name) {
        c->os_name = pl_xstrdup(name);
        c->os_version = version ? pl_xstrdup(version) : NULL;
    }
    if (ref)
        keep_ref(c, ref, name, version, purl);
    if (purl && pl__inventory_scan_purl_parse(purl, &pu) &&
        (eco = pl__inventory_scan_purl_ecosystem(pu.type))) {
        const char *ver = pu.version[0] ? pu.version : version;

        c->n_purl++;
        if ((rc = pl__inventory_scan_pkg_add(&c->sc, &c->pkgs, eco, pu.name, ver, pu.arch, purl,
                                             err)) != PL_OK)
            return rc;
    } else if (type == NULL || strcmp(type, "cryptographic-asset") != 0) {
        c->sc.stats->skipped++; /* no package URL: nothing to match on */
    }
    if (depth >= 64)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: components nested deeper than 64", c->sc.path,
                            where);
    return children(c, where, v, depth, err);
}

static pl_status on_component(const struct pl_json *rec, uint64_t index, void *data,
                              struct pl_error *err)
{
    struct cdx *c = data;
    char where[64];

    c->sc.stats->records++;
    if (snprintf(where, sizeof(where), "components[%llu]", (unsigned long long)index) < 0)
        where[0] = '\0';
    return component(c, where, rec, 0, err);
}

/* Refuse a BOM that holds no software to track (see the file comment). */
static pl_status refuse_non_sbom(struct cdx *c, const struct pl_json *root, struct pl_error *err)
{
    const struct pl_json *vulns = pl_json_get(root, "vulnerabilities");
    const struct pl_json *svc = pl_json_get(root, "services");

    if (c->n_purl > 0 || (vulns && vulns->len > 0))
        return PL_OK;
    if (c->n_crypto > 0)
        return pl_error_set(err, PL_E_UNSUPPORTED,
                            "%s: a CycloneDX CBOM (%llu cryptographic assets, no software "
                            "packages): nothing to inventory",
                            c->sc.path, (unsigned long long)c->n_crypto);
    if (c->n_device > 0)
        return pl_error_set(err, PL_E_UNSUPPORTED,
                            "%s: a CycloneDX HBOM (%llu hardware devices, no software packages): "
                            "nothing to inventory",
                            c->sc.path, (unsigned long long)c->n_device);
    if (c->n_comp == 0 && svc && svc->len > 0)
        return pl_error_set(err, PL_E_UNSUPPORTED,
                            "%s: a CycloneDX SaaSBOM (%zu services, no components): nothing to "
                            "inventory",
                            c->sc.path, svc->len);
    return PL_OK;
}

/* "urn:cdx:SERIAL#REF" (the BOM version dropped: later versions describe the same product). */
static void subject_key(const char *serial, const char *ref, char *out, size_t cap)
{
    if (pl_starts_with(serial, "urn:uuid:"))
        serial += 9;
    if (snprintf(out, cap, "urn:cdx:%s#%s", serial, ref) >= (int)cap)
        out[0] = '\0';
}

static pl_status subject(struct cdx *c, const struct pl_json *root, int64_t *asset_id,
                         const char **subj_ref, struct pl_error *err)
{
    const struct pl_json *m = pl_json_path(root, "metadata.component");
    const char *serial, *name, *version, *type, *purl, *ref;
    char key[PL_MAX_ASSET_NAME_BYTES * 2 + 32], full[PL_MAX_ASSET_NAME_BYTES + 300];
    struct pl_observation o;
    pl_status rc;

    *asset_id = 0;
    *subj_ref = NULL;
    if ((rc = pl__inventory_scan_str(&c->sc, "document", root, "serialNumber", SCAN_TOKEN, &serial,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_type(&c->sc, "metadata", pl_json_get(root, "metadata"),
                                      "component", PL_JSON_OBJECT, true, err)) != PL_OK)
        return rc;
    if (m == NULL)
        return c->n_purl ? pl_error_set(err, PL_E_PARSE,
                                        "%s: metadata: field 'component': missing (the BOM "
                                        "names no subject to attach its packages to)",
                                        c->sc.path)
                         : PL_OK;
    if ((rc = pl__inventory_scan_str(&c->sc, "metadata.component", m, "name", SCAN_NAME, &name,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&c->sc, "metadata.component", m, "version", SCAN_PACKAGE,
                                     &version, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&c->sc, "metadata.component", m, "type", SCAN_TOKEN, &type,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&c->sc, "metadata.component", m, "purl", SCAN_NAME, &purl,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&c->sc, "metadata.component", m, "bom-ref", SCAN_NAME, &ref,
                                     err)) != PL_OK)
        return rc;
    if (name == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: metadata.component: field 'name': missing",
                            c->sc.path);
    if (snprintf(full, sizeof(full), "%s%s%s", name, version ? " " : "", version ? version : "") <
        0)
        full[0] = '\0';
    if (serial && ref)
        subject_key(serial, ref, key, sizeof(key));
    else if (snprintf(key, sizeof(key), "%s", purl ? purl : full) < 0)
        key[0] = '\0';
    memset(&o, 0, sizeof(o));
    o.source = "cyclonedx";
    o.source_key = key;
    o.seen = c->sc.now;
    o.name = full;
    o.kind = type && strcmp(type, "container") == 0 ? "container-image" : "host";
    o.os_name = c->os_name;
    o.os_version = c->os_version;
    o.reboot_required = -1;
    *subj_ref = ref;
    return pl__inventory_scan_observe(&c->sc, &o, asset_id, err);
}

/* The asset a VEX "affects" ref names: this BOM's subject, or one imported before. */
static pl_status ref_asset(struct cdx *c, const char *ref, const char *subj_ref, int64_t subj,
                           int64_t *out, struct pl_error *err)
{
    char key[PL_MAX_ASSET_NAME_BYTES * 2 + 32];
    struct pl_observation o;
    const char *slash, *hash;

    *out = 0;
    if ((subj_ref && strcmp(ref, subj_ref) == 0) || (subj && find_ref(c, ref)))
        *out = subj;
    if (*out || !pl_starts_with(ref, "urn:cdx:") || (hash = strchr(ref, '#')) == NULL)
        return PL_OK;
    slash = memchr(ref, '/', (size_t)(hash - ref));
    if (snprintf(key, sizeof(key), "%.*s%s", (int)((slash ? slash : hash) - ref), ref, hash) >=
        (int)sizeof(key))
        return PL_OK;
    memset(&o, 0, sizeof(o));
    o.source = "cyclonedx";
    o.source_key = key;
    return pl_store_asset_lookup(c->sc.s, &o, out, err);
}

static bool valid_state(const char *s)
{
    static const char *const set[] = {"resolved",  "resolved_with_pedigree", "exploitable",
                                      "in_triage", "false_positive",         "not_affected"};

    for (size_t i = 0; i < PL_ARRAY_LEN(set); i++)
        if (strcmp(s, set[i]) == 0)
            return true;
    return false;
}

/* The analysis of one vulnerability (NULL state: none). */
struct analysis {
    const char *state, *justification, *detail;
    char response[256];
};

static pl_status read_analysis(struct cdx *c, const char *where, const struct pl_json *v,
                               struct analysis *a, char *detail_buf, struct pl_error *err)
{
    const struct pl_json *an = pl_json_get(v, "analysis"), *resp;
    size_t n = 0;
    pl_status rc;

    memset(a, 0, sizeof(*a));
    if ((rc = pl__inventory_scan_type(&c->sc, where, v, "analysis", PL_JSON_OBJECT, true, err)) !=
            PL_OK ||
        an == NULL)
        return rc;
    if ((rc = pl__inventory_scan_str(&c->sc, where, an, "state", SCAN_TOKEN, &a->state, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&c->sc, where, an, "justification", SCAN_TOKEN,
                                     &a->justification, err)) != PL_OK)
        return rc;
    if (a->state && !valid_state(a->state))
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'analysis.state': unknown state '%s'",
                            c->sc.path, where, a->state);
    a->detail = pl__inventory_scan_long(an, "detail", detail_buf);
    resp = pl_json_get(an, "response");
    for (const struct pl_json *r = resp && resp->type == PL_JSON_ARRAY ? resp->child : NULL; r;
         r = r->next) {
        int w;

        if (r->type != PL_JSON_STRING)
            continue;
        w = snprintf(a->response + n, sizeof(a->response) - n, "%s%s", n ? "," : "", r->str);
        if (w < 0 || (size_t)w >= sizeof(a->response) - n)
            break;
        n += (size_t)w;
    }
    return PL_OK;
}

static pl_status one_affect(struct cdx *c, const char *where, const struct pl_json *v,
                            const struct analysis *a, const char *ref, int64_t subj,
                            const char *subj_ref, const char *vex_source, struct pl_error *err)
{
    const struct ref *r = find_ref(c, ref);
    struct pl_vex_statement st;
    int64_t asset = 0;
    const char *sev;
    pl_status rc;

    memset(&st, 0, sizeof(st));
    if ((rc = pl__inventory_scan_str(&c->sc, where, v, "id", SCAN_TOKEN, &st.vuln_id, err)) !=
            PL_OK ||
        (rc = ref_asset(c, ref, subj_ref, subj, &asset, err)) != PL_OK)
        return rc;
    if (st.vuln_id == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'id': missing", c->sc.path, where);
    if (a->state == NULL && asset) { /* a scanner's finding on the subject */
        struct pl_scanner_vuln sv;
        char title[PL_MAX_SCAN_TEXT_BYTES + 1];
        const struct pl_json *rt = pl_json_get(v, "ratings");

        sev = rt && rt->type == PL_JSON_ARRAY ? pl_json_get_string(rt->child, "severity") : NULL;
        memset(&sv, 0, sizeof(sv));
        sv.vuln_id = st.vuln_id;
        sv.package = r && r->name ? r->name : ref;
        sv.installed_version = r ? r->version : NULL;
        sv.severity = pl__inventory_scan_severity(sev);
        sv.title = pl__inventory_scan_long(v, "description", title);
        return pl__inventory_scan_vuln(&c->sc, asset, &sv, err);
    }
    st.asset_id = asset;
    st.source = vex_source;
    st.product = r && r->purl ? r->purl : ref;
    st.state = a->state ? a->state : "unknown";
    st.justification = a->justification;
    st.response = a->response[0] ? a->response : NULL;
    st.detail = a->detail;
    st.format = "cyclonedx";
    {
        const struct pl_json *an = pl_json_get(v, "analysis");
        const char *when = pl_json_get_string(an, "lastUpdated");
        pl_time_t t;

        if (when == NULL)
            when = pl_json_get_string(an, "firstIssued");
        if (when == NULL)
            when = pl_json_get_string(v, "updated");
        if (pl__inventory_scan_time(when, &t))
            st.stated_at = t;
    }
    rc = pl_store_vex_put(c->sc.s, &st, c->sc.now, err);
    if (rc != PL_OK) {
        pl_error_prefix(err, "%s", c->sc.path);
        return rc;
    }
    c->sc.stats->vulns++;
    return PL_OK;
}

static pl_status vulnerabilities(struct cdx *c, const struct pl_json *root, int64_t subj,
                                 const char *subj_ref, struct pl_error *err)
{
    const struct pl_json *vs = pl_json_get(root, "vulnerabilities");
    const char *serial = pl_json_get_string(root, "serialNumber");
    char vex_source[PL_MAX_ASSET_NAME_BYTES + 32], where[64];
    char detail[PL_MAX_SCAN_TEXT_BYTES + 1];
    size_t i = 0;
    pl_status rc;

    if ((rc = pl__inventory_scan_type(&c->sc, "document", root, "vulnerabilities", PL_JSON_ARRAY,
                                      true, err)) != PL_OK ||
        vs == NULL)
        return rc;
    if (snprintf(vex_source, sizeof(vex_source), "cyclonedx-vex:%s", serial ? serial : c->sc.path) <
        0)
        vex_source[0] = '\0';
    for (const struct pl_json *v = vs->child; v; v = v->next, i++) {
        const struct pl_json *aff = pl_json_get(v, "affects");
        struct analysis a;

        if (snprintf(where, sizeof(where), "vulnerabilities[%zu]", i) < 0)
            where[0] = '\0';
        if (v->type != PL_JSON_OBJECT)
            return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object", c->sc.path, where);
        if ((rc = read_analysis(c, where, v, &a, detail, err)) != PL_OK ||
            (rc = pl__inventory_scan_type(&c->sc, where, v, "affects", PL_JSON_ARRAY, true, err)) !=
                PL_OK)
            return rc;
        for (const struct pl_json *af = aff ? aff->child : NULL; af; af = af->next) {
            const char *ref;

            if ((rc = pl__inventory_scan_str(&c->sc, where, af, "ref", SCAN_NAME, &ref, err)) !=
                PL_OK)
                return rc;
            if (ref &&
                (rc = one_affect(c, where, v, &a, ref, subj, subj_ref, vex_source, err)) != PL_OK)
                return rc;
        }
    }
    return PL_OK;
}

static pl_status on_root(const struct pl_json *root, uint64_t index, void *data,
                         struct pl_error *err)
{
    struct cdx *c = data;
    const char *fmt = pl_json_get_string(root, "bomFormat");
    const char *subj_ref;
    int64_t asset = 0;
    pl_status rc;

    (void)index;
    if (fmt == NULL || strcmp(fmt, "CycloneDX") != 0)
        return pl_error_set(err, PL_E_PARSE,
                            "%s: not a CycloneDX JSON document (bomFormat is not "
                            "'CycloneDX')",
                            c->sc.path);
    if ((rc = refuse_non_sbom(c, root, err)) != PL_OK ||
        (rc = subject(c, root, &asset, &subj_ref, err)) != PL_OK)
        return rc;
    if (asset && (rc = pl__inventory_scan_pkg_sync(&c->sc, asset, &c->pkgs, err)) != PL_OK)
        return rc;
    c->sc.stats->skipped += c->pkgs.duplicates;
    if ((rc = vulnerabilities(c, root, asset, subj_ref, err)) != PL_OK)
        return rc;
    if (asset)
        rc = pl_store_scanner_vulns_resolve(c->sc.s, asset, c->sc.source, c->sc.run_id, c->sc.now,
                                            NULL, err);
    return rc;
}

pl_status pl__inventory_import_cyclonedx(struct pl_store *s, struct pl_reader *r,
                                         const struct pl_inv_import_opts *opts,
                                         struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct cdx c;
    struct pl_json_stream_opts o = {.records_path = "components",
                                    .lines = false,
                                    .max_record = PL_MAX_IMPORT_RECORD_BYTES,
                                    .max_rest = PL_MAX_IMPORT_REST_BYTES,
                                    .on_record = on_component,
                                    .on_rest = on_root,
                                    .data = NULL};
    pl_status rc;

    memset(&c, 0, sizeof(c));
    o.data = &c;
    if ((rc = pl__inventory_scan_begin(&c.sc, s, r, "cyclonedx", opts, stats, err)) != PL_OK)
        return rc;
    rc = pl__inventory_scan_stream(&c.sc, &o, err);
    pl__inventory_scan_pkgs_release(&c.pkgs);
    for (size_t i = 0; i < c.n_refs; i++) {
        free(c.refs[i].ref);
        free(c.refs[i].name);
        free(c.refs[i].version);
        free(c.refs[i].purl);
    }
    free(c.refs);
    free(c.os_name);
    free(c.os_version);
    return rc;
}

int pl__inventory_detect_cyclonedx(const char *head, size_t n)
{
    if (pl__inventory_scan_has(head, n, "\"bomFormat\"") &&
        pl__inventory_scan_has(head, n, "\"CycloneDX\""))
        return 95;
    if (pl__inventory_scan_has(head, n, "\"specVersion\"") &&
        pl__inventory_scan_has(head, n, "cyclonedx"))
        return 60;
    return 0;
}
