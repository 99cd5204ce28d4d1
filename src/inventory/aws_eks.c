/*
 * aws_eks.c - `aws eks describe-cluster` and `aws eks describe-nodegroup`
 * JSON: one file of their outputs, concatenated ({"cluster": ...}
 * {"nodegroup": ...} ...) or in a JSON array. Each cluster is an asset of
 * kind cluster (source "aws", key its ARN): its Kubernetes version is the
 * asset's OS (amazon-eks VERSION) and its package "kubernetes" (ecosystem
 * "eks"); each node group of the cluster in the same file is a package of
 * ecosystem "eks-nodegroup" (its Kubernetes version) and one of ecosystem
 * "eks-ami" (its AMI release version, named NODEGROUP/AMITYPE). The tag
 * cluster=NAME names the cluster for the EKS hand-off; the public endpoint
 * is exposure evidence; tags give owner and environment as EC2's do, but
 * never the name.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/parse.h"

#include "aws.h"

/* A node group, kept until its cluster's packages are written at the end of the file. */
struct eks_ng {
    char *cluster, *name, *version, *release, *ami;
    uint64_t record;
};

struct eks_cluster {
    char *name;
    int64_t asset;
};

struct eks {
    struct pl__cloud c; /* first: the record callback gets &c */
    struct eks_ng *ng;
    size_t n_ng, cap_ng;
    struct eks_cluster *cl;
    size_t n_cl, cap_cl;
};

static char *dup_or_null(const char *s)
{
    return s ? pl_xstrdup(s) : NULL;
}

/* The host of an endpoint URL ("https://X.gr7.us-east-2.eks.amazonaws.com" -> "X.gr7..."). */
static const char *endpoint_host(struct pl__obs *b, const char *url)
{
    const char *h;

    if (url == NULL || (h = strstr(url, "://")) == NULL)
        return NULL;
    h += 3;
    return pl__inventory_obs_printf(b, "%.*s", (int)strcspn(h, "/:"), h);
}

/* Write one ecosystem's packages of the cluster asset (source "aws"). */
static pl_status sync_eco(struct eks *e, int64_t asset, const char *eco, struct pl_package_list *l,
                          struct pl_error *err)
{
    struct pl_package_sync sync;
    pl_status rc = pl_store_packages_sync_from(e->c.s, asset, "aws", eco, l->items, l->n,
                                               pl_clock_now(), &sync, NULL, err);

    if (rc != PL_OK)
        return pl_error_prefix(err, "%s", e->c.path);
    e->c.stats->packages += l->n;
    return PL_OK;
}

static void add_pkg(struct pl_package_list *l, const char *eco, const char *name,
                    const char *version)
{
    struct pl_package *p = pl_package_list_add(l);

    p->ecosystem = pl_xstrdup(eco);
    p->name = pl_xstrdup(name);
    p->version = pl_xstrdup(version ? version : "");
    p->arch = pl_xstrdup("");
}

