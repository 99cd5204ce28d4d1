/*
 * cpe.c - third-party software against the NVD configurations
 * (cpe_matches). The software is either known by CPE (Nmap services,
 * appliances, database engines: asset_cpes) or an installed package of a
 * non-OS ecosystem (MDM application lists, SBOM components) that the
 * product map (products.c) names as a product.
 *
 * A vulnerable, non-negated match row applies when the software names the
 * same part, vendor and product and its version is the row's exact version
 * (and update, where the row names one) or inside the row's range, compared
 * in the product's version order (the map's order column; rpmvercmp for a
 * product the map does not name). In an AND configuration (an application
 * on a platform) every other node must name a vendor and product the asset
 * also has: its CPEs, its mapped software, and its OS as a platform CPE
 * (Windows, macOS, iOS, Android, Linux). The results join the scanner path
 * (scanner.c) as reports with origin "match" and feed "nvd".
 *
 * Vendor bulletins (src/intel/vendor.c: Fortinet, Palo Alto Networks, Cisco)
 * are rows of their own origin, matched the same way, with two additions: a
 * criteria version ending in ".*" names a release line (9.1.* is 9.1 and
 * every version under it), and a row's fixed_in lists the versions that fix
 * it: a version at or after one of them is not affected when that fix has
 * no hotfix suffix, or when it is a hotfix (10.2.9-h1) of the version's own
 * maintenance release (10.2.9, 10.2.9-h3). Their feed is the origin and
 * their evidence names the advisory.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/limits.h"

#include "scan_int.h"

struct cpe {
    char part;
    char vendor[128], product[128], version[128], update[64];
};

/* One piece of software being matched. */
struct have {
    struct cpe id;
    char version[200];   /* the full version: version, and "-update" when the CPE names one */
    const char *pkg;     /* the finding's package: "vendor:product", or the package's own name */
    const char *pkg_eco; /* NULL: known by CPE */
    enum pl_vscheme scheme;
};

/* Copy field k (0-based) of a ':'-separated CPE body, honouring "\:" escapes. */
static bool field(const char *s, int k, char *out, size_t cap)
{
    size_t n = 0;

    for (int i = 0; *s && i < k; s++) {
        if (*s == '\\' && s[1])
            s++;
        else if (*s == ':')
            i++;
    }
    for (; *s && *s != ':'; s++) {
        if (*s == '\\' && s[1])
            s++;
        if (n + 1 >= cap)
            return false;
        out[n++] = *s;
    }
    out[n] = '\0';
    return true;
}

/* "cpe:2.3:a:vendor:product:version:update..." or "cpe:/a:vendor:product:version:update". */
static bool cpe_parse(const char *s, struct cpe *c)
{
    char part[8];
    const char *body;

    memset(c, 0, sizeof(*c));
    if (strncmp(s, "cpe:2.3:", 8) == 0)
        body = s + 8;
    else if (strncmp(s, "cpe:/", 5) == 0)
        body = s + 5;
    else
        return false;
    if (!field(body, 0, part, sizeof(part)) || strlen(part) != 1 ||
        !field(body, 1, c->vendor, sizeof(c->vendor)) ||
        !field(body, 2, c->product, sizeof(c->product)) ||
        !field(body, 3, c->version, sizeof(c->version)) ||
        !field(body, 4, c->update, sizeof(c->update)))
        return false;
    c->part = part[0];
    return c->vendor[0] && c->product[0];
}

static bool concrete(const char *v)
{
    return v[0] && strcmp(v, "*") != 0 && strcmp(v, "-") != 0;
}

/* version, then "-update" when update is concrete, lower case (CPE versions are). */
static bool full_version(const char *version, const char *update, char *out, size_t cap)
{
    int n = concrete(update) ? snprintf(out, cap, "%s-%s", version, update)
                             : snprintf(out, cap, "%s", version);

    if (n < 0 || (size_t)n >= cap)
        return false;
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return true;
}

struct cpe_ctx {
    char origin[32]; /* of the row that matched: its siblings are of the same origin */
    struct pl__scan *sc;
    struct pl__asset_scan *as;
    const struct have *have;
    const char *cpes; /* the asset's CPEs and platform CPEs, one per line */
    bool platform_ok; /* every other node of the configuration so far has a row the asset has */
    int node;         /* the node of the row that matched */
    int cur;          /* the node being walked (-1: none yet) */
    bool cur_ok;
};

