/*
 * cyclonedx_xml.c - import a CycloneDX XML BOM (spec 1.1 to 1.6), the twin
 * of cyclonedx.c: metadata/component is the asset (a 1.1 BOM has none: the
 * asset is named after the file), every component with a purl one of its
 * packages (nested components included), vulnerabilities with an analysis
 * VEX statements and without one scanner vulnerabilities of source
 * "cyclonedx". Top-level components are read one element tree at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/parse.h"
#include "patchline/xml.h"

#include "scan_int.h"

struct xref {
    char *ref, *name, *version, *purl;
};

struct cdxml {
    struct scan sc;
    struct scan_pkgs pkgs;
    struct xref *refs;
    size_t n_refs, cap_refs;
    char *serial, *subj_name, *subj_version, *subj_type, *subj_purl, *subj_ref;
    char *os_name, *os_version;
    uint64_t n_comp, n_purl, n_crypto, n_device, n_vulns;
    int64_t asset;
};

static char *dupn(const char *s)
{
    return s && *s ? pl_xstrdup(s) : NULL;
}

/* Child text `field` of n, checked as kind ("" is absent). */
static pl_status text(struct cdxml *c, const struct pl_xml_node *n, const char *field,
                      enum scan_text kind, const char **out, struct pl_error *err)
{
    const char *v = pl_xml_child_text(n, field);
    char where[64];

    *out = NULL;
    if (v == NULL || *v == '\0')
        return PL_OK;
    if (snprintf(where, sizeof(where), "line %lu: element '%s'", n->line, n->name) < 0)
        where[0] = '\0';
    if (kind == SCAN_TOKEN) { /* XML text may be pretty-printed around a token */
        while (*v == ' ' || *v == '\n' || *v == '\t' || *v == '\r')
            v++;
    }
    *out = v;
    return pl__inventory_scan_check(&c->sc, where, field, v, strlen(v), kind, err);
}

static pl_status xcomponent(struct cdxml *c, const struct pl_xml_node *n, int depth,
                            struct pl_error *err)
{
    const char *type = pl_xml_node_attr(n, "type"), *ref = pl_xml_node_attr(n, "bom-ref");
    const char *name, *version, *purl, *eco;
    struct scan_purl pu;
    pl_status rc;

    if ((rc = text(c, n, "name", SCAN_PACKAGE, &name, err)) != PL_OK ||
        (rc = text(c, n, "version", SCAN_PACKAGE, &version, err)) != PL_OK ||
        (rc = text(c, n, "purl", SCAN_NAME, &purl, err)) != PL_OK)
        return rc;
    c->n_comp++;
    c->n_crypto += type && strcmp(type, "cryptographic-asset") == 0;
    c->n_device += type && strcmp(type, "device") == 0;
    if (type && strcmp(type, "operating-system") == 0 && c->os_name == NULL && name) {
        c->os_name = pl_xstrdup(name);
        c->os_version = dupn(version);
    }
    if (ref && *ref) {
        struct xref *r;

        c->refs = pl_xgrow(c->refs, c->n_refs, &c->cap_refs, 64, sizeof(*c->refs));
        r = &c->refs[c->n_refs++];
        r->ref = pl_xstrdup(ref);
        r->name = dupn(name);
        r->version = dupn(version);
        r->purl = dupn(purl);
    }
    if (purl && pl__inventory_scan_purl_parse(purl, &pu) &&
        (eco = pl__inventory_scan_purl_ecosystem(pu.type))) {
        c->n_purl++;
        rc = pl__inventory_scan_pkg_add(&c->sc, &c->pkgs, eco, pu.name,
                                        pu.version[0] ? pu.version : version, pu.arch, purl, err);
        if (rc != PL_OK)
            return rc;
    } else if (type == NULL || strcmp(type, "cryptographic-asset") != 0) {
        c->sc.stats->skipped++;
    }
    if (depth >= 64)
        return pl_error_set(err, PL_E_PARSE, "%s:%lu: element 'component': nested deeper than 64",
                            c->sc.path, n->line);
    for (const struct pl_xml_node *k = pl_xml_child(pl_xml_child(n, "components"), "component"); k;
         k = pl_xml_sibling(k, "component"))
        if ((rc = xcomponent(c, k, depth + 1, err)) != PL_OK)
            return rc;
    return PL_OK;
}

