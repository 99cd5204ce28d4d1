/*
 * scan_common.c - helpers shared by the scanner, SBOM, Kubernetes,
 * exposure and device importers (see scan_int.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/clock.h"
#include "patchline/limits.h"
#include "patchline/parse.h"

#include "scan_int.h"

pl_status pl__inventory_scan_begin(struct scan *sc, struct pl_store *s, struct pl_reader *r,
                                   const char *source, const struct pl_inv_import_opts *opts,
                                   struct pl_inv_import_stats *stats, struct pl_error *err)
{
    static const struct pl_inv_import_opts none = {NULL, false, NULL, 0, NULL, NULL};

    memset(sc, 0, sizeof(*sc));
    sc->s = s;
    sc->r = r;
    sc->path = pl_reader_path(r);
    sc->source = source;
    sc->opts = opts ? opts : &none;
    sc->stats = stats;
    sc->now = pl_clock_now();
    return pl_store_scanner_run(s, source, sc->path, NULL, sc->now, &sc->run_id, err);
}

static size_t cap_of(enum scan_text kind)
{
    switch (kind) {
    case SCAN_NAME:
        return PL_MAX_ASSET_NAME_BYTES;
    case SCAN_PACKAGE:
        return PL_MAX_NAME_BYTES;
    case SCAN_TOKEN:
        break;
    }
    return PL_MAX_VERSION_BYTES;
}

pl_status pl__inventory_scan_check(const struct scan *sc, const char *where, const char *field,
                                   const char *s, size_t len, enum scan_text kind,
                                   struct pl_error *err)
{
    size_t cap = cap_of(kind);

    if (len == 0)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': empty", sc->path, where, field);
    if (len > cap)
        return pl_error_set(err, PL_E_TOOBIG, "%s: %s: field '%s': longer than %zu bytes", sc->path,
                            where, field, cap);
    if (strlen(s) != len)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': contains a NUL character",
                            sc->path, where, field);
    if (!pl_utf8_valid(s, len))
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': invalid UTF-8", sc->path, where,
                            field);
    if (kind == SCAN_NAME)
        return PL_OK;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 || c == 0x7f)
            return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': control character 0x%02x",
                                sc->path, where, field, c);
        if (c == ' ' && kind == SCAN_TOKEN)
            return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': contains a blank", sc->path,
                                where, field);
    }
    return PL_OK;
}

pl_status pl__inventory_scan_str(const struct scan *sc, const char *where, const struct pl_json *v,
                                 const char *field, enum scan_text kind, const char **out,
                                 struct pl_error *err)
{
    const struct pl_json *m = pl_json_get(v, field);
    pl_status rc;

    *out = NULL;
    if (m == NULL || m->type == PL_JSON_NULL)
        return PL_OK;
    if (m->type != PL_JSON_STRING)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': want a string, not %s", sc->path,
                            where, field, pl_json_type_name(m->type));
    if (m->len == 0)
        return PL_OK; /* "" is unknown, as null */
    if ((rc = pl__inventory_scan_check(sc, where, field, m->str, m->len, kind, err)) == PL_OK)
        *out = m->str;
    return rc;
}

const char *pl__inventory_scan_long(const struct pl_json *v, const char *field, char *buf)
{
    const char *s = pl_json_get_string(v, field);
    size_t n;

    if (s == NULL || s[0] == '\0')
        return NULL;
    n = strlen(s);
    if (n <= PL_MAX_SCAN_TEXT_BYTES)
        return s;
    n = PL_MAX_SCAN_TEXT_BYTES - 3;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--; /* do not cut a character in two */
    memcpy(buf, s, n);
    memcpy(buf + n, "...", 4);
    return buf;
}

pl_status pl__inventory_scan_type(const struct scan *sc, const char *where, const struct pl_json *v,
                                  const char *field, enum pl_json_type t, bool optional,
                                  struct pl_error *err)
{
    const struct pl_json *m = pl_json_get(v, field);

    if (m == NULL || m->type == PL_JSON_NULL) {
        if (optional)
            return PL_OK;
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': missing", sc->path, where, field);
    }
    if (m->type != t)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': want %s, not %s", sc->path, where,
                            field, pl_json_type_name(t), pl_json_type_name(m->type));
    return PL_OK;
}

