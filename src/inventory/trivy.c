/*
 * trivy.c - import a Trivy JSON report (SchemaVersion 2): the scanned
 * artifact becomes an asset, Results[].Packages its packages (when the
 * report lists them: --list-all-pkgs), Results[].Vulnerabilities scanner
 * vulnerabilities of source "trivy". Results are streamed one at a time;
 * the artifact's facts come last (they are outside the records).
 */
#include <stdio.h>
#include <string.h>

#include "patchline/limits.h"

#include "scan_int.h"

struct trivy {
    struct scan sc;
    struct scan_pkgs pkgs;
    struct scan_vulns vulns;
    bool saw_root;
};

/* "[EPOCH:]VERSION[-RELEASE]" from Trivy's split fields (Epoch/Release, or SrcEpoch/SrcRelease). */
static void join_version(const struct pl_json *p, const char *ver, const char *epoch_key,
                         const char *rel_key, char *out, size_t cap)
{
    const char *rel = pl_json_get_string(p, rel_key);
    int64_t epoch = 0;
    int n;

    if (!pl_json_int(pl_json_get(p, epoch_key), &epoch))
        epoch = 0;
    if (epoch > 0)
        n = snprintf(out, cap, "%lld:%s%s%s", (long long)epoch, ver, rel && *rel ? "-" : "",
                     rel && *rel ? rel : "");
    else
        n = snprintf(out, cap, "%s%s%s", ver, rel && *rel ? "-" : "", rel && *rel ? rel : "");
    if (n < 0 || (size_t)n >= cap)
        out[0] = '\0';
}