static pl_status metadata(struct cdxml *c, const struct pl_xml_node *m, struct pl_error *err)
{
    const struct pl_xml_node *s = pl_xml_child(m, "component");
    const char *name, *version, *purl;
    pl_status rc;

    if (s == NULL)
        return PL_OK;
    if ((rc = text(c, s, "name", SCAN_NAME, &name, err)) != PL_OK ||
        (rc = text(c, s, "version", SCAN_PACKAGE, &version, err)) != PL_OK ||
        (rc = text(c, s, "purl", SCAN_NAME, &purl, err)) != PL_OK)
        return rc;
    /* a second <metadata> (invalid, but seen) replaces the first: nothing may leak */
    free(c->subj_name);
    free(c->subj_version);
    free(c->subj_purl);
    free(c->subj_type);
    free(c->subj_ref);
    c->subj_name = dupn(name);
    c->subj_version = dupn(version);
    c->subj_purl = dupn(purl);
    c->subj_type = dupn(pl_xml_node_attr(s, "type"));
    c->subj_ref = dupn(pl_xml_node_attr(s, "bom-ref"));
    return PL_OK;
}

/* The same refusals as the JSON importer: no software to track. */
static pl_status refuse_non_sbom(const struct cdxml *c, struct pl_error *err)
{
    if (c->n_purl > 0 || c->n_vulns > 0)
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
    return PL_OK;
}

/* Create (once) the subject asset. */
static pl_status subject(struct cdxml *c, struct pl_error *err)
{
    char name[PL_MAX_ASSET_NAME_BYTES + 300], key[PL_MAX_ASSET_NAME_BYTES * 2 + 32];
    const char *serial = c->serial, *base = strrchr(c->sc.path, '/');
    struct pl_observation o;
    int w;

    if (c->asset)
        return PL_OK;
    base = base ? base + 1 : c->sc.path;
    if (serial && pl_starts_with(serial, "urn:uuid:"))
        serial += 9;
    if (c->subj_name)
        w = snprintf(name, sizeof(name), "%s%s%s", c->subj_name, c->subj_version ? " " : "",
                     c->subj_version ? c->subj_version : "");
    else /* CycloneDX 1.1 has no metadata: the file names the BOM */
        w = snprintf(name, sizeof(name), "%s", base);
    if (w < 0)
        name[0] = '\0';
    if (serial && c->subj_ref)
        w = snprintf(key, sizeof(key), "urn:cdx:%s#%s", serial, c->subj_ref);
    else if (c->subj_purl || c->subj_name)
        w = snprintf(key, sizeof(key), "%s", c->subj_purl ? c->subj_purl : name);
    else
        w = snprintf(key, sizeof(key), "file:%s", base);
    if (w < 0)
        key[0] = '\0';
    memset(&o, 0, sizeof(o));
    o.source = "cyclonedx";
    o.source_key = key;
    o.seen = c->sc.now;
    o.name = name;
    o.kind = c->subj_type && strcmp(c->subj_type, "container") == 0 ? "container-image" : "host";
    o.os_name = c->os_name;
    o.os_version = c->os_version;
    o.reboot_required = -1;
    return pl__inventory_scan_observe(&c->sc, &o, &c->asset, err);
}

static const struct xref *find_ref(const struct cdxml *c, const char *ref)
{
    for (size_t i = 0; i < c->n_refs; i++)
        if (strcmp(c->refs[i].ref, ref) == 0)
            return &c->refs[i];
    return NULL;
}

/* analysis/responses/response... joined with ",". */
static void responses(const struct pl_xml_node *an, char *out, size_t cap)
{
    size_t n = 0;

    out[0] = '\0';
    for (const struct pl_xml_node *r = pl_xml_child(pl_xml_child(an, "responses"), "response"); r;
         r = pl_xml_sibling(r, "response")) {
        int w = snprintf(out + n, cap - n, "%s%s", n ? "," : "", r->text);

        if (w < 0 || (size_t)w >= cap - n) {
            out[n] = '\0';
            break;
        }
        n += (size_t)w;
    }
}

