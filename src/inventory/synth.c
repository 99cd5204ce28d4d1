/*
 * synth.c - the deterministic synthetic estate (see synth.h).
 *
 * Every choice comes from a splitmix64 stream seeded by (seed, asset index),
 * so an asset's contents do not depend on how many assets are generated.
 */
#include "patchline/synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/inventory.h"
#include "patchline/version.h"

#include "synth_int.h"

/* The architecture of every synthetic package without one (pl_package wants a mutable string). */
char pl__synth_amd64[] = "amd64";

void pl_synth_opts_init(struct pl_synth_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->seed = 1;
    o->n_assets = 2000;
    o->share_behind = 0.10;
    o->share_kernel_behind = 0.30;
}

/* The value of "Key: value" when line starts with key; else NULL. */
static const char *field(const char *line, size_t len, const char *key, size_t *vlen)
{
    size_t k = strlen(key);

    if (len <= k + 1 || strncmp(line, key, k) != 0 || line[k] != ':')
        return NULL;
    line += k + 1;
    len -= k + 1;
    while (len && (*line == ' ' || *line == '\t'))
        line++, len--;
    *vlen = len;
    return line;
}

/* Finish one stanza: keep it when it named a package and a version. */
static void add_update(struct synth_updates *u, struct synth_update *cur)
{
    if (cur->name && cur->version) {
        u->items = pl_xgrow(u->items, u->n, &u->cap, 1024, sizeof(*u->items));
        if (cur->source == NULL)
            cur->source = pl_xstrdup(cur->name);
        if (cur->source_version == NULL)
            cur->source_version = pl_xstrdup(cur->version);
        u->items[u->n++] = *cur;
    } else {
        free(cur->name);
        free(cur->version);
        free(cur->source);
        free(cur->source_version);
    }
    memset(cur, 0, sizeof(*cur));
}

/* "Source: name" or "Source: name (version)". */
static void parse_source(struct synth_update *cur, const char *v, size_t n)
{
    const char *paren = memchr(v, '(', n);

    if (paren == NULL) {
        cur->source = pl_xstrndup(v, n);
        return;
    }
    cur->source = pl_xstrndup(v, (size_t)(paren - v) - (paren > v && paren[-1] == ' '));
    {
        const char *close = memchr(paren, ')', n - (size_t)(paren - v));

        if (close)
            cur->source_version = pl_xstrndup(paren + 1, (size_t)(close - paren - 1));
    }
}

/* Read a Debian Packages index: Package, Version, Source of every stanza. */
static pl_status load_updates(const char *path, struct synth_updates *u, struct pl_error *err)
{
    struct pl_buf data = PL_BUF_INIT(0);
    struct synth_update cur = {0};
    const char *p, *end;
    pl_status rc = pl_file_read(path, 0, &data, err);

    if (rc != PL_OK)
        return rc;
    p = pl_buf_cstr(&data);
    end = p + data.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p), vlen;
        const char *v;

        if (len == 0)
            add_update(u, &cur);
        else if ((v = field(p, len, "Package", &vlen)) && cur.name == NULL)
            cur.name = pl_xstrndup(v, vlen);
        else if ((v = field(p, len, "Version", &vlen)) && cur.version == NULL)
            cur.version = pl_xstrndup(v, vlen);
        else if ((v = field(p, len, "Source", &vlen)) && cur.source == NULL)
            parse_source(&cur, v, vlen);
        p += len + 1;
    }
    add_update(u, &cur);
    pl_buf_release(&data);
    qsort(u->items, u->n, sizeof(*u->items), pl__synth_update_cmp);
    return PL_OK;
}

/* What one asset is: its kind and the facts that come with it. */
struct shape {
    const char *kind; /* store kind */
    int slot;         /* index into summary by_kind */
    const char *env, *owner, *exposure, *evidence, *criticality;
    char name[96], cloud_id[32], ip[32];
};

static const char *const teams[] = {"payments", "web", "data", "platform", "identity", "search"};
static const char *const roles[] = {"web", "api", "db", "cache", "worker", "batch", "proxy"};

