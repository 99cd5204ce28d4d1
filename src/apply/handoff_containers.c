/*
 * handoff_containers.c - managed node pool upgrades (EKS, AKS, GKE) as argv
 * lists, and container images to rebuild in dependency order (base images
 * before the images built FROM them).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"

#include "handoff_int.h"

#define ID_BYTES  160
#define NUM_BYTES 32
#define MAX_WORDS 32

/* The distinct pools of a wave: the first node of each (cluster, pool) pair. */
static size_t distinct_pools(const struct pl_handoff_wave *w, const char *which,
                             const struct pl_handoff_asset **v)
{
    size_t n = 0;
    for (size_t i = 0; i < w->n_assets; i++) {
        const struct pl_handoff_asset *a = &w->assets[i];
        bool seen = false;
        if (strcmp(a->kind, "k8s-node") != 0 || strcmp(a->platform, which) != 0)
            continue;
        for (size_t k = 0; k < n && !seen; k++)
            seen = strcmp(v[k]->cluster, a->cluster) == 0 &&
                   strcmp(v[k]->node_pool, a->node_pool) == 0;
        if (!seen)
            v[n++] = a;
    }
    return n;
}

/* One command from its words (NULL-terminated; "" words are left out). */
/* Nodes of the wave in a's pool. */
static size_t pool_size(const struct pl_handoff_wave *w, const struct pl_handoff_asset *a)
{
    size_t n = 0;
    for (size_t i = 0; i < w->n_assets; i++)
        n += strcmp(w->assets[i].kind, "k8s-node") == 0 &&
             strcmp(w->assets[i].platform, a->platform) == 0 &&
             strcmp(w->assets[i].cluster, a->cluster) == 0 &&
             strcmp(w->assets[i].node_pool, a->node_pool) == 0;
    return n;
}

static void cmd(struct pl_buf *json, struct pl_buf *sh, size_t *n, const char *first, ...)
{
    const char *argv[MAX_WORDS + 1];
    size_t k = 0;
    va_list ap;

    va_start(ap, first);
    for (const char *w = first; w != NULL && k < MAX_WORDS; w = va_arg(ap, const char *))
        if (*w)
            argv[k++] = w;
    va_end(ap);
    argv[k] = NULL;
    pl_buf_adds(json, (*n)++ ? ",\n  " : "[\n  ");
    handoff_json_argv(json, argv);
    handoff_sh_argv(sh, argv);
}

struct pool {
    const char *id, *cluster, *pool, *loc, *release, *node;
    char conc[NUM_BYTES], surge[NUM_BYTES], max_unavail[NUM_BYTES + 32];
    struct pl_buf *json, *sh;
    size_t *n;
};

static void eks_cmds(struct pool *q)
{
    cmd(q->json, q->sh, q->n, "aws", "eks", "update-nodegroup-config", "--cluster-name", q->cluster,
        "--nodegroup-name", q->pool, "--update-config", q->max_unavail, NULL);
    cmd(q->json, q->sh, q->n, "aws", "eks", "update-nodegroup-version", "--cluster-name",
        q->cluster, "--nodegroup-name", q->pool, q->release[0] ? "--release-version" : "",
        q->release, NULL);
    cmd(q->json, q->sh, q->n, "aws", "eks", "wait", "nodegroup-active", "--cluster-name",
        q->cluster, "--nodegroup-name", q->pool, NULL);
}

static pl_status aks_cmds(struct pool *q, struct pl_error *err)
{
    if (!q->loc[0])
        return pl_error_set(err, PL_E_PARSE,
                            "aks: %s: node '%s' needs cloud_id (the resource group)", q->id,
                            q->node);
    cmd(q->json, q->sh, q->n, "az", "aks", "nodepool", "update", "--resource-group", q->loc,
        "--cluster-name", q->cluster, "--name", q->pool, "--max-surge", q->surge, NULL);
    cmd(q->json, q->sh, q->n, "az", "aks", "nodepool", "upgrade", "--resource-group", q->loc,
        "--cluster-name", q->cluster, "--name", q->pool, "--node-image-only", "--yes", NULL);
    return PL_OK;
}