pl_status pl__inventory_scan_pkg_add(const struct scan *sc, struct scan_pkgs *p, const char *eco,
                                     const char *name, const char *version, const char *arch,
                                     const char *purl, struct pl_error *err)
{
    return pl__inventory_scan_pkg_add_src(sc, p, eco, name, version, arch, purl, NULL, NULL, err);
}

pl_status pl__inventory_scan_pkg_add_src(const struct scan *sc, struct scan_pkgs *p,
                                         const char *eco, const char *name, const char *version,
                                         const char *arch, const char *purl, const char *src,
                                         const char *srcver, struct pl_error *err)
{
    struct pl_package *pkg;
    size_t i;

    for (i = 0; i < p->n_eco; i++)
        if (strcmp(p->eco[i], eco) == 0)
            break;
    if (i == p->n_eco) {
        if (p->n_eco == SCAN_MAX_ECOSYSTEMS)
            return pl_error_set(err, PL_E_TOOBIG, "%s: more than %d package ecosystems", sc->path,
                                SCAN_MAX_ECOSYSTEMS);
        p->eco[p->n_eco++] = pl_xstrdup(eco);
    }
    if (p->total >= PL_MAX_PACKAGES_PER_ASSET)
        return pl_error_set(err, PL_E_TOOBIG, "%s: more than %d packages for one asset", sc->path,
                            PL_MAX_PACKAGES_PER_ASSET);
    pkg = pl_package_list_add(&p->list[i]);
    pkg->ecosystem = pl_xstrdup(eco);
    pkg->name = pl_xstrdup(name);
    pkg->version = pl_xstrdup(version ? version : "");
    pkg->arch = pl_xstrdup(arch ? arch : "");
    pkg->purl = purl ? pl_xstrdup(purl) : NULL;
    /* the source is kept when it says something the binary does not (a name, a binNMU) */
    if (src && src[0] &&
        (strcmp(src, name) != 0 || (srcver && srcver[0] && strcmp(srcver, pkg->version) != 0))) {
        pkg->source_name = pl_xstrdup(src);
        pkg->source_version = srcver && srcver[0] ? pl_xstrdup(srcver) : NULL;
    }
    p->total++;
    return PL_OK;
}

/* Order by (name, arch), then by position: the first of equal keys is kept. */
static int cmp_pkg(const void *a, const void *b)
{
    const struct pl_package *x = a, *y = b;
    int c = strcmp(x->name, y->name);

    if (c == 0)
        c = strcmp(x->arch, y->arch);
    if (c == 0)
        c = x->id < y->id ? -1 : x->id > y->id;
    return c;
}

/* Sort one list and drop later duplicates of (name, arch); returns the count dropped. */
static size_t dedup(struct pl_package_list *l)
{
    size_t out = 0, dropped = 0;

    for (size_t i = 0; i < l->n; i++)
        l->items[i].id = (int64_t)i; /* the position, for a stable order */
    qsort(l->items, l->n, sizeof(*l->items), cmp_pkg);
    for (size_t i = 0; i < l->n; i++) {
        struct pl_package *q = &l->items[i];

        if (out > 0 && strcmp(l->items[out - 1].name, q->name) == 0 &&
            strcmp(l->items[out - 1].arch, q->arch) == 0) {
            free(q->ecosystem);
            free(q->name);
            free(q->version);
            free(q->arch);
            free(q->source_name);
            free(q->source_version);
            free(q->purl);
            dropped++;
            continue;
        }
        l->items[out++] = *q;
    }
    l->n = out;
    for (size_t i = 0; i < l->n; i++)
        l->items[i].id = 0;
    return dropped;
}

pl_status pl__inventory_scan_pkg_sync(struct scan *sc, int64_t asset_id, struct scan_pkgs *p,
                                      struct pl_error *err)
{
    for (size_t i = 0; i < p->n_eco; i++) {
        struct pl_package_sync sync;
        pl_status rc;

        p->duplicates += dedup(&p->list[i]);
        rc = pl_store_packages_sync_from(sc->s, asset_id, sc->source, p->eco[i], p->list[i].items,
                                         p->list[i].n, sc->now, &sync, NULL, err);
        if (rc != PL_OK)
            return pl_error_prefix(err, "%s", sc->path);
        sc->stats->packages += p->list[i].n;
    }
    return PL_OK;
}

