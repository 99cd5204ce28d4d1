/*
 * synth_linux.c - the demo's Amazon Linux 2023 and Ubuntu hosts (see synth.h).
 *
 * The package sets come from a snapshot TSV (data/linux-estate.tsv.xz, built
 * from real data by scripts/gen-demo-linux.py): per profile, the packages a
 * host starts from ("base") and their fixed versions ("update"), and two
 * kernels of the same flavour ("kernel-old", "kernel-new": every binary of one
 * ABI with the flavour's meta-packages). Each host moves each package to its
 * update unless it stays behind (share_behind), and takes the new kernel
 * unless it stays behind (share_kernel_behind); a host with the new kernel
 * may keep the old one installed, and may still run it (a reboot pending).
 * Assets are observations of source "synthetic-linux" keyed "synth-linux-N":
 * they never touch the Debian estate's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/file.h"
#include "patchline/synth.h"

#include "synth_int.h"

enum lset { L_BASE, L_UPDATE, L_KOLD, L_KNEW };

struct lrow {
    size_t profile;
    enum lset set;
    char *name, *version, *source, *source_version;
    long update; /* L_BASE: the row of its update, or -1 */
};

struct lprofile {
    const char *id, *prefix, *os_name, *os_version, *codename, *family, *eco;
    char *arch; /* pl_package wants a mutable string */
    bool cloud;
};

static char x86_64[] = "x86_64";

static const struct lprofile profiles[] = {
    {"amazon-2023", "ec2-al2023", "amzn", "2023", NULL, "rhel", "rpm", x86_64, true},
    {"ubuntu-22.04", "ubuntu2204", "ubuntu", "22.04", "jammy", "debian", "dpkg", pl__synth_amd64,
     false},
    {"ubuntu-24.04", "ubuntu2404", "ubuntu", "24.04", "noble", "debian", "dpkg", pl__synth_amd64,
     false},
};

static const char *const lteams[] = {"ml", "data", "platform", "payments", "search"};
static const char *const lroles[] = {"gpu", "queue", "api", "worker", "batch"};

struct lgen {
    struct lrow *rows;
    size_t n, cap;
    struct pl_package *pkgs;
};

static void lgen_release(struct lgen *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->rows[i].name);
        free(g->rows[i].version);
        free(g->rows[i].source);
        free(g->rows[i].source_version);
    }
    free(g->rows);
    free(g->pkgs);
}

static pl_status parse_line(struct lgen *g, const char *path, size_t lineno, char *line,
                            struct pl_error *err)
{
    static const char *const sets[] = {"base", "update", "kernel-old", "kernel-new"};
    char *f[6];
    size_t nf = 0, p;
    struct lrow *r;

    for (char *s = line; nf < 6; nf++) {
        f[nf] = s;
        if ((s = strchr(s, '\t')) == NULL) {
            nf++;
            break;
        }
        *s++ = '\0';
    }
    if (nf != 6)
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: want 6 tab-separated fields, got %zu", path,
                            lineno, nf);
    for (p = 0; p < PL_ARRAY_LEN(profiles) && strcmp(profiles[p].id, f[0]) != 0; p++)
        ;
    if (p == PL_ARRAY_LEN(profiles))
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: field 'profile': unknown profile '%.64s'",
                            path, lineno, f[0]);
    g->rows = pl_xgrow(g->rows, g->n, &g->cap, 256, sizeof(*g->rows));
    r = &g->rows[g->n];
    memset(r, 0, sizeof(*r));
    r->profile = p;
    r->update = -1;
    for (r->set = L_BASE; (size_t)r->set < PL_ARRAY_LEN(sets); r->set++)
        if (strcmp(sets[r->set], f[1]) == 0)
            break;
    if ((size_t)r->set == PL_ARRAY_LEN(sets))
        return pl_error_set(err, PL_E_PARSE, "%s:%zu: field 'set': unknown set '%.64s'", path,
                            lineno, f[1]);
    for (int i = 2; i < 6; i++)
        if (f[i][0] == '\0')
            return pl_error_set(err, PL_E_PARSE, "%s:%zu: field %d: empty", path, lineno, i + 1);
    r->name = pl_xstrdup(f[2]);
    r->version = pl_xstrdup(f[3]);
    r->source = pl_xstrdup(f[4]);
    r->source_version = pl_xstrdup(f[5]);
    g->n++;
    return PL_OK;
}

