/*
 * scan_map.c - package URLs, ecosystem and severity names, and times as
 * scanners write them (see scan_int.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/clock.h"
#include "patchline/parse.h"

#include "scan_int.h"

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

bool pl__inventory_scan_purl_parse(const char *s, struct scan_purl *out)
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

const char *pl__inventory_scan_purl_ecosystem(const char *type)
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

/* Trivy and Grype package types (Result.Type, artifact.type) to ecosystems. */
static const struct eco_map type_map[] = {
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

const char *pl__inventory_scan_type_ecosystem(const char *type)
{
    return map_lookup(type_map, PL_ARRAY_LEN(type_map), type);
}

const char *pl__inventory_scan_severity(const char *s)
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

bool pl__inventory_scan_time(const char *s, pl_time_t *out)
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
    if (n == 19 && n + 1 < sizeof(buf))
        buf[n++] = 'Z'; /* no zone (Shodan): UTC */
    buf[n] = '\0';
    return pl_time_parse(buf, out, NULL) == PL_OK;
}

const char *pl__inventory_scan_cvss_severity(double score)
{
    if (score >= 9.0)
        return "critical";
    if (score >= 7.0)
        return "high";
    if (score >= 4.0)
        return "medium";
    return score > 0.0 ? "low" : "none";
}

bool pl__inventory_scan_mac(const char *in, char out[18])
{
    static const char hex[] = "0123456789abcdef";
    int nib = 0;

    if (in == NULL)
        return false;
    for (const char *p = in; *p; p++) {
        char c = (char)((*p >= 'A' && *p <= 'F') ? *p + 32 : *p);
        const char *h = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ? strchr(hex, c) : NULL;

        if (h == NULL) {
            if (c == ':' || c == '-' || c == '.')
                continue;
            return false;
        }
        if (nib == 12)
            return false;
        if (nib > 0 && nib % 2 == 0)
            out[nib / 2 * 3 - 1] = ':';
        out[nib / 2 * 3 + nib % 2] = c;
        nib++;
    }
    out[17] = '\0';
    return nib == 12 && strcmp(out, "00:00:00:00:00:00") != 0;
}

/*
 * OS family names as scanners write them (Trivy's Metadata.OS.Family and
 * Result.Type, Grype's distro.name, SBOM distro qualifiers) and the
 * os-release ID each stands for. docs/scanning.md lists them.
 */
static const struct eco_map os_ids[] = {
    {"debian", "debian"},
    {"ubuntu", "ubuntu"},
    {"alpine", "alpine"},
    {"wolfi", "wolfi"},
    {"chainguard", "chainguard"},
    {"alma", "almalinux"},
    {"almalinux", "almalinux"},
    {"rocky", "rocky"},
    {"rockylinux", "rocky"},
    {"redhat", "rhel"},
    {"rhel", "rhel"},
    {"centos", "centos"},
    {"amazon", "amzn"},
    {"amzn", "amzn"},
    {"amazonlinux", "amzn"},
    {"oracle", "ol"},
    {"ol", "ol"},
    {"oraclelinux", "ol"},
    {"fedora", "fedora"},
    {"suse linux enterprise server", "sles"},
    {"sles", "sles"},
    {"sled", "sled"},
    {"suse linux enterprise desktop", "sled"},
    {"slem", "sle-micro"},
    {"sle-micro", "sle-micro"},
    {"suse linux enterprise micro", "sle-micro"},
    {"opensuse.leap", "opensuse-leap"},
    {"opensuse-leap", "opensuse-leap"},
    {"opensuse.tumbleweed", "opensuse-tumbleweed"},
    {"opensuse-tumbleweed", "opensuse-tumbleweed"},
    {"photon", "photon"},
    {"cbl-mariner", "mariner"},
    {"mariner", "mariner"},
    {"azurelinux", "azurelinux"},
    {"echo", "echo"},
    {"minimos", "minimos"},
    {"bottlerocket", "bottlerocket"},
};

const char *pl__inventory_scan_os_id(const char *family)
{
    return family ? map_lookup(os_ids, PL_ARRAY_LEN(os_ids), family) : NULL;
}

const char *pl__inventory_scan_os_family(const char *id)
{
    static const struct eco_map fam[] = {
        {"debian", "debian"},
        {"ubuntu", "debian"},
        {"echo", "debian"},
        {"rhel", "rhel"},
        {"centos", "rhel"},
        {"almalinux", "rhel"},
        {"rocky", "rhel"},
        {"ol", "rhel"},
        {"amzn", "rhel"},
        {"fedora", "rhel"},
        {"sles", "suse"},
        {"sled", "suse"},
        {"sle-micro", "suse"},
        {"opensuse-leap", "suse"},
        {"opensuse-tumbleweed", "suse"},
        {"alpine", "alpine"},
        {"wolfi", "alpine"},
        {"chainguard", "alpine"},
    };
    const char *v = id ? map_lookup(fam, PL_ARRAY_LEN(fam), id) : NULL;

    return v ? v : id;
}
