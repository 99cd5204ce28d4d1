/*
 * handoff_software.c - the third-party software of a stored wave: which of
 * its findings are about software other than the OS's packages (a browser
 * or runtime matched by CPE, an RDS engine, a Lambda runtime, an appliance
 * OS, their end of life), and per asset and package the version to bring it
 * to (pl_handoff_thirdparty and the Ansible runtimes play carry it out).
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/match.h"
#include "patchline/store.h"
#include "patchline/version.h"

#include "handoff_int.h"

/* End-of-life products of operating systems: the OS hand-offs' (or a project), not ours. */
static const char *const os_eol[] = {
    "debian",       "ubuntu",       "rhel",         "centos", "almalinux",      "rocky-linux",
    "oracle-linux", "alpine-linux", "amazon-linux", "sles",   "windows-server",
};

static bool cpe_feed(const char *feed)
{
    static const char *const feeds[] = {"nvd", "fortinet", "paloalto", "cisco"};

    for (size_t i = 0; feed && i < PL_ARRAY_LEN(feeds); i++)
        if (strcmp(feed, feeds[i]) == 0)
            return true;
    return false;
}

static bool eq(const char *s, const char *t)
{
    return s && strcmp(s, t) == 0;
}

bool pl__apply_handoff_is_software(const struct pl_wave_item_row *it)
{
    if (eq(it->asset_kind, "database") || eq(it->asset_kind, "function") || cpe_feed(it->feed))
        return true;
    if (!eq(it->feed, "eol") || it->fixed_version == NULL || it->package == NULL)
        return false;
    for (size_t i = 0; i < PL_ARRAY_LEN(os_eol); i++)
        if (strcmp(it->package, os_eol[i]) == 0)
            return false;
    return true;
}

struct sw_ctx {
    struct pl_store *s;
    struct pl_arena *arena;
    const char *where;
    const struct pl_product_map *map;
    struct pl_asset_info_list asset;
    struct pl_package_list pk;
    int64_t asset_id;
};

static const char *keep(struct sw_ctx *c, const char *s)
{
    const char *r = pl_arena_strndup(c->arena, s ? s : "", s ? strlen(s) : 0);
    return r ? r : "";
}

/* The value of tag "KEY=" in a ';'-joined tag list, into the arena; "" when absent. */
static const char *tag(struct sw_ctx *c, const char *tags, const char *key)
{
    size_t n = strlen(key);

    for (const char *t = tags ? tags : ""; *t;) {
        size_t len = strcspn(t, ";");
        if (len > n && strncmp(t, key, n) == 0) {
            const char *v = pl_arena_strndup(c->arena, t + n, len - n);
            return v ? v : "";
        }
        t += len + (t[len] == ';');
    }
    return "";
}

static pl_status load(struct sw_ctx *c, int64_t id, struct pl_error *err)
{
    struct pl_asset_query q = {.include_retired = true, .id = id};
    pl_status rc;

    if (c->asset_id == id)
        return PL_OK;
    pl_asset_info_list_release(&c->asset);
    pl_package_list_release(&c->pk);
    c->asset_id = 0;
    if ((rc = pl_store_asset_query(c->s, &q, &c->asset, err)) != PL_OK)
        return rc;
    if (c->asset.n == 0)
        return pl_error_set(err, PL_E_NOTFOUND, "%s: asset %lld is no longer in the store",
                            c->where, (long long)id);
    if ((rc = pl_store_package_list(c->s, id, &c->pk, err)) != PL_OK)
        return rc;
    c->asset_id = id;
    return PL_OK;
}

/* The end-of-life product's class. */
static const char *eol_class(const char *product)
{
    if (strncmp(product, "amazon-rds-", 11) == 0 || strncmp(product, "amazon-aurora-", 14) == 0)
        return "database";
    if (strcmp(product, "aws-lambda") == 0)
        return "runtime";
    if (strcmp(product, "amazon-eks") == 0 || strcmp(product, "azure-kubernetes-service") == 0 ||
        strcmp(product, "google-kubernetes-engine") == 0)
        return "os";            /* the product map's class of Kubernetes */
    return "network-appliance"; /* fortios, pan-os, cisco-ios-xe */
}