static pl_status lgen_load(struct lgen *g, const char *path, struct pl_error *err)
{
    struct pl_buf data = PL_BUF_INIT(0);
    pl_status rc = pl_file_read(path, 0, &data, err);
    size_t lineno = 0;

    for (char *p = rc == PL_OK && data.len ? data.buf : NULL; rc == PL_OK && p && *p;) {
        char *nl = strchr(p, '\n');

        if (nl)
            *nl = '\0';
        lineno++;
        if (*p && *p != '#')
            rc = parse_line(g, path, lineno, p, err);
        p = nl ? nl + 1 : NULL;
    }
    pl_buf_release(&data);
    if (rc == PL_OK && g->n == 0)
        rc = pl_error_set(err, PL_E_PARSE, "%s: no package rows", path);
    /* link each base package to its update */
    for (size_t i = 0; rc == PL_OK && i < g->n; i++)
        for (size_t j = 0; g->rows[i].set == L_BASE && j < g->n; j++)
            if (g->rows[j].set == L_UPDATE && g->rows[j].profile == g->rows[i].profile &&
                strcmp(g->rows[j].name, g->rows[i].name) == 0)
                g->rows[i].update = (long)j;
    if (rc == PL_OK)
        g->pkgs = pl_xcalloc(g->n, sizeof(*g->pkgs));
    return rc;
}

static void put(struct pl_package *p, const struct lrow *r, const struct lprofile *pf)
{
    memset(p, 0, sizeof(*p));
    p->name = r->name;
    p->version = r->version;
    p->source_name = r->source;
    p->source_version = r->source_version;
    p->arch = pf->arch;
}

/* Does set `set` of profile p name `name`? */
static bool set_has(const struct lgen *g, size_t p, enum lset set, const char *name)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->rows[i].profile == p && g->rows[i].set == set && strcmp(g->rows[i].name, name) == 0)
            return true;
    return false;
}

/* The release of a kernel set ("6.8.0-1012-nvidia", from its image's name); NULL: none. */
static const char *kernel_release(const struct lgen *g, size_t p, enum lset set)
{
    static const char *const prefixes[] = {"linux-image-unsigned-", "linux-image-"};

    for (size_t k = 0; k < PL_ARRAY_LEN(prefixes); k++)
        for (size_t i = 0; i < g->n; i++) {
            const char *nm = g->rows[i].name;
            size_t n = strlen(prefixes[k]);

            if (g->rows[i].profile == p && g->rows[i].set == set &&
                strncmp(nm, prefixes[k], n) == 0 && nm[n] >= '0' && nm[n] <= '9')
                return nm + n;
        }
    return NULL;
}

/* Fill g->pkgs for one host of profile p; the running kernel into *running. */
static size_t host_packages(struct lgen *g, size_t p, const struct pl_synth_opts *o, uint64_t *r,
                            struct pl_synth_summary *sum, const char **running, bool *reboot)
{
    const struct lprofile *pf = &profiles[p];
    /* three draws whatever the kernel's state, so that every package's draw below is the
     * same for every share: a host at a lower share has every update it had at a higher one */
    double u_new = pl__synth_unit(r), u_runs = pl__synth_unit(r), u_keep = pl__synth_unit(r);
    bool knew = u_new >= o->share_kernel_behind;
    bool runs_old = knew && u_runs < 0.3;
    /* a kernel that runs stays installed; one that does not, often enough too */
    bool keep_old = knew && (runs_old || u_keep < 0.5);
    size_t n = 0;

    sum->kernels_behind += !knew || runs_old;
    for (size_t i = 0; i < g->n; i++) {
        const struct lrow *row = &g->rows[i];

        if (row->profile != p)
            continue;
        if (row->set == L_BASE) {
            bool stay = row->update >= 0 && pl__synth_unit(r) < o->share_behind;

            sum->behind += stay;
            put(&g->pkgs[n++], row->update >= 0 && !stay ? &g->rows[row->update] : row, pf);
        } else if ((row->set == L_KNEW && knew) ||
                   (row->set == L_KOLD &&
                    (!knew || (keep_old && !set_has(g, p, L_KNEW, row->name))))) {
            put(&g->pkgs[n++], row, pf);
        }
    }
    *running = kernel_release(g, p, knew && !runs_old ? L_KNEW : L_KOLD);
    *reboot = runs_old;
    return n;
}

