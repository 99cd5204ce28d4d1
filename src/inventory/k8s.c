/*
 * k8s.c - import Kubernetes objects as listed by kubectl:
 *  - `kubectl get nodes -o json` (kind "k8s-nodes"): one asset of kind
 *    k8s-node per node, with its OS, kernel, machine-id, system UUID,
 *    provider id, addresses, the kubelet / kube-proxy / container runtime
 *    versions as packages (ecosystem "k8s-node"), and its topology and
 *    node-pool labels as tags;
 *  - `kubectl get pods -A -o json` (kind "k8s-pods"): one asset of kind
 *    k8s-workload per owning workload (a ReplicaSet counts as its
 *    Deployment) and one of kind container-image per distinct image, the
 *    workload related to each image it runs ("runs-image") and to the
 *    nodes its pods run on ("scheduled-on").
 * Items are streamed one at a time. Source "k8s"; with --scope CLUSTER the
 * source keys and private addresses are scoped to that cluster.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/limits.h"
#include "patchline/parse.h"

#include "scan_int.h"

#define K8S_KEY_BYTES (PL_MAX_ASSET_NAME_BYTES + 64)

/* "SCOPE/what:name" (or "what:name"). */
static void source_key(const struct scan *sc, const char *what, const char *name, char *out,
                       size_t cap)
{
    const char *scope = sc->opts->scope;

    if (snprintf(out, cap, "%s%s%s:%s", scope ? scope : "", scope ? "/" : "", what, name) >=
        (int)cap)
        out[0] = '\0';
}

/* The OS of a node's osImage ("Ubuntu 22.04.3 LTS", "Amazon Linux 2", "Bottlerocket OS 1.19.0"). */
struct os_guess {
    const char *prefix, *id, *family;
};

static void guess_os(const char *image, struct pl_observation *o, char *ver, size_t cap)
{
    static const struct os_guess g[] = {
        {"Ubuntu", "ubuntu", "debian"},
        {"Debian", "debian", "debian"},
        {"Amazon Linux", "amzn", "rhel"},
        {"Red Hat Enterprise Linux CoreOS", "rhcos", "rhel"},
        {"Red Hat Enterprise Linux", "rhel", "rhel"},
        {"Rocky Linux", "rocky", "rhel"},
        {"AlmaLinux", "almalinux", "rhel"},
        {"CentOS", "centos", "rhel"},
        {"Bottlerocket", "bottlerocket", "bottlerocket"},
        {"Container-Optimized OS", "cos", "cos"},
        {"Flatcar", "flatcar", "flatcar"},
        {"Alpine", "alpine", "alpine"},
        {"SUSE", "sles", "suse"},
        {"Windows", "windows", "windows"},
    };
    const char *p;
    size_t n = 0;

    ver[0] = '\0';
    if (image == NULL)
        return;
    for (size_t i = 0; i < PL_ARRAY_LEN(g); i++) {
        if (!pl_starts_with(image, g[i].prefix))
            continue;
        o->os_name = g[i].id;
        o->os_family = g[i].family;
        /* the first word that starts with a digit is the version */
        for (p = image + strlen(g[i].prefix); *p; p++)
            if (*p >= '0' && *p <= '9' && (p[-1] == ' ' || p[-1] == '-'))
                break;
        while (p[n] && p[n] != ' ' && p[n] != '(' && n + 1 < cap)
            n++;
        memcpy(ver, p, n);
        ver[n] = '\0';
        o->os_version = n ? ver : NULL;
        return;
    }
    o->os_name = image; /* unknown: keep it as given */
}

/* The instance id at the end of a providerID ("aws:///eu-west-1a/i-0abc" -> "i-0abc"). */
static const char *provider_instance(const char *pid)
{
    const char *slash = pid ? strrchr(pid, '/') : NULL;

    return slash && slash[1] ? slash + 1 : pid;
}