static const char *pick_env(uint64_t *r)
{
    double x = pl__synth_unit(r);

    return x < 0.5 ? "prod" : x < 0.7 ? "staging" : "dev";
}

static void shape_asset(const struct pl_synth_opts *o, size_t i, uint64_t *r, struct shape *sh)
{
    double k = o->hosts_only ? 0.0 : pl__synth_unit(r);
    const char *team = teams[pl__synth_mix(r) % PL_ARRAY_LEN(teams)];
    const char *role = roles[pl__synth_mix(r) % PL_ARRAY_LEN(roles)];
    double e = pl__synth_unit(r);
    int n;

    memset(sh, 0, sizeof(*sh));
    sh->env = pick_env(r);
    sh->owner = pl__synth_unit(r) < 0.04 ? NULL : team; /* a few nobody owns: shadow IT */
    sh->criticality = strcmp(sh->env, "prod") == 0 ? (pl__synth_unit(r) < 0.3 ? "critical" : "high")
                                                   : (pl__synth_unit(r) < 0.5 ? "medium" : "low");
    if (k < 0.40) {
        sh->kind = "host", sh->slot = 0;
        sh->exposure = e < 0.10 ? "yes" : e < 0.85 ? "no" : "unknown";
        n = snprintf(sh->name, sizeof(sh->name), "%s-%s-%s-%04zu", team, sh->env, role, i);
    } else if (k < 0.75) {
        sh->kind = "host", sh->slot = 1;
        sh->exposure = e < 0.20 ? "yes" : "no";
        n = snprintf(sh->name, sizeof(sh->name), "ec2-%s-%s-%04zu", team, role, i);
        if (snprintf(sh->cloud_id, sizeof(sh->cloud_id), "i-0%016llx",
                     (unsigned long long)(pl__synth_mix(r) & 0xffffffffffffffULL)) < 0)
            sh->cloud_id[0] = '\0';
        if (e < 0.20) {
            sh->evidence = "public IP address (synthetic cloud inventory)";
            if (snprintf(sh->ip, sizeof(sh->ip), "203.0.113.%zu", i % 250 + 1) < 0)
                sh->ip[0] = '\0';
        }
    } else if (k < 0.90) {
        sh->kind = "k8s-node", sh->slot = 2;
        sh->exposure = "no";
        n = snprintf(sh->name, sizeof(sh->name), "k8s-%s-node-%04zu", sh->env, i);
    } else {
        sh->kind = "container-image", sh->slot = 3;
        sh->exposure = "unknown";
        n = snprintf(sh->name, sizeof(sh->name), "registry.example/%s/%s:build-%04zu", team, role,
                     i);
    }
    if (n < 0 || (size_t)n >= sizeof(sh->name))
        PL_BUG("synthetic name too long");
}

/* True for the package sets of a minimal container image (a deterministic tenth, plus libc). */
static bool in_image(const char *name, size_t idx)
{
    return idx % 10 == 0 || strcmp(name, "libc6") == 0 || strncmp(name, "libssl", 6) == 0 ||
           strcmp(name, "openssl") == 0 || strcmp(name, "zlib1g") == 0;
}

/* Choose one package's version for this asset; returns true when it stays behind. */
static bool choose(const struct pl_package *base, const struct synth_update *up, double behind,
                   double kernel_behind, uint64_t *r, struct pl_package *out)
{
    bool kernel = strncmp(base->name, "linux-image-", 12) == 0;
    bool stay = up == NULL || pl__synth_unit(r) < (kernel ? kernel_behind : behind);

    out->name = base->name;
    out->arch = base->arch;
    if (stay) {
        out->version = base->version;
        out->source_name = base->source_name;
        out->source_version = base->source_version;
    } else {
        out->version = up->version;
        out->source_name = up->source;
        out->source_version = up->source_version;
    }
    return stay && up != NULL;
}

