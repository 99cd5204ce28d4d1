/*
 * cpe.c - software known only by CPE (Nmap services, appliances, database
 * engines, MDM apps: asset_cpes) against the NVD configurations
 * (cpe_matches). A vulnerable, non-negated match row applies when the
 * asset's CPE names the same part, vendor and product and its version is
 * the row's version or inside the row's range (generic rpmvercmp order:
 * dotted numbers and letters, as CPE versions are). In an AND
 * configuration (an application on a platform) every other node must name
 * a vendor and product the asset also has. The results join the scanner
 * path (scanner.c) as reports with origin "match".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/limits.h"

#include "scan_int.h"

struct cpe {
    char part;
    char vendor[128], product[128], version[128];
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

/* "cpe:2.3:a:vendor:product:version:..." or "cpe:/a:vendor:product:version". */
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
        !field(body, 3, c->version, sizeof(c->version)))
        return false;
    c->part = part[0];
    return c->vendor[0] && c->product[0];
}

static bool concrete(const char *v)
{
    return v[0] && strcmp(v, "*") != 0 && strcmp(v, "-") != 0;
}

struct cpe_ctx {
    struct pl__scan *sc;
    struct pl__asset_scan *as;
    const struct cpe *have;
    const char *cpes; /* the asset's CPEs, one per line */
    bool platform_ok; /* every other node of the configuration so far has a row the asset has */
    int node;         /* the node of the row that matched */
    int cur;          /* the node being walked (-1: none yet) */
    bool cur_ok;
};

static bool vok(const char *v, const char *bound, int want_lo, int want_hi)
{
    int c;

    if (bound == NULL || bound[0] == '\0')
        return true;
    if (pl_version_cmp(PL_VSCHEME_RPMVERCMP, v, bound, &c, NULL) != PL_OK)
        return false;
    return c >= want_lo && c <= want_hi;
}

static bool in_range(const struct pl_cpe_view *r, const char *v, const struct cpe *crit)
{
    int c;

    if (concrete(crit->version))
        return pl_version_cmp(PL_VSCHEME_RPMVERCMP, v, crit->version, &c, NULL) == PL_OK && c == 0;
    return vok(v, r->start_including, 0, 1) && vok(v, r->start_excluding, 1, 1) &&
           vok(v, r->end_including, -1, 0) && vok(v, r->end_excluding, -1, -1);
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
    if (!r->negate && asset_has(x->cpes, r->criteria))
        x->cur_ok = true;
    return PL_OK;
}

static void add(struct pl__asset_scan *as, const struct cpe *have, const struct pl_cpe_view *r)
{
    char pkg[260], ev[800];
    struct pl__sv *v;
    size_t n;

    as->svs = pl_xgrow(as->svs, as->n_svs, &as->cap_svs, 64, sizeof(*as->svs));
    snprintf(pkg, sizeof(pkg), "%s:%s", have->vendor, have->product);
    if (r->end_excluding)
        snprintf(ev, sizeof(ev), "cpe %s %s < end %s", pkg, have->version, r->end_excluding);
    else if (r->end_including)
        snprintf(ev, sizeof(ev), "cpe %s %s <= end %s", pkg, have->version, r->end_including);
    else
        snprintf(ev, sizeof(ev), "cpe %s %s in range", pkg, have->version);
    n = strlen(ev);
    snprintf(ev + n, sizeof(ev) - n, " (rpmvercmp order, NVD configuration %d: %.300s)", r->config,
             r->criteria);
    v = &as->svs[as->n_svs++];
    memset(v, 0, sizeof(*v));
    v->source = "match";
    v->vuln = pl_arena_strndup(&as->arena, r->vuln_id, strlen(r->vuln_id));
    v->package = pl_arena_strndup(&as->arena, pkg, strlen(pkg));
    v->installed = pl_arena_strndup(&as->arena, have->version, strlen(have->version));
    v->fixed = r->end_excluding
                   ? pl_arena_strndup(&as->arena, r->end_excluding, strlen(r->end_excluding))
                   : NULL;
    v->status = "open";
    v->evidence = pl_arena_strndup(&as->arena, ev, strlen(ev));
    v->feed = "nvd";
}

static pl_status on_row(void *ctx, const struct pl_cpe_view *r, struct pl_error *err)
{
    struct cpe_ctx *x = ctx;
    struct cpe crit;
    pl_status rc;

    if (!r->vulnerable || r->negate || !cpe_parse(r->criteria, &crit) ||
        strcmp(crit.vendor, x->have->vendor) != 0 || strcmp(crit.product, x->have->product) != 0 ||
        !in_range(r, x->have->version, &crit))
        return PL_OK;
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

pl_status pl__cpe_match(struct pl__scan *sc, struct pl__asset_scan *as, struct pl_error *err)
{
    struct pl_buf cpes = PL_BUF_INIT((size_t)16 * 1024 * 1024), have_list = PL_BUF_INIT(0);
    pl_status rc = pl_store_asset_cpes(sc->s, as->asset->id, &cpes, err);

    for (const char *p = pl_buf_cstr(&cpes); rc == PL_OK && *p;) {
        size_t n = strcspn(p, "\n");
        char line[512], prefix[300];
        struct cpe have;
        struct cpe_ctx x = {sc, as, &have, pl_buf_cstr(&cpes), false, 0, -1, false};

        snprintf(line, sizeof(line), "%.*s", (int)n, p);
        p += n + (p[n] == '\n');
        if (!cpe_parse(line, &have) || !concrete(have.version))
            continue;
        pl_buf_addf(&have_list, "%s:%s %s\n", have.vendor, have.product, have.version);
        snprintf(prefix, sizeof(prefix), "cpe:2.3:%c:%s:%s:", have.part, have.vendor, have.product);
        rc = pl_store_cpe_matches_each(sc->s, prefix, on_row, &x, err);
    }
    as->cpe_have = pl_arena_strndup(&as->arena, pl_buf_cstr(&have_list), have_list.len);
    pl_buf_release(&have_list);
    pl_buf_release(&cpes);
    return rc == PL_OK ? pl_arena_status(&as->arena) : rc;
}

bool pl__cpe_still_there(const struct pl__asset_scan *as, const char *product, char *proof,
                         size_t cap)
{
    size_t n = strlen(product);

    for (const char *p = as->cpe_have ? as->cpe_have : ""; *p;) {
        size_t len = strcspn(p, "\n");

        if (len > n && strncmp(p, product, n) == 0 && p[n] == ' ') {
            snprintf(proof, cap, "cpe %s now at %.*s, outside the NVD ranges", product,
                     (int)(len - n - 1), p + n + 1);
            return true;
        }
        p += len + (p[len] == '\n');
    }
    return false;
}
