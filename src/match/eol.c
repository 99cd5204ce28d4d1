/*
 * eol.c - end of life as findings. An asset's software whose release cycle
 * has left security support (endoflife.date, eol_data.c) is a finding with
 * vulnerability id "eol:PRODUCT:CYCLE", on the SLA clock like any other:
 * RDS and Aurora engines (database assets: engine and engine version),
 * Lambda runtimes (function assets), appliance operating systems known by
 * CPE (FortiOS, PAN-OS, IOS XE), EKS clusters (cluster assets: the
 * Kubernetes version, to the end of standard support). The finding's fixed version is the
 * remedy: the latest version of the supported cycle of the same family
 * whose support ends first. The operating system of a host, endpoint or
 * Kubernetes node (Debian, Ubuntu, the RHEL family, Alpine, Amazon Linux,
 * SLES, Windows Server) past its end of security support is one too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/parse.h"
#include "patchline/version.h"

#include "eol_int.h"
#include "scan_int.h"

/*
 * The table in use: the shipped one, or (pl__match_eol_load) the shipped
 * one with every product that `feed import eol` brought replaced by the
 * imported cycles.
 */
static struct {
    const struct pl__eol_cycle *v;
    size_t n;
    struct pl__eol_cycle *own; /* imported: strings in buf */
    struct pl_buf buf;
    bool imported;
} eol_tab;

static const struct pl__eol_cycle *cycles(size_t *n)
{
    if (eol_tab.v == NULL) {
        eol_tab.v = pl__eol_cycles;
        eol_tab.n = pl__eol_n_cycles;
    }
    *n = eol_tab.n;
    return eol_tab.v;
}

const char *pl__match_eol_source(void)
{
    return eol_tab.imported ? "feed import" : pl__eol_table_date;
}

/* Which date ends security support, per product (as scripts/gen-eol-data.py decides it). */
static const char *end_of(const struct pl_eol_cycle_row *c)
{
    const char *end = c->eol;

    if (strcmp(c->product, "aws-lambda") == 0)
        end = c->eoas; /* the runtime's deprecation: no more security patches */
    else if (strcmp(c->product, "debian") == 0 && c->eoes)
        end = c->eoes; /* Debian LTS: free, in the same security archive */
    if (end == NULL)
        return "";
    return strcmp(end, "true") == 0 ? "passed" : end;
}

#define EOL_FIELDS 6

struct load {
    struct pl_buf offs; /* per cycle: EOL_FIELDS offsets into eol_tab.buf */
    size_t n;
    struct pl_buf products; /* "\nproduct\n" of each imported product */
};

static pl_status on_cycle(void *ctx, const struct pl_eol_cycle_row *c, struct pl_error *err)
{
    struct load *l = ctx;
    const char *f[EOL_FIELDS] = {c->product,
                                 c->cycle,
                                 end_of(c),
                                 c->latest ? c->latest : "",
                                 c->release_date ? c->release_date : "",
                                 c->latest && c->latest_date ? c->latest_date : ""};
    char key[300];

    (void)err;
    snprintf(key, sizeof(key), "\n%s\n", c->product);
    if (strstr(pl_buf_cstr(&l->products), key) == NULL)
        pl_buf_addf(&l->products, "%s", key + (l->products.len ? 1 : 0));
    for (size_t i = 0; i < EOL_FIELDS; i++) {
        size_t off = eol_tab.buf.len;

        pl_buf_add(&l->offs, &off, sizeof(off));
        pl_buf_add(&eol_tab.buf, f[i], strlen(f[i]) + 1);
    }
    l->n++;
    return pl_buf_status(&eol_tab.buf) == PL_OK ? pl_buf_status(&l->offs)
                                                : pl_buf_status(&eol_tab.buf);
}

void pl__match_eol_release(void)
{
    free(eol_tab.own);
    pl_buf_release(&eol_tab.buf);
    memset(&eol_tab, 0, sizeof(eol_tab));
}