/* The newer version of each base package, or NULL when the index has none newer. */
static const struct synth_update **match_updates(const struct pl_package_list *base,
                                                 const struct synth_updates *u)
{
    const struct synth_update **m =
        pl_xcalloc(base->n ? base->n : 1, sizeof(const struct synth_update *));

    for (size_t i = 0; i < base->n; i++) {
        const struct synth_update *up = pl__synth_find(u, base->items[i].name);
        int cmp = 0;

        if (up &&
            pl_version_cmp(PL_VSCHEME_DPKG, base->items[i].version, up->version, &cmp, NULL) ==
                PL_OK &&
            cmp < 0)
            m[i] = up;
    }
    return m;
}

static void gen_release(struct synth_gen *g)
{
    pl_package_list_release(&g->base);
    pl__synth_updates_release(&g->updates);
    pl__synth_updates_release(&g->release);
    free(g->bprev);
    free(g->extra_prev);
    free(g->pool_seen);
    free(g->newer);
    free(g->extra);
    free(g->pkgs);
}

/*
 * A versioned kernel image of the release's own series ("linux-image-6.1.0-28-amd64"):
 * not a meta package ("linux-image-amd64", "linux-image-6.12-amd64") nor a backported
 * series ("linux-image-6.12.48+deb12-amd64").
 */
bool pl__synth_is_kernel(const char *name)
{
    size_t n = strlen(name), dots = 0;

    for (const char *p = name; *p; p++)
        dots += *p == '.';
    if (dots < 2 || strchr(name, '+') != NULL)
        return false;
    return strncmp(name, "linux-image-", 12) == 0 && n > 18 &&
           strcmp(name + n - 6, "-amd64") == 0 && strcmp(name, "linux-image-amd64") != 0 &&
           strstr(name, "cloud") == NULL && strstr(name, "-rt-") == NULL &&
           strstr(name, "unsigned") == NULL;
}

/* The newest kernel image of the index, and the one before it (either may be NULL). */
static void newest_kernels(const struct synth_updates *u, const struct synth_update **best,
                           const struct synth_update **prev)
{
    *best = *prev = NULL;
    for (size_t i = 0; i < u->n; i++) {
        int cmp = 1;

        if (!pl__synth_is_kernel(u->items[i].name))
            continue;
        if (*best && pl_version_cmp(PL_VSCHEME_DPKG, u->items[i].version, (*best)->version, &cmp,
                                    NULL) != PL_OK)
            continue;
        if (*best == NULL || cmp > 0) {
            *prev = *best;
            *best = &u->items[i];
        } else if (*prev == NULL || (pl_version_cmp(PL_VSCHEME_DPKG, u->items[i].version,
                                                    (*prev)->version, &cmp, NULL) == PL_OK &&
                                     cmp > 0)) {
            *prev = &u->items[i];
        }
    }
}

static int base_has(const struct pl_package_list *base, const char *name)
{
    for (size_t i = 0; i < base->n; i++)
        if (strcmp(base->items[i].name, name) == 0)
            return 1;
    return 0;
}

/* The bookworm-security Packages index: newer versions of base packages, and extras. */
static pl_status load_security(struct synth_gen *g, struct pl_error *err)
{
    pl_status rc = load_updates(g->o->security_packages, &g->updates, err);

    if (rc != PL_OK)
        return rc;
    g->extra = pl_xcalloc(g->updates.n + 1, sizeof(const struct synth_update *));
    for (size_t i = 0; i < g->updates.n; i++)
        if (!base_has(&g->base, g->updates.items[i].name))
            g->extra[g->n_extra++] = &g->updates.items[i];
    return PL_OK;
}