/* One vulnerability: a VEX statement per target, or a scanner finding on the subject. */
static pl_status xvuln(struct cdxml *c, const struct pl_xml_node *v, const char *vex_source,
                       struct pl_error *err)
{
    const struct pl_xml_node *an = pl_xml_child(v, "analysis");
    const struct pl_xml_node *rating = pl_xml_child(pl_xml_child(v, "ratings"), "rating");
    const char *id, *state = NULL, *just = NULL, *detail = NULL, *title;
    char resp[256];
    pl_status rc;

    if ((rc = text(c, v, "id", SCAN_TOKEN, &id, err)) != PL_OK ||
        (an && (rc = text(c, an, "state", SCAN_TOKEN, &state, err)) != PL_OK) ||
        (an && (rc = text(c, an, "justification", SCAN_TOKEN, &just, err)) != PL_OK))
        return rc;
    if (id == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s:%lu: element 'vulnerability': no 'id'", c->sc.path,
                            v->line);
    detail = an ? pl_xml_child_text(an, "detail") : NULL;
    if (detail && strlen(detail) > PL_MAX_SCAN_TEXT_BYTES)
        detail = NULL; /* over the cap: not kept */
    title = pl_xml_child_text(v, "description");
    if (title && strlen(title) > PL_MAX_SCAN_TEXT_BYTES)
        title = NULL;
    responses(an, resp, sizeof(resp));
    for (const struct pl_xml_node *t = pl_xml_child(pl_xml_child(v, "affects"), "target"); t;
         t = pl_xml_sibling(t, "target")) {
        const char *ref = pl_xml_child_text(t, "ref");
        const struct xref *r = ref ? find_ref(c, ref) : NULL;

        if (ref == NULL || *ref == '\0')
            continue;
        if (state == NULL) {
            const char *sev = rating ? pl_xml_child_text(rating, "severity") : NULL;
            struct pl_scanner_vuln sv;

            memset(&sv, 0, sizeof(sv));
            sv.vuln_id = id;
            sv.package = r && r->name ? r->name : ref;
            sv.installed_version = r ? r->version : NULL;
            sv.severity = pl__inventory_scan_severity(sev);
            sv.title = title;

            if ((rc = pl__inventory_scan_vuln(&c->sc, c->asset, &sv, err)) != PL_OK)
                return rc;
        } else {
            struct pl_vex_statement st;

            memset(&st, 0, sizeof(st));
            st.asset_id = c->asset;
            st.source = vex_source;
            st.vuln_id = id;
            st.product = r && r->purl ? r->purl : ref;
            st.state = state;
            st.justification = just;
            st.response = resp[0] ? resp : NULL;
            st.detail = detail;

            rc = pl_store_vex_put(c->sc.s, &st, c->sc.now, err);
            if (rc != PL_OK) {
                pl_error_prefix(err, "%s", c->sc.path);
                return rc;
            }
            c->sc.stats->vulns++;
        }
    }
    return PL_OK;
}

static pl_status vulnerabilities(struct cdxml *c, const struct pl_xml_node *vs,
                                 struct pl_error *err)
{
    char vex_source[PL_MAX_ASSET_NAME_BYTES + 32];
    pl_status rc;

    c->n_vulns += pl_xml_child(vs, "vulnerability") != NULL;
    if ((rc = subject(c, err)) != PL_OK)
        return rc;
    if (snprintf(vex_source, sizeof(vex_source), "cyclonedx-vex:%s",
                 c->serial ? c->serial : c->sc.path) < 0)
        vex_source[0] = '\0';
    for (const struct pl_xml_node *v = pl_xml_child(vs, "vulnerability"); v;
         v = pl_xml_sibling(v, "vulnerability"))
        if ((rc = xvuln(c, v, vex_source, err)) != PL_OK)
            return rc;
    return PL_OK;
}