pl_status pl__match_eol_load(struct pl_store *s, struct pl_error *err)
{
    struct load l = {PL_BUF_INIT(0), 0, PL_BUF_INIT(0)};
    char key[300];
    size_t k = 0;
    pl_status rc;

    pl__match_eol_release();
    eol_tab.buf = (struct pl_buf)PL_BUF_INIT(0);
    pl_buf_adds(&l.products, "\n");
    rc = pl_store_eol_cycles_each(s, on_cycle, &l, err);
    if (rc == PL_OK && l.n > 0) {
        const size_t *off = (const size_t *)(const void *)pl_buf_cstr(&l.offs);
        const char *b = pl_buf_cstr(&eol_tab.buf);

        eol_tab.own = pl_xcalloc(l.n + pl__eol_n_cycles, sizeof(*eol_tab.own));
        for (size_t i = 0; i < pl__eol_n_cycles; i++) { /* the shipped products not imported */
            snprintf(key, sizeof(key), "\n%s\n", pl__eol_cycles[i].product);
            if (strstr(pl_buf_cstr(&l.products), key) == NULL)
                eol_tab.own[k++] = pl__eol_cycles[i];
        }
        for (size_t i = 0; i < l.n; i++) {
            const size_t *o = off + EOL_FIELDS * i;

            eol_tab.own[k++] =
                (struct pl__eol_cycle){b + o[0], b + o[1], b + o[2], b + o[3], b + o[4], b + o[5]};
        }
        eol_tab.v = eol_tab.own;
        eol_tab.n = k;
        eol_tab.imported = true;
    }
    pl_buf_release(&l.offs);
    pl_buf_release(&l.products);
    if (rc != PL_OK)
        pl__match_eol_release();
    return rc;
}

const struct pl__eol_cycle *pl__match_eol_cycle_of(const char *product, const char *version)
{
    const struct pl__eol_cycle *best = NULL;

    size_t nc;
    const struct pl__eol_cycle *all = cycles(&nc);

    if (version == NULL)
        return NULL;
    for (size_t i = 0; i < nc; i++) {
        const struct pl__eol_cycle *c = &all[i];
        size_t n = strlen(c->cycle);

        if (strcmp(c->product, product) != 0 || strncmp(c->cycle, version, n) != 0 ||
            (version[n] != '\0' && version[n] != '.'))
            continue;
        if (best == NULL || n < strlen(best->cycle))
            best = c;
    }
    return best;
}

bool pl__match_eol_ended(const struct pl__eol_cycle *c, pl_time_t now, pl_time_t *when)
{
    *when = 0;
    if (strcmp(c->end, "passed") == 0)
        return true;
    if (c->end[0] == '\0' || pl_time_parse(c->end, when, NULL) != PL_OK) {
        *when = 0;
        return false;
    }
    return *when <= now;
}

/* The letters before a cycle's first digit: a Lambda runtime's language ("python" of python3.8). */
static size_t family(const char *cycle)
{
    return strcspn(cycle, "0123456789");
}

const struct pl__eol_cycle *pl__match_eol_remedy(const char *product, const char *cycle,
                                                 pl_time_t now)
{
    const struct pl__eol_cycle *best = NULL;
    pl_time_t best_end = 0;
    size_t fam = family(cycle), nc;
    const struct pl__eol_cycle *all = cycles(&nc);

    for (size_t i = 0; i < nc; i++) {
        const struct pl__eol_cycle *c = &all[i];
        pl_time_t end;

        /* the same language for runtimes: python3.8 moves to a python, not to a ruby */
        if (strcmp(c->product, product) != 0 || family(c->cycle) != fam ||
            strncmp(c->cycle, cycle, fam) != 0 || pl__match_eol_ended(c, now, &end))
            continue;
        if (end == 0)
            end = INT64_MAX; /* supported with no end date: after every dated one */
        if (best == NULL || end < best_end ||
            (end == best_end && strlen(c->cycle) < strlen(best->cycle)))
            best = c, best_end = end;
    }
    return best;
}

static uint32_t fnv(uint32_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 16777619u;
    return (h ^ 0x1f) * 16777619u;
}

uint32_t pl__match_eol_tables_digest(void)
{
    /* "delta": since imported tables record their delta (match_delta, ecosystem "eol"), a
     * partial scan checks only the products a delta names; a state written before may have an
     * import after it that recorded none: matched whole once */
    return fnv(fnv(fnv(2166136261u, pl__eol_table_date), pl__dss_version), "delta");
}

/* An end-of-life date the asset's findings depend on: into its window (scan_int.h). */
static void window(struct pl__asset_scan *as, const char *end, pl_time_t now)
{
    pl_time_t when;

    if (end[0] == '\0' || pl_time_parse(end, &when, NULL) != PL_OK)
        return; /* "passed", none or unreadable: the same at every now */
    if (when <= now && when > as->eol_lo)
        as->eol_lo = when;
    else if (when > now && when < as->eol_hi)
        as->eol_hi = when;
}

