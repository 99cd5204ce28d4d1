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

pl_status pl__scan_begin(struct scan *sc, struct pl_store *s, struct pl_reader *r,
                         const char *source, const struct pl_inv_import_opts *opts,
                         struct pl_inv_import_stats *stats, struct pl_error *err)
{
    static const struct pl_inv_import_opts none = {NULL, false};

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

pl_status pl__scan_check(const struct scan *sc, const char *where, const char *field, const char *s,
                         size_t len, enum scan_text kind, struct pl_error *err)
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

pl_status pl__scan_str(const struct scan *sc, const char *where, const struct pl_json *v,
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
    if ((rc = pl__scan_check(sc, where, field, m->str, m->len, kind, err)) == PL_OK)
        *out = m->str;
    return rc;
}

const char *pl__scan_long(const struct pl_json *v, const char *field, char *buf)
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

pl_status pl__scan_type(const struct scan *sc, const char *where, const struct pl_json *v,
                        const char *field, enum pl_json_type t, bool optional, struct pl_error *err)
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

pl_status pl__scan_pkg_add(const struct scan *sc, struct scan_pkgs *p, const char *eco,
                           const char *name, const char *version, const char *arch,
                           const char *purl, struct pl_error *err)
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

pl_status pl__scan_pkg_sync(struct scan *sc, int64_t asset_id, struct scan_pkgs *p,
                            struct pl_error *err)
{
    for (size_t i = 0; i < p->n_eco; i++) {
        struct pl_package_sync sync;
        pl_status rc;

        p->duplicates += dedup(&p->list[i]);
        rc = pl_store_packages_sync(sc->s, asset_id, p->eco[i], p->list[i].items, p->list[i].n,
                                    sc->now, &sync, err);
        if (rc != PL_OK)
            return pl_error_prefix(err, "%s", sc->path);
        sc->stats->packages += p->list[i].n;
    }
    return PL_OK;
}

void pl__scan_pkgs_release(struct scan_pkgs *p)
{
    for (size_t i = 0; i < p->n_eco; i++) {
        free(p->eco[i]);
        pl_package_list_release(&p->list[i]);
    }
    memset(p, 0, sizeof(*p));
}

/* Percent-decode s[0..n) into out (cap bytes with the NUL); false when it does not fit. */
static bool decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (c == '%' && i + 2 < n) {
            char hex[3] = {s[i + 1], s[i + 2], '\0'};
            char *end;
            long v = strtol(hex, &end, 16);

            if (*end == '\0' && v > 0) {
                c = (char)v;
                i += 2;
            }
        }
        if (o + 1 >= cap)
            return false;
        out[o++] = c;
    }
    out[o] = '\0';
    return true;
}

/* The value of qualifier key in "a=1&b=2" (decoded into out); "" when absent. */
static bool qualifier(const char *q, size_t n, const char *key, char *out, size_t cap)
{
    size_t klen = strlen(key);

    out[0] = '\0';
    while (n > 0) {
        const char *amp = memchr(q, '&', n);
        size_t len = amp ? (size_t)(amp - q) : n;

        if (len > klen && strncmp(q, key, klen) == 0 && q[klen] == '=')
            return decode(q + klen + 1, len - klen - 1, out, cap);
        if (amp == NULL)
            break;
        n -= len + 1;
        q = amp + 1;
    }
    return true;
}

bool pl__scan_purl_parse(const char *s, struct scan_purl *out)
{
    const char *p, *end, *slash, *at, *q, *hash, *name_start;
    size_t tlen;

    memset(out, 0, sizeof(*out));
    if (s == NULL || strncmp(s, "pkg:", 4) != 0)
        return false;
    p = s + 4;
    while (*p == '/')
        p++;
    hash = strchr(p, '#');
    end = hash ? hash : p + strlen(p);
    q = memchr(p, '?', (size_t)(end - p));
    if (q) {
        if (!qualifier(q + 1, (size_t)(end - q - 1), "arch", out->arch, sizeof(out->arch)) ||
            !qualifier(q + 1, (size_t)(end - q - 1), "epoch", out->epoch, sizeof(out->epoch)))
            return false;
        end = q;
    }
    slash = memchr(p, '/', (size_t)(end - p));
    if (slash == NULL || (tlen = (size_t)(slash - p)) == 0 || tlen >= sizeof(out->type))
        return false;
    for (size_t i = 0; i < tlen; i++)
        out->type[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i]);
    name_start = slash + 1;
    at = NULL;
    for (const char *c = end; c > name_start; c--)
        if (c[-1] == '@') {
            at = c - 1;
            break;
        }
    if (at && strchr(at, '/') && at < end && memchr(at, '/', (size_t)(end - at)))
        at = NULL; /* an '@' in the namespace (npm scope) only */
    if (at && !decode(at + 1, (size_t)(end - at - 1), out->version, sizeof(out->version)))
        return false;
    if (!decode(name_start, (size_t)((at ? at : end) - name_start), out->name, sizeof(out->name)))
        return false;
    if (strcmp(out->type, "maven") == 0) {
        char *sl = strrchr(out->name, '/');

        if (sl)
            *sl = ':'; /* group:artifact, the way Maven names it */
    } else if (strcmp(out->type, "deb") == 0 || strcmp(out->type, "rpm") == 0 ||
               strcmp(out->type, "apk") == 0) {
        char *sl = strrchr(out->name, '/');

        if (sl) /* the namespace is the vendor (debian, alpine) */
            memmove(out->name, sl + 1, strlen(sl + 1) + 1);
    }
    return out->name[0] != '\0';
}