static pl_status add_package(struct trivy *t, const char *where, const struct pl_json *p,
                             const char *type_eco, struct pl_error *err)
{
    char ver[PL_MAX_VERSION_BYTES * 2 + 32], srcver[PL_MAX_VERSION_BYTES * 2 + 32];
    const char *name, *version, *arch, *purl = NULL, *eco = type_eco, *src, *sv;
    const struct pl_json *ident = pl_json_get(p, "Identifier");
    struct scan_purl pu;
    pl_status rc;

    if (p->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", t->sc.path, where,
                            pl_json_type_name(p->type));
    if ((rc = pl__inventory_scan_str(&t->sc, where, p, "Name", SCAN_PACKAGE, &name, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, where, p, "Version", SCAN_TOKEN, &version, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, where, p, "Arch", SCAN_TOKEN, &arch, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, where, p, "SrcName", SCAN_PACKAGE, &src, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, where, p, "SrcVersion", SCAN_TOKEN, &sv, err)) !=
            PL_OK ||
        (ident && (rc = pl__inventory_scan_str(&t->sc, where, ident, "PURL", SCAN_NAME, &purl,
                                               err)) != PL_OK))
        return rc;
    if (name == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'Name': missing", t->sc.path, where);
    if (purl && pl__inventory_scan_purl_parse(purl, &pu) &&
        pl__inventory_scan_purl_ecosystem(pu.type))
        eco = eco ? eco : pl__inventory_scan_purl_ecosystem(pu.type);
    if (eco == NULL)
        return PL_OK; /* a package type Patchline does not track */
    join_version(p, version ? version : "", "Epoch", "Release", ver, sizeof(ver));
    join_version(p, sv ? sv : "", "SrcEpoch", "SrcRelease", srcver, sizeof(srcver));
    return pl__inventory_scan_pkg_add_src(&t->sc, &t->pkgs, eco, name, ver, arch, purl, src,
                                          sv ? srcver : NULL, err);
}

/*
 * The CVSS Trivy reports, one source's: NVD first, then the source of the
 * severity, then any other; within a source 3.x, then 4.0, then 2.0.
 */
static void trivy_cvss(const struct pl_json *v, const char *sev_source, struct pl_scanner_vuln *sv)
{
    static const char *const keys[][2] = {
        {"V3Vector", "V3Score"}, {"V40Vector", "V40Score"}, {"V2Vector", "V2Score"}};
    const struct pl_json *cvss = pl_json_get(v, "CVSS"), *pick = NULL;
    const char *pick_name = NULL;

    if (cvss == NULL || cvss->type != PL_JSON_OBJECT)
        return;
    for (int pass = 0; pass < 3 && pick == NULL; pass++)
        for (const struct pl_json *c = cvss->child; c && pick == NULL; c = c->next) {
            bool want = pass == 0   ? strcmp(c->key, "nvd") == 0
                        : pass == 1 ? sev_source && strcmp(c->key, sev_source) == 0
                                    : true;

            if (want && c->type == PL_JSON_OBJECT) {
                pick = c;
                pick_name = c->key;
            }
        }
    for (size_t k = 0; pick && k < PL_ARRAY_LEN(keys); k++) {
        const char *vec = pl_json_get_string(pick, keys[k][0]);
        double score;

        if (vec == NULL || vec[0] == '\0' || strlen(vec) > PL_MAX_VERSION_BYTES)
            continue;
        sv->cvss_vector = vec;
        sv->cvss_source = pick_name;
        sv->cvss_version = k == 1                              ? "4.0"
                           : k == 2                            ? "2.0"
                           : strncmp(vec, "CVSS:3.0/", 9) == 0 ? "3.0"
                                                               : "3.1";
        if (pl_json_double(pl_json_get(pick, keys[k][1]), &score) && score >= 0 && score <= 10) {
            sv->cvss_score = score;
            sv->has_cvss_score = true;
        }
        return;
    }
}

static pl_status add_vuln(struct trivy *t, const char *where, const struct pl_json *v,
                          const char *eco, struct pl_error *err)
{
    char title[PL_MAX_SCAN_TEXT_BYTES + 1], vsev[96];
    struct pl_scanner_vuln sv;
    const char *sev, *sev_source, *purl = NULL;
    const struct pl_json *ident = pl_json_get(v, "PkgIdentifier");
    struct scan_purl pu;
    pl_status rc;

    memset(&sv, 0, sizeof(sv));
    if (v->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", t->sc.path, where,
                            pl_json_type_name(v->type));
    if ((rc = pl__inventory_scan_str(&t->sc, where, v, "VulnerabilityID", SCAN_TOKEN, &sv.vuln_id,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, where, v, "PkgName", SCAN_PACKAGE, &sv.package,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, where, v, "InstalledVersion", SCAN_TOKEN,
                                     &sv.installed_version, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, where, v, "FixedVersion", SCAN_PACKAGE,
                                     &sv.fixed_version, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, where, v, "Severity", SCAN_TOKEN, &sev, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, where, v, "SeveritySource", SCAN_TOKEN, &sev_source,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, where, v, "Status", SCAN_TOKEN, &sv.detail, err)) !=
            PL_OK ||
        (ident && (rc = pl__inventory_scan_str(&t->sc, where, ident, "PURL", SCAN_NAME, &purl,
                                               err)) != PL_OK))
        return rc;
    if (sv.vuln_id == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'VulnerabilityID': missing", t->sc.path,
                            where);
    sv.severity = pl__inventory_scan_severity(sev);
    if (sev && snprintf(vsev, sizeof(vsev), "%s%s%s%s", sev, sev_source ? " (" : "",
                        sev_source ? sev_source : "", sev_source ? ")" : "") < (int)sizeof(vsev))
        sv.vendor_severity = vsev;
    sv.title = pl__inventory_scan_long(v, "Title", title);
    if (purl && pl__inventory_scan_purl_parse(purl, &pu) &&
        pl__inventory_scan_purl_ecosystem(pu.type))
        eco = eco ? eco : pl__inventory_scan_purl_ecosystem(pu.type);
    sv.package_ecosystem = eco;
    trivy_cvss(v, sev_source, &sv);
    return pl__inventory_scan_vulns_add(&t->sc, &t->vulns, &sv, err);
}

/* Each element of array member `field`, with "WHERE field[i]" as its place. */
static pl_status each(struct trivy *t, const char *where, const struct pl_json *rec,
                      const char *field, const char *eco, struct pl_error *err)
{
    const struct pl_json *arr = pl_json_get(rec, field);
    char place[512];
    size_t i = 0;
    pl_status rc;

    if ((rc = pl__inventory_scan_type(&t->sc, where, rec, field, PL_JSON_ARRAY, true, err)) !=
            PL_OK ||
        arr == NULL || arr->type != PL_JSON_ARRAY)
        return rc;
    for (const struct pl_json *e = arr->child; e; e = e->next, i++) {
        if (snprintf(place, sizeof(place), "%s %s[%zu]", where, field, i) < 0)
            place[0] = '\0';
        rc = strcmp(field, "Packages") == 0 ? add_package(t, place, e, eco, err)
                                            : add_vuln(t, place, e, eco, err);
        if (rc != PL_OK)
            return rc;
    }
    return PL_OK;
}

static pl_status on_result(const struct pl_json *rec, uint64_t index, void *data,
                           struct pl_error *err)
{
    struct trivy *t = data;
    const char *cls, *type;
    char where[64];
    pl_status rc;

    t->sc.stats->records++;
    if (snprintf(where, sizeof(where), "Results[%llu]", (unsigned long long)index) < 0)
        where[0] = '\0';
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", t->sc.path, where,
                            pl_json_type_name(rec->type));
    if ((rc = pl__inventory_scan_str(&t->sc, where, rec, "Class", SCAN_TOKEN, &cls, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, where, rec, "Type", SCAN_TOKEN, &type, err)) != PL_OK)
        return rc;
    if (cls && strcmp(cls, "os-pkgs") != 0 && strcmp(cls, "lang-pkgs") != 0) {
        t->sc.stats->skipped++; /* config, secret, license: not packages */
        return PL_OK;
    }
    if ((rc = each(t, where, rec, "Packages", type ? pl__inventory_scan_type_ecosystem(type) : NULL,
                   err)) != PL_OK)
        return rc;
    return each(t, where, rec, "Vulnerabilities",
                type ? pl__inventory_scan_type_ecosystem(type) : NULL, err);
}