/* Compare in the product's order; a version that order cannot read falls back to rpmvercmp. */
static bool vcmp(const struct have *h, const char *a, const char *b, int *c)
{
    return pl_version_cmp(h->scheme, a, b, c, NULL) == PL_OK ||
           pl_version_cmp(PL_VSCHEME_RPMVERCMP, a, b, c, NULL) == PL_OK;
}

static bool vok(const struct have *h, const char *bound, int want_lo, int want_hi)
{
    char b[200];
    int c;

    if (bound == NULL || bound[0] == '\0')
        return true;
    if (!full_version(bound, "", b, sizeof(b)) || !vcmp(h, h->version, b, &c))
        return false;
    return c >= want_lo && c <= want_hi;
}

/* The length of v without a trailing PAN-OS hotfix suffix ("-h12"). */
static size_t hotfix_base(const char *v)
{
    size_t n = strlen(v), d = n;

    while (d > 0 && isdigit((unsigned char)v[d - 1]))
        d--;
    if (d < n && d >= 2 && (v[d - 1] == 'h' || v[d - 1] == 'H') && v[d - 2] == '-')
        return d - 2;
    return n;
}

/*
 * Walk the ';'-joined fixing versions of a vendor row: whether one fixes
 * h's version, and the fix to show (the next fix of its own maintenance
 * release, else the lowest fix above it) into fix.
 */
static bool fixed_by(const struct have *h, const char *list, char *fix, size_t cap)
{
    size_t hb = hotfix_base(h->version);
    bool own = false;
    char f[200];
    int c;

    fix[0] = '\0';
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, ";"), fb;

        char raw[200];

        snprintf(raw, sizeof(raw), "%.*s", (int)n, p);
        p += n + (p[n] == ';');
        if (!full_version(raw, "", f, sizeof(f)) || !vcmp(h, h->version, f, &c))
            continue;
        fb = hotfix_base(f);
        if (c >= 0 && (fb == strlen(f) || (fb == hb && strncmp(f, h->version, fb) == 0)))
            return true;
        if (c < 0) {
            bool same = fb == hb && strncmp(f, h->version, fb) == 0;
            int d = 1;

            if (fix[0] && !vcmp(h, f, fix, &d))
                d = 1;
            if ((same && !own) || (same == own && (fix[0] == '\0' || d < 0))) {
                snprintf(fix, cap, "%s", f);
                own = same;
            }
        }
    }
    return false;
}

/* A criteria version "9.1.*": a release line, which v is or lies under. */
static bool in_line(const struct have *h, const char *line)
{
    size_t n = strlen(line) - 2;

    return strncmp(h->version, line, n) == 0 &&
           (h->version[n] == '\0' || h->version[n] == '.' || h->version[n] == '-');
}

static bool in_range(const struct pl_cpe_view *r, const struct have *h, const struct cpe *crit)
{
    char want[200];
    size_t vl = strlen(crit->version);
    int c;

    if (vl > 2 && strcmp(crit->version + vl - 2, ".*") == 0)
        return in_line(h, crit->version);
    if (concrete(crit->version)) {
        /* an exact version; "-" as update: the release itself, no update */
        if (!full_version(crit->version, crit->update, want, sizeof(want)))
            return false;
        return vcmp(h, h->version, want, &c) && c == 0;
    }
    return vok(h, r->start_including, 0, 1) && vok(h, r->start_excluding, 1, 1) &&
           vok(h, r->end_including, -1, 0) && vok(h, r->end_excluding, -1, -1);
}

/* Whether the asset has a CPE naming the vendor and product of criteria. */
static bool asset_has(const char *cpes, const char *criteria)
{
    struct cpe want, c;
    char line[512];

    if (!cpe_parse(criteria, &want))
        return false;
    for (const char *p = cpes; *p;) {
        size_t n = strcspn(p, "\n");

        snprintf(line, sizeof(line), "%.*s", (int)n, p);
        if (cpe_parse(line, &c) && strcmp(c.vendor, want.vendor) == 0 &&
            strcmp(c.product, want.product) == 0)
            return true;
        p += n + (p[n] == '\n');
    }
    return false;
}