static pl_status gen_load(struct synth_gen *g, struct pl_error *err)
{
    struct pl_buf data = PL_BUF_INIT(0);
    pl_status rc;

    if (g->o->base_status == NULL || (g->o->security_packages == NULL && g->o->index == NULL))
        return pl_error_set(
            err, PL_E_INVALID,
            "synthetic estate: base status and security Packages index are required");
    if ((rc = pl_file_read(g->o->base_status, 0, &data, err)) != PL_OK)
        return rc;
    rc = pl_dpkg_status_parse(g->o->base_status, pl_buf_cstr(&data), data.len, &g->base, err);
    pl_buf_release(&data);
    if (rc != PL_OK)
        return rc;
    if (g->base.n == 0)
        return pl_error_set(err, PL_E_INVALID, "'%s': no installed packages", g->o->base_status);
    rc = g->o->index ? pl__synth_index_prepare(g, err) : load_security(g, err);
    if (rc != PL_OK)
        return rc;
    g->newer = match_updates(&g->base, &g->updates);
    newest_kernels(&g->updates, &g->kernel, &g->prev_kernel);
    for (size_t i = 0; i < g->base.n; i++)
        g->base_kernel |= pl__synth_is_kernel(g->base.items[i].name);
    g->pkgs = pl_xcalloc(g->base.n + g->n_extra + 2, sizeof(*g->pkgs));
    return PL_OK;
}

/* The kernel of a host whose base set has none: the newest, or the one before it. */
static size_t add_kernel(struct synth_gen *g, size_t n, uint64_t *r, const char **kernel,
                         bool *behind)
{
    const struct synth_update *k;

    if (g->base_kernel || g->kernel == NULL || g->prev_kernel == NULL)
        return n;
    k = pl__synth_unit(r) < g->o->share_kernel_behind ? g->prev_kernel : g->kernel;
    memset(&g->pkgs[n], 0, sizeof(g->pkgs[n]));
    g->pkgs[n].name = k->name;
    g->pkgs[n].version = k->version;
    g->pkgs[n].arch = pl__synth_amd64;
    g->pkgs[n].source_name = k->source;
    g->pkgs[n].source_version = k->source_version;
    *kernel = k->name + 12;
    *behind = k == g->prev_kernel;
    return n + 1;
}

/* Fill g->pkgs for one asset; returns the count. */
static size_t gen_packages(struct synth_gen *g, const struct shape *sh, uint64_t *r,
                           struct pl_synth_summary *sum, const char **kernel)
{
    const struct pl_synth_opts *o = g->o;
    size_t n = 0, want = g->base.n;
    bool image = strcmp(sh->kind, "container-image") == 0;

    if (o->max_packages) {
        want =
            o->min_packages + (size_t)(pl__synth_mix(r) % (o->max_packages - o->min_packages + 1));
        if (want > g->base.n + g->n_extra)
            want = g->base.n + g->n_extra;
    }
    bool kernel_behind = false;

    *kernel = NULL;
    if (o->index && !image) {
        n = add_kernel(g, n, r, kernel, &kernel_behind);
        sum->kernels_behind += kernel_behind;
        return pl__synth_index_packages(g, n, want, r, sum);
    }
    for (size_t i = 0; i < g->base.n && n < want; i++) {
        const struct pl_package *b = &g->base.items[i];
        bool stayed;

        if (image && !in_image(b->name, i))
            continue;
        if (!image && o->max_packages == 0 && pl__synth_unit(r) < 0.03)
            continue; /* hosts differ a little in what they have installed */
        memset(&g->pkgs[n], 0, sizeof(g->pkgs[n]));
        stayed = choose(b, g->newer[i], o->share_behind, o->share_kernel_behind, r, &g->pkgs[n]);
        sum->behind += stayed;
        if (strncmp(b->name, "linux-image-", 12) == 0 &&
            strcmp(b->name, "linux-image-amd64") != 0) {
            *kernel = b->name + 12;
            kernel_behind |= stayed;
        }
        n++;
    }
    if (!image)
        n = add_kernel(g, n, r, kernel, &kernel_behind);
    sum->kernels_behind += kernel_behind;
    /* benchmarks ask for more packages than the base set has: add real ones from the index */
    for (size_t i = 0; o->max_packages && n < want && i < g->n_extra && !image; i++) {
        const struct synth_update *up = g->extra[i];

        memset(&g->pkgs[n], 0, sizeof(g->pkgs[n]));
        g->pkgs[n].name = up->name;
        g->pkgs[n].version = up->version;
        g->pkgs[n].arch = pl__synth_amd64;
        g->pkgs[n].source_name = up->source;
        g->pkgs[n].source_version = up->source_version;
        n++;
    }
    return n;
}