struct eco_map {
    const char *from, *to;
};

static const char *map_lookup(const struct eco_map *m, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (pl_strcasecmp(m[i].from, key) == 0)
            return m[i].to;
    return NULL;
}

const char *pl__scan_purl_ecosystem(const char *type)
{
    static const struct eco_map m[] = {
        {"deb", "dpkg"},
        {"rpm", "rpm"},
        {"apk", "apk"},
        {"npm", "npm"},
        {"pypi", "pypi"},
        {"maven", "maven"},
        {"golang", "golang"},
        {"cargo", "cargo"},
        {"gem", "gem"},
        {"nuget", "nuget"},
        {"composer", "composer"},
        {"conan", "conan"},
        {"cocoapods", "cocoapods"},
        {"swift", "swift"},
        {"hex", "hex"},
        {"pub", "pub"},
        {"conda", "conda"},
        {"julia", "julia"},
        {"cran", "cran"},
        {"hackage", "hackage"},
        {"github", "github"},
        {"docker", "oci"},
        {"oci", "oci"},
        {"k8s", "kubernetes"},
        {"bitnami", "bitnami"},
        {"generic", "generic"},
        {"alpm", "alpm"},
        {"cpan", "cpan"},
        {"bitbucket", "bitbucket"},
        {"swid", "swid"},
    };

    return map_lookup(m, PL_ARRAY_LEN(m), type);
}

const char *pl__scan_type_ecosystem(const char *type)
{
    static const struct eco_map m[] = {
        {"debian", "dpkg"},
        {"ubuntu", "dpkg"},
        {"deb", "dpkg"},
        {"alpine", "apk"},
        {"apk", "apk"},
        {"wolfi", "apk"},
        {"chainguard", "apk"},
        {"centos", "rpm"},
        {"redhat", "rpm"},
        {"alma", "rpm"},
        {"rocky", "rpm"},
        {"amazon", "rpm"},
        {"oracle", "rpm"},
        {"fedora", "rpm"},
        {"photon", "rpm"},
        {"cbl-mariner", "rpm"},
        {"azurelinux", "rpm"},
        {"opensuse-leap", "rpm"},
        {"opensuse-tumbleweed", "rpm"},
        {"opensuse", "rpm"},
        {"suse", "rpm"},
        {"sles", "rpm"},
        {"slem", "rpm"},
        {"rpm", "rpm"},
        {"npm", "npm"},
        {"yarn", "npm"},
        {"pnpm", "npm"},
        {"bun", "npm"},
        {"node-pkg", "npm"},
        {"javascript", "npm"},
        {"pip", "pypi"},
        {"pipenv", "pypi"},
        {"poetry", "pypi"},
        {"uv", "pypi"},
        {"pylock", "pypi"},
        {"python-pkg", "pypi"},
        {"python", "pypi"},
        {"conda-pkg", "conda"},
        {"conda-environment", "conda"},
        {"gomod", "golang"},
        {"gobinary", "golang"},
        {"go-module", "golang"},
        {"jar", "maven"},
        {"pom", "maven"},
        {"gradle", "maven"},
        {"sbt", "maven"},
        {"java-archive", "maven"},
        {"cargo", "cargo"},
        {"rustbinary", "cargo"},
        {"rust-crate", "cargo"},
        {"composer", "composer"},
        {"composer-vendor", "composer"},
        {"php-composer", "composer"},
        {"gemspec", "gem"},
        {"bundler", "gem"},
        {"gem", "gem"},
        {"nuget", "nuget"},
        {"dotnet-core", "nuget"},
        {"dotnet-deps", "nuget"},
        {"packages-props", "nuget"},
        {"dotnet", "nuget"},
        {"conan", "conan"},
        {"cocoapods", "cocoapods"},
        {"swift", "swift"},
        {"hex", "hex"},
        {"pub", "pub"},
        {"dart-pub", "pub"},
        {"kubernetes", "kubernetes"},
        {"julia", "julia"},
    };

    return map_lookup(m, PL_ARRAY_LEN(m), type);
}

