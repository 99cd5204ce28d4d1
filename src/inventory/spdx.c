/*
 * spdx.c - import SPDX JSON documents: 2.2/2.3 (kind "spdx", streamed by
 * packages[]) and 3.0 JSON-LD (kind "spdx3", streamed by @graph[]). The
 * described package (documentDescribes / DESCRIBES; 3.0: the rootElement
 * of the Sbom or SpdxDocument) is the asset; every other package with a
 * package URL is one of its packages. Packages without a package URL give
 * nothing to match on and are counted as skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/parse.h"

#include "scan_int.h"

/* One package as read (owned strings). */
struct spkg {
    char *id, *name, *version, *purl;
};

struct spdx {
    struct scan sc;
    struct spkg *p;
    size_t n, cap;
    char *root3;     /* 3.0: the Sbom's root element */
    char *doc_root3; /* 3.0: the SpdxDocument's root element */
    char *doc3_name, *doc3_id;
};

static char *dup_n(const char *s)
{
    return s ? pl_xstrdup(s) : NULL;
}

static pl_status keep(struct spdx *x, const char *id, const char *name, const char *version,
                      const char *purl, struct pl_error *err)
{
    struct spkg *k;

    if (x->n >= PL_MAX_PACKAGES_PER_ASSET)
        return pl_error_set(err, PL_E_TOOBIG, "%s: more than %d packages", x->sc.path,
                            PL_MAX_PACKAGES_PER_ASSET);
    x->p = pl_xgrow(x->p, x->n, &x->cap, 64, sizeof(*x->p));
    k = &x->p[x->n++];
    k->id = dup_n(id);
    k->name = dup_n(name);
    k->version = dup_n(version);
    k->purl = dup_n(purl);
    return PL_OK;
}