/* Identifiers "image" from ImageID and RepoDigests. */
static pl_status image_ids(struct trivy *t, const struct pl_json *meta, struct pl_identifier *ids,
                           size_t *n, struct pl_error *err)
{
    const struct pl_json *dig = pl_json_get(meta, "RepoDigests");
    const char *id;
    pl_status rc;

    *n = 0;
    if ((rc = pl__inventory_scan_str(&t->sc, "Metadata", meta, "ImageID", SCAN_TOKEN, &id, err)) !=
        PL_OK)
        return rc;
    if (id)
        ids[(*n)++] = (struct pl_identifier){"image", id, NULL};
    if ((rc = pl__inventory_scan_type(&t->sc, "Metadata", meta, "RepoDigests", PL_JSON_ARRAY, true,
                                      err)) != PL_OK ||
        dig == NULL)
        return rc;
    for (const struct pl_json *d = dig->child; d && *n < PL_MAX_IDENTIFIERS; d = d->next) {
        if (d->type != PL_JSON_STRING)
            return pl_error_set(err, PL_E_PARSE, "%s: Metadata: field 'RepoDigests': want strings",
                                t->sc.path);
        if ((rc = pl__inventory_scan_check(&t->sc, "Metadata", "RepoDigests", d->str, d->len,
                                           SCAN_TOKEN, err)) != PL_OK)
            return rc;
        ids[(*n)++] = (struct pl_identifier){"image", d->str, NULL};
    }
    return PL_OK;
}

static pl_status on_root(const struct pl_json *root, uint64_t index, void *data,
                         struct pl_error *err)
{
    struct trivy *t = data;
    struct pl_identifier ids[PL_MAX_IDENTIFIERS];
    const struct pl_json *meta, *os;
    const char *type, *fam = NULL, *ver = NULL, *arch = NULL;
    struct pl_observation o;
    int64_t asset_id;
    pl_status rc;