static pl_status linux_asset(struct pl_store *s, struct lgen *g, const struct pl_synth_opts *o,
                             size_t i, struct pl_synth_summary *sum, struct pl_error *err)
{
    uint64_t r = o->seed * 0x9fb21c651e98df25ULL + i;
    size_t p = i % 2 == 0 ? 0 : (i / 2) % 2 == 0 ? 1 : 2;
    const struct lprofile *pf = &profiles[p];
    const char *team = lteams[pl__synth_mix(&r) % PL_ARRAY_LEN(lteams)];
    const char *role = lroles[pl__synth_mix(&r) % PL_ARRAY_LEN(lroles)];
    double env = pl__synth_unit(&r), e = pl__synth_unit(&r);
    char name[96], key[40], cloud[32], ip[32];
    struct pl_identifier ids[3];
    struct pl_observation obs;
    struct pl_package_sync sync;
    const char *running = NULL;
    bool reboot = false, created;
    size_t n, n_ids = 0;
    int64_t id;
    pl_status rc;

    memset(&obs, 0, sizeof(obs));
    obs.environment = env < 0.5 ? "prod" : env < 0.7 ? "staging" : "dev";
    obs.criticality = strcmp(obs.environment, "prod") == 0
                          ? (pl__synth_unit(&r) < 0.3 ? "critical" : "high")
                          : (pl__synth_unit(&r) < 0.5 ? "medium" : "low");
    obs.owner = team;
    obs.exposure = e < 0.15 ? "yes" : "no";
    snprintf(name, sizeof(name), "%s-%s-%s-%04zu", pf->prefix, team, role, i);
    snprintf(key, sizeof(key), "synth-linux-%zu", i);
    if (pf->cloud && snprintf(cloud, sizeof(cloud), "i-0%016llx",
                              (unsigned long long)(pl__synth_mix(&r) & 0xffffffffffffffULL)) > 0)
        ids[n_ids++] = (struct pl_identifier){"cloud-id", cloud, NULL};
    ids[n_ids++] = (struct pl_identifier){"hostname", name, NULL};
    if (e < 0.15 && snprintf(ip, sizeof(ip), "198.51.100.%zu", i % 250 + 1) > 0) {
        ids[n_ids++] = (struct pl_identifier){"ip", ip, NULL};
        obs.exposure_evidence = "public IP address (synthetic cloud inventory)";
    }
    n = host_packages(g, p, o, &r, sum, &running, &reboot);
    obs.source = "synthetic-linux";
    obs.source_key = key;
    obs.ids = ids;
    obs.n_ids = n_ids;
    obs.seen = pl_clock_now();
    obs.name = name;
    obs.kind = "host";
    obs.os_family = pf->family;
    obs.os_name = pf->os_name;
    obs.os_version = pf->os_version;
    obs.os_codename = pf->codename;
    obs.arch = pf->arch;
    obs.kernel = running;
    obs.reboot_required = reboot;
    obs.has_last_patched = true;
    obs.last_patched = obs.seen - (pl_time_t)(pl__synth_mix(&r) % ((uint64_t)60 * 86400));
    rc = pl_store_asset_observe(s, &obs, &id, &created, err);
    if (rc == PL_OK)
        rc = pl_store_packages_sync_from(s, id, "synthetic-linux", pf->eco, g->pkgs, n, obs.seen,
                                         &sync, NULL, err);
    if (rc != PL_OK)
        return pl_error_prefix(err, "synthetic Linux asset %zu", i);
    sum->assets++;
    sum->packages += n;
    sum->by_kind[pf->cloud ? 1 : 0]++;
    return PL_OK;
}

pl_status pl_synth_linux(struct pl_store *s, const struct pl_synth_opts *o,
                         struct pl_synth_summary *out, struct pl_error *err)
{
    struct pl_synth_summary sum;
    struct lgen g;
    pl_status rc;

    memset(&g, 0, sizeof(g));
    memset(&sum, 0, sizeof(sum));
    if (o->linux_sets == NULL)
        return pl_error_set(err, PL_E_INVALID, "synthetic Linux estate: no package sets file");
    if ((rc = lgen_load(&g, o->linux_sets, err)) != PL_OK)
        goto out;
    if ((rc = pl_store_begin(s, err)) != PL_OK)
        goto out;
    for (size_t i = o->first; rc == PL_OK && i < o->n_assets; i++)
        rc = linux_asset(s, &g, o, i, &sum, err);
    if (rc == PL_OK)
        rc = pl_store_audit(s, "inventory.synthesize", NULL, NULL, err);
    if (rc != PL_OK) {
        pl_store_rollback(s);
        goto out;
    }
    if ((rc = pl_store_commit(s, err)) != PL_OK)
        goto out;
    *out = sum;
out:
    lgen_release(&g);
    return rc;
}
