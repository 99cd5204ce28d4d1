/*
 * azure.c - Azure Resource Graph query results (`az graph query -q ...`:
 * {"data": [...]}): virtual machines become hosts with their image
 * reference and OS type; SQL databases become databases, web and function
 * apps functions; other resource types are counted as skipped.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "patchline/parse.h"

#include "aws.h"

static const char *azure_kind(const char *type)
{
    static const char *const map[][2] = {
        {"microsoft.compute/virtualmachines", "host"},
        {"microsoft.compute/virtualmachinescalesets/virtualmachines", "host"},
        {"microsoft.hybridcompute/machines", "host"},
        {"microsoft.sql/servers/databases", "database"},
        {"microsoft.dbforpostgresql/flexibleservers", "database"},
        {"microsoft.dbformysql/flexibleservers", "database"},
        {"microsoft.web/sites", "function"},
    };

    for (size_t i = 0; type && i < PL_ARRAY_LEN(map); i++)
        if (pl_strcasecmp(type, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* A lower-case copy (Azure resource ids are case-insensitive). */
static const char *lower(struct pl__obs *b, const char *s)
{
    char *t = pl__inventory_obs_printf(b, "%s", s);

    for (char *p = t; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return t;
}

/* Case-insensitive strstr. */
static const char *ci_find(const char *s, const char *needle)
{
    size_t n = strlen(needle);

    for (; *s; s++) {
        size_t i = 0;

        while (i < n && s[i] && tolower((unsigned char)s[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return s;
    }
    return NULL;
}

/* Copy the leading "NN[_.-]MM" of s as "NN.MM" (minor optional) into out; false if no digits. */
static bool dotted(const char *s, bool minor, char *out, size_t cap)
{
    size_t a = strspn(s, "0123456789"), b = 0;

    if (a == 0 || a >= 8)
        return false;
    if (minor && (s[a] == '_' || s[a] == '.' || s[a] == '-'))
        b = strspn(s + a + 1, "0123456789");
    if (b > 0 && b < 4)
        snprintf(out, cap, "%.*s.%.*s", (int)a, s, (int)b, s + a + 1);
    else
        snprintf(out, cap, "%.*s", (int)a, s);
    return true;
}

/* The digits after prefix in s ("debian-12" after "debian-"). */
static const char *after(const char *s, const char *prefix)
{
    const char *p = ci_find(s, prefix);

    return p ? p + strlen(prefix) : NULL;
}

bool pl__inventory_azure_image_os(const char *publisher, const char *offer, const char *sku,
                                  const char **name, char *version, size_t cap)
{
    static const char *const ubuntu[][2] = {{"noble", "24.04"},
                                            {"jammy", "22.04"},
                                            {"focal", "20.04"},
                                            {"bionic", "18.04"},
                                            {"xenial", "16.04"}};
    const char *p;

    *name = NULL;
    version[0] = '\0';
    if (offer == NULL)
        return false;
    if (ci_find(offer, "ubuntu") || (publisher && ci_find(publisher, "canonical"))) {
        *name = "ubuntu";
        if (!(sku && dotted(sku, true, version, cap) && strchr(version, '.')) &&
            !((p = after(offer, "ubuntu-")) && dotted(p, true, version, cap)))
            for (size_t i = 0; i < PL_ARRAY_LEN(ubuntu); i++)
                if (ci_find(offer, ubuntu[i][0]))
                    snprintf(version, cap, "%s", ubuntu[i][1]);
    } else if (ci_find(offer, "debian")) {
        *name = "debian";
        if (!((p = after(offer, "debian-")) && dotted(p, false, version, cap)) && sku)
            (void)dotted(sku, false, version, cap);
    } else if (ci_find(offer, "rhel") || (publisher && ci_find(publisher, "redhat"))) {
        *name = "rhel";
        if (sku)
            (void)dotted(sku, true, version, cap);
    } else if (ci_find(offer, "sles") || ci_find(offer, "suse")) {
        char major[8];

        *name = "sles";
        p = after(offer, "sles-");
        if (p && dotted(p, false, major, sizeof(major))) {
            const char *sp = ci_find(p, "sp");

            if (sp && sp[2] >= '0' && sp[2] <= '9')
                snprintf(version, cap, "%s.%.*s", major, (int)strspn(sp + 2, "0123456789"), sp + 2);
            else
                snprintf(version, cap, "%s", major);
        }
    } else if (ci_find(offer, "windowsserver") ||
               (publisher && ci_find(publisher, "microsoftwindowsserver"))) {
        *name = "windows";
        if (sku)
            (void)dotted(sku, false, version, cap);
    }
    return *name != NULL;
}

static pl_status azure_os(struct pl__cloud *c, const struct pl_json *res, struct pl_error *err)
{
    const struct pl_json *props = pl_json_get(res, "properties");
    const struct pl_json *img = pl_json_path(props, "storageProfile.imageReference");
    const struct pl_json *view = pl_json_path(props, "extended.instanceView");
    const char *os_type = pl_json_get_string(res, "osType"), *v[6] = {0};
    static const char *const keys[] = {"publisher", "offer", "sku", "version"};
    pl_status rc = PL_OK;

    if (os_type == NULL)
        os_type = pl_json_get_string(pl_json_path(props, "storageProfile.osDisk"), "osType");
    for (size_t i = 0; rc == PL_OK && i < PL_ARRAY_LEN(keys); i++)
        rc = pl__inventory_obs_str(&c->b, keys[i], pl_json_get_string(img, keys[i]), &v[i], err);
    if (rc != PL_OK ||
        (rc = pl__inventory_obs_str(&c->b, "osName", pl_json_get_string(view, "osName"), &v[4],
                                    err)) != PL_OK ||
        (rc = pl__inventory_obs_str(&c->b, "osVersion", pl_json_get_string(view, "osVersion"),
                                    &v[5], err)) != PL_OK)
        return rc;
    if (os_type)
        c->b.o.os_family = lower(&c->b, os_type);
    c->b.o.os_name = v[4] ? v[4] : v[1];
    c->b.o.os_version = v[5] ? v[5] : v[2];
    if (v[4] == NULL) { /* the marketplace image: its OS and version */
        char ver[32];
        const char *name;

        if (pl__inventory_azure_image_os(v[0], v[1], v[2], &name, ver, sizeof(ver))) {
            c->b.o.os_name = name;
            c->b.o.os_version = ver[0] ? pl__inventory_obs_printf(&c->b, "%s", ver) : NULL;
            if (c->b.o.os_family == NULL)
                c->b.o.os_family = strcmp(name, "windows") == 0 ? "windows" : "linux";
        }
    }
    if (v[0] && v[1] && v[2])
        pl__inventory_obs_tag(&c->b, "image",
                              pl__inventory_obs_printf(&c->b, "%s:%s:%s:%s", v[0], v[1], v[2],
                                                       v[3] ? v[3] : "latest"));
    if (rc == PL_OK)
        rc = pl__inventory_obs_str(
            &c->b, "computerName",
            pl_json_get_string(pl_json_get(props, "osProfile"), "computerName"), &v[0], err);
    pl__inventory_obs_id(&c->b, "hostname", v[0], NULL);
    return rc;
}

static pl_status azure_resource(struct pl__cloud *c, const struct pl_json *res,
                                struct pl_error *err)
{
    const char *id = NULL, *name = NULL, *type = NULL, *loc = NULL, *sub = NULL, *kind;
    int64_t asset;
    pl_status rc;

    if ((rc = pl__inventory_cloud_req(c, res, "id", &id, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, res, "name", &name, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, res, "type", &type, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, res, "location", &loc, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, res, "subscriptionId", &sub, err)) != PL_OK)
        return rc;
    if ((kind = azure_kind(type)) == NULL) {
        c->stats->skipped++;
        return PL_OK;
    }
    id = lower(&c->b, id);
    c->b.o.source_key = id;
    c->b.o.name = name;
    c->b.o.fallback_name = id;
    c->b.o.kind = kind;
    pl__inventory_obs_id(&c->b, "cloud-id", id, NULL);
    if ((rc = pl__inventory_obs_cloud_tags(&c->b, pl_json_get(res, "tags"), err)) != PL_OK ||
        (strcmp(kind, "host") == 0 && (rc = azure_os(c, res, err)) != PL_OK))
        return rc;
    c->b.facts.cloud_account = sub;
    c->b.facts.cloud_region = loc;
    return pl__inventory_obs_commit(c->s, &c->b, c->stats, &asset, err);
}

pl_status pl__inventory_import_azure(struct pl_store *s, struct pl_reader *r,
                                     const struct pl_inv_import_opts *opts,
                                     struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct pl__cloud c = {.s = s, .opts = opts, .stats = stats, .what = "az graph query"};
    pl_status rc;

    pl__inventory_obs_init(&c.b, "azure");
    c.record = azure_resource;
    rc = pl__inventory_cloud_stream(&c, r, "data", err);
    pl__inventory_obs_release(&c.b);
    return rc;
}
