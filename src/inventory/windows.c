/*
 * windows.c - Windows hosts with their build: the JSON of the documented
 * PowerShell one-liner (docs/inventory-sources.md, "windows"), one object
 * per host, an array of them, or several concatenated:
 *
 *   Get-ComputerInfo -Property CsDNSHostName,CsName,CsDomain,OsName,OsVersion,
 *     OsProductType,OSDisplayVersion,OsArchitecture,BiosSeralNumber,OsHotFixes |
 *   Select-Object *,@{n='UBR';e={(Get-ItemProperty
 *     'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion').UBR}} |
 *   ConvertTo-Json -Depth 4
 *
 * Each host becomes an asset (source "windows", key its DNS name) with its
 * OS build (major.minor.build.UBR) as one package of ecosystem "msrc" named
 * by its product ("Windows Server 2022" = 10.0.20348.4773), which is what
 * MSRC documents are matched against, the Microsoft products it lists
 * (Products: Exchange, SQL Server, Office, .NET at their builds) as more
 * "msrc" packages, and its installed updates (OsHotFixes HotFixID) as
 * packages of ecosystem "windows-kb".
 */
#include <stdio.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/parse.h"

#include "scan_int.h"

/* Windows builds and the product each one is, client and server. */
static const struct {
    unsigned build;
    const char *client, *server;
} builds[] = {
    {9200, "Windows 8", "Windows Server 2012"},
    {9600, "Windows 8.1", "Windows Server 2012 R2"},
    {10240, "Windows 10 Version 1507", NULL},
    {14393, "Windows 10 Version 1607", "Windows Server 2016"},
    {15063, "Windows 10 Version 1703", NULL},
    {16299, "Windows 10 Version 1709", "Windows Server, version 1709"},
    {17134, "Windows 10 Version 1803", "Windows Server, version 1803"},
    {17763, "Windows 10 Version 1809", "Windows Server 2019"},
    {18362, "Windows 10 Version 1903", "Windows Server, version 1903"},
    {18363, "Windows 10 Version 1909", "Windows Server, version 1909"},
    {19041, "Windows 10 Version 2004", "Windows Server, version 2004"},
    {19042, "Windows 10 Version 20H2", "Windows Server, version 20H2"},
    {19043, "Windows 10 Version 21H1", NULL},
    {19044, "Windows 10 Version 21H2", NULL},
    {19045, "Windows 10 Version 22H2", NULL},
    {20348, NULL, "Windows Server 2022"},
    {22000, "Windows 11 Version 21H2", NULL},
    {22621, "Windows 11 Version 22H2", NULL},
    {22631, "Windows 11 Version 23H2", NULL},
    {25398, NULL, "Windows Server 2022, 23H2 Edition"},
    {26100, "Windows 11 Version 24H2", "Windows Server 2025"},
    {26200, "Windows 11 Version 25H2", NULL},
    {28000, "Windows 11 Version 26H1", NULL},
};

/* Parse "10.0.20348.4773" (all four parts); false when it is not one. */
static bool parse_build(const char *s, unsigned part[4])
{
    for (int i = 0; i < 4; i++) {
        size_t n = strspn(s, "0123456789");
        unsigned long v = 0;

        if (n == 0 || n > 9)
            return false;
        for (size_t k = 0; k < n; k++)
            v = v * 10 + (unsigned long)(s[k] - '0');
        part[i] = (unsigned)v;
        s += n;
        if (i < 3 && *s++ != '.')
            return false;
    }
    return *s == '\0';
}

const char *pl__inventory_windows_product(const char *build, bool server)
{
    unsigned part[4];

    if (build == NULL || !parse_build(build, part))
        return NULL;
    for (size_t i = 0; i < PL_ARRAY_LEN(builds); i++)
        if (builds[i].build == part[2])
            return server ? builds[i].server : builds[i].client;
    return NULL;
}