/* The purl among SPDX 2 externalRefs (category PACKAGE-MANAGER or PACKAGE_MANAGER). */
static pl_status purl_of(struct spdx *x, const char *where, const struct pl_json *pkg,
                         const char **out, struct pl_error *err)
{
    const struct pl_json *refs = pl_json_get(pkg, "externalRefs");
    pl_status rc;

    *out = NULL;
    if ((rc = pl__inventory_scan_type(&x->sc, where, pkg, "externalRefs", PL_JSON_ARRAY, true,
                                      err)) != PL_OK ||
        refs == NULL)
        return rc;
    for (const struct pl_json *r = refs->child; r && *out == NULL; r = r->next) {
        const char *type = pl_json_get_string(r, "referenceType");

        if (type && strcmp(type, "purl") == 0 &&
            (rc = pl__inventory_scan_str(&x->sc, where, r, "referenceLocator", SCAN_NAME, out,
                                         err)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

static pl_status on_package(const struct pl_json *rec, uint64_t index, void *data,
                            struct pl_error *err)
{
    struct spdx *x = data;
    const char *id, *name, *version, *purl;
    char where[64];
    pl_status rc;

    x->sc.stats->records++;
    if (snprintf(where, sizeof(where), "packages[%llu]", (unsigned long long)index) < 0)
        where[0] = '\0';
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", x->sc.path, where,
                            pl_json_type_name(rec->type));
    if ((rc = pl__inventory_scan_str(&x->sc, where, rec, "SPDXID", SCAN_NAME, &id, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(&x->sc, where, rec, "name", SCAN_PACKAGE, &name, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&x->sc, where, rec, "versionInfo", SCAN_PACKAGE, &version,
                                     err)) != PL_OK ||
        (rc = purl_of(x, where, rec, &purl, err)) != PL_OK)
        return rc;
    if (name == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'name': missing", x->sc.path, where);
    return keep(x, id, name, version, purl, err);
}

static const struct spkg *find_pkg(const struct spdx *x, const char *id)
{
    for (size_t i = 0; id && i < x->n; i++)
        if (x->p[i].id && strcmp(x->p[i].id, id) == 0)
            return &x->p[i];
    return NULL;
}

/*
 * Record the asset (subject, or the document itself when no package is
 * described) and the packages. doc_name/doc_key name the document.
 */
static pl_status finish(struct spdx *x, const struct spkg *subj, const char *doc_name,
                        const char *doc_key, struct pl_error *err)
{
    char name[PL_MAX_ASSET_NAME_BYTES + 300], key[PL_MAX_ASSET_NAME_BYTES * 2 + 8];
    struct scan_pkgs pkgs;
    struct pl_observation o;
    int64_t asset;
    pl_status rc = PL_OK;

    if (subj && snprintf(name, sizeof(name), "%s%s%s", subj->name, subj->version ? " " : "",
                         subj->version ? subj->version : "") < 0)
        name[0] = '\0';
    if (snprintf(key, sizeof(key), "%s#%s", doc_key ? doc_key : x->sc.path,
                 subj && subj->id ? subj->id : "document") < 0)
        key[0] = '\0';
    memset(&o, 0, sizeof(o));
    o.source = "spdx";
    o.source_key = key;
    o.seen = x->sc.now;
    o.name = subj ? name : doc_name;
    o.kind = "host";
    o.reboot_required = -1;
    if (o.name == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: document: field 'name': missing", x->sc.path);
    if ((rc = pl__inventory_scan_observe(&x->sc, &o, &asset, err)) != PL_OK)
        return rc;
    memset(&pkgs, 0, sizeof(pkgs));
    for (size_t i = 0; rc == PL_OK && i < x->n; i++) {
        const struct spkg *k = &x->p[i];
        struct scan_purl pu;
        const char *eco;

        if (k == subj)
            continue;
        if (k->purl == NULL || !pl__inventory_scan_purl_parse(k->purl, &pu) ||
            (eco = pl__inventory_scan_purl_ecosystem(pu.type)) == NULL) {
            x->sc.stats->skipped++;
            continue;
        }
        rc = pl__inventory_scan_pkg_add(&x->sc, &pkgs, eco, pu.name,
                                        pu.version[0] ? pu.version : k->version, pu.arch, k->purl,
                                        err);
    }
    if (rc == PL_OK)
        rc = pl__inventory_scan_pkg_sync(&x->sc, asset, &pkgs, err);
    x->sc.stats->skipped += pkgs.duplicates;
    pl__inventory_scan_pkgs_release(&pkgs);
    return rc;
}

/* SPDX 2: the described package, from documentDescribes or a DESCRIBES relationship. */
static const struct spkg *described(const struct spdx *x, const struct pl_json *root)
{
    const struct pl_json *dd = pl_json_get(root, "documentDescribes");
    const struct pl_json *rels = pl_json_get(root, "relationships");
    const struct spkg *k;

    for (const struct pl_json *d = dd && dd->type == PL_JSON_ARRAY ? dd->child : NULL; d;
         d = d->next)
        if ((k = find_pkg(x, pl_json_string(d))) != NULL)
            return k;
    for (const struct pl_json *r = rels && rels->type == PL_JSON_ARRAY ? rels->child : NULL; r;
         r = r->next) {
        const char *a = pl_json_get_string(r, "spdxElementId");
        const char *t = pl_json_get_string(r, "relationshipType");

        if (a && t && strcmp(a, "SPDXRef-DOCUMENT") == 0 && strcmp(t, "DESCRIBES") == 0 &&
            (k = find_pkg(x, pl_json_get_string(r, "relatedSpdxElement"))) != NULL)
            return k;
    }
    return x->n == 1 ? &x->p[0] : NULL;
}

static pl_status on_root2(const struct pl_json *root, uint64_t index, void *data,
                          struct pl_error *err)
{
    struct spdx *x = data;
    const char *ver = pl_json_get_string(root, "spdxVersion"), *name, *ns;
    pl_status rc;

    (void)index;
    if (ver == NULL) {
        if (pl_json_get(root, "@graph"))
            return pl_error_set(err, PL_E_UNSUPPORTED,
                                "%s: an SPDX 3.0 JSON-LD document: import it as kind 'spdx3'",
                                x->sc.path);
        return pl_error_set(err, PL_E_PARSE, "%s: not an SPDX JSON document (no 'spdxVersion')",
                            x->sc.path);
    }
    if (!pl_starts_with(ver, "SPDX-2."))
        return pl_error_set(err, PL_E_UNSUPPORTED, "%s: unsupported SPDX version '%s'", x->sc.path,
                            ver);
    if ((rc = pl__inventory_scan_str(&x->sc, "document", root, "name", SCAN_NAME, &name, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&x->sc, "document", root, "documentNamespace", SCAN_NAME, &ns,
                                     err)) != PL_OK)
        return rc;
    return finish(x, described(x, root), name, ns, err);
}

/* The first string of array member `field` of v, or NULL. */
static const char *first_string(const struct pl_json *v, const char *field)
{
    const struct pl_json *a = pl_json_get(v, field);

    if (a && a->type == PL_JSON_STRING)
        return a->str;
    return a && a->type == PL_JSON_ARRAY ? pl_json_string(a->child) : NULL;
}

static bool is_package_type(const char *t)
{
    return strcmp(t, "software_Package") == 0 || strcmp(t, "ai_AIPackage") == 0 ||
           strcmp(t, "dataset_DatasetPackage") == 0;
}

static pl_status on_element(const struct pl_json *rec, uint64_t index, void *data,
                            struct pl_error *err)
{
    struct spdx *x = data;
    const char *type, *id, *name, *version, *purl;
    char where[64];
    pl_status rc;

    x->sc.stats->records++;
    if (snprintf(where, sizeof(where), "@graph[%llu]", (unsigned long long)index) < 0)
        where[0] = '\0';
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", x->sc.path, where,
                            pl_json_type_name(rec->type));
    if ((rc = pl__inventory_scan_str(&x->sc, where, rec, "type", SCAN_TOKEN, &type, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(&x->sc, where, rec, "spdxId", SCAN_NAME, &id, err)) != PL_OK)
        return rc;
    if (type == NULL)
        return PL_OK;
    if (strcmp(type, "software_Sbom") == 0 && x->root3 == NULL) {
        x->root3 = dup_n(first_string(rec, "rootElement"));
    } else if (strcmp(type, "SpdxDocument") == 0 && x->doc3_id == NULL) {
        x->doc_root3 = dup_n(first_string(rec, "rootElement"));
        x->doc3_name = dup_n(pl_json_get_string(rec, "name"));
        x->doc3_id = dup_n(id ? id : "document");
    } else if (is_package_type(type)) {
        if ((rc = pl__inventory_scan_str(&x->sc, where, rec, "name", SCAN_PACKAGE, &name, err)) !=
                PL_OK ||
            (rc = pl__inventory_scan_str(&x->sc, where, rec, "software_packageVersion",
                                         SCAN_PACKAGE, &version, err)) != PL_OK ||
            (rc = pl__inventory_scan_str(&x->sc, where, rec, "software_packageUrl", SCAN_NAME,
                                         &purl, err)) != PL_OK)
            return rc;
        if (name == NULL)
            return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'name': missing", x->sc.path,
                                where);
        return keep(x, id, name, version, purl, err);
    }
    return PL_OK;
}

static pl_status on_root3(const struct pl_json *root, uint64_t index, void *data,
                          struct pl_error *err)
{
    struct spdx *x = data;
    const char *ctx = pl_json_get_string(root, "@context");
    const struct spkg *subj;

    (void)index;
    if (ctx == NULL || strstr(ctx, "spdx.org/rdf/3") == NULL)
        return pl_error_set(err, PL_E_PARSE,
                            "%s: not an SPDX 3 JSON-LD document (no SPDX 3 '@context')",
                            x->sc.path);
    subj = find_pkg(x, x->root3);
    if (subj == NULL)
        subj = find_pkg(x, x->doc_root3);
    if (subj == NULL && x->n == 1)
        subj = &x->p[0];
    return finish(x, subj, x->doc3_name ? x->doc3_name : x->sc.path, x->doc3_id, err);
}

static pl_status run(struct pl_store *s, struct pl_reader *r, const struct pl_inv_import_opts *opts,
                     struct pl_inv_import_stats *stats, bool v3, struct pl_error *err)
{
    struct spdx x;
    struct pl_json_stream_opts o = {.records_path = v3 ? "@graph" : "packages",
                                    .lines = false,
                                    .max_record = PL_MAX_IMPORT_RECORD_BYTES,
                                    .max_rest = PL_MAX_IMPORT_REST_BYTES,
                                    .on_record = v3 ? on_element : on_package,
                                    .on_rest = v3 ? on_root3 : on_root2,
                                    .data = NULL};
    pl_status rc;

    memset(&x, 0, sizeof(x));
    o.data = &x;
    if ((rc = pl__inventory_scan_begin(&x.sc, s, r, "spdx", opts, stats, err)) == PL_OK)
        rc = pl__inventory_scan_stream(&x.sc, &o, err);
    for (size_t i = 0; i < x.n; i++) {
        free(x.p[i].id);
        free(x.p[i].name);
        free(x.p[i].version);
        free(x.p[i].purl);
    }
    free(x.p);
    free(x.root3);
    free(x.doc_root3);
    free(x.doc3_name);
    free(x.doc3_id);
    return rc;
}

pl_status pl__inventory_import_spdx(struct pl_store *s, struct pl_reader *r,
                                    const struct pl_inv_import_opts *opts,
                                    struct pl_inv_import_stats *stats, struct pl_error *err)
{
    return run(s, r, opts, stats, false, err);
}

pl_status pl__inventory_import_spdx3(struct pl_store *s, struct pl_reader *r,
                                     const struct pl_inv_import_opts *opts,
                                     struct pl_inv_import_stats *stats, struct pl_error *err)
{
    return run(s, r, opts, stats, true, err);
}

int pl__inventory_detect_spdx(const char *head, size_t n)
{
    if (pl__inventory_scan_has(head, n, "\"spdxVersion\"") &&
        pl__inventory_scan_has(head, n, "SPDX-2"))
        return 95;
    /* the version may come after a long files[] array: element ids still say SPDX 2 */
    return pl__inventory_scan_has(head, n, "\"SPDXID\"") &&
                   pl__inventory_scan_has(head, n, "SPDXRef-")
               ? 70
               : 0;
}

int pl__inventory_detect_spdx3(const char *head, size_t n)
{
    return pl__inventory_scan_has(head, n, "\"@context\"") &&
                   pl__inventory_scan_has(head, n, "spdx.org/rdf/3")
               ? 95
               : 0;
}

/* ---- tag-value (kind "spdx-tv") ---------------------------------------- */

struct tv {
    struct spdx x;
    struct spkg *cur; /* the package whose fields follow, NULL outside one */
    char *doc_name, *ns, *described;
    bool saw_version, in_text;
    uint64_t line;
};

static pl_status tv_check(struct tv *t, const char *tag, const char *value, enum scan_text kind,
                          struct pl_error *err)
{
    char where[48];

    if (snprintf(where, sizeof(where), "line %llu", (unsigned long long)t->line) < 0)
        where[0] = '\0';
    return pl__inventory_scan_check(&t->x.sc, where, tag, value, strlen(value), kind, err);
}

/* Set *slot to a checked copy of value (first one wins). */
static pl_status tv_set(struct tv *t, char **slot, const char *tag, const char *value,
                        enum scan_text kind, struct pl_error *err)
{
    pl_status rc;

    if ((rc = tv_check(t, tag, value, kind, err)) != PL_OK)
        return rc;
    if (*slot == NULL)
        *slot = pl_xstrdup(value);
    return PL_OK;
}

/* "PACKAGE-MANAGER purl pkg:npm/x@1": the locator when the type is purl. */
static const char *tv_purl(const char *v, char *buf, size_t cap)
{
    const char *p = strchr(v, ' '), *q;

    if (p == NULL)
        return NULL;
    while (*p == ' ')
        p++;
    if (strncmp(p, "purl ", 5) != 0)
        return NULL;
    for (q = p + 5; *q == ' '; q++)
        ;
    if (snprintf(buf, cap, "%s", q) >= (int)cap)
        return NULL;
    return buf;
}

static pl_status tv_field(struct tv *t, const char *tag, const char *v, struct pl_error *err)
{
    char buf[PL_MAX_ASSET_NAME_BYTES + 1];
    const char *purl;
    pl_status rc;

    if (strcmp(tag, "SPDXVersion") == 0) {
        if (!pl_starts_with(v, "SPDX-2."))
            return pl_error_set(err, PL_E_UNSUPPORTED, "%s:%llu: unsupported SPDX version '%s'",
                                t->x.sc.path, (unsigned long long)t->line, v);
        t->saw_version = true;
    } else if (strcmp(tag, "DocumentName") == 0) {
        return tv_set(t, &t->doc_name, tag, v, SCAN_NAME, err);
    } else if (strcmp(tag, "DocumentNamespace") == 0) {
        return tv_set(t, &t->ns, tag, v, SCAN_NAME, err);
    } else if (strcmp(tag, "PackageName") == 0) {
        t->x.sc.stats->records++;
        if ((rc = tv_check(t, tag, v, SCAN_PACKAGE, err)) != PL_OK ||
            (rc = keep(&t->x, NULL, v, NULL, NULL, err)) != PL_OK)
            return rc;
        t->cur = &t->x.p[t->x.n - 1];
    } else if (strcmp(tag, "SPDXID") == 0 && t->cur) {
        return tv_set(t, &t->cur->id, tag, v, SCAN_NAME, err);
    } else if (strcmp(tag, "PackageVersion") == 0 && t->cur) {
        return tv_set(t, &t->cur->version, tag, v, SCAN_PACKAGE, err);
    } else if (strcmp(tag, "ExternalRef") == 0 && t->cur && (purl = tv_purl(v, buf, sizeof(buf)))) {
        return tv_set(t, &t->cur->purl, tag, purl, SCAN_NAME, err);
    } else if (strcmp(tag, "FileName") == 0 || strcmp(tag, "SnippetSPDXID") == 0 ||
               strcmp(tag, "LicenseID") == 0) {
        t->cur = NULL;
    } else if (strcmp(tag, "Relationship") == 0 && pl_starts_with(v, "SPDXRef-DOCUMENT ") &&
               strstr(v, " DESCRIBES ")) {
        return tv_set(t, &t->described, tag, strstr(v, " DESCRIBES ") + 11, SCAN_NAME, err);
    }
    return PL_OK;
}

/* One line: "Tag: Value", a comment, blank, or inside a <text> block. */
static pl_status tv_line(struct tv *t, char *s, struct pl_error *err)
{
    char *colon, *v;

    if (t->in_text) {
        t->in_text = strstr(s, "</text>") == NULL;
        return PL_OK;
    }
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '\0' || *s == '#')
        return PL_OK;
    if ((colon = strchr(s, ':')) == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s:%llu: not a 'Tag: Value' line", t->x.sc.path,
                            (unsigned long long)t->line);
    *colon = '\0';
    for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
        ;
    for (size_t n = strlen(v); n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'); n--)
        v[n - 1] = '\0';
    if (pl_starts_with(v, "<text>")) {
        t->in_text = strstr(v, "</text>") == NULL;
        return PL_OK; /* free text (licences, comments): not inventory */
    }
    if (!t->saw_version && strcmp(s, "SPDXVersion") != 0)
        return pl_error_set(err, PL_E_PARSE,
                            "%s:%llu: not an SPDX tag-value document (it must start with "
                            "'SPDXVersion:')",
                            t->x.sc.path, (unsigned long long)t->line);
    return tv_field(t, s, v, err);
}

static pl_status tv_run(struct tv *t, struct pl_error *err)
{
    struct pl_buf line = PL_BUF_INIT(0);
    char empty[1] = "";
    bool eof = false;
    pl_status rc;

    while ((rc = pl_reader_line(t->x.sc.r, &line, &eof, err)) == PL_OK && !eof) {
        t->line = pl_reader_lineno(t->x.sc.r);
        if ((rc = tv_line(t, line.buf ? line.buf : empty, err)) != PL_OK)
            break;
    }
    pl_buf_release(&line);
    if (rc != PL_OK)
        return rc;
    if (!t->saw_version)
        return pl_error_set(err, PL_E_PARSE, "%s: empty: not an SPDX tag-value document",
                            t->x.sc.path);
    if (t->in_text)
        return pl_error_set(err, PL_E_PARSE, "%s:%llu: truncated: a <text> block is not closed",
                            t->x.sc.path, (unsigned long long)t->line);
    {
        const struct spkg *subj = find_pkg(&t->x, t->described);

        if (subj == NULL && t->x.n == 1)
            subj = &t->x.p[0];
        return finish(&t->x, subj, t->doc_name, t->ns, err);
    }
}

pl_status pl__inventory_import_spdx_tv(struct pl_store *s, struct pl_reader *r,
                                       const struct pl_inv_import_opts *opts,
                                       struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct tv t;
    pl_status rc;

    memset(&t, 0, sizeof(t));
    if ((rc = pl__inventory_scan_begin(&t.x.sc, s, r, "spdx", opts, stats, err)) == PL_OK)
        rc = tv_run(&t, err);
    for (size_t i = 0; i < t.x.n; i++) {
        free(t.x.p[i].id);
        free(t.x.p[i].name);
        free(t.x.p[i].version);
        free(t.x.p[i].purl);
    }
    free(t.x.p);
    free(t.doc_name);
    free(t.ns);
    free(t.described);
    return rc;
}

int pl__inventory_detect_spdx_tv(const char *head, size_t n)
{
    return n >= 12 && pl__inventory_scan_has(head, n < 512 ? n : 512, "SPDXVersion: SPDX-") ? 95
                                                                                            : 0;
}