static pl_status cluster(struct eks *e, const struct pl_json *cl, struct pl_error *err)
{
    struct pl__cloud *c = &e->c;
    const struct pl_json *vpc = pl_json_get(cl, "resourcesVpcConfig");
    const char *name = NULL, *arn = NULL, *version = NULL, *platform = NULL, *endpoint = NULL,
               *vpc_id = NULL, *account, *region;
    struct pl_package_list pk = {NULL, 0, 0};
    int pub = -1;
    int64_t asset;
    pl_status rc;

    if ((rc = pl__inventory_cloud_req(c, cl, "name", &name, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, cl, "arn", &arn, err)) != PL_OK ||
        (rc = pl__inventory_cloud_req(c, cl, "version", &version, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, cl, "platformVersion", &platform, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, cl, "endpoint", &endpoint, err)) != PL_OK ||
        (vpc && (rc = pl__inventory_cloud_str(c, vpc, "vpcId", &vpc_id, err)) != PL_OK) ||
        (vpc &&
         (rc = pl__inventory_cloud_bool(c, vpc, "endpointPublicAccess", &pub, err)) != PL_OK))
        return rc;
    if (strspn(version, "0123456789.") != strlen(version))
        return pl_error_set(err, PL_E_PARSE, "%sfield 'version': '%s' is not a Kubernetes version",
                            c->b.where, version);
    for (size_t i = 0; i < e->n_cl; i++)
        if (strcmp(e->cl[i].name, name) == 0)
            return pl_error_set(err, PL_E_PARSE, "%scluster '%s' twice in the file", c->b.where,
                                name);
    c->b.o.source_key = arn ? arn : name;
    c->b.o.name = name;
    c->b.o.kind = "cluster";
    c->b.o.os_family = "kubernetes";
    c->b.o.os_name = "amazon-eks";
    c->b.o.os_version = version;
    pl__inventory_obs_id(&c->b, "cloud-id", arn ? arn : name, NULL);
    pl__inventory_obs_id(&c->b, "fqdn", endpoint_host(&c->b, endpoint), NULL);
    if (pub >= 0) {
        struct pl_buf cidrs = PL_BUF_INIT(1024);
        const struct pl_json *list = pl_json_get(vpc, "publicAccessCidrs");

        for (const struct pl_json *x = list && list->type == PL_JSON_ARRAY ? list->child : NULL; x;
             x = x->next)
            if (pl_json_string(x))
                pl_buf_addf(&cidrs, "%s%s", cidrs.len ? ", " : "", pl_json_string(x));
        c->b.o.exposure = pub ? "yes" : "no";
        c->b.o.exposure_evidence =
            pub ? pl__inventory_obs_printf(&c->b, "public API endpoint (publicAccessCidrs %s) (%s)",
                                           cidrs.len ? pl_buf_cstr(&cidrs) : "none given", c->what)
                : pl__inventory_obs_printf(&c->b, "endpointPublicAccess false (%s)", c->what);
        pl_buf_release(&cidrs);
    }
    if ((rc = pl__inventory_obs_cloud_tags(&c->b, pl_json_get(cl, "tags"), err)) != PL_OK)
        return rc;
    c->b.o.name = name; /* the cluster's name, not a Name tag (eksctl's names its stack) */
    pl__inventory_obs_tag(&c->b, "cluster", name);
    if (platform)
        pl__inventory_obs_tag(&c->b, "eks-platform", platform);
    pl__inventory_aws_arn(&c->b, arn, &account, &region);
    c->b.facts.cloud_account = account;
    c->b.facts.cloud_region = region;
    c->b.facts.network_scope = vpc_id;
    if ((rc = pl__inventory_obs_commit(c->s, &c->b, c->stats, &asset, err)) != PL_OK)
        return rc;
    add_pkg(&pk, "eks", "kubernetes", version);
    rc = sync_eco(e, asset, "eks", &pk, err);
    pl_package_list_release(&pk);
    e->cl = pl_xgrow(e->cl, e->n_cl, &e->cap_cl, 8, sizeof(*e->cl));
    e->cl[e->n_cl++] = (struct eks_cluster){pl_xstrdup(name), asset};
    return rc;
}

static pl_status nodegroup(struct eks *e, const struct pl_json *ng, struct pl_error *err)
{
    struct pl__cloud *c = &e->c;
    const char *cl = NULL, *name = NULL, *version = NULL, *release = NULL, *ami = NULL;
    pl_status rc;

    if ((rc = pl__inventory_cloud_req(c, ng, "clusterName", &cl, err)) != PL_OK ||
        (rc = pl__inventory_cloud_req(c, ng, "nodegroupName", &name, err)) != PL_OK ||
        (rc = pl__inventory_cloud_req(c, ng, "version", &version, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, ng, "releaseVersion", &release, err)) != PL_OK ||
        (rc = pl__inventory_cloud_str(c, ng, "amiType", &ami, err)) != PL_OK)
        return rc;
    if (strspn(version, "0123456789.") != strlen(version))
        return pl_error_set(err, PL_E_PARSE, "%sfield 'version': '%s' is not a Kubernetes version",
                            c->b.where, version);
    e->ng = pl_xgrow(e->ng, e->n_ng, &e->cap_ng, 8, sizeof(*e->ng));
    e->ng[e->n_ng++] = (struct eks_ng){pl_xstrdup(cl),       pl_xstrdup(name), pl_xstrdup(version),
                                       dup_or_null(release), dup_or_null(ami), c->index + 1};
    return PL_OK;
}

