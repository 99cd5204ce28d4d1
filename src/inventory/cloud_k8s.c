/*
 * cloud_k8s.c - managed Kubernetes clusters of Azure and Google Cloud:
 * `az aks show` / `az aks list` JSON and `gcloud container clusters
 * describe` / `list --format=json` JSON (one object, an array, or several
 * concatenated). Each cluster is an asset of kind cluster (source "azure"
 * or "gcp", key its resource id or selfLink): its control plane's
 * Kubernetes version is the asset's OS (azure-kubernetes-service or
 * google-kubernetes-engine VERSION) and its package "kubernetes" (ecosystem
 * "aks" or "gke"); each node pool is a package of ecosystem "aks-nodepool"
 * or "gke-nodepool" (its Kubernetes version). Tags (AKS) and resource labels
 * (GKE) give owner and environment as the other cloud imports' do, never
 * the name; a public API server endpoint is exposure evidence.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/parse.h"

#include "aws.h"

struct k8s_pool {
    const char *name, *version, *image;
};

struct mk8s {
    struct pl__cloud c; /* first */
    bool gke;
    char **names;
    size_t n_names, cap_names;
};

/* A Kubernetes version: "1.29.4" (AKS) or "1.29.6-gke.1038001" (GKE). */
static bool k8s_version(const char *v, bool gke)
{
    if (v[0] < '0' || v[0] > '9')
        return false;
    for (const char *p = v; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == '.' ||
              (gke && (*p == '-' || (*p >= 'a' && *p <= 'z')))))
            return false;
    return true;
}

static void add_pkg(struct pl_package_list *l, const char *eco, const char *name,
                    const char *version)
{
    struct pl_package *p = pl_package_list_add(l);

    p->ecosystem = pl_xstrdup(eco);
    p->name = pl_xstrdup(name);
    p->version = pl_xstrdup(version);
    p->arch = pl_xstrdup("");
}

static pl_status sync_eco(struct mk8s *m, int64_t asset, const char *eco, struct pl_package_list *l,
                          struct pl_error *err)
{
    struct pl_package_sync sync;
    pl_status rc = pl_store_packages_sync_from(m->c.s, asset, m->gke ? "gcp" : "azure", eco,
                                               l->items, l->n, pl_clock_now(), &sync, NULL, err);

    if (rc != PL_OK)
        return pl_error_prefix(err, "%s", m->c.path);
    m->c.stats->packages += l->n;
    return PL_OK;
}

/* The string after "/SEG/" in a path ("/subscriptions/S/..." -> "S"), or NULL. */
static const char *path_segment(struct pl__obs *b, const char *path, const char *seg)
{
    const char *p;
    size_t k = strlen(seg);

    for (p = path; p && (p = strchr(p, '/')) != NULL; p++)
        if (strncmp(p + 1, seg, k) == 0 && p[1 + k] == '/') {
            p += 2 + k;
            return pl__inventory_obs_printf(b, "%.*s", (int)strcspn(p, "/"), p);
        }
    return NULL;
}

/* The node pools: their names and versions (a pool without its own version runs the
 * control plane's). */
static pl_status pools(struct mk8s *m, const struct pl_json *list, const char *cp_version,
                       struct pl_package_list *pk, struct pl_error *err)
{
    struct pl__cloud *c = &m->c;
    const char *field = m->gke ? "nodePools" : "agentPoolProfiles";
    pl_status rc;

    if (list == NULL || list->type == PL_JSON_NULL)
        return PL_OK;
    if (list->type != PL_JSON_ARRAY)
        return pl_error_set(err, PL_E_PARSE, "%sfield '%s': want an array, not %s", c->b.where,
                            field, pl_json_type_name(list->type));
    for (const struct pl_json *p = list->child; p; p = p->next) {
        const char *name = NULL, *ver = NULL, *cur = NULL;

        if (p->type != PL_JSON_OBJECT)
            return pl_error_set(err, PL_E_PARSE, "%sfield '%s': want objects, not %s", c->b.where,
                                field, pl_json_type_name(p->type));
        if ((rc = pl__inventory_cloud_req(c, p, "name", &name, err)) != PL_OK ||
            (rc = pl__inventory_cloud_str(c, p, m->gke ? "version" : "orchestratorVersion", &ver,
                                          err)) != PL_OK ||
            (!m->gke && (rc = pl__inventory_cloud_str(c, p, "currentOrchestratorVersion", &cur,
                                                      err)) != PL_OK))
            return rc;
        ver = cur && cur[0] ? cur : ver && ver[0] ? ver : cp_version;
        if (!k8s_version(ver, m->gke))
            return pl_error_set(err, PL_E_PARSE,
                                "%snode pool '%s': version '%s' is not a Kubernetes version",
                                c->b.where, name, ver);
        add_pkg(pk, m->gke ? "gke-nodepool" : "aks-nodepool", name, ver);
    }
    return PL_OK;
}