static void end_node(struct cpe_ctx *x)
{
    if (x->cur >= 0 && x->cur != x->node && !x->cur_ok)
        x->platform_ok = false;
}

static pl_status on_sibling(void *ctx, const struct pl_cpe_view *r, struct pl_error *err)
{
    struct cpe_ctx *x = ctx;

    (void)err;
    if (r->node != x->cur) {
        end_node(x);
        x->cur = r->node;
        x->cur_ok = false;
    }
    if (!r->negate && strcmp(r->origin ? r->origin : "nvd", x->origin) == 0 &&
        asset_has(x->cpes, r->criteria))
        x->cur_ok = true;
    return PL_OK;
}

bool pl__match_cpe_feed(const char *feed)
{
    static const char *const feeds[] = {"nvd", "fortinet", "paloalto", "cisco"};

    for (size_t i = 0; feed && i < PL_ARRAY_LEN(feeds); i++)
        if (strcmp(feed, feeds[i]) == 0)
            return true;
    return false;
}

/* The names the evidence gives a vendor bulletin's origin. */
static const char *origin_name(const char *origin)
{
    if (strcmp(origin, "fortinet") == 0)
        return "Fortinet";
    if (strcmp(origin, "paloalto") == 0)
        return "Palo Alto Networks";
    if (strcmp(origin, "cisco") == 0)
        return "Cisco";
    return origin;
}

static void add(struct pl__asset_scan *as, const struct have *h, const struct pl_cpe_view *r)
{
    char ev[800], prod[260], fix[200];
    const char *fixed = r->end_excluding;
    bool vendor = r->origin && strcmp(r->origin, "nvd") != 0 && r->advisory;
    struct pl__sv *v;
    size_t n = 0;

    for (size_t i = 0; i < as->n_svs; i++)
        if (as->svs[i].evidence && strcmp(as->svs[i].vuln, r->vuln_id) == 0 &&
            strcmp(as->svs[i].package, h->pkg) == 0)
            return; /* another row or configuration of the same vulnerability */
    as->svs = pl_xgrow(as->svs, as->n_svs, &as->cap_svs, 64, sizeof(*as->svs));
    snprintf(prod, sizeof(prod), "%s:%s", h->id.vendor, h->id.product);
    if (h->pkg_eco)
        n = (size_t)snprintf(ev, sizeof(ev), "%.100s package '%.100s' is ", h->pkg_eco, h->pkg);
    if (vendor && r->fixed_in) {
        (void)fixed_by(h, r->fixed_in, fix, sizeof(fix));
        fixed = fix[0] ? fix : r->end_excluding;
    }
    if (vendor && fixed)
        snprintf(ev + n, sizeof(ev) - n, "cpe %s %s < fix %s", prod, h->version, fixed);
    else if (vendor)
        snprintf(ev + n, sizeof(ev) - n, "cpe %s %s listed as affected", prod, h->version);
    else if (r->end_excluding)
        snprintf(ev + n, sizeof(ev) - n, "cpe %s %s < end %s", prod, h->version, r->end_excluding);
    else if (r->end_including)
        snprintf(ev + n, sizeof(ev) - n, "cpe %s %s <= end %s", prod, h->version, r->end_including);
    else
        snprintf(ev + n, sizeof(ev) - n, "cpe %s %s in range", prod, h->version);
    n = strlen(ev);
    if (vendor)
        snprintf(ev + n, sizeof(ev) - n, " (%s order, %s advisory %.80s: %.300s)",
                 pl_vscheme_name(h->scheme), origin_name(r->origin), r->advisory, r->criteria);
    else
        snprintf(ev + n, sizeof(ev) - n, " (%s order, NVD configuration %d: %.300s)",
                 pl_vscheme_name(h->scheme), r->config, r->criteria);
    v = &as->svs[as->n_svs++];
    memset(v, 0, sizeof(*v));
    v->source = "match";
    v->vuln = pl_arena_strndup(&as->arena, r->vuln_id, strlen(r->vuln_id));
    v->package = pl_arena_strndup(&as->arena, h->pkg, strlen(h->pkg));
    v->installed = pl_arena_strndup(&as->arena, h->version, strlen(h->version));
    v->fixed = fixed ? pl_arena_strndup(&as->arena, fixed, strlen(fixed)) : NULL;
    v->status = "open";
    v->evidence = pl_arena_strndup(&as->arena, ev, strlen(ev));
    v->feed = vendor ? pl_arena_strndup(&as->arena, r->origin, strlen(r->origin)) : "nvd";
    v->package_ecosystem = h->pkg_eco;
}

