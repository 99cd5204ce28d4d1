/*
 * handoff_k8s.c - Kubernetes hand-offs: node patch plans (cordon, drain,
 * reboot, wait, uncordon in batches of the ring's concurrency per node
 * pool), kured DaemonSet settings from the window, and managed node pool
 * upgrades for EKS, AKS and GKE. Commands are argv lists, rendered as JSON
 * arrays and as single-quoted shell lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"

#include "handoff_int.h"

#define ID_BYTES  160
#define ARG_BYTES 512
#define MAX_ARGV  24

static bool is_node(const struct pl_handoff_asset *a)
{
    return strcmp(a->kind, "k8s-node") == 0;
}

/* Both renderings of one command. */
struct cmds {
    struct pl_buf *json, *sh;
    size_t n;
};

static void emit(struct cmds *c, const char *step, const char *node, const char *const *argv)
{
    pl_buf_adds(c->json, c->n++ ? ",\n  {\"step\": " : "[\n  {\"step\": ");
    pl_escape_json_quoted(c->json, step);
    pl_buf_adds(c->json, ", \"target\": ");
    pl_escape_json_quoted(c->json, node);
    pl_buf_adds(c->json, ", \"argv\": ");
    handoff_json_argv(c->json, argv);
    pl_buf_adds(c->json, "}");
    handoff_sh_argv(c->sh, argv);
}

static void finish(struct cmds *c)
{
    pl_buf_adds(c->json, c->n ? "\n]\n" : "[]\n");
}

static pl_status check_node(const char *ctx, const struct pl_handoff_asset *a, struct pl_error *err)
{
    if (handoff_check_k8s(ctx, a->name, "name", err) != PL_OK)
        return PL_E_PARSE;
    if (a->node_pool[0] == '\0' || a->cluster[0] == '\0')
        return pl_error_set(err, PL_E_PARSE, "%s: node '%s' needs a cluster and a node_pool", ctx,
                            a->name);
    if (handoff_check_host(ctx, a->node_pool, "node_pool", err) != PL_OK ||
        handoff_check_host(ctx, a->cluster, "cluster", err) != PL_OK)
        return PL_E_PARSE;
    return PL_OK;
}

static int pool_cmp(const void *x, const void *y)
{
    const struct pl_handoff_asset *a = *(const struct pl_handoff_asset *const *)x;
    const struct pl_handoff_asset *b = *(const struct pl_handoff_asset *const *)y;
    int c = strcmp(a->cluster, b->cluster);
    if (c == 0)
        c = strcmp(a->node_pool, b->node_pool);
    return c ? c : (a < b ? -1 : a > b);
}

/* The wave's nodes sorted by cluster and pool (stable: plan order within a pool). */
static pl_status sorted_nodes(const char *ctx, const struct pl_handoff_wave *w,
                              const struct pl_handoff_asset ***out, size_t *n, struct pl_error *err)
{
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
    const struct pl_handoff_asset **v = pl_xcalloc(w->n_assets + 1, sizeof(*v));
    *n = 0;
    for (size_t i = 0; i < w->n_assets; i++) {
        if (!is_node(&w->assets[i]))
            continue;
        if (check_node(ctx, &w->assets[i], err) != PL_OK) {
            free(v);
            return PL_E_PARSE;
        }
        v[(*n)++] = &w->assets[i];
    }
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
    qsort(v, *n, sizeof(*v), pool_cmp);
    *out = v;
    return PL_OK;
}

static bool same_pool(const struct pl_handoff_asset *a, const struct pl_handoff_asset *b)
{
    return strcmp(a->cluster, b->cluster) == 0 && strcmp(a->node_pool, b->node_pool) == 0;
}

/* The first node of node v[i]'s pool (v is sorted by pool). */
static size_t pool_start(const struct pl_handoff_asset *const *v, size_t i)
{
    while (i > 0 && same_pool(v[i - 1], v[i]))
        i--;
    return i;
}

/* The package ecosystem of a node's OS family; NULL when unknown (an image-based node). */
static const char *node_ecosystem(const struct pl_handoff_asset *node)
{
    static const char *const deb[] = {"debian", "ubuntu"};
    static const char *const rpm[] = {"redhat",    "rhel",   "centos", "rocky",
                                      "almalinux", "fedora", "amazon", "oracle"};
    for (size_t i = 0; i < PL_ARRAY_LEN(deb); i++)
        if (strcmp(node->os_family, deb[i]) == 0)
            return "deb";
    for (size_t i = 0; i < PL_ARRAY_LEN(rpm); i++)
        if (strcmp(node->os_family, rpm[i]) == 0)
            return "rpm";
    return NULL;
}

