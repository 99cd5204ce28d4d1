/*
 * inventory.c - an agent's upload: its facts make (or find) its asset with
 * source 'agent', its packages are the last accepted list changed by the
 * delta, and the digest proves both sides hold the same list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/fleet.h"
#include "patchline/store_assets.h"

#include "fleet_int.h"

#define FIELD_MAX 256

struct upload {
    yajl_val root, facts;
    const char *f[10]; /* name hostname machine_id os_family os_name os_version os_codename arch
                          kernel ecosystem */
    const char *base, *digest;
    int reboot_required;
};

static const char *const fact_keys[] = {"name",    "hostname",   "machine_id",      "os_family",
                                        "os_name", "os_version", "os_codename",     "arch",
                                        "kernel",  "ecosystem",  "reboot_required", NULL};

static pl_status parse_upload(const char *body, size_t len, struct upload *u, struct pl_error *err)
{
    static const char *const top[] = {"facts", "base", "digest", "set", "removed", NULL};
    const char *path[] = {"facts", NULL}, *rpath[] = {"reboot_required", NULL};
    yajl_val v;
    pl_status rc;

    memset(u, 0, sizeof(*u));
    if ((rc = pl__fleet_parse(body, len, top, &u->root, err)) != PL_OK)
        return rc;
    u->facts = yajl_tree_get(u->root, path, yajl_t_object);
    if (u->facts == NULL)
        return pl_error_set(err, PL_E_INVALID, "field 'facts': want an object");
    for (size_t i = 0; i < u->facts->u.object.len; i++) {
        size_t k = 0;

        while (fact_keys[k] && strcmp(fact_keys[k], u->facts->u.object.keys[i]) != 0)
            k++;
        if (fact_keys[k] == NULL)
            return pl_error_set(err, PL_E_INVALID, "field 'facts.%.64s': unknown field",
                                u->facts->u.object.keys[i]);
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(u->f); i++)
        if ((rc = pl__fleet_str(u->facts, fact_keys[i], FIELD_MAX, &u->f[i], err)) != PL_OK)
            return pl_error_prefix(err, "facts"), rc;
    v = yajl_tree_get(u->facts, rpath, yajl_t_number);
    u->reboot_required = v && YAJL_IS_INTEGER(v) ? (int)YAJL_GET_INTEGER(v) : -1;
    if (u->f[9] == NULL ||
        (strcmp(u->f[9], "dpkg") && strcmp(u->f[9], "rpm") && strcmp(u->f[9], "apk")))
        return pl_error_set(err, PL_E_INVALID, "field 'facts.ecosystem': want dpkg, rpm or apk");
    if ((rc = pl__fleet_str(u->root, "base", 64, &u->base, err)) != PL_OK ||
        (rc = pl__fleet_str(u->root, "digest", 64, &u->digest, err)) != PL_OK)
        return rc;
    if (u->digest == NULL || strlen(u->digest) != PL_FLEET_DIGEST_HEX_LEN)
        return pl_error_set(err, PL_E_INVALID, "field 'digest': want 64 hex digits");
    return PL_OK;
}

/* Index of (name, arch) in l, or l->n. */
static size_t find(const struct pl_package_list *l, const char *name, const char *arch)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].name, name) == 0 &&
            strcmp(l->items[i].arch ? l->items[i].arch : "", arch) == 0)
            return i;
    return l->n;
}

/* Member i of array a as a string (NULL when it is not one). */
static const char *at(yajl_val a, size_t i)
{
    return i < a->u.array.len && YAJL_IS_STRING(a->u.array.values[i])
               ? YAJL_GET_STRING(a->u.array.values[i])
               : NULL;
}

static void pkg_set(struct pl_package *p, const char *eco, const char *name, const char *arch,
                    const char *version)
{
    char **text[] = {&p->ecosystem, &p->name, &p->arch, &p->version};
    const char *val[] = {eco, name, arch, version};

    for (size_t i = 0; i < PL_ARRAY_LEN(text); i++) {
        free(*text[i]);
        *text[i] = pl_xstrdup(val[i]);
    }
}

/* Apply "removed" then "set" of the upload to l. */
static pl_status apply_delta(const struct upload *u, struct pl_package_list *l,
                             struct pl_error *err)
{
    const char *pr[] = {"removed", NULL}, *ps[] = {"set", NULL};
    yajl_val rm = yajl_tree_get(u->root, pr, yajl_t_array);
    yajl_val set = yajl_tree_get(u->root, ps, yajl_t_array);

