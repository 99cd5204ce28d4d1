/*
 * grype.c - import a Grype JSON report: the scanned source (an image, a
 * directory, a file) becomes an asset and each match a scanner
 * vulnerability of source "grype". Grype lists only the packages it
 * matched, not the whole inventory, so no package list is synced; the
 * package and its version stay on the vulnerability.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/limits.h"

#include "scan_int.h"

struct grype {
    struct scan sc;
    struct scan_vulns vulns;
};

/* "1.2.1, 2.1.3" from fix.versions. */
static pl_status fix_versions(struct grype *g, const char *where, const struct pl_json *fix,
                              char *out, size_t cap, struct pl_error *err)
{
    const struct pl_json *vs = pl_json_get(fix, "versions");
    size_t n = 0;
    pl_status rc;

    out[0] = '\0';
    if ((rc = pl__inventory_scan_type(&g->sc, where, fix, "versions", PL_JSON_ARRAY, true, err)) !=
            PL_OK ||
        vs == NULL)
        return rc;
    for (const struct pl_json *v = vs->child; v; v = v->next) {
        int w;

        if (v->type != PL_JSON_STRING ||
            (rc = pl__inventory_scan_check(&g->sc, where, "fix.versions", v->str, v->len,
                                           SCAN_TOKEN, err)) != PL_OK)
            return v->type != PL_JSON_STRING
                       ? pl_error_set(err, PL_E_PARSE, "%s: %s: field 'fix.versions': want strings",
                                      g->sc.path, where)
                       : rc;
        w = snprintf(out + n, cap - n, "%s%s", n ? ", " : "", v->str);
        if (w < 0 || (size_t)w >= cap - n)
            break; /* the first versions are enough */
        n += (size_t)w;
    }
    return PL_OK;
}

/* The first CVSS of list arr: NVD's if any, else the first with a vector. */
static bool pick_cvss(const struct pl_json *arr, struct pl_scanner_vuln *v)
{
    const struct pl_json *pick = NULL;

    for (int pass = 0; pass < 2 && pick == NULL; pass++)
        for (const struct pl_json *c = arr && arr->type == PL_JSON_ARRAY ? arr->child : NULL;
             c && pick == NULL; c = c->next) {
            const char *src = pl_json_get_string(c, "source");
            const char *vec = pl_json_get_string(c, "vector");

            if (vec && vec[0] && strlen(vec) <= PL_MAX_VERSION_BYTES &&
                (pass == 1 || (src && strcmp(src, "nvd") == 0) ||
                 (src && strstr(src, "nvd.nist.gov"))))
                pick = c;
        }
    if (pick == NULL)
        return false;
    v->cvss_vector = pl_json_get_string(pick, "vector");
    v->cvss_version = pl_json_get_string(pick, "version");
    v->cvss_source = pl_json_get_string(pick, "source");
    if (v->cvss_version && strlen(v->cvss_version) > 8)
        v->cvss_version = NULL;
    if (v->cvss_source && strlen(v->cvss_source) > PL_MAX_NAME_BYTES)
        v->cvss_source = "grype";
    v->has_cvss_score =
        pl_json_double(pl_json_get(pl_json_get(pick, "metrics"), "baseScore"), &v->cvss_score) &&
        v->cvss_score >= 0 && v->cvss_score <= 10;
    return true;
}

/* The CVSS of the match: the vulnerability's own, else a related record's (NVD). */
static void match_cvss(const struct pl_json *vuln, const struct pl_json *rec,
                       struct pl_scanner_vuln *v)
{
    const struct pl_json *rel = pl_json_get(rec, "relatedVulnerabilities");

    if (pick_cvss(pl_json_get(vuln, "cvss"), v))
        return;
    for (const struct pl_json *r = rel && rel->type == PL_JSON_ARRAY ? rel->child : NULL; r;
         r = r->next)
        if (pick_cvss(pl_json_get(r, "cvss"), v))
            return;
}

/* The first upstream (source package) of the artifact: its name, and version when given. */
static pl_status upstream(struct grype *g, const char *where, const struct pl_json *art,
                          struct pl_scanner_vuln *v, struct pl_error *err)
{
    const struct pl_json *up = pl_json_get(art, "upstreams");
    const struct pl_json *first = up && up->type == PL_JSON_ARRAY ? up->child : NULL;