/*
 * The node's own package targets brought up before its reboot, over ssh:
 * deb nodes `apt-get update` then `apt-get install --only-upgrade` of
 * NAME=VERSION, rpm nodes `dnf upgrade` (yum on Amazon Linux 2) of
 * NAME-VERSION. Names and versions passed the package checks (no shell
 * characters). The ecosystem is the node's OS family's (or its own list's);
 * nothing for a node of unknown OS with no list of its own, or without deb
 * or rpm targets.
 */
static void upgrade(struct cmds *c, const struct pl_handoff_wave *w,
                    const struct pl_handoff_asset *node)
{
    size_t n = 0, argc;
    const struct pl_handoff_package *pk = handoff_targets(w, node, &n);
    const char *eco = NULL;
    bool yum = strcmp(node->os_family, "amazon") == 0 && strcmp(node->os_version, "2") == 0;
    const char **argv = pl_xcalloc(n + 12, sizeof(*argv));
    struct pl_buf pins = PL_BUF_INIT(PL_MAX_HANDOFF_FILE_BYTES);
    size_t *at = pl_xcalloc(n + 1, sizeof(*at)), m = 0;

    eco = node_ecosystem(node);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(pk[i].ecosystem, "deb") != 0 && strcmp(pk[i].ecosystem, "rpm") != 0)
            continue;
        if (eco == NULL && node->own_packages)
            eco = pk[i].ecosystem; /* the node's own list says what it runs */
        if (eco == NULL || strcmp(pk[i].ecosystem, eco) != 0)
            continue;
        at[m++] = pins.len;
        pl_buf_addf(&pins, "%s%c%s", pk[i].name, strcmp(eco, "deb") == 0 ? '=' : '-',
                    pk[i].version);
        pl_buf_addch(&pins, '\0');
    }
    if (m > 0 && strcmp(eco, "deb") == 0) {
        const char *a[] = {"ssh", "--", node->name, "sudo", "apt-get", "update", NULL};
        emit(c, "upgrade", node->name, a);
    }
    if (m > 0) {
        const char *head_deb[] = {"ssh",     "--",      node->name, "sudo",
                                  "apt-get", "install", "-y",       "--only-upgrade"};
        const char *head_rpm[] = {"ssh",     "--", node->name, "sudo", yum ? "yum" : "dnf",
                                  "upgrade", "-y"};
        bool deb = strcmp(eco, "deb") == 0;
        argc = deb ? PL_ARRAY_LEN(head_deb) : PL_ARRAY_LEN(head_rpm);
        for (size_t i = 0; i < argc; i++)
            argv[i] = deb ? head_deb[i] : head_rpm[i];
        for (size_t i = 0; i < m; i++)
            argv[argc++] = pins.buf + at[i];
        argv[argc] = NULL;
        emit(c, "upgrade", node->name, argv);
    }
    pl_buf_release(&pins);
    free(at);
    free(argv);
}

/* One batch: every step for every node of the batch before the next step. */
static void batch(struct cmds *c, const struct pl_handoff_wave *w,
                  const struct pl_handoff_asset *const *nodes, size_t n)
{
    static const char *const steps[] = {"cordon", "drain", "upgrade", "reboot", "wait", "uncordon"};
    for (size_t s = 0; s < PL_ARRAY_LEN(steps); s++)
        for (size_t i = 0; i < n; i++) {
            const char *node = nodes[i]->name, *ctxt = nodes[i]->cluster;
            char target[ARG_BYTES];
            if (snprintf(target, sizeof(target), "node/%s", node) < 0)
                target[0] = '\0';
            if (s == 0) {
                const char *a[] = {"kubectl", "--context", ctxt, "cordon", node, NULL};
                emit(c, steps[s], node, a);
            } else if (s == 1) {
                const char *a[] = {"kubectl",
                                   "--context",
                                   ctxt,
                                   "drain",
                                   node,
                                   "--ignore-daemonsets",
                                   "--delete-emptydir-data",
                                   "--timeout=15m",
                                   NULL};
                emit(c, steps[s], node, a);
            } else if (s == 2) {
                upgrade(c, w, nodes[i]);
            } else if (s == 3) {
                const char *a[] = {"ssh", "--", node, "sudo", "systemctl", "reboot", NULL};
                emit(c, steps[s], node, a);
            } else if (s == 4) {
                const char *a[] = {
                    "kubectl", "--context",     ctxt, "wait", "--for=condition=Ready",
                    target,    "--timeout=30m", NULL};
                emit(c, steps[s], node, a);
            } else {
                const char *a[] = {"kubectl", "--context", ctxt, "uncordon", node, NULL};
                emit(c, steps[s], node, a);
            }
        }
}