const char *pl__scan_severity(const char *s)
{
    static const struct eco_map m[] = {
        {"critical", "critical"},  {"high", "high"},       {"important", "high"},
        {"medium", "medium"},      {"moderate", "medium"}, {"low", "low"},
        {"negligible", "low"},     {"info", "none"},       {"none", "none"},
        {"informational", "none"}, {"unknown", "unknown"},
    };
    const char *v = s ? map_lookup(m, PL_ARRAY_LEN(m), s) : NULL;

    return v ? v : "unknown";
}

bool pl__scan_time(const char *s, pl_time_t *out)
{
    char buf[32];
    size_t n = 0;

    if (s == NULL)
        return false;
    /* keep "YYYY-MM-DDTHH:MM:SS", drop a fraction, keep the zone */
    for (const char *p = s; *p && n + 1 < sizeof(buf); p++) {
        if (*p == '.' && n == 19) {
            while (p[1] >= '0' && p[1] <= '9')
                p++;
            continue;
        }
        buf[n++] = *p;
    }
    buf[n] = '\0';
    return pl_time_parse(buf, out, NULL) == PL_OK;
}

pl_status pl__scan_observe(struct scan *sc, const struct pl_observation *o, int64_t *asset_id,
                           struct pl_error *err)
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

pl_status pl__scan_vuln(struct scan *sc, int64_t asset_id, const struct pl_scanner_vuln *v,
                        struct pl_error *err)
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
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

bool pl__scan_has(const char *head, size_t n, const char *needle)
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

pl_status pl__scan_vulns_add(const struct scan *sc, struct scan_vulns *l,
                             const struct pl_scanner_vuln *v, struct pl_error *err)
{
    struct pl_scanner_vuln *c;

    if (l->n >= PL_MAX_SCANNER_VULNS_PER_ASSET)
        return pl_error_set(err, PL_E_TOOBIG, "%s: more than %d vulnerabilities for one asset",
                            sc->path, PL_MAX_SCANNER_VULNS_PER_ASSET);
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->items = pl_xrealloc(l->items, l->cap * sizeof(*l->items));
    }
    c = &l->items[l->n++];
    c->vuln_id = dup_or_null(v->vuln_id);
    c->package = dup_or_null(v->package);
    c->installed_version = dup_or_null(v->installed_version);
    c->fixed_version = dup_or_null(v->fixed_version);
    c->severity = dup_or_null(v->severity);
    c->title = dup_or_null(v->title);
    c->detail = dup_or_null(v->detail);
    return PL_OK;
}

pl_status pl__scan_vulns_flush(struct scan *sc, int64_t asset_id, const struct scan_vulns *l,
                               struct pl_error *err)
{
    uint64_t resolved = 0;
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < l->n; i++)
        rc = pl__scan_vuln(sc, asset_id, &l->items[i], err);
    if (rc == PL_OK)
        rc = pl_store_scanner_vulns_resolve(sc->s, asset_id, sc->source, sc->run_id, sc->now,
                                            &resolved, err);
    return rc;
}

void pl__scan_vulns_release(struct scan_vulns *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct pl_scanner_vuln *v = &l->items[i];

        free((char *)(uintptr_t)v->vuln_id);
        free((char *)(uintptr_t)v->package);
        free((char *)(uintptr_t)v->installed_version);
        free((char *)(uintptr_t)v->fixed_version);
        free((char *)(uintptr_t)v->severity);
        free((char *)(uintptr_t)v->title);
        free((char *)(uintptr_t)v->detail);
    }
    free(l->items);
    memset(l, 0, sizeof(*l));
}

/* Drop the "PATH: record 0: " that the stream puts before a message that already names PATH. */
static void unprefix(const char *path, struct pl_error *err)
{
    char prefix[PL_ERROR_MSG_BYTES];
    size_t n;

    if (snprintf(prefix, sizeof(prefix), "%s: record 0: ", path) >= (int)sizeof(prefix))
        return;
    n = strlen(prefix);
    if (strncmp(err->msg, prefix, n) == 0 && strncmp(err->msg + n, path, strlen(path)) == 0)
        memmove(err->msg, err->msg + n, strlen(err->msg + n) + 1);
}

pl_status pl__scan_stream(struct scan *sc, struct pl_json_stream_opts *o, struct pl_error *err)
{
    char want[128];
    struct pl_json_stream_opts whole;
    struct pl_reader *again;
    pl_status rc = pl_json_stream(sc->r, o, err);

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
    rc = pl_json_stream(again, &whole, err);
    pl_reader_close(again);
    if (rc != PL_OK)
        unprefix(sc->path, err);
    return rc;
}