static pl_status on_row(void *ctx, const struct pl_cpe_view *r, struct pl_error *err)
{
    struct cpe_ctx *x = ctx;
    struct cpe crit;
    pl_status rc;

    if (!r->vulnerable || r->negate || !cpe_parse(r->criteria, &crit) ||
        strcmp(crit.vendor, x->have->id.vendor) != 0 ||
        strcmp(crit.product, x->have->id.product) != 0 || !in_range(r, x->have, &crit))
        return PL_OK;
    if (r->fixed_in) {
        char fix[200];

        if (fixed_by(x->have, r->fixed_in, fix, sizeof(fix)))
            return PL_OK;
    }
    snprintf(x->origin, sizeof(x->origin), "%s", r->origin ? r->origin : "nvd");
    if (r->config_operator && strcmp(r->config_operator, "AND") == 0) {
        x->platform_ok = true;
        x->node = r->node;
        x->cur = -1;
        if ((rc = pl_store_cpe_config_each(x->sc->s, r->vuln_id, r->config, on_sibling, x, err)) !=
            PL_OK)
            return rc;
        end_node(x);
        if (!x->platform_ok)
            return PL_OK;
    }
    add(x->as, x->have, r);
    return pl_arena_status(&x->as->arena);
}

/* Match one piece of software against every row of its part, vendor and product. */
static pl_status match_one(struct pl__scan *sc, struct pl__asset_scan *as, const struct have *h,
                           const char *cpes, struct pl_buf *have_list, struct pl_error *err)
{
    struct cpe_ctx x = {"", sc, as, h, cpes, false, 0, -1, false};
    char prefix[300];

    pl_buf_addf(have_list, "%s\t%s\n", h->pkg, h->version);
    snprintf(prefix, sizeof(prefix), "cpe:2.3:%c:%s:%s:", h->id.part, h->id.vendor, h->id.product);
    return pl_store_cpe_matches_each(sc->s, prefix, on_row, &x, err);
}