pl_status pl_handoff_k8s(const struct pl_handoff_plan *p, const struct pl_handoff_opts *o,
                         struct pl_handoff_out *out, struct pl_error *err)
{
    char id[ID_BYTES], conc[32];
    (void)o;
    for (size_t i = 0; i < p->n_waves; i++) {
        const struct pl_handoff_wave *w = &p->waves[i];
        const struct pl_handoff_asset **nodes;
        size_t n, start = 0;
        struct cmds c = {0};
        handoff_conc(w, conc, sizeof(conc));
        handoff_wave_id(w, id, sizeof(id));
        if (sorted_nodes(id, w, &nodes, &n, err) != PL_OK)
            return handoff_fail(PL_E_PARSE, err, "k8s");
        if (n == 0) {
            free(nodes);
            continue;
        }
        c.json = handoff_file(out, "k8s/%s.steps.json", id);
        c.sh = handoff_file(out, "k8s/%s.sh", id);
        pl_buf_addf(c.sh,
                    "#!/bin/sh\n# Patchline hand-off: node patch plan for wave %s, at most %s "
                    "node(s) per pool at a time.\nset -eu\n",
                    id, conc);
        while (start < n) {
            size_t end = start, pool_end = start;
            while (pool_end < n && same_pool(nodes[start], nodes[pool_end]))
                pool_end++;
            /* a percentage is of this pool's nodes in the wave */
            size_t size = (size_t)handoff_batch(w, pool_end - pool_start(nodes, start));
            while (end < pool_end && end - start < size)
                end++;
            pl_buf_addf(c.sh, "# pool %s/%s\n", nodes[start]->cluster, nodes[start]->node_pool);
            batch(&c, w, nodes + start, end - start);
            start = end;
        }
        finish(&c);
        free(nodes);
    }
    return handoff_out_status(out, err);
}

/* ---- kured ------------------------------------------------------------------ */

static void kured_file(struct pl_handoff_out *out, const char *id, const char *cluster,
                       const struct pl_handoff_wave *w, const struct pl_handoff_opts *o, int hour,
                       int minute, uint8_t wd, int concurrency)
{
    int64_t end = (int64_t)hour * 3600 + (int64_t)minute * 60 + w->window.duration_secs -
                  w->window.cutoff_secs;
    struct pl_buf days = PL_BUF_INIT(64), *b;

    for (int d = 0; d < 7; d++)
        if (wd & (1u << d))
            pl_buf_addf(&days, "%s%s", days.len ? "," : "", handoff_wday_lower[d]);
    b = handoff_file(out, "kured/%s-%s.yaml", cluster, id);
    pl_buf_addf(b,
                "# Patchline hand-off: kured settings for cluster %s, wave %s.\n"
                "# kubectl --context %s -n kube-system patch daemonset kured "
                "--type strategic --patch-file THIS_FILE\n"
                "spec:\n  template:\n    spec:\n      containers:\n        - name: kured\n"
                "          command:\n            - /usr/bin/kured\n"
                "            - \"--reboot-days=%s\"\n"
                "            - \"--start-time=%02d:%02d\"\n"
                "            - \"--end-time=%02d:%02d\"\n"
                "            - \"--time-zone=%s\"\n"
                "            - \"--reboot-sentinel=/var/run/reboot-required\"\n"
                "            - \"--lock-ttl=%s\"\n"
                "            - \"--concurrency=%d\"\n",
                cluster, id, cluster, pl_buf_cstr(&days), hour, minute, (int)(end / 3600 % 24),
                (int)(end / 60 % 60), w->window.tz, o->lock_ttl, concurrency);
    pl_buf_release(&days);
}

pl_status pl_handoff_kured(const struct pl_handoff_plan *p, const struct pl_handoff_opts *o,
                           struct pl_handoff_out *out, struct pl_error *err)
{
    char id[ID_BYTES];
    int64_t ttl;
    if (o->lock_ttl == NULL || pl_duration_parse(o->lock_ttl, &ttl, NULL) != PL_OK)
        return pl_error_set(err, PL_E_INVALID, "kured: lock TTL '%s' is not a duration",
                            o->lock_ttl ? o->lock_ttl : "");
    for (size_t i = 0; i < p->n_waves; i++) {
        const struct pl_handoff_wave *w = &p->waves[i];
        const struct pl_handoff_asset **nodes;
        size_t n;
        int hour, minute;
        uint8_t wd;
        handoff_wave_id(w, id, sizeof(id));
        if (sorted_nodes(id, w, &nodes, &n, err) != PL_OK)
            return handoff_fail(PL_E_PARSE, err, "kured");
        pl_status rc = n == 0 ? PL_OK
                              : handoff_weekly_time("kured", "--reboot-days/--start-time",
                                                    &w->window, &hour, &minute, &wd, err);
        if (rc != PL_OK) {
            free(nodes);
            return rc;
        }
        for (size_t k = 0, m; k < n; k += m) {
            /* nodes are sorted by cluster: a percentage is of this cluster's nodes */
            for (m = 1; k + m < n && strcmp(nodes[k + m]->cluster, nodes[k]->cluster) == 0; m++)
                ;
            kured_file(out, id, nodes[k]->cluster, w, o, hour, minute, wd, handoff_batch(w, m));
        }
        free(nodes);
    }
    return handoff_out_status(out, err);
}