    if (first == NULL || first->type != PL_JSON_OBJECT)
        return PL_OK;
    return pl__inventory_scan_str(&g->sc, where, first, "name", SCAN_PACKAGE, &v->source_package,
                                  err);
}

static pl_status on_match(const struct pl_json *rec, uint64_t index, void *data,
                          struct pl_error *err)
{
    struct grype *g = data;
    const struct pl_json *vuln = pl_json_get(rec, "vulnerability");
    const struct pl_json *art = pl_json_get(rec, "artifact");
    char where[64], fixed[PL_MAX_VERSION_BYTES], title[PL_MAX_SCAN_TEXT_BYTES + 1];
    struct pl_scanner_vuln v;
    char vsev[64], ver[PL_MAX_VERSION_BYTES + 24];
    const char *sev, *type = NULL;
    int64_t epoch = 0;
    pl_status rc;

    g->sc.stats->records++;
    memset(&v, 0, sizeof(v));
    if (snprintf(where, sizeof(where), "matches[%llu]", (unsigned long long)index) < 0)
        where[0] = '\0';
    if ((rc = pl__inventory_scan_type(&g->sc, where, rec, "vulnerability", PL_JSON_OBJECT, false,
                                      err)) != PL_OK ||
        (rc = pl__inventory_scan_type(&g->sc, where, rec, "artifact", PL_JSON_OBJECT, false,
                                      err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&g->sc, where, vuln, "id", SCAN_TOKEN, &v.vuln_id, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&g->sc, where, vuln, "severity", SCAN_TOKEN, &sev, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_type(&g->sc, where, vuln, "fix", PL_JSON_OBJECT, true, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&g->sc, where, pl_json_get(vuln, "fix"), "state", SCAN_TOKEN,
                                     &v.detail, err)) != PL_OK ||
        (rc = fix_versions(g, where, pl_json_get(vuln, "fix"), fixed, sizeof(fixed), err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&g->sc, where, art, "name", SCAN_PACKAGE, &v.package, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&g->sc, where, art, "version", SCAN_TOKEN,
                                     &v.installed_version, err)) != PL_OK)
        return rc;
    if (v.vuln_id == NULL || v.package == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': missing", g->sc.path, where,
                            v.vuln_id ? "artifact.name" : "vulnerability.id");
    if ((rc = pl__inventory_scan_str(&g->sc, where, art, "type", SCAN_TOKEN, &type, err)) !=
            PL_OK ||
        (rc = upstream(g, where, art, &v, err)) != PL_OK)
        return rc;
    v.severity = pl__inventory_scan_severity(sev);
    if (sev && snprintf(vsev, sizeof(vsev), "%s (grype)", sev) < (int)sizeof(vsev))
        v.vendor_severity = vsev;
    v.fixed_version = fixed[0] ? fixed : NULL;
    v.title = pl__inventory_scan_long(vuln, "description", title);
    v.package_ecosystem = type ? pl__inventory_scan_type_ecosystem(type) : NULL;
    /* an RPM's epoch is in the metadata, not the version */
    if (v.installed_version && type && strcmp(type, "rpm") == 0 &&
        pl_json_int(pl_json_get(pl_json_get(art, "metadata"), "epoch"), &epoch) && epoch > 0 &&
        !strchr(v.installed_version, ':') &&
        snprintf(ver, sizeof(ver), "%lld:%s", (long long)epoch, v.installed_version) <
            (int)sizeof(ver))
        v.installed_version = ver;
    match_cvss(vuln, rec, &v);
    return pl__inventory_scan_vulns_add(&g->sc, &g->vulns, &v, err);
}

/* Image identifiers: imageID, manifestDigest, repoDigests[]. */
static pl_status image_ids(struct grype *g, const struct pl_json *tgt, struct pl_identifier *ids,
                           size_t *n, struct pl_error *err)
{
    static const char *const keys[] = {"imageID", "manifestDigest"};
    const struct pl_json *rd = pl_json_get(tgt, "repoDigests");
    pl_status rc;

    *n = 0;
    for (size_t i = 0; i < PL_ARRAY_LEN(keys); i++) {
        const char *v;

        if ((rc = pl__inventory_scan_str(&g->sc, "source.target", tgt, keys[i], SCAN_TOKEN, &v,
                                         err)) != PL_OK)
            return rc;
        if (v)
            ids[(*n)++] = (struct pl_identifier){"image", v, NULL};
    }
    for (const struct pl_json *d = rd && rd->type == PL_JSON_ARRAY ? rd->child : NULL;
         d && *n < PL_MAX_IDENTIFIERS; d = d->next) {
        if (d->type != PL_JSON_STRING || d->len == 0)
            continue;
        if ((rc = pl__inventory_scan_check(&g->sc, "source.target", "repoDigests", d->str, d->len,
                                           SCAN_TOKEN, err)) != PL_OK)
            return rc;
        ids[(*n)++] = (struct pl_identifier){"image", d->str, NULL};
    }
    return PL_OK;
}

static pl_status on_root(const struct pl_json *root, uint64_t index, void *data,
                         struct pl_error *err)
{
    struct grype *g = data;
    struct pl_identifier ids[PL_MAX_IDENTIFIERS];
    const struct pl_json *src = pl_json_get(root, "source"), *tgt, *distro;
    const char *type = NULL;
    struct pl_observation o;
    int64_t asset_id;
    pl_status rc;