const char *pl__match_eol_cpe_product(const char *vendor_product)
{
    static const char *const m[][2] = {
        {"fortinet:fortios", "fortios"},         {"paloaltonetworks:pan-os", "pan-os"},
        {"cisco:ios_xe", "cisco-ios-xe"},        {"google:chrome", "chrome"},
        {"mozilla:firefox", "firefox"},          {"mozilla:firefox_esr", "firefox"},
        {"postgresql:postgresql", "postgresql"}, {"nodejs:node.js", "nodejs"},
    };

    for (size_t i = 0; vendor_product && i < PL_ARRAY_LEN(m); i++)
        if (strcmp(vendor_product, m[i][0]) == 0)
            return m[i][1];
    return NULL;
}

const char *pl__match_eol_class(const char *product)
{
    static const char *const m[][2] = {
        {"fortios", "network-appliance"},
        {"pan-os", "network-appliance"},
        {"cisco-ios-xe", "network-appliance"},
        {"aws-lambda", "runtime"},
        {"amazon-eks", "os"},
        {"azure-kubernetes-service", "os"},
        {"google-kubernetes-engine", "os"},
        {"chrome", "browser"},
        {"firefox", "browser"},
        {"windows-server", "os"},
        {"debian", "os"},
        {"ubuntu", "os"},
        {"rhel", "os"},
        {"centos", "os"},
        {"almalinux", "os"},
        {"rocky-linux", "os"},
        {"oracle-linux", "os"},
        {"alpine-linux", "os"},
        {"amazon-linux", "os"},
        {"sles", "os"},
    };

    if (product == NULL)
        return NULL;
    if (strncmp(product, "amazon-rds-", 11) == 0 || strncmp(product, "amazon-aurora-", 14) == 0)
        return "database";
    for (size_t i = 0; i < PL_ARRAY_LEN(m); i++)
        if (strcmp(product, m[i][0]) == 0)
            return m[i][1];
    return NULL;
}

bool pl__match_eol_released(struct pl_store *s, const char *product, const char *version, bool line,
                            struct pl__eol_date *out)
{
    const struct pl__eol_cycle *c;
    const char *d = NULL;

    memset(out, 0, sizeof(*out));
    if (product == NULL || version == NULL || version[0] == '\0')
        return false;
    if (s) {
        struct pl_error e = PL_ERROR_INIT;

        if (pl_store_eol_version_date(s, product, version, out->date, &e) == PL_OK &&
            out->date[0]) {
            snprintf(out->what, sizeof(out->what), "%s %s", product, version);
            snprintf(out->source, sizeof(out->source), "endoflife.date release data");
            return true;
        }
        out->date[0] = '\0';
    }
    if ((c = pl__match_eol_cycle_of(product, version)) == NULL)
        return false;
    if (c->latest[0] && strcmp(c->latest, version) == 0 && c->latest_date[0])
        d = c->latest_date; /* the cycle's latest version */
    else if (strcmp(c->cycle, version) == 0 && c->released[0])
        d = c->released; /* the cycle's own first release */
    if (d)
        snprintf(out->what, sizeof(out->what), "%s %s", product, version);
    else if (line && c->released[0])
        snprintf(out->what, sizeof(out->what),
                 "%s release line %s (first release; %s has no date "
                 "of its own)",
                 product, c->cycle, version),
            d = c->released;
    if (d == NULL || strlen(d) != 10)
        return false;
    memcpy(out->date, d, 11);
    snprintf(out->source, sizeof(out->source), "endoflife.date %s", pl__match_eol_source());
    return true;
}

/* The endoflife.date product of an RDS/Aurora engine name as `describe-db-instances` gives it. */
static const char *engine_product(const char *engine)
{
    static const char *const m[][2] = {
        {"postgres", "amazon-rds-postgresql"},
        {"mysql", "amazon-rds-mysql"},
        {"mariadb", "amazon-rds-mariadb"},
        {"aurora-postgresql", "amazon-aurora-postgresql"},
    };

    for (size_t i = 0; engine && i < PL_ARRAY_LEN(m); i++)
        if (pl_strcasecmp(engine, m[i][0]) == 0)
            return m[i][1];
    return NULL;
}