static pl_status one(struct eks *e, const struct pl_json *rec, struct pl_error *err)
{
    const struct pl_json *cl = pl_json_get(rec, "cluster"), *ng = pl_json_get(rec, "nodegroup");

    e->c.stats->records++;
    pl__inventory_obs_reset(&e->c.b, pl_clock_now(), "%s", "");
    if (rec->type != PL_JSON_OBJECT)
        return pl_error_set(err, PL_E_PARSE, "want an object, not %s",
                            pl_json_type_name(rec->type));
    if (cl && cl->type == PL_JSON_OBJECT) {
        e->c.what = "eks describe-cluster";
        return cluster(e, cl, err);
    }
    if (ng && ng->type == PL_JSON_OBJECT) {
        e->c.what = "eks describe-nodegroup";
        return nodegroup(e, ng, err);
    }
    return pl_error_set(err, PL_E_PARSE,
                        "want the output of aws eks describe-cluster ({\"cluster\": {...}}) or "
                        "describe-nodegroup ({\"nodegroup\": {...}})");
}

static pl_status on_value(const struct pl_json *rec, uint64_t index, void *data,
                          struct pl_error *err)
{
    struct eks *e = data;
    pl_status rc = PL_OK;

    e->c.index = index;
    if (rec->type != PL_JSON_ARRAY)
        return one(e, rec, err);
    for (const struct pl_json *x = rec->child; rc == PL_OK && x; x = x->next)
        rc = one(e, x, err);
    return rc;
}

/* The node groups of every cluster of the file as packages of its asset. */
static pl_status nodegroups(struct eks *e, struct pl_error *err)
{
    pl_status rc = PL_OK;

    for (size_t i = 0; rc == PL_OK && i < e->n_ng; i++) {
        size_t k;

        for (k = 0; k < e->n_cl && strcmp(e->cl[k].name, e->ng[i].cluster) != 0; k++)
            ;
        if (k == e->n_cl)
            return pl_error_set(err, PL_E_PARSE,
                                "%s: record %llu: node group '%s' of cluster '%s': the file has "
                                "no describe-cluster output of that cluster",
                                e->c.path, (unsigned long long)e->ng[i].record, e->ng[i].name,
                                e->ng[i].cluster);
    }
    for (size_t k = 0; rc == PL_OK && k < e->n_cl; k++) {
        struct pl_package_list ver = {NULL, 0, 0}, ami = {NULL, 0, 0};
        size_t n = 0;

        for (size_t i = 0; i < e->n_ng; i++) {
            const struct eks_ng *g = &e->ng[i];
            char name[512];

            if (strcmp(g->cluster, e->cl[k].name) != 0)
                continue;
            n++;
            add_pkg(&ver, "eks-nodegroup", g->name, g->version);
            if (g->release && g->release[0]) {
                snprintf(name, sizeof(name), "%s/%s", g->name, g->ami ? g->ami : "CUSTOM");
                add_pkg(&ami, "eks-ami", name, g->release);
            }
        }
        /* a file without node groups of a cluster leaves them as they were */
        if (n > 0 && (rc = sync_eco(e, e->cl[k].asset, "eks-nodegroup", &ver, err)) == PL_OK)
            rc = sync_eco(e, e->cl[k].asset, "eks-ami", &ami, err);
        pl_package_list_release(&ver);
        pl_package_list_release(&ami);
    }
    return rc;
}

pl_status pl__inventory_import_aws_eks(struct pl_store *s, struct pl_reader *r,
                                       const struct pl_inv_import_opts *opts,
                                       struct pl_inv_import_stats *stats, struct pl_error *err)
{
    struct eks e = {.c = {.s = s, .opts = opts, .stats = stats, .what = "eks describe-cluster"}};
    struct pl_json_stream_opts o = {0};
    pl_status rc;

    pl__inventory_obs_init(&e.c.b, "aws");
    e.c.path = pl_reader_path(r);
    o.lines = true;
    o.on_record = on_value;
    o.data = &e;
    rc = pl_json_stream(r, &o, err);
    if (rc == PL_OK)
        rc = nodegroups(&e, err);
    for (size_t i = 0; i < e.n_ng; i++) {
        free(e.ng[i].cluster);
        free(e.ng[i].name);
        free(e.ng[i].version);
        free(e.ng[i].release);
        free(e.ng[i].ami);
    }
    for (size_t i = 0; i < e.n_cl; i++)
        free(e.cl[i].name);
    free(e.ng);
    free(e.cl);
    pl__inventory_obs_release(&e.c.b);
    return rc;
}