static void gke_cmds(struct pool *q)
{
    const char *loc_flag = q->loc[0] ? "--location" : "";
    cmd(q->json, q->sh, q->n, "gcloud", "container", "node-pools", "update", q->pool, "--cluster",
        q->cluster, "--max-surge-upgrade", q->conc, "--max-unavailable-upgrade", "0", loc_flag,
        q->loc, NULL);
    cmd(q->json, q->sh, q->n, "gcloud", "container", "clusters", "upgrade", q->cluster,
        "--node-pool", q->pool, "--quiet", loc_flag, q->loc, NULL);
}

static pl_status pool_cmds(const char *which, const char *id, const struct pl_handoff_asset *a,
                           const struct pl_handoff_wave *w, size_t pool_nodes, struct pl_buf *json,
                           struct pl_buf *sh, size_t *n, struct pl_error *err)
{
    struct pool q = {.id = id,
                     .cluster = a->cluster,
                     .pool = a->node_pool,
                     .loc = a->cloud_id,
                     .release = a->image,
                     .node = a->name,
                     .json = json,
                     .sh = sh,
                     .n = n};

    if (handoff_check_host(id, q.cluster, "cluster", err) != PL_OK ||
        handoff_check_host(id, q.pool, "node_pool", err) != PL_OK ||
        (q.loc[0] && handoff_check_host(id, q.loc, "cloud_id", err) != PL_OK) ||
        (q.release[0] && handoff_check_host(id, q.release, "image", err) != PL_OK))
        return handoff_fail(PL_E_PARSE, err, "%s", which);
    /* EKS and AKS take a percentage as such; GKE wants a count of this pool's nodes */
    handoff_conc(w, q.surge, sizeof(q.surge));
    if (snprintf(q.conc, sizeof(q.conc), "%d", handoff_batch(w, pool_nodes)) < 0 ||
        snprintf(q.max_unavail, sizeof(q.max_unavail), "%s=%d",
                 w->concurrency_pct ? "maxUnavailablePercentage" : "maxUnavailable",
                 w->max_concurrency) < 0)
        return PL_E_INTERNAL;
    if (strcmp(which, "eks") == 0)
        eks_cmds(&q);
    else if (strcmp(which, "aks") == 0)
        return aks_cmds(&q, err);
    else
        gke_cmds(&q);
    return PL_OK;
}

pl_status pl_handoff_cloud_pools(const char *which, const struct pl_handoff_plan *p,
                                 const struct pl_handoff_opts *o, struct pl_handoff_out *out,
                                 struct pl_error *err)
{
    char id[ID_BYTES];
    (void)o;
    if (strcmp(which, "eks") != 0 && strcmp(which, "aks") != 0 && strcmp(which, "gke") != 0)
        return pl_error_set(err, PL_E_INVALID, "unknown node pool service '%s'", which);
    for (size_t i = 0; i < p->n_waves; i++) {
        const struct pl_handoff_wave *w = &p->waves[i];
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
        const struct pl_handoff_asset **pools = pl_xcalloc(w->n_assets + 1, sizeof(*pools));
        size_t n_pools = distinct_pools(w, which, pools), n = 0;
        pl_status rc = PL_OK;
        handoff_wave_id(w, id, sizeof(id));
        if (n_pools > 0) {
            struct pl_buf *json = handoff_file(out, "%s/%s.json", which, id);
            struct pl_buf *sh = handoff_file(out, "%s/%s.sh", which, id);
            pl_buf_addf(sh,
                        "#!/bin/sh\n# Patchline hand-off: %s node pool upgrades for wave "
                        "%s.\nset -eu\n",
                        which, id);
            for (size_t k = 0; k < n_pools && rc == PL_OK; k++)
                rc = pool_cmds(which, id, pools[k], w, pool_size(w, pools[k]), json, sh, &n, err);
            pl_buf_adds(json, "\n]\n");
        }
        free(pools);
        if (rc != PL_OK)
            return rc;
    }
    return handoff_out_status(out, err);
}

/* ---- images ------------------------------------------------------------------ */