/* "a:google:chrome" -> "google:chrome" */
static const char *cpe_name(const char *cpe)
{
    return cpe[0] && cpe[1] == ':' ? cpe + 2 : cpe;
}

/* What the software of one (asset, package) group is: ecosystem, product, class, installed. */
static void identify(struct sw_ctx *c, const struct pl_wave_item_row *it,
                     struct pl_handoff_software *sw)
{
    const struct pl_asset *a = &c->asset.items[0].a;
    const struct pl_product *prod = NULL;

    sw->ecosystem = sw->product = sw->class_ = "";
    sw->installed = "";
    /* what the asset runs now: its inventory, else what the finding saw */
    for (size_t i = 0; i < c->pk.n; i++) {
        const struct pl_package *k = &c->pk.items[i];
        if (k->name == NULL || k->ecosystem == NULL || strcmp(k->name, it->package) != 0 ||
            pl_product_os_package(k->ecosystem))
            continue;
        sw->ecosystem = keep(c, k->ecosystem);
        sw->installed = keep(c, k->version);
        prod = pl_product_lookup(c->map, k->ecosystem, k->name);
        break;
    }
    if (!sw->installed[0] && eq(a->kind, "database"))
        sw->installed = keep(c, a->os_version);
    if (!sw->installed[0] && eq(a->kind, "cluster"))
        sw->installed = keep(c, a->os_version);
    if (!sw->installed[0] && eq(a->kind, "function"))
        sw->installed = keep(c, c->asset.items[0].runtime);
    if (!sw->installed[0])
        sw->installed = keep(c, it->installed);
    if (strncmp(it->vuln_id, "eol:", 4) == 0 && eq(it->feed, "eol")) {
        sw->end_of_life = true;
        sw->product = keep(c, it->package);
        sw->class_ = eol_class(it->package);
        return;
    }
    if (prod == NULL && strchr(it->package, ':')) { /* a CPE of the asset: "fortinet:fortios" */
        const char *colon = strchr(it->package, ':');
        char vendor[128];
        size_t n = (size_t)(colon - it->package);

        if (n < sizeof(vendor)) {
            memcpy(vendor, it->package, n);
            vendor[n] = '\0';
            for (const char *part = "oah"; *part && prod == NULL; part++)
                prod = pl_product_by_cpe(c->map, *part, vendor, colon + 1);
        }
        sw->ecosystem = "cpe";
        sw->product = keep(c, it->package);
    }
    if (prod) {
        if (!sw->product[0] && prod->n_cpes)
            sw->product = keep(c, cpe_name(prod->cpes[0]));
        sw->class_ = keep(c, prod->class_);
    }
    if (!sw->class_[0] && eq(a->kind, "database"))
        sw->class_ = "database";
    if (!sw->product[0] && eq(a->kind, "database"))
        sw->product = keep(c, a->os_family); /* the engine: "postgres" */
}

/* An EKS cluster's managed node groups (`inventory import aws-eks`): "NAME=VERSION ...". */
static const char *nodegroups(struct sw_ctx *c)
{
    struct pl_buf b = PL_BUF_INIT(PL_MAX_HANDOFF_STRING_BYTES);
    const char *r;

    for (size_t i = 0; i < c->pk.n; i++) {
        const struct pl_package *k = &c->pk.items[i];

        if (k->ecosystem && strcmp(k->ecosystem, "eks-nodegroup") == 0 && k->name && k->version &&
            b.len + strlen(k->name) + strlen(k->version) + 2 <= PL_MAX_HANDOFF_STRING_BYTES)
            pl_buf_addf(&b, "%s%s=%s", b.len ? " " : "", k->name, k->version);
    }
    r = keep(c, pl_buf_cstr(&b));
    pl_buf_release(&b);
    return r;
}