    (void)index;
    memset(&o, 0, sizeof(o));
    if ((rc = pl__inventory_scan_type(&g->sc, "report", root, "source", PL_JSON_OBJECT, false,
                                      err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&g->sc, "source", src, "type", SCAN_TOKEN, &type, err)) !=
            PL_OK)
        return rc;
    tgt = pl_json_get(src, "target");
    distro = pl_json_get(root, "distro");
    if (tgt && tgt->type == PL_JSON_STRING) {
        if ((rc = pl__inventory_scan_str(&g->sc, "source", src, "target", SCAN_NAME, &o.name,
                                         err)) != PL_OK)
            return rc;
    } else if (tgt && tgt->type == PL_JSON_OBJECT) {
        if ((rc = pl__inventory_scan_str(&g->sc, "source.target", tgt, "userInput", SCAN_NAME,
                                         &o.name, err)) != PL_OK ||
            (rc = pl__inventory_scan_str(&g->sc, "source.target", tgt, "architecture", SCAN_TOKEN,
                                         &o.arch, err)) != PL_OK ||
            (rc = image_ids(g, tgt, ids, &o.n_ids, err)) != PL_OK)
            return rc;
    }
    if (o.name == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: source: field 'target': no name for the source",
                            g->sc.path);
    if ((rc = pl__inventory_scan_str(&g->sc, "distro", distro, "name", SCAN_TOKEN, &o.os_name,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&g->sc, "distro", distro, "version", SCAN_PACKAGE,
                                     &o.os_version, err)) != PL_OK)
        return rc;
    if (o.os_name && pl__inventory_scan_os_id(o.os_name))
        o.os_name = pl__inventory_scan_os_id(o.os_name);
    o.os_family = pl__inventory_scan_os_family(o.os_name);
    o.source = "grype";
    o.source_key = o.name;
    o.ids = ids;
    o.seen = g->sc.now;
    o.kind = type && strcmp(type, "image") == 0 ? "container-image" : "host";
    o.reboot_required = -1;
    if ((rc = pl__inventory_scan_observe(&g->sc, &o, &asset_id, err)) != PL_OK)
        return rc;
    return pl__inventory_scan_vulns_flush(&g->sc, asset_id, &g->vulns, err);
}

pl_status pl__inventory_import_grype(struct pl_store *s, struct pl_reader *r,
                                     const struct pl_inv_import_opts *opts,
                                     struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct grype g;
    struct pl_json_stream_opts o = {.records_path = "matches",
                                    .lines = false,
                                    .max_record = PL_MAX_IMPORT_RECORD_BYTES,
                                    .max_rest = PL_MAX_IMPORT_REST_BYTES,
                                    .on_record = on_match,
                                    .on_rest = on_root,
                                    .data = NULL};
    pl_status rc;

    memset(&g, 0, sizeof(g));
    o.data = &g;
    if ((rc = pl__inventory_scan_begin(&g.sc, s, r, "grype", opts, stats, err)) != PL_OK)
        return rc;
    rc = pl__inventory_scan_json(&g.sc, r, &o, err);
    pl__inventory_scan_vulns_release(&g.vulns);
    return rc;
}

int pl__inventory_detect_grype(const char *head, size_t n)
{
    if (pl__inventory_scan_has(head, n, "\"matches\"") &&
        (pl__inventory_scan_has(head, n, "\"matchDetails\"") ||
         pl__inventory_scan_has(head, n, "\"grype\"")))
        return 90;
    return 0;
}