static pl_status cluster(struct mk8s *m, const struct pl_json *cl, struct pl_error *err)
{
    struct pl__cloud *c = &m->c;
    const char *name = NULL, *id = NULL, *loc = NULL, *ver = NULL, *cur = NULL, *host = NULL,
               *account = NULL;
    const struct pl_json *acc =
        pl_json_get(cl, m->gke ? "privateClusterConfig" : "apiServerAccessProfile");
    const struct pl_json *pools_v;
    struct pl_package_list pk = {NULL, 0, 0}, np = {NULL, 0, 0};
    int priv = -1;
    int64_t asset;
    pl_status rc;

    if ((rc = pl__inventory_cloud_req(c, cl, "name", &name, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, cl, m->gke ? "selfLink" : "id", &id, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, cl, "location", &loc, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, cl, m->gke ? "endpoint" : "fqdn", &host, err)) != PL_OK ||
        (acc && acc->type == PL_JSON_OBJECT &&
         (rc = pl__inventory_cloud_bool(c, acc,
                                        m->gke ? "enablePrivateEndpoint" : "enablePrivateCluster",
                                        &priv, err)) != PL_OK))
        return rc;
    if (m->gke) {
        if ((rc = pl__inventory_cloud_req(c, cl, "currentMasterVersion", &ver, err)) != PL_OK)
            return rc;
    } else {
        if ((rc = pl__inventory_cloud_str(c, cl, "currentKubernetesVersion", &cur, err)) != PL_OK ||
            (!(cur && cur[0]) &&
             (rc = pl__inventory_cloud_req(c, cl, "kubernetesVersion", &ver, err)) != PL_OK))
            return rc;
        if (cur && cur[0])
            ver = cur;
    }
    if (!k8s_version(ver, m->gke))
        return pl_error_set(err, PL_E_PARSE, "%sfield '%s': '%s' is not a Kubernetes version",
                            c->b.where,
                            m->gke          ? "currentMasterVersion"
                            : cur && cur[0] ? "currentKubernetesVersion"
                                            : "kubernetesVersion",
                            ver);
    if ((rc = pools(m, pl_json_get(cl, m->gke ? "nodePools" : "agentPoolProfiles"), ver, &np,
                    err)) != PL_OK)
        goto out;
    if (id && id[0]) {
        char *t = pl__inventory_obs_printf(&c->b, "%s", id);

        if (!m->gke) /* Azure resource ids are case-insensitive */
            for (char *p = t; *p; p++)
                *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        id = t;
    } else {
        id = NULL;
    }
    for (size_t i = 0; id && i < m->n_names; i++)
        if (strcmp(m->names[i], id) == 0) {
            rc =
                pl_error_set(err, PL_E_PARSE, "%scluster '%s' twice in the file", c->b.where, name);
            goto out;
        }
    c->b.o.source_key = id ? id : name;
    c->b.o.name = name;
    c->b.o.kind = "cluster";
    c->b.o.os_family = "kubernetes";
    c->b.o.os_name = m->gke ? "google-kubernetes-engine" : "azure-kubernetes-service";
    c->b.o.os_version = ver;
    pl__inventory_obs_id(&c->b, "cloud-id", id ? id : name, NULL);
    if (!m->gke && host && host[0])
        pl__inventory_obs_id(&c->b, "fqdn", host, NULL);
    if (priv >= 0 || (host && host[0])) {
        c->b.o.exposure = priv == 1 ? "no" : "yes";
        c->b.o.exposure_evidence =
            priv == 1 ? pl__inventory_obs_printf(
                            &c->b, "%s true (%s)",
                            m->gke ? "enablePrivateEndpoint" : "enablePrivateCluster", c->what)
                      : pl__inventory_obs_printf(&c->b, "public API server endpoint %s (%s)",
                                                 host && host[0] ? host : "(none given)", c->what);
    }
    if ((rc = pl__inventory_obs_cloud_tags(
             &c->b, pl_json_get(cl, m->gke ? "resourceLabels" : "tags"), err)) != PL_OK)
        goto out;
    c->b.o.name = name; /* the cluster's name, not a Name tag */
    pl__inventory_obs_tag(&c->b, "cluster", name);
    if (m->gke) {
        account = path_segment(&c->b, id, "projects");
    } else {
        account = path_segment(&c->b, id, "subscriptions");
        const char *rg = path_segment(&c->b, id, "resourcegroups");

        if (rg)
            pl__inventory_obs_tag(&c->b, "resource-group", rg);
    }
    c->b.facts.cloud_account = account;
    c->b.facts.cloud_region = loc;
    if ((rc = pl__inventory_obs_commit(c->s, &c->b, c->stats, &asset, err)) != PL_OK)
        goto out;
    add_pkg(&pk, m->gke ? "gke" : "aks", "kubernetes", ver);
    /* a record without node pools leaves the stored ones as they were */
    pools_v = pl_json_get(cl, m->gke ? "nodePools" : "agentPoolProfiles");
    if ((rc = sync_eco(m, asset, m->gke ? "gke" : "aks", &pk, err)) == PL_OK && pools_v &&
        pools_v->type == PL_JSON_ARRAY)
        rc = sync_eco(m, asset, m->gke ? "gke-nodepool" : "aks-nodepool", &np, err);
    if (rc == PL_OK && id) {
        m->names = pl_xgrow(m->names, m->n_names, &m->cap_names, 8, sizeof(*m->names));
        m->names[m->n_names++] = pl_xstrdup(id);
    }
out:
    pl_package_list_release(&pk);
    pl_package_list_release(&np);
    return rc;
}