/* The endoflife.date product of an appliance OS CPE ("o:fortinet:fortios"). */
static const char *cpe_product(const char *vendor, const char *product)
{
    static const char *const m[][3] = {
        {"fortinet", "fortios", "fortios"},
        {"paloaltonetworks", "pan-os", "pan-os"},
        {"cisco", "ios_xe", "cisco-ios-xe"},
    };

    for (size_t i = 0; i < PL_ARRAY_LEN(m); i++)
        if (strcmp(vendor, m[i][0]) == 0 && strcmp(product, m[i][1]) == 0)
            return m[i][2];
    return NULL;
}

/*
 * The endoflife.date product of an operating system (os-release ID as the
 * asset stores it). Windows Server is found by its build (os_windows_cycle).
 */
static const char *os_product(const char *os_name)
{
    static const char *const m[][2] = {
        {"debian", "debian"},       {"ubuntu", "ubuntu"},     {"rhel", "rhel"},
        {"redhat", "rhel"},         {"centos", "centos"},     {"almalinux", "almalinux"},
        {"rocky", "rocky-linux"},   {"ol", "oracle-linux"},   {"oracle", "oracle-linux"},
        {"alpine", "alpine-linux"}, {"amzn", "amazon-linux"}, {"amazon", "amazon-linux"},
        {"sles", "sles"},
    };

    for (size_t i = 0; os_name && i < PL_ARRAY_LEN(m); i++)
        if (pl_strcasecmp(os_name, m[i][0]) == 0)
            return m[i][1];
    return NULL;
}

/*
 * A Windows Server release from its build ("10.0.20348.4773" -> 2022): the
 * cycle whose latest build is the asset's major.minor.build, the long-term
 * release before a semi-annual one of the same build (2019, not 1809-sac).
 */
static const struct pl__eol_cycle *os_windows_cycle(const char *build)
{
    const struct pl__eol_cycle *best = NULL;
    size_t nc;
    const struct pl__eol_cycle *all = cycles(&nc);

    for (size_t i = 0; build && i < nc; i++) {
        const struct pl__eol_cycle *c = &all[i];
        size_t n = strlen(c->latest);

        if (strcmp(c->product, "windows-server") != 0 || n == 0 ||
            strncmp(c->latest, build, n) != 0 || (build[n] != '\0' && build[n] != '.'))
            continue;
        if (best == NULL || (strchr(best->cycle, '-') && !strchr(c->cycle, '-')))
            best = c;
    }
    return best;
}

/* Whether the asset already has the end-of-life finding vuln (the same software seen twice). */
static bool has_eol(const struct pl__asset_scan *as, const char *vuln)
{
    for (size_t i = 0; i < as->n_svs; i++)
        if (as->svs[i].evidence && strcmp(as->svs[i].vuln, vuln) == 0)
            return true;
    return false;
}

/* An end-of-life finding of the asset: the matcher's own, with its evidence. */
static void add_eol(struct pl__asset_scan *as, const char *vuln, const char *package,
                    const char *installed, const char *fixed, const struct pl_buf *ev)
{
    struct pl__sv *v;

    as->svs = pl_xgrow(as->svs, as->n_svs, &as->cap_svs, 64, sizeof(*as->svs));
    v = &as->svs[as->n_svs++];
    memset(v, 0, sizeof(*v));
    v->source = "match";
    v->feed = "eol";
    v->status = "open";
    v->vuln = pl_arena_strndup(&as->arena, vuln, strlen(vuln));
    v->package = pl_arena_strndup(&as->arena, package, strlen(package));
    v->installed = installed ? pl_arena_strndup(&as->arena, installed, strlen(installed)) : NULL;
    v->fixed = fixed ? pl_arena_strndup(&as->arena, fixed, strlen(fixed)) : NULL;
    v->evidence = pl_arena_strndup(&as->arena, pl_buf_cstr(ev), ev->len);
}

/*
 * A database engine behind the latest minor version of its cycle ("15.3" of
 * cycle 15 whose latest is 15.18): the finding "lag:PRODUCT:CYCLE" with that
 * latest version as its fix (the minor upgrade, not a project).
 */