/* Tags from the labels that place a node: zone, region, instance type, node pool, role. */
static pl_status node_tags(struct scan *sc, int64_t asset, const struct pl_json *labels,
                           struct pl_error *err)
{
    static const struct {
        const char *label, *tag;
    } m[] = {
        {"topology.kubernetes.io/zone", "zone"},
        {"topology.kubernetes.io/region", "region"},
        {"node.kubernetes.io/instance-type", "instance-type"},
        {"eks.amazonaws.com/nodegroup", "nodepool"},
        {"cloud.google.com/gke-nodepool", "nodepool"},
        {"kubernetes.azure.com/agentpool", "nodepool"},
        {"agentpool", "nodepool"},
        {"karpenter.sh/nodepool", "nodepool"},
        {"node.kubernetes.io/pool", "nodepool"},
    };
    char tag[PL_MAX_ASSET_NAME_BYTES + 64];
    pl_status rc = PL_OK;

    for (const struct pl_json *l = labels ? labels->child : NULL; rc == PL_OK && l; l = l->next) {
        const char *v = pl_json_string(l);

        tag[0] = '\0';
        if (pl_starts_with(l->key, "node-role.kubernetes.io/"))
            (void)snprintf(tag, sizeof(tag), "role=%s", l->key + 24);
        for (size_t i = 0; v && v[0] && tag[0] == '\0' && i < PL_ARRAY_LEN(m); i++)
            if (strcmp(l->key, m[i].label) == 0 &&
                snprintf(tag, sizeof(tag), "%s=%s", m[i].tag, v) >= (int)sizeof(tag))
                tag[0] = '\0';
        if (tag[0] && (rc = pl__inventory_scan_check(sc, "metadata.labels", l->key, tag,
                                                     strlen(tag), SCAN_PACKAGE, err)) == PL_OK)
            rc = pl__inventory_scan_tag(sc, asset, tag, err);
    }
    return rc;
}

/* Identifiers from status.addresses (InternalIP, ExternalIP, Hostname, *DNS). */
static pl_status node_addresses(struct scan *sc, const char *where, const struct pl_json *addrs,
                                struct pl_identifier *ids, size_t *n, struct pl_error *err)
{
    for (const struct pl_json *a = addrs ? addrs->child : NULL; a && *n < PL_MAX_IDENTIFIERS;
         a = a->next) {
        const char *type, *addr;
        pl_status rc;

        if ((rc = pl__inventory_scan_str(sc, where, a, "type", SCAN_TOKEN, &type, err)) != PL_OK ||
            (rc = pl__inventory_scan_str(sc, where, a, "address", SCAN_TOKEN, &addr, err)) != PL_OK)
            return rc;
        if (type == NULL || addr == NULL)
            continue;
        if (strcmp(type, "InternalIP") == 0)
            ids[(*n)++] =
                (struct pl_identifier){"ip", addr, sc->opts->scope ? sc->opts->scope : "default"};
        else if (strcmp(type, "ExternalIP") == 0)
            ids[(*n)++] = (struct pl_identifier){"ip", addr, NULL};
        else if (strcmp(type, "Hostname") == 0)
            ids[(*n)++] = (struct pl_identifier){"hostname", addr, NULL};
        else if (strcmp(type, "InternalDNS") == 0 || strcmp(type, "ExternalDNS") == 0)
            ids[(*n)++] = (struct pl_identifier){"fqdn", addr, NULL};
    }
    return PL_OK;
}

/* kubelet, kube-proxy and the container runtime ("containerd://1.7.2") as packages. */
static pl_status node_packages(struct scan *sc, int64_t asset, const struct pl_json *info,
                               struct pl_error *err)
{
    static const char *const fields[] = {"kubeletVersion", "kubeProxyVersion",
                                         "containerRuntimeVersion"};
    static const char *const names[] = {"kubelet", "kube-proxy", NULL};
    struct scan_pkgs p;
    pl_status rc = PL_OK;

    memset(&p, 0, sizeof(p));
    for (size_t i = 0; rc == PL_OK && i < PL_ARRAY_LEN(fields); i++) {
        const char *v, *sep;
        char name[64];

        if ((rc = pl__inventory_scan_str(sc, "status.nodeInfo", info, fields[i], SCAN_TOKEN, &v,
                                         err)) != PL_OK ||
            v == NULL)
            continue;
        if (names[i]) {
            rc = pl__inventory_scan_pkg_add(sc, &p, "k8s-node", names[i], v, NULL, NULL, err);
        } else if ((sep = strstr(v, "://")) != NULL && (size_t)(sep - v) < sizeof(name)) {
            memcpy(name, v, (size_t)(sep - v));
            name[sep - v] = '\0';
            rc = pl__inventory_scan_pkg_add(sc, &p, "k8s-node", name, sep + 3, NULL, NULL, err);
        }
    }
    if (rc == PL_OK)
        rc = pl__inventory_scan_pkg_sync(sc, asset, &p, err);
    pl__inventory_scan_pkgs_release(&p);
    return rc;
}