    if (set == NULL || rm == NULL)
        return pl_error_set(err, PL_E_INVALID, "fields 'set' and 'removed': want arrays");
    if (set->u.array.len + l->n > PL_FLEET_UPLOAD_PKGS)
        return pl_error_set(err, PL_E_TOOBIG, "field 'set': more than %d packages",
                            PL_FLEET_UPLOAD_PKGS);
    for (size_t i = 0; i < rm->u.array.len; i++) {
        yajl_val e = rm->u.array.values[i];
        size_t k;

        if (!YAJL_IS_ARRAY(e) || !at(e, 0) || !at(e, 1))
            return pl_error_set(err, PL_E_INVALID, "field 'removed[%zu]': want [name, arch]", i);
        if ((k = find(l, at(e, 0), at(e, 1))) < l->n) {
            struct pl_package *p = &l->items[k];
            char *text[] = {p->ecosystem,   p->name,           p->version, p->arch,
                            p->source_name, p->source_version, p->purl};

            for (size_t x = 0; x < PL_ARRAY_LEN(text); x++)
                free(text[x]);
            *p = l->items[--l->n];
        }
    }
    for (size_t i = 0; i < set->u.array.len; i++) {
        yajl_val e = set->u.array.values[i];
        const char *name = at(e, 0), *arch = at(e, 1), *ver = at(e, 2);
        size_t k;

        if (!YAJL_IS_ARRAY(e) || !name || !arch || !ver || !name[0] || !ver[0] ||
            strlen(name) > FIELD_MAX || strlen(arch) > FIELD_MAX || strlen(ver) > FIELD_MAX)
            return pl_error_set(err, PL_E_INVALID,
                                "field 'set[%zu]': want [name, arch, version] (non-empty)", i);
        k = find(l, name, arch);
        pkg_set(k < l->n ? &l->items[k] : pl_package_list_add(l), u->f[9], name, arch, ver);
    }
    return PL_OK;
}

static pl_status observe(struct pl_store *s, const struct pl_agent_row *a, const struct upload *u,
                         pl_time_t now, int64_t *asset_id, struct pl_error *err)
{
    struct pl_identifier ids[2];
    struct pl_observation o;
    size_t n_ids = 0;
    bool created = false;

    if (u->f[2])
        ids[n_ids++] = (struct pl_identifier){"machine-id", u->f[2], NULL};
    ids[n_ids++] = (struct pl_identifier){"hostname", u->f[1] ? u->f[1] : a->host, NULL};
    memset(&o, 0, sizeof(o));
    o.source = "agent";
    o.source_key = a->host;
    o.ids = ids;
    o.n_ids = n_ids;
    o.seen = now;
    o.name = a->host;
    o.kind = "host";
    o.os_family = u->f[3];
    o.os_name = u->f[4];
    o.os_version = u->f[5];
    o.os_codename = u->f[6];
    o.arch = u->f[7];
    o.kernel = u->f[8];
    o.reboot_required = u->reboot_required;
    return pl_store_asset_observe(s, &o, asset_id, &created, err);
}

/*
 * An upload that changes nothing: its base and digest are the last accepted
 * digest and its delta is empty. Then the list is the one the store holds,
 * and nothing needs reading it.
 */
static bool unchanged(const struct pl_agent_row *a, const struct upload *u)
{
    const char *pr[] = {"removed", NULL}, *ps[] = {"set", NULL};
    yajl_val rm = yajl_tree_get(u->root, pr, yajl_t_array);
    yajl_val set = yajl_tree_get(u->root, ps, yajl_t_array);

    return u->base && a->digest && a->asset_id && strcmp(u->base, a->digest) == 0 &&
           strcmp(u->digest, a->digest) == 0 && rm && set && rm->u.array.len == 0 &&
           set->u.array.len == 0;
}

/* The unchanged upload: the facts observed, the list seen again (pl_store_packages_seen_from). */
static pl_status accept_same(struct pl_store *s, const struct pl_agent_row *a,
                             const struct upload *u, pl_time_t now, char *digest,
                             struct pl_error *err)
{
    struct pl_package_sync sync;
    int64_t asset_id = 0;
    bool applied;
    pl_status rc;