static void lag(struct pl__asset_scan *as, const struct pl__eol_cycle *c, const char *product,
                const char *version, const char *what)
{
    struct pl_buf ev = PL_BUF_INIT(1024);
    char vuln[200];
    int cmp = 0, n;

    if (c->latest[0] == '\0' ||
        pl_version_cmp(PL_VSCHEME_RPMVERCMP, version, c->latest, &cmp, NULL) != PL_OK || cmp >= 0)
        return;
    n = snprintf(vuln, sizeof(vuln), "lag:%s:%s", product, c->cycle);
    if (n < 0 || (size_t)n >= sizeof(vuln) || has_eol(as, vuln))
        return;
    pl_buf_addf(&ev, "%s %s %s: behind %s, the latest minor version of cycle %s", what, product,
                version, c->latest, c->cycle);
    if (c->latest_date[0])
        pl_buf_addf(&ev, " (released %s)", c->latest_date);
    pl_buf_addf(&ev, " (endoflife.date %s; rpmvercmp order)", pl__match_eol_source());
    add_eol(as, vuln, product, version, c->latest, &ev);
    pl_buf_release(&ev);
}

/* The managed Kubernetes services, whose clusters' OS is their product. */
static bool managed_k8s(const char *product)
{
    return strcmp(product, "amazon-eks") == 0 || strcmp(product, "azure-kubernetes-service") == 0 ||
           strcmp(product, "google-kubernetes-engine") == 0;
}

/* Add "name\n" to the asset's eol_runs list (scan_int.h) once. */
static void runs_add(struct pl_buf *runs, const char *name)
{
    size_t n = strlen(name);
    const char *b = pl_buf_cstr(runs);

    for (const char *p = b; p && *p;) {
        size_t len = strcspn(p, "\n");

        if (len == n && memcmp(p, name, n) == 0)
            return;
        p += len + (p[len] == '\n');
    }
    pl_buf_addf(runs, "%s\n", name);
}

/* Record one piece of software: listed for the close proof; a finding when its cycle has ended. */
static void one(struct pl__scan *sc, struct pl__asset_scan *as, struct pl_buf *have,
                struct pl_buf *runs, const char *product, const char *version, const char *what)
{
    const struct pl__eol_cycle *c = pl__match_eol_cycle_of(product, version), *fix, *all;
    struct pl_buf ev = PL_BUF_INIT(1024);
    size_t nc;
    char vuln[200], date[16];
    const char *fixed;
    pl_time_t when, fend;
    int n;

    runs_add(runs, product); /* its findings are checked when its data or dates move */
    if (c == NULL)
        return;
    all = cycles(&nc);
    /* the finding, its remedy and the remedy's end follow the end dates of every cycle of
     * the product: the asset is matched again when one passes */
    for (size_t i = 0; i < nc; i++)
        if (strcmp(all[i].product, product) == 0)
            window(as, all[i].end, sc->o->now);
    pl_buf_addf(have, "%s\t%s\t%s\n", product, version, c->cycle);
    if (strcmp(what, "engine") == 0)
        lag(as, c, product, version, what); /* RDS/Aurora: the minor upgrade */
    n = snprintf(vuln, sizeof(vuln), "eol:%s:%s", product, c->cycle);
    if (!pl__match_eol_ended(c, sc->o->now, &when) || n < 0 || (size_t)n >= sizeof(vuln))
        return;
    if (has_eol(as, vuln))
        return; /* the same software seen twice */
    fix = pl__match_eol_remedy(product, c->cycle, sc->o->now);
    pl_buf_addf(&ev, "%s %s %s: cycle %s past end of support", what, product, version, c->cycle);
    if (when)
        pl_buf_addf(&ev, " since %s", pl_date_format(when, date));
    pl_buf_addf(&ev, " (endoflife.date %s)", pl__match_eol_source());
    if (fix) {
        pl_buf_addf(&ev, "; upgrade to cycle %s", fix->cycle);
        if (fix->latest[0])
            pl_buf_addf(&ev, " (latest %s)", fix->latest);
        if (!pl__match_eol_ended(fix, sc->o->now, &fend) && fend)
            pl_buf_addf(&ev, ", supported until %s", pl_date_format(fend, date));
    }
    /* a managed cluster moves to a Kubernetes minor version ("1.34"); EKS's latest
     * ("1.34-eks-27") is the platform version AWS applies by itself, GKE's the patch Google
     * picks */
    fixed = fix == NULL ? NULL : fix->latest[0] && !managed_k8s(product) ? fix->latest : fix->cycle;
    add_eol(as, vuln, product, version, fixed, &ev);
    pl_buf_release(&ev);
}

/*
 * Debian's own early ends (debian-security-support): a dpkg package whose
 * source's security support ended before its Debian release's end is a
 * finding "eol:SOURCE:debN" with no fixed version (nothing to upgrade to in
 * the release: remove it, or a compensating control). The entry's last
 * supported version and details are the evidence.
 */