/* Version order for a target against the installed version: rpmvercmp, else text. */
static int vcmp(const char *x, const char *y)
{
    int cmp = 0;

    if (pl_version_cmp(PL_VSCHEME_RPMVERCMP, x, y, &cmp, NULL) != PL_OK)
        cmp = strcmp(x, y);
    return cmp;
}

/* One (asset, package) group it[0..n): the highest target, when above the installed version. */
static pl_status take_group(struct sw_ctx *c, const struct pl_wave_item_row *it, size_t n,
                            struct pl_handoff_wave *w, struct pl_error *err)
{
    struct pl_handoff_software *sw = &w->software[w->n_software];
    const struct pl_asset *a;
    struct pl_buf vulns = PL_BUF_INIT(PL_MAX_HANDOFF_STRING_BYTES);
    const char *best = NULL;
    pl_status rc;

    if ((rc = load(c, it[0].asset_id, err)) != PL_OK)
        return rc;
    a = &c->asset.items[0].a;
    memset(sw, 0, sizeof(*sw));
    sw->asset = keep(c, a->name);
    sw->kind = keep(c, a->kind ? a->kind : "host");
    sw->os_family = keep(c, a->os_family);
    sw->cluster = tag(c, c->asset.items[0].tags, "cluster=");
    sw->region = keep(c, c->asset.items[0].cloud_region);
    sw->package = keep(c, it[0].package);
    sw->nodegroups = "";
    identify(c, &it[0], sw);
    if (strcmp(sw->product, "amazon-eks") == 0)
        sw->nodegroups = nodegroups(c);
    for (size_t i = 0; i < n; i++) {
        if (it[i].fixed_version && (best == NULL || vcmp(it[i].fixed_version, best) > 0))
            best = it[i].fixed_version;
        if (vulns.len + strlen(it[i].vuln_id) + 1 <= PL_MAX_HANDOFF_STRING_BYTES) {
            if (vulns.len)
                pl_buf_addch(&vulns, ' ');
            pl_buf_adds(&vulns, it[i].vuln_id);
        }
    }
    sw->vulns = keep(c, pl_buf_cstr(&vulns));
    pl_buf_release(&vulns);
    sw->version = keep(c, best);
    /* never lower: a target at or below what the asset runs is dropped */
    if (best == NULL || (sw->installed[0] && vcmp(best, sw->installed) <= 0))
        return PL_OK;
    if (pl__apply_handoff_has_ctl(sw->asset) || pl__apply_handoff_has_ctl(sw->package) ||
        pl__apply_handoff_has_ctl(sw->version) || pl__apply_handoff_has_ctl(sw->installed))
        return pl_error_set(err, PL_E_PARSE, "%s: asset '%s': package '%s': a control character",
                            c->where, a->name, it[0].package);
    w->n_software++;
    return PL_OK;
}

pl_status pl__apply_handoff_software(struct pl_store *s, struct pl_arena *arena, const char *where,
                                     const struct pl_wave_item_row *it, size_t n,
                                     struct pl_handoff_wave *w, struct pl_error *err)
{
    struct sw_ctx c = {.s = s, .arena = arena, .where = where};
    struct pl_product_map *map = NULL;
    pl_status rc;

    if (n == 0)
        return PL_OK;
    if ((rc = pl_product_map_load(getenv("PATCHLINE_PRODUCT_MAP"), &map, err)) != PL_OK)
        return rc;
    c.map = map;
    w->software = pl_arena_alloc(arena, (n + 1) * sizeof(*w->software));
    if (w->software == NULL)
        rc = pl_error_set(err, PL_E_TOOBIG, "%s: plan too large", where);
    /* the items come by asset name, asset id, package */
    for (size_t i = 0, j; rc == PL_OK && i < n; i = j) {
        for (j = i + 1;
             j < n && it[j].asset_id == it[i].asset_id && strcmp(it[j].package, it[i].package) == 0;
             j++)
            ;
        rc = take_group(&c, &it[i], j - i, w, err);
    }
    pl_asset_info_list_release(&c.asset);
    pl_package_list_release(&c.pk);
    pl_product_map_free(map);
    return rc;
}