static pl_status gen_asset(struct synth_gen *g, size_t i, struct pl_synth_summary *sum,
                           struct pl_error *err)
{
    uint64_t r = g->o->seed * 0x2545f4914f6cdd1dULL + i;
    struct pl_identifier ids[3];
    struct pl_observation obs;
    struct pl_package_sync sync;
    struct shape sh;
    char key[32];
    const char *kernel;
    size_t n, n_ids = 0;
    int64_t id;
    bool created;
    pl_status rc;

    (void)created;
    shape_asset(g->o, i, &r, &sh);
    n = gen_packages(g, &sh, &r, sum, &kernel);
    if (snprintf(key, sizeof(key), "synth-%zu", i) >= (int)sizeof(key))
        PL_BUG("key");
    if (sh.cloud_id[0])
        ids[n_ids++] = (struct pl_identifier){"cloud-id", sh.cloud_id, NULL};
    if (strcmp(sh.kind, "container-image") == 0)
        ids[n_ids++] = (struct pl_identifier){"image", sh.name, NULL};
    else
        ids[n_ids++] = (struct pl_identifier){"hostname", sh.name, NULL};
    if (sh.ip[0])
        ids[n_ids++] = (struct pl_identifier){"ip", sh.ip, NULL};
    memset(&obs, 0, sizeof(obs));
    obs.source = "synthetic";
    obs.source_key = key;
    obs.ids = ids;
    obs.n_ids = n_ids;
    obs.seen = pl_clock_now();
    obs.name = sh.name;
    obs.kind = sh.kind;
    obs.owner = sh.owner;
    obs.environment = sh.env;
    obs.criticality = sh.criticality;
    obs.exposure = sh.exposure;
    obs.exposure_evidence = sh.evidence;
    obs.os_family = "debian";
    /* --index (benchmarks): the os-release ID, as the host collector records it */
    obs.os_name = "debian"; /* the os-release ID, as the collector records it */
    obs.os_version = "12";
    obs.os_codename = "bookworm";
    obs.arch = "amd64";
    obs.kernel = kernel;
    obs.reboot_required = pl__synth_mix(&r) % 10 < 3;
    obs.has_last_patched = true;
    obs.last_patched = obs.seen - (pl_time_t)(pl__synth_mix(&r) % ((uint64_t)120 * 86400));
    rc = pl_store_asset_observe(g->s, &obs, &id, &created, err);
    if (rc == PL_OK)
        rc = pl_store_packages_sync_from(g->s, id, "synthetic", "dpkg", g->pkgs, n, obs.seen, &sync,
                                         NULL, err);
    if (rc != PL_OK)
        return pl_error_prefix(err, "synthetic asset %zu", i);
    sum->assets++;
    sum->packages += n;
    sum->by_kind[sh.slot]++;
    return PL_OK;
}

pl_status pl_synth_estate(struct pl_store *s, const struct pl_synth_opts *o,
                          struct pl_synth_summary *out, struct pl_error *err)
{
    struct pl_synth_summary sum;
    struct synth_gen g;
    pl_status rc;

    if (o->max_packages && o->min_packages > o->max_packages)
        return pl_error_set(err, PL_E_INVALID,
                            "synthetic estate: --min-packages above --max-packages");
    memset(&g, 0, sizeof(g));
    memset(&sum, 0, sizeof(sum));
    g.s = s;
    g.o = o;
    if ((rc = gen_load(&g, err)) != PL_OK)
        goto out;
    if ((rc = pl_store_begin(s, err)) != PL_OK)
        goto out;
    for (size_t i = 0; i < o->n_assets; i++) {
        if ((rc = gen_asset(&g, i, &sum, err)) != PL_OK) {
            pl_store_rollback(s);
            goto out;
        }
    }
    if ((rc = pl_store_audit(s, "inventory.synthesize", NULL, NULL, err)) != PL_OK) {
        pl_store_rollback(s);
        goto out;
    }
    if ((rc = pl_store_commit(s, err)) != PL_OK)
        goto out;
    *out = sum;
out:
    gen_release(&g);
    return rc;
}