void pl__inventory_scan_pkgs_release(struct scan_pkgs *p)
{
    for (size_t i = 0; i < p->n_eco; i++) {
        free(p->eco[i]);
        pl_package_list_release(&p->list[i]);
    }
    memset(p, 0, sizeof(*p));
}

pl_status pl__inventory_scan_observe(struct scan *sc, const struct pl_observation *o,
                                     int64_t *asset_id, struct pl_error *err)
{
    bool created = false;
    pl_status rc = pl_store_asset_observe(sc->s, o, asset_id, &created, err);

    if (rc != PL_OK)
        return pl_error_prefix(err, "%s", sc->path);
    if (created)
        sc->stats->created++;
    else
        sc->stats->merged++;
    return PL_OK;
}

pl_status pl__inventory_scan_vuln(struct scan *sc, int64_t asset_id,
                                  const struct pl_scanner_vuln *v, struct pl_error *err)
{
    pl_status rc =
        pl_store_scanner_vuln_put(sc->s, asset_id, sc->source, sc->run_id, v, sc->now, err);

    if (rc != PL_OK)
        return pl_error_prefix(err, "%s", sc->path);
    sc->stats->vulns++;
    return PL_OK;
}

static char lower(char c)
{
    return (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
}

bool pl__inventory_scan_has(const char *head, size_t n, const char *needle)
{
    size_t k = strlen(needle);

    for (size_t i = 0; k <= n && i <= n - k; i++) {
        size_t j = 0;

        while (j < k && lower(head[i + j]) == lower(needle[j]))
            j++;
        if (j == k)
            return true;
    }
    return false;
}

static char *dup_or_null(const char *s)
{
    return s ? pl_xstrdup(s) : NULL;
}

pl_status pl__inventory_scan_vulns_add(const struct scan *sc, struct scan_vulns *l,
                                       const struct pl_scanner_vuln *v, struct pl_error *err)
{
    struct pl_scanner_vuln *c;

    if (l->n >= PL_MAX_SCANNER_VULNS_PER_ASSET)
        return pl_error_set(err, PL_E_TOOBIG, "%s: more than %d vulnerabilities for one asset",
                            sc->path, PL_MAX_SCANNER_VULNS_PER_ASSET);
    l->items = pl_xgrow(l->items, l->n, &l->cap, 64, sizeof(*l->items));
    c = &l->items[l->n++];
    c->vuln_id = dup_or_null(v->vuln_id);
    c->package = dup_or_null(v->package);
    c->installed_version = dup_or_null(v->installed_version);
    c->fixed_version = dup_or_null(v->fixed_version);
    c->severity = dup_or_null(v->severity);
    c->title = dup_or_null(v->title);
    c->detail = dup_or_null(v->detail);
    c->cvss_version = dup_or_null(v->cvss_version);
    c->cvss_vector = dup_or_null(v->cvss_vector);
    c->cvss_source = dup_or_null(v->cvss_source);
    c->cvss_score = v->cvss_score;
    c->has_cvss_score = v->has_cvss_score;
    c->vendor_severity = dup_or_null(v->vendor_severity);
    c->exploit = dup_or_null(v->exploit);
    c->first_detected = v->first_detected;
    c->source_package = dup_or_null(v->source_package);
    c->package_ecosystem = dup_or_null(v->package_ecosystem);
    return PL_OK;
}

pl_status pl__inventory_scan_vulns_flush(struct scan *sc, int64_t asset_id,
                                         const struct scan_vulns *l, struct pl_error *err)
{
    uint64_t resolved = 0;
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < l->n; i++)
        rc = pl__inventory_scan_vuln(sc, asset_id, &l->items[i], err);
    if (rc == PL_OK)
        rc = pl_store_scanner_vulns_resolve(sc->s, asset_id, sc->source, sc->run_id, sc->now,
                                            &resolved, err);
    return rc;
}