/* One element at depth 1 (metadata, components, vulnerabilities, the rest) or a component. */
static pl_status step(struct cdxml *c, struct pl_xml *x, const char *section, int depth,
                      struct pl_error *err)
{
    const char *name = pl_xml_name(x);
    const struct pl_xml_node *n;
    pl_status rc;

    if (depth == 1 && strcmp(name, "components") == 0)
        return PL_OK; /* walk into it: its components come one at a time */
    if (depth == 2 && strcmp(section, "components") == 0 && strcmp(name, "component") == 0) {
        c->sc.stats->records++;
        return (rc = pl_xml_tree(x, &n, err)) != PL_OK ? rc : xcomponent(c, n, 0, err);
    }
    if ((rc = pl_xml_tree(x, &n, err)) != PL_OK) /* consume (and skip) anything else */
        return rc;
    if (depth == 1 && strcmp(name, "metadata") == 0)
        return metadata(c, n, err);
    if (depth == 1 && strcmp(name, "vulnerabilities") == 0)
        return vulnerabilities(c, n, err);
    return PL_OK;
}

static pl_status walk(struct cdxml *c, struct pl_xml *x, struct pl_error *err)
{
    char section[32] = "";
    bool found = false;
    pl_status rc;

    if ((rc = pl_xml_next(x, NULL, &found, err)) != PL_OK)
        return rc;
    if (!found || strcmp(pl_xml_name(x), "bom") != 0)
        return pl_error_set(err, PL_E_PARSE,
                            "%s: not a CycloneDX XML document (the root element is '%s', not "
                            "'bom')",
                            c->sc.path, found ? pl_xml_name(x) : "(none)");
    c->serial = dupn(pl_xml_attr(x, "serialNumber"));
    while ((rc = pl_xml_next(x, NULL, &found, err)) == PL_OK && found) {
        int depth = pl_xml_depth(x);

        if (depth == 1 && snprintf(section, sizeof(section), "%s", pl_xml_name(x)) < 0)
            section[0] = '\0';
        if ((rc = step(c, x, section, depth, err)) != PL_OK)
            return rc;
    }
    if (rc != PL_OK || (rc = refuse_non_sbom(c, err)) != PL_OK || (rc = subject(c, err)) != PL_OK ||
        (rc = pl__inventory_scan_pkg_sync(&c->sc, c->asset, &c->pkgs, err)) != PL_OK)
        return rc;
    c->sc.stats->skipped += c->pkgs.duplicates;
    return pl_store_scanner_vulns_resolve(c->sc.s, c->asset, c->sc.source, c->sc.run_id, c->sc.now,
                                          NULL, err);
}

pl_status pl__inventory_import_cyclonedx_xml(struct pl_store *s, struct pl_reader *r,
                                             const struct pl_inv_import_opts *opts,
                                             struct pl_inv_import_stats *stats,
                                             struct pl_error *err)
{
    struct cdxml c;
    struct pl_xml *x = NULL;
    pl_status rc;

    memset(&c, 0, sizeof(c));
    if ((rc = pl__inventory_scan_begin(&c.sc, s, r, "cyclonedx", opts, stats, err)) != PL_OK ||
        (rc = pl_xml_open(r, NULL, &x, err)) != PL_OK)
        return rc;
    rc = walk(&c, x, err);
    pl_xml_close(x);
    pl__inventory_scan_pkgs_release(&c.pkgs);
    for (size_t i = 0; i < c.n_refs; i++) {
        free(c.refs[i].ref);
        free(c.refs[i].name);
        free(c.refs[i].version);
        free(c.refs[i].purl);
    }
    free(c.refs);
    free(c.serial);
    free(c.subj_name);
    free(c.subj_version);
    free(c.subj_type);
    free(c.subj_purl);
    free(c.subj_ref);
    free(c.os_name);
    free(c.os_version);
    return rc;
}

int pl__inventory_detect_cyclonedx_xml(const char *head, size_t n)
{
    return pl__inventory_scan_has(head, n, "<bom") &&
                   pl__inventory_scan_has(head, n, "cyclonedx.org/schema/bom")
               ? 95
               : 0;
}