/* The platform CPEs of the asset's OS, for the "running on" nodes of AND configurations. */
static void platform_cpes(const struct pl_match_asset *a, struct pl_buf *out)
{
    static const struct {
        const char *word, *cpes;
    } m[] = {
        {"windows", "cpe:2.3:o:microsoft:windows\n"},
        {"macos", "cpe:2.3:o:apple:macos\ncpe:2.3:o:apple:mac_os_x\n"},
        {"mac os", "cpe:2.3:o:apple:macos\ncpe:2.3:o:apple:mac_os_x\n"},
        {"darwin", "cpe:2.3:o:apple:macos\ncpe:2.3:o:apple:mac_os_x\n"},
        {"ipados", "cpe:2.3:o:apple:ipados\ncpe:2.3:o:apple:iphone_os\n"},
        {"ios", "cpe:2.3:o:apple:iphone_os\n"},
        {"android", "cpe:2.3:o:google:android\n"},
    };
    const char *words[] = {a->os_family, a->os_name};
    char w[128];

    for (size_t k = 0; k < PL_ARRAY_LEN(words); k++) {
        if (words[k] == NULL || snprintf(w, sizeof(w), "%s", words[k]) >= (int)sizeof(w))
            continue;
        for (char *p = w; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        for (size_t i = 0; i < PL_ARRAY_LEN(m); i++)
            if (strstr(w, m[i].word)) {
                pl_buf_adds(out, m[i].cpes);
                return;
            }
    }
    if (a->os_family || a->os_name) /* every other OS Patchline knows is a Linux distribution */
        pl_buf_adds(out, "cpe:2.3:o:linux:linux_kernel\n");
}

/* The asset's CPE lines and each mapped package's, into the haves. */
static bool package_have(const struct pl__scan *sc, const struct pl__pkg *k, size_t i,
                         struct have *h)
{
    const struct pl_product *p = pl_product_lookup(sc->products, k->pkg_eco, k->name);
    char v[128];

    if (p == NULL || !p->compare || i >= p->n_cpes || !pl_product_version(k->version, v, sizeof(v)))
        return false;
    memset(h, 0, sizeof(*h));
    h->id.part = p->cpes[i][0];
    if (!field(p->cpes[i] + 2, 0, h->id.vendor, sizeof(h->id.vendor)) ||
        !field(p->cpes[i] + 2, 1, h->id.product, sizeof(h->id.product)) ||
        !full_version(v, "", h->version, sizeof(h->version)))
        return false;
    h->pkg = k->name;
    h->pkg_eco = k->pkg_eco;
    h->scheme = p->scheme;
    return true;
}

pl_status pl__match_cpe_match(struct pl__scan *sc, struct pl__asset_scan *as, struct pl_error *err)
{
    struct pl_buf cpes = PL_BUF_INIT((size_t)16 * 1024 * 1024), have_list = PL_BUF_INIT(0);
    pl_status rc = pl_store_asset_cpes(sc->s, as->asset->id, &cpes, err);
    size_t n_stored = cpes.len;
    struct have h;

    /* the platform list: stored CPEs, the mapped packages' CPEs, the OS */
    for (size_t i = 0; rc == PL_OK && i < as->n_pkgs; i++)
        for (size_t c = 0; package_have(sc, &as->pkgs[i], c, &h); c++)
            pl_buf_addf(&cpes, "cpe:2.3:%c:%s:%s:%s\n", h.id.part, h.id.vendor, h.id.product,
                        h.version);
    platform_cpes(as->asset, &cpes);
    if (rc == PL_OK)
        rc = pl_buf_status(&cpes);
    for (const char *p = pl_buf_cstr(&cpes); rc == PL_OK && p < pl_buf_cstr(&cpes) + n_stored;) {
        size_t n = strcspn(p, "\n");
        char line[512], pkg[260];
        const struct pl_product *prod;

        snprintf(line, sizeof(line), "%.*s", (int)n, p);
        p += n + (p[n] == '\n');
        memset(&h, 0, sizeof(h));
        if (!cpe_parse(line, &h.id) || !concrete(h.id.version) ||
            !full_version(h.id.version, h.id.update, h.version, sizeof(h.version)))
            continue;
        prod = pl_product_by_cpe(sc->products, h.id.part, h.id.vendor, h.id.product);
        if (prod && !prod->compare)
            continue;
        h.scheme = prod ? prod->scheme : PL_VSCHEME_RPMVERCMP;
        snprintf(pkg, sizeof(pkg), "%s:%s", h.id.vendor, h.id.product);
        h.pkg = pkg;
        rc = match_one(sc, as, &h, pl_buf_cstr(&cpes), &have_list, err);
    }
    for (size_t i = 0; rc == PL_OK && i < as->n_pkgs; i++)
        for (size_t c = 0; rc == PL_OK && package_have(sc, &as->pkgs[i], c, &h); c++)
            rc = match_one(sc, as, &h, pl_buf_cstr(&cpes), &have_list, err);
    if (rc == PL_OK)
        rc = pl_buf_status(&have_list);
    as->cpe_have = pl_arena_strndup(&as->arena, pl_buf_cstr(&have_list), have_list.len);
    pl_buf_release(&have_list);
    pl_buf_release(&cpes);
    return rc == PL_OK ? pl_arena_status(&as->arena) : rc;
}

bool pl__match_cpe_still_there(const struct pl__asset_scan *as, const char *product, char *proof,
                               size_t cap)
{
    size_t n = strlen(product);

    for (const char *p = as->cpe_have ? as->cpe_have : ""; *p;) {
        size_t len = strcspn(p, "\n");

        if (len > n && strncmp(p, product, n) == 0 && p[n] == '\t') {
            snprintf(proof, cap, "cpe %s now at %.*s, outside the NVD ranges", product,
                     (int)(len - n - 1), p + n + 1);
            return true;
        }
        p += len + (p[len] == '\n');
    }
    return false;
}
