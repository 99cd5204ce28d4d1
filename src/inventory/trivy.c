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

/* "[EPOCH:]VERSION[-RELEASE]" from Trivy's split fields. */
static void join_version(const struct pl_json *p, const char *ver, char *out, size_t cap)
{
    const char *rel = pl_json_get_string(p, "Release");
    int64_t epoch = 0;
    int n;

    if (!pl_json_int(pl_json_get(p, "Epoch"), &epoch))
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
    char ver[PL_MAX_VERSION_BYTES * 2 + 32];
    const char *name, *version, *arch, *purl = NULL, *eco = type_eco;
    const struct pl_json *ident = pl_json_get(p, "Identifier");
    struct scan_purl pu;
    pl_status rc;

    if (p->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", t->sc.path, where,
                            pl_json_type_name(p->type));
    if ((rc = pl__scan_str(&t->sc, where, p, "Name", SCAN_PACKAGE, &name, err)) != PL_OK ||
        (rc = pl__scan_str(&t->sc, where, p, "Version", SCAN_TOKEN, &version, err)) != PL_OK ||
        (rc = pl__scan_str(&t->sc, where, p, "Arch", SCAN_TOKEN, &arch, err)) != PL_OK ||
        (ident &&
         (rc = pl__scan_str(&t->sc, where, ident, "PURL", SCAN_NAME, &purl, err)) != PL_OK))
        return rc;
    if (name == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'Name': missing", t->sc.path, where);
    if (purl && pl__scan_purl_parse(purl, &pu) && pl__scan_purl_ecosystem(pu.type))
        eco = eco ? eco : pl__scan_purl_ecosystem(pu.type);
    if (eco == NULL)
        return PL_OK; /* a package type Patchline does not track */
    join_version(p, version ? version : "", ver, sizeof(ver));
    return pl__scan_pkg_add(&t->sc, &t->pkgs, eco, name, ver, arch, purl, err);
}

static pl_status add_vuln(struct trivy *t, const char *where, const struct pl_json *v,
                          struct pl_error *err)
{
    char title[PL_MAX_SCAN_TEXT_BYTES + 1];
    struct pl_scanner_vuln sv;
    const char *sev;
    pl_status rc;

    memset(&sv, 0, sizeof(sv));
    if (v->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", t->sc.path, where,
                            pl_json_type_name(v->type));
    if ((rc = pl__scan_str(&t->sc, where, v, "VulnerabilityID", SCAN_TOKEN, &sv.vuln_id, err)) !=
            PL_OK ||
        (rc = pl__scan_str(&t->sc, where, v, "PkgName", SCAN_PACKAGE, &sv.package, err)) != PL_OK ||
        (rc = pl__scan_str(&t->sc, where, v, "InstalledVersion", SCAN_TOKEN, &sv.installed_version,
                           err)) != PL_OK ||
        (rc = pl__scan_str(&t->sc, where, v, "FixedVersion", SCAN_PACKAGE, &sv.fixed_version,
                           err)) != PL_OK ||
        (rc = pl__scan_str(&t->sc, where, v, "Severity", SCAN_TOKEN, &sev, err)) != PL_OK ||
        (rc = pl__scan_str(&t->sc, where, v, "Status", SCAN_TOKEN, &sv.detail, err)) != PL_OK)
        return rc;
    if (sv.vuln_id == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'VulnerabilityID': missing", t->sc.path,
                            where);
    sv.severity = pl__scan_severity(sev);
    sv.title = pl__scan_long(v, "Title", title);
    return pl__scan_vulns_add(&t->sc, &t->vulns, &sv, err);
}

/* Each element of array member `field`, with "WHERE field[i]" as its place. */
static pl_status each(struct trivy *t, const char *where, const struct pl_json *rec,
                      const char *field, const char *eco, struct pl_error *err)
{
    const struct pl_json *arr = pl_json_get(rec, field);
    char place[512];
    size_t i = 0;
    pl_status rc;

    if ((rc = pl__scan_type(&t->sc, where, rec, field, PL_JSON_ARRAY, true, err)) != PL_OK ||
        arr == NULL || arr->type != PL_JSON_ARRAY)
        return rc;
    for (const struct pl_json *e = arr->child; e; e = e->next, i++) {
        if (snprintf(place, sizeof(place), "%s %s[%zu]", where, field, i) < 0)
            place[0] = '\0';
        rc = strcmp(field, "Packages") == 0 ? add_package(t, place, e, eco, err)
                                            : add_vuln(t, place, e, err);
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
    if ((rc = pl__scan_str(&t->sc, where, rec, "Class", SCAN_TOKEN, &cls, err)) != PL_OK ||
        (rc = pl__scan_str(&t->sc, where, rec, "Type", SCAN_TOKEN, &type, err)) != PL_OK)
        return rc;
    if (cls && strcmp(cls, "os-pkgs") != 0 && strcmp(cls, "lang-pkgs") != 0) {
        t->sc.stats->skipped++; /* config, secret, license: not packages */
        return PL_OK;
    }
    if ((rc = each(t, where, rec, "Packages", type ? pl__scan_type_ecosystem(type) : NULL, err)) !=
        PL_OK)
        return rc;
    return each(t, where, rec, "Vulnerabilities", NULL, err);
}

/* The os_family Patchline keeps for a Trivy OS family (as ID_LIKE would say). */
static const char *family_of(const char *fam)
{
    static const char *const debian[] = {"debian", "ubuntu", NULL};
    static const char *const rhel[] = {"redhat", "centos", "rocky",  "alma",
                                       "oracle", "amazon", "fedora", NULL};
    static const char *const suse[] = {"opensuse-leap",
                                       "opensuse-tumbleweed",
                                       "opensuse",
                                       "suse linux enterprise server",
                                       "slem",
                                       "sles",
                                       NULL};

    if (fam == NULL)
        return NULL;
    for (size_t i = 0; debian[i]; i++)
        if (strcmp(fam, debian[i]) == 0)
            return "debian";
    for (size_t i = 0; rhel[i]; i++)
        if (strcmp(fam, rhel[i]) == 0)
            return "rhel";
    for (size_t i = 0; suse[i]; i++)
        if (strcmp(fam, suse[i]) == 0)
            return "suse";
    return fam;
}

/* Identifiers "image" from ImageID and RepoDigests. */
static pl_status image_ids(struct trivy *t, const struct pl_json *meta, struct pl_identifier *ids,
                           size_t *n, struct pl_error *err)
{
    const struct pl_json *dig = pl_json_get(meta, "RepoDigests");
    const char *id;
    pl_status rc;

    *n = 0;
    if ((rc = pl__scan_str(&t->sc, "Metadata", meta, "ImageID", SCAN_TOKEN, &id, err)) != PL_OK)
        return rc;
    if (id)
        ids[(*n)++] = (struct pl_identifier){"image", id, NULL};
    if ((rc = pl__scan_type(&t->sc, "Metadata", meta, "RepoDigests", PL_JSON_ARRAY, true, err)) !=
            PL_OK ||
        dig == NULL)
        return rc;
    for (const struct pl_json *d = dig->child; d && *n < PL_MAX_IDENTIFIERS; d = d->next) {
        if (d->type != PL_JSON_STRING)
            return pl_error_set(err, PL_E_PARSE, "%s: Metadata: field 'RepoDigests': want strings",
                                t->sc.path);
        if ((rc = pl__scan_check(&t->sc, "Metadata", "RepoDigests", d->str, d->len, SCAN_TOKEN,
                                 err)) != PL_OK)
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
    if ((rc = pl__scan_str(&t->sc, "report", root, "ArtifactName", SCAN_NAME, &o.name, err)) !=
            PL_OK ||
        (rc = pl__scan_str(&t->sc, "report", root, "ArtifactType", SCAN_TOKEN, &type, err)) !=
            PL_OK ||
        (rc = pl__scan_type(&t->sc, "report", root, "Metadata", PL_JSON_OBJECT, true, err)) !=
            PL_OK)
        return rc;
    if (o.name == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: report: field 'ArtifactName': missing",
                            t->sc.path);
    meta = pl_json_get(root, "Metadata");
    os = pl_json_get(meta, "OS");
    if ((rc = pl__scan_str(&t->sc, "Metadata.OS", os, "Family", SCAN_TOKEN, &fam, err)) != PL_OK ||
        (rc = pl__scan_str(&t->sc, "Metadata.OS", os, "Name", SCAN_PACKAGE, &ver, err)) != PL_OK ||
        (rc = pl__scan_str(&t->sc, "Metadata.ImageConfig", pl_json_get(meta, "ImageConfig"),
                           "architecture", SCAN_TOKEN, &arch, err)) != PL_OK ||
        (rc = image_ids(t, meta, ids, &o.n_ids, err)) != PL_OK)
        return rc;
    o.source = "trivy";
    o.source_key = o.name;
    o.ids = ids;
    o.seen = t->sc.now;
    o.kind = type && strcmp(type, "container_image") == 0 ? "container-image" : "host";
    o.os_family = family_of(fam);
    o.os_name = fam;
    o.os_version = ver;
    o.arch = arch;
    o.reboot_required = -1;
    if ((rc = pl__scan_observe(&t->sc, &o, &asset_id, err)) != PL_OK ||
        (rc = pl__scan_pkg_sync(&t->sc, asset_id, &t->pkgs, err)) != PL_OK)
        return rc;
    t->sc.stats->skipped += t->pkgs.duplicates;
    return pl__scan_vulns_flush(&t->sc, asset_id, &t->vulns, err);
}

pl_status pl__import_trivy(struct pl_store *s, struct pl_reader *r,
                           const struct pl_inv_import_opts *opts, struct pl_inv_import_stats *stats,
                           struct pl_error *err)
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
    if ((rc = pl__scan_begin(&t.sc, s, r, "trivy", opts, stats, err)) != PL_OK)
        return rc;
    rc = pl__scan_stream(&t.sc, &o, err);
    pl__scan_pkgs_release(&t.pkgs);
    pl__scan_vulns_release(&t.vulns);
    return rc;
}

int pl__detect_trivy(const char *head, size_t n)
{
    /* SchemaVersion is the number 2 (AWS Security Finding exports have a string there) */
    bool v2 = pl__scan_has(head, n, "\"SchemaVersion\": 2") ||
              pl__scan_has(head, n, "\"SchemaVersion\":2");

    if (v2 && pl__scan_has(head, n, "\"ArtifactName\""))
        return 95;
    if (v2 && pl__scan_has(head, n, "\"Results\""))
        return 80;
    return 0;
}