static pl_status check_ref(const char *id, const char *ref, const char *field, struct pl_error *err)
{
    bool ok = ref[0] != '\0' && ref[0] != '-' && strlen(ref) <= 512;
    for (const char *s = ref; ok && *s; s++)
        ok = (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
             strchr("._-:/@", *s) != NULL;
    if (!ok) {
        struct pl_buf b = PL_BUF_INIT(600);
        pl_escape_terminal(&b, ref);
        pl_error_set(err, PL_E_PARSE, "images: %s: %s '%s' is not an image reference", id, field,
                     pl_buf_cstr(&b));
        pl_buf_release(&b);
        return PL_E_PARSE;
    }
    return PL_OK;
}

struct image {
    const struct pl_handoff_asset *a;
    const char *wave;
    size_t parent; /* index of the base image in the list, or SIZE_MAX */
    bool done;
};

static void emit_image(struct pl_buf *json, struct pl_buf *txt, size_t order,
                       const struct image *im, const struct image *all)
{
    pl_buf_addf(json, "%s\n  {\"order\": %zu, \"image\": ", order > 1 ? "," : "", order);
    pl_escape_json_quoted(json, im->a->image);
    pl_buf_adds(json, ", \"base\": ");
    if (im->a->base[0])
        pl_escape_json_quoted(json, im->a->base);
    else
        pl_buf_adds(json, "null");
    pl_buf_addf(json, ", \"base_rebuilt_first\": %s, \"wave\": \"%s\"}",
                im->parent != SIZE_MAX ? "true" : "false", im->wave);
    pl_buf_addf(txt, "%zu\t%s\t%s%s\n", order, im->a->image, im->a->base[0] ? im->a->base : "-",
                im->parent != SIZE_MAX ? " (rebuilt above)" : "");
    (void)all;
}

/* Kahn's order, stable in plan order: an image comes once its base is done. */
static pl_status order_images(struct image *v, size_t n, struct pl_buf *json, struct pl_buf *txt,
                              struct pl_error *err)
{
    size_t done = 0;
    while (done < n) {
        bool progress = false;
        for (size_t i = 0; i < n; i++) {
            if (v[i].done || (v[i].parent != SIZE_MAX && !v[v[i].parent].done))
                continue;
            v[i].done = true;
            emit_image(json, txt, ++done, &v[i], v);
            progress = true;
        }
        if (!progress) {
            for (size_t i = 0; i < n; i++)
                if (!v[i].done)
                    return pl_error_set(err, PL_E_PARSE,
                                        "images: '%s' is part of a base-image cycle",
                                        v[i].a->image);
        }
    }
    return PL_OK;
}

pl_status pl_handoff_images(const struct pl_handoff_plan *p, const struct pl_handoff_opts *o,
                            struct pl_handoff_out *out, struct pl_error *err)
{
    struct image *v = NULL;
    size_t n = 0, cap = 0;
    char *ids = NULL;
    pl_status rc = PL_OK;
    (void)o;

    ids = pl_xcalloc(p->n_waves + 1, ID_BYTES);
    for (size_t i = 0; i < p->n_waves && rc == PL_OK; i++) {
        const struct pl_handoff_wave *w = &p->waves[i];
        handoff_wave_id(w, ids + i * ID_BYTES, ID_BYTES);
        for (size_t k = 0; k < w->n_assets && rc == PL_OK; k++) {
            const struct pl_handoff_asset *a = &w->assets[k];
            if (strcmp(a->kind, "container-image") != 0)
                continue;
            if ((rc = check_ref(ids + i * ID_BYTES, a->image, "image", err)) != PL_OK ||
                (a->base[0] && (rc = check_ref(ids + i * ID_BYTES, a->base, "base", err)) != PL_OK))
                break;
            v = pl_xgrow(v, n, &cap, 16, sizeof(*v));
            v[n++] = (struct image){a, ids + i * ID_BYTES, SIZE_MAX, false};
        }
    }
    for (size_t i = 0; rc == PL_OK && i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (v[i].a->base[0] && strcmp(v[i].a->base, v[j].a->image) == 0)
                v[i].parent = j;
    if (rc == PL_OK && n > 0) {
        struct pl_buf *json = handoff_file(out, "images/rebuild.json");
        struct pl_buf *txt = handoff_file(out, "images/rebuild.tsv");
        pl_buf_adds(json, "[");
        pl_buf_adds(txt, "order\timage\tbase\n");
        rc = order_images(v, n, json, txt, err);
        pl_buf_adds(json, "\n]\n");
    }
    free(v);
    free(ids);
    return rc == PL_OK ? handoff_out_status(out, err) : rc;
}