static pl_status on_node(const struct pl_json *rec, uint64_t index, void *data,
                         struct pl_error *err)
{
    struct scan *sc = data;
    const struct pl_json *meta = pl_json_get(rec, "metadata");
    const struct pl_json *info = pl_json_path(rec, "status.nodeInfo");
    struct pl_identifier ids[PL_MAX_IDENTIFIERS];
    char where[64], key[K8S_KEY_BYTES], ver[64];
    const char *mid, *uuid, *pid, *image;
    struct pl_observation o;
    int64_t asset;
    pl_status rc;

    sc->stats->records++;
    memset(&o, 0, sizeof(o));
    if (snprintf(where, sizeof(where), "items[%llu]", (unsigned long long)index) < 0)
        where[0] = '\0';
    if ((rc = pl__inventory_scan_type(sc, where, rec, "metadata", PL_JSON_OBJECT, false, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, meta, "name", SCAN_TOKEN, &o.name, err)) != PL_OK ||
        (rc = pl__inventory_scan_type(sc, where, rec, "status", PL_JSON_OBJECT, true, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, info, "machineID", SCAN_TOKEN, &mid, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, info, "systemUUID", SCAN_TOKEN, &uuid, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, info, "osImage", SCAN_PACKAGE, &image, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, info, "kernelVersion", SCAN_TOKEN, &o.kernel,
                                     err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, info, "architecture", SCAN_TOKEN, &o.arch, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, pl_json_get(rec, "spec"), "providerID", SCAN_TOKEN,
                                     &pid, err)) != PL_OK)
        return rc;
    if (o.name == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'metadata.name': missing", sc->path,
                            where);
    if (mid)
        ids[o.n_ids++] = (struct pl_identifier){"machine-id", mid, NULL};
    if (pid)
        ids[o.n_ids++] = (struct pl_identifier){"cloud-id", provider_instance(pid), NULL};
    if (uuid)
        ids[o.n_ids++] = (struct pl_identifier){"serial", uuid, NULL};
    if ((rc = node_addresses(sc, where, pl_json_path(rec, "status.addresses"), ids, &o.n_ids,
                             err)) != PL_OK)
        return rc;
    source_key(sc, "node", o.name, key, sizeof(key));
    guess_os(image, &o, ver, sizeof(ver));
    o.source = "k8s";
    o.source_key = key;
    o.ids = ids;
    o.seen = sc->now;
    o.kind = "k8s-node";
    o.reboot_required = -1;
    if ((rc = pl__inventory_scan_observe(sc, &o, &asset, err)) != PL_OK ||
        (rc = node_tags(sc, asset, pl_json_get(meta, "labels"), err)) != PL_OK)
        return rc;
    return node_packages(sc, asset, info, err);
}

/* The workload that owns a pod: kind and name (a ReplicaSet becomes its Deployment). */
static void owner_of(const struct pl_json *meta, const char **kind, char *name, size_t cap)
{
    const struct pl_json *refs = pl_json_get(meta, "ownerReferences"), *ctl = NULL;
    const char *hash = pl_json_string(pl_json_path(meta, "labels.pod-template-hash"));
    const char *on;

    for (const struct pl_json *r = refs ? refs->child : NULL; r; r = r->next) {
        const struct pl_json *c = pl_json_get(r, "controller");

        if (ctl == NULL)
            ctl = r;
        if (c && c->type == PL_JSON_BOOL && strcmp(c->str, "true") == 0) {
            ctl = r; /* the managing controller wins */
            break;
        }
    }
    *kind = pl_json_get_string(ctl, "kind");
    on = pl_json_get_string(ctl, "name");
    if (*kind == NULL || on == NULL) { /* a bare pod is its own workload */
        *kind = "Pod";
        on = pl_json_get_string(meta, "name");
    }
    if (snprintf(name, cap, "%s", on ? on : "") >= (int)cap)
        name[0] = '\0';
    if (strcmp(*kind, "ReplicaSet") == 0 && hash) {
        size_t n = strlen(name), h = strlen(hash);

        if (n > h + 1 && name[n - h - 1] == '-' && strcmp(name + n - h, hash) == 0) {
            name[n - h - 1] = '\0';
            *kind = "Deployment";
        }
    }
}