static void dss(struct pl__scan *sc, struct pl__asset_scan *as, struct pl_buf *runs,
                const char *release)
{
    for (size_t i = 0; i < as->n_pkgs; i++) {
        const struct pl__pkg *k = &as->pkgs[i];
        const char *src = k->src && k->src[0] ? k->src : k->name;
        const char *ver = k->srcver && k->srcver[0] ? k->srcver : k->version;

        if (k->pkg_eco == NULL || strcmp(k->pkg_eco, "dpkg") != 0 || src == NULL)
            continue;
        for (size_t j = 0; j < pl__dss_n_ended; j++) {
            const struct pl__dss_ended *e = &pl__dss_ended[j];
            struct pl_buf ev = PL_BUF_INIT(512);
            char vuln[300];
            pl_time_t when;

            if (strcmp(e->release, release) != 0 ||
                (e->prefix ? strncmp(src, e->source, strlen(e->source)) != 0
                           : strcmp(src, e->source) != 0))
                continue;
            window(as, e->end, sc->o->now); /* the package's own end: checked again then */
            runs_add(runs, src);
            if (pl_time_parse(e->end, &when, NULL) != PL_OK || when > sc->o->now ||
                snprintf(vuln, sizeof(vuln), "eol:%s:deb%s", src, release) >= (int)sizeof(vuln))
                continue;
            if (has_eol(as, vuln))
                break;
            pl_buf_addf(&ev,
                        "package %s %s: Debian %s security support ended %s (last supported "
                        "%s; debian-security-support %s)",
                        src, ver ? ver : "", release, e->end, e->last_version, pl__dss_version);
            if (e->details[0])
                pl_buf_addf(&ev, ": %s", e->details);
            add_eol(as, vuln, src, ver, NULL, &ev);
            pl_buf_release(&ev);
            break;
        }
    }
}

/* "cpe:2.3:o:VENDOR:PRODUCT:VERSION..." or "cpe:/o:...": vendor, product and version. */
static bool cpe_fields(const char *line, char *vendor, char *product, char *version, size_t cap)
{
    const char *p = strncmp(line, "cpe:2.3:", 8) == 0 ? line + 8
                    : strncmp(line, "cpe:/", 5) == 0  ? line + 5
                                                      : NULL;
    char *out[3] = {vendor, product, version};

    if (p == NULL || p[0] != 'o' || p[1] != ':')
        return false;
    p += 2;
    for (int k = 0; k < 3; k++) {
        size_t n = strcspn(p, ":\n");

        if (n == 0 || n >= cap)
            return false;
        memcpy(out[k], p, n);
        out[k][n] = '\0';
        p += n + (p[n] == ':');
    }
    return strcmp(version, "*") != 0 && strcmp(version, "-") != 0;
}