pl_status pl__inventory_windows_build_package(struct scan *sc, int64_t asset, const char *build,
                                              bool server, struct pl_error *err)
{
    const char *product = pl__inventory_windows_product(build, server);
    struct scan_pkgs p;
    pl_status rc;

    memset(&p, 0, sizeof(p));
    if (product == NULL)
        return PL_OK; /* a build Patchline does not know: the asset has no msrc package */
    rc = pl__inventory_scan_pkg_add(sc, &p, "msrc", product, build, NULL, NULL, err);
    if (rc == PL_OK)
        rc = pl__inventory_scan_pkg_sync(sc, asset, &p, err);
    pl__inventory_scan_pkgs_release(&p);
    return rc;
}

/* OsProductType: "WorkStation" / "DomainController" / "Server", or 1 / 2 / 3 (an enum as JSON). */
static pl_status product_type(const struct scan *sc, const char *where, const struct pl_json *rec,
                              bool *server, struct pl_error *err)
{
    const struct pl_json *t = pl_json_get(rec, "OsProductType");
    int64_t n;

    *server = false;
    if (t == NULL || t->type == PL_JSON_NULL)
        return PL_OK;
    if (t->type == PL_JSON_STRING &&
        (pl_strcasecmp(t->str, "WorkStation") == 0 || pl_strcasecmp(t->str, "Server") == 0 ||
         pl_strcasecmp(t->str, "DomainController") == 0)) {
        *server = pl_strcasecmp(t->str, "WorkStation") != 0;
        return PL_OK;
    }
    if (t->type == PL_JSON_NUMBER && pl_json_int(t, &n) && n >= 1 && n <= 3) {
        *server = n != 1;
        return PL_OK;
    }
    return pl_error_set(err, PL_E_PARSE,
                        "%s: %s: field 'OsProductType': want WorkStation, DomainController or "
                        "Server (or 1, 2, 3)",
                        sc->path, where);
}

static pl_status hotfixes(struct scan *sc, const char *where, const struct pl_json *rec,
                          int64_t asset, struct pl_error *err)
{
    const struct pl_json *list = pl_json_get(rec, "OsHotFixes");
    struct scan_pkgs p;
    char place[96];
    size_t i = 0;
    pl_status rc;

    if ((rc = pl__inventory_scan_type(sc, where, rec, "OsHotFixes", PL_JSON_ARRAY, true, err)) !=
            PL_OK ||
        list == NULL)
        return rc;
    memset(&p, 0, sizeof(p));
    for (const struct pl_json *h = list->child; rc == PL_OK && h; h = h->next, i++) {
        const char *id;

        snprintf(place, sizeof(place), "%s OsHotFixes[%zu]", where, i);
        if (h->type != PL_JSON_OBJECT) {
            rc = pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", sc->path, place,
                              pl_json_type_name(h->type));
            break;
        }
        if ((rc = pl__inventory_scan_str(sc, place, h, "HotFixID", SCAN_TOKEN, &id, err)) != PL_OK)
            break;
        if (id == NULL || (id[0] != 'K' && id[0] != 'k') || (id[1] != 'B' && id[1] != 'b') ||
            strspn(id + 2, "0123456789") != strlen(id + 2) || id[2] == '\0') {
            rc = pl_error_set(err, PL_E_PARSE, "%s: %s: field 'HotFixID': %s%.40s%s", sc->path,
                              place, id ? "'" : "missing", id ? id : "",
                              id ? "' is not a KB number" : "");
            break;
        }
        rc = pl__inventory_scan_pkg_add(sc, &p, "windows-kb", id, "installed", NULL, NULL, err);
    }
    if (rc == PL_OK)
        rc = pl__inventory_scan_pkg_sync(sc, asset, &p, err);
    sc->stats->skipped += p.duplicates;
    pl__inventory_scan_pkgs_release(&p);
    return rc;
}

/*
 * The asset's "msrc" packages: its Windows build, and the Microsoft products
 * it lists in "Products" ([{"Name": "Microsoft SQL Server 2022 (CU)",
 * "Version": "16.0.4212.1"}], named as MSRC documents name them, see
 * docs/inventory-sources.md): each matched by its build like Windows.
 */