/* "docker-pullable://nginx@sha256:..." -> "nginx@sha256:..." (the digest identifies it). */
static const char *image_ref(const char *image_id)
{
    const char *p = image_id ? strstr(image_id, "://") : NULL;

    return p ? p + 3 : image_id;
}

static pl_status pod_image(struct scan *sc, const char *where, const struct pl_json *cs,
                           int64_t workload, struct pl_error *err)
{
    struct pl_identifier id;
    struct pl_observation o;
    const char *image, *image_id;
    char key[K8S_KEY_BYTES];
    int64_t asset;
    pl_status rc;

    memset(&o, 0, sizeof(o));
    if ((rc = pl__inventory_scan_str(sc, where, cs, "image", SCAN_TOKEN, &image, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, cs, "imageID", SCAN_TOKEN, &image_id, err)) !=
            PL_OK)
        return rc;
    if (image == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'image': missing", sc->path, where);
    image_id = image_ref(image_id);
    source_key(sc, "image", image_id && image_id[0] ? image_id : image, key, sizeof(key));
    if (image_id && image_id[0]) {
        id = (struct pl_identifier){"image", image_id, NULL};
        o.ids = &id;
        o.n_ids = 1;
    }
    o.source = "k8s";
    o.source_key = key;
    o.seen = sc->now;
    o.name = image;
    o.kind = "container-image";
    o.reboot_required = -1;
    if ((rc = pl__inventory_scan_observe(sc, &o, &asset, err)) != PL_OK)
        return rc;
    return pl_store_asset_relate(sc->s, workload, asset, "runs-image", "k8s", sc->now, err);
}

static pl_status pod_images(struct scan *sc, const char *where, const struct pl_json *rec,
                            int64_t workload, struct pl_error *err)
{
    static const char *const lists[] = {"status.initContainerStatuses", "status.containerStatuses"};
    char place[128];
    pl_status rc = PL_OK;

    for (size_t l = 0; rc == PL_OK && l < PL_ARRAY_LEN(lists); l++) {
        const struct pl_json *arr = pl_json_path(rec, lists[l]);
        size_t i = 0;

        if (arr && arr->type != PL_JSON_ARRAY)
            return pl_error_set(err, PL_E_PARSE, "%s: %s: field '%s': want array, not %s", sc->path,
                                where, lists[l], pl_json_type_name(arr->type));
        for (const struct pl_json *cs = arr ? arr->child : NULL; rc == PL_OK && cs;
             cs = cs->next, i++) {
            if (snprintf(place, sizeof(place), "%s %s[%zu]", where, lists[l] + 7, i) < 0)
                place[0] = '\0';
            rc = pod_image(sc, place, cs, workload, err);
        }
    }
    return rc;
}

/* Relate the workload to the node its pod runs on, when that node is known. */
static pl_status pod_node(struct scan *sc, const char *node, int64_t workload, struct pl_error *err)
{
    struct pl_observation o;
    char key[K8S_KEY_BYTES];
    int64_t asset = 0;
    pl_status rc;

    if (node == NULL)
        return PL_OK;
    source_key(sc, "node", node, key, sizeof(key));
    memset(&o, 0, sizeof(o));
    o.source = "k8s";
    o.source_key = key;
    if ((rc = pl_store_asset_lookup(sc->s, &o, &asset, err)) != PL_OK || asset == 0)
        return rc;
    return pl_store_asset_relate(sc->s, workload, asset, "scheduled-on", "k8s", sc->now, err);
}

static pl_status on_pod(const struct pl_json *rec, uint64_t index, void *data, struct pl_error *err)
{
    struct scan *sc = data;
    const struct pl_json *meta = pl_json_get(rec, "metadata");
    char where[64], owner[PL_MAX_ASSET_NAME_BYTES], name[PL_MAX_ASSET_NAME_BYTES * 2 + 64];
    char key[sizeof(name) + 64], tag[PL_MAX_ASSET_NAME_BYTES + 16];
    const char *ns, *pod, *kind, *node;
    struct pl_observation o;
    int64_t asset;
    pl_status rc;

    sc->stats->records++;
    if (snprintf(where, sizeof(where), "items[%llu]", (unsigned long long)index) < 0)
        where[0] = '\0';
    if ((rc = pl__inventory_scan_type(sc, where, rec, "metadata", PL_JSON_OBJECT, false, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, meta, "name", SCAN_TOKEN, &pod, err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, meta, "namespace", SCAN_TOKEN, &ns, err)) !=
            PL_OK ||
        (rc = pl__inventory_scan_type(sc, where, meta, "ownerReferences", PL_JSON_ARRAY, true,
                                      err)) != PL_OK ||
        (rc = pl__inventory_scan_str(sc, where, pl_json_get(rec, "spec"), "nodeName", SCAN_TOKEN,
                                     &node, err)) != PL_OK)
        return rc;
    if (pod == NULL)
        return pl_error_set(err, PL_E_PARSE, "%s: %s: field 'metadata.name': missing", sc->path,
                            where);
    owner_of(meta, &kind, owner, sizeof(owner));
    if ((rc = pl__inventory_scan_check(sc, where, "ownerReferences.name", owner, strlen(owner),
                                       SCAN_TOKEN, err)) != PL_OK)
        return rc;
    if (snprintf(name, sizeof(name), "%s/%s/%s", ns ? ns : "default", kind, owner) < 0)
        name[0] = '\0';
    source_key(sc, "workload", name, key, sizeof(key));
    memset(&o, 0, sizeof(o));
    o.source = "k8s";
    o.source_key = key;
    o.seen = sc->now;
    o.name = name;
    o.kind = "k8s-workload";
    o.reboot_required = -1;
    if ((rc = pl__inventory_scan_observe(sc, &o, &asset, err)) != PL_OK)
        return rc;
    (void)snprintf(tag, sizeof(tag), "namespace=%s", ns ? ns : "default");
    if ((rc = pl__inventory_scan_tag(sc, asset, tag, err)) != PL_OK ||
        (rc = pod_images(sc, where, rec, asset, err)) != PL_OK)
        return rc;
    return pod_node(sc, node, asset, err);
}

static pl_status run(struct pl_store *s, struct pl_reader *r, const struct pl_inv_import_opts *opts,
                     struct pl_inv_import_stats *stats, pl_json_record_fn fn, struct pl_error *err)
{
    struct scan sc;
    struct pl_json_stream_opts o = {.records_path = "items",
                                    .lines = false,
                                    .max_record = PL_MAX_IMPORT_RECORD_BYTES,
                                    .max_rest = PL_MAX_IMPORT_REST_BYTES,
                                    .on_record = fn,
                                    .on_rest = NULL,
                                    .data = NULL};
    pl_status rc;

    if ((rc = pl__inventory_scan_begin(&sc, s, r, "k8s", opts, stats, err)) != PL_OK)
        return rc;
    o.data = &sc;
    return pl__inventory_scan_json(&sc, r, &o, err);
}

pl_status pl__inventory_import_k8s_nodes(struct pl_store *s, struct pl_reader *r,
                                         const struct pl_inv_import_opts *opts,
                                         struct pl_inv_import_stats *stats, struct pl_error *err)
{
    return run(s, r, opts, stats, on_node, err);
}

pl_status pl__inventory_import_k8s_pods(struct pl_store *s, struct pl_reader *r,
                                        const struct pl_inv_import_opts *opts,
                                        struct pl_inv_import_stats *stats, struct pl_error *err)
{
    return run(s, r, opts, stats, on_pod, err);
}

static bool has_kind(const char *head, size_t n, const char *kind)
{
    char a[64], b[64];

    (void)snprintf(a, sizeof(a), "\"kind\": \"%s\"", kind);
    (void)snprintf(b, sizeof(b), "\"kind\":\"%s\"", kind);
    return pl__inventory_scan_has(head, n, a) || pl__inventory_scan_has(head, n, b);
}

int pl__inventory_detect_k8s_nodes(const char *head, size_t n)
{
    return pl__inventory_scan_has(head, n, "\"items\"") && has_kind(head, n, "Node") ? 90 : 0;
}

int pl__inventory_detect_k8s_pods(const char *head, size_t n)
{
    return pl__inventory_scan_has(head, n, "\"items\"") && has_kind(head, n, "Pod") ? 90 : 0;
}