    (void)index;
    t->saw_root = true;
    if (root->type != PL_JSON_OBJECT || pl_json_get(root, "SchemaVersion") == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: not a Trivy JSON report (no 'SchemaVersion')",
                            t->sc.path);
    memset(&o, 0, sizeof(o));
    if ((rc = pl__inventory_scan_str(&t->sc, "report", root, "ArtifactName", SCAN_NAME, &o.name,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, "report", root, "ArtifactType", SCAN_TOKEN, &type,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_type(&t->sc, "report", root, "Metadata", PL_JSON_OBJECT, true,
                                      err)) != PL_OK)
        return rc;
    if (o.name == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: report: field 'ArtifactName': missing",
                            t->sc.path);
    meta = pl_json_get(root, "Metadata");
    os = pl_json_get(meta, "OS");
    if ((rc = pl__inventory_scan_str(&t->sc, "Metadata.OS", os, "Family", SCAN_TOKEN, &fam, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, "Metadata.OS", os, "Name", SCAN_PACKAGE, &ver, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&t->sc, "Metadata.ImageConfig",
                                     pl_json_get(meta, "ImageConfig"), "architecture", SCAN_TOKEN,
                                     &arch, err)) != PL_OK ||
        (rc = image_ids(t, meta, ids, &o.n_ids, err)) != PL_OK)
        return rc;
    o.source = "trivy";
    o.source_key = o.name;
    o.ids = ids;
    o.seen = t->sc.now;
    o.kind = type && strcmp(type, "container_image") == 0 ? "container-image" : "host";
    if (fam && strcmp(fam, "none") == 0)
        fam = NULL; /* Trivy found no OS */
    o.os_name = fam && pl__inventory_scan_os_id(fam) ? pl__inventory_scan_os_id(fam) : fam;
    o.os_family = pl__inventory_scan_os_family(o.os_name);
    o.os_version = ver;
    o.arch = arch;
    o.reboot_required = -1;
    if ((rc = pl__inventory_scan_observe(&t->sc, &o, &asset_id, err)) != PL_OK ||
        (rc = pl__inventory_scan_pkg_sync(&t->sc, asset_id, &t->pkgs, err)) != PL_OK)
        return rc;
    t->sc.stats->skipped += t->pkgs.duplicates;
    return pl__inventory_scan_vulns_flush(&t->sc, asset_id, &t->vulns, err);
}

pl_status pl__inventory_import_trivy(struct pl_store *s, struct pl_reader *r,
                                     const struct pl_inv_import_opts *opts,
                                     struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct trivy t;
    struct pl_json_stream_opts o = {.records_path = "Results",
                                    .lines = false,
                                    .max_record = PL_MAX_TRIVY_RESULT_BYTES,
                                    .max_rest = PL_MAX_IMPORT_REST_BYTES,
                                    .on_record = on_result,
                                    .on_rest = on_root,
                                    .data = NULL};
    pl_status rc;

    memset(&t, 0, sizeof(t));
    o.data = &t;
    if ((rc = pl__inventory_scan_begin(&t.sc, s, r, "trivy", opts, stats, err)) != PL_OK)
        return rc;
    rc = pl__inventory_scan_stream(&t.sc, &o, err);
    pl__inventory_scan_pkgs_release(&t.pkgs);
    pl__inventory_scan_vulns_release(&t.vulns);
    return rc;
}

int pl__inventory_detect_trivy(const char *head, size_t n)
{
    /* SchemaVersion is the number 2 (AWS Security Finding exports have a string there) */
    bool v2 = pl__inventory_scan_has(head, n, "\"SchemaVersion\": 2") ||
              pl__inventory_scan_has(head, n, "\"SchemaVersion\":2");

    if (v2 && pl__inventory_scan_has(head, n, "\"ArtifactName\""))
        return 95;
    if (v2 && pl__inventory_scan_has(head, n, "\"Results\""))
        return 80;
    return 0;
}