static pl_status msrc_packages(struct scan *sc, const char *where, const struct pl_json *rec,
                               int64_t asset, const char *build, bool server, struct pl_error *err)
{
    const struct pl_json *list = pl_json_get(rec, "Products");
    const char *product = pl__inventory_windows_product(build, server);
    struct scan_pkgs p;
    char place[96];
    size_t i = 0;
    pl_status rc;

    if ((rc = pl__inventory_scan_type(sc, where, rec, "Products", PL_JSON_ARRAY, true, err)) !=
        PL_OK)
        return rc;
    memset(&p, 0, sizeof(p));
    if (product)
        rc = pl__inventory_scan_pkg_add(sc, &p, "msrc", product, build, NULL, NULL, err);
    for (const struct pl_json *e = list ? list->child : NULL; rc == PL_OK && e; e = e->next, i++) {
        const char *name, *ver;

        snprintf(place, sizeof(place), "%s Products[%zu]", where, i);
        if (e->type != PL_JSON_OBJECT) {
            rc = pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", sc->path, place,
                              pl_json_type_name(e->type));
            break;
        }
        if ((rc = pl__inventory_scan_str(sc, place, e, "Name", SCAN_PACKAGE, &name, err)) !=
                PL_OK ||
            (rc = pl__inventory_scan_str(sc, place, e, "Version", SCAN_TOKEN, &ver, err)) != PL_OK)
            break;
        if (name == NULL || ver == NULL) {
            rc = pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': missing", sc->path, place,
                              name ? "Version" : "Name");
            break;
        }
        if (ver[0] < '0' || ver[0] > '9' || strspn(ver, "0123456789.") != strlen(ver)) {
            rc = pl_error_set(err, PL_E_PARSE,
                              "%s: %s: field 'Version': '%.40s' is not a dotted build number",
                              sc->path, place, ver);
            break;
        }
        rc = pl__inventory_scan_pkg_add(sc, &p, "msrc", name, ver, NULL, NULL, err);
    }
    if (rc == PL_OK && (product || i))
        rc = pl__inventory_scan_pkg_sync(sc, asset, &p, err);
    sc->stats->skipped += p.duplicates;
    pl__inventory_scan_pkgs_release(&p);
    return rc;
}

static pl_status on_host(struct scan *sc, const struct pl_json *rec, const char *where,
                         struct pl_error *err)
{
    struct pl_identifier ids[3];
    const char *dns, *cs, *domain, *osname, *osver, *serial;
    char build[64], fqdn[PL_MAX_ASSET_NAME_BYTES];
    struct pl_observation o;
    const struct pl_json *ubr;
    int64_t asset, u = -1;
    bool server;
    pl_status rc;