    snprintf(digest, PL_FLEET_DIGEST_HEX_LEN + 1, "%s", a->digest);
    if ((rc = pl_store_import_open(s, "agent", a->host, NULL, err)) != PL_OK)
        return rc;
    rc = observe(s, a, u, now, &asset_id, err);
    if (rc == PL_OK && asset_id != a->asset_id)
        rc = pl_error_set(err, PL_E_CONFLICT, "host '%s' now looks like asset %lld, not %lld",
                          a->host, (long long)asset_id, (long long)a->asset_id);
    if (rc == PL_OK)
        rc = pl_store_agent_accept(s, a->id, asset_id, digest, now, err);
    if (rc == PL_OK)
        rc = pl_store_packages_seen_from(s, asset_id, "agent", u->f[9], now, &sync, &applied, err);
    pl_store_import_close(s);
    /* the list won again over another source's: the effective rows changed, an event */
    if (rc == PL_OK && (sync.added || sync.updated || sync.removed)) {
        char detail[200];

        if (snprintf(detail, sizeof(detail), "asset %lld: %zu added, %zu updated, %zu removed",
                     (long long)asset_id, sync.added, sync.updated, sync.removed) < 0)
            detail[0] = '\0';
        rc = pl_store_audit(s, "agent.inventory", a->host, detail, err);
    }
    return rc;
}

/* The upload's "removed" and "set" as packages. */
static pl_status delta_of(const struct upload *u, struct pl_package_list *rml,
                          struct pl_package_list *setl, struct pl_error *err)
{
    const char *pr[] = {"removed", NULL}, *ps[] = {"set", NULL};
    yajl_val rm = yajl_tree_get(u->root, pr, yajl_t_array);
    yajl_val set = yajl_tree_get(u->root, ps, yajl_t_array);

    if (set == NULL || rm == NULL)
        return pl_error_set(err, PL_E_INVALID, "fields 'set' and 'removed': want arrays");
    if (set->u.array.len > PL_FLEET_UPLOAD_PKGS || rm->u.array.len > PL_FLEET_UPLOAD_PKGS)
        return pl_error_set(err, PL_E_TOOBIG, "fields 'set' and 'removed': more than %d packages",
                            PL_FLEET_UPLOAD_PKGS);
    for (size_t i = 0; i < rm->u.array.len; i++) {
        yajl_val e = rm->u.array.values[i];
        struct pl_package *p;

        if (!YAJL_IS_ARRAY(e) || !at(e, 0) || !at(e, 1))
            return pl_error_set(err, PL_E_INVALID, "field 'removed[%zu]': want [name, arch]", i);
        p = pl_package_list_add(rml);
        p->name = pl_xstrdup(at(e, 0));
        p->arch = pl_xstrdup(at(e, 1));
    }
    for (size_t i = 0; i < set->u.array.len; i++) {
        yajl_val e = set->u.array.values[i];
        const char *name = at(e, 0), *arch = at(e, 1), *ver = at(e, 2);

        if (!YAJL_IS_ARRAY(e) || !name || !arch || !ver || !name[0] || !ver[0] ||
            strlen(name) > FIELD_MAX || strlen(arch) > FIELD_MAX || strlen(ver) > FIELD_MAX)
            return pl_error_set(err, PL_E_INVALID,
                                "field 'set[%zu]': want [name, arch, version] (non-empty)", i);
        pkg_set(pl_package_list_add(setl), u->f[9], name, arch, ver);
    }
    return PL_OK;
}

/*
 * A delta upload: the store changes the agent's list by the changed names
 * alone and moves its digest by them (pl_store_packages_change_from); the
 * digest the agent computed must be the one that comes out.
 */
static pl_status accept_delta(struct pl_store *s, const struct pl_agent_row *a,
                              const struct upload *u, pl_time_t now, char *digest,
                              struct pl_package_sync *sync, struct pl_error *err)
{
    struct pl_package_list rm = {NULL, 0, 0}, set = {NULL, 0, 0};
    int64_t asset_id = 0;
    pl_status rc = delta_of(u, &rm, &set, err);