/* One cluster: the value itself, or element k (from 1) of an array (a list's output). */
static pl_status one(struct mk8s *m, const struct pl_json *rec, size_t k, struct pl_error *err)
{
    m->c.stats->records++;
    if (k > 0)
        pl__inventory_obs_reset(&m->c.b, pl_clock_now(), "element %zu: ", k);
    else
        pl__inventory_obs_reset(&m->c.b, pl_clock_now(), "%s", "");
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "%swant an object, not %s", m->c.b.where,
                            pl_json_type_name(rec->type));
    if (m->gke ? pl_json_get(rec, "currentMasterVersion") == NULL
               : pl_json_get(rec, "kubernetesVersion") == NULL &&
                     pl_json_get(rec, "currentKubernetesVersion") == NULL)
        return pl_error_set(err, PL_E_PARSE, "%swant the output of %s", m->c.b.where,
                            m->gke ? "gcloud container clusters describe or list --format=json "
                                     "(currentMasterVersion)"
                                   : "az aks show or az aks list (kubernetesVersion)");
    return cluster(m, rec, err);
}

static pl_status on_value(const struct pl_json *rec, uint64_t index, void *data,
                          struct pl_error *err)
{
    struct mk8s *m = data;
    pl_status rc = PL_OK;
    size_t k = 0;

    m->c.index = index;
    if (rec->type != PL_JSON_ARRAY)
        return one(m, rec, 0, err);
    for (const struct pl_json *x = rec->child; rc == PL_OK && x; x = x->next)
        rc = one(m, x, ++k, err);
    return rc;
}

static pl_status import(bool gke, struct pl_store *s, struct pl_reader *r,
                        const struct pl_inv_import_opts *opts, struct pl_inv_import_stats *stats,
                        struct pl_error *err)
{
    struct mk8s m = {.c = {.s = s,
                           .opts = opts,
                           .stats = stats,
                           .what = gke ? "gcloud container clusters" : "az aks"},
                     .gke = gke};
    struct pl_json_stream_opts o = {0};
    pl_status rc;

    pl__inventory_obs_init(&m.c.b, gke ? "gcp" : "azure");
    m.c.path = pl_reader_path(r);
    o.lines = true;
    o.on_record = on_value;
    o.data = &m;
    rc = pl_json_stream(r, &o, err);
    for (size_t i = 0; i < m.n_names; i++)
        free(m.names[i]);
    free(m.names);
    pl__inventory_obs_release(&m.c.b);
    return rc;
}

pl_status pl__inventory_import_azure_aks(struct pl_store *s, struct pl_reader *r,
                                         const struct pl_inv_import_opts *opts,
                                         struct pl_inv_import_stats *stats, struct pl_error *err)
{
    return import(false, s, r, opts, stats, err);
}

pl_status pl__inventory_import_gcp_gke(struct pl_store *s, struct pl_reader *r,
                                       const struct pl_inv_import_opts *opts,
                                       struct pl_inv_import_stats *stats, struct pl_error *err)
{
    return import(true, s, r, opts, stats, err);
}