    sc->stats->records++;
    memset(&o, 0, sizeof(o));
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: want an object, not %s", sc->path, where,
                            pl_json_type_name(rec->type));
    if ((rc = pl__inventory_scan_str(sc, where, rec, "CsDNSHostName", SCAN_TOKEN, &dns, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "CsName", SCAN_TOKEN, &cs, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "CsDomain", SCAN_TOKEN, &domain, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "OsName", SCAN_NAME, &osname, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "OsVersion", SCAN_TOKEN, &osver, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "BiosSeralNumber", SCAN_NAME, &serial, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, rec, "OsArchitecture", SCAN_NAME, &o.arch, err)) !=
            PL_OK ||
        (rc = product_type(sc, where, rec, &server, err)) != PL_OK)
        return rc;
    o.name = dns ? dns : cs;
    if (o.name == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'CsDNSHostName': missing", sc->path,
                            where);
    if (osver == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'OsVersion': missing", sc->path, where);
    ubr = pl_json_get(rec, "UBR");
    if (ubr == NULL || ubr->type == PL_JSON_NULL)
        return pl_error_set(err, PL_E_PARSE,
                            "%s: %s: field 'UBR': missing (the revision of the build; see the "
                            "one-liner in docs/inventory-sources.md)",
                            sc->path, where);
    if (!pl_json_int(ubr, &u) || u < 0 || u > 999999)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'UBR': want a number 0-999999",
                            sc->path, where);
    if (snprintf(build, sizeof(build), "%s.%lld", osver, (long long)u) >= (int)sizeof(build) ||
        strspn(osver, "0123456789.") != strlen(osver) ||
        !pl__inventory_windows_product(build, server))
        return pl_error_set(err, PL_E_PARSE,
                            "%s: %s: field 'OsVersion': '%.40s' is not a Windows %s build "
                            "Patchline knows (10.0.20348)",
                            sc->path, where, osver, server ? "Server" : "client");
    if (osname && strstr(osname, "Server"))
        server = true;
    if (serial)
        ids[o.n_ids++] = (struct pl_identifier){"serial", serial, NULL};
    if (dns && domain && strchr(domain, '.') &&
        snprintf(fqdn, sizeof(fqdn), "%s.%s", dns, domain) < (int)sizeof(fqdn))
        for (char *p = fqdn; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    else
        fqdn[0] = '\0';
    if (fqdn[0])
        ids[o.n_ids++] = (struct pl_identifier){"fqdn", fqdn, NULL};
    ids[o.n_ids++] = (struct pl_identifier){"hostname", o.name, NULL};
    o.source = "windows";
    o.source_key = fqdn[0] ? fqdn : o.name;
    o.ids = ids;
    o.kind = server ? "host" : "endpoint";
    o.os_family = "windows";
    o.os_name = "windows";
    o.os_version = build;
    o.reboot_required = -1;
    o.seen = sc->now;
    if ((rc = pl__inventory_scan_observe(sc, &o, &asset, err)) != PL_OK ||
        (rc = msrc_packages(sc, where, rec, asset, build, server, err)) != PL_OK)
        return rc;
    return hotfixes(sc, where, rec, asset, err);
}

/* A lines-of-JSON import whose records are one host each, or an array of hosts. */
struct hosts {
    struct scan sc;
    pl__inventory_host_fn host;
    const char *label; /* "host 3" in errors */
};

static pl_status on_record(const struct pl_json *rec, uint64_t index, void *data,
                           struct pl_error *err)
{
    struct hosts *h = data;
    char where[64];
    pl_status rc = PL_OK;

    (void)index;
    if (rec->type != PL_JSON_ARRAY) {
        snprintf(where, sizeof(where), "%s %llu", h->label,
                 (unsigned long long)h->sc.stats->records + 1);
        return h->host(&h->sc, rec, where, err);
    }
    for (const struct pl_json *x = rec->child; rc == PL_OK && x; x = x->next) {
        snprintf(where, sizeof(where), "%s %llu", h->label,
                 (unsigned long long)h->sc.stats->records + 1);
        rc = h->host(&h->sc, x, where, err);
    }
    return rc;
}

pl_status pl__inventory_import_hosts(struct pl_store *s, struct pl_reader *r, const char *source,
                                     const char *label, pl__inventory_host_fn host,
                                     const struct pl_inv_import_opts *opts,
                                     struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct hosts h = {.host = host, .label = label};
    struct pl_json_stream_opts o = {.records_path = NULL,
                                    .lines = true,
                                    .max_record = PL_MAX_IMPORT_RECORD_BYTES,
                                    .max_rest = PL_MAX_IMPORT_REST_BYTES,
                                    .on_record = on_record,
                                    .on_rest = NULL,
                                    .data = &h};
    pl_status rc;

    if ((rc = pl__inventory_scan_begin(&h.sc, s, r, source, opts, stats, err)) != PL_OK)
        return rc;
    return pl__inventory_scan_json(&h.sc, r, &o, err);
}

pl_status pl__inventory_import_windows(struct pl_store *s, struct pl_reader *r,
                                       const struct pl_inv_import_opts *opts,
                                       struct pl_inv_import_stats *stats, struct pl_error *err)
{
    return pl__inventory_import_hosts(s, r, "windows", "host", on_host, opts, stats, err);
}

int pl__inventory_detect_windows(const char *head, size_t n)
{
    if (pl__inventory_scan_has(head, n, "\"OsVersion\"") &&
        (pl__inventory_scan_has(head, n, "\"CsName\"") ||
         pl__inventory_scan_has(head, n, "\"CsDNSHostName\"")))
        return 95;
    return 0;
}