pl_status pl__match_eol_match(struct pl__scan *sc, struct pl__asset_scan *as, struct pl_error *err)
{
    const struct pl_match_asset *a = as->asset;
    struct pl_buf cpes = PL_BUF_INIT((size_t)16 * 1024 * 1024), have = PL_BUF_INIT(0),
                  runs = PL_BUF_INIT(0);
    const char *product;
    pl_status rc;

    if (a->kind && strcmp(a->kind, "database") == 0 && (product = engine_product(a->os_name)))
        one(sc, as, &have, &runs, product, a->os_version, "engine");
    if (a->runtime)
        one(sc, as, &have, &runs, "aws-lambda", a->runtime, "runtime");
    /* an EKS, AKS or GKE cluster: its Kubernetes version (the control plane; node groups
     * and pools follow it) */
    if (a->kind && strcmp(a->kind, "cluster") == 0 && a->os_name && managed_k8s(a->os_name))
        one(sc, as, &have, &runs, a->os_name, a->os_version, "cluster");
    /* the operating system of a machine (images are rebuilt from a supported base instead) */
    if (a->kind && a->os_version &&
        (strcmp(a->kind, "host") == 0 || strcmp(a->kind, "endpoint") == 0 ||
         strcmp(a->kind, "k8s-node") == 0)) {
        const struct pl__eol_cycle *w;

        if ((product = os_product(a->os_name)) != NULL) {
            one(sc, as, &have, &runs, product, a->os_version, "operating system");
            if (strcmp(product, "debian") == 0) {
                char rel[16];

                snprintf(rel, sizeof(rel), "%.*s", (int)strcspn(a->os_version, "."), a->os_version);
                dss(sc, as, &runs, rel);
            }
        } else if (strcmp(a->kind, "host") == 0 && a->os_name &&
                   pl_strcasecmp(a->os_name, "windows") == 0) {
            runs_add(&runs, "windows-server"); /* its build may be in no table's cycle */
            if ((w = os_windows_cycle(a->os_version)) != NULL)
                one(sc, as, &have, &runs, "windows-server", w->cycle, "operating system");
        }
    }
    rc = pl_store_asset_cpes(sc->s, a->id, &cpes, err);
    for (const char *p = pl_buf_cstr(&cpes); rc == PL_OK && *p;) {
        size_t n = strcspn(p, "\n");
        char line[512], vendor[128], prod[128], version[128];

        snprintf(line, sizeof(line), "%.*s", (int)n, p);
        p += n + (p[n] == '\n');
        if (cpe_fields(line, vendor, prod, version, sizeof(vendor)) &&
            (product = cpe_product(vendor, prod)))
            one(sc, as, &have, &runs, product, version, "appliance OS");
    }
    if (rc == PL_OK)
        rc = pl_buf_status(&have) != PL_OK ? pl_buf_status(&have) : pl_buf_status(&runs);
    as->eol_have = pl_arena_strndup(&as->arena, pl_buf_cstr(&have), have.len);
    as->eol_runs = pl_arena_strndup(&as->arena, pl_buf_cstr(&runs), runs.len);
    pl_buf_release(&have);
    pl_buf_release(&runs);
    pl_buf_release(&cpes);
    return rc == PL_OK ? pl_arena_status(&as->arena) : rc;
}

/* The next "PRODUCT\tVERSION\tCYCLE" line of the asset's eol_have for product, from *p on:
 * its version and cycle copied out; false at the end. */
static bool have_next(const char **p, const char *product, char *version, size_t vcap, char *cyc,
                      size_t ccap)
{
    size_t n = strlen(product);

    while (**p) {
        const char *line = *p, *ver = line + n + 1, *tab;
        size_t len = strcspn(line, "\n");

        *p += len + (line[len] == '\n');
        if (len > n && strncmp(line, product, n) == 0 && line[n] == '\t' &&
            (tab = memchr(ver, '\t', len - n - 1)) != NULL) {
            snprintf(version, vcap, "%.*s", (int)(tab - ver), ver);
            snprintf(cyc, ccap, "%.*s", (int)(line + len - tab - 1), tab + 1);
            return true;
        }
    }
    return false;
}

bool pl__match_eol_still_there(const struct pl__asset_scan *as, const char *product, pl_time_t now,
                               char *proof, size_t cap)
{
    char version[128], cyc[64], date[16];

    for (const char *p = as->eol_have ? as->eol_have : "";
         have_next(&p, product, version, sizeof(version), cyc, sizeof(cyc));) {
        const struct pl__eol_cycle *c = pl__match_eol_cycle_of(product, version);
        pl_time_t when;

        if (c && !pl__match_eol_ended(c, now, &when)) {
            snprintf(proof, cap, "%s now at %s, cycle %s supported%s%s", product, version, c->cycle,
                     when ? " until " : "", when ? pl_date_format(when, date) : "");
            return true;
        }
    }
    return false;
}

bool pl__match_eol_lag_gone(const struct pl__asset_scan *as, const char *product, const char *cycle,
                            char *proof, size_t cap)
{
    char version[128], cyc[64];

    for (const char *p = as->eol_have ? as->eol_have : "";
         have_next(&p, product, version, sizeof(version), cyc, sizeof(cyc));) {
        const struct pl__eol_cycle *c = pl__match_eol_cycle_of(product, version);
        int cmp = -1;

        if (c && strcmp(cyc, cycle) != 0) {
            snprintf(proof, cap, "%s now at %s, cycle %s", product, version, c->cycle);
            return true;
        }
        if (c && (c->latest[0] == '\0' ||
                  (pl_version_cmp(PL_VSCHEME_RPMVERCMP, version, c->latest, &cmp, NULL) == PL_OK &&
                   cmp >= 0))) {
            snprintf(proof, cap, "%s now at %s, the latest minor version of cycle %s", product,
                     version, c->cycle);
            return true;
        }
    }
    return false;
}