void pl__inventory_scan_vulns_release(struct scan_vulns *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct pl_scanner_vuln *v = &l->items[i];

        /* the list owns these copies; the struct's fields are const for its other users */
        free((void *)(uintptr_t)v->vuln_id);           /* NOLINT(performance-no-int-to-ptr) */
        free((void *)(uintptr_t)v->package);           /* NOLINT(performance-no-int-to-ptr) */
        free((void *)(uintptr_t)v->installed_version); /* NOLINT(performance-no-int-to-ptr) */
        free((void *)(uintptr_t)v->fixed_version);     /* NOLINT(performance-no-int-to-ptr) */
        free((void *)(uintptr_t)v->severity);          /* NOLINT(performance-no-int-to-ptr) */
        free((void *)(uintptr_t)v->title);             /* NOLINT(performance-no-int-to-ptr) */
        free((void *)(uintptr_t)v->detail);            /* NOLINT(performance-no-int-to-ptr) */
        free((void *)(uintptr_t)v->cvss_version);      /* NOLINT(performance-no-int-to-ptr) */
        free((void *)(uintptr_t)v->cvss_vector);       /* NOLINT(performance-no-int-to-ptr) */
        free((void *)(uintptr_t)v->cvss_source);       /* NOLINT(performance-no-int-to-ptr) */
        free((void *)(uintptr_t)v->vendor_severity);   /* NOLINT(performance-no-int-to-ptr) */
        free((void *)(uintptr_t)v->exploit);           /* NOLINT(performance-no-int-to-ptr) */
        free((void *)(uintptr_t)v->source_package);    /* NOLINT(performance-no-int-to-ptr) */
        free((void *)(uintptr_t)v->package_ecosystem); /* NOLINT(performance-no-int-to-ptr) */
    }
    free(l->items);
    memset(l, 0, sizeof(*l));
}

/*
 * The stream puts "PATH: record N: " before a callback's message; the
 * importers' messages already name the file and a better place
 * ("Results[3]"), so drop the stream's.
 */
static void unprefix(const char *path, struct pl_error *err)
{
    size_t n = strlen(path);
    const char *p = err->msg;

    if (strncmp(p, path, n) != 0 || strncmp(p + n, ": record ", 9) != 0)
        return;
    p += n + 9;
    while (*p >= '0' && *p <= '9')
        p++;
    if (strncmp(p, ": ", 2) == 0 && strncmp(p + 2, path, n) == 0)
        memmove(err->msg, p + 2, strlen(p + 2) + 1);
}

pl_status pl__inventory_scan_json(struct scan *sc, struct pl_reader *r,
                                  const struct pl_json_stream_opts *o, struct pl_error *err)
{
    pl_status rc = pl_json_stream(r, o, err);
    size_t n;

    if (rc != PL_OK) {
        unprefix(sc->path, err);
        n = strlen(err->msg); /* the parser's messages end in a new line */
        while (n > 0 && (err->msg[n - 1] == '\n' || err->msg[n - 1] == ' '))
            err->msg[--n] = '\0';
    }
    return rc;
}

pl_status pl__inventory_scan_stream(struct scan *sc, struct pl_json_stream_opts *o,
                                    struct pl_error *err)
{
    char want[128];
    struct pl_json_stream_opts whole;
    struct pl_reader *again;
    pl_status rc = pl__inventory_scan_json(sc, sc->r, o, err);

    if (snprintf(want, sizeof(want), "no '%s' array of records", o->records_path) >=
        (int)sizeof(want))
        want[0] = '\0';
    if (rc != PL_E_PARSE || o->on_rest == NULL || strstr(err->msg, want) == NULL)
        return rc;
    if (strcmp(sc->path, "-") == 0)
        return pl_error_set(err, PL_E_PARSE, "%s: no '%s' array (standard input)", sc->path,
                            o->records_path);
    whole = *o;
    whole.records_path = NULL;
    whole.on_record = o->on_rest;
    whole.on_rest = NULL;
    whole.max_record = PL_MAX_IMPORT_REST_BYTES;
    if ((rc = pl_reader_open(sc->path, 0, &again, err)) != PL_OK)
        return rc;
    rc = pl__inventory_scan_json(sc, again, &whole, err);
    pl_reader_close(again);
    return rc;
}

pl_status pl__inventory_scan_tag(struct scan *sc, int64_t asset_id, const char *tag,
                                 struct pl_error *err)
{
    struct pl_asset_facts f = PL_ASSET_FACTS_INIT;
    const char *tags[1] = {tag};

    f.tags = tags;
    f.n_tags = 1;
    f.source = sc->source;
    f.seen = sc->now;
    return pl_store_asset_facts(sc->s, asset_id, &f, err);
}