    if (rc == PL_OK && (rc = pl_store_import_open(s, "agent", a->host, NULL, err)) == PL_OK) {
        rc = observe(s, a, u, now, &asset_id, err);
        if (rc == PL_OK && asset_id != a->asset_id)
            rc = pl_error_set(err, PL_E_CONFLICT, "host '%s' now looks like asset %lld, not %lld",
                              a->host, (long long)asset_id, (long long)a->asset_id);
        if (rc == PL_OK)
            rc = pl_store_packages_change_from(s, asset_id, "agent", u->f[9], rm.items, rm.n,
                                               set.items, set.n, now, sync, digest, err);
        if (rc == PL_OK && strcmp(digest, u->digest) != 0)
            rc = pl_error_set(err, PL_E_CONFLICT,
                              "field 'digest': the packages do not add up to it; send the "
                              "whole list");
        if (rc == PL_OK)
            rc = pl_store_agent_accept(s, a->id, asset_id, digest, now, err);
        pl_store_import_close(s);
    }
    pl_package_list_release(&rm);
    pl_package_list_release(&set);
    return rc;
}

static pl_status accept_tx(struct pl_store *s, const struct pl_agent_row *a, const struct upload *u,
                           pl_time_t now, char *digest, struct pl_error *err)
{
    struct pl_package_list l = {NULL, 0, 0};
    struct pl_package_sync sync = {0, 0, 0, 0};
    int64_t asset_id = 0;
    char detail[200];
    pl_status rc = PL_OK;

    if (u->base && (a->digest == NULL || a->asset_id == 0 || strcmp(u->base, a->digest) != 0))
        return pl_error_set(err, PL_E_CONFLICT,
                            "field 'base': not the last accepted upload; send the whole list");
    if (u->base) {
        rc = accept_delta(s, a, u, now, digest, &sync, err);
        goto audit;
    }
    rc = apply_delta(u, &l, err);
    if (rc == PL_OK) {
        pl_fleet_digest(&l, digest);
        /* an agent from before the order-free digest: its whole list, by its digest */
        if (strcmp(digest, u->digest) != 0)
            pl__fleet_digest_sorted(&l, digest);
        if (strcmp(digest, u->digest) != 0)
            rc =
                pl_error_set(err, PL_E_INVALID, "field 'digest': the packages do not add up to it");
    }
    if (rc == PL_OK && (rc = pl_store_import_open(s, "agent", a->host, NULL, err)) == PL_OK) {
        rc = observe(s, a, u, now, &asset_id, err);
        if (rc == PL_OK && a->asset_id && asset_id != a->asset_id)
            rc = pl_error_set(err, PL_E_CONFLICT, "host '%s' now looks like asset %lld, not %lld",
                              a->host, (long long)asset_id, (long long)a->asset_id);
        if (rc == PL_OK)
            rc = pl_store_agent_accept(s, a->id, asset_id, digest, now, err);
        if (rc == PL_OK)
            rc = pl_store_packages_sync_from(s, asset_id, "agent", u->f[9], l.items, l.n, now,
                                             &sync, NULL, err);
        pl_store_import_close(s);
    }
audit:
    if (asset_id == 0)
        asset_id = a->asset_id;
    if (rc == PL_OK &&
        (u->base ? snprintf(detail, sizeof(detail),
                            "asset %lld: delta, %zu added, %zu updated, %zu removed",
                            (long long)asset_id, sync.added, sync.updated, sync.removed)
                 : snprintf(detail, sizeof(detail),
                            "asset %lld: %zu packages, %zu added, %zu updated, %zu removed",
                            (long long)asset_id, l.n, sync.added, sync.updated, sync.removed)) < 0)
        detail[0] = '\0';
    /* a check-in that changed no package is not an event of the audit log (last_seen moves) */
    if (rc == PL_OK && (a->asset_id == 0 || sync.added || sync.updated || sync.removed))
        rc = pl_store_audit(s, "agent.inventory", a->host, detail, err);
    pl_package_list_release(&l);
    return rc;
}

pl_status pl_fleet_inventory_accept(struct pl_store *s, const struct pl_agent_row *a,
                                    const char *body, size_t len, pl_time_t now, char *digest,
                                    struct pl_error *err)
{
    struct upload u;
    char got[PL_FLEET_DIGEST_HEX_LEN + 1];
    pl_status rc = parse_upload(body, len, &u, err);

    if (rc == PL_OK && (rc = pl_store_begin(s, err)) == PL_OK) {
        rc = unchanged(a, &u) ? accept_same(s, a, &u, now, got, err)
                              : accept_tx(s, a, &u, now, got, err);
        if (rc == PL_OK)
            rc = pl_store_commit(s, err);
        else
            pl_store_rollback(s);
    }
    if (rc == PL_OK)
        memcpy(digest, got, sizeof(got));
    yajl_tree_free(u.root);
    return rc;
}
